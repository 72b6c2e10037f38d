"""Keys that make names and search text compare the way people expect, shared with the extractor."""

from __future__ import annotations

from dondoc.extract.agencies import fold as _name_fold
from dondoc.extract.normalize import fold as _unaccent


def name_key(name: str) -> str:
    """An agency name or alias as a look-up key: case, tone placement ("Uỷ"/"Ủy") and spacing ignored."""
    return _name_fold(name)


def search_key(text: str) -> str:
    """Lower-case text without diacritics, spacing squeezed: what task search compares ("bo y te" ~ "Bộ Y tế")."""
    return " ".join(_unaccent(text).split())
