"""Legacy office formats (.doc, .rtf, .odt): converted to .docx by LibreOffice, then read as .docx.

LibreOffice is a Debian package (libreoffice-writer-nogui or libreoffice-writer), not a Python one;
without it these formats are an error that says how to install it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from dondoc.extract.read import failures
from dondoc.extract.read.word import read_docx

_CONVERT_TIMEOUT_S = 300
# soffice prints "Warning: failed to launch javaldx ..." on every run without Java; the line that
# explains a failure starts with "Error".
_COMPLAINT = re.compile(r"^\s*Error\b.*$", re.MULTILINE)
_WARNING = re.compile(r"^\s*Warning\b.*$", re.MULTILINE)


def libreoffice() -> str | None:
    """Path of the LibreOffice command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _why_it_failed(output: str, returncode: int) -> str:
    complaints = _COMPLAINT.findall(output)
    if complaints:
        return "; ".join(complaint.strip() for complaint in complaints)
    rest = _WARNING.sub("", output).strip()
    return rest or f"exit status {returncode}"


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):  # no killpg (Windows), or group gone
        process.kill()


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Exit status and output of soffice; on timeout every process it started is killed.

    soffice is a script that starts oosplash, which starts soffice.bin: killing only the first would
    leave soffice.bin running, still writing into the work directory after it was removed.
    """
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, start_new_session=True) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except BaseException:  # the timeout, or Ctrl-C while waiting
            _kill_group(process)
            process.communicate()
            raise
    return process.returncode, output.decode("utf-8", errors="replace")


def read_with_libreoffice(data: bytes, suffix: str, origin: failures.Origin) -> str:
    soffice = libreoffice()
    if soffice is None:
        raise failures.needs_libreoffice(origin, suffix)
    with tempfile.TemporaryDirectory(prefix="dondoc-office-") as work:
        source = Path(work) / f"document{suffix}"
        source.write_bytes(data)
        out_dir = Path(work) / "out"
        # A profile of its own, so a LibreOffice the user has open does not swallow the conversion, and
        # so it works when HOME is missing or read-only.
        profile = (Path(work) / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", str(out_dir), str(source)]
        try:
            returncode, output = _run(command, _CONVERT_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            detail = f"no result after {_CONVERT_TIMEOUT_S} s"
            raise failures.conversion_failed(origin, detail) from error
        except (OSError, subprocess.SubprocessError) as error:
            raise failures.conversion_failed(origin, failures.one_line(error)) from error
        converted = out_dir / "document.docx"
        if not converted.is_file():
            raise failures.conversion_failed(origin, failures.one_line(_why_it_failed(output, returncode)))
        return read_docx(converted.read_bytes(), origin)
