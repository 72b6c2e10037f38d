"""PDF by converting the DOCX with LibreOffice (Debian: libreoffice-writer-nogui), which renders Vietnamese and the
administrative layout faithfully; without it, a clear message says what to install."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Cần LibreOffice để xuất PDF: apt install libreoffice-writer-nogui / LibreOffice is needed for PDF "
            f"output: apt install libreoffice-writer-nogui{f' ({detail})' if detail else ''}"
        )


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: float = 120) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="dondoc-pdf-") as tmp:
        source = Path(tmp) / "bao-cao.docx"
        source.write_bytes(docx)
        # a private profile directory: a user's running LibreOffice would otherwise swallow the conversion
        profile = Path(tmp, "profile").as_uri()
        done = subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                               "--outdir", tmp, str(source)], capture_output=True, timeout=timeout, check=False)
        target = source.with_suffix(".pdf")
        if done.returncode != 0 or not target.exists():
            raise PdfUnavailable(done.stderr.decode(errors="replace").strip()[:200])
        return target.read_bytes()
