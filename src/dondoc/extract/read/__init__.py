"""The read stage: a file (or its bytes) to the document's text.

The text is Unicode NFC with ``\\n`` line endings, no byte-order mark and no NUL. The format comes from
the extension and is checked against the content's magic bytes: government sites often serve a .doc
that is really a web page or a .docx, so when the content clearly is another supported format, it is
read as what it is. Every bad input raises ExtractionError with a one-line Vietnamese/English message.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from dondoc.extract.read import failures, legacy
from dondoc.extract.read.failures import SUPPORTED_SUFFIXES, Origin
from dondoc.extract.read.html import read_html, web_archive_page
from dondoc.extract.read.office import read_with_libreoffice
from dondoc.extract.read.pdf import read_pdf
from dondoc.extract.read.txt import decode_text
from dondoc.extract.read.word import read_docx

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "read_bytes", "read_document"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_TEXT_SUFFIXES = frozenset({"", ".txt", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_OFFICE_SUFFIXES = frozenset({".doc", ".rtf", ".odt"})
_KNOWN_SUFFIXES = frozenset(SUPPORTED_SUFFIXES) | {""}

_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WINDOW = 1024  # the PDF header may follow some junk bytes
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and other old Office files)
_RTF_MAGIC = b"{\\rtf"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml")
_HTML_SNIFF_BYTES = 1024
_MHT_MARK = b"mime-version:"  # Word's "single file web page" (.mht), often served as .doc

_UNICODE_LINE_BREAKS = ("\u2028", "\u2029")


def _sniff(data: bytes) -> str | None:
    """The format the content's first bytes prove, if any: "pdf", "zip", "ole", "rtf", "html", "mht"."""
    if _PDF_MAGIC in data[:_PDF_MAGIC_WINDOW]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    if data.startswith(_RTF_MAGIC):
        return "rtf"
    head = data[:_HTML_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_STARTS) and b"<html" in head:
        return "html"
    if _MHT_MARK in head and b"multipart/related" in head:
        return "mht"
    return None


def _read_by_format(data: bytes, suffix: str, origin: Origin) -> str:
    sniffed = _sniff(data)
    if sniffed == "pdf":
        return read_pdf(data, origin)
    if sniffed == "zip":
        return read_with_libreoffice(data, ".odt", origin) if suffix == ".odt" else read_docx(data, origin)
    if sniffed in ("ole", "rtf"):
        office_suffix = suffix if suffix in _OFFICE_SUFFIXES else {"ole": ".doc", "rtf": ".rtf"}[sniffed]
        return read_with_libreoffice(data, office_suffix, origin)
    if sniffed == "mht" and suffix not in _TEXT_SUFFIXES:
        return read_html(web_archive_page(data, origin), origin)
    # Portals serve Word-saved web pages as .doc; a web page named .pdf or .docx is more likely a
    # download's error page than the document, so those stay errors below.
    if suffix in _HTML_SUFFIXES or (sniffed == "html" and suffix in _OFFICE_SUFFIXES):
        return read_html(data, origin)
    if suffix == ".docx":
        raise failures.not_docx(origin, "not a zip archive")
    if suffix == ".pdf":
        raise failures.bad_pdf(origin, "no PDF header")
    # Plain text, or an office suffix on content that is none of the above (an old .doc saved as
    # text): read it as text if it is text.
    return decode_text(data, origin)


def _normalized(text: str) -> str:
    # str.replace, not str.translate: translate is ~40x slower on non-ASCII text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for line_break in _UNICODE_LINE_BREAKS:
        if line_break in text:
            text = text.replace(line_break, "\n")
    text = text.replace("\ufeff", "").replace("\x00", "")
    text = legacy.fix_legacy_encoding(text)
    return unicodedata.normalize("NFC", text)  # returns at once when the quick check says NFC


def _suffix_of(name: str) -> str:
    suffix = name.lower()
    return suffix if suffix.startswith(".") or not suffix else f".{suffix}"


def _read(data: bytes, suffix: str, origin: Origin) -> str:
    if suffix not in _KNOWN_SUFFIXES:
        raise failures.unsupported_suffix(origin, suffix)
    if not data:
        raise failures.no_text(origin)
    text = _normalized(_read_by_format(data, suffix, origin))
    if not text.strip():
        raise failures.no_text(origin)
    return text


def read_bytes(data: bytes, *, suffix: str) -> str:
    """The text of a document held in memory; ``suffix`` (".docx", "pdf", "" for text) names its format."""
    normalized_suffix = _suffix_of(suffix)
    return _read(bytes(data), normalized_suffix, Origin.of_bytes(normalized_suffix))


def _load(path: str, origin: Origin, max_bytes: int) -> bytes:
    """The file's bytes, refusing before reading anything when it is too large or not a file."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise failures.is_directory(origin)
        if not stat.S_ISREG(info.st_mode):
            raise failures.not_regular_file(origin)  # a FIFO or device could stream forever
        if info.st_size > max_bytes:
            raise failures.too_large(origin, info.st_size, max_bytes)
        with open(path, "rb") as file:
            data = file.read(max_bytes + 1)  # the file may have grown since stat()
    except FileNotFoundError as error:
        raise failures.not_found(origin) from error
    except PermissionError as error:
        raise failures.permission_denied(origin) from error
    except OSError as error:
        raise failures.unreadable(origin, failures.one_line(error.strerror or error)) from error
    if len(data) > max_bytes:
        raise failures.too_large(origin, len(data), max_bytes)
    return data


def read_document(source: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of the document at ``source``, its format chosen by extension and checked by content."""
    path = os.fspath(source)
    origin = Origin.of_path(path)
    suffix = Path(path).suffix.lower()
    if suffix not in _KNOWN_SUFFIXES:
        raise failures.unsupported_suffix(origin, suffix)  # before touching the file
    return _read(_load(path, origin, max_bytes), suffix, origin)
