"""A briefing report as a file: bytes, content type and a default file name, for the command and the API alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .content import BriefingReport
from .markdown_builder import build_markdown
from .pdf import docx_to_pdf

FORMATS = ("docx", "xlsx", "pdf", "md")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


@dataclass(frozen=True)
class RenderedReport:
    content: bytes
    content_type: str
    file_name: str


def slug(text: str) -> str:
    """"Bộ Tài chính" → "bo-tai-chinh": safe in a file name on every system."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def file_name(period_code: str, fmt: str, agencies: list[str] | None = None) -> str:
    """bao-cao-giao-ban-2025-Q3.docx; with agencies: bao-cao-giao-ban-2025-Q3-bo-tai-chinh.docx."""
    period = re.sub(r"[^0-9A-Za-z.-]+", "-", period_code).replace("..", "_")
    tail = "".join(f"-{slug(a)}" for a in (agencies or [])[:3])
    return f"bao-cao-giao-ban-{period}{tail[:80]}.{fmt}"


def render(report: BriefingReport, fmt: str, name: str) -> RenderedReport:
    """The report in ``fmt`` (docx | xlsx | pdf | md); ``pdf.PdfUnavailable`` when LibreOffice is missing."""
    # the builders are imported when a file is asked for: python-docx, openpyxl and matplotlib take about a second
    # to load, which every web worker's first request would otherwise wait for (the URLs import this module)
    from .docx_builder import build_docx
    from .xlsx_builder import build_xlsx

    if fmt == "docx":
        content = build_docx(report)
    elif fmt == "xlsx":
        content = build_xlsx(report)
    elif fmt == "pdf":
        content = docx_to_pdf(build_docx(report))
    elif fmt == "md":
        content = build_markdown(report).encode("utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return RenderedReport(content, CONTENT_TYPES[fmt], name)
