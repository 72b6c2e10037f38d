"""Recurring tasks (định kỳ: "báo cáo định kỳ hằng quý"): the next occurrence, created once.

When a recurring task is completed, or its deadline passes while it is still open, the next occurrence is created
through ``services.add_task(document, ..., parent=task, draft=False)``: the same content, document and agencies
(the ones answering for it now, after any merger), due one period after — counted from the series' first deadline,
so a monthly task due 31/01 is next due 28/02 (29/02), then 31/03. Only a deadline at a month's end stays at the
month's end.

"Once" is an ``Occurrence`` row, unique per previous task, inserted in the same transaction as the new task: a
second pass running at the same time fails that insert and creates nothing. Tasks finished (or due) more than
``RECURRENCE_LOOKBACK_DAYS`` ago are left alone, so enabling reminders on years of history does not replay them;
a finished task is looked at while its deadline is at most 62 days old (finished later than that, it got its next
occurrence when the deadline passed); at most ``MAX_OCCURRENCES_PER_PASS`` are created per pass (the rest in the
next passes) to keep a pass short.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from dondoc.tracking import services
from dondoc.tracking.models import Task, TaskAgency

from .conf import Config
from .models import Occurrence

MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
RECURRENCES = ("weekly", *MONTHS)
FINISHED_DEADLINE_DAYS = 62  # finished recurring tasks are looked at while their deadline is at most this old


def nth_due(first: date, recurrence: str, k: int) -> date | None:
    """The deadline of the ``k``-th occurrence after a first one due on ``first``; None for an unknown rhythm."""
    if recurrence == "weekly":
        return first + timedelta(weeks=k)
    months = MONTHS.get(recurrence)
    if months is None:
        return None
    years, month0 = divmod(first.month - 1 + k * months, 12)
    year, month = first.year + years, month0 + 1
    last = calendar.monthrange(year, month)[1]
    month_end = first.day == calendar.monthrange(first.year, first.month)[1]
    return date(year, month, last if month_end else min(first.day, last))


@dataclass
class RecurrenceResult:
    created: list[int] = field(default_factory=list)  # new task ids
    waiting: int = 0  # left for the next pass (MAX_OCCURRENCES_PER_PASS reached)
    problems: list[str] = field(default_factory=list)


def due_for_next(today: date, config: Config) -> list[int]:
    """Ids of recurring tasks (their own ``recurrence``, or an occurrence of a recurring series) finished or past
    their deadline recently that have no next occurrence yet, oldest deadline first."""
    since = today - timedelta(days=config.RECURRENCE_LOOKBACK_DAYS)
    recurring = Q(recurrence__in=RECURRENCES) | Exists(Occurrence.objects.filter(task=OuterRef("pk")))
    has_next = Exists(Occurrence.objects.filter(previous=OuterRef("pk")))
    # A task finished after its deadline got its next occurrence when the deadline passed while it was open
    # (``lapsed``): only tasks finished before (or just after) their deadline need one on completion. Each is one
    # narrow range of the (status, due_date) index, unordered (an ORDER BY ... LIMIT would walk the whole index):
    # there is no index on ``recurrence``.
    lapsed = Task.objects.filter(status=Task.Status.OPEN, due_date__lt=today, due_date__gte=since)
    finished = Task.objects.filter(status=Task.Status.DONE, due_date__gte=today - timedelta(
        days=FINISHED_DEADLINE_DAYS), done_on__gte=since)
    found: list[tuple[date, int]] = []
    for query in (lapsed, finished):
        found += query.filter(recurring).exclude(has_next).order_by().values_list("due_date", "pk")
    return [pk for _, pk in sorted(found)]


def create_next_occurrences(today: date, config: Config, *, dry_run: bool = False) -> RecurrenceResult:
    result = RecurrenceResult()
    limit = config.MAX_OCCURRENCES_PER_PASS
    for _ in range(limit):  # a series late by several periods catches up, one occurrence per round
        waiting = due_for_next(today, config)
        if dry_run:
            result.created += [0] * min(len(waiting), limit)
            result.waiting = max(len(waiting) - limit, 0)
            break
        room = limit - len(result.created)
        result.waiting = max(len(waiting) - room, 0)
        made = 0
        for previous in Task.objects.filter(pk__in=waiting[:room]).select_related("document").order_by("due_date",
                                                                                                         "pk"):
            new = _next_occurrence(previous, result)
            if new is not None:
                result.created.append(new.pk)
                made += 1
        if not made or len(result.created) >= limit:
            break
    return result


def _next_occurrence(previous: Task, result: RecurrenceResult) -> Task | None:
    link = Occurrence.objects.filter(task=previous).select_related("series").first()
    if link is not None:
        series, k, recurrence = link.series, link.index + 1, link.recurrence
    else:
        series, k, recurrence = previous, 1, previous.recurrence
    first = series.original_due or series.due_date
    due = nth_due(first, recurrence, k) if first else None
    if due is None:
        return None
    assignments = previous.assignments.filter(active=True).order_by("position")
    try:
        with transaction.atomic():
            occurrence = Occurrence.objects.create(previous=previous, series=series, index=k, recurrence=recurrence,
                                                   due_date=due)
            new = services.add_task(
                previous.document, content=previous.content,
                lead=[a.agency_id for a in assignments if a.role == TaskAgency.Role.LEAD],
                support=[a.agency_id for a in assignments if a.role == TaskAgency.Role.SUPPORT],
                due=due, deadline_text=previous.deadline_text, parent=previous, draft=False,
                recurrence=recurrence,
            )
            occurrence.task = new
            occurrence.save(update_fields=["task"])
    except IntegrityError:
        return None  # another pass created it first
    except services.ServiceError as error:
        result.problems.append(f"nhiệm vụ / task #{previous.pk}: {error.vi} / {error.en}")
        return None
    return new
