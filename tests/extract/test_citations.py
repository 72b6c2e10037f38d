"""find_citations: the documents a văn bản cites, with their type, number and date, case by case."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from dondoc.extract.citations import find_citations, parse_number, type_of_number

CASES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "header_citation_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_citation_case(case: dict) -> None:
    found = find_citations(case["text"], doc_year=case.get("doc_year"))
    assert len(found) == len(case["expect"]), [c.text for c in found]
    for citation, expected in zip(found, case["expect"], strict=True):
        for field, value in expected.items():
            assert getattr(citation, field) == value, field
        assert case["text"][citation.span.start : citation.span.end] == citation.text


def test_citations_are_in_order_and_do_not_overlap() -> None:
    text = "Căn cứ Luật Đất đai; Nghị định số 10/2024/NĐ-CP; Quyết định số 5/QĐ-UBND ngày 1/2/2024."
    spans = [(c.span.start, c.span.end) for c in find_citations(text)]
    assert spans == sorted(spans)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("number", "parts"),
    [
        ("228/CĐ-TTg", ("CĐ", "TTg", False)),
        ("4324/VPCP-KSTT", (None, "VPCP", False)),
        ("/UBND-NC", (None, "UBND", False)),
        ("42/2014/QĐ-TTg", ("QĐ", "TTg", True)),
        ("57-NQ/TW", ("NQ", "TW", False)),
        ("20/2023/QH15", (None, "QH15", True)),
        ("không phải số", None),
    ],
)
def test_parse_number_splits_type_code_and_issuer(number: str, parts: tuple | None) -> None:
    assert parse_number(number) == parts


@pytest.mark.parametrize(
    ("number", "kind"),
    [("05/CT-TTg", "Chỉ thị"), ("12/CTr-UBND", "Chương trình"), ("3/HD-BNV", "Hướng dẫn"),
     ("3/HĐ-BNV", "Hợp đồng"), ("1/QyĐ-BCA", "Quy định"), ("4324/VPCP-KSTT", "Công văn"),
     ("20/2023/QH15", None)],
)
def test_type_of_number_tells_look_alike_codes_apart(number: str, kind: str | None) -> None:
    assert type_of_number(number) == kind
