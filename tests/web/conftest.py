"""Fixtures of the web pages' tests: a frozen clock (15/4/2026, 10:00 in Hà Nội), uploads in a temporary folder,
a Django test client per role, and the shared directive ingested (drafts) or confirmed.

Users, agencies and the directive come from ``tests/conftest.py``: Cục Thuế (under Bộ Tài chính) leads tasks 1
and 3, Bộ Y tế leads task 2; the finance focal point therefore reports on tasks 1 and 3, the health focal point
on task 2."""

from __future__ import annotations

import pytest

from tests.service_fixtures import (  # noqa: F401  (fixtures used by this folder's tests)
    clock,
    confirmed,
    drafts,
    fast_passwords,
    media,
)

ROLES = ("admin", "officer", "finance_focal", "health_focal", "leader")


@pytest.fixture(autouse=True)
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def web(users):
    """``web("health_focal")``: a test client signed in as that role (``"anonymous"``: not signed in)."""
    from django.test import Client

    def client(role: str = "officer") -> Client:
        c = Client()
        if role != "anonymous":
            c.force_login(getattr(users, role))
        return c

    return client
