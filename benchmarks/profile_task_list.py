"""Where one request of the task list spends its time, in process, on a database the scale benchmark kept.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python benchmarks/profile_task_list.py [--runs 300] [--profile] [--explain] [--path /api/tasks/?...]

Each request goes through the WSGI application exactly as gunicorn calls it (every middleware, token
authentication, the view, rendering), with the scale benchmark's administrator token. For each measured address
(one agency's overdue tasks, for the largest agency and a small one; every task due this week) it prints:

- wall time and this process's CPU time per request (the rest is mostly waiting for the database), and the
  PostgreSQL backend's own CPU time per request (``/proc/<backend pid>/stat``, when the server is local);
- the SQL queries of one request with their times (``--explain``: and their EXPLAIN ANALYZE);
- with ``--profile``, cProfile's functions by cumulative time over the runs (``SORT=tottime`` to sort by own time;
  ``--cpu-clock`` to count CPU time rather than wall time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
os.environ.setdefault("DONDOC_SECRET_KEY", "profile-only")
os.environ.setdefault("DONDOC_DEBUG", "0")
os.environ.setdefault("DONDOC_DATA_DIR", "/tmp/dondoc-profile")


def backend_cpu_ticks(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--path", action="append", help="an address to measure instead of the default ones")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--cpu-clock", action="store_true",
                        help="profile by this process's CPU time (time.process_time) instead of wall time, so that "
                             "waiting for PostgreSQL (and a send that lets the server run) counts for nothing")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from dondoc.tracking.models import TaskAgency

    application = WSGIHandler()
    token = Token.objects.select_related("user").filter(user__is_superuser=True).first()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    leads = list(TaskAgency.objects.filter(role="lead", active=True).values_list("agency_id")
                 .annotate(n=Count("id")).order_by("-n"))
    paths = args.path or [
        f"/api/tasks/?agency={leads[0][0]}&state=overdue",
        f"/api/tasks/?agency={leads[len(leads) // 2][0]}&state=overdue",
        f"/api/tasks/?due_from={monday}&due_to={monday + timedelta(days=6)}",
    ]

    def call(path: str) -> tuple[int, bytes]:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000", "HTTP_AUTHORIZATION": f"Token {token.key}", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        status = []
        body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
        return int(status[0].split()[0]), body

    for path in paths:
        code, body = call(path)
        if code != 200:
            print(f"{path}: HTTP {code} {body[:300]!r}")
            return 1
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()") if connection.vendor == "postgresql" else None
            backend = cur.fetchone()[0] if connection.vendor == "postgresql" else None
        for _ in range(20):
            call(path)
        ticks0, cpu0, wall0 = backend_cpu_ticks(backend), time.process_time(), time.perf_counter()
        for _ in range(args.runs):
            call(path)
        wall = (time.perf_counter() - wall0) / args.runs * 1000
        cpu = (time.process_time() - cpu0) / args.runs * 1000
        ticks1 = backend_cpu_ticks(backend)
        db_cpu = ((ticks1 - ticks0) / os.sysconf("SC_CLK_TCK") / args.runs * 1000) if ticks0 is not None else None
        print(f"\n===== {path}  ({len(body):,} bytes)")
        print(f"per request: wall {wall:.2f} ms, Python CPU {cpu:.2f} ms"
              + (f", PostgreSQL backend CPU {db_cpu:.2f} ms" if db_cpu is not None else ""))
        with CaptureQueriesContext(connection) as ctx:
            call(path)
        for query in ctx.captured_queries:
            print(f"  [{float(query['time']) * 1000:6.2f} ms] {query['sql'][:400]}")
            if args.explain and connection.vendor == "postgresql" and query["sql"].lstrip().upper().startswith(
                    ("SELECT", "WITH")):
                with connection.connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    for (line,) in cur.fetchall():
                        print(f"      {line}")
        if args.profile:
            profiler = cProfile.Profile(time.process_time) if args.cpu_clock else cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                call(path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
