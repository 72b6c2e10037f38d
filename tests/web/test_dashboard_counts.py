"""The dashboard's counts by state and its monthly trend, for someone who sees every task, come from the counts by
deadline kept with the events (``tracking.tallies.DueTally``): after a randomized history they are what counting
the tasks gives, and what the lists they link to show."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Count

from dondoc.tracking import selectors
from tests.kpis.builders import Clock, random_history

D = date.fromisoformat
pytestmark = pytest.mark.django_db


def counted(start: date, end: date, today: date) -> Counter:
    """The listed tasks due from ``start`` to ``end`` by bucket on ``today``, counted one by one."""
    rows = (selectors.tasks(selectors.TaskFilter(due_from=start, due_to=end), today=today).order_by()
            .values_list("bucket").annotate(n=Count("id")))
    return Counter(dict(rows))


def listed(client, url: str) -> int:
    """How many tasks the list behind a number shows, page after page."""
    n, page = 0, 1
    while True:
        data = client.get(f"{url}&format=json&page={page}").json()
        n += len(data["results"])
        if not data["has_next"]:
            return n
        page += 1


def test_dashboard_counts_equal_the_tasks_after_a_random_history(web, org, monkeypatch):
    clock = Clock(monkeypatch, D("2025-01-01"))
    random_history(clock, org, seed=11, end=D("2025-06-30"))
    due_today = selectors.tasks(selectors.TaskFilter(buckets=("not_due", "in_progress"), due_from=D("2025-07-01"))
                                ).values_list("due_date", flat=True)[0]  # on its deadline a task is not overdue
    seen = set()
    for today in (D("2025-06-30"), due_today, D("2025-08-14")):
        clock.day = today
        client = web("officer")  # signed in today (a session of June has expired by August)
        # a year and a quarter (the trend's months), a month (six months of trend), a range of days
        for period, (start, end) in (("2025", (D("2025-01-01"), D("2025-12-31"))),
                                     ("2025-Q2", (D("2025-04-01"), D("2025-06-30"))),
                                     ("2025-05", (D("2025-05-01"), D("2025-05-31"))),
                                     ("2025-03-10..2025-07-20", (D("2025-03-10"), D("2025-07-20")))):
            data = client.get(f"/tong-quan/?format=json&period={period}").json()
            expected = counted(start, end, today)
            assert {k: s["n"] for k, s in data["states"].items()} == {k: expected[k] for k in data["states"]}, (
                today, period)
            assert data["total"] == sum(expected.values()) > 0
            for month in data["trend"]:
                first = D(month["month"] + "-01")
                by = counted(first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1), today)
                assert month == {"month": month["month"], "done_on_time": by["done_on_time"],
                                 "done_late": by["done_late"], "open": by["not_due"] + by["in_progress"],
                                 "overdue": by["overdue"]}, (today, period)
            seen |= {k for k, s in data["states"].items() if s["n"]}
    for state in data["states"].values():  # the last period's lists
        assert listed(client, state["url"]) == state["n"]
    assert seen == set(data["states"])  # every state drawn: overdue, in progress, not due, done on time and late...
