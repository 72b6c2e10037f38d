"""read_header: the header facts a user sees (number, type, issuer, date, title), case by case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from dondoc.extract.header import HeaderInfo, read_header

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "header_cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_header_case(case: dict) -> None:
    # a page's editorial summary, long enough to push the letterhead past the head read by default
    summary = "\n".join(f"- Mức lãi suất cho vay chương trình {n} giảm từ 9,0%/năm xuống 8,4%/năm." for n in range(80))
    case["text"] = case["text"].replace("LONGSUMMARY", summary)
    header = read_header(case["text"])
    for field, expected in case["expect"].items():
        assert getattr(header, field) == expected, field
    for field, written in (case.get("spans") or {}).items():
        start, end = header.spans[field]
        assert written in case["text"][start:end], field


def test_header_of_nothing_is_empty() -> None:
    assert read_header("") == HeaderInfo()


@pytest.mark.parametrize(
    ("number", "expected_type", "expected_code"),
    [
        ("228/CĐ-TTg", "Công điện", "TTg"),
        ("631/TB-VPCP", "Thông báo", "VPCP"),
        ("06/CT-UBND", "Chỉ thị", "UBND"),
        ("172/KH-UBND", "Kế hoạch", "UBND"),
        ("12/CTr-UBND", "Chương trình", "UBND"),
        ("50/BC-BTTTT", "Báo cáo", "BTTTT"),
        ("1656/NQ-UBTVQH15", "Nghị quyết", "UBTVQH15"),
        ("42/2014/QĐ-TTg", "Quyết định", "TTg"),
        ("4324/VPCP-KSTT", "Công văn", "VPCP"),
        ("174/CV-BCĐ", "Công văn", "BCĐ"),
        ("8798/TTr-BCT", "Other", "BCT"),
    ],
)
def test_type_and_issuer_code_come_from_the_number(number: str, expected_type: str, expected_code: str):
    header = read_header(f"BỘ X\n{MOTTO}\nSố: {number}\nHà Nội, ngày 1 tháng 2 năm 2024")
    assert (header.number, header.type, header.issuer_code) == (number, expected_type, expected_code)


def test_spans_point_at_what_was_read() -> None:
    text = f"BỘ CÔNG THƯƠNG\n{MOTTO}\nSố: 45/BCT-KH\nHà Nội, ngày 9 tháng 9 năm 2024"
    header = read_header(text)

    def read(field: str) -> str:
        start, end = header.spans[field]
        return text[start:end]

    assert read("issuer_text") == "BỘ CÔNG THƯƠNG"
    assert read("number") == "45/BCT-KH"
    assert "9 tháng 9 năm 2024" in read("issued_date")
    assert header.issued_date == date(2024, 9, 9)
