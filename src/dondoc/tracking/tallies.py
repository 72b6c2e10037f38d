"""The KPIs of the present, kept up to date as events are written (``LeadTally``): per lead agency and day, how many
tasks it leads now count there in each category, so that the figures as of today for any period are sums over a few
thousand rows instead of a replay of every candidate task's events (``kpis.compute``, ``method="tallies"``).

A task counts where ``kpis.formula.standing`` places it: its deadline in force, or the day it was assigned when it
has none, in its category apart from the as-of day ("open": in progress or overdue); each approved extension counts
on the day it was approved. It counts in the row of each of its lead agencies, once in the total row, and, when
several agencies lead it, in a "shared" row of each of them naming them all: a group holding two of them (an agency
with its units, a successor with its predecessor) then subtracts the second count (``kpis.compute``).

``record`` applies the difference one event makes, in the transaction that appends it (after the chain head's
lock, so writers come one at a time); ``rebuild`` computes everything again from the tasks' cached columns, their
active lead rows and their events (the migration's backfill, and bulk loaders that write rows directly). Every
row exists per day and per month: a period reads its whole months from month rows and only the days of partial
months from day rows; overdue tasks are the open ones due before the as-of day, read the same way.

``DueTally`` is the dashboard's counterpart: per deadline, every confirmed task due that day (with or without a
lead) by state, open ones apart by whether progress was reported, so a period's counts by bucket as of today are a
sum over its days (``due_buckets``). ``LeadTally`` cannot give them: it holds only tasks with a lead and does not
tell "in progress" (progress reported) from "not due". ``record`` and ``rebuild`` keep both.

The present is what the cached columns say: every event is dated on or before the day it is written (the services
refuse future days), so as of today or later the events give the same state as the columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Max, Q, Sum

from dondoc.kpis import formula

from . import states
from .models import DueTally, Event, LeadTally, Task, TaskAgency

EPOCH = date(1970, 1, 1)
DAY, MONTH = LeadTally.Grain.DAY.value, LeadTally.Grain.MONTH.value
AGENCY, SHARED, TOTAL = LeadTally.Kind.AGENCY.value, LeadTally.Kind.SHARED.value, LeadTally.Kind.TOTAL.value
COLUMNS = ("done_on_time", "done_late", "open", "withdrawn", "transferred", "no_deadline_open", "no_deadline_done",
           "no_deadline_withdrawn", "no_deadline_transferred", "extensions", "days_late", "open_days")
_AT = {name: i for i, name in enumerate(COLUMNS)}
# what ``present`` gives for each row: the categories of ``kpis.formula``, then extensions, days late, days overdue
FIGURES = ("done_on_time", "done_late", "in_progress", "overdue", "withdrawn", "transferred", "no_deadline_open",
           "no_deadline_done", "no_deadline_withdrawn", "no_deadline_transferred", "extensions", "days_late",
           "days_overdue")

Key = tuple[str, str, date, int, str]  # kind, grain, day, agency, leads


def lead_key(leads: Iterable[int]) -> str:
    """A set of lead agencies as shared rows name it: ids ascending, comma-separated."""
    return ",".join(str(a) for a in sorted({int(a) for a in leads}))


def amounts(task: formula.TaskState) -> dict[date, dict[str, int]]:
    """What one task adds, by day: {day: {column: amount}} (its standing, its approvals)."""
    out: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    placed = formula.standing(task)
    if placed is not None:
        day, category, days = placed
        out[day][str(category)] += 1
        if days:
            out[day]["days_late"] += days
        if category == formula.OPEN:
            out[day]["open_days"] += (day - EPOCH).days
    for on in task.approvals:
        out[on]["extensions"] += 1
    return out


def owners(leads: tuple[int, ...]) -> list[tuple[str, int, str]]:
    """The (kind, agency, leads) rows a task with these lead agencies counts in; none without a lead (such a task
    counts for no agency)."""
    if not leads:
        return []
    rows = [(AGENCY, a, "") for a in sorted(set(leads))] + [(TOTAL, 0, "")]
    if len(set(leads)) > 1:
        key = lead_key(leads)
        rows += [(SHARED, a, key) for a in sorted(set(leads))]
    return rows


def _add(rows: dict[Key, list[int]], leads: tuple[int, ...], by_day: dict[date, dict[str, int]], sign: int) -> None:
    for kind, agency, key in owners(leads):
        for day, columns in by_day.items():
            for grain, first in ((DAY, day), (MONTH, day.replace(day=1))):
                row = rows.setdefault((kind, grain, first, agency, key), [0] * len(COLUMNS))
                for name, amount in columns.items():
                    row[_AT[name]] += sign * amount


def _write(rows: dict[Key, list[int]], table: str) -> None:
    _add_rows(table, ("kind", "grain", "day", "agency", "leads"), COLUMNS, rows)


def _add_rows(table: str, key_names: tuple[str, ...], value_names: tuple[str, ...], rows: dict[tuple, list[int]], *,
              batch: int = 400) -> None:
    """Add ``rows`` ({key values: amounts in ``value_names`` order}) to the stored ones of ``table``, inserting
    those that do not exist yet, in the order given; rows that come down to nothing are deleted."""
    rows = {k: v for k, v in rows.items() if any(v)}
    if not rows:
        return
    q = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value

    def key_params(key: tuple) -> list:
        return [adapt(v) if isinstance(v, date) else v for v in key]

    t = q(table)
    keys = [q(n) for n in key_names]
    values = [q(n) for n in value_names]
    update = ", ".join(f"{n} = {t}.{n} + excluded.{n}" for n in values)
    empty = " AND ".join(f"{n} = 0" for n in values)
    marks = "(" + ", ".join(["%s"] * (len(keys) + len(values))) + ")"
    one_key = "(" + " AND ".join(f"{k} = %s" for k in keys) + ")"
    items = list(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            cursor.execute(f"INSERT INTO {t} ({', '.join(keys + values)}) VALUES {', '.join([marks] * len(chunk))} "
                           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update}",
                           [p for key, amounts in chunk for p in (*key_params(key), *amounts)])
            lowered = [key for key, amounts in chunk if any(a < 0 for a in amounts)]
            if lowered:
                cursor.execute(f"DELETE FROM {t} WHERE {empty} AND ({' OR '.join([one_key] * len(lowered))})",
                               [p for key in lowered for p in key_params(key)])


def _approval_days(task_id: int) -> tuple[date, ...]:
    return tuple(Event.objects.filter(task_id=task_id, kind="extension_approved").order_by("seq")
                 .values_list("on", flat=True))


def record(task: Task, before: states.Snapshot, after: states.Snapshot, kind: str, on: date) -> None:
    """Bring the tallies up to date with the event (``kind`` dated ``on``) that took the task from ``before`` to
    ``after``; it is already stored. Most events (progress reports, requests) change nothing here."""
    record_due(before, after)
    moved = before.lead != after.lead
    placed = ("status", "due", "done_on", "done_late")
    if not moved and kind != "extension_approved" and all(getattr(before, f) == getattr(after, f) for f in placed):
        return
    if moved:  # a merger (or a correction in review): the approvals go with the task to its new leads
        approvals_before = approvals_after = _approval_days(task.pk)
    elif kind == "extension_approved":
        approvals_before, approvals_after = (), (on,)
    else:
        approvals_before = approvals_after = ()
    assigned: date | None = on if kind == "created" else None
    if assigned is None and any(s.due is None and s.status not in ("draft", "discarded") for s in (before, after)):
        assigned = Event.objects.filter(task_id=task.pk, kind="created").values_list("on", flat=True).first()

    def state(s: states.Snapshot, approvals: tuple[date, ...]) -> formula.TaskState:
        return formula.TaskState(task_id=task.pk, status=s.status, lead=s.lead, due=s.due, assigned_on=assigned,
                                 done_on=s.done_on, done_late=s.done_late, approvals=approvals)

    rows: dict[Key, list[int]] = {}
    _add(rows, before.lead, amounts(state(before, approvals_before)), -1)
    _add(rows, after.lead, amounts(state(after, approvals_after)), 1)
    _write(rows, LeadTally._meta.db_table)


def rebuild(models: tuple | None = None, *, chunk: int = 100_000) -> int:
    """Every tally computed again from the tasks' cached columns, their active lead rows and their events (in
    chunks of tasks, so memory stays small whatever the size); returns the number of rows. ``models``: (Task,
    TaskAgency, Event, LeadTally), historical ones in a migration."""
    task_model, assignment_model, event_model, tally_model = models or (Task, TaskAgency, Event, LeadTally)
    with connection.cursor() as cursor:  # not QuerySet.delete(), which would load every row to send its signals
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(tally_model._meta.db_table)}")
    last = task_model.objects.aggregate(n=Max("id"))["n"] or 0
    for low in range(0, last + 1, chunk):
        ids = {"task_id__gte": low, "task_id__lt": low + chunk}
        leads: dict[int, list[int]] = defaultdict(list)
        for task_id, agency_id in (assignment_model.objects.filter(role="lead", active=True, **ids)
                                   .order_by("task_id", "position").values_list("task_id", "agency_id")):
            leads[task_id].append(agency_id)
        assigned = dict(event_model.objects.filter(kind="created", task__due_date__isnull=True, **ids)
                        .values_list("task_id", "on"))
        approvals: dict[int, list[date]] = defaultdict(list)
        for task_id, on in (event_model.objects.filter(kind="extension_approved", **ids).order_by("seq")
                            .values_list("task_id", "on")):
            approvals[task_id].append(on)
        rows: dict[Key, list[int]] = {}
        tasks = (task_model.objects.filter(id__gte=low, id__lt=low + chunk)
                 .exclude(status__in=("draft", "discarded"))
                 .values_list("id", "status", "due_date", "done_on", "done_late"))
        for task_id, status, due, done_on, done_late in tasks.iterator(chunk_size=10_000):
            state = formula.TaskState(task_id=task_id, status=status, lead=tuple(leads.get(task_id, ())), due=due,
                                      assigned_on=assigned.get(task_id), done_on=done_on, done_late=done_late,
                                      approvals=tuple(approvals.get(task_id, ())))
            _add(rows, state.lead, amounts(state), 1)
        _write(rows, tally_model._meta.db_table)
    if models is None:  # the state counts by deadline too (a migration passes the models its state has)
        rebuild_due()
    return tally_model.objects.count()


# ------------------------------------------------------------------------------------ state counts by deadline
# ``DueTally``: per deadline, the confirmed tasks due that day by state (the dashboard's counts of a period), with
# or without a lead; open ones apart by whether progress was ever reported. Kept by ``record`` and ``rebuild``.

DUE_COLUMNS = ("open_unreported", "open_reported", "done_on_time", "done_late", "withdrawn", "transferred")


def due_column(status: str, due: date | None, done_late: bool | None, reported: bool) -> str | None:
    """The ``DueTally`` column a task with these cached columns counts in (on its deadline); None for drafts,
    discarded tasks and tasks without a deadline (no period's state counts hold them)."""
    if due is None or status in ("draft", "discarded"):
        return None
    if status == "open":
        return "open_reported" if reported else "open_unreported"
    if status == "done":
        return "done_late" if done_late else "done_on_time"
    return status  # withdrawn | transferred


def _due_place(s: states.Snapshot) -> tuple[date, str] | None:
    column = due_column(s.status, s.due, s.done_late, s.last_progress_on is not None)
    return None if column is None else (s.due, column)


def record_due(before: states.Snapshot, after: states.Snapshot) -> None:
    """Move the task between ``DueTally`` cells when the event changed its deadline or state (most do not: a
    second progress report, a request)."""
    was, now = _due_place(before), _due_place(after)
    if was == now:
        return
    rows: dict[date, list[int]] = {}
    for place, sign in ((was, -1), (now, 1)):
        if place is not None:
            rows.setdefault(place[0], [0] * len(DUE_COLUMNS))[DUE_COLUMNS.index(place[1])] += sign
    _write_due(rows, DueTally._meta.db_table)


def _write_due(rows: dict[date, list[int]], table: str) -> None:
    """Add ``rows`` ({deadline: amounts in ``DUE_COLUMNS`` order}) to the stored ones; emptied rows are deleted."""
    _add_rows(table, ("day",), DUE_COLUMNS, {(day,): amounts for day, amounts in sorted(rows.items())})


def rebuild_due(models: tuple | None = None) -> int:
    """Every ``DueTally`` row computed again from the tasks' cached columns (one grouped read of the tasks with a
    deadline); returns the number of rows. ``models``: (Task, DueTally), historical ones in a migration."""
    task_model, tally_model = models or (Task, DueTally)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(tally_model._meta.db_table)}")
    rows: dict[date, list[int]] = {}
    counted = (task_model.objects.filter(due_date__isnull=False).exclude(status__in=("draft", "discarded"))
               .values_list("due_date", "status", "done_late").annotate(
                   reported=Count("id", filter=Q(last_progress_on__isnull=False)), n=Count("id")).order_by())
    for due, status, done_late, reported, n in counted:
        row = rows.setdefault(due, [0] * len(DUE_COLUMNS))
        if status == "open":
            row[DUE_COLUMNS.index("open_reported")] += reported
            row[DUE_COLUMNS.index("open_unreported")] += n - reported
        else:
            row[DUE_COLUMNS.index(due_column(status, due, done_late, False))] += n
    _write_due(rows, tally_model._meta.db_table)
    return tally_model.objects.count()


def due_buckets(start: date, end: date, as_of: date) -> list[tuple[date, str, int]]:
    """(deadline, bucket, tasks) of the confirmed tasks due from ``start`` to ``end``, by their bucket on
    ``as_of`` (today or later, as the tallies hold the present): ``Snapshot.bucket`` — open ones due before that
    day overdue, the others in progress once progress was reported, else not due. The same figures as counting
    ``selectors.tasks`` for that deadline range by ``bucket``, from one row per day."""
    out: list[tuple[date, str, int]] = []
    for day, *values in (DueTally.objects.filter(day__gte=start, day__lte=end).order_by("day")
                         .values_list("day", *DUE_COLUMNS)):
        v = dict(zip(DUE_COLUMNS, values, strict=True))
        late = day < as_of
        figures = {"overdue": v["open_unreported"] + v["open_reported"]} if late else {
            "in_progress": v["open_reported"], "not_due": v["open_unreported"]}
        figures |= {c: v[c] for c in ("done_on_time", "done_late", "withdrawn", "transferred")}
        out += [(day, bucket, n) for bucket, n in figures.items() if n]
    return out


def stored_due() -> dict[date, tuple[int, ...]]:
    """Every stored ``DueTally`` row, {deadline: counts in ``DUE_COLUMNS`` order}: to compare with a rebuild."""
    return {row[0]: tuple(row[1:]) for row in DueTally.objects.values_list("day", *DUE_COLUMNS)}


def stored() -> dict[Key, tuple[int, ...]]:
    """Every stored row, {(kind, grain, day, agency, leads): counts in ``COLUMNS`` order}: to compare with a
    rebuild."""
    return {tuple(row[:5]): tuple(row[5:]) for row in LeadTally.objects.values_list(
        "kind", "grain", "day", "agency", "leads", *COLUMNS)}


def spans(start: date, end: date) -> list[tuple[str, date, date]]:
    """The rows that hold the days from ``start`` to ``end``: (grain, first, last) ranges of month rows (by their
    first days) for whole months, of day rows for the others."""
    out: list[tuple[str, date, date]] = []
    month = start.replace(day=1)
    while month <= end:
        following = (month + timedelta(days=31)).replace(day=1)
        last = following - timedelta(days=1)
        if start <= month and last <= end:
            grain, first, final = MONTH, month, month
            adjacent = out and out[-1][0] == MONTH and (out[-1][2] + timedelta(days=31)).replace(day=1) == first
        else:
            grain, first, final = DAY, max(month, start), min(last, end)
            adjacent = out and out[-1][0] == DAY and out[-1][2] + timedelta(days=1) == first
        if adjacent:
            out[-1] = (grain, out[-1][1], final)
        else:
            out.append((grain, first, final))
        month = following
    return out


def _within(start: date, end: date) -> Q:
    where = Q(pk__in=[])
    for grain, first, last in spans(start, end):
        where |= Q(grain=grain, day__gte=first, day__lte=last)
    return where


def present(start: date, end: date, as_of: date, kind: str = AGENCY,
            agencies: Iterable[int] | None = None) -> dict[tuple[int, str], list[int]]:
    """{(agency, leads): figures in ``FIGURES`` order} of the rows of ``kind`` (of ``agencies`` only, if given)
    for the tasks counted in [start, end] as of ``as_of`` (today or later): open tasks due before that day are
    overdue, the others in progress."""
    rows = LeadTally.objects.filter(kind=kind)
    if agencies is not None:
        rows = rows.filter(agency__in=list(agencies))
    out: dict[tuple[int, str], list[int]] = {}
    sums = (rows.filter(_within(start, end)).values("agency", "leads")
            .annotate(**{f"sum_{c}": Sum(c) for c in COLUMNS}).order_by()
            .values_list("agency", "leads", *(f"sum_{c}" for c in COLUMNS)))
    for agency, leads, *values in sums:
        v = dict(zip(COLUMNS, (int(x) for x in values), strict=True))
        out[(agency, leads)] = [v["done_on_time"], v["done_late"], v["open"], 0, v["withdrawn"], v["transferred"],
                                v["no_deadline_open"], v["no_deadline_done"], v["no_deadline_withdrawn"],
                                v["no_deadline_transferred"], v["extensions"], v["days_late"], 0]
    last_late = min(end, as_of - timedelta(days=1))
    if start <= last_late:
        day = (as_of - EPOCH).days
        late = (rows.filter(_within(start, last_late)).values("agency", "leads")
                .annotate(n=Sum("open"), due=Sum("open_days")).order_by().values_list("agency", "leads", "n", "due"))
        for agency, leads, n, due in late:
            figures = out[(agency, leads)]
            figures[2] -= int(n)
            figures[3] += int(n)
            figures[12] += int(n) * day - int(due)
    return out
