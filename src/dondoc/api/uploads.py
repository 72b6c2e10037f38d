"""Uploaded files: size and type checks, and reading a directive from an upload through ``dondoc.extract``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings

from .errors import ApiError, too_large

DOCUMENT_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc")
# multipart boundaries and headers around the files: a request whose files fit the limit always fits this too
MULTIPART_SLACK = 64 * 1024


def limit() -> int:
    return settings.MAX_UPLOAD_BYTES


def check_request_size(request, max_bytes: int, reported: int | None = None) -> None:
    """Refuse a body larger than ``max_bytes`` from its Content-Length, before anything parses it (413, telling
    the limit as ``reported``: the file limit rather than the file limit plus multipart slack)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes:
        raise too_large(reported or max_bytes)


def check_file_size(upload, field: str = "file") -> None:
    if upload.size > limit():
        error = too_large(limit())
        error.field = field
        raise error


def safe_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name.strip()
    return name[:255] or "document"


def check_document_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_EXTENSIONS:
        allowed = " ".join(DOCUMENT_EXTENSIONS)
        raise ApiError("unsupported_type", f"Không hỗ trợ loại tệp «{suffix or name}»; chỉ nhận: {allowed}.",
                       f"Unsupported file type «{suffix or name}»; accepted: {allowed}.", field="file",
                       extra={"accepted": list(DOCUMENT_EXTENSIONS)})
    return suffix


def read_upload(upload) -> bytes:
    return b"".join(upload.chunks())


def extract_upload(name: str, content: bytes):
    """The directive in an uploaded file: written to a temporary file of the same name (the reader picks its
    format from the extension) and read by ``dondoc.extract.extract``; ExtractionError → 400 with its message."""
    from dondoc.extract import ExtractionError, extract

    with tempfile.TemporaryDirectory(prefix="dondoc-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            return extract(path)
        except ExtractionError as error:
            raise ApiError("unreadable_file", error.vi, error.en, field="file") from None


def extract_text(text: str):
    from dondoc.extract import ExtractionError, extract_text

    try:
        return extract_text(text)
    except ExtractionError as error:
        raise ApiError("unreadable_text", error.vi, error.en, field="text") from None
