"""Finding the tasks that entered a reminder window and queueing one notification per recipient and channel.

Every track is one query over the tasks' cached columns that uses the ``task_status_due`` index
(status, due_date, id) for its range, and leaves out in SQL the tasks already reminded for their current window
(NOT EXISTS on ``reminder_task_kind``): a pass reads only what is new since the last pass, however many tasks are
overdue. Because a periodic track's windows are ``period`` days apart, "already reminded for the current window" is
"a reminder of this kind, for this deadline, opened less than ``period`` days ago" — no date arithmetic in SQL.

    before, due   status = 'open' AND due_date IN (the few dates whose window is open today)
    overdue       status = 'open' AND due_date <= today - OVERDUE_FIRST
    escalate      status = 'open' AND due_date <= today - ESCALATE_AFTER
    stale         status = 'open' AND (due_date >= today OR due_date IS NULL) AND last progress (or creation)
                  at least STALE_DAYS ago
    nodeadline    status = 'open' AND due_date IS NULL AND created at least NO_DEADLINE_DAYS ago
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dondoc.tracking.models import Agency, Profile, Task, TaskAgency
from dondoc.tracking.services import agency_scope

from . import windows
from .conf import Config
from .models import Notification, Reminder, WebhookEndpoint
from .windows import Window

CHUNK = 900  # ids per IN (...) list: under SQLite's historical limit of 999 variables
OPEN = Task.Status.OPEN


@dataclass
class Candidate:
    task_id: int
    window: Window
    issuer_id: int | None = None


@dataclass
class QueueResult:
    reminders: int = 0  # windows entered (recorded by this pass)
    notifications: int = 0  # messages queued
    without_recipients: int = 0  # windows entered by tasks whose agency has no focal point (nor above it)
    by_kind: Counter = field(default_factory=Counter)


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def given_day(created_at: datetime) -> date:
    return timezone.localtime(created_at).date()


# ---------------------------------------------------------------------------------------------------- candidates


def _reminded(kind: str, today: date, period: int | None, anchor: str | None) -> Exists:
    """A reminder of ``kind`` for the task's current window exists (see the module's note)."""
    rows = Reminder.objects.filter(task=OuterRef("pk"), kind=kind)
    rows = rows.filter(anchor=OuterRef(anchor)) if anchor else rows.filter(anchor__isnull=True)
    if period:
        rows = rows.filter(opens_on__gt=today - timedelta(days=period))
    return Exists(rows)


def _open() -> QuerySet[Task]:
    return Task.objects.filter(status=OPEN).order_by()


def candidates(today: date, config: Config) -> list[Candidate]:
    found: list[Candidate] = []
    days = timedelta

    # before the deadline and on the day: a handful of dates, exact keys checked against what exists
    upcoming = windows.upcoming(today, config)
    if upcoming:
        rows = list(_open().filter(due_date__in=list(upcoming)).values_list("pk", "due_date"))
        done: set[tuple[int, str]] = set()
        for part in chunks([pk for pk, _ in rows]):
            done |= set(Reminder.objects.filter(task_id__in=part, kind__in=("before", "due"))
                        .values_list("task_id", "window"))
        found += [Candidate(pk, upcoming[due]) for pk, due in rows if (pk, upcoming[due].key) not in done]

    overdue = (_open().filter(due_date__lte=today - days(config.OVERDUE_FIRST))
               .filter(~_reminded("overdue", today, config.OVERDUE_REPEAT, "due_date")))
    for pk, due in overdue.values_list("pk", "due_date").iterator(chunk_size=5000):
        found.append(Candidate(pk, windows.deadline_window(due, today, config)))

    if config.ESCALATE_AFTER is not None:
        late = (_open().filter(due_date__lte=today - days(max(config.ESCALATE_AFTER, 1)))
                .filter(~_reminded("escalate", today, config.ESCALATE_REPEAT, "due_date")))
        for pk, due, issuer in late.values_list("pk", "due_date", "document__issuer_id").iterator(chunk_size=5000):
            found.append(Candidate(pk, windows.escalation_window(due, today, config), issuer))

    if config.STALE_DAYS is not None:
        not_late = Q(due_date__gte=today) | Q(due_date__isnull=True)
        since = today - days(config.STALE_DAYS)
        reported = (_open().filter(not_late, last_progress_on__lte=since)
                    .filter(~_reminded("stale", today, config.STALE_DAYS, "last_progress_on")))
        for pk, last in reported.values_list("pk", "last_progress_on").iterator(chunk_size=5000):
            found.append(Candidate(pk, windows.stale_window(last, True, today, config)))
        before = local_midnight(since + days(1))
        silent = (_open().filter(not_late, last_progress_on__isnull=True, created_at__lt=before)
                  .filter(~_reminded("stale", today, config.STALE_DAYS, None)))
        for pk, created in silent.values_list("pk", "created_at").iterator(chunk_size=5000):
            found.append(Candidate(pk, windows.stale_window(given_day(created), False, today, config)))

    if config.NO_DEADLINE_DAYS is not None:
        since = today - days(config.NO_DEADLINE_DAYS)
        open_ended = (_open().filter(due_date__isnull=True, created_at__lt=local_midnight(since + days(1)))
                      .filter(~_reminded("nodeadline", today, config.NO_DEADLINE_DAYS, None)))
        for pk, created in open_ended.values_list("pk", "created_at").iterator(chunk_size=5000):
            found.append(Candidate(pk, windows.no_deadline_window(given_day(created), today, config)))
    return [c for c in found if c.window is not None]


# ---------------------------------------------------------------------------------------------------- recipients


class Directory:
    """Who is told, read once per pass: focal points by agency (an agency without any borrows its parent's, up
    the hierarchy), officers by agency, active webhook endpoints and the agencies each covers."""

    def __init__(self) -> None:
        self.focal: dict[int, list[int]] = defaultdict(list)
        self.officers: dict[int | None, list[int]] = defaultdict(list)
        self.all_officers: list[int] = []
        people = (Profile.objects.filter(user__is_active=True, role__in=(Profile.Role.FOCAL_POINT,
                                                                          Profile.Role.OFFICER))
                  .order_by("user_id").values_list("user_id", "role", "agency_id"))
        for user_id, role, agency_id in people:
            if role == Profile.Role.FOCAL_POINT and agency_id is not None:
                self.focal[agency_id].append(user_id)
            elif role == Profile.Role.OFFICER:
                self.officers[agency_id].append(user_id)
                self.all_officers.append(user_id)
        self.parent = dict(Agency.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
        self.endpoints: list[tuple[int, set[int] | None]] = [
            (e.pk, agency_scope(e.agency) if e.agency_id else None)
            for e in WebhookEndpoint.objects.filter(active=True).select_related("agency").order_by("pk")
        ]
        self._focal_cache: dict[int, tuple[int, ...]] = {}

    def focal_points(self, agency_id: int) -> tuple[int, ...]:
        if agency_id not in self._focal_cache:
            seen, current = set(), agency_id
            while current is not None and current not in seen and not self.focal.get(current):
                seen.add(current)
                current = self.parent.get(current)
            self._focal_cache[agency_id] = tuple(self.focal.get(current, ())) if current is not None else ()
        return self._focal_cache[agency_id]

    def office(self, issuer_id: int | None) -> list[int]:
        """The assigning office: officers of the issuing agency, else every officer."""
        if issuer_id is not None and self.officers.get(issuer_id):
            return self.officers[issuer_id]
        return self.all_officers

    def users(self, candidate: Candidate, leads: Sequence[int]) -> list[int]:
        if candidate.window.kind == "escalate":
            return list(self.office(candidate.issuer_id))
        return list(dict.fromkeys(u for a in leads for u in self.focal_points(a)))

    def hooks(self, candidate: Candidate, leads: Sequence[int]) -> list[int]:
        concerned = {candidate.issuer_id} if candidate.window.kind == "escalate" else set(leads)
        return [pk for pk, scope in self.endpoints if scope is None or scope & concerned]


def lead_agencies(task_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for part in chunks(task_ids):
        rows = (TaskAgency.objects.filter(task_id__in=part, role=TaskAgency.Role.LEAD, active=True)
                .order_by("task_id", "position").values_list("task_id", "agency_id"))
        for task_id, agency_id in rows:
            out[task_id].append(agency_id)
    return out


# ---------------------------------------------------------------------------------------------------- queueing


def queue(today: date, config: Config, *, token: str, now: datetime | None = None,
          dry_run: bool = False) -> QueueResult:
    """Record the windows tasks entered and queue their notifications. With ``dry_run``, count only."""
    now = now or timezone.now()
    result = QueueResult()
    found = candidates(today, config)
    if not found:
        return result
    directory = Directory()
    for part in chunks(found, 2000):
        leads = lead_agencies([c.task_id for c in part])
        planned = [(c, directory.users(c, leads.get(c.task_id, ())), directory.hooks(c, leads.get(c.task_id, ())))
                   for c in part]
        if dry_run:
            mine = planned
        else:
            with transaction.atomic():
                Reminder.objects.bulk_create(
                    [Reminder(task_id=c.task_id, window=c.window.key, kind=c.window.kind, anchor=c.window.anchor,
                              opens_on=c.window.opens_on, recipients=len(users) + len(hooks), created_by=token)
                     for c, users, hooks in planned],
                    ignore_conflicts=True, batch_size=500,
                )
                # only the pass whose insert landed queues the messages (another pass may have raced us)
                ours: set[tuple[int, str]] = set()
                for ids in chunks([c.task_id for c in part]):
                    ours |= set(Reminder.objects.filter(created_by=token, task_id__in=ids)
                                .values_list("task_id", "window"))
                mine = [p for p in planned if (p[0].task_id, p[0].window.key) in ours]
                Notification.objects.bulk_create(
                    [Notification(task_id=c.task_id, window=c.window.key, kind=c.window.kind, channel=channel,
                                  next_attempt_at=now, **recipient)
                     for c, users, hooks in mine
                     for channel, recipient in [*(("email", {"user_id": u}) for u in users),
                                                *(("webhook", {"endpoint_id": h}) for h in hooks)]],
                    ignore_conflicts=True, batch_size=500,
                )
        for c, users, hooks in mine:
            result.reminders += 1
            result.by_kind[c.window.kind] += 1
            result.notifications += len(users) + len(hooks)
            result.without_recipients += not (users or hooks)
    return result
