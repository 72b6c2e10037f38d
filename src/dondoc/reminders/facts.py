"""What reminders say about a task, read in bulk as plain rows: the columns the queue's scans select anyway
(``COLUMNS``), so a pass reads each task once — when it finds it — and delivery reads only the tasks it has not seen
(retries, rows queued by another pass)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection
from django.utils import timezone

from dondoc.tracking.models import Agency, Task, TaskAgency

from .conf import Config

CHUNK = 900  # ids per IN (...) list: under SQLite's historical limit of 999 variables

# what the queue's candidate queries select (values_list), in this order
COLUMNS = ("pk", "due_date", "last_progress_on", "created_at", "status", "content", "document_id", "document__type",
           "document__number", "document__title", "document__issuer_id")


def chunks(items: Sequence, size: int | None = None) -> Iterator[Sequence]:
    """Slices of ``items``; by default as many ids as one IN (...) list should hold on this database."""
    size = size or (CHUNK if connection.vendor == "sqlite" else 10 * CHUNK)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def given_day(created_at: datetime) -> date:
    """The local day of an aware datetime (the day a task was given, from its ``created_at``)."""
    return created_at.astimezone(timezone.get_current_timezone()).date()


@dataclass
class Facts:
    id: int
    content: str
    status: str
    due_date: date | None
    last_progress_on: date | None
    given: date
    document: str
    document_id: int
    leads: list[str] = field(default_factory=list)
    url: str = ""


class Names:
    """Agency names, read once per pass."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def __getitem__(self, agency_id: int) -> str:
        if agency_id not in self._names:
            self._names.update(Agency.objects.values_list("pk", "name"))
        return self._names.get(agency_id, f"#{agency_id}")


def from_row(row: tuple, leads: Sequence[int], names: Names, config: Config) -> Facts:
    """Facts from a row of ``COLUMNS`` and the task's lead agency ids."""
    pk, due, progress, created, status, content, doc_id, doc_type, number, title, _ = row
    label = " ".join(x for x in (doc_type, number) if x) or (title[:60] if title else f"#{doc_id}")
    base = config.BASE_URL.rstrip("/")
    return Facts(pk, " ".join(content.split()), status, due, progress, given_day(created), label, doc_id,
                 [names[a] for a in leads], f"{base}/api/tasks/{pk}/" if base else "")


def lead_agencies(task_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for part in chunks(task_ids):
        rows = (TaskAgency.objects.filter(task_id__in=part, role=TaskAgency.Role.LEAD, active=True)
                .order_by("task_id", "position").values_list("task_id", "agency_id"))
        for task_id, agency_id in rows:
            out.setdefault(task_id, []).append(agency_id)
    return out


def load_facts(task_ids, config: Config, cache: dict[int, Facts] | None = None,
               names: Names | None = None) -> dict[int, Facts]:
    """Facts of many tasks in a few queries; with ``cache``, tasks already read in this pass are not read again."""
    cache = {} if cache is None else cache
    names = names or Names()
    missing = sorted(set(task_ids) - set(cache))
    for part in chunks(missing):
        leads = lead_agencies(part)
        for row in Task.objects.filter(pk__in=part).order_by().values_list(*COLUMNS):
            cache[row[0]] = from_row(row, leads.get(row[0], ()), names, config)
    return {pk: cache[pk] for pk in task_ids if pk in cache}
