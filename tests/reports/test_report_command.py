"""`dondoc report` as users run it: each format written and read back, default names, notes and refusals."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_docx_by_default_named_after_the_period(quarter, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, err = run("--period", "2025-Q3", "--as-of", "2025-10-05", "--issuer-parent", "Văn phòng Chính phủ",
                   "--number", "215")
    assert (tmp_path / "bao-cao-giao-ban-2025-Q3.docx").exists()
    assert "2 cơ quan, 4 nhiệm vụ, 2 quá hạn, 1 chỉ tiêu" in out and err == ""
    doc = Document(str(tmp_path / "bao-cao-giao-ban-2025-Q3.docx"))
    header = doc.tables[0].rows[0].cells
    assert "VĂN PHÒNG CHÍNH PHỦ" in header[0].text and "Số: 215/BC-VP" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả thực hiện nhiệm vụ được giao Quý III/2025" in text
    assert "được giao 4 nhiệm vụ" in text and "Tỷ lệ hoàn thành đúng hạn: 25,0%" in text
    results = {row.cells[1].text: [c.text for c in row.cells] for row in doc.tables[1].rows[1:]}
    assert results["Bộ Y tế"][2:] == ["3", "1", "1", "0", "1", "0", "33,3%"]
    assert results["Tổng cộng"][2:] == ["4", "1", "1", "0", "2", "0", "25,0%"]
    overdue = [[c.text for c in row.cells] for row in doc.tables[2].rows[1:]]
    assert overdue[0][1:] == ["Rà soát danh mục thuốc đấu thầu tập trung", "Bộ Y tế", overdue[0][3], "15/09/2025",
                              "20"]
    assert overdue[1][1] == "Hoàn thiện cơ sở dữ liệu hóa đơn điện tử" and overdue[1][5] == "5"
    indicator = [c.text for c in doc.tables[3].rows[1].cells]
    assert indicator[1] == "Hồ sơ xử lý trực tuyến toàn trình" and indicator[6] == "Chậm so với lộ trình"
    assert len(doc.inline_shapes) == 1  # the chart


def test_xlsx_has_the_same_tables_as_sheets(quarter, tmp_path):
    target = tmp_path / "q3.xlsx"
    run("--period", "2025-Q3", "--as-of", "2025-10-05", "--format", "xlsx", "--out", str(target))
    wb = load_workbook(target)
    assert wb.sheetnames == ["Kết quả", "Nhiệm vụ quá hạn", "Chỉ tiêu", "Thông tin"]
    results = {row[0]: row for row in wb["Kết quả"].iter_rows(min_row=2, values_only=True)}
    assert results["Bộ Y tế"][1:6] == (3, 1, 1, 0, 1) and results["Cục Thuế"][5] == 1
    assert results["Tổng cộng"][1] == 4
    assert wb["Kết quả"]._charts  # the native chart
    overdue = list(wb["Nhiệm vụ quá hạn"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[5]) for r in overdue] == [
        ("Rà soát danh mục thuốc đấu thầu tập trung", "Bộ Y tế", 20),
        ("Hoàn thiện cơ sở dữ liệu hóa đơn điện tử", "Cục Thuế", 5)]
    (indicator,) = wb["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)
    assert indicator[0] == "Hồ sơ xử lý trực tuyến toàn trình" and indicator[6] == 50 and indicator[10] == "Có"


def test_markdown_to_standard_output(quarter, capsys):
    call_command("report", "--period", "2025-Q3", "--as-of", "2025-10-05", "--format", "md", "--out", "-")
    text = capsys.readouterr().out
    assert text.startswith("# Báo cáo: Kết quả thực hiện nhiệm vụ được giao Quý III/2025")
    assert "| Bộ Y tế | 3 | 1 | 1 | 0 | 1 | 0 | 33,3% |" in text
    assert "Rà soát danh mục thuốc đấu thầu tập trung" in text


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed (apt install libreoffice-writer-nogui)")
def test_pdf_through_libreoffice(quarter, tmp_path):
    target = tmp_path / "q3.pdf"
    run("--period", "2025-Q3", "--as-of", "2025-10-05", "--format", "pdf", "--out", str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000


def test_pdf_without_libreoffice_says_what_to_install(quarter, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CommandError) as error:
        run("--period", "2025-Q3", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert "apt install libreoffice-writer-nogui" in str(error.value) and "Cần LibreOffice" in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_an_agency_with_units_gets_its_own_file_name(quarter, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, _ = run("--period", "2025-Q3", "--as-of", "2025-10-05", "--agency", "Bộ Tài chính", "--include-units",
                 "--format", "md")
    assert "Đã ghi bao-cao-giao-ban-2025-Q3-bo-tai-chinh.md" in out
    text = (tmp_path / "bao-cao-giao-ban-2025-Q3-bo-tai-chinh.md").read_text()
    assert "| Bộ Tài chính | 1 | 0 | 0 | 0 | 1 | 0 | 0,0% |" in text
    assert "Bộ Y tế" not in text


def test_an_empty_period_and_an_agency_without_tasks_are_reported_with_a_note(quarter, tmp_path):
    out, err = run("--period", "2024-Q1", "--as-of", "2025-10-05", "--format", "md", "--out", str(tmp_path / "e.md"))
    assert "0 nhiệm vụ" in out
    assert "Không có nhiệm vụ nào trong kỳ Quý I/2024" in err and "No tasks in 2024-Q1" in err
    assert "Không có nhiệm vụ nào trong kỳ Quý I/2024" in (tmp_path / "e.md").read_text()
    _, err = run("--period", "2025-Q3", "--as-of", "2025-10-05", "--agency", "Bộ Khoa học và Công nghệ",
                 "--format", "md", "--out", str(tmp_path / "s.md"))
    assert "Bộ Khoa học và Công nghệ không có nhiệm vụ nào" in err and "has no tasks" in err


@pytest.mark.parametrize("args, vi, en", [
    (("--period", "quý 5/2025"), "Quý phải từ 1 đến 4", "quarter must be 1 to 4"),
    (("--period", "mùa thu"), "Không hiểu kỳ báo cáo", "Unknown period"),
    (("--period", "2025-Q3", "--agency", "Bộ Y tê"), "Không có cơ quan «Bộ Y tê». Gần nhất: Bộ Y tế",
     "No agency «Bộ Y tê»"),
])
def test_refusals_in_both_languages(quarter, tmp_path, args, vi, en):
    with pytest.raises(CommandError) as error:
        run(*args, "--out", str(tmp_path / "x.docx"))
    assert vi in str(error.value) and en in str(error.value)
    assert not (tmp_path / "x.docx").exists()
