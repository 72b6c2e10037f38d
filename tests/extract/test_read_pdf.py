"""PDF: the text layer, pages in order; a scan is OCRed when tesseract (vie) and pdftoppm are installed."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from dondoc.extract.errors import ExtractionError
from dondoc.extract.read import read_bytes, read_document
from tests.extract.pdf_file import assemble_pdf


def tiny_pdf(pages: list[list[str]]) -> bytes:
    """A valid PDF written by hand: one page per item, each line a Helvetica text line.

    A page with no lines gets a filled rectangle instead, like a scan: marks on the page, no text layer.
    """
    objects: list[bytes] = []
    page_ids = [3 + 2 * i for i in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for page_id, lines in zip(page_ids, pages, strict=True):
        if lines:
            shown = " ".join(f"({line}) Tj 0 -18 Td" for line in lines)
            content = f"BT /F1 12 Tf 72 720 Td {shown} ET".encode()
        else:
            content = b"0.5 g 72 72 468 648 re f"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page_id + 1} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    return assemble_pdf(objects)


def test_the_text_layer_is_read_line_by_line_and_page_by_page(tmp_path: Path) -> None:
    path = tmp_path / "cong-van.pdf"
    path.write_bytes(tiny_pdf([["So: 12/UBND-VP", "Kinh gui: So Tu phap"], ["Han bao cao: 30/6/2024"]]))
    lines = ["So: 12/UBND-VP", "Kinh gui: So Tu phap", "Han bao cao: 30/6/2024"]
    assert read_document(path).split("\n") == lines


def test_a_pdf_is_recognised_by_content_whatever_its_suffix() -> None:
    assert read_bytes(tiny_pdf([["Thong bao ket luan"]]), suffix=".txt") == "Thong bao ket luan"


def _no_ocr_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)


def test_a_scan_without_ocr_tools_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_ocr_tools(monkeypatch)
    with pytest.raises(ExtractionError) as raised:
        read_bytes(tiny_pdf([[]]), suffix=".pdf")
    assert "tesseract-ocr-vie" in raised.value.en and "poppler-utils" in raised.value.en
    assert "no text layer" in raised.value.en and "tesseract-ocr-vie" in raised.value.vi


def _fake_tool(directory: Path, name: str, script: str) -> str:
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_scan_is_ocred_page_by_page_with_pdftoppm_and_tesseract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stand-ins for the real programs, to check how they are called: pdftoppm writes one PNG per page
    # (as "<prefix>-N.png"); tesseract lists its languages, or reads an image on stdin and prints text.
    tools = {
        "pdftoppm": _fake_tool(tmp_path, "pdftoppm", (
            'for last; do :; done\n'
            'printf "trang 1" > "$last-1.png"\nprintf "trang 2" > "$last-2.png"\n'
        )),
        "tesseract": _fake_tool(tmp_path, "tesseract", (
            'if [ "$1" = "--list-langs" ]; then\n'
            '  printf "List of available languages (2):\\neng\\nvie\\n"; exit 0\n'
            'fi\n'
            '[ "$1 $2 $3 $4" = "- - -l vie" ] || exit 3\n'
            'printf "Nội dung quét của "; cat; printf "\\n\\f"\n'
        )),
    }
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: tools.get(name))
    text = read_bytes(tiny_pdf([[], []]), suffix=".pdf")
    assert text == "Nội dung quét của trang 1\nNội dung quét của trang 2"


def test_tesseract_without_vietnamese_is_no_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    english_only = 'printf "List of available languages (1):\\neng\\n"\n'
    tools = {
        "pdftoppm": _fake_tool(tmp_path, "pdftoppm", "exit 0\n"),
        "tesseract": _fake_tool(tmp_path, "tesseract", english_only),
    }
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: tools.get(name))
    with pytest.raises(ExtractionError, match="install tesseract-ocr tesseract-ocr-vie"):
        read_bytes(tiny_pdf([[]]), suffix=".pdf")
