"""``tracking_scale.py --proposals``: the index and query changes the scale benchmark proposes for
``src/dondoc/tracking``, tried on the benchmark's own database after the baseline has been measured.

Nothing here changes the project: the indexes and the two denormalised columns are created with plain DDL in the
throw-away benchmark database, and the proposed queries are written out here (ORM where the model already has the
fields, SQL for the columns the model does not have yet). Every proposed query is checked to return exactly what the
current selector returns before it is timed.

1. ``state_counts`` for a period: the ``created_at__date`` test (a Python function per row on SQLite, ``AT TIME
   ZONE`` on PostgreSQL, sargable on neither) becomes a ``created_at`` range between local midnights, and the query is
   split in two (tasks due in the period; undated tasks created in it) whose counts are summed, so each half is one
   index range. Indexes: ``task_due_created_cover`` on Task (due_date, created_at) covering status, done_late,
   last_progress_on; ``assignment_active_lead`` on TaskAgency (task) covering agency, for role = lead and active.
2. One agency's tasks in a state (``?agency=..&state=overdue``): TaskAgency carries copies of its task's ``status`` and
   ``due_date`` (``task_status``, ``task_due``, written by ``services._store`` with the task's own columns), indexed
   (agency, task_status, task_due, task); the count and the page's ids come from that index alone.
3. The API's task page: ``select_related("document")`` also reads every document's full text and citations; deferring
   them (and the task's ``search_text``) is measured here too.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock

POSTGRES_DDL = [
    "CREATE INDEX task_due_created_cover ON tracking_task (due_date, created_at) "
    "INCLUDE (id, status, done_late, last_progress_on)",
    "CREATE INDEX assignment_active_lead ON tracking_taskagency (task_id) INCLUDE (agency_id) "
    "WHERE role = 'lead' AND active",
    "ALTER TABLE tracking_taskagency ADD COLUMN task_status varchar(16), ADD COLUMN task_due date",
    "UPDATE tracking_taskagency a SET task_status = t.status, task_due = t.due_date FROM tracking_task t "
    "WHERE t.id = a.task_id",
    "CREATE INDEX assignment_agency_state ON tracking_taskagency (agency_id, task_status, task_due, task_id)",
    "VACUUM ANALYZE tracking_task",
    "VACUUM ANALYZE tracking_taskagency",
]
SQLITE_DDL = [
    "CREATE INDEX task_due_created_cover ON tracking_task (due_date, created_at, status, done_late, last_progress_on)",
    "CREATE INDEX assignment_active_lead ON tracking_taskagency (task_id, agency_id) WHERE active AND role = 'lead'",
    "ALTER TABLE tracking_taskagency ADD COLUMN task_status varchar(16)",
    "ALTER TABLE tracking_taskagency ADD COLUMN task_due date",
    "UPDATE tracking_taskagency SET (task_status, task_due) = "
    "(SELECT status, due_date FROM tracking_task t WHERE t.id = tracking_taskagency.task_id)",
    "CREATE INDEX assignment_agency_state ON tracking_taskagency (agency_id, task_status, task_due, task_id)",
]

# the models' indexes as they would be written in tracking/models.py (printed with the figures)
MODEL_CHANGES = """\
Task.Meta.indexes += [
    models.Index(fields=["due_date", "created_at"], include=["id", "status", "done_late", "last_progress_on"],
                 name="task_due_created_cover"),  # PostgreSQL; SQLite ignores include: see below
]
# SQLite has no INCLUDE: the same index with the covered columns in the key
#   models.Index(fields=["due_date", "created_at", "status", "done_late", "last_progress_on"], ...)
TaskAgency:
    task_status = models.CharField(max_length=16, blank=True, editable=False)  # = task.status, kept by _store
    task_due = models.DateField(null=True, blank=True, editable=False)           # = task.due_date, kept by _store
    Meta.indexes += [
        models.Index(fields=["agency", "task_status", "task_due", "task"], name="assignment_agency_state"),
        models.Index(fields=["task"], include=["agency"], condition=Q(role="lead", active=True),
                     name="assignment_active_lead"),
    ]
"""


def timed(fn: Callable, n: int, warm: int = 3) -> list[float]:
    for _ in range(warm):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"p50": statistics.median(ordered), "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
            "n": len(ordered)}


def apply_ddl(log: Callable[[str], None]) -> float:
    from django.db import connection

    statements = POSTGRES_DDL if connection.vendor == "postgresql" else SQLITE_DDL
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for sql in statements:
            t = time.perf_counter()
            cur.execute(sql)
            log(f"  {time.perf_counter() - t:6.1f} s  {sql[:120]}")
    return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------------- state counts


def state_counts_proposed(*, period: tuple[date, date], today: date) -> dict[int, Counter]:
    """``selectors.state_counts`` (all agencies) as proposed: two index ranges, summed."""
    from django.db.models import Count
    from django.utils import timezone

    from dondoc.tracking.models import Task, TaskAgency
    from dondoc.tracking.selectors import bucket_expression

    start, end = period
    first = timezone.make_aware(datetime.combine(start, clock.min))
    after = timezone.make_aware(datetime.combine(end + timedelta(days=1), clock.min))
    rows = TaskAgency.objects.filter(role=TaskAgency.Role.LEAD, active=True).exclude(
        task__status__in=(Task.Status.DRAFT, Task.Status.DISCARDED))
    result: dict[int, Counter] = {}
    for part in (rows.filter(task__due_date__range=(start, end)),
                 rows.filter(task__due_date__isnull=True, task__created_at__gte=first, task__created_at__lt=after)):
        counted = part.values("agency_id").annotate(bucket=bucket_expression(today, "task__"))
        for agency_id, bucket, n in counted.values_list("agency_id", "bucket").annotate(n=Count("task_id")).order_by():
            result.setdefault(agency_id, Counter())[bucket] += n
    return result


# ---------------------------------------------------------------------------------------------------- agency list


def agency_overdue_proposed(agency_id: int, today: date) -> tuple[int, list[int]]:
    """Count and first page (50 ids, by due date) of an agency's overdue tasks from the assignment index alone."""
    from django.db import connection

    from dondoc.tracking.models import Agency
    from dondoc.tracking.services import agency_scope

    scope = sorted(agency_scope(Agency.objects.get(pk=agency_id)))
    marks = ", ".join(["%s"] * len(scope))
    where = f"agency_id IN ({marks}) AND task_status = 'open' AND task_due < %s"
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(DISTINCT task_id) FROM tracking_taskagency WHERE {where}", [*scope, today])
        total = cur.fetchone()[0]
        cur.execute(f"SELECT DISTINCT task_due, task_id FROM tracking_taskagency WHERE {where} "
                    "ORDER BY task_due, task_id LIMIT 50", [*scope, today])
        ids = [row[1] for row in cur.fetchall()]
    return total, ids


def page_for_ids(ids: list[int], today: date) -> list:
    """The page's task rows with their state and agencies, in list order (what the API serialises)."""
    from dondoc.tracking import selectors
    from dondoc.tracking.selectors import TaskFilter

    tasks = list(selectors.tasks(TaskFilter(), today=today).filter(pk__in=ids))
    selectors.lead_names([t.pk for t in tasks])
    return tasks


# ---------------------------------------------------------------------------------------------------- run


def run(probes: dict, today: date, n: int, log: Callable[[str], None], explain: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.tracking import selectors
    from dondoc.tracking.models import Agency
    from dondoc.tracking.selectors import TaskFilter

    out: dict = {}
    log("\n===== proposals (on this benchmark database only)")
    log(MODEL_CHANGES)
    out["ddl_s"] = apply_ddl(log)
    period = (probes["q_start"], probes["q_end"])

    # 1. state counts: same answer, then timed
    current = selectors.state_counts(period=period, today=today)
    proposed = state_counts_proposed(period=period, today=today)
    same = {a: +c for a, c in current.items() if +c} == {a: +c for a, c in proposed.items() if +c}
    ms = timed(lambda: state_counts_proposed(period=period, today=today), max(10, n // 10), warm=2)
    out["counts"] = summary(ms) | {"same_answer": same}
    current_ms = timed(lambda: selectors.state_counts(period=period, today=today), max(10, n // 10), warm=1)
    out["counts_current_after_indexes"] = summary(current_ms)
    log(f"state counts {period[0]}..{period[1]}, all agencies: proposed query {out['counts']['p50']:.0f} / "
        f"{out['counts']['p95']:.0f} ms (p50 / p95), same answer as selectors.state_counts: {same}; the current "
        f"query with the new indexes: {out['counts_current_after_indexes']['p50']:.0f} / "
        f"{out['counts_current_after_indexes']['p95']:.0f} ms")

    # 2. one agency's overdue tasks: same count and page, then timed (count + ids + rows + agencies)
    agencies = probes["agencies"]
    mismatches = 0
    for agency_id in agencies:
        qs = selectors.tasks(TaskFilter(agency=Agency.objects.get(pk=agency_id), buckets=("overdue",)), today=today)
        total, ids = agency_overdue_proposed(agency_id, today)
        mismatches += (qs.count(), list(qs.values_list("pk", flat=True)[:50])) != (total, ids)

    def proposed_page(i: int) -> None:
        _, ids = agency_overdue_proposed(agencies[i % len(agencies)], today)
        page_for_ids(ids, today)

    counter = iter(range(10**9))
    ms = timed(lambda: proposed_page(next(counter)), n)
    out["overdue"] = summary(ms) | {"mismatches": mismatches}
    log(f"one agency's overdue tasks (count + page of 50 + agencies; {len(agencies)} agencies): proposed "
        f"{out['overdue']['p50']:.1f} / {out['overdue']['p95']:.1f} ms (p50 / p95); agencies whose count or page "
        f"differ from selectors.tasks: {mismatches}")

    # 3. the API's page query: documents' full text read for nothing
    week = TaskFilter(due_from=probes["monday"], due_to=probes["sunday"])
    as_now = lambda: list(selectors.tasks(week, today=today).select_related("document")[:50])  # noqa: E731
    deferred = lambda: list(selectors.tasks(week, today=today).select_related("document")  # noqa: E731
                            .defer("search_text", "document__text", "document__citations", "document__title")[:50])
    out["page_select_related"] = summary(timed(as_now, n))
    out["page_deferred"] = summary(timed(deferred, n))
    log(f"API page query (due this week, 50 rows, select_related document): {out['page_select_related']['p50']:.1f}"
        f" ms p50; deferring document text/citations/title and search_text: {out['page_deferred']['p50']:.1f} ms")

    if explain:
        cases = [("proposed state counts", lambda: state_counts_proposed(period=period, today=today)),
                 (f"proposed overdue list (agency {agencies[0]})", lambda: proposed_page(0))]
        for title, fn in cases:
            with CaptureQueriesContext(connection) as ctx:
                fn()
            log(f"\n----- plans: {title}")
            for query in ctx.captured_queries:
                if "tracking_agency" in query["sql"].split(" FROM ")[1][:40] and "taskagency" not in query["sql"]:
                    continue
                log(f"\n[{float(query['time']) * 1000:.1f} ms] {query['sql'][:400]}")
                raw = connection.connection
                if connection.vendor == "postgresql":
                    with raw.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                        plan = [row[0] for row in cur.fetchall()]
                else:
                    plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + query["sql"]).fetchall()]
                for line in plan:
                    log(f"    {line}")
    return out
