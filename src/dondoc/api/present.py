"""Reads shaped for the response serializers: tasks with their agencies (one query for a whole page, via
``selectors.lead_names``), their state label and timeline; documents with their tasks; agencies with their lineage."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from dondoc.tracking import policy, selectors
from dondoc.tracking.models import Agency, Document, Event, EvidenceFile, Task
from dondoc.tracking.selectors import TaskFilter
from dondoc.tracking.states import Bucket

from . import prepared
from .serializers import TaskItem


def task_queryset(today: date | None = None) -> QuerySet[Task]:
    """Every task (drafts included) with its ``bucket`` today."""
    return selectors.tasks(TaskFilter(include_drafts=True), today=today or timezone.localdate())


class TaskListing:
    """What the task list pages: the visible tasks of a filter (``qs``, already narrowed by ``policy``), with the
    count and the page's rows taken the cheapest exact way. One agency's tasks in some states are counted and paged
    from the assignment index alone (``selectors.assignment_count``, ``selectors.assignment_page``), a deadline
    range's page is chosen from the status index (``selectors.due_page``), when the user sees every task these
    would find; otherwise ``qs`` counts and slices itself. Django's paginator asks ``count()`` then one slice.

    The queries of a user who sees every task are compiled once per process and shape (``prepared``): the same
    queries as ``selectors`` builds, with this request's dates, scope and page put in. A page whose ids the indexes
    chose is read by key (``selectors.by_ids``): those ids are exactly rows of ``tasks(f)`` the user sees."""

    def __init__(self, qs: QuerySet[Task] | Callable[[], QuerySet[Task]], f: TaskFilter, user, *, sort: str,
                 today: date):
        self._qs, self.f, self.user, self.sort, self.today = qs, f, user, sort, today
        self.sees_all = policy.sees_all(user)
        # what decides the SQL of the filter's queries (not its values), when they can be compiled once
        self.shape = None if f.query or (f.agency is not None and f.scope is None) else (
            f.agency is not None, f.role, f.include_units, f.buckets, f.due_from is not None, f.due_to is not None,
            f.document_id is not None, f.public_only, f.include_drafts, sort)

    @cached_property
    def qs(self) -> QuerySet[Task]:
        """The visible tasks of the filter (``qs`` as given, or what the callable given builds, when first asked)."""
        return self._qs if isinstance(self._qs, QuerySet) else self._qs()

    def _values(self) -> list:
        """The filter's values, in the order ``_with`` takes them back."""
        f = self.f
        values = [sorted(f.scope)] if f.agency is not None else []
        return values + [v for v in (f.due_from, f.due_to, f.document_id) if v is not None]

    def _with(self, values) -> TaskFilter:
        """The filter with other values (stand-ins, when a query is compiled) in the same places."""
        f, values = self.f, list(values)
        changes = {}
        if f.agency is not None:
            changes["scope"] = frozenset(values.pop(0))
        for name in ("due_from", "due_to", "document_id"):
            if getattr(f, name) is not None:
                changes[name] = values.pop(0)
        return replace(f, **changes)

    def _sees_agency(self) -> bool:
        return self.sees_all or (self.f.agency is not None and policy.sees_all_assigned(
            self.user, selectors.filter_scope(self.f)))

    def count(self) -> int:
        n = None
        if self.f.agency is not None and self.f.buckets and self._sees_agency():
            if self.shape is None:
                n = selectors.assignment_count(self.f, today=self.today)
            else:
                n = prepared.count(("list.assignment_count", self.shape), lambda today, *values: (
                    selectors.assignment_count_query(self._with(values), today=today)), self.today, *self._values())
        if n is not None:
            return n
        if self.sees_all and self.shape is not None:  # visible_tasks keeps every task: qs is tasks(f)
            return prepared.count(("list.count", self.shape), lambda today, *values: self._tasks(
                self._with(values), today), self.today, *self._values())
        return self.qs.count()

    def _tasks(self, f: TaskFilter, today: date) -> QuerySet[Task]:
        return selectors.tasks(f, today=today, sort=self.sort).select_related("document").only(*TaskItem.COLUMNS)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[ListedTask]:
        start, stop = item.start or 0, item.stop
        ids = None
        if self.sees_all:
            ids = selectors.due_page(self.f, start=start, stop=stop, sort=self.sort) if self.shape is None else \
                _ids(prepared.rows(("list.due_page", self.shape, start, stop), lambda *values: (
                    selectors.due_page_query(self._with(values), start=start, stop=stop, sort=self.sort)),
                    *self._values()))
        if ids is None and self.f.agency is not None and self.f.buckets and self._sees_agency():
            # the agency's rows in deadline order, bounded by its own rows, rather than every task in that state
            # in deadline order until enough of them are the agency's (80 ms for some agencies at 1M tasks)
            ids = selectors.assignment_page(self.f, start=start, stop=stop, today=self.today, sort=self.sort) \
                if self.shape is None else _ids(prepared.rows(
                    ("list.assignment_page", self.shape, start, stop), lambda today, *values: (
                        selectors.assignment_page_query(self._with(values), start=start, stop=stop, today=today,
                                                        sort=self.sort)), self.today, *self._values()))
        if ids is not None:
            if not ids:
                return []
            found = prepared.rows(("list.by_ids", self.sort), lambda ids, today: _listed_values(
                selectors.by_ids(ids, today=today, sort=self.sort)), ids, self.today)
            rows = {t.pk: t for t in map(ListedTask, found)}
            return [rows[i] for i in ids]
        if self.sees_all and self.shape is not None:
            return [ListedTask(row) for row in prepared.rows(
                ("list.page", self.shape, start, stop), lambda today, *values: _listed_values(
                    self._tasks(self._with(values), today))[start:stop], self.today, *self._values())]
        return listed(self.qs[item])


def _ids(found: list | None) -> list[int] | None:
    return None if found is None else [row[1] for row in found]


class ListedTask:
    """A task as a list reads it: the columns ``TaskItem`` shows as plain attributes (``document`` with its id and
    number), without a model instance per row and per document (half the CPU of reading a page of 50)."""

    class Doc:
        __slots__ = ("id", "number")

        def __init__(self, pk: int, number: str):
            self.id, self.number = pk, number

    def __init__(self, values: dict):
        self.__dict__.update(values)
        self.pk = self.id
        self.document = self.Doc(values["document_id"], values.pop("document__number"))


def listed(qs: QuerySet[Task]) -> list[ListedTask]:
    """The rows of ``qs`` (already ordered, sliced or narrowed) as ``ListedTask``: ``TaskItem.COLUMNS``, ``bucket``."""
    return [ListedTask(row) for row in _listed_values(qs)]


def _listed_values(qs: QuerySet[Task]) -> QuerySet:
    return qs.values(*_LISTED_COLUMNS, "bucket")


_LISTED_COLUMNS = [c for c in TaskItem.COLUMNS if c != "document__id"]


def decorate(tasks: Sequence[Task], buckets: dict[int, Bucket] | None = None) -> Sequence[Task]:
    """Attach what ``TaskItem`` reads: agencies, state label, source span. ``buckets`` overrides the state (a
    past day's, from ``selectors.buckets_on``)."""
    ids = [t.pk for t in tasks]
    selectors.with_names(tasks, selectors.lead_names_of(prepared.rows("lead_names", selectors.lead_names_query, ids))
                         if ids else {})
    labels: dict[str, str] = {}  # each state's name translated once per page, not once per task
    for task in tasks:
        if buckets is not None:
            task.bucket = buckets[task.pk]
        label = labels.get(task.bucket)
        if label is None:
            label = labels[task.bucket] = str(Bucket(task.bucket).label)
        task.state_label = label
        task.span = ({"start": task.source_start, "end": task.source_end}
                     if task.source_start is not None and task.source_end is not None else None)
    return tasks


def events_of(task_ids: Iterable[int], user) -> list[Event]:
    events = list(Event.objects.filter(task_id__in=list(task_ids)).select_related("actor").order_by("seq")
                  .prefetch_related(Prefetch("files", queryset=EvidenceFile.objects.order_by("pk"))))
    anonymous = policy.role_of(user) is None
    for event in events:
        # who recorded what is for the people working on it, not for the public page of a public task
        event.shown_actor = None if anonymous else event.actor_name
    return events


def task_detail(task: Task, user) -> Task:
    decorate([task])
    task.timeline = events_of([task.pk], user)
    return task


def fetch_task(pk: int, today: date | None = None) -> Task:
    """A task just written, with its state, for the answer to the write."""
    return decorate([task_queryset(today).select_related("document").get(pk=pk)])[0]


def with_event(event: Event, user) -> Event:
    return next(e for e in events_of([event.task_id], user) if e.pk == event.pk)


def document_detail(document: Document, user) -> Document:
    tasks = policy.visible_tasks(user, task_queryset().filter(document=document)).select_related("document")
    document.task_list = decorate(list(tasks.order_by(F("source_start").asc(nulls_last=True), "id")))
    return document


def agency_detail(agency: Agency) -> Agency:
    agency.alias_list = sorted(agency.aliases.values_list("alias", flat=True))
    agency.child_list = list(agency.children.order_by("name").values("id", "name"))
    agency.successor_list = [
        {"id": s.successor_id, "name": s.successor.name, "effective_on": s.effective_on, "primary": s.primary}
        for s in agency.successions.select_related("successor").order_by("effective_on", "pk")
    ]
    agency.predecessor_list = [
        {"id": s.predecessor_id, "name": s.predecessor.name, "effective_on": s.effective_on, "primary": s.primary}
        for s in agency.predecessions.select_related("predecessor").order_by("effective_on", "pk")
    ]
    return agency
