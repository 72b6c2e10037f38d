"""Plain text (.txt, .md, no extension): find the encoding Vietnamese text was saved in.

Order: a byte-order mark; UTF-16 without a mark (told by where its NUL bytes fall); UTF-8; an 8-bit
legacy font encoding (TCVN3/VNI); Windows-1258, the Vietnamese Windows code page.
"""

from __future__ import annotations

import codecs
import re

from dondoc.extract.read import failures, legacy

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters text never has (tab, newlines, vertical tab and form feed are fine), and the
# replacement character left by undecodable bytes; past this share of the text it is not text.
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_MAX_JUNK_SHARE = 0.01
_SAMPLE_CHARS = 100_000

# UTF-16 of mostly-ASCII text: every other byte is NUL. Vietnamese is about three quarters ASCII.
_UTF16_SAMPLE_BYTES = 4096
_UTF16_MIN_NUL_SHARE = 0.3
_UTF16_MIN_NULS = 4  # a stray NUL in a short UTF-8 text is not UTF-16


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:_UTF16_SAMPLE_BYTES]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    needed = max(_UTF16_MIN_NULS, _UTF16_MIN_NUL_SHARE * pairs)
    if odd_nuls >= needed and even_nuls * 10 <= odd_nuls:
        return "utf-16-le"
    if even_nuls >= needed and odd_nuls * 10 <= even_nuls:
        return "utf-16-be"
    return None


def _windows_punctuation() -> dict[int, str]:
    """Bytes 80-9F as Windows-1252 reads them (… “ ” – —): legacy-font files were typed on Windows."""
    table = {code: bytes([code]).decode("cp1252", errors="replace") for code in range(0x80, 0xA0)}
    # the five codes cp1252 leaves undefined stay as they are
    return {code: char for code, char in table.items() if char != "\ufffd"}


_WINDOWS_PUNCTUATION = _windows_punctuation()
_C1_CONTROLS = re.compile("[\x80-\x9f]")


def _decode_8bit(data: bytes) -> str:
    """Bytes that are not UTF-8: a legacy font encoding when its evidence beats Windows-1258's letters."""
    as_latin1 = data.decode("latin-1")
    as_cp1258 = data.decode("cp1258", errors="replace")
    evidence = legacy.legacy_evidence(as_latin1)
    # cp1258 Vietnamese read as Latin-1 can look VNI-like ("oă" is "oã"); real cp1258 text then has
    # far more Vietnamese letters than the legacy reading has tell-tales.
    if evidence and evidence.is_clear and evidence.hits > legacy.unicode_letter_count(as_cp1258):
        if _C1_CONTROLS.search(as_latin1):
            as_latin1 = as_latin1.translate(_WINDOWS_PUNCTUATION)
        return legacy.convert_legacy(as_latin1, evidence.encoding)
    return as_cp1258


def _is_junk(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    junk = len(_JUNK.findall(sample))
    # One stray byte in a very short text is a typo, not binary data.
    return junk > _MAX_JUNK_SHARE * len(sample) and (junk > 1 or junk * 2 > len(sample))


def decode_text(data: bytes, origin: failures.Origin) -> str:
    """Decode a text file's bytes; raise "not a text file" for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            break
    else:
        utf16 = _utf16_without_bom(data)
        if utf16:
            text = data.decode(utf16, errors="replace")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = _decode_8bit(data)
    if _is_junk(text):
        raise failures.not_text(origin)
    return text
