"""Every bad input is an ExtractionError whose message is one line, in Vietnamese and in English."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from dondoc.extract import read as read_module
from dondoc.extract.errors import ExtractionError
from dondoc.extract.read import read_bytes, read_document
from tests.extract.test_read_pdf import tiny_pdf

_VIETNAMESE_LETTER = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9àáèéìíòóùúýÀÁÈÉÌÍÒÓÙÚÝ]")


def assert_user_message(error: ExtractionError, *words: str) -> None:
    """One line "vi / en": a Vietnamese half with Vietnamese letters, an English half without them."""
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert message == f"{error.vi} / {error.en}"
    assert _VIETNAMESE_LETTER.search(error.vi), error.vi
    assert not _VIETNAMESE_LETTER.search(error.en), error.en
    assert "; " in error.vi and "; " in error.en  # what is wrong; what to do
    for word in words:
        assert word in error.en


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(tiny_pdf([["Mat"]]))))
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _no_libreoffice_nor_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)


BAD_CONTENT = [
    # (file name, content, words the English half must contain)
    pytest.param("rong.txt", b"", ["has no text"], id="empty-file"),
    pytest.param("trang.txt", b" \r\n\t\n  ", ["has no text"], id="only-whitespace"),
    pytest.param("rac.txt", bytes(range(256)) * 8, ["not a text file"], id="binary-junk"),
    pytest.param("rac", b"\x01\x02\x03\x04\x05\x06garbage\x07\x08", ["not a text file"], id="junk-no-suffix"),
    pytest.param("nen.docx", _zip({"ghi-chu.txt": b"abc"}), ["not a valid Word .docx", "zip has no"],
                 id="zip-not-docx"),
    pytest.param("odf.docx", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
                 ["not a valid Word .docx", "OpenDocument"], id="odt-named-docx"),
    pytest.param("van-ban.docx", b"Day la van ban thuong", ["not a valid Word .docx"], id="text-named-docx"),
    pytest.param("cat-do.docx", b"PK\x03\x04" + b"\x00" * 40, ["not a valid Word .docx"], id="truncated-zip"),
    pytest.param("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF",
                 ["damaged or unreadable PDF"], id="corrupt-pdf"),
    pytest.param("gia.pdf", b"khong phai pdf", ["damaged or unreadable PDF", "no PDF header"],
                 id="no-pdf-header"),
    pytest.param("tai-ve.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>",
                 ["damaged or unreadable PDF"], id="error-page-named-pdf"),
    pytest.param("mat-khau.pdf", _encrypted_pdf(), ["password-protected"], id="encrypted-pdf"),
    pytest.param("quet.pdf", tiny_pdf([[]]), ["no text layer", "apt-get install tesseract-ocr tesseract-ocr-vie"],
                 id="scanned-pdf"),
    pytest.param("rong.html", b"<html><body></body></html>", ["has no text"], id="empty-page"),
    pytest.param("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, ["needs LibreOffice",
                 "apt-get install libreoffice-writer"], id="doc-without-libreoffice"),
    pytest.param("cu.rtf", b"{\\rtf1\\ansi Noi dung}", ["needs LibreOffice"], id="rtf-without-libreoffice"),
    pytest.param("cu.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
                 ["needs LibreOffice"], id="odt-without-libreoffice"),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD_CONTENT)
def test_bad_content_is_a_one_line_bilingual_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes, words: list[str]
) -> None:
    _no_libreoffice_nor_ocr(monkeypatch)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as raised:
        read_document(path)
    assert_user_message(raised.value, *words)
    assert f"'{path}'" in raised.value.en  # names the file the user gave


@pytest.mark.parametrize(("name", "content", "words"), BAD_CONTENT)
def test_bad_content_in_memory_is_the_same_error(
    monkeypatch: pytest.MonkeyPatch, name: str, content: bytes, words: list[str]
) -> None:
    _no_libreoffice_nor_ocr(monkeypatch)
    with pytest.raises(ExtractionError) as raised:
        read_bytes(content, suffix=Path(name).suffix)
    assert_user_message(raised.value, *words)


@pytest.mark.parametrize("name", ["bang-tinh.xlsx", "anh.jpg", "van-ban.final"])
def test_an_unknown_suffix_lists_the_supported_ones(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"noi dung")
    with pytest.raises(ExtractionError) as raised:
        read_document(path)
    assert_user_message(raised.value, "not a supported format", ".txt", ".docx", ".pdf", ".html", ".doc")


def test_an_unknown_suffix_in_memory_lists_the_supported_ones() -> None:
    with pytest.raises(ExtractionError) as raised:
        read_bytes(b"noi dung", suffix="xlsx")
    assert_user_message(raised.value, "'.xlsx' is not a supported format", ".docx")


def test_a_file_over_the_size_limit_is_refused_with_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "lon.txt"
    path.write_bytes(b"a" * 3000)
    with pytest.raises(ExtractionError) as raised:
        read_document(path, max_bytes=1000)
    assert_user_message(raised.value, "too large", "3,000 bytes", "1,000 bytes", "max_bytes")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rat-lon.txt"
    with path.open("wb") as sparse:  # 500 MB on paper, nothing on disk
        sparse.truncate(500 * 1024 * 1024)
    monkeypatch.setattr(read_module, "open", _must_not_be_called, raising=False)
    with pytest.raises(ExtractionError) as raised:
        read_document(path)
    assert_user_message(raised.value, "too large", "500.0 MB", "50.0 MB")


def _must_not_be_called(*args: object, **kwargs: object) -> None:
    raise AssertionError("the file was opened")


def _raise(error: OSError) -> Callable[..., None]:
    def opener(*args: object, **kwargs: object) -> None:
        raise error

    return opener


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        pytest.param(lambda path: None, ["not found", "check the path"], id="missing"),
        pytest.param(lambda path: path.mkdir(), ["is a directory"], id="directory"),
        pytest.param(lambda path: os.mkfifo(path), ["not a regular file"], id="fifo"),
    ],
)
def test_a_path_that_is_not_a_readable_file_is_an_error(
    tmp_path: Path, setup: Callable[[Path], None], words: list[str]
) -> None:
    path = tmp_path / "cong-van.txt"
    setup(path)
    with pytest.raises(ExtractionError) as raised:
        read_document(path)
    assert_user_message(raised.value, *words)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        pytest.param(PermissionError(13, "Permission denied"), ["No permission to read"], id="permission"),
        pytest.param(OSError(5, "Input/output error"), ["Cannot read", "Input/output error"], id="io-error"),
    ],
)
def test_a_file_that_cannot_be_opened_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, words: list[str]
) -> None:
    path = tmp_path / "cong-van.txt"
    path.write_bytes(b"noi dung")
    monkeypatch.setattr(read_module, "open", _raise(error), raising=False)
    with pytest.raises(ExtractionError) as raised:
        read_document(path)
    assert_user_message(raised.value, *words)


def test_a_file_name_with_a_newline_keeps_the_message_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "hai\ndong.txt"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError) as raised:
        read_document(path)
    assert_user_message(raised.value, "has no text")
