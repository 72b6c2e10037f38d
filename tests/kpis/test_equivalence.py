"""The SQL KPIs give exactly the figures of the reference (every task's events replayed), on randomized histories
built through the services, for many periods and as-of days, past ones included."""

from datetime import date

import pytest

from dondoc.kpis.compute import compute_kpis

from .builders import Clock, random_history

D = date.fromisoformat
pytestmark = pytest.mark.django_db

PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025-H1", "2025", "2025-03", "2025-07", "2025-W27",
           "2025-02-10..2025-05-20"]
AS_OF = [D("2025-02-15"), D("2025-03-31"), D("2025-06-30"), D("2025-07-01"), D("2025-09-30"), D("2025-12-31"),
         D("2026-02-01")]


def same(period, as_of, **options):
    fast = compute_kpis(period, as_of=as_of, method="sql", **options)
    slow = compute_kpis(period, as_of=as_of, method="replay", **options)
    assert [n.code for n in slow.notices if n.code == "invalid_history"] == []
    assert fast.rows == slow.rows, (period, as_of, options)
    assert fast.total == slow.total, (period, as_of, options)
    return fast


@pytest.mark.parametrize("seed", [7])
def test_sql_and_replay_agree_on_a_random_year(org, monkeypatch, seed):
    clock = Clock(monkeypatch, D("2025-01-01"))
    stats = random_history(clock, org, seed=seed)
    print(stats)
    clock.day = D("2026-02-01")
    for period in PERIODS:
        for as_of in AS_OF:
            same(period, as_of)
