"""The briefing report as Markdown: for a quick look, an e-mail, or a wiki."""

from __future__ import annotations

from .content import BriefingReport, long_date, percent


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def build_markdown(report: BriefingReport) -> str:
    t = report.totals
    lines = [f"# Báo cáo: {report.title}", "",
             f"{report.issuer} · {long_date(report.signed_on or report.as_of, report.place)} · số liệu tính đến "
             f"{report.as_of:%d/%m/%Y}", "",
             f"Được giao {t.assigned} nhiệm vụ có thời hạn trong kỳ: hoàn thành đúng hạn {t.done_on_time}, quá hạn "
             f"{t.done_late}; đang thực hiện trong hạn {t.in_progress}; chưa hoàn thành quá hạn {t.overdue}; "
             f"không có thời hạn {t.without_deadline}. Tỷ lệ đúng hạn {percent(t.on_time_rate)}.", "",
             *(f"_{_cell(note.vi)}_\n" for note in report.notes),
             "## Kết quả theo cơ quan, đơn vị", "",
             "| Cơ quan, đơn vị | Được giao | Đúng hạn | Quá hạn (đã xong) | Trong hạn | Quá hạn | Không thời hạn "
             "| Tỷ lệ đúng hạn |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in [*report.results, t]:
        lines.append(f"| {_cell(r.agency)} | {r.assigned} | {r.done_on_time} | {r.done_late} | {r.in_progress} "
                     f"| {r.overdue} | {r.without_deadline} | {percent(r.on_time_rate)} |")
    lines += ["", "## Nhiệm vụ chưa hoàn thành, quá hạn", ""]
    if report.overdue:
        lines += ["| Nhiệm vụ | Chủ trì | Văn bản | Thời hạn | Số ngày quá hạn |", "|---|---|---|---|---:|"]
        lines += [f"| {_cell(o.content)} | {_cell(o.lead)} | {_cell(o.document)} | {o.due:%d/%m/%Y} "
                  f"| {o.days_overdue} |" for o in report.overdue]
    else:
        lines.append("Không có nhiệm vụ quá hạn.")
    lines += ["", "## Chỉ tiêu định lượng", ""]
    if report.indicators:
        lines += ["| Chỉ tiêu | Chịu trách nhiệm | Mục tiêu | Thực hiện | Tiến độ | Đánh giá |",
                  "|---|---|---:|---:|---:|---|"]
        lines += [f"| {_cell(i.name)} | {_cell(i.agency)} | {i.target:g} {i.unit} | "
                  f"{'—' if i.latest is None else f'{i.latest:g} {i.unit}'} | {percent(i.progress)} | "
                  f"{'Chậm so với lộ trình' if i.off_track else 'Đúng lộ trình'} |" for i in report.indicators]
    else:
        lines.append("Không có chỉ tiêu định lượng trong phạm vi báo cáo.")
    if report.formula_version:
        lines += ["", f"_Công thức phiên bản {report.formula_version}._"]
    return "\n".join(lines) + "\n"
