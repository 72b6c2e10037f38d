"""Fixtures of the web pages' tests: a frozen clock (15/4/2026, 10:00 in Hà Nội), uploads in a temporary folder,
a Django test client per role, and the shared directive ingested (drafts) or confirmed.

Users, agencies and the directive come from ``tests/conftest.py``: Cục Thuế (under Bộ Tài chính) leads tasks 1
and 3, Bộ Y tế leads task 2; the finance focal point therefore reports on tasks 1 and 3, the health focal point
on task 2."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 4, 15)
ROLES = ("admin", "officer", "finance_focal", "health_focal", "leader")


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
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


@dataclass
class Ingested:
    document: object
    inspect: object  # task 1: Cục Thuế leads, Bộ Y tế supports, due 30/6/2026
    hospitals: object  # task 2: Bộ Y tế leads, due 30/9/2026
    report: object  # task 3: Cục Thuế leads, quarterly, no due date


@pytest.fixture
def drafts(users, directive_text) -> Ingested:
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
    for name in ("inspect", "hospitals", "report"):
        getattr(drafts, name).refresh_from_db()
    return drafts
