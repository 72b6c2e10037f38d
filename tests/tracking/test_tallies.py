"""The KPI tallies kept with the events (``tracking.tallies``): which rows a period reads, and rows that follow a task
through its life, the same as a rebuild from the tasks after every step, none left empty."""

from datetime import date, timedelta

import pytest

from dondoc.tracking import services, tallies
from dondoc.tracking.models import LeadTally, Task
from tests.kpis.builders import Clock, document, task

D = date.fromisoformat


def test_whole_months_are_read_from_month_rows_and_the_rest_from_day_rows():
    assert tallies.spans(D("2026-01-01"), D("2026-12-31")) == [("m", D("2026-01-01"), D("2026-12-01"))]
    assert tallies.spans(D("2025-06-10"), D("2025-09-03")) == [
        ("d", D("2025-06-10"), D("2025-06-30")), ("m", D("2025-07-01"), D("2025-08-01")),
        ("d", D("2025-09-01"), D("2025-09-03"))]
    assert tallies.spans(D("2026-02-10"), D("2026-02-16")) == [("d", D("2026-02-10"), D("2026-02-16"))]


@pytest.mark.django_db
def test_rows_follow_a_task_and_equal_a_rebuild_after_every_step(org, monkeypatch):
    clock = Clock(monkeypatch, D("2025-02-03"))

    def check():
        kept = tallies.stored()
        assert all(any(counts) for counts in kept.values())  # a row brought down to nothing is deleted
        tallies.rebuild()
        assert tallies.stored() == kept
        return kept

    t = task(clock, lead=[org.ict, org.health], due=D("2025-03-20"), assigned=D("2025-02-03"))
    kept = check()
    assert {(k[0], k[3], k[4]) for k in kept} == {("a", org.ict.pk, ""), ("a", org.health.pk, ""), ("t", 0, ""),
                                                  ("s", org.ict.pk, tallies.lead_key([org.ict.pk, org.health.pk])),
                                                  ("s", org.health.pk, tallies.lead_key([org.ict.pk, org.health.pk]))}
    services.request_extension(t, due=D("2025-04-30"), reason="Chờ ý kiến")
    services.decide_extension(t, approve=True)
    assert not LeadTally.objects.filter(day=D("2025-03-20")).exists()  # the deadline moved with its rows
    check()
    clock.day = D("2025-03-05")
    services.apply_successions(clock.day)  # ICT merged into science on 1/3: its rows (the approval's too) move
    assert not LeadTally.objects.filter(agency=org.ict.pk).exists()
    check()
    clock.day = D("2025-05-06")
    services.complete_task(t, on=D("2025-05-04"))
    services.reopen_task(t, reason="Chưa đạt")
    services.transfer_task(t, to=[org.finance], reason="Đúng chức năng")
    check()


def _by_day_counted(start, end, today):
    """What the dashboard counted before the tallies: the listed tasks of that deadline range, by day and bucket."""
    from django.db.models import Count

    from dondoc.tracking import selectors

    rows = (selectors.tasks(selectors.TaskFilter(due_from=start, due_to=end), today=today).order_by()
            .values_list("due_date", "bucket").annotate(n=Count("id")))
    return sorted(rows)


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "end"), [(7, D("2025-06-30")), (2026, D("2025-12-31"))])
def test_state_counts_by_deadline_kept_with_the_events_equal_counting_the_tasks(org, monkeypatch, seed, end):
    """``DueTally`` after a randomized history (drafts, corrections, progress, extensions, late and backdated
    completions, reopenings, transfers, withdrawals, mergers) and a task without a lead: the same rows as a rebuild
    from the tasks, and for any deadline range and today, the same counts by day and bucket as the tasks give."""
    from tests.kpis.builders import random_history

    clock = Clock(monkeypatch, D("2025-01-01"))
    stats = random_history(clock, org, seed=seed, end=end)
    assert min(stats.values()) > 0, stats
    with clock.at(end):  # a task added open at once without a lead: counted too (the KPI tallies count only leads)
        unled = services.add_task(document(D("2025-03-03")), content="Nhiệm vụ bổ sung", draft=False,
                                  due=D("2025-04-10"))
    assert not unled.assignments.exists() and Task.objects.get(pk=unled.pk).status == "open"
    kept = tallies.stored_due()
    assert kept and all(any(counts) for counts in kept.values())
    assert tallies.rebuild() and tallies.stored_due() == kept  # what was kept event by event is what tasks say now

    open_due = list(Task.objects.filter(status="open", due_date__gt=end).order_by("due_date")
                    .values_list("due_date", flat=True))
    ranges = [(D("2025-01-01"), D("2025-12-31")), (D("2025-04-01"), D("2025-06-30")), (D("2025-04-10"),
              D("2025-04-10")), (D("2025-02-10"), D("2025-05-20")), (D("2024-12-01"), D("2026-12-31"))]
    buckets = set()
    for today in (end, end + timedelta(days=1), open_due[3], end + timedelta(days=47), end + timedelta(days=370)):
        for start, last in ranges:
            counted = _by_day_counted(start, last, today)
            assert sorted(tallies.due_buckets(start, last, today)) == counted, (today, start, last)
            buckets |= {bucket for _, bucket, _ in counted}
    assert buckets == {"overdue", "in_progress", "not_due", "done_on_time", "done_late", "withdrawn", "transferred"}
    day = {bucket: n for _, bucket, n in tallies.due_buckets(D("2025-04-10"), D("2025-04-10"), end)}
    assert day["overdue"] == Task.objects.filter(due_date=D("2025-04-10"), status="open").count() >= 1
