"""Vietnamese typed in the TCVN3 (ABC) and VNI font encodings comes out as Unicode.

The byte strings are written by hand from the encodings' published tables, not produced by the
project's own mapping, so a wrong table entry fails here.
"""

from __future__ import annotations

import pytest

from dondoc.extract.read import read_bytes
from dondoc.extract.read.legacy import TCVN3, VNI, detect_legacy_encoding

TCVN3_CASES = [
    # ộ=E9, ư=AD, á=B8
    pytest.param(b"B\xe9 T\xad ph\xb8p", "Bộ Tư pháp", id="bo-tu-phap"),
    # old-style "Uỷ" (the tone on y) is what TCVN3 typists wrote; â=A9, ỉ=D8
    pytest.param(b"U\xfb ban nh\xa9n d\xa9n t\xd8nh", "Uỷ ban nhân dân tỉnh", id="uy-ban-lowercase-font"),
    # a heading in the capital font .VnTimeH: the same bytes, drawn as capitals
    pytest.param(b"\xf1Y BAN NH\xa9N D\xa9N", "ỦY BAN NHÂN DÂN", id="uy-ban-capital-font"),
    # a capitalised word is not a capital-font word: "Sè" is "Số", not "SỐ"
    pytest.param(b"S\xe8: 15/UBND ng\xb5y 3 th\xb8ng 4", "Số: 15/UBND ngày 3 tháng 4", id="so-capitalised"),
    # ở=EB, ụ=F4, à=B5, Đ=A7, ạ=B9
    pytest.param(b"S\xeb Gi\xb8o d\xf4c v\xb5 \xa7\xb5o t\xb9o", "Sở Giáo dục và Đào tạo", id="so-giao-duc"),
    # ớ=ED, ỉ=D8, ị=DE
    pytest.param(
        b"Ch\xd8 th\xde ho\xb5n th\xb5nh tr\xad\xedc ng\xb5y 30",
        "Chỉ thị hoàn thành trước ngày 30",
        id="chi-thi-deadline",
    ),
    # a capital-font word inside an ordinary line
    pytest.param(
        b"giao \xa7\xb9I H\xe4C ki\xd3m tra ng\xb5y 3 th\xb8ng 4",
        "giao ĐẠI HỌC kiểm tra ngày 3 tháng 4",
        id="capital-word-in-line",
    ),
]

VNI_CASES = [
    pytest.param(b"Bo\xe4 T\xf6 pha\xf9p", "Bộ Tư pháp", id="bo-tu-phap"),
    pytest.param(b"U\xdby ban nha\xe2n da\xe2n", "Ủy ban nhân dân", id="uy-ban"),
    # upper-case letters use the upper-case mark bytes
    pytest.param(b"U\xdbY BAN NHA\xc2N DA\xc2N", "ỦY BAN NHÂN DÂN", id="uy-ban-capitals"),
    # ở = ô(ơ)+û, Đ = Ñ, ạ = a+ï
    pytest.param(
        b"S\xf4\xfb Gia\xf9o du\xefc va\xf8 \xd1a\xf8o ta\xefo", "Sở Giáo dục và Đào tạo", id="so-giao-duc"
    ),
    # ớ = ô+ù after ư = ö; ỉ = æ and ị = ò are single bytes
    pytest.param(
        b"Ch\xe6 th\xf2 tr\xf6\xf4\xf9c nga\xf8y 30 tha\xf9ng 6",
        "Chỉ thị trước ngày 30 tháng 6",
        id="chi-thi-deadline",
    ),
    # ă = a+ê, ắ = a+é, ằ = a+è, ặ = a+ë; ộ = o+ä, ể = e+å, ệ = e+ä
    pytest.param(
        b"ba\xe9t buo\xe4c kie\xe5m tra ha\xe8ng na\xeam, \xf1a\xebc bie\xe4t",
        "bắt buộc kiểm tra hằng năm, đặc biệt",
        id="breve-and-circumflex",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), TCVN3_CASES)
def test_tcvn3_bytes_in_a_text_file_become_unicode(raw: bytes, expected: str) -> None:
    assert read_bytes(raw, suffix=".txt") == expected


@pytest.mark.parametrize(("raw", "expected"), VNI_CASES)
def test_vni_bytes_in_a_text_file_become_unicode(raw: bytes, expected: str) -> None:
    assert read_bytes(raw, suffix=".txt") == expected


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param("Céng hoµ x· héi", TCVN3, id="tcvn3-as-latin1"),
        pytest.param("Coäng hoøa xaõ hoäi", VNI, id="vni-as-latin1"),
        pytest.param("Cộng hòa xã hội", None, id="unicode"),
        pytest.param("Hoàn toàn", None, id="unicode-with-one-vni-like-pair"),
        pytest.param("Sở Nội vụ hoàn thành toàn bộ, báo cáo kết quả.\nHoàn toàn", None, id="mostly-unicode"),
        pytest.param("Le comité où il a été élu", None, id="french"),
        pytest.param("Acme® widgets, ©2024", None, id="symbols-outside-words"),
        pytest.param("plain ascii text", None, id="ascii"),
    ],
)
def test_legacy_encoding_is_detected_only_when_clear(text: str, encoding: str | None) -> None:
    assert detect_legacy_encoding(text) == encoding


def test_windows_punctuation_in_a_legacy_text_file_is_kept() -> None:
    # 0x85 is "…" and 0x93/0x94 are curly quotes in the Windows code page the typist used.
    raw = b"\x93B\xe9 T\xad ph\xb8p\x94 v\xb5 c\xb8c b\xe9\x85"
    assert read_bytes(raw, suffix=".txt") == "“Bộ Tư pháp” và các bộ…"


def test_legacy_font_text_inside_a_unicode_file_is_converted() -> None:
    # A document typed in a VNI font and saved as UTF-8: the legacy bytes became Latin-1 letters.
    typed = "Giao Sôû Taøi chính chuû trì thöïc hieän"
    assert read_bytes(typed.encode("utf-8"), suffix=".txt") == "Giao Sở Tài chính chủ trì thực hiện"


def test_only_the_legacy_lines_of_a_mixed_document_are_converted() -> None:
    unicode_line = "Ủy ban nhân dân tỉnh không đồng ý"  # "ô" here must not become "ơ"
    tcvn3_lines = "Giao Së T\xad ph\xb8p chñ tr×\nB\xb8o c\xb8o tr\xad\xedc ng\xb5y 15 th\xb8ng 7"
    text = read_bytes(f"{unicode_line}\n{tcvn3_lines}".encode(), suffix=".txt")
    assert text.split("\n") == [unicode_line, "Giao Sở Tư pháp chủ trì", "Báo cáo trước ngày 15 tháng 7"]
