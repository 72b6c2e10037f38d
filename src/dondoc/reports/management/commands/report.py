"""`dondoc report --period 2025-Q3 --format docx`: the briefing report (báo cáo giao ban) as a file.

    dondoc report --period "Quý III/2025" [--agency "Bộ Tài chính" ...] [--include-units] [--as-of 2025-10-05]
                  [--format docx|xlsx|pdf|md] [--out FILE | --out -] [--issuer "VĂN PHÒNG"] [--issuer-parent ...]
                  [--number 215] [--place "Hà Nội"]

Without ``--out`` the file is written to the current directory as ``bao-cao-giao-ban-<period>[-<agency>].<format>``;
``--out -`` writes it to standard output. Notes about the figures (provisional, no tasks, an agency without tasks)
go to standard error in Vietnamese and English; the report is still produced. Refused with exit status 1 and a
bilingual message: an unknown period, an unknown agency (with the closest names), a PDF without LibreOffice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError

from dondoc.reports.assemble import BriefingError, build_briefing
from dondoc.reports.pdf import PdfUnavailable
from dondoc.reports.render import FORMATS, file_name, render
from dondoc.tracking.bootstrap import TrackingCommand, iso_day


class Command(TrackingCommand):
    help = "Báo cáo giao ban (DOCX, XLSX, PDF, Markdown) / briefing report for a period"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True,
                            help='2025-Q3, 2025-07, 2025-H1, 2025, 2025-07-01..2025-09-30, "Quý III/2025"...')
        parser.add_argument("--agency", action="append",
                            help="agency id, name or abbreviation (repeatable); default: every agency")
        parser.add_argument("--include-units", action="store_true",
                            help="count units' tasks with their parent agency (Cục under Bộ, Sở under tỉnh)")
        parser.add_argument("--as-of", type=iso_day, help="figures as of this day (YYYY-MM-DD, default today)")
        parser.add_argument("--format", choices=FORMATS, default="docx")
        parser.add_argument("--out", help="file to write ('-': standard output); default: a name from the period")
        parser.add_argument("--issuer", default="VĂN PHÒNG", help="cơ quan ban hành (default VĂN PHÒNG)")
        parser.add_argument("--issuer-parent", default="", help="cơ quan chủ quản, above the issuer")
        parser.add_argument("--number", default="", help="số văn bản (left blank for the clerk by default)")
        parser.add_argument("--place", default="Hà Nội", help="địa danh of the date line (default Hà Nội)")

    def handle(self, *args, period, agency=None, include_units=False, as_of=None, format="docx", out=None,
               issuer="VĂN PHÒNG", issuer_parent="", number="", place="Hà Nội", **options):
        try:
            report = build_briefing(period, as_of=as_of, agencies=agency, include_units=include_units,
                                    issuer=issuer, issuer_parent=issuer_parent, number=number, place=place)
        except BriefingError as error:
            raise CommandError(str(error)) from None
        from dondoc.kpis.periods import parse_period

        name = out or file_name(parse_period(period).code, format, agency)
        try:
            rendered = render(report, format, Path(name).name)
        except PdfUnavailable as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stderr.write(str(note))
        if name == "-":
            stream = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(stream, "buffer"):
                stream.buffer.write(rendered.content)
            else:  # a text stream (tests): Markdown only makes sense there
                stream.write(rendered.content.decode("utf-8", errors="replace"))
            stream.flush()
            return
        target = Path(name)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(rendered.content)
        except OSError as error:
            detail = error.strerror or error
            raise CommandError(f"không ghi được {target} ({detail}) / cannot write {target} ({detail})") from None
        t = report.totals
        self.stdout.write(
            f"Đã ghi {target} ({len(rendered.content):,} byte): {report.period_label}, {len(report.results)} cơ "
            f"quan, {t.assigned} nhiệm vụ, {t.overdue} quá hạn, {len(report.indicators)} chỉ tiêu / wrote "
            f"{target}: {len(report.results)} agencies, {t.assigned} tasks, {t.overdue} overdue, "
            f"{len(report.indicators)} indicators")
