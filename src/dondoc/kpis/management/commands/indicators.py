"""`dondoc indicators`: indicators with their progress against the target, those off track flagged; ``--import``
loads reported values from a CSV or XLSX file (all rows or none).

    dondoc indicators [--as-of 2025-09-30] [--off-track] [--format table|json]
    dondoc indicators --import so-lieu.xlsx
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from dondoc.kpis import indicators
from dondoc.kpis.models import Indicator
from dondoc.tracking.bootstrap import TrackingCommand

STATUS_VI = {"achieved": "đã đạt", "on_track": "đúng tiến độ", "behind": "chậm", "missed": "không đạt",
             "no_data": "chưa có số liệu"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


class Command(TrackingCommand):
    help = "Chỉ tiêu và tiến độ so với mục tiêu; nhập số liệu từ CSV/XLSX / indicators against their targets"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, help="assess as of this day (YYYY-MM-DD)")
        parser.add_argument("--off-track", action="store_true", help="only the indicators flagged off track")
        parser.add_argument("--import", dest="import_file", metavar="FILE", help="values from a .csv or .xlsx file")
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args, as_of=None, off_track=False, import_file=None, format="table", **options):
        if import_file:
            return self._import(Path(import_file))
        day = as_of or indicators.timezone.localdate()
        rows = [(i, indicators.progress(i, day)) for i in Indicator.objects.select_related("agency")]
        if off_track:
            rows = [(i, a) for i, a in rows if a.off_track]
        if format == "json":
            self.stdout.write(json.dumps([{
                "id": i.pk, "code": i.code, "name": i.name, "agency": i.agency.name, "unit": i.unit,
                "direction": i.direction, "baseline": str(i.baseline_value), "target": str(i.target_value),
                "target_date": i.target_date.isoformat(), "value": None if a.value is None else str(a.value),
                "value_as_of": a.value_as_of.isoformat() if a.value_as_of else None, "progress": a.progress,
                "expected": a.expected, "status": a.status, "off_track": a.off_track,
                "message": {"vi": a.message[0], "en": a.message[1]},
            } for i, a in rows], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Chỉ tiêu tính đến ngày {day:%d/%m/%Y} / indicators as of {day.isoformat()}")
        for i, a in rows:
            flag = "⚠ " if a.off_track else "  "
            value = "—" if a.value is None else f"{a.value.normalize():f} ({a.value_as_of:%d/%m/%Y})"
            self.stdout.write(f"{flag}{(i.code or f'#{i.pk}'):<10} {i.name[:50]:<50} {i.agency.name[:30]:<30} "
                              f"{value:>24} → {i.target_value.normalize():f} ({i.target_date:%d/%m/%Y}) "
                              f"{_pct(a.progress):>5} / {_pct(a.expected):>5} {STATUS_VI[a.status]}")
        flagged = sum(a.off_track for _, a in rows)
        self.stdout.write(f"{len(rows)} chỉ tiêu, {flagged} chậm tiến độ / {len(rows)} indicators, "
                          f"{flagged} off track")

    def _import(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"không đọc được {path} ({error.strerror}) / cannot read {path}") from None
        result = indicators.import_values(data, path.name)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} lỗi, không lưu số liệu nào / {len(result.errors)} errors, "
                               "nothing saved")
        self.stdout.write(f"{len(result.created)} số liệu mới, {result.unchanged} trùng đã có / "
                          f"{len(result.created)} new values, {result.unchanged} already stored")
