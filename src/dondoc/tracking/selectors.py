"""Every read of the tracking service: filtered task lists, state counts, a task's state on a past day.

The current bucket of an open task depends on today's date, so it is computed in SQL from the cached columns
(``bucket_expression``) rather than stored; past days are rebuilt from events (``states.replay``).
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from . import states
from .models import Agency, AgencyAlias, Event, Task, TaskAgency
from .services import agency_scope
from .states import Bucket
from .text_keys import name_key, search_key


def bucket_expression(today: date, prefix: str = "") -> Case:
    """SQL for ``Snapshot.bucket(today)`` over the cached columns (the same rules, kept side by side).
    ``prefix`` reaches the task through a relation ("task__" from an assignment row)."""

    def col(name: str, value: Any) -> Q:
        return Q(**{prefix + name: value})

    return Case(
        When(col("status", Task.Status.DONE) & col("done_late", True), then=Value(Bucket.DONE_LATE.value)),
        When(col("status", Task.Status.DONE), then=Value(Bucket.DONE_ON_TIME.value)),
        When(~col("status", Task.Status.OPEN), then=F(prefix + "status")),
        When(col("due_date__lt", today), then=Value(Bucket.OVERDUE.value)),
        When(col("last_progress_on__isnull", False), then=Value(Bucket.IN_PROGRESS.value)),
        default=Value(Bucket.NOT_DUE.value),
        output_field=CharField(),
    )


def _bucket_filter(bucket: str, today: date) -> Q:
    """The same rules as a WHERE clause, so a filter by bucket can use the (status, due_date) index."""
    open_ = Q(status=Task.Status.OPEN)
    return {
        Bucket.OVERDUE: open_ & Q(due_date__lt=today),
        Bucket.IN_PROGRESS: open_ & (Q(due_date__gte=today) | Q(due_date__isnull=True))
        & Q(last_progress_on__isnull=False),
        Bucket.NOT_DUE: open_ & (Q(due_date__gte=today) | Q(due_date__isnull=True)) & Q(last_progress_on__isnull=True),
        Bucket.DONE_ON_TIME: Q(status=Task.Status.DONE, done_late=False),
        Bucket.DONE_LATE: Q(status=Task.Status.DONE, done_late=True),
    }.get(Bucket(bucket), Q(status=bucket))


def _assignment_bucket_filter(bucket: str, today: date) -> Q:
    """What an assignment row's copies of status and deadline say about a bucket: all of its tasks, and for
    most buckets no others (progress and lateness are on the task only)."""
    open_ = Q(task_status=Task.Status.OPEN)
    not_late = Q(task_due__gte=today) | Q(task_due__isnull=True)
    return {
        Bucket.OVERDUE: open_ & Q(task_due__lt=today),
        Bucket.IN_PROGRESS: open_ & not_late,
        Bucket.NOT_DUE: open_ & not_late,
        Bucket.DONE_ON_TIME: Q(task_status=Task.Status.DONE),
        Bucket.DONE_LATE: Q(task_status=Task.Status.DONE),
    }.get(Bucket(bucket), Q(task_status=bucket))


def _or(conditions) -> Q:
    where = Q()
    for condition in conditions:
        where |= condition
    return where


@dataclass(frozen=True)
class TaskFilter:
    """What a task list can be narrowed by. Agency filters include sub-units and predecessors unless told not to."""

    agency: Agency | None = None
    role: str | None = None  # lead | support | None (either)
    include_units: bool = True
    buckets: tuple[str, ...] = ()
    due_from: date | None = None
    due_to: date | None = None
    document_id: int | None = None
    query: str = ""
    public_only: bool = False
    include_drafts: bool = False
    scope: frozenset[int] | None = None  # agency_scope(agency, units=include_units), when already read


def filter_scope(f: TaskFilter) -> set[int]:
    """The agencies whose rows the filter's agency stands for: ``f.scope`` when the caller read it already
    (``with_scope``), else ``agency_scope``."""
    return set(f.scope) if f.scope is not None else agency_scope(f.agency, units=f.include_units)


def with_scope(f: TaskFilter) -> TaskFilter:
    """The filter with its agency's scope read once, for a caller that lists, counts and checks visibility with
    it (the API's task list) instead of reading it for each."""
    if f.agency is None or f.scope is not None:
        return f
    return replace(f, scope=frozenset(agency_scope(f.agency, units=f.include_units)))


# Tasks without a deadline come last either way, on every database.
SORTS = {
    "due": (F("due_date").asc(nulls_last=True), "id"), "-due": (F("due_date").desc(nulls_last=True), "-id"),
    "created": ("created_at", "id"), "-created": ("-created_at", "-id"), "id": ("id",), "-id": ("-id",),
}


def tasks(f: TaskFilter, *, today: date | None = None, sort: str = "due") -> QuerySet[Task]:
    today = today or timezone.localdate()
    qs = Task.objects.all()
    if not f.include_drafts and not (f.buckets and {"draft", "discarded"} & set(f.buckets)):
        qs = qs.exclude(status__in=(Task.Status.DRAFT, Task.Status.DISCARDED))
    if f.agency is not None:
        rows = TaskAgency.objects.filter(agency_id__in=filter_scope(f))
        if f.role:
            rows = rows.filter(role=f.role)
        if f.buckets:  # narrowed by the copies of status and deadline first: one range of the assignment index
            rows = rows.filter(_or(_assignment_bucket_filter(b, today) for b in f.buckets))
        if f.due_from:  # the deadline's copy: a period's tasks of one agency without reading all its rows
            rows = rows.filter(task_due__gte=f.due_from)
        if f.due_to:
            rows = rows.filter(task_due__lte=f.due_to)
        qs = qs.filter(pk__in=rows.values("task_id"))
    if f.buckets:
        qs = qs.filter(_or(_bucket_filter(b, today) for b in f.buckets))
    if f.due_from:
        qs = qs.filter(due_date__gte=f.due_from)
    if f.due_to:
        qs = qs.filter(due_date__lte=f.due_to)
    if f.document_id:
        qs = qs.filter(document_id=f.document_id)
    if f.query:
        for word in search_key(f.query).split():
            qs = qs.filter(search_text__contains=word)
    if f.public_only:
        qs = qs.filter(is_public=True)
    return qs.annotate(bucket=bucket_expression(today)).order_by(*SORTS.get(sort, SORTS["due"]))


# buckets whose union the assignment rows' copies decide exactly (in progress and not due differ by a progress
# report, on time and late by the completion day: only the task knows those)
_EXACT_TOGETHER = ({Bucket.IN_PROGRESS.value, Bucket.NOT_DUE.value},
                   {Bucket.DONE_ON_TIME.value, Bucket.DONE_LATE.value})


def assignment_page(f: TaskFilter, *, start: int, stop: int, today: date | None = None,
                    sort: str = "due") -> list[int] | None:
    """Ids of the tasks ``tasks(f, sort=sort)`` lists from ``start`` to ``stop``, in that order, read from the
    assignment index (agency, task_status, task_due, task) alone: one agency's tasks in some states, the page
    focal points open most, without reading and sorting every task of the agency. None when the filter says more
    than the assignment rows know (a document, a search, some buckets but not their companions, another sort);
    the caller then pages ``tasks`` itself. The ids still go through ``tasks`` for the rows (same filters); only
    use them when the user sees every task of the agency (``policy.sees_all_assigned``)."""
    page = assignment_page_query(f, start=start, stop=stop, today=today, sort=sort)
    return None if page is None else [task_id for _, task_id in page]


def assignment_page_query(f: TaskFilter, *, start: int, stop: int, today: date | None = None,
                          sort: str = "due") -> QuerySet | None:
    """The query ``assignment_page`` reads ((task_due, task_id) rows); None when it answers None."""
    if sort not in ("due", "-due"):
        return None
    rows = _deciding_rows(f, today or timezone.localdate())
    if rows is None:
        return None
    order = ((F("task_due").asc(nulls_last=True), "task_id") if sort == "due"
             else (F("task_due").desc(nulls_last=True), "-task_id"))
    # a task assigned twice within the scope (lead and support, or two units) has the same copies on both rows
    return rows.values_list("task_due", "task_id").distinct().order_by(*order)[start:stop]


def by_ids(ids: list[int], *, today: date | None = None, sort: str = "due") -> QuerySet[Task]:
    """The tasks of ``ids`` (a page ``assignment_page`` chose: exactly rows of ``tasks(f)``) with their bucket, in
    the list's order, read by primary key alone. ``tasks(f).filter(pk__in=ids)`` gives the same rows, but SQLite
    without statistics reads them through the bucket filters' (status, due_date) index, every open task of the
    range for a page of 100 (70 ms at a million tasks; 7 ms by key)."""
    today = today or timezone.localdate()
    return (Task.objects.filter(pk__in=ids).annotate(bucket=bucket_expression(today))
            .order_by(*SORTS.get(sort, SORTS["due"])))


def assignment_count(f: TaskFilter, *, today: date | None = None) -> int | None:
    """How many tasks ``tasks(f)`` lists, counted from the assignment index alone (the distinct tasks of the
    agency's rows whose copies of status and deadline match), or None when the rows cannot tell (as for
    ``assignment_page``). The count a list's pagination needs without joining every matching task: one agency's
    overdue tasks number in the tens of thousands at national scale. Same condition of use: the user sees every
    task of the agency (``policy.sees_all_assigned``)."""
    distinct = assignment_count_query(f, today=today)
    return None if distinct is None else distinct.count()


def assignment_count_query(f: TaskFilter, *, today: date | None = None) -> QuerySet | None:
    """The distinct task ids ``assignment_count`` counts; None when it answers None."""
    rows = _deciding_rows(f, today or timezone.localdate())
    return None if rows is None else rows.values("task_id").distinct()


def _deciding_rows(f: TaskFilter, today: date) -> QuerySet[TaskAgency] | None:
    """The assignment rows whose distinct tasks are exactly those of ``tasks(f)``, or None when the filter says
    more than the rows know (a document, a search, public tasks only, drafts, a bucket without its companion)."""
    if f.agency is None or not f.buckets or f.document_id or f.query or f.public_only \
            or {"draft", "discarded"} & set(f.buckets):
        return None
    wanted = set(f.buckets)
    if any(wanted & group and not group <= wanted for group in _EXACT_TOGETHER):
        return None
    rows = TaskAgency.objects.filter(agency_id__in=filter_scope(f))
    if f.role:
        rows = rows.filter(role=f.role)
    rows = rows.filter(_or(_assignment_bucket_filter(b, today) for b in f.buckets))
    if f.due_from:
        rows = rows.filter(task_due__gte=f.due_from)
    if f.due_to:
        rows = rows.filter(task_due__lte=f.due_to)
    return rows


# what a task list shows unless drafts are asked for (the statuses ``tasks`` keeps)
_LISTED_STATUSES = tuple(s for s in Task.Status.values if s not in (Task.Status.DRAFT, Task.Status.DISCARDED))


def due_page(f: TaskFilter, *, start: int, stop: int, sort: str = "due") -> list[int] | None:
    """Ids of the tasks ``tasks(f, sort=sort)`` lists from ``start`` to ``stop`` when ``f`` is a deadline range
    alone ("every task due this week"): on PostgreSQL, the first ``stop`` tasks of each listed status from the
    (status, due_date, id) index, already in order, merged (one short index range per status instead of every
    task of the range read and sorted for a page of 50). None for any other filter or sort, and on other
    databases; the caller then pages ``tasks`` itself, as it must for users who do not see every task."""
    merged = due_page_query(f, start=start, stop=stop, sort=sort)
    return None if merged is None else [task_id for _, task_id in merged]


def due_page_query(f: TaskFilter, *, start: int, stop: int, sort: str = "due") -> QuerySet | None:
    """The query ``due_page`` reads ((due_date, id) rows); None when it answers None."""
    if connection.vendor != "postgresql" or sort not in ("due", "-due") or not (f.due_from or f.due_to) \
            or f.agency is not None or f.buckets or f.document_id or f.query or f.public_only or f.include_drafts:
        return None
    order = ("due_date", "id") if sort == "due" else ("-due_date", "-id")
    parts = []
    for status in _LISTED_STATUSES:
        part = Task.objects.filter(status=status)
        if f.due_from:
            part = part.filter(due_date__gte=f.due_from)
        if f.due_to:
            part = part.filter(due_date__lte=f.due_to)
        parts.append(part.order_by(*order).values_list("due_date", "id")[:stop])
    # a range excludes tasks without a deadline, so the order needs no NULLS rule
    return parts[0].union(*parts[1:], all=True).order_by(*order)[start:stop]


def lead_names(task_ids: list[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Active lead and support agencies of many tasks in one query: {task id: {"lead": [...], "support": [...]}}."""
    return lead_names_of(lead_names_query(task_ids))


def lead_names_query(task_ids: list[int]) -> QuerySet:
    """The (task_id, role, agency_id, agency name) rows ``lead_names`` reads."""
    return (TaskAgency.objects.filter(task_id__in=task_ids, active=True).order_by("task_id", "role", "position")
            .values_list("task_id", "role", "agency_id", "agency__name"))


def lead_names_of(rows) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """``lead_names`` from the rows of ``lead_names_query``."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {"lead": [], "support": []})
    for task_id, role, agency_id, name in rows:
        out[task_id][role].append({"id": agency_id, "name": name})
    return out


def with_agencies(tasks):
    """The tasks, each with ``lead_list`` and ``support_list`` ({id, name} dicts) from one query for all."""
    return with_names(tasks, lead_names([t.pk for t in tasks]))


def with_names(tasks, names: dict[int, dict[str, list[dict[str, Any]]]]):
    """The tasks with ``lead_list`` and ``support_list`` from ``lead_names``' answer."""
    for task in tasks:
        found = names.get(task.pk, {"lead": [], "support": []})
        task.lead_list, task.support_list = found["lead"], found["support"]
    return tasks


def closest_agencies(name: str, limit: int = 5) -> list[str]:
    """Registered names closest to one that is not registered, for "did you mean" answers."""
    keys = dict(AgencyAlias.objects.values_list("key", "agency__name"))
    near = difflib.get_close_matches(name_key(name), list(keys), n=limit * 2, cutoff=0.5)
    return list(dict.fromkeys(keys[k] for k in near))[:limit]


def state_counts(*, period: tuple[date, date], today: date | None = None, agencies: list[Agency] | None = None,
                 include_units: bool = False) -> dict[int, Counter]:
    """Per lead agency, how many tasks due within ``period`` are in each bucket today. Tasks without a deadline
    count under the period in which they were created."""
    today = today or timezone.localdate()
    start, end = period
    rows = TaskAgency.objects.filter(role=TaskAgency.Role.LEAD, active=True).exclude(
        task__status__in=(Task.Status.DRAFT, Task.Status.DISCARDED))
    if agencies is not None:
        ids = set().union(*(agency_scope(a, units=include_units) for a in agencies)) if agencies else set()
        rows = rows.filter(agency_id__in=ids)
    # Two queries, each one range of the (due_date, created_at, ...) index; created_at compared with the local
    # midnights around the period rather than through __date, which no index can serve.
    first, after = (timezone.make_aware(datetime.combine(day, time.min)) for day in (start, end + timedelta(days=1)))
    result: dict[int, Counter] = defaultdict(Counter)
    for part in (rows.filter(task__due_date__range=(start, end)),
                 rows.filter(task__due_date__isnull=True, task__created_at__gte=first, task__created_at__lt=after)):
        counted = part.values("agency_id").annotate(bucket=bucket_expression(today, "task__"))
        for agency_id, bucket, n in counted.values_list("agency_id", "bucket").annotate(n=Count("task_id")).order_by():
            result[agency_id][bucket] += n
    return result


def bucket_on(task: Task, day: date) -> Bucket | None:
    """The task's bucket at the end of ``day``, rebuilt from its events; None if it did not exist yet."""
    events = list(task.events.order_by("seq").values_list("kind", "on", "data"))
    if not events or events[0][1] > day:
        return None
    return states.replay(events, as_of=day).bucket(day)


def buckets_on(day: date, task_ids: list[int] | None = None) -> dict[int, Bucket]:
    """Every task's bucket at the end of a past day ("as of 30/6, which tasks were overdue?")."""
    existing = Event.objects.filter(kind="created", on__lte=day).values("task_id")
    events = Event.objects.filter(task_id__in=existing).order_by("task_id", "seq")
    if task_ids is not None:
        events = events.filter(task_id__in=task_ids)
    by_task: dict[int, list] = defaultdict(list)
    for task_id, kind, on, data in events.values_list("task_id", "kind", "on", "data").iterator(chunk_size=5000):
        by_task[task_id].append((kind, on, data))
    return {task_id: states.replay(evs, as_of=day).bucket(day) for task_id, evs in by_task.items()}


def pending_extensions(qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Open tasks whose extension request waits for a decision, the earliest current deadline first (the office's
    queue; ``pending_extension`` holds the deadline asked for)."""
    qs = Task.objects.all() if qs is None else qs
    # the waiting tasks' ids from the partial index first: SQLite would rather walk every open task in deadline
    # order looking for them (0.2 s at a million tasks, 0.01 s this way)
    waiting = Task.objects.filter(pending_extension__isnull=False).values("pk")
    return qs.filter(pk__in=waiting, status=Task.Status.OPEN).order_by(F("due_date").asc(nulls_last=True), "id")
