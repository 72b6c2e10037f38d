"""Vietnamese typed in pre-Unicode font encodings (bảng mã TCVN3/ABC and VNI), converted to Unicode.

Older directives were typed with 8-bit "Vietnamese fonts": the bytes are ordinary Latin-1 characters
that only the font drew as Vietnamese letters. Once the font is gone (plain text, a converted .doc, a web
page) the text reads "Céng hoµ" (TCVN3) or "Coäng hoøa" (VNI). Both encodings leave tell-tale sequences
that real Unicode Vietnamese never has, so the text is converted only when those are frequent.

Text is handled as Unicode where each legacy byte is the Latin-1 character of the same code; raw bytes
are decoded with ``latin-1`` first. The mapping tables live in ``data/legacy_encodings/*.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

TCVN3 = "TCVN3"
VNI = "VNI"
_LATIN1_LETTERS_START = 0xC0  # below it, Latin-1 has symbols (¸ µ ©), which TCVN3 uses as letters

# Unicode Vietnamese letters that no Latin-1 (hence no legacy-encoded) text contains, plus the
# combining tone marks of decomposed text: a line that has one is already Unicode.
_NATIVE_LETTER = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")

# Only this much of a text is examined to decide; a directive states its encoding in its first pages.
_SAMPLE_CHARS = 200_000
# "Clearly legacy": enough tell-tale sequences, on a fair share of the words (Vietnamese marks about
# half its syllables), outnumbering the letters only Unicode Vietnamese has, and for VNI of more than
# one kind: Unicode "toàn" looks like VNI "oà" (= "ồ"), while a TCVN3 symbol inside a word is never Unicode.
_MIN_HITS = 2
_MIN_DISTINCT = {TCVN3: 1, VNI: 2}
_MIN_HITS_PER_WORD = 0.1


@dataclass(frozen=True, slots=True)
class _Encoding:
    name: str
    letters: dict[str, str]
    signature: re.Pattern[str]
    replace: re.Pattern[str]


def _load_letters(file_name: str) -> dict[str, str]:
    path = resources.files("dondoc.extract") / "data" / "legacy_encodings" / file_name
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {bytes.fromhex(key).decode("latin-1"): letter for key, letter in table["letters"].items()}


def _alternation(keys: list[str]) -> str:
    # Longest first, so "ôù" (ớ) wins over "ô" (ơ).
    return "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))


@cache
def _encodings() -> tuple[_Encoding, ...]:
    tcvn3 = _load_letters("tcvn3.yaml")
    # TCVN3's tell-tale: a byte from the Latin-1 symbol range (¸ µ © ...) inside a word. Letters from
    # the Latin-1 letter range (é, ó ...) are no evidence: Unicode Vietnamese has them too.
    symbols = "".join(re.escape(key) for key in tcvn3 if ord(key) < _LATIN1_LETTERS_START)
    letterish = "A-Za-z" + "".join(re.escape(key) for key in tcvn3)
    tcvn3_signature = re.compile(f"[{letterish}][{symbols}]|[{symbols}][{letterish}]")
    vni = _load_letters("vni.yaml")
    # VNI's tell-tale: a vowel followed by a mark byte ("aù", "oä").
    vni_signature = re.compile(_alternation([key for key in vni if len(key) == 2]))
    return (
        _Encoding(TCVN3, tcvn3, tcvn3_signature, re.compile(_alternation(list(tcvn3)))),
        _Encoding(VNI, vni, vni_signature, re.compile(_alternation(list(vni)))),
    )


@dataclass(frozen=True, slots=True)
class LegacyEvidence:
    """How strongly a text looks like one legacy encoding: tell-tale hits among its words."""

    encoding: str
    hits: int
    distinct: int
    words: int
    unicode_letters: int

    @property
    def is_clear(self) -> bool:
        return (
            self.hits >= _MIN_HITS
            and self.distinct >= _MIN_DISTINCT[self.encoding]
            and self.hits >= _MIN_HITS_PER_WORD * self.words
            and self.hits > self.unicode_letters
        )


def _non_unicode_lines(text: str) -> str:
    if not _NATIVE_LETTER.search(text):
        return text
    return "\n".join(line for line in text.split("\n") if not _NATIVE_LETTER.search(line))


def legacy_evidence(text: str) -> LegacyEvidence | None:
    """The legacy encoding ``text`` most looks like, or None when nothing points to one."""
    if text.isascii():
        return None
    sample = text[:_SAMPLE_CHARS]
    candidates = _non_unicode_lines(sample)
    best: LegacyEvidence | None = None
    for encoding in _encodings():
        hits = encoding.signature.findall(candidates)
        if hits and (best is None or len(hits) > best.hits):
            legacy_chars = {ch for hit in set(hits) for ch in hit if not ch.isascii()}
            words, unicode_letters = len(candidates.split()), unicode_letter_count(sample)
            best = LegacyEvidence(encoding.name, len(hits), len(legacy_chars), words, unicode_letters)
    return best


def unicode_letter_count(text: str) -> int:
    """How many letters only Unicode Vietnamese has (ă, đ, ơ, ư, toned vowels) are in ``text``'s sample."""
    return len(_NATIVE_LETTER.findall(text, 0, _SAMPLE_CHARS))


def detect_legacy_encoding(text: str) -> str | None:
    """"TCVN3" or "VNI" when ``text`` is clearly typed in that encoding, else None."""
    evidence = legacy_evidence(text)
    return evidence.encoding if evidence and evidence.is_clear else None


# A word typed in an upper-case TCVN3 font: ASCII capitals, no ASCII small letter, and not merely a
# capitalised word ("Sè" is "Số", typed in the ordinary font; "ñY" is "ỦY").
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_SMALL = re.compile("[a-z]")
# Cheap pre-check for such a word: a converted letter before an ASCII capital ("ủY", "âN"), or after
# two of them ("CHủ"); most lines have neither and skip the word-by-word test.
_CAPITAL_FONT_HINT = re.compile(r"[^\W\d_A-Za-z][A-Z]|[A-Z]{2}[^\W\d_A-Za-z]")


def _typed_in_capitals(word: str) -> bool:
    ascii_letters = [ch for ch in word if ch.isascii()]
    if not ascii_letters or not all(ch.isupper() for ch in ascii_letters):
        return False
    capitalised_only = len(ascii_letters) == 1 and word[0] == ascii_letters[0]
    return not capitalised_only and not word.isupper()


def _restore_capitals(line: str) -> str:
    """Upper-case the letters TCVN3 wrote with an upper-case font (.VnTimeH) and read back as small."""
    if line.isascii() or not _CAPITAL_FONT_HINT.search(line):
        return line
    capital_words = [m for m in _WORD.finditer(line) if _typed_in_capitals(m.group())]
    if not capital_words:
        return line
    if not _ASCII_SMALL.search(line):
        return line.upper()  # a heading line: every word is in the capital font
    parts, last = [], 0
    for match in capital_words:
        parts += [line[last : match.start()], match.group().upper()]
        last = match.end()
    parts.append(line[last:])
    return "".join(parts)


def convert_legacy(text: str, encoding: str) -> str:
    """Convert ``text`` from ``encoding`` ("TCVN3"/"VNI") to Unicode, leaving lines already in Unicode."""
    table = next(e for e in _encodings() if e.name == encoding)

    def convert_line(line: str) -> str:
        if line.isascii() or _NATIVE_LETTER.search(line):
            return line
        converted = table.replace.sub(lambda m: table.letters[m.group()], line)
        return _restore_capitals(converted) if encoding == TCVN3 else converted

    return "\n".join(convert_line(line) for line in text.split("\n"))


def fix_legacy_encoding(text: str) -> str:
    """``text`` with TCVN3/VNI-typed Vietnamese converted to Unicode; unchanged when it is not legacy."""
    encoding = detect_legacy_encoding(text)
    return convert_legacy(text, encoding) if encoding else text
