"""The whole pipeline from Python: text or path in, a typed Directive out."""

from datetime import date
from pathlib import Path

from dondoc.extract import Directive, extract, extract_text

LETTER = """ỦY BAN NHÂN DÂN
TỈNH PHÚ THỌ
Số: 455/UBND-KGVX
V/v phòng, chống dịch cúm gia cầm
Phú Thọ, ngày 14 tháng 01 năm 2026

Thực hiện Công văn số 120/BNNMT-TY ngày 08/01/2026 của Bộ Nông nghiệp và Môi trường, Ủy ban nhân dân tỉnh
yêu cầu:
1. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Ủy ban nhân dân các xã, phường tổ chức tiêm phòng
cho đàn gia cầm, hoàn thành trước ngày 28/02/2026.
2. Sở Tài chính bố trí kinh phí mua vắc xin trong tháng 01 năm 2026.
"""


def test_text_in_gives_header_tasks_and_citations():
    directive = extract_text(LETTER)
    assert isinstance(directive, Directive)
    doc = directive.document
    assert (doc.number, doc.type, doc.issuer, doc.issued_date) == (
        "455/UBND-KGVX", "Công văn", "Ủy ban nhân dân tỉnh Phú Thọ", date(2026, 1, 14))
    assert doc.title == "V/v phòng, chống dịch cúm gia cầm"
    assert [t.lead for t in directive.tasks] == [("Sở Nông nghiệp và Môi trường",), ("Sở Tài chính",)]
    assert directive.tasks[0].support == ("Ủy ban nhân dân các xã, phường",)
    assert [t.deadline.date for t in directive.tasks] == [date(2026, 2, 28), date(2026, 1, 31)]
    assert [(c.type, c.number, c.issued_date) for c in directive.citations] == [
        ("Công văn", "120/BNNMT-TY", date(2026, 1, 8))]


def test_a_path_is_read_as_a_file(tmp_path: Path):
    path = tmp_path / "cong-van.txt"
    path.write_text(LETTER, encoding="utf-8")
    directive = extract(path)
    assert directive.source == str(path)
    assert len(directive.tasks) == 2


def test_spans_point_into_the_text_read():
    directive = extract_text(LETTER)
    for task in directive.tasks:
        assert " ".join(directive.text[task.span.start : task.span.end].split()) == task.quote
        assert task.deadline.span is not None
        start, end = task.deadline.span.start, task.deadline.span.end
        assert " ".join(directive.text[start:end].split()) == task.deadline.text


def test_an_issuer_in_capitals_gets_its_canonical_spelling():
    directive = extract_text("SỞ NỘI VỤ TỈNH KHÁNH HÒA\nSố: 12/SNV-CCVC\nKhánh Hòa, ngày 3 tháng 2 năm 2026\n")
    assert directive.document.issuer == "Sở Nội vụ tỉnh Khánh Hòa"
    assert directive.tasks == ()


def test_issued_on_overrides_the_document_date():
    directive = extract_text("Sở Y tế báo cáo kết quả trước ngày 20/3.", issued_on=date(2027, 1, 5))
    assert directive.tasks[0].deadline.date == date(2027, 3, 20)


def test_json_has_the_spec_fields_and_the_extras():
    data = extract_text(LETTER).to_json()
    assert set(data["document"]) == {"number", "type", "issuer", "issued_date", "title"}
    task = data["tasks"][0]
    assert {"quote", "lead", "support", "deadline", "recurrence", "span", "confidence"} <= set(task)
    assert task["deadline"] == {"date": "2026-02-28", "text": "trước ngày 28/02/2026"}
    assert data["citations"][0]["number"] == "120/BNNMT-TY"


def test_an_unknown_issuer_in_capitals_is_written_in_sentence_case():
    letterhead = (
        "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 05/BCĐ\nCao Bằng, ngày 3 tháng 2 năm 2026\n"
    )
    assert extract_text(letterhead).document.issuer == "Ban chỉ đạo chuyển đổi số tỉnh"
