"""Fixtures of the API tests: a frozen clock, uploads in a temporary folder, one API client per role, and the
shared directive ingested (drafts) or confirmed.

The clock stands on 15/4/2026 (10:00 in Hà Nội) unless a test moves it: the directive's deadlines (30/6 and
30/9/2026) are then ahead, so every state below depends on the test's own steps, never on the day it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 4, 15)
ROLES = ("anonymous", "admin", "officer", "finance_focal", "health_focal", "leader")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.combine(TODAY, time(10), tzinfo=HANOI)

    def set(self, day: date) -> None:
        self.now = datetime.combine(day, time(10), tzinfo=HANOI)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    from django.utils import timezone

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Each test makes five users: a deliberately slow password hash would cost most of the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


@dataclass
class Ingested:
    document: object
    inspect: object  # task 1: Cục Thuế leads, Bộ Y tế supports, due 30/6/2026
    hospitals: object  # task 2: Bộ Y tế leads, due 30/9/2026
    report: object  # task 3: Cục Thuế leads, quarterly, no due date


@pytest.fixture
def drafts(users, directive_text) -> Ingested:
    """The shared directive ingested as the officer would upload it: a draft document with three draft tasks."""
    from dondoc.extract import extract_text
    from dondoc.tracking import services

    result = services.ingest_directive(extract_text(directive_text), actor=users.officer)
    tasks = sorted(result.tasks, key=lambda t: t.source_start)
    assert len(tasks) == 3
    return Ingested(result.document, *tasks)


@pytest.fixture
def confirmed(drafts, users) -> Ingested:
    from dondoc.tracking import services

    services.confirm_document(drafts.document, actor=users.officer)
    return drafts


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
