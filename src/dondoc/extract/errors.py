"""Errors a user can act on: one line saying what is wrong and what to do, in Vietnamese and English."""

from __future__ import annotations


class ExtractionError(Exception):
    """A file dondoc cannot read. ``str()`` is the one-line bilingual message the CLI prints."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}")
