"""Where the machine's CPU goes per API request under load: gunicorn (2 sync workers) serving wrk, on a database the
scale benchmark kept, with the CPU time of every process involved counted from /proc.

    .venv/bin/python benchmarks/http_cpu.py --pg-url postgres://postgres@127.0.0.1:5432/bench_1m \\
        [--seconds 10] [--connections 4] [--workers 2] [--what me,overdue,week,404] [--repeat 1]

For each address set (``me``: ``/api/me/``; ``overdue``: one agency's overdue tasks, rotating over the agencies
``tracking_scale.py --reuse`` picks; ``week``: every task due this week; ``404``: an unknown ``/api/.../`` address,
every middleware and no DRF) it starts gunicorn as ``tracking_scale.py`` does (``DONDOC_DEBUG=0``, no response
cache), warms both workers, runs wrk and prints requests/s with the CPU milliseconds per request of the gunicorn
workers, the PostgreSQL server processes, wrk, and their sum, plus the load average before and after. Every request
is computed: ``DONDOC_API_CACHE`` is removed from the server's environment.

The CPU figures are what each process was charged (user + system, from ``/proc/<pid>/stat``), so they hold on a
shared machine better than requests/s, which depend on what else runs; the whole machine's busy time is printed too
(``machine``, from ``/proc/stat``, other people's work included).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from serving import gunicorn, wrk_script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def processes() -> dict[int, tuple[str, int]]:
    """pid -> (command name, parent pid) of every process."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, tail = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            out[int(entry.name)] = (head.split("(", 1)[1], int(tail.split()[1]))
    return out


def descendants(root: int, procs: dict[int, tuple[str, int]]) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (_, ppid) in procs.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def snapshot(server_pid: int) -> dict[str, int]:
    procs = processes()
    gunicorn = descendants(server_pid, procs)
    postgres = {pid for pid, (name, _) in procs.items() if name.startswith("postgres")}
    return {"gunicorn": sum(cpu_ticks(p) for p in gunicorn), "postgres": sum(cpu_ticks(p) for p in postgres)}


def addresses(what: str, pg_url: str) -> tuple[list[str], str]:
    """The paths of one address set and the scale administrator's token."""
    os.environ["DATABASE_URL"] = pg_url
    import django

    django.setup()
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    sys.path.insert(0, str(HERE))
    from tracking_scale import probe_agencies

    token = Token.objects.get(user__username="scale-admin").key
    if what == "me":
        return ["/api/me/"], token
    if what == "404":
        return ["/api/no-such-endpoint/"], token
    if what == "overdue":
        return [f"/api/tasks/?agency={a}&state=overdue" for a in probe_agencies(random.Random(7))], token
    if what == "week":
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        return [f"/api/tasks/?due_from={monday}&due_to={monday + timedelta(days=6)}"], token
    if what.startswith("/"):
        return [what], token
    raise SystemExit(f"unknown address set {what!r}")


def measure(paths: list[str], token: str, args: argparse.Namespace, workdir: Path) -> dict:
    env = dict(os.environ, DONDOC_DATA_DIR=str(workdir), DONDOC_SECRET_KEY="scale-benchmark-only", DONDOC_DEBUG="0",
               DJANGO_SETTINGS_MODULE="dondoc.config.settings", DATABASE_URL=args.pg_url,
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p))
    env.pop("DONDOC_API_CACHE", None)
    quiet = paths[0].startswith("/api/no-such")  # Django logs a "Not Found" line per request: not on the terminal
    with gunicorn(env, workdir, workers=args.workers, stderr=subprocess.DEVNULL if quiet else None) as (server, port):
        for i in range(40):  # warm both workers (and check the answers)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", paths[i % len(paths)], headers={"Authorization": f"Token {token}"})
            response = conn.getresponse()
            body = response.read()
            conn.close()
            expected = 404 if quiet else 200
            if response.status != expected:
                raise SystemExit(f"GET {paths[i % len(paths)]}: HTTP {response.status} {body[:300]!r}")
        script = wrk_script(workdir / "paths.lua", paths, token)
        load0 = Path("/proc/loadavg").read_text().split()[:3]
        before, busy0 = snapshot(server.pid), machine_busy()
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk = subprocess.Popen([shutil.which("wrk"), "-t", str(min(2, args.connections)), "-c",
                                str(args.connections), "-d", f"{args.seconds}s", "--latency", "-s", str(script),
                                f"http://127.0.0.1:{port}"], stdout=subprocess.PIPE, text=True)
        text, _ = wrk.communicate()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk's own time (gunicorn is waited for later)
        after, busy1 = snapshot(server.pid), machine_busy()
        load1 = Path("/proc/loadavg").read_text().split()[:3]
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    ms = 1000 / TICK / max(requests, 1)
    out = {"requests": requests, "rps": rps, "non_2xx": bad, "load_before": " ".join(load0),
           "load_after": " ".join(load1),
           "wrk_ms": (children.ru_utime + children.ru_stime - children0.ru_utime - children0.ru_stime) * 1000
           / max(requests, 1),
           "gunicorn_ms": (after["gunicorn"] - before["gunicorn"]) * ms,
           "postgres_ms": (after["postgres"] - before["postgres"]) * ms,
           "machine_ms": (busy1[0] - busy0[0]) * ms,
           "latency": " / ".join(re.search(rf"^\s+{p}%\s+(\S+)", text, re.M).group(1) for p in ("50", "99"))}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/bench_1m")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--what", default="me,overdue,week",
                        help="comma-separated: me, overdue, week, 404, or a path")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("http_cpu: wrk is not installed (Debian: apt-get install wrk) / chưa cài wrk")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
    os.environ.setdefault("DONDOC_SECRET_KEY", "scale-benchmark-only")
    os.environ.setdefault("DONDOC_DEBUG", "0")
    sys.path.insert(0, str(ROOT / "src"))
    workdir = Path(tempfile.mkdtemp(prefix="dondoc-http-cpu-"))
    (workdir / "static").mkdir()
    os.environ.setdefault("DONDOC_DATA_DIR", str(workdir))
    sets = {what: addresses(what, args.pg_url) for what in args.what.split(",")}
    from django.db import connections

    connections.close_all()
    print(f"gunicorn {args.workers} sync workers, wrk {args.seconds} s, {args.connections} connections, "
          f"{args.pg_url}; CPU ms per request by process")
    print("| address | req/s | non-2xx | gunicorn | PostgreSQL | gunicorn + PostgreSQL | wrk | whole machine | "
          "latency p50 / p99 | load before → after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for _ in range(args.repeat):
        for what, (paths, token) in sets.items():
            r = measure(paths, token, args, workdir)
            print(f"| {what} ({len(paths)} path{'s' if len(paths) > 1 else ''}) | {r['rps']:.0f} | {r['non_2xx']} | "
                  f"{r['gunicorn_ms']:.2f} | {r['postgres_ms']:.2f} | {r['gunicorn_ms'] + r['postgres_ms']:.2f} | "
                  f"{r['wrk_ms']:.2f} | {r['machine_ms']:.2f} | {r['latency']} | "
                  f"{r['load_before']} → {r['load_after']} |", flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
