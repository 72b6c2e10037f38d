"""Fixtures of the API tests: a frozen clock, uploads in a temporary folder, one API client per role, and the
shared directive ingested (drafts) or confirmed.

The clock stands on 15/4/2026 (10:00 in Hà Nội) unless a test moves it: the directive's deadlines (30/6 and
30/9/2026) are then ahead, so every state below depends on the test's own steps, never on the day it runs.
"""

from __future__ import annotations

import pytest

from tests.service_fixtures import (  # noqa: F401  (fixtures used by this folder's tests)
    clock,
    confirmed,
    drafts,
    fast_passwords,
    media,
)

ROLES = ("anonymous", "admin", "officer", "finance_focal", "health_focal", "leader")


@pytest.fixture
def api(users):
    """``api("finance_focal")``: a client signed in as that role (``"anonymous"``: not signed in)."""
    from rest_framework.test import APIClient

    def client(role: str = "officer") -> APIClient:
        c = APIClient()
        if role != "anonymous":
            c.force_authenticate(getattr(users, role))
        return c

    return client


def counts() -> dict[str, int]:
    """Rows of everything the API writes: equal before and after a refused request."""
    from django.contrib.auth import get_user_model

    from dondoc.kpis.models import IndicatorValue
    from dondoc.tracking.models import (
        Agency,
        AgencyAlias,
        AgencySuccession,
        Document,
        Event,
        EvidenceFile,
        Task,
        TaskAgency,
    )

    models = (Agency, AgencyAlias, AgencySuccession, Document, Event, EvidenceFile, Task, TaskAgency,
              IndicatorValue, get_user_model())
    return {m.__name__: m.objects.count() for m in models}


def task_state(task) -> dict:
    """A task's stored columns, to compare before and after a refused request."""
    from django.forms.models import model_to_dict

    task.refresh_from_db()
    return model_to_dict(task)


def files_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
