"""Normalize: one spelling for the same words, offsets never move."""

import re

import pytest

from dondoc.extract.normalize import analysis_text, clean_text, finditer_at, fold, literal_finder, squash


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("hoà giải", "hòa giải"),
        ("Văn hoá, Thể thao", "Văn hóa, Thể thao"),
        ("sức khoẻ", "sức khỏe"),
        ("thuỷ lợi", "thủy lợi"),
        # closed syllables are spelled the same in both styles
        ("hoàn thành", "hoàn thành"),
        ("lý thuyết", "lý thuyết"),
        # "qu" is a consonant: the tone stays on the vowel after it
        ("quý III", "quý III"),
        ("Bộ_Tư_pháp", "Bộ Tư pháp"),
        ("**KẾ HOẠCH**", "  KẾ HOẠCH  "),
        ("“Đề án 06” – năm 2025", '"Đề án 06" - năm 2025'),
        # a tone mark lost in a fixed phrase (data/ocr_spellings.yaml); a longer word is left alone
        ("các Tổ đại biểu Hội đồng nhân dân tinh và", "các Tổ đại biểu Hội đồng nhân dân tỉnh và"),
        ("nhân dân tinhx", "nhân dân tinhx"),
        # "ư" typed as "u" before "ơ" in a few words no correct text spells that way
        ("truớc ngày 15/12, Thuờng xuyên, đuợc giao", "trước ngày 15/12, Thường xuyên, được giao"),
        # the eth "Ð" some encoders and OCR put for "Đ"
        ("Sở Giáo dục và Ðào tạo, ðường bộ", "Sở Giáo dục và Đào tạo, đường bộ"),
    ],
)
def test_analysis_text_unifies_spelling(raw, expected):
    assert analysis_text(raw) == expected


@pytest.mark.parametrize(
    "raw", ["Uỷ ban hoà giải", "Ủy ban nhân dân tinh Kon Tum", "Bộ_Tư_pháp **Số:** 12/CT-UBND", "thuỷ\u00a0lợi\tquý"])
def test_analysis_text_keeps_every_offset(raw):
    assert len(analysis_text(raw)) == len(raw)


def test_clean_text_composes_and_unifies_line_endings():
    decomposed = "Ho\u0300a Bi\u0300nh\r\nđoạn hai\rba\x00"
    assert clean_text(decomposed) == "Hòa Bình\nđoạn hai\nba"


def test_fold_and_squash():
    assert fold("Bộ Tư pháp") == "bo tu phap"
    assert squash("  Bộ Tài\nchính  ") == "Bộ Tài chính"


def test_literal_finder_is_a_trie_that_opens_with_literals():
    finder = literal_finder(["Bộ", "Ban", "Bộ trưởng", "các Sở", "Sở"])
    assert finder.pattern == r"(?:B(?:an|ộ)|Sở|các\ Sở)"
    assert [m.start() for m in finder.finditer("Ban, Bộ trưởng, các Sở, Sơn, Sở")] == [0, 5, 16, 29]
    with pytest.raises(ValueError):
        literal_finder(["Bộ", ""])


@pytest.mark.parametrize(("pos", "endpos"), [(0, None), (3, None), (0, 40), (9, 31)])
def test_finditer_at_finds_what_finditer_finds(pos, endpos):
    pattern = re.compile(r"(?<!\w)(?:(?P<cac>[Cc]ác) )?(?P<head>Bộ|Sở|Ban)(?!\w)")
    finder = literal_finder(["Bộ", "Sở", "Ban", "Các ", "các "])
    text = "Các Bộ, các Sở, cácBộ, Ban Sởx Bộ; các các Sở và Bộ Bộ"
    expected = [m.span() for m in pattern.finditer(text, pos, endpos or len(text))]
    assert [m.span() for m in finditer_at(pattern, finder, text, pos, endpos)] == expected
    assert expected
