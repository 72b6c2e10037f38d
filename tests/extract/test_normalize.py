"""Normalize: one spelling for the same words, offsets never move."""

import pytest

from dondoc.extract.normalize import analysis_text, clean_text, fold, squash


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
    ],
)
def test_analysis_text_unifies_spelling(raw, expected):
    assert analysis_text(raw) == expected


@pytest.mark.parametrize("raw", ["Uỷ ban hoà giải", "Bộ_Tư_pháp **Số:** 12/CT-UBND", "thuỷ\u00a0lợi\tquý"])
def test_analysis_text_keeps_every_offset(raw):
    assert len(analysis_text(raw)) == len(raw)


def test_clean_text_composes_and_unifies_line_endings():
    decomposed = "Ho\u0300a Bi\u0300nh\r\nđoạn hai\rba\x00"
    assert clean_text(decomposed) == "Hòa Bình\nđoạn hai\nba"


def test_fold_and_squash():
    assert fold("Bộ Tư pháp") == "bo tu phap"
    assert squash("  Bộ Tài\nchính  ") == "Bộ Tài chính"
