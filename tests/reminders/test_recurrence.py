"""Recurring tasks ("báo cáo định kỳ hằng quý"): the next occurrence is created once, when the task is completed or
its period passes, due one period after (counted from the series' first deadline)."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.reminders.models import Occurrence
from dondoc.reminders.runner import run_pass
from dondoc.tracking import services
from dondoc.tracking.models import Event, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarterly(org, make_task, remind_settings):
    return make_task(date(2026, 3, 31), lead=org.tax, content="Cục Thuế báo cáo kết quả thực hiện định kỳ hằng quý",
                     recurrence="quarterly")


def test_completing_a_recurring_task_creates_the_next_occurrence_once(quarterly, org):
    services.complete_task(quarterly, result="Đã báo cáo quý I", on=date(2026, 4, 10))
    first = run_pass(date(2026, 4, 15))
    again = run_pass(date(2026, 4, 15))
    assert len(first.occurrences.created) == 1 and again.occurrences.created == []
    (link,) = Occurrence.objects.all()
    new = link.task
    assert (link.previous, link.series, link.index, link.due_date) == (quarterly, quarterly, 1, date(2026, 6, 30))
    assert new.status == Task.Status.OPEN and new.parent == quarterly and new.document == quarterly.document
    assert new.due_date == date(2026, 6, 30) and new.content == quarterly.content
    assert list(new.assignments.filter(active=True).values_list("agency", "role")) == [(org.tax.pk, "lead")]
    assert Event.objects.filter(task=new).values_list("kind", flat=True).get() == "created"
    assert "kỳ tiếp theo" in first.summary()[1]


def test_a_period_passing_creates_the_next_and_the_series_keeps_its_rhythm(quarterly):
    run_pass(date(2026, 4, 1))  # 31/03 passed while still open: Q2's occurrence
    q2 = Occurrence.objects.get(previous=quarterly).task
    services.complete_task(quarterly, result="Báo cáo muộn", on=date(2026, 4, 20))
    assert run_pass(date(2026, 4, 21)).occurrences.created == []  # it has its next already
    run_pass(date(2026, 7, 1))  # Q2's deadline passed: Q3's occurrence, counted from the series' 31/03
    q3 = Occurrence.objects.get(previous=q2)
    assert (q3.index, q3.series_id, q3.due_date) == (2, quarterly.pk, date(2026, 9, 30))


def test_a_series_late_by_several_periods_catches_up_in_one_pass(quarterly):
    result = run_pass(date(2026, 11, 1))
    assert [Task.objects.get(pk=pk).due_date for pk in result.occurrences.created] == [
        date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]


def test_old_history_is_left_alone_and_passes_are_capped(org, make_task, remind_settings):
    remind_settings(MAX_OCCURRENCES_PER_PASS=2)
    make_task(date(2024, 3, 31), recurrence="quarterly", issued=date(2024, 1, 5))  # due 2½ years ago: history
    for n in range(3):
        make_task(date(2026, 9, 30), recurrence="monthly", content=f"Báo cáo tháng số {n}")
    first = run_pass(date(2026, 10, 5))
    assert len(first.occurrences.created) == 2 and first.occurrences.waiting
    second = run_pass(date(2026, 10, 5))
    assert len(second.occurrences.created) == 1 and not second.occurrences.waiting
    assert set(Occurrence.objects.values_list("due_date", flat=True)) == {date(2026, 10, 31)}  # month end stays


def test_a_dry_run_creates_nothing(quarterly):
    result = run_pass(date(2026, 4, 1), dry_run=True)
    assert len(result.occurrences.created) == 1 and not Occurrence.objects.exists()
