"""Time a full quarterly briefing report (every agency; DOCX and XLSX with charts) on a large database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/report_bench \\
        .venv/bin/python benchmarks/report_scale.py [--tasks 1000000] [--runs 3] [--period 2025-Q3]

The database is the KPI benchmark's synthetic history (``tests/kpis/scale.py``: 500 agencies, five years of tasks
with their events, mergers, extensions, late and dated-back completions); on an empty database it is built first
(about 5 minutes per million tasks on PostgreSQL), an existing one is reused. Indicators (``--indicators``, each
with a few reported values) are added once when there are none. Figures are as of the dataset's last day
(05/12/2026: the cached columns' fast path for the overdue list) and as of a past day just after the quarter
(05/10/2025: everything rebuilt from events), best of ``--runs``; CPU time counts this process and the database
backend, so a busy shared machine shows in wall time only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.kpis.scale, when run from anywhere


def _add_indicators(n: int, seed: int = 2) -> int:
    from dondoc.kpis.models import Indicator, IndicatorValue
    from dondoc.tracking.models import Agency

    if Indicator.objects.exists():
        return Indicator.objects.count()
    rng = random.Random(seed)
    agencies = list(Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    indicators = Indicator.objects.bulk_create(
        Indicator(name=f"Tỷ lệ hồ sơ trực tuyến toàn trình số {i}", code=f"BENCH-{i}", unit="percent",
                  direction="increase", baseline_value=rng.randint(10, 40), baseline_date=date(2025, 1, 1),
                  target_value=100, target_date=date(2026, 12, 31), agency_id=rng.choice(agencies))
        for i in range(n))
    values = []
    for indicator in indicators:
        for quarter_end in (date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)):
            values.append(IndicatorValue(indicator=indicator, value=rng.randint(int(indicator.baseline_value), 100),
                                         as_of=quarter_end + timedelta(days=rng.randint(0, 5)), source="import"))
    IndicatorValue.objects.bulk_create(values)
    return n


def _cpu(connection) -> float:
    from tests.kpis.scale import _backend_cpu

    return _backend_cpu(connection) + time.process_time()


def timings(period: str, runs: int) -> None:
    from django.db import connection
    from tests.kpis.scale import TODAY

    from dondoc.reports.assemble import build_briefing
    from dondoc.reports.docx_builder import build_docx
    from dondoc.reports.xlsx_builder import build_xlsx
    from dondoc.tracking.models import Event, Task

    print(f"{connection.vendor}: {Task.objects.count():,} tasks, {Event.objects.count():,} events", flush=True)
    for as_of in (TODAY, date(2025, 10, 5)):
        best: dict[str, tuple[float, float]] = {}
        first = None
        for _ in range(runs):
            steps = {}
            cpu, wall = _cpu(connection), time.perf_counter()
            report = build_briefing(period, as_of=as_of)
            steps["assemble (KPIs, ranking, overdue list, indicators)"] = (time.perf_counter() - wall,
                                                                          _cpu(connection) - cpu)
            cpu, wall = _cpu(connection), time.perf_counter()
            docx = build_docx(report)
            steps["DOCX with chart"] = (time.perf_counter() - wall, _cpu(connection) - cpu)
            cpu, wall = _cpu(connection), time.perf_counter()
            xlsx = build_xlsx(report)
            steps["XLSX with chart"] = (time.perf_counter() - wall, _cpu(connection) - cpu)
            steps["full report (DOCX + XLSX)"] = (sum(w for w, _ in steps.values()), sum(c for _, c in steps.values()))
            first = first or steps["full report (DOCX + XLSX)"]
            for name, (w, c) in steps.items():
                if name not in best or w < best[name][0]:
                    best[name] = (w, c)
        t = report.totals
        print(f"{period} as of {as_of}: {len(report.results)} agencies, {t.assigned:,} tasks, {len(report.overdue):,} "
              f"overdue listed, {len(report.indicators)} indicators; DOCX {len(docx) / 1e6:.1f} MB, XLSX "
              f"{len(xlsx) / 1e6:.1f} MB", flush=True)
        for name, (w, c) in best.items():
            print(f"  {name:55} best of {runs}: {w:6.2f} s wall, {c:6.2f} s CPU", flush=True)
        print(f"  {'full report, first run (cold caches, fonts, imports)':55}           {first[0]:6.2f} s wall, "
              f"{first[1]:6.2f} s CPU", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000, help="tasks to build when the database is empty")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--period", default="2025-Q3")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from tests.kpis.scale import build

    from dondoc.tracking.models import Task

    call_command("migrate", verbosity=0)
    if not Task.objects.exists():
        build(args.tasks)
    print(f"{_add_indicators(args.indicators)} indicators", flush=True)
    timings(args.period, args.runs)


if __name__ == "__main__":
    main()
