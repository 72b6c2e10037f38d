"""KPIs from the database, three ways that must agree to the last figure:

* ``method="replay"`` — the reference: every task's events replayed with ``states.replay(events, as_of)`` and
  judged by ``formula``. Exact by construction, slow (it reads every event).
* ``method="sql"`` (default) — one query that rebuilds each candidate task's state as of the day from its events
  (the last status event, the last approved extension and the deadline it set, the last completion, all dated on
  or before the day; one index scan of the task's events on PostgreSQL) and counts per set of lead agencies in the
  database; Python then adds each set's counts to every group (agency with units, successor with predecessors) one
  of its agencies belongs to — a task has one set of leads, so a co-led task still counts once per group.

The SQL reads only candidate tasks, found from the cached columns with facts the services guarantee: a task
without an approved extension keeps its deadline (``due_date`` = the deadline it has had since confirmation); a
task's ``created`` event is dated the day its row was inserted (``created_at``) or, for a reviewed directive, the
document's date if earlier (``services.assigned_on``); a task whose approvals were all known on the as-of day
had then the deadline it has now. Candidates are tasks due in the period, tasks with an approval dated in the
period (extensions granted) or not known on the as-of day (dated after it, or numbered after ``until_seq``: the
deadline may have been another then), and tasks without a deadline inserted since the period began and either
inserted by its end or from a document dated by then. Everything else is decided from the events. Tasks without
an approved extension (most) have their events read from the (task, seq, kind, on) index alone.

* ``method="tallies"`` — the present (as of today or later, every event; otherwise the SQL answers and the report
  says ``method="sql"``): sums over the counts per lead agency and day that ``tracking.tallies`` keeps up to date
  as events are written (month rows for whole months), each agency's added to its groups, a co-led task's extra
  counts taken off again in a group holding several of its leads. About a dozen rows per agency for a year of a
  national database; what the dashboard's ranking reads.

``tests/kpis/test_equivalence.py`` builds randomized histories through the services and checks that the methods
give the same records on SQLite and PostgreSQL, for several periods and as-of days (the tallies as of the last).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from dondoc.tracking import states
from dondoc.tracking import tallies as lead_tallies
from dondoc.tracking.models import Agency, AgencySuccession, Document, Event, Task, TaskAgency

from . import formula
from .formula import FORMULA_VERSION, KpiRecord, Organisation, Tally
from .periods import Period, parse_period

TOTAL = -1  # the pseudo-group that counts every task of the report once


@dataclass(frozen=True)
class Notice:
    code: str
    vi: str
    en: str

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


@dataclass
class KpiReport:
    period: Period
    as_of: date
    until_seq: int
    include_units: bool
    lineage: bool
    method: str
    rows: list[KpiRecord]
    total: KpiRecord
    notices: list[Notice] = field(default_factory=list)
    seconds: float = 0.0
    formula_version: str = FORMULA_VERSION
    # (task id, days overdue) behind the overdue figures, most overdue first, when asked for (``overdue_list``)
    overdue: list[tuple[int, int]] | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "formula_version": self.formula_version,
            "period": {"code": self.period.code, "label": self.period.label, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "as_of": self.as_of.isoformat(), "until_seq": self.until_seq, "include_units": self.include_units,
            "lineage": self.lineage, "method": self.method,
            "rows": [r.to_json() for r in self.rows], "total": self.total.to_json(),
            "notices": [{"code": n.code, "vi": n.vi, "en": n.en} for n in self.notices],
        }


def load_organisation() -> Organisation:
    parents, names = {}, {}
    for pk, parent, name in Agency.objects.values_list("pk", "parent_id", "name"):
        parents[pk], names[pk] = parent, name
    successions = tuple(AgencySuccession.objects.values_list("predecessor_id", "successor_id", "effective_on"))
    return Organisation(parents=parents, names=names, successions=successions)


def compute_kpis(period: Period | str, *, as_of: date | None = None, agencies: Sequence[Agency | int] | None = None,
                 include_units: bool = False, lineage: bool = True, until_seq: int | None = None,
                 method: str = "sql", overdue_list: bool = False) -> KpiReport:
    """The KPI records of ``agencies`` (default: every agency with something to report) for ``period``, as of
    ``as_of`` (default today), reading events up to number ``until_seq`` (default: all there are now).
    ``overdue_list``: also the overdue tasks themselves (``KpiReport.overdue``), from the same query."""
    started = time.perf_counter()
    period = parse_period(period)
    as_of = as_of or timezone.localdate()
    if method == "tallies" and (until_seq is not None or as_of < timezone.localdate()):
        method = "sql"  # the tallies hold the present only (as of today or later, every event)
    if until_seq is None:
        until_seq = Event.objects.aggregate(n=Max("seq"))["n"] or 0
    org = load_organisation()
    explicit = agencies is not None
    groups = ([a.pk if isinstance(a, Agency) else int(a) for a in agencies] if explicit
              else org.default_groups(units=include_units, lineage=lineage, as_of=as_of))
    groups = list(dict.fromkeys(groups))
    members = org.members(groups, units=include_units, lineage=lineage, as_of=as_of)
    for a in members:
        members[a] = {*members[a], TOTAL}
    notices: list[Notice] = []
    if method == "sql":
        overdue: list[tuple[int, int]] | None = [] if overdue_list else None
        tallies = _sql_tallies(period, as_of, until_seq, members, overdue)
    elif method == "replay":
        tallies = _replay_tallies(period, as_of, until_seq, members, notices)
    elif method == "tallies":
        tallies = _present_tallies(period, as_of, members, everyone=set(members) >= set(org.parents))
    else:
        raise ValueError(f"unknown method {method!r}")
    rows = []
    for g in groups:
        record = KpiRecord.from_tally(g, org.names.get(g, f"#{g}"), tallies.get(g, Tally()))
        if explicit or not record.empty:
            rows.append(record)
    rows.sort(key=lambda r: (r.agency, r.agency_id))
    total = KpiRecord.from_tally(None, "Tổng cộng", tallies.get(TOTAL, Tally()))
    notices[:0] = _notices(period, as_of, rows, total, explicit)
    report = KpiReport(period=period, as_of=as_of, until_seq=until_seq, include_units=include_units,
                       lineage=lineage, method=method, rows=rows, total=total, notices=notices)
    if overdue_list:
        report.overdue = sorted(overdue, key=lambda t: (-t[1], t[0])) if method == "sql" else overdue_tasks(report)
    report.seconds = time.perf_counter() - started
    return report


def _notices(period: Period, as_of: date, rows: list[KpiRecord], total: KpiRecord, explicit: bool) -> list[Notice]:
    out = []
    if as_of < period.start:
        out.append(Notice("period_not_started",
                          f"Kỳ {period.label} chưa bắt đầu tính đến ngày {as_of:%d/%m/%Y}: chỉ có các nhiệm vụ "
                          "đến hạn trong kỳ, chưa nhiệm vụ nào quá hạn.",
                          f"{period.code} had not started by {as_of.isoformat()}: only tasks due in it, none "
                          "overdue yet."))
    elif as_of < period.end:
        out.append(Notice("period_not_over",
                          f"Số liệu tạm tính: kỳ {period.label} chưa kết thúc tính đến ngày {as_of:%d/%m/%Y}.",
                          f"Provisional figures: {period.code} was not over by {as_of.isoformat()}."))
    if explicit:
        for r in rows:
            if r.empty:
                out.append(Notice("agency_without_tasks",
                                  f"{r.agency} không có nhiệm vụ nào trong kỳ {period.label} (tính đến ngày "
                                  f"{as_of:%d/%m/%Y}); các chỉ số bằng 0, tỷ lệ để trống.",
                                  f"{r.agency} has no tasks in {period.code} as of {as_of.isoformat()}; its "
                                  "figures are 0 and its rates empty."))
    elif total.empty:
        out.append(Notice("no_tasks", f"Không có nhiệm vụ nào trong kỳ {period.label} (tính đến ngày "
                                      f"{as_of:%d/%m/%Y}).",
                          f"No tasks in {period.code} as of {as_of.isoformat()}."))
    return out


# ------------------------------------------------------------------------------------------------ the reference


def _replay_tallies(period: Period, as_of: date, until_seq: int, members: dict[int, set[int]],
                    notices: list[Notice]) -> dict[int, Tally]:
    start, end = period.start, period.end
    events = (Event.objects.filter(seq__lte=until_seq).order_by("task_id", "seq")
              .values_list("task_id", "kind", "on", "data"))
    found: list[formula.TaskState] = []
    broken: list[int] = []

    def finish(task_id: int, evs: list) -> None:
        try:
            state = formula.task_state(task_id, evs, as_of)
        except states.TransitionError:
            broken.append(task_id)
            return
        if state is not None:
            found.append(state)

    current, evs = None, []
    for task_id, kind, on, data in events.iterator(chunk_size=5000):
        if task_id != current:
            if current is not None:
                finish(current, evs)
            current, evs = task_id, []
        evs.append((kind, on, data))
    if current is not None:
        finish(current, evs)
    if broken:
        shown = ", ".join(f"#{t}" for t in broken[:10]) + ("…" if len(broken) > 10 else "")
        notices.append(Notice("invalid_history",
                              f"{len(broken)} nhiệm vụ có lịch sử không dựng lại được tại ngày {as_of:%d/%m/%Y} "
                              f"nên không được tính: {shown}.",
                              f"{len(broken)} tasks whose history cannot be replayed as of {as_of.isoformat()} "
                              f"were left out: {shown}."))
    return formula.tally_tasks(found, start, end, as_of, members)


# ------------------------------------------------------------------------------------------------ the SQL


class _Dialect:
    """The few expressions PostgreSQL and SQLite write differently."""

    def __init__(self, vendor: str) -> None:
        if vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"KPIs in SQL are written for PostgreSQL and SQLite, not {vendor}")
        self.pg = vendor == "postgresql"

    def day(self, expr: str) -> str:
        """A date as a day number (days since 1970-01-01)."""
        return f"({expr} - DATE '1970-01-01')" if self.pg else f"CAST(julianday({expr}) - 2440587.5 AS INTEGER)"

    def json_int(self, col: str, key: str) -> str:
        return f"CAST({col}->>'{key}' AS bigint)" if self.pg else f"json_extract({col}, '$.{key}')"

    def json_date(self, col: str, key: str) -> str:
        return (f"CAST(NULLIF({col}->>'{key}', '') AS date)" if self.pg
                else f"NULLIF(json_extract({col}, '$.{key}'), '')")

    def has_lead_change(self, col: str) -> str:
        return (f"({col}->'changes'->'lead') IS NOT NULL" if self.pg
                else f"json_type({col}, '$.changes.lead') IS NOT NULL")

    def lead_list_contains(self, alias: str, agency: str) -> str:
        """The lead list of a review event (``created``: data.lead; ``corrected``: data.changes.lead[1]) names
        the agency."""
        if self.pg:
            return (f"(CASE WHEN {alias}.kind = 'created' THEN {alias}.data->'lead' "
                    f"ELSE {alias}.data->'changes'->'lead'->1 END) @> to_jsonb({agency})")
        return (f"EXISTS (SELECT 1 FROM json_each({alias}.data, CASE WHEN {alias}.kind = 'created' THEN '$.lead' "
                f"ELSE '$.changes.lead[1]' END) j WHERE j.value = {agency})")


_DAY_BITS = 131072  # 2**17 day numbers: enough until the year 2328


COUNTS = "SELECT lead_set, cat, COUNT(*), SUM(days), SUM(granted) FROM per_task GROUP BY lead_set, cat"
# the same, with the overdue tasks of each set as "task:days,task:days..."
COUNTS_AND_OVERDUE = ("SELECT lead_set, cat, COUNT(*), SUM(days), SUM(granted), {agg}(CASE WHEN cat = 'overdue' "
                      "THEN CAST(task_id AS text) || ':' || CAST(days AS text) END, ',') FROM per_task "
                      "GROUP BY lead_set, cat")
OVERDUE = "SELECT task_id, lead_set, days FROM per_task WHERE cat = 'overdue'"


def _sql(d: _Dialect, final: str = COUNTS) -> str:
    """The query over the candidates' events; ``final`` selects from ``per_task`` (task_id, cat, days, granted,
    lead_set): the counts per set of leads, or the overdue tasks themselves (``OVERDUE``)."""
    event, task, assignment = Event._meta.db_table, Task._meta.db_table, TaskAgency._meta.db_table
    document = Document._meta.db_table
    known = 'e."on" <= %(as_of)s AND e.seq <= %(until_seq)s'
    status_kinds = "'created', 'confirmed', 'reopened', 'discarded', 'transferred', 'withdrawn', 'completed'"
    # ``cand`` below: three parts, each read from an index on either database (an OR of them is a full scan of the
    # tasks; approvals from their own small partial index), in the order of the tasks' ids, so that their events
    # and assignments are visited in the order they were written rather than at random.
    #
    # a lead row of a task whose lead changed (merger) after the as-of day: was it a lead that day?
    lead_then = f"""(
        (EXISTS (SELECT 1 FROM {event} r WHERE r.task_id = ld.task_id AND r.seq = (
                    SELECT MAX(r2.seq) FROM {event} r2 WHERE r2.task_id = ld.task_id AND r2.seq <= %(until_seq)s
                    AND (r2.kind = 'created' OR (r2.kind = 'corrected' AND {d.has_lead_change('r2.data')})))
                 AND {d.lead_list_contains('r', 'ld.agency_id')})
         OR EXISTS (SELECT 1 FROM {event} q WHERE q.task_id = ld.task_id AND q.kind = 'succeeded'
                    AND q."on" <= %(as_of)s AND q.seq <= %(until_seq)s AND {d.json_int('q.data', 'to')} = ld.agency_id
                    AND EXISTS (SELECT 1 FROM {assignment} fa WHERE fa.task_id = ld.task_id AND fa.role = 'lead'
                                AND fa.agency_id = {d.json_int('q.data', 'from')})))
        AND NOT EXISTS (SELECT 1 FROM {event} q WHERE q.task_id = ld.task_id AND q.kind = 'succeeded'
                        AND q."on" <= %(as_of)s AND q.seq <= %(until_seq)s
                        AND {d.json_int('q.data', 'from')} = ld.agency_id))"""
    B = _DAY_BITS
    # the deadline an approval set: its own date, else the date of the request it answered (the last request
    # before it); looked up only when a later request came after the approval
    request_due = f"""(SELECT {d.day(d.json_date('rq.data', 'due'))} FROM {event} rq WHERE rq.task_id = a.task_id
            AND rq.kind = 'extension_requested' AND rq.seq < a.ap_seq ORDER BY rq.seq DESC LIMIT 1)"""
    due_day = f"""CASE WHEN a.ap_seq IS NULL THEN {d.day('a.original_due')}
            WHEN a.ap_due / {B} = a.ap_seq THEN a.ap_due - (a.ap_due / {B}) * {B}
            WHEN a.rq_due / {B} < a.ap_seq THEN a.rq_due - (a.rq_due / {B}) * {B}
            ELSE {request_due} END"""
    in_period = "{0} >= %(start_day)s AND {0} <= %(end_day)s"
    # status codes: 1 draft, 2 open, 3 discarded, 4 transferred, 5 withdrawn, 6 done. A task whose last status
    # event is its creation is a draft, unless it was created open (``"draft": false``): such a task never has a
    # confirmed or discarded event and is not a draft now; known without reading the (large) created data.
    on_day = d.day('e."on"')
    columns = {
        "st": f"""MAX(CASE WHEN e.kind IN ({status_kinds}) AND {known} THEN e.seq * 8 + CASE e.kind
            WHEN 'created' THEN 1 WHEN 'discarded' THEN 3 WHEN 'transferred' THEN 4 WHEN 'withdrawn' THEN 5
            WHEN 'completed' THEN 6 ELSE 2 END END)""",
        "comp": f"MAX(CASE WHEN e.kind = 'completed' AND {known} THEN e.seq * {B} + {on_day} END)",
        "assigned_day": f"MIN(CASE WHEN e.kind = 'created' THEN {on_day} END)",
        "reviewed": "MAX(CASE WHEN e.kind IN ('confirmed', 'discarded') THEN 1 ELSE 0 END)",
        "ap_seq": f"MAX(CASE WHEN e.kind = 'extension_approved' AND {known} THEN e.seq END)",
        "ap_due": f"""MAX(CASE WHEN e.kind = 'extension_approved' AND {known}
            THEN e.seq * {B} + {d.day(d.json_date('e.data', 'due'))} END)""",
        "rq_due": f"""MAX(CASE WHEN e.kind = 'extension_requested' AND {known}
            THEN e.seq * {B} + {d.day(d.json_date('e.data', 'due'))} END)""",
        "granted": f"""SUM(CASE WHEN e.kind = 'extension_approved' AND {known} AND e."on" >= %(start)s
            AND e."on" <= %(end)s THEN 1 ELSE 0 END)""",
        "moved_later": """SUM(CASE WHEN e.kind = 'succeeded' AND (e."on" > %(as_of)s OR e.seq > %(until_seq)s)
            THEN 1 ELSE 0 END)""",
    }
    aggregates = ",\n        ".join(f"{expr} AS {name}" for name, expr in columns.items())
    # Without an approved extension (``extensions = 0``: the count only grows) a task has no approval, and its
    # requests are never read: its figures come from kind, day and number alone, which the (task, seq, kind, on)
    # index holds, so its events are read from the index without visiting the table (nor ``data``).
    none = {"ap_seq": "CAST(NULL AS bigint)", "ap_due": "CAST(NULL AS bigint)", "rq_due": "CAST(NULL AS bigint)",
            "granted": "CAST(0 AS bigint)"}
    plain = ",\n        ".join(f"{none.get(name, expr)} AS {name}" for name, expr in columns.items())
    if d.pg:  # one index scan of (task_id, seq) per candidate, never a pass over every event
        agg = " UNION ALL ".join(
            f"""SELECT c.id AS task_id, c.original_due, c.status AS now, x.* FROM cand c CROSS JOIN LATERAL (
            SELECT {a} FROM {event} e WHERE e.task_id = c.id AND e.kind <> 'progress') x WHERE c.extensions {op}"""
            for a, op in ((plain, "= 0"), (aggregates, "> 0")))
    else:
        agg = " UNION ALL ".join(
            f"""SELECT e.task_id, c.original_due, c.status AS now, {a}
            FROM {event} e JOIN cand c ON c.id = e.task_id WHERE e.kind <> 'progress' AND c.extensions {op}
            GROUP BY e.task_id, c.original_due, c.status""" for a, op in ((plain, "= 0"), (aggregates, "> 0")))
    m = "MATERIALIZED " if d.pg else ""
    # SQLite without statistics would rather scan the whole (task, seq, kind, on) index than this small one
    approvals = "" if d.pg else "INDEXED BY event_approval_on"
    lead_list = ("string_agg(CAST(ld.agency_id AS text), ',' ORDER BY ld.agency_id)" if d.pg
                 else "group_concat(ld.agency_id, ',')")
    return f"""
WITH cand AS {m}(
    SELECT t.id, t.original_due, t.status, t.extensions FROM {task} t
    WHERE t.due_date >= %(start)s AND t.due_date <= %(end)s
    UNION
    SELECT t.id, t.original_due, t.status, t.extensions FROM (
        SELECT DISTINCT x.task_id FROM {event} x {approvals} WHERE x.kind = 'extension_approved'
        AND ((x."on" >= %(start)s AND x."on" <= %(end)s) OR x."on" > %(as_of)s OR x.seq > %(until_seq)s)) ap
    JOIN {task} t ON t.id = ap.task_id
    UNION
    SELECT t.id, t.original_due, t.status, t.extensions FROM {task} t
    WHERE t.due_date IS NULL AND t.created_at >= %(created_since)s AND (t.created_at < %(created_until)s
           OR t.document_id IN (SELECT d.id FROM {document} d WHERE d.issued_date <= %(end)s))
    ORDER BY 1
), agg AS {m}(
    {agg}
), st AS (
    SELECT a.task_id, CASE WHEN a.st - (a.st / 8) * 8 = 1 AND a.reviewed = 0 AND a.now NOT IN ('draft', 'discarded')
        THEN 2 ELSE a.st - (a.st / 8) * 8 END AS status, a.granted, a.moved_later, a.assigned_day,
        {due_day} AS due_day, a.comp - (a.comp / {B}) * {B} AS done_day
    FROM agg a
    WHERE a.st IS NOT NULL AND a.assigned_day <= %(as_of_day)s
), live AS (
    SELECT * FROM (SELECT task_id, granted, moved_later,
        CASE WHEN status IN (1, 3) THEN NULL
             WHEN due_day IS NULL THEN CASE WHEN {in_period.format('assigned_day')} THEN CASE status
                 WHEN 2 THEN 'no_deadline_open' WHEN 6 THEN 'no_deadline_done'
                 WHEN 5 THEN 'no_deadline_withdrawn' WHEN 4 THEN 'no_deadline_transferred' END END
             WHEN {in_period.format('due_day')} THEN CASE status
                 WHEN 6 THEN CASE WHEN done_day > due_day THEN 'done_late' ELSE 'done_on_time' END
                 WHEN 2 THEN CASE WHEN due_day < %(as_of_day)s THEN 'overdue' ELSE 'in_progress' END
                 WHEN 5 THEN 'withdrawn' WHEN 4 THEN 'transferred' END
        END AS cat,
        CASE WHEN due_day IS NULL OR NOT ({in_period.format('due_day')}) THEN 0
             WHEN status = 6 AND done_day > due_day THEN done_day - due_day
             WHEN status = 2 AND due_day < %(as_of_day)s THEN %(as_of_day)s - due_day
             ELSE 0 END AS days
    FROM st) c
    WHERE cat IS NOT NULL OR granted > 0
), per_task AS (
    SELECT l.task_id, l.cat, l.days, l.granted, {lead_list} AS lead_set
    FROM live l JOIN {assignment} ld ON ld.task_id = l.task_id AND ld.role = 'lead' AND ld.active
    WHERE l.moved_later = 0
    GROUP BY l.task_id, l.cat, l.days, l.granted
    UNION ALL
    SELECT l.task_id, l.cat, l.days, l.granted, {lead_list} AS lead_set
    FROM live l JOIN {assignment} ld ON ld.task_id = l.task_id AND ld.role = 'lead'
    WHERE l.moved_later > 0 AND {lead_then}
    GROUP BY l.task_id, l.cat, l.days, l.granted
)
""" + final


def _day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _run_sql(period: Period, as_of: date, until_seq: int, final: str = COUNTS) -> list[tuple]:
    d = _Dialect(connection.vendor)
    ops = connection.ops
    # a task's created event is dated the day its row was inserted, or earlier on its document's date (a day's
    # margin either side for midnight)
    since = timezone.make_aware(datetime.combine(period.start - timedelta(days=1), datetime.min.time()))
    until = timezone.make_aware(datetime.combine(period.end + timedelta(days=2), datetime.min.time()))
    params = {
        "start": ops.adapt_datefield_value(period.start), "end": ops.adapt_datefield_value(period.end),
        "as_of": ops.adapt_datefield_value(as_of), "as_of_day": _day_number(as_of),
        "start_day": _day_number(period.start), "end_day": _day_number(period.end),
        "until_seq": until_seq, "created_since": ops.adapt_datetimefield_value(since),
        "created_until": ops.adapt_datetimefield_value(until),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if d.pg:  # the plan is cheap to run but costly-looking: compiling it (JIT) would take seconds
            cursor.execute("SET LOCAL jit = off")
            # a quarter's tasks grouped by their leads fit in memory (the default 4 MB sorts them on disk)
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(_sql(d, final), params)
        return cursor.fetchall()


def _sql_tallies(period: Period, as_of: date, until_seq: int, members: dict[int, set[int]],
                 overdue: list[tuple[int, int]] | None = None) -> dict[int, Tally]:
    """Counts per set of leads come from the database (a task has exactly one set, so nothing is counted twice);
    each set then counts once for every group one of its agencies belongs to. With ``overdue`` (a list), the
    overdue tasks counted for some group are added to it as (task id, days overdue)."""
    if not members:
        return {}
    out: dict[int, Tally] = defaultdict(Tally)
    if overdue is None:
        rows = [(*row, None) for row in _run_sql(period, as_of, until_seq)]
    else:
        agg = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        rows = _run_sql(period, as_of, until_seq, COUNTS_AND_OVERDUE.format(agg=agg))
    for lead_set, category, n, days, granted, late_tasks in rows:
        leads = {int(a) for a in lead_set.split(",")}
        groups = set().union(*(members.get(a, ()) for a in leads))
        for group in groups:
            out[group].add(category, int(days or 0), int(granted or 0), n=n)
        if late_tasks and groups - {TOTAL}:
            overdue.extend((int(t), int(d)) for t, d in (item.split(":") for item in late_tasks.split(",")))
    return dict(out)


def _present_tallies(period: Period, as_of: date, members: dict[int, set[int]], *,
                     everyone: bool) -> dict[int, Tally]:
    """The tallies of the present (``tracking.tallies``): each agency's figures added to its groups; then, for a
    task co-led by k agencies of one group, k − 1 of its counts taken off again (from the shared rows of those
    agencies alone). The total is every task's row once when every agency is in some group, else the same sum."""
    start, end = period.start, period.end
    size = len(lead_tallies.FIGURES)
    sums: dict[int, list[int]] = {}

    def add(group: int, figures: list[int], times: int = 1) -> None:
        into = sums.setdefault(group, [0] * size)
        for i, x in enumerate(figures):
            into[i] += times * x

    for (agency, _), figures in lead_tallies.present(start, end, as_of).items():
        for group in members.get(agency, ()):
            if group != TOTAL or not everyone:
                add(group, figures)
    held: dict[int, set[int]] = defaultdict(set)
    for agency, groups in members.items():
        for group in groups:
            held[group].add(agency)
    crowded = {g for g, agencies in held.items() if len(agencies) > 1 and not (g == TOTAL and everyone)}
    if crowded:
        sets: dict[str, dict[int, list[int]]] = defaultdict(dict)
        shared = lead_tallies.present(start, end, as_of, lead_tallies.SHARED,
                                      agencies=set().union(*(held[g] for g in crowded)))
        for (agency, leads), figures in shared.items():
            sets[leads][agency] = figures  # the same figures for each agency of the set
        for by_agency in sets.values():
            found: dict[int, int] = defaultdict(int)
            for agency in by_agency:
                for group in members.get(agency, ()):
                    if group in crowded:
                        found[group] += 1
            figures = next(iter(by_agency.values()))
            for group, k in found.items():
                if k > 1:
                    add(group, figures, 1 - k)
    if everyone:
        for figures in lead_tallies.present(start, end, as_of, lead_tallies.TOTAL).values():
            add(TOTAL, figures)
    out = {}
    for group, f in sums.items():
        names = lead_tallies.FIGURES
        out[group] = Tally(counts={names[i]: f[i] for i in range(10) if f[i]}, days_late=f[11], days_overdue=f[12],
                           extensions=f[10])
    return out


def overdue_tasks(report: KpiReport) -> list[tuple[int, int]]:
    """The tasks behind ``report``'s overdue figures: (task id, days overdue as of its as-of day) of every task
    counted as overdue for one of its rows' agencies, most overdue first (then by id). Same query, same as-of day
    and events read (``until_seq``), so the list and the counts agree."""
    groups = [r.agency_id for r in report.rows if r.agency_id is not None]
    if not groups:
        return []
    org = load_organisation()
    members = org.members(groups, units=report.include_units, lineage=report.lineage, as_of=report.as_of)
    found = []
    for task_id, lead_set, days in _run_sql(report.period, report.as_of, report.until_seq, OVERDUE):
        if any(int(a) in members for a in lead_set.split(",")):
            found.append((int(task_id), int(days or 0)))
    found.sort(key=lambda t: (-t[1], t[0]))
    return found


def agencies_by_name(names: Iterable[str]) -> list[Agency]:
    """Agencies for names or abbreviations as users type them (``services.find_agency``); unknown names raise
    ``LookupError`` with the closest registered names."""
    from dondoc.tracking.selectors import closest_agencies
    from dondoc.tracking.services import find_agency

    found = []
    for name in names:
        agency = find_agency(name)
        if agency is None:
            near = ", ".join(closest_agencies(name)) or "—"
            raise LookupError(f"Không có cơ quan «{name}»; gần nhất: {near} / No agency «{name}»; closest: {near}")
        found.append(agency)
    return found
