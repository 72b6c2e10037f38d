"""Reads shaped for the response serializers: tasks with their agencies (one query for a whole page, via
``selectors.lead_names``), their state label and timeline; documents with their tasks; agencies with their lineage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from dondoc.tracking import policy, selectors
from dondoc.tracking.models import Agency, Document, Event, EvidenceFile, Task
from dondoc.tracking.selectors import TaskFilter
from dondoc.tracking.states import Bucket

from .serializers import TaskItem


def task_queryset(today: date | None = None) -> QuerySet[Task]:
    """Every task (drafts included) with its ``bucket`` today."""
    return selectors.tasks(TaskFilter(include_drafts=True), today=today or timezone.localdate())


class TaskListing:
    """What the task list pages: the visible tasks of a filter (``qs``, already narrowed by ``policy``), with the
    count and the page's rows taken the cheapest exact way. One agency's tasks in some states are counted and paged
    from the assignment index alone (``selectors.assignment_count``, ``selectors.assignment_page``), a deadline
    range's page is chosen from the status index (``selectors.due_page``), when the user sees every task these
    would find; otherwise ``qs`` counts and slices itself. Django's paginator asks ``count()`` then one slice."""

    def __init__(self, qs: QuerySet[Task], f: TaskFilter, user, *, sort: str, today: date):
        self.qs, self.f, self.user, self.sort, self.today = qs, f, user, sort, today

    def _sees_agency(self) -> bool:
        return policy.sees_all(self.user) or (self.f.agency is not None and policy.sees_all_assigned(
            self.user, selectors.filter_scope(self.f)))

    def count(self) -> int:
        n = selectors.assignment_count(self.f, today=self.today) if self.f.agency is not None and self.f.buckets \
            and self._sees_agency() else None
        return self.qs.count() if n is None else n

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[ListedTask]:
        start, stop = item.start or 0, item.stop
        ids = selectors.due_page(self.f, start=start, stop=stop, sort=self.sort) \
            if policy.sees_all(self.user) else None
        if ids is None and self.f.agency is not None and self.f.buckets and self._sees_agency():
            # the agency's rows in deadline order, bounded by its own rows, rather than every task in that state
            # in deadline order until enough of them are the agency's (80 ms for some agencies at 1M tasks)
            ids = selectors.assignment_page(self.f, start=start, stop=stop, today=self.today, sort=self.sort)
        if ids is None:
            return listed(self.qs[item])
        rows = {t.pk: t for t in listed(self.qs.filter(pk__in=ids))}
        return [rows[i] for i in ids]


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
    columns = [c for c in TaskItem.COLUMNS if c != "document__id"]
    return [ListedTask(row) for row in qs.values(*columns, "bucket")]


def decorate(tasks: Sequence[Task], buckets: dict[int, Bucket] | None = None) -> Sequence[Task]:
    """Attach what ``TaskItem`` reads: agencies, state label, source span. ``buckets`` overrides the state (a
    past day's, from ``selectors.buckets_on``)."""
    selectors.with_agencies(tasks)
    for task in tasks:
        if buckets is not None:
            task.bucket = buckets[task.pk]
        task.state_label = str(Bucket(task.bucket).label)
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
