"""The SQL KPIs give exactly the figures of the reference (every task's events replayed), on randomized histories
built through the services, for many periods and as-of days, past ones included, on SQLite and PostgreSQL."""

from datetime import date

import pytest

from dondoc.kpis.compute import compute_kpis
from dondoc.tracking.models import Event

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
