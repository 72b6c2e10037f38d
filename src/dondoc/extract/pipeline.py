"""The pipeline: read → normalize → structure → agencies, deadlines, header, citations → tasks."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .agencies import AgencyRegistry
from .citations import find_citations
from .header import read_header
from .model import Directive, DocumentInfo
from .normalize import analysis_text, clean_text
from .read import read_document
from .structure import split_blocks
from .tasks import TaskFinder


def extract(source: str | os.PathLike[str], *, issued_on: date | None = None) -> Directive:
    """Extract a directive from a file path (any format ``read`` supports) or from its text.

    A ``str`` that names an existing file is read as that file; any other ``str`` is the text.
    ``issued_on`` overrides the document date (used for dates without a year and relative deadlines).
    """
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                           and len(source) < 4096 and Path(source).is_file()):
        path = Path(source)
        return extract_text(read_document(path), issued_on=issued_on, source=str(path))
    return extract_text(str(source), issued_on=issued_on)


def extract_text(text: str, *, issued_on: date | None = None, source: str | None = None) -> Directive:
    """Extract a directive from its text."""
    text = clean_text(text)
    atext = analysis_text(text)
    registry = AgencyRegistry.default()
    header = read_header(text)
    doc_date = issued_on or header.issued_date
    doc_year = doc_date.year if doc_date else header.year
    citations = tuple(
        c for c in find_citations(text, doc_year=doc_year) if not header.number or c.number != header.number
    )
    issuer = _issuer(registry, header.issuer_text, header.issuer_code)
    blocks = split_blocks(atext, text)
    finder = TaskFinder(text, atext, registry, doc_date, doc_year, _body_start(header, len(text)), issuer)
    tasks = finder.find(blocks)
    document = DocumentInfo(
        number=header.number,
        type=header.type,
        issuer=issuer,
        issued_date=header.issued_date,
        title=" ".join(header.title.split()) if header.title else None,
    )
    return Directive(document=document, tasks=tuple(tasks), citations=citations, text=text, source=source)


def _issuer(registry: AgencyRegistry, text: str | None, code: str | None) -> str | None:
    if text:
        name = registry.canonical_name(" ".join(text.split()))
        if name:
            return name
    if code:
        name = registry.by_symbol(code)
        if name:
            return name
    if not text:
        return None
    # A unit not in the registry, often in capitals: "SỞ NỘI VỤ TỈNH KHÁNH HÒA" → "Sở Nội vụ tỉnh Khánh Hòa"
    mentions = registry.find(text)
    if mentions and mentions[0].start < 3:
        name = mentions[0].names[0]
        place = next((m for m in mentions[1:] if m.kind == "place"), None)
        if place:
            name += " " + place.names[0].removeprefix("Ủy ban nhân dân ")
        return name
    written = " ".join(text.split())
    # a letterhead in capitals is typography, not spelling: "BAN CHỈ ĐẠO ..." → "Ban chỉ đạo ..."
    return written[0] + written[1:].lower() if written.isupper() else written


def _body_start(header, length: int) -> int:
    """Where the letterhead (number, date, type line, title) ends: tasks are looked for after it."""
    if not {"number", "issued_date"} & header.spans.keys():
        return 0  # no letterhead: a first line that looks like a title may be a task
    ends = [e for name, (_, e) in header.spans.items()
            if name in {"number", "issued_date", "type", "title"} and e < min(4000, max(length // 3, 400))]
    return max(ends, default=0)
