"""Plain-text files: every encoding a Vietnamese text file is found in reads as the same Unicode text."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from dondoc.extract.read import read_bytes, read_document

SENTENCE = "Giao Sở Tư pháp chủ trì, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/7/2024."


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(SENTENCE.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(SENTENCE.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(SENTENCE.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(codecs.BOM_UTF32_LE + SENTENCE.encode("utf-32-le"), id="utf-32-le-bom"),
    ],
)
def test_unicode_encodings_read_to_the_same_text(raw: bytes) -> None:
    assert read_bytes(raw, suffix=".txt") == SENTENCE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Windows-1258 writes ộ as ô (F4) + combining dot below (F2); ư is FD; á has its own byte E1.
        pytest.param(b"B\xf4\xf2 T\xfd ph\xe1p", "Bộ Tư pháp", id="bo-tu-phap"),
        # ă is E3 and combines with the dot below (F2) into ặ: "hoặc" must not be mistaken for VNI "oã".
        pytest.param(b"ho\xe3\xf2c b\xe1o c\xe1o", "hoặc báo cáo", id="hoac"),
        # đ is F0, ơ is F5, à has its own byte E0, combining dot below F2, combining hook D2
        pytest.param(b"\xf0\xf5n vi\xf2 n\xe0y th\xfd\xd2", "đơn vị này thử", id="d-o-marks"),
    ],
)
def test_windows_1258_reads_as_composed_unicode(raw: bytes, expected: str) -> None:
    assert read_bytes(raw, suffix=".txt") == expected


def test_a_long_windows_1258_text_is_not_taken_for_a_legacy_font() -> None:
    sentence = "Các sở, ngành hoặc Ủy ban nhân dân cấp huyện báo cáo kết quả trước ngày 20 hằng tháng. "
    decomposed = _to_cp1258(sentence)
    assert read_bytes(decomposed * 50, suffix=".txt") == sentence * 50


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps tone marks as separate combining bytes; Python's encoder needs them split."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"d\xc3\xb2ng 1\r\nd\xc3\xb2ng 2\r\n", "dòng 1\ndòng 2\n", id="crlf"),
        pytest.param(b"a\rb\r", "a\nb\n", id="old-mac-cr"),
        pytest.param("Ho\u0300a Bi\u0300nh".encode(), "Hòa Bình", id="decomposed-to-nfc"),
        pytest.param(b"m\x00\xe1\xbb\x99t", "một", id="stray-nul-dropped"),
        pytest.param("mở\ufeffđầu".encode(), "mởđầu", id="inner-bom-dropped"),
        pytest.param("  thụt lề\tvà tab \n\n\ncuối\n".encode(), "  thụt lề\tvà tab \n\n\ncuối\n", id="as-is"),
    ],
)
def test_text_is_normalized_only_in_newlines_nfc_bom_and_nul(raw: bytes, expected: str) -> None:
    assert read_bytes(raw, suffix=".txt") == expected


@pytest.mark.parametrize("name", ["ghi-chu.txt", "GHI-CHU.TXT", "ghi-chu.md", "ghi-chu"])
def test_text_suffixes_and_no_suffix_read_as_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(SENTENCE.encode())
    assert read_document(path) == SENTENCE
    assert read_document(str(path)) == SENTENCE


def test_markup_in_a_txt_file_stays_text() -> None:
    raw = b"<html><body><p>Kh\xc3\xb4ng ph\xe1\xba\xa3i trang web</p></body></html>"
    assert read_bytes(raw, suffix=".txt") == raw.decode()
