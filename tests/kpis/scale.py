"""A large synthetic history, written straight into an empty database in the shape the services write it (events
with their data, task columns from ``states.replay``, agency rows), to time the KPI queries. Not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_kpis \\
        .venv/bin/python -m tests.kpis.scale --tasks 1000000 [--time-only]

It refuses to write into a database that already holds tasks. Each task: assigned between 2021 and 11/2026,
15 % without deadline, 10 % co-led, progress reports, 8 % extension requests (most approved, some to another
date), about 80 % finished (a fifth of them late, some dated back), 1 % transferred, 1 % withdrawn, 3 % reopened;
20 of 50 top agencies merge into others in 2025 (their open tasks move, ``succeeded`` events).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

FIRST, LAST = date(2021, 1, 1), date(2026, 11, 30)
TODAY = date(2026, 12, 5)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
    import django

    django.setup()


def history(rng: random.Random, assigned: date, lead: list[int], support: list[int],
            merged: dict[int, tuple[int, date]]) -> list[tuple[str, date, dict]]:
    """One task's events, oldest first, valid for ``states.replay``."""
    due = None if rng.random() < 0.15 else assigned + timedelta(days=rng.randint(10, 180))
    ev = [("created", assigned, {"content": "x", "lead": lead, "support": support,
                                 "due": due.isoformat() if due else None, "deadline_text": "", "recurrence": "",
                                 "draft": True}),
          ("confirmed", assigned, {})]
    day = assigned
    # mergers effective after assignment move the lead on their day
    moves = sorted((max(on, assigned), a, new) for a in lead if a in merged for new, on in [merged[a]])
    horizon = due or assigned + timedelta(days=90)
    finish = None
    if rng.random() < 0.8:
        finish = horizon + timedelta(days=int(rng.gauss(-15, 25)))
        finish = max(finish, assigned)
    for _ in range(rng.choice((1, 2, 2, 3))):
        p = assigned + timedelta(days=rng.randint(0, max(1, (horizon - assigned).days)))
        if p <= TODAY and (finish is None or p < finish):
            day = max(day, p)
            ev.append(("progress", day, {"text": "x", "percent": rng.randint(0, 90)}))
    if due and rng.random() < 0.08:
        r = max(day, due - timedelta(days=rng.randint(1, 20)))
        if r <= TODAY and (finish is None or r < finish):
            ev.append(("extension_requested", r, {"due": (due + timedelta(days=rng.randint(20, 90))).isoformat(),
                                                  "reason": "x"}))
            r2 = r + timedelta(days=2)
            if r2 <= TODAY:
                if rng.random() < 0.75:
                    data = {"reason": ""}
                    if rng.random() < 0.2:
                        data["due"] = (due + timedelta(days=rng.randint(-5, 40))).isoformat()
                    ev.append(("extension_approved", r2, data))
                else:
                    ev.append(("extension_refused", r2, {"reason": "x"}))
                day = r2
    for on, old, new in moves:
        if on <= TODAY and (finish is None or on < finish):
            ev.append(("succeeded", on, {"from": old, "to": new}))
            day = max(day, on)
    roll = rng.random()
    if roll < 0.01 and day + timedelta(days=5) <= TODAY:
        ev.append(("transferred", day + timedelta(days=5), {"to": [lead[0]], "reason": "x"}))
        return ev
    if roll < 0.02 and day + timedelta(days=5) <= TODAY:
        ev.append(("withdrawn", day + timedelta(days=5), {"reason": "x"}))
        return ev
    if finish is not None and finish <= TODAY:
        ev.append(("completed", max(finish, day), {"result": "x"}))
        if rng.random() < 0.03 and max(finish, day) + timedelta(days=10) <= TODAY:
            back = max(finish, day) + timedelta(days=10)
            ev.append(("reopened", back, {"reason": "x"}))
            if back + timedelta(days=15) <= TODAY:
                ev.append(("completed", back + timedelta(days=15), {"result": "x"}))
    return ev


def build(n_tasks: int, seed: int = 1) -> None:
    from django.db import connection

    from dondoc.tracking import states, tallies
    from dondoc.tracking.models import Agency, AgencySuccession, ChainHead, Document, Event, Task, TaskAgency

    if Task.objects.exists():
        sys.exit("the database already holds tasks; use an empty one")
    rng = random.Random(seed)
    started = time.perf_counter()
    tops = [Agency.objects.create(name=f"Bộ/Tỉnh số {i:02d}", source="manual") for i in range(50)]
    units = [Agency.objects.create(name=f"Đơn vị {u} của {t.name}", parent=t, source="manual")
             for t in tops for u in range(9)]
    agencies = [a.pk for a in tops + units]
    merged: dict[int, tuple[int, date]] = {}
    for i in range(20):
        on = date(2025, 3, 1) if i < 10 else date(2025, 7, 1)
        old, new = tops[30 + i], tops[i]
        AgencySuccession.objects.create(predecessor=old, successor=new, effective_on=on)
        merged[old.pk] = (new.pk, on)
    span = (LAST - FIRST).days
    n_docs = max(1, n_tasks // 10)
    stamp = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
    _copy(connection, Document._meta.db_table,
          ["id", "number", "type", "issuer_name", "title", "text", "citations", "file", "original_name",
           "content_type", "size", "content_hash", "identity_key", "status", "created_at"],
          [(d, "", "", "", f"{d}", "", "[]", "", "", "", 0, f"{d:064x}", "", "confirmed", stamp)
           for d in range(1, n_docs + 1)])
    seq = 0
    events_total = 0
    for chunk_start in range(1, n_tasks + 1, 100_000):
        task_rows, assignment_rows, event_rows = [], [], []
        for task_id in range(chunk_start, min(chunk_start + 100_000, n_tasks + 1)):
            assigned = FIRST + timedelta(days=rng.randrange(span))
            lead = rng.sample(agencies, 2) if rng.random() < 0.1 else [rng.choice(agencies)]
            support = [a for a in rng.sample(agencies, rng.choice((0, 0, 1, 2))) if a not in lead]
            events = history(rng, assigned, lead, support, merged)
            snap = states.replay(events)
            created_at = datetime.combine(assigned, datetime.min.time(), UTC) + timedelta(hours=10)
            task_rows.append((task_id, (task_id - 1) % n_docs + 1, "x", snap.status, snap.due, snap.original_due,
                              snap.done_on, snap.done_late, snap.progress_percent, snap.last_progress_on,
                              snap.extensions, created_at, snap.pending_extension))
            ever_lead = dict.fromkeys(lead)
            for kind, _, data in events:
                if kind == "succeeded":
                    ever_lead[data["to"]] = None
            for pos, a in enumerate(ever_lead):
                assignment_rows.append((task_id, a, "lead", a in snap.lead, pos, snap.status, snap.due))
            for pos, a in enumerate(support):
                if a not in ever_lead:
                    assignment_rows.append((task_id, a, "support", a in snap.support, pos, snap.status, snap.due))
            for kind, on, data in events:
                seq += 1
                event_rows.append((seq, task_id, kind, stamp, on, "system", json.dumps(data), f"{seq - 1:064x}",
                                   f"{seq:064x}"))
        _copy(connection, Task._meta.db_table,
              ["id", "document_id", "content", "status", "due_date", "original_due", "done_on", "done_late",
               "progress_percent", "last_progress_on", "extensions", "created_at", "pending_extension"], task_rows,
              extra={"deadline_text": "", "recurrence": "", "is_public": False, "search_text": ""})
        _copy(connection, TaskAgency._meta.db_table, ["task_id", "agency_id", "role", "active", "position",
                                                         "task_status", "task_due"],
              assignment_rows)
        _copy(connection, Event._meta.db_table,
              ["seq", "task_id", "kind", "at", "on", "actor_name", "data", "prev_hash", "hash"], event_rows)
        events_total += len(event_rows)
        print(f"{task_id} tasks, {events_total} events, {time.perf_counter() - started:.0f} s", flush=True)
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": f"{seq:064x}"})
    tallies.rebuild()  # the KPI tallies the services keep as they write, computed once for the rows written here
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Document, Task, TaskAgency, Event):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT MAX(id) FROM {table}))")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    print(f"stored in {time.perf_counter() - started:.0f} s", flush=True)


def _copy(connection, table: str, columns: list[str], rows: list[tuple], extra: dict | None = None) -> None:
    extra = extra or {}
    names = columns + list(extra)
    values = tuple(extra.values())
    quoted = ", ".join(f'"{c}"' for c in names)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *values))
    else:
        marks = ", ".join("%s" for _ in names)
        with connection.cursor() as cursor:
            for i in range(0, len(rows), 50000):
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                                   [(*r, *values) for r in rows[i:i + 50000]])


def _backend_cpu(connection) -> float:
    """CPU seconds the PostgreSQL backend of this connection has used (0 when it cannot be read): the
    machine may be shared, and CPU time does not depend on what else runs."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timings(runs: int = 3) -> None:
    from django.db import connection

    from dondoc.kpis.compute import compute_kpis
    from dondoc.tracking.models import Event, Task

    print(f"{connection.vendor}: {Task.objects.count()} tasks, {Event.objects.count()} events", flush=True)
    cases = [("2025-Q3", date(2025, 9, 30), False), ("2025-Q3", TODAY, False), ("2025-Q3", TODAY, True),
             ("2025-Q1", date(2025, 2, 15), False), ("2026-Q4", TODAY, False), ("2025", TODAY, True)]
    for period, as_of, units in cases:
        best = best_cpu = None
        for _ in range(runs):
            cpu, own = _backend_cpu(connection), time.process_time()
            started = time.perf_counter()
            report = compute_kpis(period, as_of=as_of, include_units=units)
            took = time.perf_counter() - started
            cpu = _backend_cpu(connection) - cpu + time.process_time() - own
            best = took if best is None else min(best, took)
            best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        print(f"{period:8} as of {as_of} units={units!s:5}: {len(report.rows):3} rows, "
              f"{report.total.assigned:6} tasks; best of {runs}: {best:.3f} s wall, {best_cpu:.3f} s CPU "
              "(database + Python)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--time-only", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    _setup()
    if not args.time_only:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build(args.tasks)
    timings(args.runs)


if __name__ == "__main__":
    main()
