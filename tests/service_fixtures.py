"""Fixtures shared by the tests of the service's interfaces (API, web pages, browser): a clock frozen on
15/4/2026, 10:00 in Hà Nội, fast password hashing, uploads in a temporary folder, and the shared directive
ingested as drafts or confirmed. A ``conftest.py`` imports the ones it wants; the autouse ones apply below it.

On that day the directive's deadlines (30/6 and 30/9/2026) are ahead, so every state a test sees depends on its
own steps, never on the day it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 4, 15)


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
    for name in ("inspect", "hospitals", "report"):
        getattr(drafts, name).refresh_from_db()
    return drafts
