"""Agencies: the registry as data, and finding agency mentions in directive text."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from dondoc.extract.agencies import MENTION_KINDS, AgencyRegistry, fold, new_style_tones

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "agencies.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry() -> AgencyRegistry:
    return AgencyRegistry.default()


@pytest.mark.parametrize("case", CASES["find"], ids=lambda c: c["text"][:60])
def test_find_names_each_mention(registry: AgencyRegistry, case: dict) -> None:
    mentions = registry.find(case["text"])
    assert [[m.kind, *m.names] for m in mentions] == case["expect"]
    if "surface" in case:
        assert [m.surface for m in mentions] == case["surface"]
    for m in mentions:
        assert case["text"][m.start : m.end] == m.surface


@pytest.mark.parametrize(("written", "canonical"), CASES["canonical_name"], ids=lambda v: str(v)[:40])
def test_canonical_name(registry: AgencyRegistry, written: str, canonical: str | None) -> None:
    assert registry.canonical_name(written) == canonical


@pytest.mark.parametrize(("code", "issuer"), CASES["by_symbol"])
def test_by_symbol(registry: AgencyRegistry, code: str, issuer: str | None) -> None:
    assert registry.by_symbol(code) == issuer


def test_default_registry_is_loaded_once() -> None:
    assert AgencyRegistry.default() is AgencyRegistry.default()


def test_mention_spans_point_into_the_original_text(registry: AgencyRegistry) -> None:
    text = "1. Giao Bộ  Tài\n   chính và UBND tỉnh\nLâm Đồng phối hợp với các bộ , ngành liên quan."
    for m in registry.find(text):
        assert text[m.start : m.end] == m.surface
    assert [m.names for m in registry.find(text)] == [
        ("Bộ Tài chính",),
        ("Ủy ban nhân dân tỉnh Lâm Đồng",),
        ("các đơn vị liên quan",),
    ]


def test_mentions_are_ordered_and_do_not_overlap(registry: AgencyRegistry) -> None:
    text = "Bộ Công an, Bộ Quốc phòng, các Sở: Y tế, Tư pháp; Cục Hóa chất và các địa phương."
    mentions = registry.find(text)
    assert all(a.end <= b.start for a, b in pairwise(mentions))
    assert {m.kind for m in mentions} <= set(MENTION_KINDS)


def test_historic_body_keeps_its_name_and_records_its_successors(registry: AgencyRegistry) -> None:
    mic = registry.get("Bộ TT&TT")
    assert mic is not None
    assert mic.name == "Bộ Thông tin và Truyền thông"
    assert mic.valid_to == date(2025, 2, 28)
    primary = [s for s in mic.successors if s.primary]
    assert [s.name for s in primary] == ["Bộ Khoa học và Công nghệ"]
    assert primary[0].date == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ"),
        ("Bộ Giao thông vận tải", "Bộ Xây dựng"),
        ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường"),
        ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường"),
        ("Ủy ban Dân tộc", "Bộ Dân tộc và Tôn giáo"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("UBND tỉnh Đắk Nông", "Ủy ban nhân dân tỉnh Lâm Đồng"),
        ("UBND tỉnh Bình Dương", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
        ("UBND tỉnh Thừa Thiên Huế", "Ủy ban nhân dân thành phố Huế"),
    ],
)
def test_merged_bodies_name_their_primary_successor(registry: AgencyRegistry, old: str, new: str) -> None:
    record = registry.get(old)
    assert record is not None and record.valid_to is not None
    assert [s.name for s in record.successors if s.primary] == [new]


def test_provinces_number_63_before_and_34_after_the_merge(registry: AgencyRegistry) -> None:
    committees = [a for a in registry.agencies() if a.kind == "provincial_committee"]

    def existed(on: date) -> int:
        return sum(
            1
            for a in committees
            if (a.valid_from is None or a.valid_from <= on) and (a.valid_to is None or a.valid_to >= on)
        )

    assert existed(date(2024, 6, 1)) == 63
    assert existed(date(2025, 6, 30)) == 63
    assert existed(date(2025, 7, 1)) == 34


def test_ministries_number_14_after_march_2025(registry: AgencyRegistry) -> None:
    on = date(2025, 3, 1)
    ministries = [
        a
        for a in registry.agencies()
        if a.kind == "ministry"
        and (a.valid_from is None or a.valid_from <= on)
        and (a.valid_to is None or a.valid_to >= on)
    ]
    assert len(ministries) == 14


def test_canonical_names_use_new_style_tone_marks(registry: AgencyRegistry) -> None:
    assert all(new_style_tones(a.name) == a.name for a in registry.agencies())
    assert not any("Uỷ" in a.name for a in registry.agencies())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Uỷ ban", "Ủy ban"),
        ("Hoà Bình", "Hòa Bình"),
        ("khoẻ", "khỏe"),
        ("thuỷ lợi", "thủy lợi"),
        ("hoàn thành", "hoàn thành"),
        ("quý", "quý"),
        ("HOÀ", "HÒA"),
    ],
)
def test_new_style_tones(old: str, new: str) -> None:
    assert new_style_tones(old) == new


def test_fold_ignores_case_spacing_and_tone_placement() -> None:
    assert fold("Uỷ  ban nhân dân\nTỉnh") == fold("Ủy ban nhân dân tỉnh")
    assert fold("Bộ Lao động – Thương binh") == fold("Bộ Lao động-Thương binh")
