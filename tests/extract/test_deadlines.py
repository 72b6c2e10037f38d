"""Deadlines stage: each phrase form of the case table, plus the helpers that pick one deadline."""

from __future__ import annotations

import glob
from datetime import date
from pathlib import Path

import pytest
import yaml

from dondoc.extract.deadlines import (
    DeadlineMatch,
    combine_deadlines,
    find_deadlines,
    parse_deadline,
    to_deadline,
)
from dondoc.extract.model import Span

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "deadlines.yaml").read_text(encoding="utf-8"))


def _context(case: dict) -> dict:
    return {"doc_date": case.get("doc_date"), "doc_year": case.get("doc_year")}


def _seen(match: DeadlineMatch, expected: dict) -> dict:
    """The fields of ``match`` the case names, for one readable assertion."""
    seen = {"text": match.text, "date": match.date, "recurrence": match.recurrence}
    if "kind" in expected:
        seen["kind"] = match.kind
    return seen


def _wanted(expected: dict) -> dict:
    return {"recurrence": None, **expected}


@pytest.mark.parametrize("case", CASES["find"], ids=lambda c: c["text"][:60])
def test_find_deadlines(case: dict) -> None:
    found = find_deadlines(case["text"], **_context(case))
    assert [_seen(m, e) for m, e in zip(found, case["expect"], strict=False)] == [
        _wanted(e) for e in case["expect"]
    ]
    assert len(found) == len(case["expect"]), [m.text for m in found]


@pytest.mark.parametrize("case", CASES["parse"], ids=lambda c: c["text"][:60] or "<empty>")
def test_parse_deadline(case: dict) -> None:
    match = parse_deadline(case["text"], **_context(case))
    if case["expect"] is None:
        assert match is None
    else:
        assert match is not None
        assert _seen(match, case["expect"]) == _wanted(case["expect"])


def test_spans_point_at_the_phrase_in_the_passage() -> None:
    text = "Sở Tư pháp chủ trì, báo cáo UBND tỉnh trước ngày 15/12/2025."
    (match,) = find_deadlines(text)
    assert text[match.start : match.end] == match.text == "trước ngày 15/12/2025"


def test_table_cell_text_is_the_stripped_cell() -> None:
    match = parse_deadline("  Quý III/2025\n")
    assert match is not None
    assert (match.start, match.end, match.text) == (2, 14, "Quý III/2025")


def test_combine_prefers_a_dated_deadline_and_keeps_the_recurrence() -> None:
    found = find_deadlines("Định kỳ hằng quý, báo cáo; bắt đầu từ quý I/2026 và hoàn thành trong năm 2026.")
    combined = combine_deadlines(found)
    assert combined is not None
    assert (combined.date, combined.recurrence) == (date(2026, 3, 31), "quarterly")


def test_combine_uses_a_horizon_year_only_when_nothing_else_is_dated() -> None:
    found = find_deadlines("xây dựng cơ sở dữ liệu đến năm 2030, hoàn thành giai đoạn 1 trong năm 2026")
    combined = combine_deadlines(found)
    assert combined is not None and combined.date == date(2026, 12, 31)
    assert combine_deadlines([]) is None


def test_to_deadline_shifts_the_span_into_the_document() -> None:
    (match,) = find_deadlines("hoàn thành   trong\ntháng 9/2025")
    deadline = to_deadline(match, offset=100)
    assert deadline.text == "trong tháng 9/2025"
    assert deadline.span == Span(100 + match.start, 100 + match.end)
    assert deadline.date == date(2025, 9, 30)


def test_every_deadline_of_a_long_text_is_found() -> None:
    """A megabyte of text (speed is measured by ``./dev bench``, not here)."""
    passage = (
        "Sở Kế hoạch chủ trì, phối hợp với các sở, ngành liên quan rà soát các dự án, báo cáo UBND tỉnh "
        "trước ngày 20/11/2025; định kỳ hằng tháng cập nhật tiến độ, hoàn thành trong quý IV/2025. "
    )
    text = passage * 5000  # ~1 MB
    found = find_deadlines(text, doc_year=2025)
    assert len(found) == 3 * 5000
    assert {d.date for d in found} == {date(2025, 11, 20), date(2025, 12, 31), None}


@pytest.mark.skipif(not glob.glob("/work/shared/corpus/more/*.txt"), reason="shared corpus not present")
def test_no_crash_on_real_directives() -> None:
    for path in sorted(glob.glob("/work/shared/corpus/more/*.txt")):
        for match in find_deadlines(Path(path).read_text(encoding="utf-8"), doc_year=2025):
            assert match.text
