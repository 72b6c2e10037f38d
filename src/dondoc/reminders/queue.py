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

(For stale, a reminder counted before any report — anchor NULL — also holds back the first window of a report
back-dated to before that reminder opened, by at most STALE_DAYS: one scan of the open tasks instead of two.)

The rows found are recorded with INSERT ... ON CONFLICT DO NOTHING RETURNING (``insert_ignoring_conflicts``): only
the reminders this pass inserted get notifications, so passes racing each other queue each message once. What the
scans read of the tasks (``facts.COLUMNS``) goes on to delivery, which then reads no task twice.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dondoc.tracking.models import Agency, Profile, Task
from dondoc.tracking.services import agency_scope

from . import windows
from .conf import Config
from .facts import COLUMNS, Names, chunks, from_row, given_day, lead_agencies, local_midnight
from .models import Notification, Reminder, WebhookEndpoint
from .windows import Window

OPEN = Task.Status.OPEN
ANALYZE_AFTER = 10_000  # reminders recorded in one pass


@dataclass
class Candidate:
    window: Window
    row: tuple  # facts.COLUMNS

    @property
    def task_id(self) -> int:
        return self.row[0]

    @property
    def issuer_id(self) -> int | None:
        return self.row[-1]


@dataclass
class QueueResult:
    reminders: int = 0  # windows entered (recorded by this pass)
    facts: dict = field(default_factory=dict, repr=False)  # what was read of the tasks found, for delivery
    notifications: int = 0  # messages queued
    without_recipients: int = 0  # windows entered by tasks whose agency has no focal point (nor above it)
    by_kind: Counter = field(default_factory=Counter)


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
    """The tasks whose current window has no reminder yet, with that window (and their ``COLUMNS``)."""
    found: list[Candidate] = []
    days = timedelta

    def rows(query):
        return query.values_list(*COLUMNS).iterator(chunk_size=20000)

    # before the deadline and on the day: a handful of dates, exact keys checked against what exists
    upcoming = windows.upcoming(today, config)
    if upcoming:
        near = list(rows(_open().filter(due_date__in=list(upcoming))))
        done: set[tuple[int, str]] = set()
        for part in chunks([row[0] for row in near]):
            done |= set(Reminder.objects.filter(task_id__in=part, kind__in=("before", "due"))
                        .values_list("task_id", "window"))
        found += [Candidate(upcoming[row[1]], row) for row in near if (row[0], upcoming[row[1]].key) not in done]

    overdue = (_open().filter(due_date__lte=today - days(config.OVERDUE_FIRST))
               .filter(~_reminded("overdue", today, config.OVERDUE_REPEAT, "due_date")))
    found += [Candidate(windows.deadline_window(row[1], today, config), row) for row in rows(overdue)]

    if config.ESCALATE_AFTER is not None:
        late = (_open().filter(due_date__lte=today - days(max(config.ESCALATE_AFTER, 1)))
                .filter(~_reminded("escalate", today, config.ESCALATE_REPEAT, "due_date")))
        found += [Candidate(windows.escalation_window(row[1], today, config), row) for row in rows(late)]

    if config.STALE_DAYS is not None:
        # one scan of the open tasks not yet late, silent since their last report (or since given, without one)
        since = today - days(config.STALE_DAYS)
        reminded = Reminder.objects.filter(task=OuterRef("pk"), kind="stale",
                                           opens_on__gt=today - days(config.STALE_DAYS))
        reminded = reminded.filter(Q(anchor=OuterRef("last_progress_on")) | Q(anchor__isnull=True))
        stale = (_open().filter(Q(due_date__gte=today) | Q(due_date__isnull=True))
                 .filter(Q(last_progress_on__lte=since)
                         | Q(last_progress_on__isnull=True, created_at__lt=local_midnight(since + days(1))))
                 .filter(~Exists(reminded)))
        for row in rows(stale):
            last, created = row[2], row[3]
            window = (windows.stale_window(last, True, today, config) if last
                      else windows.stale_window(given_day(created), False, today, config))
            found.append(Candidate(window, row))

    if config.NO_DEADLINE_DAYS is not None:
        since = today - days(config.NO_DEADLINE_DAYS)
        open_ended = (_open().filter(due_date__isnull=True, created_at__lt=local_midnight(since + days(1)))
                      .filter(~_reminded("nodeadline", today, config.NO_DEADLINE_DAYS, None)))
        found += [Candidate(windows.no_deadline_window(given_day(row[3]), today, config), row)
                  for row in rows(open_ended)]
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


# ---------------------------------------------------------------------------------------------------- queueing


def insert_ignoring_conflicts(model, fields: Sequence[str], rows: list[tuple],
                              returning: Sequence[str] = ()) -> list[tuple]:
    """``INSERT ... ON CONFLICT DO NOTHING`` of plain tuples: what ``bulk_create(ignore_conflicts=True)`` does,
    without a model instance per row — a first pass over a national database queues hundreds of thousands.
    PostgreSQL gets a binary COPY into a temporary table and one INSERT ... SELECT; SQLite multi-row VALUES. With
    ``returning``, those fields of the rows actually inserted (not the conflicting ones; SQLite ≥ 3.35)."""
    if not rows:
        return []
    meta, ops = model._meta, connection.ops
    columns = [meta.get_field(name) for name in fields]
    adapt = []
    for column in columns:
        kind = column.get_internal_type()
        adapt.append(ops.adapt_datetimefield_value if kind == "DateTimeField"
                     else ops.adapt_datefield_value if kind == "DateField" else None)
    cache: dict = {}

    def value(a, v):
        if a is None or v is None:
            return v
        if (a, v) not in cache:  # the same few dates and "now" over and over
            cache[a, v] = a(v)
        return cache[a, v]

    head = f"INSERT INTO {ops.quote_name(meta.db_table)} ({', '.join(ops.quote_name(f.column) for f in columns)}) "
    tail = " ON CONFLICT DO NOTHING"
    if returning:
        tail += " RETURNING " + ", ".join(ops.quote_name(meta.get_field(name).column) for name in returning)
    inserted: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy_insert(cursor, meta.db_table, [c.column for c in columns], rows, tail)
        per_statement = max(1, min(2000, (connection.features.max_query_params or 999) // len(columns)))
        one = f"({', '.join(['%s'] * len(columns))})"
        for part in chunks(rows, per_statement):
            params = [value(a, v) for row in part for a, v in zip(adapt, row, strict=True)]
            cursor.execute(f"{head} VALUES {', '.join([one] * len(part))}{tail}", params)
            if returning:
                inserted += cursor.fetchall()
    return inserted


def _copy_insert(cursor, table: str, columns: list[str], rows: list[tuple], tail: str) -> list[tuple]:
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    temp = f"dondoc_in_{uuid.uuid4().hex[:12]}"
    with transaction.atomic():  # ON COMMIT DROP needs a transaction around the COPY and the INSERT
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS SELECT {names} FROM {qn(table)} WITH NO DATA")
        raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
        raw.execute(f"SELECT {names} FROM {temp} LIMIT 0")
        types = [d.type_code for d in raw.description]
        with raw.copy(f"COPY {temp} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {qn(table)} ({names}) SELECT {names} FROM {temp}{tail}")
        inserted = cursor.fetchall() if "RETURNING" in tail else []
        cursor.execute(f"DROP TABLE {temp}")
    return [tuple(r) for r in inserted]


def queue(today: date, config: Config, *, token: str, now: datetime | None = None,
          dry_run: bool = False) -> QueueResult:
    """Record the windows tasks entered and queue their notifications. With ``dry_run``, count only."""
    now = now or timezone.now()
    result = QueueResult()
    found = candidates(today, config)
    if not found:
        return result
    directory, names = Directory(), Names()
    for part in chunks(found, 20000):
        leads = lead_agencies([c.task_id for c in part])
        for c in part:
            if c.task_id not in result.facts:
                result.facts[c.task_id] = from_row(c.row, leads.get(c.task_id, ()), names, config)
        planned = [(c, directory.users(c, leads.get(c.task_id, ())), directory.hooks(c, leads.get(c.task_id, ())))
                   for c in part]
        if dry_run:
            mine = planned
        else:
            with transaction.atomic():
                # only the pass whose insert landed queues the messages (another pass may have raced us)
                ours = set(insert_ignoring_conflicts(
                    Reminder, ("task", "window", "kind", "anchor", "opens_on", "recipients", "created_at",
                               "created_by"),
                    [(c.task_id, c.window.key, c.window.kind, c.window.anchor, c.window.opens_on,
                      len(users) + len(hooks), now, token) for c, users, hooks in planned],
                    returning=("task", "window"),
                ))
                mine = [p for p in planned if (p[0].task_id, p[0].window.key) in ours]
                insert_ignoring_conflicts(
                    Notification, ("task", "window", "kind", "channel", "user", "endpoint", "state", "attempts",
                                   "next_attempt_at", "last_error", "created_at", "claimed_by"),
                    [(c.task_id, c.window.key, c.window.kind, channel, user, hook, "pending", 0, now, "", now, "")
                     for c, users, hooks in mine
                     for channel, user, hook in [*(("email", u, None) for u in users),
                                                 *(("webhook", None, h) for h in hooks)]],
                )
        for c, users, hooks in mine:
            result.reminders += 1
            result.by_kind[c.window.kind] += 1
            result.notifications += len(users) + len(hooks)
            result.without_recipients += not (users or hooks)
    if result.reminders >= ANALYZE_AFTER and not dry_run and connection.vendor == "postgresql":
        # the planner must know the table grew, or the next pass's NOT EXISTS may be planned as for an empty table
        # (a nested loop over every pair: tens of seconds); autovacuum would only catch up a minute later
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Reminder._meta.db_table}")
    return result
