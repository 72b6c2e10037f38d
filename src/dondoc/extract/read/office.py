"""Legacy office formats (.doc, .rtf, .odt): converted to .docx by LibreOffice, then read as .docx.

LibreOffice is a Debian package (libreoffice-writer), not a Python one; without it these formats are an
error that says how to install it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from dondoc.extract.read import failures
from dondoc.extract.read.word import read_docx

_CONVERT_TIMEOUT_S = 300


def libreoffice() -> str | None:
    """Path of the LibreOffice command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_with_libreoffice(data: bytes, suffix: str, origin: failures.Origin) -> str:
    soffice = libreoffice()
    if soffice is None:
        raise failures.needs_libreoffice(origin, suffix)
    with tempfile.TemporaryDirectory(prefix="dondoc-office-") as work:
        source = Path(work) / f"document{suffix}"
        source.write_bytes(data)
        out_dir = Path(work) / "out"
        # A profile of its own, so a LibreOffice the user has open does not swallow the conversion.
        profile = (Path(work) / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", str(out_dir), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=_CONVERT_TIMEOUT_S, check=False)
        except (OSError, subprocess.SubprocessError) as error:
            raise failures.conversion_failed(origin, failures.one_line(error)) from error
        converted = out_dir / "document.docx"
        if not converted.is_file():
            output = (done.stderr or done.stdout).decode("utf-8", errors="replace")
            detail = output or f"exit status {done.returncode}"
            raise failures.conversion_failed(origin, failures.one_line(detail))
        return read_docx(converted.read_bytes(), origin)
