"""Word documents (.docx): body paragraphs and tables in document order.

Each paragraph is a line; each table row is one line ``| cell | cell |`` (a cell's paragraphs joined by
spaces, a horizontally merged cell once). Text boxes and content controls are read where they stand.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from dondoc.extract.errors import ExtractionError
from dondoc.extract.read import failures

_WORD_PART = "word/document.xml"
# A zip bomb guard: the main part of a real directive is a few MB at most.
_MAX_DOCUMENT_XML_BYTES = 500 * 1024 * 1024
_SPACES = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TEXT_BOX = qn("w:txbxContent")
_R = qn("w:r")
_NOT_TEXT = frozenset({qn("w:pPr"), qn("w:del"), qn("w:moveFrom")})
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _check_is_word_zip(data: bytes, origin: failures.Origin) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if _WORD_PART not in names:
                odf = "mimetype" in names and b"opendocument" in archive.read("mimetype")
                detail = "OpenDocument, not Word" if odf else f"the zip has no {_WORD_PART}"
                raise failures.not_docx(origin, detail)
            if archive.getinfo(_WORD_PART).file_size > _MAX_DOCUMENT_XML_BYTES:
                raise failures.not_docx(origin, "its text part is implausibly large")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise failures.not_docx(origin, failures.one_line(error)) from error


def _text_boxes(paragraph) -> Iterator:
    """The paragraph's own text boxes; not those nested in another box, nor the VML fallback copy
    a drawing carries of its modern text box."""
    for box in paragraph.iter(_TEXT_BOX):
        for ancestor in box.iterancestors():
            if ancestor is paragraph:
                yield box
                break
            if ancestor.tag in (_FALLBACK, _TEXT_BOX):
                break


def _inline_text(element) -> str:
    """Text of the runs under ``element``, including those python-docx's Paragraph.text skips
    (tracked insertions, smart tags, inline content controls, simple fields); deletions left out."""
    parts = []
    for child in element.iterchildren():
        if child.tag == _R:
            parts.append(child.text)  # python-docx's run text: w:t, tabs, breaks
        elif child.tag not in _NOT_TEXT:
            parts.append(_inline_text(child))
    return "".join(parts)


def _cell_text(cell: _Cell, document: WordDocument) -> str:
    return _SPACES.sub(" ", " ".join(_block_lines(cell._tc, document))).strip()


def _table_lines(table: Table, document: WordDocument) -> Iterator[str]:
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous._tc:
                continue  # a horizontally merged cell is listed once per grid column it spans
            cells.append(_cell_text(cell, document))
            previous = cell
        if any(cells):
            yield "| " + " | ".join(cells) + " |"


def _block_lines(container, document: WordDocument) -> Iterator[str]:
    """Lines of the paragraphs and tables directly in ``container`` (body, cell, content control)."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield _inline_text(child)
            for box in _text_boxes(child):
                yield from _block_lines(box, document)
        elif child.tag == _TBL:
            yield from _table_lines(Table(child, document), document)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content, document)


def read_docx(data: bytes, origin: failures.Origin) -> str:
    _check_is_word_zip(data, origin)
    try:
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_block_lines(document.element.body, document))
    except ExtractionError:
        raise
    except Exception as error:  # python-docx raises many kinds on a damaged part (KeyError, lxml, ...)
        raise failures.not_docx(origin, failures.one_line(error)) from error
    return _BLANK_RUNS.sub("\n\n", text)
