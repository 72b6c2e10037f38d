"""The KPI formula, as pure functions of a task's events: no database, no clock. Version ``FORMULA_VERSION``.

Every figure is "as of" one day (the as-of day, default today): a task's state is what its events dated on or
before that day say (``states.replay(events, as_of)``), so the figures of a past month are rebuilt exactly from
the events, whatever happened afterwards. A report also records the last event number it read (``until_seq``);
computing again with the same as-of day and ``until_seq`` gives the same figures even after late reports
(a completion entered in October and dated in September changes September's figures from then on, as it should).

Formula 2026.1
--------------
Scope. A task counts for a period when, as of the as-of day, it exists (its ``created`` event is dated on or
before that day), is confirmed (not a draft, not discarded) and either

* its deadline in force as of the as-of day (the original one, or the last extension approved on or before that
  day) falls within the period — a task "with a deadline in the period"; or
* it has no deadline as of the as-of day and was assigned within the period (its ``created`` day, i.e. the day of
  the assigning document) — a task "without a deadline" (không giao thời hạn).

Attribution. A task counts for the agency that leads it (chủ trì) as of the as-of day, once for each lead when
several share it. A transferred task counts for the receiving agency (the new task opened for it, with the
deadline it was given); for the giver it only shows under ``transferred`` and in no other figure. After a merger
the successor leads the task from the merger day on; with ``lineage`` a successor's figures also include its
predecessors' tasks (mergers effective on or before the as-of day), and with ``units`` an agency's include its
units' (Cục under its Bộ, Sở under its province): each task then counts once for the group, even when two of the
group's agencies lead it together.

Buckets of a task with a deadline in the period, as of the as-of day D (the report buckets of QĐ 42/2014/QĐ-TTg):

========================  ==========================================================================
``done_on_time``          finished on or before the deadline in force when it was finished
``done_late``             finished after it
``in_progress``           not finished and D is not after the deadline (chưa hoàn thành, trong hạn)
``overdue``               not finished and D is after the deadline (chưa hoàn thành, quá hạn)
``withdrawn``             no longer to be done, with the leadership's agreement (không tiếp tục thực hiện)
``transferred``           given to another agency (đã chuyển); not counted in ``assigned``
========================  ==========================================================================

``assigned`` = ``with_deadline`` + ``without_deadline``; ``with_deadline`` = done on time + done late + in
progress + overdue + withdrawn. Tasks without a deadline are counted apart (``without_deadline``, of which
``without_deadline_done`` finished and ``without_deadline_open`` not) and take no part in the rates: a task
without a deadline cannot be late.

On-time rate = done on time / (done on time + done late + overdue). Open overdue tasks are in the denominator:
a rate over finished tasks only would show "100 % on time" beside a list of overdue tasks (the pitfall offices
met). Tasks still within their deadline are not in it (they can still finish on time, so they cannot be judged
yet), nor are withdrawn and transferred tasks (not the agency's performance). None when nothing can be judged.

Overdue rate = overdue / (with_deadline − withdrawn): the headline "chưa hoàn thành quá hạn" as a share of the
tasks due in the period.

Days late (calendar days): for a task done late, completion day − deadline in force; for an open overdue task,
as-of day − deadline. Their averages are reported separately (``avg_days_late`` over done-late tasks,
``avg_days_overdue`` over open overdue ones), never mixed.

Extensions granted = extension approvals dated within the period and on or before the as-of day, on any task the
agency leads as of the as-of day (whether or not the task's deadline is in the period: an extension that moved a
deadline out of the period is exactly one to report).

Ranking (``rank``). Commendation (biểu dương): agencies with at least ``min_judged`` tasks in the on-time rate's
denominator, highest on-time rate first; ties go to fewer open overdue tasks, then to more judged tasks, then by
name. Criticism (phê bình, nhắc nhở): agencies with open overdue tasks, most overdue first; ties go to the lower
on-time rate, then to the longer average overdue, then by name. Rates are compared as exact fractions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from dondoc.tracking import states

FORMULA_VERSION = "2026.1"

# ------------------------------------------------------------------------------------------------ one task


class Category(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"
    NO_DEADLINE_OPEN = "no_deadline_open"
    NO_DEADLINE_DONE = "no_deadline_done"
    NO_DEADLINE_WITHDRAWN = "no_deadline_withdrawn"
    NO_DEADLINE_TRANSFERRED = "no_deadline_transferred"


@dataclass(frozen=True)
class TaskState:
    """What the formula needs to know about one task as of the as-of day."""

    task_id: int
    status: str  # Task.Status: draft | open | done | withdrawn | transferred | discarded
    lead: tuple[int, ...]
    due: date | None  # the deadline in force as of the as-of day
    assigned_on: date  # the day of its ``created`` event
    done_on: date | None = None
    done_late: bool | None = None
    approvals: tuple[date, ...] = ()  # days of the extensions approved on or before the as-of day


Event = tuple[str, date, Mapping[str, Any]]  # (kind, on, data), in the order of the chain


def task_state(task_id: int, events: Sequence[Event], as_of: date) -> TaskState | None:
    """The task as of ``as_of`` from its events (oldest first); None when it did not exist yet.
    Raises ``states.TransitionError`` when the events dated up to that day do not make a valid history."""
    if not events or events[0][0] != "created" or events[0][1] > as_of:
        return None
    snap = states.replay(events, as_of=as_of)
    approvals = tuple(on for kind, on, _ in events if kind == "extension_approved" and on <= as_of)
    return TaskState(task_id=task_id, status=snap.status, lead=snap.lead, due=snap.due, assigned_on=events[0][1],
                     done_on=snap.done_on, done_late=snap.done_late, approvals=approvals)


OPEN = "open"  # an open task with a deadline, before the as-of day decides between in progress and overdue
NO_DEADLINE = {"open": Category.NO_DEADLINE_OPEN, "done": Category.NO_DEADLINE_DONE,
               "withdrawn": Category.NO_DEADLINE_WITHDRAWN, "transferred": Category.NO_DEADLINE_TRANSFERRED}


def standing(task: TaskState) -> tuple[date, str, int] | None:
    """Where the task counts, whatever the period: the day that places it in a period (its deadline in force, or
    the day it was assigned when it has none), its category apart from the as-of day (``OPEN`` for an open task
    with a deadline: in progress or overdue depending on that day) and its days late (done late: completion −
    deadline, else 0). None for drafts and discarded tasks. ``classify`` is this, then the period and the as-of
    day; ``tracking.tallies`` keeps the counts of the present per day and category from it."""
    if task.status in ("draft", "discarded"):
        return None
    if task.due is None:
        return task.assigned_on, NO_DEADLINE[task.status], 0
    if task.status == "done":
        if task.done_late:
            return task.due, Category.DONE_LATE, (task.done_on - task.due).days
        return task.due, Category.DONE_ON_TIME, 0
    if task.status == "open":
        return task.due, OPEN, 0
    return task.due, Category(task.status), 0  # withdrawn | transferred


def classify(task: TaskState, start: date, end: date, as_of: date) -> tuple[Category | None, int]:
    """The task's category for the period [start, end] as of ``as_of`` (None: not in scope), and its days late
    (done late: completion − deadline; open overdue: as-of day − deadline; otherwise 0)."""
    placed = standing(task)
    if placed is None or not start <= placed[0] <= end:
        return None, 0
    day, category, days = placed
    if category == OPEN:
        return (Category.OVERDUE, (as_of - day).days) if as_of > day else (Category.IN_PROGRESS, 0)
    return Category(category), days


def extensions_granted(task: TaskState, start: date, end: date) -> int:
    """Approvals dated within [start, end] (the task's approvals are already those up to the as-of day)."""
    return sum(start <= on <= end for on in task.approvals)


# ------------------------------------------------------------------------------------------------ per agency


@dataclass
class Tally:
    """Counts of one agency (or group), added task by task or from SQL aggregates."""

    counts: dict[str, int] = field(default_factory=dict)
    days_late: int = 0
    days_overdue: int = 0
    extensions: int = 0

    def add(self, category: Category | str | None, days: int = 0, granted: int = 0, n: int = 1) -> None:
        if category is not None:
            self.counts[str(category)] = self.counts.get(str(category), 0) + n
            if category == Category.DONE_LATE:
                self.days_late += days
            elif category == Category.OVERDUE:
                self.days_overdue += days
        self.extensions += granted


@dataclass(frozen=True)
class KpiRecord:
    """The KPIs of one agency (with its units and predecessors when asked) for one period as of one day."""

    agency_id: int | None
    agency: str
    assigned: int = 0
    with_deadline: int = 0
    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    withdrawn: int = 0
    without_deadline: int = 0
    without_deadline_done: int = 0
    without_deadline_open: int = 0
    transferred: int = 0
    extensions_granted: int = 0
    days_late_total: int = 0
    days_overdue_total: int = 0

    @classmethod
    def from_tally(cls, agency_id: int | None, agency: str, tally: Tally) -> KpiRecord:
        c = tally.counts.get
        with_deadline = sum(c(k, 0) for k in ("done_on_time", "done_late", "in_progress", "overdue", "withdrawn"))
        without = sum(c(k, 0) for k in ("no_deadline_open", "no_deadline_done", "no_deadline_withdrawn"))
        return cls(
            agency_id=agency_id, agency=agency, assigned=with_deadline + without, with_deadline=with_deadline,
            done_on_time=c("done_on_time", 0), done_late=c("done_late", 0), in_progress=c("in_progress", 0),
            overdue=c("overdue", 0), withdrawn=c("withdrawn", 0), without_deadline=without,
            without_deadline_done=c("no_deadline_done", 0), without_deadline_open=c("no_deadline_open", 0),
            transferred=c("transferred", 0) + c("no_deadline_transferred", 0),
            extensions_granted=tally.extensions, days_late_total=tally.days_late,
            days_overdue_total=tally.days_overdue,
        )

    @property
    def judged(self) -> int:
        """The on-time rate's denominator: done on time + done late + open overdue."""
        return self.done_on_time + self.done_late + self.overdue

    @property
    def on_time_fraction(self) -> Fraction | None:
        return Fraction(self.done_on_time, self.judged) if self.judged else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.done_on_time / self.judged, 6) if self.judged else None

    @property
    def overdue_rate(self) -> float | None:
        base = self.with_deadline - self.withdrawn
        return round(self.overdue / base, 6) if base else None

    @property
    def avg_days_late(self) -> float | None:
        return round(self.days_late_total / self.done_late, 2) if self.done_late else None

    @property
    def avg_days_overdue(self) -> float | None:
        return round(self.days_overdue_total / self.overdue, 2) if self.overdue else None

    @property
    def empty(self) -> bool:
        return not (self.assigned or self.transferred or self.extensions_granted)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for name in ("judged", "on_time_rate", "overdue_rate", "avg_days_late", "avg_days_overdue"):
            out[name] = getattr(self, name)
        return out


COUNT_FIELDS = tuple(f.name for f in fields(KpiRecord) if f.name not in ("agency_id", "agency"))


# ------------------------------------------------------------------------------------------------ grouping


@dataclass(frozen=True)
class Organisation:
    """The agency tree and successions, as plain data: {id: parent id}, {id: name}, (predecessor, successor,
    effective day) triples."""

    parents: Mapping[int, int | None]
    names: Mapping[int, str]
    successions: tuple[tuple[int, int, date], ...] = ()
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _links(self, units: bool, lineage: bool, as_of: date) -> dict[int, tuple[int, ...]]:
        """{agency: its units and the agencies it succeeded by ``as_of``}, as asked; built once per question."""
        key = (units, lineage, as_of)
        if key not in self._cache:
            links: dict[int, list[int]] = {}
            if units:
                for child, parent in self.parents.items():
                    if parent is not None:
                        links.setdefault(parent, []).append(child)
            if lineage:
                for old, new, on in self.successions:
                    if on <= as_of:
                        links.setdefault(new, []).append(old)
            self._cache[key] = {a: tuple(b) for a, b in links.items()}
        return self._cache[key]

    def scope(self, agency_id: int, *, units: bool, lineage: bool, as_of: date) -> set[int]:
        """The agency with, optionally, its units (recursively) and the agencies it succeeded by ``as_of``
        (recursively, with their units) — ``services.agency_scope`` with the succession's date respected."""
        links = self._links(units, lineage, as_of)
        seen, frontier = {agency_id}, [agency_id]
        while frontier:
            found = {n for a in frontier for n in links.get(a, ())}
            frontier = list(found - seen)
            seen |= found
        return seen

    def default_groups(self, *, units: bool, lineage: bool, as_of: date) -> list[int]:
        """Every agency that reports on its own: with ``units`` only those without a parent, with ``lineage``
        none that was merged into another by ``as_of``."""
        merged = {old for old, _, on in self.successions if on <= as_of} if lineage else set()
        return [a for a, parent in self.parents.items() if a not in merged and not (units and parent is not None)]

    def members(self, groups: Iterable[int], *, units: bool, lineage: bool, as_of: date) -> dict[int, set[int]]:
        """{agency id: the groups it counts for}."""
        out: dict[int, set[int]] = {}
        for g in groups:
            for a in self.scope(g, units=units, lineage=lineage, as_of=as_of):
                out.setdefault(a, set()).add(g)
        return out


def tally_tasks(tasks: Iterable[TaskState], start: date, end: date, as_of: date,
                members: Mapping[int, set[int]]) -> dict[int, Tally]:
    """Per group, the tally of the tasks: each task once per group its leads belong to."""
    out: dict[int, Tally] = {}
    for task in tasks:
        category, days = classify(task, start, end, as_of)
        granted = extensions_granted(task, start, min(end, as_of))
        if category is None and not granted:
            continue
        for g in set().union(*(members.get(a, ()) for a in task.lead)):
            out.setdefault(g, Tally()).add(category, days, granted)
    return out


# ------------------------------------------------------------------------------------------------ ranking


@dataclass(frozen=True)
class Ranking:
    commend: list[KpiRecord]
    criticise: list[KpiRecord]
    min_judged: int


def rank(records: Iterable[KpiRecord], *, min_judged: int = 5, limit: int | None = None) -> Ranking:
    """Agencies for commendation and for criticism (the rule is in the module's docstring)."""
    records = [r for r in records if r.agency_id is not None]
    commend = sorted((r for r in records if r.judged >= max(min_judged, 1)),
                     key=lambda r: (-r.on_time_fraction, r.overdue, -r.judged, r.agency, r.agency_id))
    criticise = sorted((r for r in records if r.overdue > 0),
                       key=lambda r: (-r.overdue, r.on_time_fraction, -Fraction(r.days_overdue_total, r.overdue),
                                      r.agency, r.agency_id))
    return Ranking(commend=commend[:limit], criticise=criticise[:limit], min_judged=min_judged)
