"""Each report format, opened again and read back: the same figures in the layout offices expect."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from dondoc.reports.content import AgencyResult, BriefingReport, IndicatorStatus, OverdueTask, long_date, percent
from dondoc.reports.docx_builder import build_docx
from dondoc.reports.markdown_builder import build_markdown
from dondoc.reports.pdf import docx_to_pdf, soffice
from dondoc.reports.xlsx_builder import build_xlsx

REPORT = BriefingReport(
    period_label="Quý III năm 2025", period_start=date(2025, 7, 1), period_end=date(2025, 9, 30),
    as_of=date(2025, 10, 5), issuer="Văn phòng", issuer_parent="Bộ Tài chính", place="Hà Nội", number="215",
    results=[
        AgencyResult("Cục Thuế", 12, 8, 2, 0, 2, 1, 8 / 12, 4.5, 1),
        AgencyResult("Cục Hải quan", 5, 5, 0, 0, 0, 0, 1.0),
    ],
    overdue=[OverdueTask(41, "Hoàn thiện cơ sở dữ liệu hóa đơn điện tử", "Cục Thuế", date(2025, 9, 15), 20,
                         "1234/BTC-CNTT")],
    indicators=[IndicatorStatus("Hồ sơ thuế nộp trực tuyến", "%", "Cục Thuế", 60, 90, date(2025, 12, 31), 70,
                                date(2025, 9, 30), 1 / 3, 0.75, True)],
    commended=["Cục Hải quan"], criticised=["Cục Thuế"], formula_version="2026.1",
)


def test_totals_rate_counts_open_overdue_tasks_against_it():
    totals = REPORT.totals
    assert (totals.assigned, totals.done_on_time, totals.overdue) == (17, 13, 2)
    assert percent(totals.on_time_rate) == "76,5%"  # 13 / (13 + 2 late + 2 overdue)


def test_dates_follow_the_administrative_format():
    assert long_date(date(2025, 2, 5), "Hà Nội") == "Hà Nội, ngày 05 tháng 02 năm 2025"
    assert long_date(date(2025, 10, 15)) == "ngày 15 tháng 10 năm 2025"


def test_docx_has_the_national_header_title_tables_and_a4_times_new_roman():
    doc = Document(io.BytesIO(build_docx(REPORT)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    header = doc.tables[0].rows[0].cells
    assert "BỘ TÀI CHÍNH" in header[0].text and "VĂN PHÒNG" in header[0].text and "Số: 215/BC-VP" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert "Hà Nội, ngày 05 tháng 10 năm 2025" in header[1].text
    body = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in body and "Kết quả thực hiện nhiệm vụ được giao Quý III năm 2025" in body
    assert any("Tỷ lệ hoàn thành đúng hạn: 76,5%" in p for p in body)
    results = doc.tables[1]
    assert [c.text for c in results.rows[1].cells] == ["1", "Cục Thuế", "12", "8", "2", "0", "2", "1", "66,7%"]
    assert results.rows[-1].cells[1].text == "Tổng cộng"
    assert "Hoàn thiện cơ sở dữ liệu hóa đơn điện tử" in doc.tables[2].rows[1].cells[1].text
    assert doc.tables[3].rows[1].cells[6].text == "Chậm so với lộ trình"
    assert len(doc.inline_shapes) == 1  # the chart
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    assert "Nơi nhận:" in doc.tables[-1].rows[0].cells[0].text


def test_xlsx_has_one_filterable_sheet_per_table_and_a_chart():
    wb = load_workbook(io.BytesIO(build_xlsx(REPORT)))
    assert wb.sheetnames == ["Kết quả", "Nhiệm vụ quá hạn", "Chỉ tiêu", "Thông tin"]
    results = wb["Kết quả"]
    assert [c.value for c in results[2]][:8] == ["Cục Thuế", 12, 8, 2, 0, 2, 1, 0.6667]
    assert results.cell(4, 1).value == "Tổng cộng" and results.auto_filter.ref == "A1:J3"
    assert results.freeze_panes == "A2" and len(results._charts) == 1
    overdue = wb["Nhiệm vụ quá hạn"]
    assert overdue.cell(2, 5).value.date() == date(2025, 9, 15) and overdue.cell(2, 6).value == 20
    assert wb["Chỉ tiêu"].cell(2, 11).value == "Có"


def test_an_empty_period_still_gives_a_complete_report():
    empty = BriefingReport(period_label="Tháng 1 năm 2026", period_start=date(2026, 1, 1),
                           period_end=date(2026, 1, 31), as_of=date(2026, 2, 1))
    doc = Document(io.BytesIO(build_docx(empty)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Không có nhiệm vụ quá hạn." in text and "được giao 0 nhiệm vụ" in text
    assert load_workbook(io.BytesIO(build_xlsx(empty)))["Kết quả"].max_row == 1
    assert "Tỷ lệ đúng hạn —" in build_markdown(empty)


def test_markdown_tables_escape_pipes():
    md = build_markdown(REPORT)
    assert "| Cục Thuế | 12 | 8 | 2 | 0 | 2 | 1 | 66,7% |" in md
    assert "| Tổng cộng | 17 | 13 | 2 | 0 | 2 | 1 | 76,5% |" in md


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed (apt install libreoffice-writer-nogui)")
def test_libreoffice_converts_the_docx_to_pdf():
    pdf = docx_to_pdf(build_docx(REPORT))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_calendar_feed_is_valid_icalendar_with_folded_escaped_lines():
    from dondoc.reports.ics import Deadline, calendar

    feed = calendar([Deadline(7, "Rà soát, đánh giá hệ thống; báo cáo kết quả " * 3, date(2026, 6, 30), "Cục Thuế",
                              "1234/BTC-CNTT", overdue=True)], name="Cục Thuế")
    assert feed.startswith("BEGIN:VCALENDAR\r\n") and feed.endswith("END:VCALENDAR\r\n")
    lines = feed.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = feed.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20260630" in unfolded and "UID:task-7@dondoc" in unfolded
    assert "SUMMARY:[Quá hạn] Rà soát\\, đánh giá hệ thống\\; báo cáo" in unfolded
    assert "DESCRIPTION:Chủ trì: Cục Thuế\\nVăn bản giao: 1234/BTC-CNTT" in unfolded
