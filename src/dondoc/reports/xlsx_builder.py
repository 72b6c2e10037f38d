"""The briefing report as an XLSX workbook: one sheet per table (results, overdue tasks, indicators), with header
rows frozen, filters on, and a native Excel chart of the results — ready for an office to sort and filter."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .content import BriefingReport

HEADER_FONT = Font(name="Times New Roman", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int]], rows: list[list], *, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([c for c, _ in columns])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        ws.append(row)
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    return ws


def build_xlsx(report: BriefingReport) -> bytes:
    wb = Workbook()
    results = [[r.agency, r.assigned, r.done_on_time, r.done_late, r.in_progress, r.overdue, r.without_deadline,
                None if r.on_time_rate is None else round(r.on_time_rate, 4), r.average_days_late, r.extensions]
               for r in report.results]
    ws = _sheet(wb, "Kết quả", [("Cơ quan, đơn vị", 45), ("Được giao", 11), ("Hoàn thành đúng hạn", 13),
                                ("Hoàn thành quá hạn", 13), ("Đang thực hiện trong hạn", 13), ("Quá hạn", 10),
                                ("Không có thời hạn", 12), ("Tỷ lệ đúng hạn", 11), ("Số ngày trễ bình quân", 12),
                                ("Số lần gia hạn", 10)], results, first=True)
    for row in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].number_format = "0.0%"
    if results:
        totals = report.totals
        ws.append(["Tổng cộng", totals.assigned, totals.done_on_time, totals.done_late, totals.in_progress,
                   totals.overdue, totals.without_deadline,
                   None if totals.on_time_rate is None else round(totals.on_time_rate, 4), None, totals.extensions])
        for cell in ws[ws.max_row]:
            cell.font = HEADER_FONT
        ws.cell(ws.max_row, 8).number_format = "0.0%"
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = f"Kết quả thực hiện nhiệm vụ {report.period_label}"
        chart.y_axis.title = "Số nhiệm vụ"
        last = len(results) + 1
        chart.add_data(Reference(ws, min_col=3, max_col=6, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        chart.height, chart.width = max(7.5, 0.6 * len(results)), 18
        ws.add_chart(chart, "L2")
    _sheet(wb, "Nhiệm vụ quá hạn", [("Mã", 8), ("Nhiệm vụ", 70), ("Cơ quan chủ trì", 35), ("Văn bản giao", 20),
                                     ("Thời hạn", 12), ("Số ngày quá hạn", 12)],
           [[t.task_id, t.content, t.lead, t.document, t.due, t.days_overdue] for t in report.overdue])
    _sheet(wb, "Chỉ tiêu", [("Chỉ tiêu", 50), ("Đơn vị tính", 12), ("Cơ quan chịu trách nhiệm", 35),
                             ("Giá trị gốc", 12), ("Mục tiêu", 12), ("Hạn đạt", 12), ("Thực hiện", 12),
                             ("Ngày số liệu", 12), ("Tiến độ", 10), ("Tiến độ kỳ vọng", 10), ("Chậm lộ trình", 10)],
           [[i.name, i.unit, i.agency, i.baseline, i.target, i.target_date, i.latest, i.latest_on, i.progress,
             i.expected, "Có" if i.off_track else "Không"] for i in report.indicators])
    info = wb.create_sheet("Thông tin")
    for row in (("Kỳ báo cáo", report.period_label), ("Từ ngày", report.period_start), ("Đến ngày", report.period_end),
                ("Số liệu tính đến", report.as_of), ("Phạm vi", report.scope or "Tất cả cơ quan"),
                ("Phiên bản công thức", report.formula_version),
                *(("Lưu ý", note.vi) for note in report.notes)):
        info.append(row)
    for column in ("Nhiệm vụ quá hạn", "Chỉ tiêu"):
        for row in wb[column].iter_rows(min_row=2):
            for cell in row:
                if hasattr(cell.value, "year"):
                    cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
