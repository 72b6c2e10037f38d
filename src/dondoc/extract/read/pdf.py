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


def _text_layer(data: bytes, origin: failures.Origin) -> str:
    # pypdf logs every repaired glitch of a sloppy PDF as a warning; the text it gets is what matters.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # many "protected" PDFs only restrict printing, with an empty password
        pages = [(page.extract_text() or "").rstrip() for page in reader.pages]
    except (FileNotDecryptedError, DependencyError) as error:  # DependencyError: AES needs `cryptography`
        raise failures.encrypted_pdf(origin) from error
    except Exception as error:  # a damaged PDF makes pypdf fail in many ways, not only PdfReadError
        raise failures.bad_pdf(origin, failures.one_line(error)) from error
    finally:
        pypdf_logger.setLevel(level)
    return _TRAILING_SPACES.sub("", "\n".join(pages))


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


def _ocr(data: bytes, tools: tuple[str, str], origin: failures.Origin) -> str:
    pdftoppm, tesseract = tools
    try:
        with tempfile.TemporaryDirectory(prefix="dondoc-ocr-") as work:
            pdf = Path(work) / "scan.pdf"
            pdf.write_bytes(data)
            subprocess.run([pdftoppm, "-r", _OCR_DPI, "-png", str(pdf), str(Path(work) / "page")],
                           check=True, capture_output=True, timeout=_RENDER_TIMEOUT_S)
            pages = []
            # pdftoppm pads page numbers to the same width, so name order is page order.
            for image in sorted(Path(work).glob("page*.png")):
                done = subprocess.run([tesseract, "-", "-", "-l", _OCR_LANGUAGE], input=image.read_bytes(),
                                      check=True, capture_output=True, timeout=_OCR_PAGE_TIMEOUT_S)
                # tesseract ends each page with a form feed
                pages.append(done.stdout.decode("utf-8", errors="replace").rstrip())
    except subprocess.TimeoutExpired as error:
        detail = f"{Path(error.cmd[0]).name} gave no result after {error.timeout:g} s"
        raise failures.ocr_failed(origin, detail) from error
    except subprocess.CalledProcessError as error:
        detail = error.stderr.decode("utf-8", errors="replace") if error.stderr else str(error)
        raise failures.ocr_failed(origin, failures.one_line(detail)) from error
    except (OSError, subprocess.SubprocessError) as error:
        raise failures.ocr_failed(origin, failures.one_line(error)) from error
    return _TRAILING_SPACES.sub("", "\n".join(pages))


def read_pdf(data: bytes, origin: failures.Origin) -> str:
    text = _text_layer(data, origin)
    if text.strip():
        return text
    tools = ocr_tools()
    if tools is None:
        raise failures.scanned_pdf_without_ocr(origin)
    return _ocr(data, tools, origin)
