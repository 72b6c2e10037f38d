"""The Read stage with the real programs: LibreOffice for .doc/.rtf/.odt, pdftoppm + tesseract for scans.

These tests run only where the Debian packages are installed (libreoffice-writer-nogui, poppler-utils,
tesseract-ocr-vie); elsewhere they are skipped and test_read_office/test_read_pdf check the calls with
stand-in scripts. Every input is made here: a .docx written with python-docx, converted by LibreOffice,
and for the scan rendered to pixels and wrapped into a PDF that has no text layer.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import time
import unicodedata
import zlib
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from dondoc.extract.errors import ExtractionError
from dondoc.extract.read import office, pdf, read_bytes, read_document
from tests.extract.pdf_file import assemble_pdf

SOFFICE = office.libreoffice()
OCR_TOOLS = pdf.ocr_tools()

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
)
needs_ocr = pytest.mark.skipif(
    SOFFICE is None or OCR_TOOLS is None,
    reason="OCR tools or LibreOffice (to draw the test scan) are not installed "
    "(apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui)",
)

CONVERT_TIMEOUT_S = 120
SCAN_DPI = 200

OFFICE_PARAGRAPHS = ["KẾ HOẠCH", "Giao Sở Tài chính thẩm định kinh phí trước ngày 20/4/2026."]
OFFICE_TABLE = [["Đơn vị", "Thời hạn"], ["Sở Xây dựng", "Quý II/2026"]]
OFFICE_CLOSING = "Nơi nhận: như trên."
OFFICE_LINES = [
    *OFFICE_PARAGRAPHS,
    "| Đơn vị | Thời hạn |",
    "| Sở Xây dựng | Quý II/2026 |",
    OFFICE_CLOSING,
]

SCAN_PAGES = ["Sở Y tế báo cáo trước ngày 15/3/2026", "Công an tỉnh tổng hợp kết quả"]


def _docx_file(path: Path, build) -> Path:
    document = docx.Document()
    build(document)
    document.save(str(path))
    return path


def _office_content(document) -> None:
    for text in OFFICE_PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=len(OFFICE_TABLE), cols=len(OFFICE_TABLE[0]))
    for row, values in zip(table.rows, OFFICE_TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    # Word always puts a paragraph after a table; LibreOffice's .doc export drops a table ending the body.
    document.add_paragraph(OFFICE_CLOSING)


def _scan_content(document) -> None:
    for number, text in enumerate(SCAN_PAGES):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.font.size = Pt(16)
        if number < len(SCAN_PAGES) - 1:
            run.add_break(WD_BREAK.PAGE)


def _convert(source: Path, target_format: str, out_dir: Path, profile: Path) -> Path:
    """``source`` converted by LibreOffice to ``target_format`` (doc, rtf, odt, pdf) in ``out_dir``."""
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=CONVERT_TIMEOUT_S,
    )
    converted = out_dir / f"{source.stem}.{target_format}"
    assert converted.is_file(), f"LibreOffice made no {target_format}"
    return converted


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same small plan as .doc, .rtf and .odt, one LibreOffice run per format."""
    work = tmp_path_factory.mktemp("office")
    source = _docx_file(work / "ke-hoach.docx", _office_content)
    return {fmt: _convert(source, fmt, work / "out", work / "profile") for fmt in ("doc", "rtf", "odt")}


def _image_only_pdf(pages: list[tuple[int, int, bytes]], dpi: int) -> bytes:
    """A PDF whose pages are nothing but 8-bit grey images (width, height, pixels): a scan."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for width, height, pixels in pages:
        page_id = len(objects) + 1
        kids.append(f"{page_id} 0 R")
        points_w, points_h = width * 72 / dpi, height * 72 / dpi
        draw = f"q {points_w:.2f} 0 0 {points_h:.2f} 0 0 cm /Scan Do Q".encode()
        packed = zlib.compress(pixels, 6)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points_w:.2f} {points_h:.2f}] "
            f"/Contents {page_id + 1} 0 R /Resources << /XObject << /Scan {page_id + 2} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (width, height, len(packed), packed)
        )
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return assemble_pdf(objects)


_PGM_HEADER = re.compile(rb"P5\s+(\d+)\s+(\d+)\s+255\s")


def _grey_pages(rendered_pdf: Path, out_prefix: Path) -> list[tuple[int, int, bytes]]:
    """The PDF's pages as 8-bit grey pixels, rendered by pdftoppm (PGM files, no imaging library needed)."""
    pdftoppm = OCR_TOOLS[0]
    subprocess.run([pdftoppm, "-r", str(SCAN_DPI), "-gray", str(rendered_pdf), str(out_prefix)],
                   check=True, capture_output=True, timeout=CONVERT_TIMEOUT_S)
    pages = []
    for image in sorted(out_prefix.parent.glob(f"{out_prefix.name}*.pgm")):
        data = image.read_bytes()
        header = _PGM_HEADER.match(data)
        assert header, f"{image.name} is not an 8-bit PGM"
        pages.append((int(header[1]), int(header[2]), data[header.end():]))
    return pages


@pytest.fixture(scope="module")
def typed_and_scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two pages of sentences written here, as a typed PDF and as a scan of it (pixels only)."""
    work = tmp_path_factory.mktemp("scan")
    typed = _convert(_docx_file(work / "typed.docx", _scan_content), "pdf", work, work / "profile")
    scan = work / "scan.pdf"
    scan.write_bytes(_image_only_pdf(_grey_pages(typed, work / "page"), SCAN_DPI))
    reader = pypdf.PdfReader(io.BytesIO(scan.read_bytes()))
    assert len(reader.pages) == len(SCAN_PAGES)
    assert not "".join(page.extract_text() or "" for page in reader.pages).strip(), "the scan has text"
    return typed, scan


@pytest.fixture(scope="module")
def scanned_pdf(typed_and_scanned: tuple[Path, Path]) -> Path:
    return typed_and_scanned[1]


@pytest.fixture(scope="module")
def partly_scanned_pdf(typed_and_scanned: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A typed first page followed by a scanned one, like a directive with a scanned appendix."""
    typed, scan = typed_and_scanned
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(typed).pages[0])
    writer.add_page(pypdf.PdfReader(scan).pages[1])
    path = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    with path.open("wb") as file:
        writer.write(file)
    return path


def _folded(text: str) -> str:
    """Lower case, no diacritics, single spaces: OCR may miss a tone mark or split a line."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


@pytest.fixture(scope="module")
def ocr_text(scanned_pdf: Path) -> str:
    return read_document(scanned_pdf)  # OCR takes about a second a page: once for all the checks


@needs_ocr
def test_a_scanned_pdf_is_read_by_ocr_page_by_page(ocr_text: str) -> None:
    text = _folded(ocr_text)
    expected = [_folded(page) for page in SCAN_PAGES]
    for page in expected:
        assert page in text
    assert text.index(expected[0]) < text.index(expected[1])
    assert "15/3/2026" in text


@needs_ocr
def test_ocr_keeps_vietnamese_letters(ocr_text: str) -> None:
    assert "Sở Y tế" in ocr_text


@needs_ocr
def test_only_the_pages_without_a_text_layer_are_ocred(partly_scanned_pdf: Path) -> None:
    first, *rest = read_document(partly_scanned_pdf).split("\n")
    assert first == SCAN_PAGES[0]  # the typed page's own text, exactly
    assert _folded(SCAN_PAGES[1]) in _folded(" ".join(rest))


@needs_ocr
def test_without_ocr_tools_the_typed_pages_of_a_partly_scanned_pdf_are_still_read(
    partly_scanned_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "ocr_tools", lambda: None)
    assert read_document(partly_scanned_pdf).strip() == SCAN_PAGES[0]


@needs_libreoffice
@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt"])
def test_an_office_file_gives_back_its_paragraphs_and_table_rows(
    office_files: dict[str, Path], fmt: str
) -> None:
    assert read_document(office_files[fmt]).strip("\n").split("\n") == OFFICE_LINES


@needs_libreoffice
def test_a_word_97_file_named_docx_is_read_as_what_it_is(office_files: dict[str, Path]) -> None:
    assert read_bytes(office_files["doc"].read_bytes(), suffix=".docx").strip("\n").split("\n") == OFFICE_LINES


@needs_libreoffice
def test_a_damaged_doc_gets_libreoffices_reason_on_one_line() -> None:
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # a Word 97 header and nothing else
    with pytest.raises(ExtractionError) as raised:
        read_bytes(damaged, suffix=".doc")
    message = str(raised.value)
    assert "\n" not in message
    assert "source file could not be loaded" in raised.value.en
    assert "javaldx" not in message  # soffice's warning on every run without Java is not the reason


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:  # the process ended meanwhile
            continue
    return found


@needs_libreoffice
def test_a_conversion_that_takes_too_long_stops_libreoffice_and_cleans_up(
    office_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work_root = tmp_path / "tmp"
    work_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work_root))
    monkeypatch.setattr(office, "_CONVERT_TIMEOUT_S", 0.3)  # LibreOffice needs about a second to start
    with pytest.raises(ExtractionError, match=re.escape("no result after 0.3 s")):
        read_document(office_files["doc"])
    deadline = time.monotonic() + 5
    while _processes_mentioning(str(work_root)) and time.monotonic() < deadline:
        time.sleep(0.05)  # SIGKILL is delivered at once; the exit may take a moment
    assert _processes_mentioning(str(work_root)) == []
    assert list(work_root.iterdir()) == []
