"""Reminder windows as pure functions of dates: no database, no clock.

A task is in at most one window of each *track* on a given day, the last one that opened:

    deadline track   before:7 → before:1 → due → overdue:1 → overdue:2 ...   (focal points of the lead agency)
    escalate track   escalate:1 → escalate:2 ...                               (the assigning office)
    stale track      stale:1 → stale:2 ...   counted from the last progress report, or from when the task
                                             was given when it has none                (focal points)
    nodeadline track nodeadline:1 → nodeadline:2 ... counted from when the task was given (focal points)

A window's key names the deadline (or progress day) it was computed from — ``before:7@2026-06-30`` — so an
approved extension opens fresh windows for the new deadline, and a new progress report restarts the stale count.
A pass that did not run on the day a window opened still finds the window the task is in (a task confirmed
today with a deadline in three working days gets ``before:7`` today); windows passed over entirely are not sent
late (after a week without passes, a task now overdue gets ``overdue:n``, not the ``before:1`` it missed).

"Before" windows count working days (the default, ``DAYS="working"``): ``before:1`` of a deadline on Thursday
11/02/2027, the first working day after Tết Đinh Mùi, opens on Wednesday 03/02/2027, the last working day
before the holiday; with ``DAYS="calendar"`` it would open on 10/02, in the middle of Tết. Overdue, escalation,
stale and no-deadline periods are calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dondoc.extract.workdays import add_working_days, is_working_day

from .conf import Config

KINDS = ("before", "due", "overdue", "escalate", "stale", "nodeadline")
FOCAL_KINDS = ("before", "due", "overdue", "stale", "nodeadline")  # told to the lead agency's focal points


@dataclass(frozen=True, slots=True)
class Window:
    kind: str  # one of KINDS
    n: int  # days before (before), the repeat number (overdue, escalate, stale, nodeadline); 0 for due
    anchor: date | None  # the deadline (before, due, overdue, escalate), the last progress day (stale), else None
    opens_on: date

    @property
    def key(self) -> str:
        if self.kind == "due":
            return f"due@{self.anchor.isoformat()}"
        if self.kind == "nodeadline":
            return f"nodeadline:{self.n}"
        return f"{self.kind}:{self.n}@{self.anchor.isoformat() if self.anchor else 'none'}"


def _days(n: int) -> timedelta:
    return timedelta(days=n)


@lru_cache(maxsize=8192)
def _working_back(due: date, n: int) -> date:
    return add_working_days(due, -n)


def before_opens(due: date, n: int, config: Config) -> date:
    """The day ``before:n`` of a deadline opens: ``n`` working (or calendar) days before it."""
    return _working_back(due, n) if config.working_days else due - _days(n)


def _periodic(k: int, first: int, repeat: int) -> tuple[int, int]:
    """(repeat number, days after the anchor it opened) for ``k`` days after the anchor, ``k >= first``."""
    n = 1 + (k - first) // repeat if repeat else 1
    return n, first + (n - 1) * repeat


def deadline_window(due: date, today: date, config: Config) -> Window | None:
    """The deadline track's window on ``today`` for a task due on ``due``, or None before the first opens."""
    k = (today - due).days
    if k >= config.OVERDUE_FIRST:
        n, after = _periodic(k, config.OVERDUE_FIRST, config.OVERDUE_REPEAT)
        return Window("overdue", n, due, due + _days(after))
    if k >= 0 and config.ON_DUE_DAY:
        return Window("due", 0, due, due)
    for n in sorted(config.BEFORE_DAYS):  # the latest-opening first
        opens = before_opens(due, n, config)
        if opens <= today:
            return Window("before", n, due, opens)
    return None


def escalation_window(due: date, today: date, config: Config) -> Window | None:
    if config.ESCALATE_AFTER is None:
        return None
    first = max(config.ESCALATE_AFTER, 1)
    k = (today - due).days
    if k < first:
        return None
    n, after = _periodic(k, first, config.ESCALATE_REPEAT)
    return Window("escalate", n, due, due + _days(after))


def stale_window(since: date, reported: bool, today: date, config: Config) -> Window | None:
    """No progress report since ``since`` (the last report when ``reported``, else the day the task was given)."""
    if config.STALE_DAYS is None:
        return None
    age = (today - since).days
    if age < config.STALE_DAYS:
        return None
    n = age // config.STALE_DAYS
    return Window("stale", n, since if reported else None, since + _days(n * config.STALE_DAYS))


def no_deadline_window(given: date, today: date, config: Config) -> Window | None:
    if config.NO_DEADLINE_DAYS is None:
        return None
    age = (today - given).days
    if age < config.NO_DEADLINE_DAYS:
        return None
    n = age // config.NO_DEADLINE_DAYS
    return Window("nodeadline", n, None, given + _days(n * config.NO_DEADLINE_DAYS))


def upcoming(today: date, config: Config) -> dict[date, Window]:
    """Every deadline whose task is, on ``today``, in a before-the-deadline (or due-day) window — not yet
    overdue — with that window: a handful of dates, so the tasks are one indexed range query on ``due_date``."""
    out: dict[date, Window] = {}
    if not config.BEFORE_DAYS and not config.ON_DUE_DAY:
        return out
    due = today - _days(config.OVERDUE_FIRST - 1)
    widest = max(config.BEFORE_DAYS, default=0)
    while due <= today or before_opens(due, widest, config) <= today:
        window = deadline_window(due, today, config)
        if window is not None and window.kind in ("before", "due"):
            out[due] = window
        due += _days(1)
    return out


def working_days_left(today: date, due: date) -> int:
    """Working days after ``today`` up to and including ``due`` (0 when due today or past)."""
    n, day = 0, today
    while day < due:
        day += _days(1)
        n += is_working_day(day)
    return n
