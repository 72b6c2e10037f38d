""".doc, .rtf and .odt go through LibreOffice's conversion to .docx, then read as .docx.

A stand-in ``soffice`` checks how LibreOffice is called without needing it installed.
"""

from __future__ import annotations

import io
import shutil
import stat
from pathlib import Path

import docx
import pytest

from dondoc.extract.errors import ExtractionError
from dondoc.extract.read import read_bytes, read_document

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fake_soffice(directory: Path, converted: bytes | None) -> str:
    """A soffice that "converts" by writing ``converted`` as <outdir>/<input stem>.docx (or fails)."""
    result = directory / "converted.docx"
    if converted is not None:
        result.write_bytes(converted)
    script = directory / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'case " $* " in *" --headless "*) ;; *) exit 2;; esac\n'
        'while [ $# -gt 0 ]; do\n'
        '  case "$1" in --convert-to) shift; [ "$1" = docx ] || exit 2;; --outdir) shift; out="$1";; '
        '*) input="$1";; esac\n'
        "  shift\n"
        "done\n"
        f'[ -f "{result}" ] || {{ echo "Error: source file could not be loaded" >&2; exit 1; }}\n'
        'mkdir -p "$out"; name=$(basename "$input"); '
        f'cp "{result}" "$out/${{name%.*}}.docx"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        pytest.param(".doc", OLE_HEADER + b"\x00" * 100, id="doc"),
        pytest.param(".rtf", b"{\\rtf1\\ansi Noi dung}", id="rtf"),
        pytest.param(".odt", b"PK\x03\x04" + b"\x00" * 100, id="odt"),
    ],
)
def test_legacy_office_files_are_converted_by_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, content: bytes
) -> None:
    soffice = _fake_soffice(tmp_path, _docx_bytes("Kế hoạch triển khai", "Giao Sở Y tế chủ trì"))
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: soffice if name == "soffice" else None)
    path = tmp_path / f"ke-hoach{suffix}"
    path.write_bytes(content)
    assert read_document(path) == "Kế hoạch triển khai\nGiao Sở Y tế chủ trì"


def test_a_failed_conversion_says_so_on_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soffice = _fake_soffice(tmp_path, None)
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: soffice if name == "soffice" else None)
    with pytest.raises(ExtractionError) as raised:
        read_bytes(OLE_HEADER + b"\x00" * 100, suffix=".doc")
    assert "\n" not in str(raised.value)
    assert "could not convert" in raised.value.en and "source file could not be loaded" in raised.value.en
