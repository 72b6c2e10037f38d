"""Reminder windows as pure date arithmetic, with Vietnamese working days (Tết Đinh Mùi 2027: 04–10/02)."""

from datetime import date

import pytest

from dondoc.reminders.conf import ConfigError, make_config
from dondoc.reminders.recurrence import nth_due
from dondoc.reminders.windows import (
    deadline_window,
    escalation_window,
    no_deadline_window,
    stale_window,
    upcoming,
    working_days_left,
)


def get_config(**keys):
    return make_config(keys)  # the defaults, whatever the project's settings say


WORKING = get_config()  # defaults: 7 and 1 working days before, on the day, every 7 days overdue
CALENDAR = get_config(DAYS="calendar")
AFTER_TET = date(2027, 2, 11)  # Thursday, the first working day after Tết


def key(due, today, config=WORKING):
    window = deadline_window(due, today, config)
    return window and window.key


def test_working_day_windows_skip_tet():
    # before:1 is the last working day before the holiday, not a day in the middle of Tết
    assert deadline_window(AFTER_TET, date(2027, 2, 3), WORKING).opens_on == date(2027, 2, 3)
    # seven working days before: 03, 02, 01/02, 29, 28, 27, 26/01
    assert deadline_window(AFTER_TET, date(2027, 1, 26), WORKING).opens_on == date(2027, 1, 26)
    assert key(AFTER_TET, date(2027, 1, 25)) is None
    assert key(AFTER_TET, date(2027, 1, 26)) == "before:7@2027-02-11"
    assert key(AFTER_TET, date(2027, 2, 2)) == "before:7@2027-02-11"
    assert key(AFTER_TET, date(2027, 2, 3)) == "before:1@2027-02-11"
    assert key(AFTER_TET, date(2027, 2, 8)) == "before:1@2027-02-11"  # during Tết: still the same window
    assert key(AFTER_TET, AFTER_TET) == "due@2027-02-11"
    assert key(AFTER_TET, date(2027, 2, 12)) == "overdue:1@2027-02-11"
    assert key(AFTER_TET, date(2027, 2, 18)) == "overdue:1@2027-02-11"
    assert key(AFTER_TET, date(2027, 2, 19)) == "overdue:2@2027-02-11"
    assert key(AFTER_TET, date(2027, 3, 5)) == "overdue:4@2027-02-11"


def test_calendar_days_land_in_tet():
    assert key(AFTER_TET, date(2027, 2, 3), CALENDAR) is None
    assert key(AFTER_TET, date(2027, 2, 4), CALENDAR) == "before:7@2027-02-11"
    assert deadline_window(AFTER_TET, date(2027, 2, 10), CALENDAR).opens_on == date(2027, 2, 10)


def test_monday_deadline_reminded_on_friday():
    monday = date(2026, 12, 14)
    assert key(monday, date(2026, 12, 11)) == "before:1@2026-12-14"
    assert key(monday, date(2026, 12, 10)) == "before:7@2026-12-14"


def test_upcoming_lists_the_deadlines_whose_before_window_is_open():
    today = date(2027, 2, 3)  # Wednesday before Tết
    soon = upcoming(today, WORKING)
    assert soon[date(2027, 2, 3)].key == "due@2027-02-03"
    assert soon[AFTER_TET].key == "before:1@2027-02-11"
    assert soon[date(2027, 2, 12)].kind == "before" and soon[date(2027, 2, 12)].n == 7
    assert max(soon) == add_7_working(today)
    assert date(2027, 2, 2) not in soon  # overdue since yesterday: another query's business
    # every deadline listed is exactly one whose window is open today
    for due, window in soon.items():
        assert deadline_window(due, today, WORKING) == window


def add_7_working(day):
    from dondoc.extract.workdays import add_working_days

    return add_working_days(day, 7)


def test_overdue_repeat_zero_means_once_and_first_can_wait():
    once = get_config(OVERDUE_REPEAT=0, OVERDUE_FIRST=3)
    due = date(2026, 6, 30)
    assert key(due, date(2026, 7, 2), once) == "due@2026-06-30"
    assert key(due, date(2026, 7, 3), once) == "overdue:1@2026-06-30"
    assert key(due, date(2027, 7, 3), once) == "overdue:1@2026-06-30"


def test_escalation_stale_and_no_deadline_windows():
    config = get_config(ESCALATE_AFTER=14, ESCALATE_REPEAT=30, STALE_DAYS=30, NO_DEADLINE_DAYS=45)
    due = date(2026, 6, 30)
    assert escalation_window(due, date(2026, 7, 13), config) is None
    assert escalation_window(due, date(2026, 7, 14), config).key == "escalate:1@2026-06-30"
    assert escalation_window(due, date(2026, 8, 13), config).key == "escalate:2@2026-06-30"
    assert stale_window(date(2026, 5, 1), True, date(2026, 5, 30), config) is None
    assert stale_window(date(2026, 5, 1), True, date(2026, 5, 31), config).key == "stale:1@2026-05-01"
    assert stale_window(date(2026, 5, 1), False, date(2026, 7, 1), config).key == "stale:2@none"
    assert no_deadline_window(date(2026, 5, 1), date(2026, 6, 15), config).key == "nodeadline:1"
    assert get_config(ESCALATE_AFTER=None) and escalation_window(due, date(2027, 1, 1), get_config(
        ESCALATE_AFTER=None)) is None


def test_working_days_left_counts_no_holiday():
    assert working_days_left(date(2027, 2, 3), AFTER_TET) == 1
    assert working_days_left(date(2027, 2, 1), AFTER_TET) == 3
    assert working_days_left(AFTER_TET, AFTER_TET) == 0


@pytest.mark.parametrize(("first", "rhythm", "k", "expected"), [
    (date(2026, 3, 20), "quarterly", 1, date(2026, 6, 20)),
    (date(2026, 3, 31), "quarterly", 1, date(2026, 6, 30)),  # a quarter's end stays the quarter's end
    (date(2026, 3, 31), "quarterly", 3, date(2026, 12, 31)),
    (date(2026, 1, 31), "monthly", 1, date(2026, 2, 28)),
    (date(2026, 1, 31), "monthly", 2, date(2026, 3, 31)),
    (date(2026, 1, 30), "monthly", 1, date(2026, 2, 28)),
    (date(2026, 1, 30), "monthly", 2, date(2026, 3, 30)),  # counted from the first, no drift
    (date(2026, 12, 25), "monthly", 1, date(2027, 1, 25)),
    (date(2024, 2, 29), "yearly", 1, date(2025, 2, 28)),
    (date(2026, 12, 4), "weekly", 2, date(2026, 12, 18)),
    (date(2026, 12, 4), "daily", 1, None),
])
def test_next_due_of_a_recurrence(first, rhythm, k, expected):
    assert nth_due(first, rhythm, k) == expected


@pytest.mark.parametrize("keys", [{"DAYS": "lunar"}, {"BEFORE_DAYS": (0,)}, {"OVERDUE_FIRST": 0},
                                  {"STALE_DAYS": 0}, {"UNKNOWN": 1}])
def test_bad_settings_are_refused_with_a_message(keys):
    with pytest.raises(ConfigError, match="DONDOC_REMINDERS"):
        get_config(**keys)
