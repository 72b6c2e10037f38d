"""Normalize: one spelling of the same text, without moving a single character.

Two texts come out of this stage:

* the *read text* (``clean_text``): NFC, ``\\n`` line endings, no control characters.
  It is what ``Directive.text`` holds and what every span points into.
* the *analysis text* (``analysis_text``): the read text with every character replaced by
  at most one other character, so offsets stay valid. It puts tone marks in one place
  ("Uỷ" → "Ủy", "hoà" → "hòa"), turns the "_" of word-segmented text ("Bộ_Tư_pháp") and
  markdown emphasis ("**") into spaces, and unifies look-alike punctuation. Rules and
  matchers read this text; quotes are cut from the read text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

from .data_files import load_yaml

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\ufeff]")

# Same-length substitutions: spacing and punctuation variants that carry no meaning here.
# (str.replace per character beats str.translate with a table several times over.)
_SAME_LENGTH = (
    ("_", " "),
    ("*", " "),
    ("\u00a0", " "),
    ("\t", " "),
    ("\u2013", "-"),  # en dash
    ("\u2014", "-"),  # em dash
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u00d0", "\u0110"),  # "Ð" (eth), which encoders and OCR put for the Vietnamese "Đ"
    ("\u00f0", "\u0111"),  # "ð" for "đ"
)

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐ"


def clean_text(text: str) -> str:
    """The read text: NFC, ``\\n`` line endings, control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


@cache
def _old_style_tones() -> tuple[re.Pattern[str], dict[str, str]]:
    """Regex and mapping for old-style tone placement in open syllables: oà→òa, oè→òe, uỳ→ùy.

    Only an open syllable differs between the two styles ("hoà" vs "hòa"); in a closed one
    ("hoàn", "thuyết") both styles agree, and "qu" is a consonant, so "quý" never changes.
    """
    mapping: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for upper_first in (False, True):
                for upper_second in (False, True):
                    a = first.upper() if upper_first else first
                    b = second.upper() if upper_second else second
                    old = a + unicodedata.normalize("NFC", b + tone)
                    new = unicodedata.normalize("NFC", a + tone) + b
                    mapping[old] = new
    letters = vietnamese_letters()
    seconds = "".join(sorted({k[1] for k in mapping}))
    # A character class rather than an alternation of the pairs: several times faster on long texts; and it
    # opens the pattern (the "q" before is looked behind at after it), so the engine skips to the next o or u.
    regex = re.compile(f"[oOuU](?<![qQ][oOuU])[{seconds}](?![{re.escape(letters)}])")
    return regex, mapping


@cache
def vietnamese_letters() -> str:
    """Every Vietnamese letter, with and without diacritics, both cases."""
    out = set("abcdefghijklmnopqrstuvwxyzđ")
    for base in _VOWELS.lower():
        for mark in ("", "\u0306", "\u0302", "\u031b"):
            for tone in ("", *_TONES):
                out.add(unicodedata.normalize("NFC", base + mark + tone))
    out = {c for c in out if len(c) == 1}
    return "".join(sorted(out | {c.upper() for c in out}))


@cache
def _ocr_spellings() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(wrong, whole-word pattern, right) for the misspelt phrases of data/ocr_spellings.yaml."""
    out = []
    for wrong, right in load_yaml("ocr_spellings.yaml"):
        wrong, right = unicodedata.normalize("NFC", wrong), unicodedata.normalize("NFC", right)
        if len(wrong) != len(right):
            raise ValueError(f"ocr_spellings.yaml: {wrong!r} and {right!r} differ in length")
        out.append((wrong, re.compile(rf"(?<!\w){re.escape(wrong)}(?!\w)"), right))
    return tuple(out)


def analysis_text(text: str) -> str:
    """Same-length view of the read text for rules and matchers (see module docstring)."""
    for old, new in _SAME_LENGTH:
        if old in text:
            text = text.replace(old, new)
    for wrong, pattern, right in _ocr_spellings():
        if wrong in text:  # "Hội đồng nhân dân tinh": a tone mark lost
            text = pattern.sub(right, text)
    regex, mapping = _old_style_tones()
    return regex.sub(lambda m: mapping.get(m.group(), m.group()), text)


# the combining marks NFD leaves on Vietnamese letters (tones, breve, circumflex, horn)
_STRIP_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"))


def fold(text: str) -> str:
    """Lowercase without diacritics ("Bộ Tư pháp" → "bo tu phap"), for forgiving comparisons."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return text.translate(_STRIP_MARKS).casefold()


def squash(text: str) -> str:
    """Collapse runs of whitespace into one space and trim (for quotes and names)."""
    return " ".join(text.split())


# -- scanning a whole text fast -----------------------------------------------------------------
# Python's regex engine skips from one possible start to the next in C only when a pattern opens with a
# literal character or a set of them; a pattern that opens with a look-around (a word-start look-behind,
# a look-ahead on the first letter) or an optional group is tried at every position of the text, which
# costs more than the matching itself on a whole document. ``literal_finder`` builds such an opening
# from the words a pattern starts with, and ``finditer_at`` tries the pattern only where it matches.


def literal_finder(words: Iterable[str]) -> re.Pattern[str]:
    """A regex matching wherever one of ``words`` (literal text) starts, as a trie: "B(?:an|ộ)|Sở".

    Alternatives that part on their first character let the engine test one character per branch, and a
    pattern that opens with literal characters lets it skip ahead to the next possible start.
    """
    trie: dict[str, dict] = {}
    for word in words:
        if not word:
            raise ValueError("an empty word would match everywhere")
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here: the finder need not look further
    return re.compile(_trie_regex(trie))


def _trie_regex(node: dict[str, dict]) -> str:
    if "" in node:
        return ""
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def finditer_at(
    pattern: re.Pattern[str], finder: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)``, trying ``pattern`` only where ``finder`` matches.

    ``finder`` must match wherever a match of ``pattern`` can start (the words that open it, without the
    look-arounds), and ``pattern`` must never match the empty string: then the matches are the same.
    """
    search, match = finder.search, pattern.match
    end = len(text) if endpos is None else min(endpos, len(text))
    while (hit := search(text, pos, end)) is not None:
        start = hit.start()
        found = match(text, start, end)
        if found is None:
            pos = start + 1
        else:
            yield found
            pos = found.end()
