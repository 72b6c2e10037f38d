"""`dondoc kpis --period 2025-Q3`: the KPIs of every agency (or the ones named) for a period, as of a day.

    dondoc kpis --period "Quý III/2025" [--agency "Bộ Y tế" ...] [--as-of 2025-09-30] [--units] [--no-lineage]
                [--until-seq N] [--rank [--min-tasks 5]] [--format table|json|csv]
"""

from __future__ import annotations

import csv
import json

from django.core.management.base import CommandError

from dondoc.kpis.compute import KpiReport, agencies_by_name, compute_kpis
from dondoc.kpis.formula import KpiRecord
from dondoc.kpis.formula import rank as rank_agencies
from dondoc.kpis.periods import PeriodError, parse_period
from dondoc.tracking.bootstrap import TrackingCommand, iso_day

COLUMNS = [  # (field, Vietnamese heading, English heading, width)
    ("assigned", "Giao", "assigned", 8), ("with_deadline", "Có hạn", "due", 6),
    ("done_on_time", "Đúng hạn", "on time", 8), ("done_late", "Trễ hạn", "late", 7),
    ("in_progress", "Trong hạn", "in prog.", 9), ("overdue", "Quá hạn", "overdue", 7),
    ("withdrawn", "Dừng", "withdr.", 7), ("without_deadline", "Không hạn", "no due", 9),
    ("transferred", "Đã chuyển", "transf.", 9), ("extensions_granted", "Gia hạn", "ext.", 7),
]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class Command(TrackingCommand):
    help = "Chỉ số đánh giá thực hiện nhiệm vụ theo cơ quan / task KPIs per agency for a period"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True,
                            help='2025-Q3, 2025-07, 2025-H1, 2025, 2025-W14, 2025-07-01..2025-09-30, "Quý III/2025"')
        parser.add_argument("--agency", action="append", help="agency name or abbreviation (repeatable)")
        parser.add_argument("--as-of", type=iso_day, help="figures as of this day (YYYY-MM-DD, default today)")
        parser.add_argument("--units", action="store_true", help="roll units up into their parent agency")
        parser.add_argument("--no-lineage", action="store_true",
                            help="do not count predecessors' tasks for their successors")
        parser.add_argument("--until-seq", type=int, help="read events up to this number (reproduce a report)")
        parser.add_argument("--rank", action="store_true", help="also list agencies for commendation and criticism")
        parser.add_argument("--min-tasks", type=int, default=5,
                            help="commendation needs at least this many judged tasks (default 5)")
        parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
        parser.add_argument("--method", choices=("sql", "replay"), default="sql", help="replay: the slow reference")

    def handle(self, *args, period, agency=None, as_of=None, units=False, no_lineage=False, until_seq=None,
               rank=False, min_tasks=5, format="table", method="sql", **options):
        try:
            parsed = parse_period(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        try:
            agencies = agencies_by_name(agency) if agency else None
        except LookupError as error:
            raise CommandError(str(error)) from None
        report = compute_kpis(parsed, as_of=as_of, agencies=agencies, include_units=units, lineage=not no_lineage,
                              until_seq=until_seq, method=method)
        ranking = _rank(report, min_tasks) if rank else None
        if format == "json":
            payload = report.to_json()
            if ranking:
                payload["ranking"] = {"min_judged": min_tasks,
                                      "commend": [r.agency_id for r in ranking.commend],
                                      "criticise": [r.agency_id for r in ranking.criticise]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        elif format == "csv":
            self._csv(report)
        else:
            self._table(report, ranking)
        for notice in report.notices:
            self.stderr.write(str(notice))

    def _csv(self, report: KpiReport) -> None:
        rows = [*report.rows, report.total]
        fields = list(rows[0].to_json())
        writer = csv.DictWriter(self.stdout, fieldnames=["period", "as_of", "formula_version", *fields],
                                lineterminator="\n")
        writer.writeheader()
        for record in rows:
            writer.writerow({"period": report.period.code, "as_of": report.as_of.isoformat(),
                             "formula_version": report.formula_version, **record.to_json()})

    def _table(self, report: KpiReport, ranking) -> None:
        name_width = min(max([len(r.agency) for r in report.rows] + [len("Cơ quan / agency")]), 44)
        out = self.stdout
        out.write(f"Chỉ số thực hiện nhiệm vụ {report.period.label} "
                  f"({report.period.start:%d/%m/%Y}–{report.period.end:%d/%m/%Y}), tính đến ngày "
                  f"{report.as_of:%d/%m/%Y} / task KPIs {report.period.code} as of {report.as_of.isoformat()}")
        head_vi = f"{'Cơ quan':<{name_width}} " + " ".join(f"{vi:>{w}}" for _, vi, _, w in COLUMNS) \
            + f" {'Tỷ lệ đúng hạn':>14} {'TB ngày trễ':>11} {'TB ngày quá hạn':>15}"
        head_en = f"{'agency':<{name_width}} " + " ".join(f"{en:>{w}}" for _, _, en, w in COLUMNS) \
            + f" {'on-time rate':>14} {'avg d. late':>11} {'avg d. overdue':>15}"
        out.write(head_vi)
        out.write(head_en)
        out.write("-" * len(head_vi))
        for record in report.rows:
            out.write(self._line(record, name_width))
        if report.rows:
            out.write("-" * len(head_vi))
        out.write(self._line(report.total, name_width))
        out.write(f"Tỷ lệ đúng hạn = đúng hạn / (đúng hạn + trễ hạn + quá hạn chưa xong); công thức "
                  f"{report.formula_version}; đọc sự kiện đến số {report.until_seq} / on-time rate = on time / "
                  f"(on time + late + open overdue); formula {report.formula_version}; events up to "
                  f"#{report.until_seq}")
        if ranking:
            out.write("")
            out.write(f"Đề nghị biểu dương (ít nhất {ranking.min_judged} nhiệm vụ được đánh giá) / "
                      "for commendation:")
            for n, r in enumerate(ranking.commend, 1):
                out.write(f"{n:>3}. {r.agency} — {_pct(r.on_time_rate)} đúng hạn, {r.overdue} quá hạn")
            out.write("Đề nghị phê bình, nhắc nhở / for criticism:")
            for n, r in enumerate(ranking.criticise, 1):
                out.write(f"{n:>3}. {r.agency} — {r.overdue} quá hạn (TB {_num(r.avg_days_overdue)} ngày), "
                          f"{_pct(r.on_time_rate)} đúng hạn")
            if not ranking.commend and not ranking.criticise:
                out.write("     —")

    @staticmethod
    def _line(r: KpiRecord, name_width: int) -> str:
        name = r.agency if len(r.agency) <= name_width else r.agency[: name_width - 1] + "…"
        cells = " ".join(f"{getattr(r, f):>{w}}" for f, _, _, w in COLUMNS)
        return (f"{name:<{name_width}} {cells} {_pct(r.on_time_rate):>14} {_num(r.avg_days_late):>11} "
                f"{_num(r.avg_days_overdue):>15}")


def _rank(report: KpiReport, min_tasks: int):
    return rank_agencies(report.rows, min_judged=min_tasks, limit=10)
