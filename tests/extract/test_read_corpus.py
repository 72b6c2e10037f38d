"""The real directives in shared/corpus read without error and unchanged but for NFC and newlines.

shared/ sits beside the repository; without it (a bare clone) the test is skipped.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from dondoc.extract.read import read_document

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FILES = sorted(CORPUS.glob("*/*.txt")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason="shared/corpus is not beside the repository")
def test_every_corpus_text_reads_back_as_written() -> None:
    changed = []
    for path in FILES:
        written = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        if read_document(path) != unicodedata.normalize("NFC", written):
            changed.append(path.name)
    assert changed == []
