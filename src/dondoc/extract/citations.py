"""Citations: the other documents a văn bản refers to ("Nghị định số 73/2019/NĐ-CP ngày 5/9/2019").

A citation is found from its số, ký hiệu (Nghị định 30/2020/NĐ-CP, Phụ lục I): ``<số>/<LOẠI>-<CQ>``,
``<số>/<năm>/<LOẠI>-<CQ>``, ``<số>/<CQ>-<ĐV>`` for a công văn, ``<số>-<LOẠI>/<CQ>`` for a Party
document. The words before the number say its type ("Quyết định số"), the words after it its date
("ngày 04/9/2025"). A law cited by name ("Luật Đất đai") is a citation without a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from dondoc.extract.data_files import load_yaml
from dondoc.extract.model import Citation, Span
from dondoc.extract.normalize import finditer_at, literal_finder

_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

# The số, ký hiệu itself. Letters of any case: word-segmented titles are lowercased ("2600/ttg-ktth").
_NUMBER = re.compile(
    r"""(?<![\w/.-])
    (?:
      (?P<party>\d+[a-z]?-(?P<party_code>[^\W\d_]\w{0,5})/[^\W\d_][\w&]*(?:-[^\W\d_][\w&]*)*)
    | (?P<state>\d+(?:\.\d+)?[a-z]?(?:/(?P<year>(?:19|20)\d\d))?
        /(?P<first>[^\W\d_][\w.&]*)(?P<rest>(?:-\ ?[^\W\d_][\w.&]*)*))
    )""",
    re.VERBOSE,
)
# where a _NUMBER can start: digits, then "/" or "-" before a letter (opening with a digit, not a look-behind,
# lets the regex engine skip the rest of the text)
_NUMBER_AT = re.compile(r"\d[\d.]*[a-z]?(?:/(?:19|20)\d\d)?[/-][^\W\d_]")

_DATE = (
    r"(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/])"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})(?:\s*,?\s+(?i:năm)\s+(?P<y2>\d{4}))?)"
)
# What may follow the number: its date, possibly after the issuer ("... của Chính phủ ngày 5/9/2019").
_TAIL = re.compile(
    rf"(?:\s*\)?\s*,\s*|\s+(?:(?i:ban hành)\s+)?|\s+(?i:của)\s+[^,;.()\n]{{1,80}}?\s+)(?i:ngày)\s+{_DATE}"
)
_LAW = re.compile(rf"(?<!\w)(?:Bộ luật|Luật)\s+[{_UPPER}]\w*(?:[ \t]+[\w&-]+){{0,9}}")
_LAW_AT = literal_finder(["Bộ luật", "Luật"])
# A law's name ends at punctuation, at a word that starts the rest of the sentence, or at "và"
# followed by a lowercase word ("Luật Đất đai và các văn bản"; but "Luật Tiêu chuẩn và Quy chuẩn ...").
_LAW_STOP = re.compile(
    rf"\s*[,;.()\n:]|\s+và\s+[{_LOWER}]|\s+(?:ngày|số|năm|của|được|có|đã|trên|theo|tại|thì|để|nhằm|"
    rf"trong|đối|khi|hiện|mới|này|quy định|hướng dẫn|sau|trước)(?!\w)"
)


@dataclass(frozen=True, slots=True)
class _TypeTable:
    by_word: dict[str, str]  # casefolded spelling -> type name
    by_code: dict[str, str]  # casefolded code -> type name
    header_of: dict[str, str | None]  # type name -> header type
    prefix: re.Pattern[str]  # type word (and a few lowercase words) right before a number
    word_anywhere: re.Pattern[str]  # any type word


@cache
def type_table() -> _TypeTable:
    """The document types of ``data/document_types.yaml``, indexed by spelling and by code."""
    by_word: dict[str, str] = {}
    by_code: dict[str, str] = {}
    header_of: dict[str, str | None] = {}
    for entry in load_yaml("document_types.yaml")["types"]:
        name = entry["name"]
        header_of[name] = entry.get("header")
        for word in [name, *(entry.get("words") or [])]:
            by_word[word.casefold()] = name
        for code in entry.get("codes") or []:
            by_code[code.casefold()] = name
    alternation = _alternation(by_word)
    # Up to three lowercase words may sit between the type and the number ("báo cáo giải trình số");
    # a law's name is capitalised ("Luật Đất đai số 31/2024/QH15").
    prefix = re.compile(
        rf"(?<!\w)(?P<word>(?i:{alternation}))"
        rf"(?P<between>(?:\s+[{_LOWER}][\w]*){{0,3}}?|(?:\s+[\w&-]+){{1,8}}?)"
        rf"\s*(?:(?i:số)\s*:?\s*)?$"
    )
    word_anywhere = re.compile(rf"(?i)(?<!\w)(?:{alternation})(?!\w)")
    return _TypeTable(by_word, by_code, header_of, prefix, word_anywhere)


def _alternation(words: dict[str, str] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def type_words_alternation() -> str:
    """Regex alternation of every spelling of a type, longest first (match it case-insensitively)."""
    return _alternation(type_table().by_word)


def type_of_word(word: str) -> str | None:
    """Canonical type named by ``word`` ("nghị  quyết" → "Nghị quyết"), or None."""
    return type_table().by_word.get(" ".join(word.split()).casefold())


def type_of_number(number: str) -> str | None:
    """Type the ký hiệu of ``number`` states: "06/CT-UBND" → "Chỉ thị", "4324/VPCP-KSTT" → "Công văn".

    A Party number states it before the slash ("57-NQ/TW"); a normative number has its year
    between slashes ("42/2014/QĐ-TTg"). Without a type code the number is a công văn's, unless it
    carries a year (a law's "20/2023/QH15": type unknown).
    """
    parts = parse_number(number)
    if parts is None:
        return None
    code, _issuer, has_year = parts
    if code is not None:
        return type_table().by_code.get(code.casefold())
    return None if has_year else "Công văn"


def parse_number(number: str) -> tuple[str | None, str | None, bool] | None:
    """(type code or None, issuer code, has a year) of a số, ký hiệu; None if it is not one.

    "228/CĐ-TTg" → ("CĐ", "TTg", False); "4324/VPCP-KSTT" → (None, "VPCP", False);
    "/UBND-NC" → (None, "UBND", False); "57-NQ/TW" → ("NQ", "TW", False).
    """
    number = "".join(number.split())
    party = re.fullmatch(r"\d+[a-z]?-([^\W\d_]\w*)/([^\W\d_][\w&]*)(?:-.*)?", number)
    if party:
        return party.group(1), party.group(2), False
    match = re.fullmatch(r"[\d.]*[a-z]?(?:/((?:19|20)\d\d))?/([^/]+)", number)
    if not match:
        return None
    groups = [g for g in match.group(2).split("-") if g]
    if not groups:
        return None
    codes = type_table().by_code
    if groups[0].casefold() in codes:
        return groups[0], (groups[1] if len(groups) > 1 else None), bool(match.group(1))
    return None, groups[0], bool(match.group(1))


def _tidy_number(raw: str) -> str:
    return "".join(raw.split()).rstrip(".&-")


def _resolve_date(match: re.Match[str], number_year: int | None, doc_year: int | None) -> date | None:
    day, month, year = (match.group("d"), match.group("m"), match.group("y"))
    if day is None:
        day, month, year = (match.group("d2"), match.group("m2"), match.group("y2"))
    if day is None:
        return None
    resolved = int(year) if year else (number_year or doc_year)
    if resolved is None:
        return None
    try:
        return date(resolved, int(month), int(day))
    except ValueError:
        return None


def find_citations(text: str, *, doc_year: int | None = None) -> list[Citation]:
    """Every reference to another document in ``text``, in order of appearance.

    ``type`` is the canonical type name the text gives ("Văn bản" for "văn bản số"), else the one
    the number's code states; ``issued_date`` is the date that follows the number, a day without a
    year taking the year in the number, else ``doc_year``.
    """
    plain = text.replace("_", " ") if "_" in text else text
    found: list[Citation] = []
    for number in _numbers(plain):
        start, end = number.start, number.end
        issued = None
        if number.tail is not None:
            issued = _resolve_date(number.tail, number.year, doc_year)
            if issued is not None:
                end = number.tail.end()
        found.append(Citation(text=text[start:end], type=number.kind, number=number.number, issued_date=issued,
                              span=Span(start, end)))
    found.extend(_laws_by_name(plain, text, found))
    found.sort(key=lambda c: c.span.start)
    return found


@dataclass(frozen=True, slots=True)
class _Number:
    """A cited number as the text shows it, before the document's year dates a day that has none."""

    start: int
    end: int  # without its date
    number: str
    kind: str | None
    year: int | None  # the year inside the number
    tail: re.Match[str] | None  # the date after it


@lru_cache(maxsize=4)  # the header and the pipeline both read the whole text of one document
def _numbers(plain: str) -> tuple[_Number, ...]:
    table = type_table()
    found = []
    for match in finditer_at(_NUMBER, _NUMBER_AT, plain):
        number = _tidy_number(match.group(0))
        window_start = max(0, match.start() - 90)
        prefix = _type_prefix(table.prefix, plain, window_start, match.start())
        if prefix is None and not _plausible_bare(match):
            continue
        start = prefix.start() if prefix else match.start()
        end = match.start() + len(match.group(0).rstrip(".&-"))
        number_year = int(match.group("year")) if match.group("year") else None
        kind = table.by_word[" ".join(prefix.group("word").split()).casefold()] if prefix else None
        if kind is None:
            kind = type_of_number(number)
        found.append(_Number(start, end, number, kind, number_year, _TAIL.match(plain, end)))
    return tuple(found)


def _type_prefix(pattern: re.Pattern[str], plain: str, start: int, end: int) -> re.Match[str] | None:
    """The type word nearest before a number, with at most a few lowercase words in between.

    Capitalised words in between only belong to a law's name ("Luật Đất đai số 31/2024/QH15");
    otherwise the type word is too far ("Kế hoạch về Nghị quyết số" cites a Nghị quyết).
    """
    table = type_table()
    while (prefix := pattern.search(plain, start, end)) is not None:
        between = prefix.group("between")
        words = between.split()
        nearer_type = table.word_anywhere.search(between)
        if not words:
            return prefix
        if not nearer_type and len(words) <= 3 and all(w[0].islower() for w in words):
            return prefix
        if not nearer_type and words[0][0].isupper() and type_of_word(prefix.group("word")) == "Luật":
            return prefix
        start = prefix.start() + 1
    return None


def _plausible_bare(match: re.Match[str]) -> bool:
    """A number with no type word before it must look like one: upper-case code with a group or a year."""
    if match.group("party"):
        return match.group("party_code")[0].isupper()
    return match.group("first")[0].isupper() and bool(match.group("rest") or match.group("year"))


def _laws_by_name(plain: str, text: str, numbered: list[Citation]) -> list[Citation]:
    taken = [(c.span.start, c.span.end) for c in numbered]
    laws = []
    for match in finditer_at(_LAW, _LAW_AT, plain):
        stop = _LAW_STOP.search(plain, match.start() + 4, match.end())
        end = stop.start() if stop else match.end()
        start = match.start()
        if any(s < end and start < e for s, e in taken):
            continue
        name = plain[start:end].rstrip(" -&")
        if len(name.split()) < 2:
            continue
        end = start + len(name)
        laws.append(Citation(text=text[start:end], type=type_of_word(name.split()[0]) or "Luật", number=None,
                             issued_date=None, span=Span(start, end)))
    return laws
