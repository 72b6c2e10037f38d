"""dondoc's extraction engine: a directive in, its tasks out. Framework-free (no Django).

    >>> from dondoc.extract import extract_text
    >>> directive = extract_text("Sở Y tế chủ trì rà soát danh mục thuốc trước ngày 30/6/2026.")
    >>> directive.tasks[0].lead, directive.tasks[0].deadline.date.isoformat()
    (('Sở Y tế',), '2026-06-30')

``extract(path)`` reads a file first (.txt .md .html .docx .pdf; .doc with LibreOffice).
Stages, each its own module: read → normalize → structure → agencies, deadlines, header,
citations → tasks (see ``pipeline``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ExtractionError
from .model import Citation, Deadline, Directive, DocumentInfo, Span, Task

if TYPE_CHECKING:
    from .pipeline import extract, extract_text

__all__ = [
    "Citation",
    "Deadline",
    "Directive",
    "DocumentInfo",
    "ExtractionError",
    "Span",
    "Task",
    "extract",
    "extract_text",
]


def __getattr__(name: str):
    # The pipeline loads the language data; importing the result types alone should not.
    if name in {"extract", "extract_text"}:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
