"""National-scale benchmark of the tracking service on SQLite and PostgreSQL.

    python benchmarks/tracking_scale.py [--db sqlite|postgres|both] [--tasks 1000000] [--events 5000000]
                                        [--agencies 500] [--ingest-docs 500] [--small] [--explain]
                                        [--keep] [--reuse [--data-dir DIR]] [--api-cache REDIS_URL]

For each database, in a fresh database (SQLite: a file in a temporary directory; PostgreSQL: ``dondoc_bench`` on
127.0.0.1:5432, dropped and re-created; ``--pg-url`` to change), schema by ``migrate``:

1. the agency registry (``services.sync_registry``) topped up to ``--agencies`` with provincial departments under
   their province, users (officers, one focal point per agency, an administrator with an API token);
2. five years of history (2022 to yesterday), written in bulk (``tracking_scale_fill``): documents of 3-30 tasks,
   tasks with consistent cached columns and assignment rows, events forming one hash chain in time order —
   "generation time";
3. bulk ingest, end to end: ``--ingest-docs`` new directives through ``ingest_directive(extract_text(text))``,
   documents/s and tasks/s;
4. sanity: ``states.replay`` of a sample of tasks matches their cached columns and assignments; ``chain.verify``
   over a prefix of the chain, the links of its tail and the chain head;
5. p50/p95 latency of the task list (one agency's overdue tasks, rotating over the 10 largest and 10 random
   agencies; all tasks due this week) and of ``selectors.state_counts`` for the current quarter, all agencies:
   through the real API (HTTP to gunicorn) when /api/tasks/ exists, otherwise the selector evaluated as a page
   would be (count + first 50 rows + lead names), labelled "selector";
6. requests/s of the task list with wrk (10 s, 4 connections, loopback) against gunicorn with 2 workers — the real
   /api/tasks/ or, until it exists, the stand-in /bench/tasks/ (``tracking_scale_urls``), labelled so;
7. with ``--explain``, the query plans of every query of step 5 (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on
   SQLite);
8. unless ``--api-cache ''``: requests/s of step 6 again with the task list's response cache on (``dondoc.api.cache``,
   Redis at ``--api-cache``), reported in their own columns labelled "cached" (the figures of steps 5 and 6 are
   always computed on every request).

``--reuse`` measures a database an earlier ``--keep`` run left (PostgreSQL at ``--pg-url``; SQLite with ``--data-dir``,
the work directory it printed) as it is: steps 5 to 8 only.

Before each measurement it waits (``--quiet-wait``, default 300 s) for other processes to leave the CPUs idle and
prints how busy the machine was: figures taken on a shared machine say so.

Each database runs in its own child process (Django reads its settings once); the parent prints one table at the end.
``--small`` is a quick check: 20,000 tasks, 100,000 events, 100 ingested documents.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import serving

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/dondoc_bench"
START = date(2022, 1, 1)


def log(message: str = "") -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def runnable_others() -> float:
    """Processes wanting a CPU right now, this one excepted (mean of 10 samples of /proc/loadavg over 2 s)."""
    samples = []
    for _ in range(10):
        running = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
        samples.append(running - 1)
        time.sleep(0.2)
    return sum(samples) / len(samples)


def wait_for_quiet(max_wait: int, what: str) -> dict:
    """Measure on an idle machine when possible: wait (at most ``max_wait`` s) until other processes leave the CPUs
    free, and say how busy it was."""
    t0 = time.time()
    busy = runnable_others()
    while busy > 0.5 and time.time() - t0 < max_wait:
        time.sleep(5)
        busy = runnable_others()
    waited = time.time() - t0
    state = {"waited_s": round(waited), "other_runnable": round(busy, 2), "loadavg": os.getloadavg()}
    log(f"[{what}: other runnable processes {busy:.2f} (waited {waited:.0f} s), load average {state['loadavg']}]")
    return state


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------------- parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--ingest-docs", type=int, default=500, help="directives ingested end to end (default 500)")
    parser.add_argument("--requests", type=int, default=200, help="requests per latency figure (default 200)")
    parser.add_argument("--small", action="store_true", help="20,000 tasks, 100,000 events, 100 ingested documents")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the measured queries")
    parser.add_argument("--keep", action="store_true", help="keep the databases (and print where they are)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database an earlier --keep run left (PostgreSQL: --pg-url; SQLite: "
                             "--data-dir) instead of building one: no migrate, generation, ingest or sanity checks")
    parser.add_argument("--data-dir", help="with --reuse and SQLite: the kept work directory (holds dondoc.sqlite3)")
    parser.add_argument("--api-cache", default="redis://127.0.0.1:6379/0",
                        help="Redis URL for a second, labelled load run with the task list's response cache on "
                             "(default redis://127.0.0.1:6379/0; empty: no cached run)")
    parser.add_argument("--pg-url", default=PG_URL, help=f"PostgreSQL database to re-create (default {PG_URL})")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet-wait", type=int, default=300,
                        help="seconds to wait, before each measurement, for other processes to leave the CPUs idle")
    parser.add_argument("--child", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.small:
        args.tasks, args.events, args.ingest_docs = 20_000, 100_000, 100
    return args


def recreate_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_database(db: str, args: argparse.Namespace, argv: list[str]) -> dict:
    if args.reuse and db == "sqlite":
        if not args.data_dir or not (Path(args.data_dir) / "dondoc.sqlite3").exists():
            raise SystemExit("--reuse with SQLite needs --data-dir, the work directory a --keep run printed")
        workdir = Path(args.data_dir)
    else:
        workdir = Path(tempfile.mkdtemp(prefix=f"dondoc-scale-{db}-"))
    env = dict(os.environ, DONDOC_DATA_DIR=str(workdir), DONDOC_SECRET_KEY="scale-benchmark-only",
               DONDOC_DEBUG="0", DJANGO_SETTINGS_MODULE="dondoc.config.settings",
               PYTHONPATH=os.pathsep.join(p for p in (str(HERE), str(ROOT / "src"), os.environ.get("PYTHONPATH"))
                                          if p))
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        if not args.reuse:
            recreate_pg_database(args.pg_url)
        env["DATABASE_URL"] = args.pg_url
    log(f"\n===== {db}: {args.tasks:,} tasks, {args.events:,} events, {args.agencies} agencies "
        f"(work directory {workdir})")
    command = [sys.executable, str(Path(__file__).resolve()), *argv, "--child", db, "--workdir", str(workdir)]
    status = subprocess.run(command, env=env).returncode
    result_file = workdir / "result.json"
    result = json.loads(result_file.read_text()) if result_file.exists() else {"db": db, "failed": status}
    if status:
        result["failed"] = status
    if args.keep or args.reuse:
        log(f"kept: {workdir}" + (f" and {args.pg_url}" if db == "postgres" else ""))
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        if db == "postgres":
            drop_pg_database(args.pg_url)
    return result


def fmt(value, spec: str = ".1f") -> str:
    if value is None:
        return "—"
    return format(value, spec)


def print_table(results: list[dict]) -> None:
    log("\n===== results")
    for r in results:
        if r.get("failed"):
            log(f"{r['db']}: FAILED (exit status {r['failed']})")
    rows = [r for r in results if not r.get("failed")]
    if not rows:
        return
    log(f"task list latency via: {rows[0].get('latency_via')}; state counts via: selectors.state_counts in "
        f"process; requests/s via: {rows[0].get('load_via')} with {rows[0]['load'].get('overdue', {}).get('tool')}")
    log("req/s columns: every request computed (no response cache); 'cached' columns: the same requests with the "
        "task list's response cache on (dondoc.api.cache in Redis, no writes during the run, so every request after "
        "the first of each address is a hit)\n")
    header = ("| database | dataset (documents / tasks / events / agencies) | generation | ingest docs/s | "
              "ingest tasks/s | agency overdue p50 / p95 ms | due this week p50 / p95 ms | "
              "counts per agency, quarter p50 / p95 ms | req/s overdue | req/s this week | "
              "req/s overdue, cached | req/s this week, cached | peak RSS bench / worker MB |")
    log(header)
    log("|" + "---|" * header.count(" | ") + "---|")
    for r in rows:
        d = r["dataset"]
        lat = r["latency"]
        cached = r["load"].get("cached", {})
        log(f"| {r['db']} {r.get('db_version', '')} | {d['documents']:,} / {d['tasks']:,} / {d['events']:,} / "
            f"{d['agencies']} | {fmt(r['generation_s'], '.0f')} s | {fmt(r['ingest']['docs_per_s'])} | "
            f"{fmt(r['ingest']['tasks_per_s'], '.0f')} | "
            f"{fmt(lat['overdue']['p50'])} / {fmt(lat['overdue']['p95'])} | "
            f"{fmt(lat['week']['p50'])} / {fmt(lat['week']['p95'])} | "
            f"{fmt(lat['counts']['p50'], '.0f')} / {fmt(lat['counts']['p95'], '.0f')} | "
            f"{fmt(r['load'].get('overdue', {}).get('rps'), '.0f')} | "
            f"{fmt(r['load'].get('week', {}).get('rps'), '.0f')} | "
            f"{fmt(cached.get('overdue', {}).get('rps'), '.0f')} | {fmt(cached.get('week', {}).get('rps'), '.0f')} | "
            f"{r['rss_mb']:.0f} / {fmt(r['load'].get('worker_rss_mb'), '.0f')} |")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.child:
        return child(args)
    forwarded = [a for a in argv if a not in ("--db",)]
    if "--db" in argv:  # drop "--db X" from what the children get
        i = argv.index("--db")
        forwarded = argv[:i] + argv[i + 2:]
    elif any(a.startswith("--db=") for a in argv):
        forwarded = [a for a in argv if not a.startswith("--db=")]
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = [run_database(db, args, forwarded) for db in dbs]
    print_table(results)
    return 0 if all(not r.get("failed") for r in results) else 1


# ---------------------------------------------------------------------------------------------------- child: set-up


def child(args: argparse.Namespace) -> int:
    import django

    sys.path.insert(0, str(HERE))
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    workdir = Path(args.workdir)
    result: dict = {"db": args.child}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT current_setting('server_version')")
            result["db_version"] = cur.fetchone()[0]
            settings = {}
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"):
                cur.execute(f"SHOW {name}")
                settings[name] = cur.fetchone()[0]
            log(f"PostgreSQL {result['db_version']}: {settings}")
            result["pg_settings"] = settings
        else:
            cur.execute("SELECT sqlite_version()")
            result["db_version"] = cur.fetchone()[0]
            log(f"SQLite {result['db_version']} at {connection.settings_dict['NAME']}")
    today = timezone.localdate()
    rng = random.Random(args.seed)
    if args.reuse:
        return child_reuse(args, result, workdir, today, rng)
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrate: {time.perf_counter() - t0:.1f} s")
    setup = set_up_organisation(args, rng)
    log(f"agencies: {setup['agencies']} ({setup['departments']} provincial departments added under "
        f"{setup['provinces']} provinces); users: {setup['users']}; today: {today}")

    # the ingest sample's size is drawn now so that the bulk fill leaves room for it in the totals
    ingest_sizes = [round(rng.triangular(3, 30, 8)) for _ in range(args.ingest_docs)]
    planned_ingest_tasks = sum(ingest_sizes)
    filler, fill = bulk_fill(args, setup, today, planned_ingest_tasks)
    result["generation_s"] = fill["seconds"]
    result["generation_steps"] = fill["timings"]
    result["ingest_machine"] = wait_for_quiet(args.quiet_wait, "before the ingest measurement")
    result["ingest"] = ingest_sample(filler, setup, today, ingest_sizes, rng)
    result["dataset"] = dataset_counts()
    log(f"dataset: {result['dataset']}")
    result["sanity"] = sanity_checks(rng)
    return measure_all(args, result, setup, workdir, today, rng)


def child_reuse(args: argparse.Namespace, result: dict, workdir: Path, today: date, rng: random.Random) -> int:
    """Measure a database a --keep run left as it is (schema, data and token included)."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").get(user__username="scale-admin")
    log(f"reusing the kept database as it is (today: {today}); no generation, ingest or sanity checks")
    result["generation_s"] = None
    result["ingest"] = {"docs_per_s": None, "tasks_per_s": None}
    result["dataset"] = dataset_counts()
    log(f"dataset: {result['dataset']}")
    return measure_all(args, result, {"token": token.key, "admin": token.user}, workdir, today, rng)


def measure_all(args: argparse.Namespace, result: dict, setup: dict, workdir: Path, today: date,
                rng: random.Random) -> int:
    result["selector"], probes = measure_latencies(args, setup, today, rng)
    result["latency"] = dict(result["selector"])
    result["latency_via"] = probes["via"]
    if args.explain:
        explain(probes)
    (workdir / "static").mkdir(exist_ok=True)  # STATIC_ROOT, so whitenoise does not warn
    result["load"] = load_test(args, setup, probes, workdir)
    result["load_via"] = result["load"].get("via", "")
    if result["load"].get("latency"):  # the API exists: its latencies over HTTP replace the selector's
        result["api"] = result["load"].pop("latency")
        result["latency"].update(result["api"])
        result["latency_via"] = result["load_via"]
    result["rss_mb"] = peak_rss_mb()
    (workdir / "result.json").write_text(json.dumps(result, default=str, indent=1))
    return 0


def set_up_organisation(args: argparse.Namespace, rng: random.Random) -> dict:
    """Registry agencies, provincial departments up to ``--agencies``, users and an API token."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token
    from tracking_scale_texts import PROVINCE_DEPARTMENTS, AgencyInfo

    from dondoc.tracking.models import Agency, AgencyAlias, AgencySuccession, Profile
    from dondoc.tracking.services import sync_registry

    t0 = time.perf_counter()
    sync_registry()
    log(f"sync_registry: {Agency.objects.count()} agencies in {time.perf_counter() - t0:.1f} s")
    provinces = list(Agency.objects.filter(kind="provincial_committee", valid_to__isnull=True).order_by("pk"))
    missing = max(0, args.agencies - Agency.objects.count())
    written: dict[int, str] = {}
    added, used_provinces = 0, set()
    for province in provinces:
        if added >= missing:
            break
        place = province.name.removeprefix("Ủy ban nhân dân ")
        level = "thành phố" if place.startswith("thành phố") else "tỉnh"
        for department in PROVINCE_DEPARTMENTS:
            if added >= missing:
                break
            if department.startswith("Văn phòng"):
                name = f"Văn phòng {province.name}"
            elif department.endswith(" tỉnh"):
                name = f"{department.removesuffix(' tỉnh')} {place}"
            else:
                name = f"{department} {place}"
            agency = Agency.objects.create(name=name, kind="provincial_department", parent=province,
                                           source=Agency.Source.MANUAL)
            AgencyAlias.objects.create(agency=agency, alias=name)
            written[agency.pk] = department.replace(" tỉnh", f" {level}")
            added += 1
            used_provinces.add(province.pk)
    agencies = [AgencyInfo(a.pk, a.name, a.kind, a.parent_id, a.valid_from, a.valid_to, written.get(a.pk, ""))
                for a in Agency.objects.order_by("pk")]
    successions = {s.predecessor_id: (s.successor_id, s.effective_on, s.pk)
                   for s in AgencySuccession.objects.filter(primary=True).order_by("effective_on", "pk")}

    User = get_user_model()
    unusable = make_password(None)
    officers = [User(username=f"canbo{i:02d}", password=unusable) for i in range(1, 21)]
    focal = [User(username=f"daumoi{a.id}", password=unusable) for a in agencies]
    User.objects.bulk_create(officers + focal)
    by_name = dict(User.objects.values_list("username", "pk"))
    Profile.objects.bulk_create(
        [Profile(user_id=by_name[u.username], role=Profile.Role.OFFICER) for u in officers]
        + [Profile(user_id=by_name[f"daumoi{a.id}"], role=Profile.Role.FOCAL_POINT, agency_id=a.id) for a in agencies]
    )
    admin = User.objects.create_superuser("scale-admin", password=None)
    token = Token.objects.create(user=admin)
    from tracking_scale_fill import People

    people = People(
        officers=[(by_name[u.username], u.username) for u in officers],
        focal={a.id: (by_name[f"daumoi{a.id}"], f"daumoi{a.id}") for a in agencies},
        names={pk: name for name, pk in by_name.items()},
    )
    return {"agencies": len(agencies), "departments": added, "provinces": len(used_provinces),
            "users": len(by_name) + 1, "agency_info": agencies, "successions": successions, "people": people,
            "token": token.key, "admin": admin}


def bulk_fill(args: argparse.Namespace, setup: dict, today: date, planned_ingest_tasks: int):
    from django.db import connection
    from tracking_scale_fill import Filler, PostgresWriter, SqliteWriter, local_day_start_us, us_to_datetime

    from dondoc.tracking import tallies
    from dondoc.tracking.models import AgencySuccession, ChainHead

    writer = (PostgresWriter if connection.vendor == "postgresql" else SqliteWriter)(connection)
    tasks = max(1, args.tasks - planned_ingest_tasks)
    events = max(tasks, args.events - planned_ingest_tasks)
    log(f"bulk fill: {tasks:,} tasks, about {events:,} events ({planned_ingest_tasks:,} tasks and their 'created' "
        f"events are left to the ingest sample)")
    t0 = time.perf_counter()
    filler = Filler(writer=writer, agencies=setup["agency_info"], successions=setup["successions"],
                    people=setup["people"], today=today, start=START, tasks=tasks, events=events, seed=args.seed,
                    log=log)
    fill = filler.run()
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": fill.last_seq, "hash": fill.last_hash})
    last_day = today - timedelta(days=1)
    for succession in AgencySuccession.objects.filter(primary=True, effective_on__lte=last_day):
        succession.applied_at = us_to_datetime(local_day_start_us(succession.effective_on) + 8 * 3600 * 10**6)
        succession.save(update_fields=["applied_at"])
    t1 = time.perf_counter()
    tallies.rebuild()  # the rows were written directly: the KPI tallies the services keep as they write, at once
    fill.timings["KPI tallies (tracking.tallies.rebuild)"] = time.perf_counter() - t1
    seconds = time.perf_counter() - t0
    log(f"generation: {seconds:.0f} s for {fill.documents:,} documents, {fill.tasks:,} tasks, "
        f"{fill.assignments:,} assignments, {fill.events:,} events")
    for step, s in fill.timings.items():
        log(f"  {step}: {s:.1f} s")
    return filler, {"seconds": seconds, "timings": fill.timings}


def dataset_counts() -> dict:
    from django.db.models import Count

    from dondoc.tracking.models import Agency, Document, Event, Task, TaskAgency

    return {"documents": Document.objects.count(), "tasks": Task.objects.count(), "events": Event.objects.count(),
            "assignments": TaskAgency.objects.count(), "agencies": Agency.objects.count(),
            "status": dict(Task.objects.values_list("status").annotate(n=Count("id")).order_by())}


# ---------------------------------------------------------------------------------------------------- ingest


def ingest_sample(filler, setup: dict, today: date, sizes: list[int], rng: random.Random) -> dict:
    """New directives of the last weeks through the real path: extract_text, then ingest_directive."""
    from dondoc.extract import extract_text
    from dondoc.tracking.services import ingest_directive

    days = [d for d in (today - timedelta(days=i) for i in range(30)) if d.weekday() < 5]
    texts = [filler.writer_texts.write(rng.choice(days), n).text for n in sizes]  # numbers continue the bulk's
    extract_text(texts[0])  # warm-up: loads the language data, compiles the patterns
    actor = setup["admin"]
    created = duplicates = tasks = 0
    extract_s = 0.0
    t0 = time.perf_counter()
    for text in texts:
        t = time.perf_counter()
        directive = extract_text(text)
        extract_s += time.perf_counter() - t
        outcome = ingest_directive(directive, actor=actor)
        created += outcome.created
        duplicates += not outcome.created
        tasks += len(outcome.tasks)
    seconds = time.perf_counter() - t0
    out = {"documents": len(texts), "created": created, "duplicates": duplicates, "tasks": tasks,
           "seconds": seconds, "docs_per_s": len(texts) / seconds, "tasks_per_s": tasks / seconds,
           "extraction_share": extract_s / seconds}
    log(f"ingest (extract_text + ingest_directive): {len(texts)} documents ({duplicates} duplicates), {tasks:,} tasks "
        f"in {seconds:.1f} s = {out['docs_per_s']:.1f} documents/s, {out['tasks_per_s']:.0f} tasks/s; "
        f"extraction {out['extraction_share']:.0%} of the time")
    return out


# ---------------------------------------------------------------------------------------------------- sanity


def sanity_checks(rng: random.Random, sample: int = 2000, prefix: int = 200_000, tail: int = 50_000) -> dict:
    """Replay a sample of tasks against their cached columns; verify a prefix of the chain, its tail and head."""
    from django.db.models import Max

    from dondoc.tracking import states
    from dondoc.tracking.chain import GENESIS, event_hash, verify
    from dondoc.tracking.models import Agency, ChainHead, Event, Task, TaskAgency
    from dondoc.tracking.text_keys import search_key

    t0 = time.perf_counter()
    max_id = Task.objects.aggregate(m=Max("id"))["m"]
    ids = sorted({rng.randint(1, max_id) for _ in range(sample)})
    tasks = Task.objects.in_bulk(ids)
    events: dict[int, list] = {}
    for task_id, kind, on, data in (Event.objects.filter(task_id__in=ids).order_by("seq")
                                    .values_list("task_id", "kind", "on", "data")):
        events.setdefault(task_id, []).append((kind, on, data))
    assignments: dict[int, dict] = {}
    for task_id, agency_id, role, active, position in TaskAgency.objects.filter(task_id__in=ids).values_list(
            "task_id", "agency_id", "role", "active", "position"):
        if active:
            assignments.setdefault(task_id, {}).setdefault(role, []).append((position, agency_id))
    names = dict(Agency.objects.values_list("pk", "name"))
    mismatches: list[str] = []
    for task_id, task in tasks.items():
        s = states.replay(events.get(task_id, []))
        cached = (task.status, task.due_date, task.original_due, task.done_on, task.done_late, task.progress_percent,
                  task.last_progress_on, task.extensions, task.content, task.deadline_text, task.recurrence,
                  task.pending_extension)
        replayed = (s.status, s.due, s.original_due, s.done_on, s.done_late, s.progress_percent, s.last_progress_on,
                    s.extensions, s.content, s.deadline_text[:255], s.recurrence, s.pending_extension)
        rows = assignments.get(task_id, {})
        active = tuple(tuple(a for _, a in sorted(rows.get(role, []))) for role in ("lead", "support"))
        words = search_key(" ".join([s.content, s.deadline_text, *(names[a] for a in (*s.lead, *s.support))]))
        if cached != replayed or active != (s.lead, s.support) or sorted(words.split()) != sorted(
                task.search_text.split()):
            mismatches.append(f"task {task_id}: cached {cached} {active} vs replayed {replayed} {(s.lead, s.support)}")
    columns = ("seq", "task_id", "kind", "at", "on", "actor_id", "data", "prev_hash", "hash")
    prefix_rows = Event.objects.filter(seq__lte=prefix).order_by("seq").values_list(*columns).iterator(chunk_size=5000)
    prefix_breaks = [f"{b.seq}: {b.reason}" for b in verify(prefix_rows)]
    last = Event.objects.aggregate(m=Max("seq"))["m"]
    tail_breaks, prev = [], None
    for seq, task_id, kind, at, on, actor_id, data, prev_hash, stored in (
            Event.objects.filter(seq__gt=last - tail).order_by("seq").values_list(*columns).iterator(chunk_size=5000)):
        if prev is not None and prev_hash != prev:
            tail_breaks.append(f"{seq}: does not follow")
        if event_hash(prev_hash, seq=seq, task_id=task_id, kind=kind, at=at, on=on, actor_id=actor_id,
                      data=data) != stored:
            tail_breaks.append(f"{seq}: content does not match its hash")
        prev = stored
    head = ChainHead.objects.get(pk=1)
    head_ok = head.seq == last and head.hash == prev and (last > 0 or head.hash == GENESIS)
    out = {"tasks_checked": len(tasks), "task_mismatches": len(mismatches), "prefix_events": min(prefix, last),
           "prefix_breaks": len(prefix_breaks), "tail_events": min(tail, last), "tail_breaks": len(tail_breaks),
           "head_ok": head_ok, "seconds": time.perf_counter() - t0}
    log(f"sanity: {len(tasks)} tasks replayed, {len(mismatches)} differ from their cached columns; chain.verify over "
        f"the first {out['prefix_events']:,} events: {len(prefix_breaks)} breaks; last {out['tail_events']:,} events: "
        f"{len(tail_breaks)} breaks; chain head {'matches' if head_ok else 'DOES NOT MATCH'} "
        f"({out['seconds']:.1f} s)")
    for line in (mismatches + prefix_breaks + tail_breaks)[:10]:
        log(f"  ! {line}")
    return out


# ---------------------------------------------------------------------------------------------------- latency


def api_exists() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/tasks/")
    except Resolver404:
        return False
    return True


def probe_agencies(rng: random.Random, n_top: int = 10, n_random: int = 10) -> list[int]:
    """The agencies leading the most tasks and some random others that lead at least one."""
    from django.db.models import Count

    from dondoc.tracking.models import TaskAgency

    counts = list(TaskAgency.objects.filter(role="lead", active=True).values_list("agency_id")
                  .annotate(n=Count("id")).order_by("-n"))
    top = [a for a, _ in counts[:n_top]]
    rest = [a for a, _ in counts[n_top:]]
    return top + rng.sample(rest, min(n_random, len(rest)))


def measure_latencies(args: argparse.Namespace, setup: dict, today: date, rng: random.Random):
    from dondoc.tracking import selectors
    from dondoc.tracking.models import Agency

    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    q = (today.month - 1) // 3
    q_start = date(today.year, 3 * q + 1, 1)
    q_end = (date(today.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1))
    agencies = probe_agencies(rng)

    def overdue(agency_id: int) -> int:
        agency = Agency.objects.get(pk=agency_id)
        return selector_page(selectors.TaskFilter(agency=agency, buckets=("overdue",)))

    def week() -> int:
        return selector_page(selectors.TaskFilter(due_from=monday, due_to=sunday))

    def selector_page(task_filter) -> int:
        qs = selectors.tasks(task_filter, today=today)
        total = qs.count()  # what the page's paginator asks first
        page = list(qs[:50])
        selectors.lead_names([t.pk for t in page])
        return total

    def counts() -> int:
        return len(selectors.state_counts(period=(q_start, q_end), today=today))

    def timed(fn, n: int, warm: int = 5) -> tuple[list[float], list]:
        outputs = [fn(i) for i in range(warm)]
        times = []
        for i in range(n):
            t = time.perf_counter()
            outputs.append(fn(i))
            times.append((time.perf_counter() - t) * 1000)
        return times, outputs

    n = args.requests
    figures = {"machine": wait_for_quiet(args.quiet_wait, "before the latency runs")}
    overdue_ms, totals = timed(lambda i: overdue(agencies[i % len(agencies)]), n)
    figures["overdue"] = summary(overdue_ms)
    log(f"selector, one agency's overdue tasks (page of 50 + count + lead names; {len(agencies)} agencies, "
        f"{min(totals[:len(agencies)]):,}-{max(totals[:len(agencies)]):,} overdue each): "
        f"p50 {figures['overdue']['p50']:.1f} ms, p95 {figures['overdue']['p95']:.1f} ms")
    week_ms, totals = timed(lambda i: week(), n)
    figures["week"] = summary(week_ms)
    log(f"selector, all tasks due this week {monday}..{sunday} ({totals[0]:,} tasks): "
        f"p50 {figures['week']['p50']:.1f} ms, p95 {figures['week']['p95']:.1f} ms")
    counts_ms, totals = timed(lambda i: counts(), max(10, n // 10), warm=2)
    figures["counts"] = summary(counts_ms)
    log(f"selector, state_counts for {q_start}..{q_end}, all agencies ({totals[0]} agencies with tasks): "
        f"p50 {figures['counts']['p50']:.0f} ms, p95 {figures['counts']['p95']:.0f} ms")
    probes = {"via": "selector (in process)", "agencies": agencies, "monday": monday, "sunday": sunday,
              "q_start": q_start, "q_end": q_end, "overdue": overdue, "week": week, "counts": counts}
    return figures, probes


def summary(ms: list[float]) -> dict:
    return {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "n": len(ms), "max": max(ms)}


# ---------------------------------------------------------------------------------------------------- plans


def explain(probes: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cases = [
        (f"one agency's overdue tasks (agency {probes['agencies'][0]}, the largest)",
         lambda: probes["overdue"](probes["agencies"][0])),
        (f"one agency's overdue tasks (agency {probes['agencies'][-1]}, a random one)",
         lambda: probes["overdue"](probes["agencies"][-1])),
        ("all tasks due this week", probes["week"]),
        ("state counts per agency for the quarter", probes["counts"]),
    ]
    for title, fn in cases:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        log(f"\n----- plans: {title} ({len(ctx.captured_queries)} queries)")
        for query in ctx.captured_queries:
            sql = query["sql"]
            log(f"\n[{float(query['time']) * 1000:.1f} ms] {sql}")
            raw = connection.connection
            if connection.vendor == "postgresql":
                with raw.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = [row[0] for row in cur.fetchall()]
            else:
                plan = [f"{'  ' * 0}{row[3]}" for row in raw.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
            for line in plan:
                log(f"    {line}")


# ---------------------------------------------------------------------------------------------------- load


def worker_rss_mb(master: int) -> float | None:
    """Peak resident memory (VmHWM) of the largest gunicorn worker."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return None
    peaks = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if m := re.search(r"VmHWM:\s+(\d+) kB", status):
            peaks.append(int(m.group(1)) / 1024)
    return max(peaks) if peaks else None


def http_get(conn, path: str, token: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Authorization": f"Token {token}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    return response.status, response.read()


def load_test(args: argparse.Namespace, setup: dict, probes: dict, workdir: Path) -> dict:
    """Latencies and requests/s over HTTP against gunicorn, computed on every request (no response cache); then,
    when ``--api-cache`` names a Redis server and the real API exists, requests/s again with the task list's
    response cache on (``dondoc.api.cache``), reported apart and labelled "cached"."""
    real_api = api_exists()
    out = serve_and_load(args, setup, probes, workdir, cache_url="", measure_latency=real_api)
    if real_api and args.api_cache:
        cached = serve_and_load(args, setup, probes, workdir, cache_url=args.api_cache, measure_latency=False)
        out["cached"] = {k: cached[k] for k in ("overdue", "week", "worker_rss_mb", "machine") if k in cached}
    return out


def serve_and_load(args: argparse.Namespace, setup: dict, probes: dict, workdir: Path, *, cache_url: str,
                   measure_latency: bool) -> dict:
    import http.client
    import uuid

    from django.conf import settings

    real_api = api_exists()
    base = "/api/tasks/" if real_api else "/bench/tasks/"
    via = "API /api/tasks/ (gunicorn, 2 workers)" if real_api else "stand-in /bench/tasks/ (gunicorn, 2 workers)"
    label = "response cache ON (Redis), " if cache_url else ("no response cache, " if real_api else "")
    overdue_paths = [f"{base}?agency={a}&state=overdue" for a in probes["agencies"]]
    week_paths = [f"{base}?due_from={probes['monday']}&due_to={probes['sunday']}"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dondoc.config.settings" if real_api else "tracking_scale_settings")
    env.pop("DONDOC_API_CACHE", None)
    if cache_url:  # a prefix of this run's own: the bulk fill wrote without raising any data version
        env.update(DONDOC_API_CACHE=cache_url, DONDOC_API_CACHE_PREFIX=f"dondoc-bench:{uuid.uuid4().hex}")
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    out: dict = {"via": via + (", response cache on" if cache_url else "")}
    with serving.gunicorn(env, workdir) as (server, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in overdue_paths + week_paths:
            status, body = http_get(conn, path, setup["token"])
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status}: {body[:300]!r}")
        for _ in range(20):  # warm both workers
            http_get(conn, random.choice(overdue_paths + week_paths), setup["token"])
        out["machine"] = wait_for_quiet(args.quiet_wait, f"before the HTTP measurements ({label or 'stand-in'})")
        if measure_latency:
            out["latency"] = {}
            for name, paths in (("overdue", overdue_paths), ("week", week_paths)):
                ms = []
                for i in range(args.requests):
                    t = time.perf_counter()
                    status, _ = http_get(conn, paths[i % len(paths)], setup["token"])
                    ms.append((time.perf_counter() - t) * 1000)
                out["latency"][name] = summary(ms)
                log(f"API over HTTP ({label}every request computed), {name}: p50 {out['latency'][name]['p50']:.1f} ms, "
                    f"p95 {out['latency'][name]['p95']:.1f} ms")
        conn.close()
        wrk = shutil.which("wrk")
        for name, paths in (("overdue", overdue_paths), ("week", week_paths)):
            if wrk:
                out[name] = run_wrk(wrk, port, paths, setup["token"], args, workdir / f"{name}.lua")
            else:
                out[name] = python_load(port, paths, setup["token"], args)
            log(f"load ({out[name]['tool']}, {args.wrk_seconds} s, {args.wrk_connections} connections, {label}{via}), "
                f"{name}: {out[name]['rps']:.0f} requests/s, {out[name]['errors']} errors, "
                f"latency p50 {fmt(out[name].get('p50_ms'))} ms / p99 {fmt(out[name].get('p99_ms'))} ms")
        out["worker_rss_mb"] = worker_rss_mb(server.pid)
    return out


def run_wrk(wrk: str, port: int, paths: list[str], token: str, args: argparse.Namespace, script: Path) -> dict:
    serving.wrk_script(script, paths, token)
    threads = min(2, args.wrk_connections)
    command = [wrk, "-t", str(threads), "-c", str(args.wrk_connections), "-d", f"{args.wrk_seconds}s", "--latency",
               "-s", str(script), f"http://127.0.0.1:{port}"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))

    def ms(label: str) -> float | None:
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", text)
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    return {"tool": "wrk", "rps": rps, "errors": errors, "p50_ms": ms("50"), "p99_ms": ms("99"), "raw": text}


def python_load(port: int, paths: list[str], token: str, args: argparse.Namespace) -> dict:
    """Fallback when wrk is not installed: processes looping over keep-alive connections."""
    import multiprocessing

    def worker(q, offset):
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        end, n, errors, ms = time.time() + args.wrk_seconds, 0, 0, []
        while time.time() < end:
            t = time.perf_counter()
            status, _ = http_get(conn, paths[(n + offset) % len(paths)], token)
            ms.append((time.perf_counter() - t) * 1000)
            n += 1
            errors += status != 200
        q.put((n, errors, ms))

    q = multiprocessing.get_context("fork").Queue()
    procs = [multiprocessing.get_context("fork").Process(target=worker, args=(q, i))
             for i in range(args.wrk_connections)]
    for p in procs:
        p.start()
    parts = [q.get() for _ in procs]
    for p in procs:
        p.join()
    ms = [m for part in parts for m in part[2]]
    return {"tool": "python load generator", "rps": sum(p[0] for p in parts) / args.wrk_seconds,
            "errors": sum(p[1] for p in parts), "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99)}


if __name__ == "__main__":
    sys.exit(main())
