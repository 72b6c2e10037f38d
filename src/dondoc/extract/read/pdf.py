"""PDF: the text layer with pypdf, pages in order; OCR with tesseract when the PDF is a scan.

OCR needs two Debian packages, tesseract-ocr-vie and poppler-utils; without them a scanned PDF is an
error that says how to install them.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError

from dondoc.extract.read import failures

_TRAILING_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)
_OCR_DPI = "300"
_OCR_LANGUAGE = "vie"
_RENDER_TIMEOUT_S = 600
_OCR_PAGE_TIMEOUT_S = 300


def _text_layer(data: bytes, origin: failures.Origin) -> list[str]:
    """Each page's text layer, in page order ("" for a page that has none)."""
    # pypdf logs every repaired glitch of a sloppy PDF as a warning; the text it gets is what matters.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # many "protected" PDFs only restrict printing, with an empty password
        return [(page.extract_text() or "").rstrip() for page in reader.pages]
    except (FileNotDecryptedError, DependencyError) as error:  # DependencyError: AES needs `cryptography`
        raise failures.encrypted_pdf(origin) from error
    except Exception as error:  # a damaged PDF makes pypdf fail in many ways, not only PdfReadError
        raise failures.bad_pdf(origin, failures.one_line(error)) from error
    finally:
        pypdf_logger.setLevel(level)


@cache
def _tesseract_knows_vietnamese(tesseract: str) -> bool:
    try:
        listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return _OCR_LANGUAGE in (listed.stdout + listed.stderr).split()


def ocr_tools() -> tuple[str, str] | None:
    """Paths of pdftoppm and tesseract when both are installed and tesseract has Vietnamese."""
    pdftoppm, tesseract = shutil.which("pdftoppm"), shutil.which("tesseract")
    if pdftoppm and tesseract and _tesseract_knows_vietnamese(tesseract):
        return pdftoppm, tesseract
    return None


def _render(pdftoppm: str, pdf: Path, pages: list[int] | None) -> list[Path]:
    """Page images at OCR resolution, in page order: every page, or only the given (1-based) pages."""
    if pages is None:
        subprocess.run([pdftoppm, "-r", _OCR_DPI, "-png", str(pdf), str(pdf.parent / "page")],
                       check=True, capture_output=True, timeout=_RENDER_TIMEOUT_S)
        # pdftoppm pads page numbers to the same width, so name order is page order.
        return sorted(pdf.parent.glob("page*.png"))
    images = []
    for number in pages:
        prefix = pdf.parent / f"only-{number}"
        subprocess.run([pdftoppm, "-r", _OCR_DPI, "-png", "-f", str(number), "-l", str(number), "-singlefile",
                        str(pdf), str(prefix)], check=True, capture_output=True, timeout=_RENDER_TIMEOUT_S)
        images.append(prefix.with_suffix(".png"))
    return images


def _ocr(data: bytes, tools: tuple[str, str], origin: failures.Origin, pages: list[int] | None) -> list[str]:
    """The text tesseract reads on the PDF's pages: every page, or only the given (1-based) pages."""
    pdftoppm, tesseract = tools
    texts = []
    try:
        with tempfile.TemporaryDirectory(prefix="dondoc-ocr-") as work:
            pdf = Path(work) / "scan.pdf"
            pdf.write_bytes(data)
            for image in _render(pdftoppm, pdf, pages):
                done = subprocess.run([tesseract, "-", "-", "-l", _OCR_LANGUAGE], input=image.read_bytes(),
                                      check=True, capture_output=True, timeout=_OCR_PAGE_TIMEOUT_S)
                # tesseract ends each page with a form feed
                texts.append(done.stdout.decode("utf-8", errors="replace").rstrip())
    except subprocess.TimeoutExpired as error:
        detail = f"{Path(error.cmd[0]).name} gave no result after {error.timeout:g} s"
        raise failures.ocr_failed(origin, detail) from error
    except subprocess.CalledProcessError as error:
        detail = error.stderr.decode("utf-8", errors="replace") if error.stderr else str(error)
        raise failures.ocr_failed(origin, failures.one_line(detail)) from error
    except (OSError, subprocess.SubprocessError) as error:
        raise failures.ocr_failed(origin, failures.one_line(error)) from error
    return texts


def _joined(pages: list[str]) -> str:
    return _TRAILING_SPACES.sub("", "\n".join(pages))


def read_pdf(data: bytes, origin: failures.Origin) -> str:
    """The text layer; pages without one (a scan, or scanned pages inside a typed PDF) are OCRed."""
    pages = _text_layer(data, origin)
    blank = [number for number, text in enumerate(pages, start=1) if not text.strip()]
    if not blank:
        return _joined(pages)
    tools = ocr_tools()
    scan = len(blank) == len(pages)
    if tools is None:
        if scan:
            raise failures.scanned_pdf_without_ocr(origin)
        return _joined(pages)  # the typed pages still give the directive's text
    if scan:
        return _joined(_ocr(data, tools, origin, None))  # every page in one pdftoppm run
    for number, text in zip(blank, _ocr(data, tools, origin, blank), strict=True):
        pages[number - 1] = text
    return _joined(pages)
