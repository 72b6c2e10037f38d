"""The formula as pure functions: one task's state and category, a group's record, the ranking."""

from datetime import date

import pytest

from dondoc.kpis.formula import (
    FORMULA_VERSION,
    Category,
    KpiRecord,
    Organisation,
    Tally,
    classify,
    rank,
    tally_tasks,
    task_state,
)
from dondoc.tracking.states import TransitionError

D = date.fromisoformat
Q3 = (D("2025-07-01"), D("2025-09-30"))


def created(due="2025-08-31", lead=(1,), on="2025-07-01", draft=False):
    return ("created", D(on), {"content": "Rà soát", "lead": list(lead), "due": due, "draft": draft})


def category(events, as_of, period=Q3):
    state = task_state(1, events, D(as_of))
    return classify(state, *period, D(as_of)) if state else None


def test_the_formula_is_versioned():
    assert FORMULA_VERSION == "2026.1"


def test_a_task_is_judged_by_the_deadline_in_force_on_the_as_of_day():
    events = [created(due="2025-09-20"),
              ("extension_requested", D("2025-09-10"), {"due": "2025-10-31"}),
              ("extension_approved", D("2025-09-12"), {})]
    assert category(events, "2025-09-11") == (Category.IN_PROGRESS, 0)
    assert category(events, "2025-09-30") == (None, 0)  # moved to Q4 on 12/9
    assert category(events, "2025-11-05", period=(D("2025-10-01"), D("2025-12-31"))) == (Category.OVERDUE, 5)


def test_done_late_counts_the_days_from_the_deadline_to_the_completion():
    events = [created(due="2025-08-31"), ("completed", D("2025-09-04"), {})]
    assert category(events, "2025-09-30") == (Category.DONE_LATE, 4)
    assert category(events, "2025-09-03") == (Category.OVERDUE, 3)  # before it was finished


def test_a_task_without_deadline_belongs_to_the_period_it_was_assigned_in():
    events = [created(due=None, on="2025-06-30")]
    assert category(events, "2025-09-30") == (None, 0)
    assert category(events, "2025-09-30", period=(D("2025-04-01"), D("2025-06-30"))) == (Category.NO_DEADLINE_OPEN, 0)


def test_a_task_not_yet_assigned_or_still_a_draft_is_not_counted():
    assert task_state(1, [created(on="2025-07-10")], D("2025-07-09")) is None
    assert category([created(draft=True)], "2025-09-30") == (None, 0)


def test_a_history_that_cannot_be_replayed_raises():
    with pytest.raises(TransitionError):
        task_state(1, [created(), ("completed", D("2025-07-05"), {}), ("completed", D("2025-07-06"), {})],
                   D("2025-09-30"))


def test_the_record_adds_up_and_its_rates_follow_the_documented_formula():
    tally = Tally()
    for cat, days in ((Category.DONE_ON_TIME, 0), (Category.DONE_ON_TIME, 0), (Category.DONE_LATE, 6),
                      (Category.OVERDUE, 10), (Category.OVERDUE, 20), (Category.IN_PROGRESS, 0),
                      (Category.WITHDRAWN, 0), (Category.TRANSFERRED, 0), (Category.NO_DEADLINE_DONE, 0)):
        tally.add(cat, days)
    tally.add(None, granted=2)
    r = KpiRecord.from_tally(1, "Bộ Y tế", tally)
    assert (r.assigned, r.with_deadline, r.without_deadline, r.transferred, r.extensions_granted) == (8, 7, 1, 1, 2)
    assert (r.judged, r.on_time_rate, r.overdue_rate) == (5, 0.4, round(2 / 6, 6))
    assert (r.avg_days_late, r.avg_days_overdue) == (6.0, 15.0)
    assert r.to_json()["on_time_rate"] == 0.4 and r.to_json()["agency"] == "Bộ Y tế"


def test_an_empty_record_has_no_rates_rather_than_zero_or_a_division_error():
    r = KpiRecord.from_tally(1, "Bộ Y tế", Tally())
    assert (r.on_time_rate, r.overdue_rate, r.avg_days_late, r.avg_days_overdue, r.empty) == (None,) * 4 + (True,)


ORG = Organisation(parents={1: None, 2: 1, 3: 2, 4: None, 5: None}, names={1: "Bộ", 2: "Cục", 3: "Chi cục",
                                                                              4: "Bộ cũ", 5: "Bộ mới"},
                   successions=((4, 5, D("2025-03-01")),))


def test_units_and_predecessors_roll_up_from_the_merger_day():
    assert ORG.scope(1, units=True, lineage=True, as_of=D("2025-01-01")) == {1, 2, 3}
    assert ORG.scope(5, units=False, lineage=True, as_of=D("2025-02-28")) == {5}
    assert ORG.scope(5, units=False, lineage=True, as_of=D("2025-03-01")) == {4, 5}
    assert ORG.default_groups(units=True, lineage=True, as_of=D("2025-03-01")) == [1, 5]
    assert ORG.default_groups(units=False, lineage=False, as_of=D("2025-03-01")) == [1, 2, 3, 4, 5]


def test_a_task_led_by_a_ministry_and_its_unit_counts_once_for_the_ministry():
    members = ORG.members([1, 2], units=True, lineage=True, as_of=D("2025-09-30"))
    state = task_state(9, [created(lead=(1, 3))], D("2025-09-30"))
    tallies = tally_tasks([state], *Q3, D("2025-09-30"), members)
    assert (tallies[1].counts, tallies[2].counts) == ({"overdue": 1}, {"overdue": 1})  # once each, not twice


def record(agency_id, name, on_time=0, late=0, overdue=0, days_overdue=0):
    return KpiRecord(agency_id=agency_id, agency=name, done_on_time=on_time, done_late=late, overdue=overdue,
                     days_overdue_total=days_overdue)


def test_commendation_needs_enough_tasks_and_prefers_fewer_overdue_on_equal_rates():
    records = [record(1, "A", on_time=9, late=1), record(2, "B", on_time=18, overdue=2),
               record(3, "C", on_time=3), record(4, "D", on_time=4, late=4)]
    ranking = rank(records, min_judged=5)
    assert [r.agency for r in ranking.commend] == ["A", "B", "D"]  # C has only 3 judged tasks; A and B tie at 90 %


def test_criticism_goes_to_the_most_overdue_then_the_lowest_rate_then_the_longest_delay():
    records = [record(1, "A", on_time=1, overdue=3, days_overdue=30), record(2, "B", on_time=5, overdue=3,
                                                                              days_overdue=90),
               record(3, "C", overdue=1, days_overdue=5), record(4, "D", on_time=1, overdue=3, days_overdue=60),
               record(5, "E", on_time=7)]
    assert [r.agency for r in rank(records).criticise] == ["D", "A", "B", "C"]
    assert [r.agency for r in rank(records, limit=2).criticise] == ["D", "A"]
