"""Every way reading can fail, as one-line bilingual ExtractionErrors saying what to do.

Kept in one place so the wording stays consistent and every message names the file the user gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dondoc.extract.errors import ExtractionError

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc", ".rtf", ".odt")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True, slots=True)
class Origin:
    """How messages name what is being read: a path, or data handed over in memory."""

    vi: str
    en: str

    @classmethod
    def of_path(cls, path: str) -> Origin:
        shown = f"'{_CONTROL.sub(' ', path)}'"  # a file name with a newline must not break the one line
        return cls(vi=f"tệp {shown}", en=f"file {shown}")

    @classmethod
    def of_bytes(cls, suffix: str) -> Origin:
        kind = suffix or "(không đuôi)"
        return cls(vi=f"dữ liệu {kind}", en=f"the {suffix or 'extension-less'} data")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lower-case the file name


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def unsupported_suffix(origin: Origin, suffix: str) -> ExtractionError:
    listed = ", ".join(SUPPORTED_SUFFIXES)
    return ExtractionError(
        f"Không đọc được {origin.vi}: định dạng '{suffix}' chưa được hỗ trợ; hãy dùng một trong: {listed}",
        f"Cannot read {origin.en}: '{suffix}' is not a supported format; use one of: {listed}",
    )


def not_found(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"Không tìm thấy {origin.vi}; hãy kiểm tra lại đường dẫn",
        f"{_cap(origin.en)} not found; check the path",
    )


def is_directory(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} là một thư mục; hãy chỉ ra một tệp văn bản trong đó",
        f"{_cap(origin.en)} is a directory; give the path of a document inside it",
    )


def not_regular_file(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} không phải tệp thông thường; hãy lưu nội dung ra một tệp rồi đọc tệp đó",
        f"{_cap(origin.en)} is not a regular file; save the content to a file and read that",
    )


def permission_denied(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"Không có quyền đọc {origin.vi}; hãy kiểm tra quyền truy cập tệp",
        f"No permission to read {origin.en}; check the file's permissions",
    )


def unreadable(origin: Origin, detail: str) -> ExtractionError:
    return ExtractionError(
        f"Không đọc được {origin.vi} (lỗi hệ thống: {detail}); hãy kiểm tra tệp và ổ đĩa",
        f"Cannot read {origin.en} ({detail}); check the file and the disk",
    )


def too_large(origin: Origin, size: int, limit: int) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} quá lớn ({_size(size)}, giới hạn {_size(limit)}); "
        "hãy tách văn bản hoặc tăng max_bytes",
        f"{_cap(origin.en)} is too large ({_size(size)}; the limit is {_size(limit)}); "
        "split the document or raise max_bytes",
    )


def no_text(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} không có chữ nào; hãy kiểm tra đã chọn đúng tệp chưa",
        f"{_cap(origin.en)} has no text; check that it is the right file",
    )


def not_text(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} không phải văn bản (dữ liệu nhị phân hoặc sai bảng mã); "
        "hãy dùng tệp .txt, .docx, .pdf hoặc .html",
        f"{_cap(origin.en)} is not a text file (binary data or unknown encoding); "
        "give a .txt, .docx, .pdf or .html file",
    )


def not_docx(origin: Origin, detail: str) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} không phải tệp Word .docx hợp lệ ({detail}); "
        "hãy mở bằng Word và lưu lại dạng .docx",
        f"{_cap(origin.en)} is not a valid Word .docx file ({detail}); "
        "open it in Word and save it again as .docx",
    )


def bad_pdf(origin: Origin, detail: str) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} là PDF hỏng hoặc không đọc được ({detail}); hãy tải hoặc xuất lại tệp PDF",
        f"{_cap(origin.en)} is a damaged or unreadable PDF ({detail}); download or export the PDF again",
    )


def encrypted_pdf(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} là PDF có mật khẩu; hãy gỡ mật khẩu rồi đọc lại",
        f"{_cap(origin.en)} is a password-protected PDF; remove the password and read it again",
    )


def scanned_pdf_without_ocr(origin: Origin) -> ExtractionError:
    return ExtractionError(
        f"{_cap(origin.vi)} là PDF không có lớp chữ (bản quét); hãy cài tesseract-ocr, tesseract-ocr-vie và "
        "poppler-utils (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils) để nhận dạng chữ",
        f"{_cap(origin.en)} is a PDF with no text layer (scanned); install tesseract-ocr, tesseract-ocr-vie and "
        "poppler-utils (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils) to OCR it",
    )


def ocr_failed(origin: Origin, detail: str) -> ExtractionError:
    return ExtractionError(
        f"Nhận dạng chữ (OCR) {origin.vi} thất bại ({detail}); hãy thử bản PDF có lớp chữ",
        f"OCR of {origin.en} failed ({detail}); try a PDF that has a text layer",
    )


def needs_libreoffice(origin: Origin, suffix: str) -> ExtractionError:
    return ExtractionError(
        f"Cần LibreOffice để đọc {origin.vi} ({suffix}); hãy cài: apt-get install libreoffice-writer-nogui, "
        "hoặc lưu tệp dạng .docx",
        f"Reading {origin.en} ({suffix}) needs LibreOffice; install libreoffice "
        "(apt-get install libreoffice-writer-nogui) or save the file as .docx",
    )


def conversion_failed(origin: Origin, detail: str) -> ExtractionError:
    return ExtractionError(
        f"LibreOffice không chuyển được {origin.vi} sang .docx ({detail}); hãy mở tệp và lưu lại dạng .docx",
        f"LibreOffice could not convert {origin.en} to .docx ({detail}); open it and save it as .docx",
    )


def one_line(detail: object) -> str:
    """A library's error message, shortened to fit inside our one-line message."""
    text = _CONTROL.sub(" ", str(detail)).strip() or type(detail).__name__
    return text if len(text) <= 120 else text[:117] + "..."
