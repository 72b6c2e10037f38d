"""The SQL KPIs give exactly the figures of the reference (every task's events replayed), on randomized histories
built through the services, for many periods and as-of days, past ones included, on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest

from dondoc.kpis.compute import compute_kpis
from dondoc.tracking.models import Event, Task

from .builders import Clock, random_history

D = date.fromisoformat
pytestmark = pytest.mark.django_db

PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025-H1", "2025", "2025-03", "2025-07", "2025-W27",
           "2025-02-10..2025-05-20", "2026-Q1"]
AS_OF = [D("2025-02-15"), D("2025-03-31"), D("2025-06-30"), D("2025-07-01"), D("2025-09-30"), D("2025-12-31"),
         D("2026-02-01")]
OPTIONS = [{}, {"include_units": True}, {"lineage": False}, {"include_units": True, "lineage": False}]


def same(period, as_of, **options):
    fast = compute_kpis(period, as_of=as_of, method="sql", **options)
    slow = compute_kpis(period, as_of=as_of, method="replay", **options)
    assert not [n for n in slow.notices if n.code == "invalid_history"]
    assert (fast.rows, fast.total) == (slow.rows, slow.total), (period, as_of, options)
    assert fast.until_seq == slow.until_seq
    return fast


@pytest.mark.parametrize("seed", [7, 2026])
def test_sql_and_replay_agree_on_a_random_year(org, monkeypatch, seed):
    clock = Clock(monkeypatch, D("2025-01-01"))
    stats = random_history(clock, org, seed=seed)
    clock.day = D("2026-02-01")
    assert min(stats.values()) > 0, stats  # the draw is rich enough to exercise every rule

    # every period, every as-of day, agencies on their own
    figures = set()
    for period in PERIODS:
        for as_of in AS_OF:
            report = same(period, as_of)
            figures.add(tuple(r.assigned for r in report.rows))
    assert len(figures) > 30  # the as-of day matters: not the same figures every time

    # units rolled up to their parents, predecessors to their successors, or neither; chosen agencies
    for options in OPTIONS[1:]:
        for period in ("2025-Q1", "2025-Q3", "2025"):
            for as_of in (D("2025-02-15"), D("2025-06-30"), D("2025-12-31")):
                same(period, as_of, **options)
                same(period, as_of, agencies=[org.science, org.province, org.finance, org.ict], **options)

    # what was known when an earlier event was written
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    for until_seq in (last // 4, last // 2, 3 * last // 4):
        for period, as_of in (("2025-Q2", D("2025-06-30")), ("2025", D("2026-02-01"))):
            assert same(period, as_of, until_seq=until_seq).until_seq == until_seq
            same(period, as_of, until_seq=until_seq, lineage=False)


def same_as_events(period, **options):
    """The tallies kept as events were written give the records of the events themselves, as of today."""
    kept = compute_kpis(period, method="tallies", **options)
    assert kept.method == "tallies"
    events = same(period, kept.as_of, **options)  # the SQL over the events, itself the same as their replay
    assert (kept.rows, kept.total) == (events.rows, events.total), (period, kept.as_of, options)
    return kept


@pytest.mark.parametrize(("seed", "end"), [(7, D("2025-06-30")), (2026, D("2025-12-31"))])
def test_tallies_kept_with_the_events_give_the_figures_of_the_events(org, monkeypatch, seed, end):
    from dondoc.tracking import tallies

    clock = Clock(monkeypatch, D("2025-01-01"))
    stats = random_history(clock, org, seed=seed, end=end)
    # extensions approved and refused, late and backdated completions, transfers, withdrawals, reopenings,
    # tasks without deadline, co-led tasks, drafts and discarded ones, a merger applied
    assert min(stats.values()) > 0, stats
    kept = tallies.stored()
    assert kept and tallies.rebuild() == len(kept)
    assert tallies.stored() == kept  # what was kept event by event is what the tasks say now

    periods = [*PERIODS, "2025-06", "2025-06-10..2025-07-20", "2024-12-20..2025-02-03", "2026"]
    # today: the history's last day, the first of the next month, the deadline of an open task (due today: still
    # in progress), the middle of a month (open tasks due on both sides of the day), a year on
    due_next = Task.objects.filter(status="open", due_date__gt=end).order_by("due_date").values_list(
        "due_date", flat=True)[3]
    for today in (end, end + timedelta(days=1), due_next, end + timedelta(days=47), end + timedelta(days=370)):
        clock.day = today
        figures = set()
        for period in periods:
            figures.add(tuple((r.agency_id, r.overdue, r.in_progress) for r in same_as_events(period).rows))
        assert len(figures) > 5
        for options in OPTIONS[1:]:
            for period in ("2025-Q1", "2025-Q3", "2025", "2025-06-10..2025-07-20"):
                same_as_events(period, **options)
                same_as_events(period, agencies=[org.science, org.province, org.finance, org.ict], **options)
    # a past day or an earlier event number: the tallies cannot say, the events do
    assert compute_kpis("2025-Q2", as_of=end - timedelta(days=1), method="tallies").method == "sql"
    assert compute_kpis("2025-Q2", until_seq=10, method="tallies").method == "sql"
