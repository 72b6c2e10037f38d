"""Cơ quan: the registry of Vietnamese state agencies and finding agency mentions in text.

The registry is data (``data/agencies/*.yaml``); this module turns it into one Aho-Corasick automaton plus a few
compiled regexes and answers:

- ``find(text)``: every agency mention in order, non-overlapping, leftmost-longest. A mention's span never
  includes a person's title ("Bộ trưởng Bộ Tư pháp" → span of "Bộ Tư pháp"); list forms ("các Bộ: Tài chính,
  Y tế") give one mention whose ``names`` expand the list.
- ``canonical_name``, ``by_symbol``, ``get``: look-ups for the header, the tracking service and tests.

Mention kinds: ``registry`` (a known body, or a unit by its short name), ``collective`` (a collective addressee),
``form`` (not in the registry, recognised by its head noun and kept as written), ``person`` (a leader with no
agency of their own: "Phó Thủ tướng Trần Hồng Hà") and ``place`` ("tỉnh Lâm Đồng" without "Ủy ban nhân dân":
names the province's committee, but may just say where; the caller decides from context).

Matching ignores case (acronyms such as "BTTTT" match only as written), old or new tone placement, and how much
whitespace or line breaking separates words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import product
from typing import Any

import ahocorasick

from .data_files import load_yaml
from .normalize import finditer_at, literal_finder

MENTION_KINDS = ("registry", "collective", "form", "person", "place")
# Registry kinds with one body in each province or ministry ("các Sở Xây dựng", "các Cục Thuế"): after "các"
# they are a kind of body; every other registry body is one of a kind ("các Tập đoàn VNPT, Viettel").
_MANY_OF_A_KIND = frozenset({"provincial_department", "unit"})
# Tie-break between candidates of the same span: lower wins.
_PRIORITY = {"person": 0, "registry": 0, "collective": 1, "place": 2, "form": 3}


# --------------------------------------------------------------------------------------------------- text keys


def _tone_table() -> dict[str, str]:
    """Old-style → new-style tone placement on open syllables: "hoà" → "hòa", "uỷ" → "ủy", "khoẻ" → "khỏe"."""
    marked = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ", "o": "òóỏõọ", "u": "ùúủũụ"}
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for k in range(5):
            old = (first, marked[second][k])
            new = (marked[first][k], second)
            for up1, up2 in product((False, True), repeat=2):
                key = (old[0].upper() if up1 else old[0]) + (old[1].upper() if up2 else old[1])
                table[key] = (new[0].upper() if up1 else new[0]) + (new[1].upper() if up2 else new[1])
    return table


_TONES = _tone_table()
_OLD_TONE = re.compile("[oOuU](?<![qQ][uU])[" + "".join(sorted({k[1] for k in _TONES})) + r"](?![^\W\d_])")


def new_style_tones(text: str) -> str:
    """Same length as ``text``, with "oà/oé/uỷ" written the new way ("òa", "óe", "ủy")."""
    return _OLD_TONE.sub(lambda m: _TONES.get(m.group(), m.group()), text)


# Replaced one for one, so offsets stay; str.replace per character is much faster than str.translate.
_SAME_LENGTH = [(c, " ") for c in "\n\t\r\f\v\u00a0\u2028\u2029\u3000"] + [(c, "-") for c in "–—‐‑−"]


# A line that opens with a list marker starts a new item, so no name runs into it ("Công nghệ\n- Cơ quan ...",
# "Các Sở Công Thương\na ) Tăng cường ..."): the line break becomes a ";" (same length), which ends a name,
# and a bullet dash is not read as a hyphen inside a name.
_LIST_LINE = re.compile(r"\n(?=[ \t]*(?:[-+•][ \t]|[a-zđ] ?\)|\d{1,2} ?[.)][ \t]|\( ?\w{1,4} ?\)))")
_BULLET = re.compile(r";([ \t]*)[-+•](?=[ \t])")  # the ";" is matched, not looked behind at: found faster


def _flatten(text: str) -> str:
    if "\n" in text:
        text = _BULLET.sub(lambda m: ";" + m.group(1) + ";", _LIST_LINE.sub(";", text))
    for old, new in _SAME_LENGTH:
        if old in text:
            text = text.replace(old, new)
    return text


# Spacing that varies between documents: around "-" and "&", before punctuation, after "(", runs of spaces.
_SQUEEZE = re.compile(
    r"(?=[ &-])(?:(?P<cut> +(?=[,;:.)])|(?<=\() +)|(?P<join> +(?P<c1>[-&]) *|(?P<c2>[-&]) +)|(?P<run>  +))"
)
# where a _SQUEEZE match can start: a space before another or before punctuation, "-" or "&"; after "("; a
# "-" or "&" before a space (most spaces stand alone between words, and need no look)
_SQUEEZE_AT = re.compile(r" [ ,;:.)&-]| (?<=\( )|- |& ")


_FIELD_PARTS = re.compile(r",|\svà\s")


class _Key:
    """The text as the matcher sees it: spacing squeezed, tone marks new-style, with a map back to the original."""

    __slots__ = ("_key_at", "_orig_at", "low", "text")

    def __init__(self, text: str) -> None:
        flat = _flatten(text)
        parts: list[str] = []
        key_at: list[int] = [0]
        orig_at: list[int] = [0]
        add_part, add_key, add_orig = parts.append, key_at.append, orig_at.append  # a hot loop: bind once
        last = key_len = 0
        for m in finditer_at(_SQUEEZE, _SQUEEZE_AT, flat):
            a, b = m.span()
            cut, _, c1, c2, _ = m.groups()
            rep = "" if cut is not None else (c1 or c2 or " ")
            add_part(flat[last:a])
            key_len += a - last
            add_key(key_len)
            add_orig(a)
            add_part(rep)
            key_len += len(rep)
            add_key(key_len)
            add_orig(b)
            last = b
        parts.append(flat[last:])
        self._key_at, self._orig_at = key_at, orig_at
        self.text = new_style_tones("".join(parts))
        low = self.text.lower()
        if len(low) != len(self.text):  # a few letters ("İ") lower to two characters
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)
        self.low = low

    def orig(self, k: int) -> int:
        i = bisect_right(self._key_at, k) - 1
        return self._orig_at[i] + (k - self._key_at[i])

    def orig_end(self, k: int) -> int:
        return self.orig(k - 1) + 1 if k > 0 else 0


def fold(name: str) -> str:
    """The look-up key of a name: NFC, new-style tones, squeezed spacing, lower case."""
    return _Key(unicodedata.normalize("NFC", name.strip())).low


# capitalised words that may begin a name written without (or with wrong) diacritics; each opens with a
# literal capital, so without the look-behind they are a fast finder of where the pattern may match
_UNACCENTED_HEADS = (
    r"(?:C(?i:[uụ]c)|V(?i:[uụ])|S(?i:[oở])|B(?i:[oộ])|B(?i:an)|T(?i:rung t[aâ]m)|V(?i:i[eệ]n)|"
    r"V(?i:[aă]n ph[oò]ng)|T(?i:[oổ]ng c[uụ]c)|H(?i:[oộ]i)|N(?i:g[aâ]n h[aà]ng)|U(?i:y ban)|Ủ(?i:y ban)|"
    r"C(?i:[oô]ng an)|T(?i:[aậ]p [dđ]o[aà]n)|T(?i:[oổ]ng c[oô]ng ty)|D(?i:[aà]i)|Đ(?i:[aà]i)|B(?i:[aả]o hi[eể]m))\s"
)
_UNACCENTED_HEAD = re.compile(r"(?<!\w)" + _UNACCENTED_HEADS)
_UNACCENTED_HEAD_AT = re.compile(_UNACCENTED_HEADS)
_LONGEST_WINDOW = 120  # longer than any registry name


@cache
def _unaccent_table() -> dict[int, int]:
    table = {}
    for base in "aăâeêioôơuưy":
        for mark in ("", "\u0306", "\u0302", "\u031b"):
            for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
                letter = unicodedata.normalize("NFC", base + mark + tone)
                if len(letter) == 1:
                    table[ord(letter)] = ord(unicodedata.normalize("NFD", letter)[0])
    table[ord("đ")] = ord("d")
    return table


def unaccented(low: str) -> str:
    """Lower-case text without its diacritics, the same length: "cục chuyển đổi" → "cuc chuyen doi"."""
    return low.translate(_unaccent_table())


def _is_acronym(alias: str) -> bool:
    return " " not in alias and not any(c.islower() for c in alias)


# ------------------------------------------------------------------------------------------------ the records


@dataclass(frozen=True, slots=True)
class Successor:
    """Where an agency's work went when it ended: ``primary`` marks the default for moving open tasks."""

    name: str
    date: date | None = None
    primary: bool = True
    scope: str | None = None


@dataclass(frozen=True, slots=True)
class Agency:
    """One body of the registry. ``valid_from``/``valid_to`` are None when before 2021 / still existing."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successors: tuple[Successor, ...] = ()
    symbols: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgencyMention:
    """An agency named in the text: span ``[start, end)`` in the text given to ``find``."""

    start: int
    end: int
    surface: str
    names: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str  # a mention kind, or "exclude"
    names: tuple[str, ...]
    exact: str | None = None  # acronyms match only as written


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: str
    names: tuple[str, ...]
    head: int = -1  # where a form's head noun starts

    def __post_init__(self) -> None:
        if self.head < 0:
            self.head = self.start


# ------------------------------------------------------------------------------------------------ data loading


def _read(name: str) -> Any:
    return load_yaml(f"agencies/{name}")


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _agency(entry: dict[str, Any], kind: str | None = None) -> Agency:
    return Agency(
        name=entry["name"],
        kind=kind or entry["kind"],
        aliases=tuple(entry.get("aliases") or ()),
        parent=entry.get("parent"),
        valid_from=_date(entry.get("valid_from")),
        valid_to=_date(entry.get("valid_to")),
        successors=tuple(
            Successor(s["name"], _date(s.get("date")), bool(s.get("primary", True)), s.get("scope"))
            for s in entry.get("successors") or ()
        ),
        symbols=tuple(entry.get("symbols") or ()),
    )


def _council_variants(name: str) -> Iterator[str]:
    """A name as documents write it: also with "UBND" and "HĐND" for the people's committees and councils."""
    yield name
    for full, short in (("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND")):
        if full in name:
            yield name.replace(full, short)


def _province_agencies(entry: dict[str, Any], levels: dict[str, str]) -> Iterator[tuple[Agency, list[str]]]:
    """The committee and council of a province, and the place forms that name it ("tỉnh Lâm Đồng")."""
    level, place = entry["level"], entry["place"]
    places = [place, *(entry.get("variants") or ())]
    in_text = [f"{level} {p}" for p in places]
    if level == "thành phố":
        in_text += [f"{short} {p}" for p in places for short in ("TP.", "TP", "Tp.")]
        in_text += [p for p in places if p.startswith("TP")]
    for council, kind in (("Ủy ban nhân dân", "provincial_committee"), ("Hội đồng nhân dân", "provincial_council")):
        successor = entry.get("successor")
        successors: tuple[Successor, ...] = ()
        if successor:
            merged_on = date.fromordinal(_date(entry["valid_to"]).toordinal() + 1)  # type: ignore[union-attr]
            successors = (Successor(f"{council} {levels[successor]} {successor}", merged_on),)
        aliases = [f"{council} {p}" for p in in_text] + [f"{council} {p}" for p in places]
        yield (
            Agency(
                name=f"{council} {level} {place}",
                kind=kind,
                aliases=tuple(dict.fromkeys(a for a in aliases if a != f"{council} {level} {place}")),
                valid_from=_date(entry.get("valid_from")),
                valid_to=_date(entry.get("valid_to")),
                successors=successors,
            ),
            in_text if council == "Ủy ban nhân dân" else [],
        )


# ------------------------------------------------------------------------------------------------ the registry


class AgencyRegistry:
    """All known agencies and the matcher that finds them in text. Build once: ``AgencyRegistry.default()``."""

    def __init__(self) -> None:
        self._records: dict[str, Agency] = {}
        self._form_cache: dict[str, str] = {}  # _canonical_form's answers: names repeat within and across texts
        self._lookup: dict[str, str] = {}  # folded name or alias → canonical name
        self._symbols: dict[str, str] = {}
        self._patterns: list[_Pattern] = []
        self._pattern_index: dict[str, int] = {}
        self._pattern_len: list[int] = []
        self._tails: dict[str, _ListTails] = {}
        self._automaton = ahocorasick.Automaton()
        # names of three words or more without their diacritics, for text typed without them or misspelt in
        # them ("Cục chuyển đối số quốc giá"); used only where nothing else was found
        self._unaccented = ahocorasick.Automaton()
        self._places: dict[str, tuple[str, str]] = {}  # folded place → (level, place)
        self._load()
        self._automaton.make_automaton()
        self._unaccented.make_automaton()

    @classmethod
    def default(cls) -> AgencyRegistry:
        """The registry of the package data, loaded once."""
        return _default_registry()

    # -- public look-ups

    def canonical_name(self, name: str) -> str | None:
        """The canonical name of a known agency or collective, written any way; None when unknown."""
        bare = self._strip_title(name).strip()
        canonical = self._lookup.get(fold(bare))
        if canonical is not None:
            return canonical
        mentions = self.find(bare)  # a list or level form: "UBND các xã, phường, đặc khu"
        if len(mentions) == 1 and mentions[0].surface == bare and len(mentions[0].names) == 1:
            return mentions[0].names[0] if mentions[0].kind != "form" else None
        return None

    def by_symbol(self, code: str) -> str | None:
        """The issuer a document-number code stands for: "VPCP" → "Văn phòng Chính phủ", "TTg" → the PM."""
        code = code.strip()
        for candidate in (code, code.rstrip("0123456789")):
            if candidate in self._symbols:
                return self._symbols[candidate]
            loose = _loose_symbol(candidate)
            if loose in self._loose_symbols:
                return self._loose_symbols[loose]
        return None

    def get(self, name: str) -> Agency | None:
        """The registry record of an agency, by any of its names."""
        canonical = self.canonical_name(name)
        return self._records.get(canonical) if canonical else None

    def agencies(self) -> Iterable[Agency]:
        return self._records.values()

    def written_forms(self, agency: Agency) -> list[str]:
        """Every way the registry recognises an agency written out: name, aliases, "UBND"/"HĐND" short forms."""
        return list(dict.fromkeys(v for surface in (agency.name, *agency.aliases) for v in _council_variants(surface)))

    # -- find

    def find(self, text: str) -> list[AgencyMention]:
        """Every agency mention in ``text``, in order, non-overlapping, longest match first."""
        key = _Key(text)
        candidates, excluded = self._registry_candidates(key)
        by_start: dict[int, _Candidate] = {}  # the longest registry or collective name at each position
        for c in candidates:
            if c.kind in ("registry", "collective") and (c.start not in by_start or c.end > by_start[c.start].end):
                by_start[c.start] = c
        lex = self._lex
        candidates += lex.leaders(key)
        candidates += lex.levels(key, self._places)
        candidates += lex.word_lists(key)
        candidates += self._lists(key, by_start)
        candidates += lex.forms(key, by_start)
        candidates += self._unaccented_candidates(key, candidates)
        candidates += [c for c in lex.lowercase_names(key)  # only where nothing else was found
                       if not any(o.start < c.end and c.start < o.end for o in candidates)]
        candidates += self._coordinated(key, candidates)
        candidates += self._qualified(key, candidates)
        return [self._mention(text, key, c) for c in _select(candidates, excluded)]

    def _qualified(self, key: _Key, found: list[_Candidate]) -> list[_Candidate]:
        """A collective kept as written, with what says which ones it means: "các doanh nghiệp hoạt động trong lĩnh
        vực xăng dầu", "các Tập đoàn, Tổng công ty thuộc phạm vi quản lý của Bộ Công Thương" (one name, kept as
        written; the agency inside it is no mention of its own)."""
        out: list[_Candidate] = []
        agency_end: dict[int, int] = {}  # filled when a first owner ("thuộc ...") is looked for
        for c in found:
            if (c.kind not in ("collective", "form") or len(c.names) != 1 or not c.names[0].startswith("các ")
                    or not key.text.startswith(" ", c.end)):
                continue
            name_key = key.low[c.start : c.end]
            if c.names[0].lower() != self._lex.written_name(key.text[c.start : c.end]).lower():
                continue  # a collective with a canonical name of its own ("các bộ, ngành" → "các bộ, cơ quan ngang bộ")
            if not agency_end:
                for o in found:
                    if o.kind != "person" and o.end > agency_end.get(o.start, -1):
                        agency_end[o.start] = o.end
            start = c.end
            if name_key in self._lex.kinds_follow:
                start = self._lex.kind_end(key, c.end)  # "các doanh nghiệp viễn thông (trên địa bàn tỉnh)"
            end = self._lex.qualifier_end(key, start, agency_end) or (start if start > c.end else None)
            if end is not None:
                name = c.names[0] + self._lex.written_name(key.text[c.end : end])
                out.append(_Candidate(c.start, end, "form", (name,), head=c.head))
        return out

    def _coordinated(self, key: _Key, found: list[_Candidate]) -> list[_Candidate]:
        """A name that goes on with a second noun of its "các" phrase, the noun repeated in lower case: "Ban
        Quản lý các Khu công nghiệp, khu kinh tế" is one body, kept as written (the registry knows it shorter)."""
        out = []
        low = key.low
        for c in found:
            if c.kind not in ("registry", "form"):
                continue
            plural = low.rfind(" các ", c.start, c.end)
            noun = _WORD.match(low, plural + 5) if plural >= 0 else None
            if noun is None or noun.end() >= c.end:
                continue
            sep = _COORDINATION.match(low, c.end)
            if sep is None or not low.startswith(noun.group() + " ", sep.end()) or self._lex.is_level(key, sep.end()):
                continue  # "khu vực" is a word of its own, not one more "khu"
            end = self._lex.name_tail(key, sep.end(), plural=True)
            if end is not None and end > sep.end() + len(noun.group()):
                out.append(_Candidate(c.start, end, "form", (self._lex.written_name(key.text[c.start : end]),),
                                      head=c.head))
        return out

    def _unaccented_candidates(self, key: _Key, found: list[_Candidate]) -> list[_Candidate]:
        """Registry names matched without diacritics, where no other candidate is.

        Only the stretches that start with a capitalised word that may head a name ("Cục", "Vu", ...) and that
        no candidate covers are looked at: unaccenting the whole text would cost more than the rest of find().
        """
        low = key.low
        n = len(low)
        taken = bytearray(n + 1)
        for c in found:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        out = []
        for head in finditer_at(_UNACCENTED_HEAD, _UNACCENTED_HEAD_AT, key.text):
            start = head.start()
            if taken[start] or (start > 0 and low[start - 1].isalnum()):
                continue
            window = unaccented(low[start : start + _LONGEST_WINDOW])
            for last, index in self._unaccented.iter(window):
                end = start + last + 1
                if end - start != self._pattern_len[index]:
                    continue  # the name must begin where the head word does
                if taken.find(1, start, end) != -1 or (end < n and low[end].isalnum()):
                    continue
                pattern = self._patterns[index]
                out.append(_Candidate(start, end, pattern.kind, pattern.names))
                taken[start:end] = b"\x01" * (end - start)
        return out

    def _mention(self, text: str, key: _Key, c: _Candidate) -> AgencyMention:
        start, end = key.orig(c.start), key.orig_end(c.end)
        names = c.names
        if c.kind == "form":  # a name put together from its parts may spell a known one: "Sở Lao động TB&XH"
            names = tuple(self._canonical_form(n) for n in names)
        return AgencyMention(start, end, text[start:end], names, c.kind)

    def _canonical_form(self, name: str) -> str:
        if (cached := self._form_cache.get(name)) is not None:
            return cached
        key = fold(name)
        known = self._lookup.get(key)
        if known is None and key.count(" ") >= 3:  # "Sở Văn hóa Thể thao Du lịch": commas and "và" left out
            known = self._without_joins.get(_without_joins(key))
        if known is None and key.count(" ") >= 2:  # "Sở Xây dụng": a tone mark misread
            known = self._by_unaccented.get(unaccented(key))
        result = known if known in self._records else name
        if len(self._form_cache) < 50_000:
            self._form_cache[name] = result
        return result

    def _registry_candidates(self, key: _Key) -> tuple[list[_Candidate], list[_Candidate]]:
        found: list[_Candidate] = []
        excluded: list[_Candidate] = []
        low, raw = key.low, key.text
        n = len(low)
        for last, index in self._automaton.iter(low):
            pattern = self._patterns[index]
            end = last + 1
            start = end - len(pattern.exact or "") if pattern.exact else end - self._pattern_len[index]
            if (start > 0 and low[start - 1].isalnum()) or (end < n and low[end].isalnum()):
                continue
            if pattern.exact is not None:
                if raw[start:end] != pattern.exact:
                    continue
                # An issuer code inside a document number ("QĐ-TTg", "708/BTTTT-CATTT") is not a mention.
                if (start > 0 and raw[start - 1] in "-/&.") or (end < n and raw[end] in "-/&"):
                    continue
            candidate = _Candidate(start, end, pattern.kind, pattern.names)
            (excluded if pattern.kind == "exclude" else found).append(candidate)
        return found, excluded

    # -- list forms: "các Bộ: Tài chính, Nội vụ", "Ủy ban nhân dân các tỉnh: Gia Lai, Đắk Lắk"

    def _lists(self, key: _Key, registry_at: dict[int, _Candidate]) -> list[_Candidate]:
        out = []
        lex = self._lex
        for m in finditer_at(lex.list_header, lex.list_header_at, key.low):
            head = m.group("head")
            council = m.group("org")
            pos, items, end = m.end(), [], -1
            explicit = m.group("sep").strip() in (":", "(")
            while True:
                item = self._list_item(key, pos, head, council, registry_at, known_only=not items and not explicit)
                if item is None:
                    break
                names, item_end = item
                items.extend(names)
                end = item_end
                sep = _LIST_SEP.match(key.low, end)
                if not sep:
                    break
                pos = sep.end()
            if items and (explicit or len(items) > 1):
                if m.group("sep").strip() == "(" and key.low.startswith(")", end):
                    end += 1
                kind = "registry" if all(n in self._records for n in items) else "form"
                out.append(_Candidate(m.start(), end, kind, tuple(dict.fromkeys(items))))
        return out

    def _list_item(
        self, key: _Key, pos: int, head: str, council: str | None, registry_at: dict[int, _Candidate], known_only: bool
    ) -> tuple[list[str], int] | None:
        province = head.startswith(("tỉnh", "thành phố"))
        known = registry_at.get(pos)
        if not province and known and known.kind == "registry":  # a full name in the list: "Ngân hàng Nhà nước"
            return list(known.names), known.end
        tails = self._list_tails(head)
        if province and (own := _OWN_LEVEL.match(key.low, pos)) and tails.regex.match(key.low, own.end()):
            pos = own.end()  # "các tỉnh, thành phố Hà Nội và Thành phố Hồ Chí Minh": the item names its own level
        m = tails.regex.match(key.low, pos)
        if m and (m.end() == len(key.low) or not key.low[m.end()].isalnum()):
            level_place = tails.names[m.group()]
            if province:
                level, place = level_place
                prefix = "Hội đồng nhân dân" if council and council.startswith(("hội", "hđnd")) else "Ủy ban nhân dân"
                return [f"{prefix} {level} {place}"], m.end()
            return [level_place], m.end()
        if known_only or known or self._lex.heads.match(key.text, pos):
            return None  # another agency ends the list: "các Sở: Xây dựng, Y tế; Ủy ban nhân dân các huyện"
        end = self._lex.name_tail(key, pos, stop_at_and=True)
        if end is None:
            return None
        written = self._lex.written_name(key.text[pos:end])
        if province:
            prefix = "Hội đồng nhân dân" if council and council.startswith(("hội", "hđnd")) else "Ủy ban nhân dân"
            level = "thành phố" if head.startswith("thành phố") else "tỉnh"
            return [f"{prefix} {level} {written}"], end
        full = f"{head.capitalize()} {written}"
        return [self._lookup.get(fold(full), full)], end

    def _list_tails(self, head: str) -> _ListTails:
        """The names an item of "các {head}: …" may be, longest first."""
        cached = self._tails.get(head)
        if cached is not None:
            return cached
        names: dict[str, Any] = {}
        if head.startswith(("tỉnh", "thành phố")):
            names = dict(self._places)
        else:
            prefix = head + " "
            for alias, canonical in self._lookup.items():
                if alias.startswith(prefix) and canonical in self._records:
                    names.setdefault(alias[len(prefix) :], canonical)
                    # lists often drop a name's inner comma: "các sở: Văn hóa Thể thao và Du lịch; Y tế"
                    names.setdefault(alias[len(prefix) :].replace(",", ""), canonical)
        tails = _ListTails(re.compile(_alternation(names) or r"(?!)"), names)
        self._tails[head] = tails
        return tails

    # -- loading

    def _strip_title(self, name: str) -> str:
        m = self._lex.title.match(name.strip())
        return name.strip()[m.end() :] if m else name

    def _add_record(self, agency: Agency) -> None:
        self._records.setdefault(agency.name, agency)
        for symbol in agency.symbols:
            self._symbols.setdefault(symbol, agency.name)

    def _add_pattern(self, surface: str, kind: str, names: tuple[str, ...]) -> None:
        surface = unicodedata.normalize("NFC", surface)
        key = fold(surface)
        if not key:
            return
        if kind != "exclude":
            self._lookup.setdefault(key, names[0]) if len(names) == 1 else None
        exact = _Key(surface).text if _is_acronym(surface) else None
        slot = key if exact is None else f"{key}\0{exact}"
        if slot in self._pattern_index:
            return
        if exact is not None and key in self._automaton:
            # Two acronyms differing only in case share an automaton key; keep the first one's meaning.
            return
        self._pattern_index[slot] = len(self._patterns)
        self._patterns.append(_Pattern(kind, names, exact))
        self._pattern_len.append(len(key))
        self._automaton.add_word(key, len(self._patterns) - 1)
        if kind == "registry" and exact is None and key.count(" ") >= 2:
            loose = unaccented(key)
            if loose not in self._unaccented:
                self._unaccented.add_word(loose, len(self._patterns) - 1)

    def _load(self) -> None:
        self._lex = _Lexicon()
        central, units = _read("central.yaml"), _read("units.yaml")
        records = [_agency(e) for e in central["agencies"]]
        records += [_agency(e, "unit") for e in units["generic"]]
        records += [_agency(e, "provincial_department") for e in units["provincial_departments"]]
        records += [_agency(e, "unit") for e in units["central_units"]]
        provinces = _read("provinces.yaml")["provinces"]
        levels = {p["place"]: p["level"] for p in provinces}
        place_forms: list[tuple[str, str]] = []
        for entry in provinces:
            for agency, in_text in _province_agencies(entry, levels):
                records.append(agency)
                place_forms += [(form, agency.name) for form in in_text]
            for place in (entry["place"], *(entry.get("variants") or ())):
                self._places.setdefault(fold(place), (entry["level"], entry["place"]))
        self._lex.one_of_a_kind = frozenset(a.name for a in records if a.kind not in _MANY_OF_A_KIND)
        for agency in records:
            self._add_record(agency)
            kind = "person" if agency.kind == "leader" else "registry"
            for surface in (agency.name, *agency.aliases):
                for variant in _council_variants(surface):
                    self._add_pattern(variant, kind, (agency.name,))
        for form, committee in place_forms:
            self._add_pattern(form, "place", (committee,))
        collectives = _read("collectives.yaml")
        for phrase in collectives["phrases"]:
            names = tuple(phrase["names"])
            for name in names:
                self._add_record(Agency(name=name, kind="collective"))
            for variant in phrase["variants"]:
                for v in _council_variants(variant):
                    self._add_pattern(v, "collective", names)
        for rule in collectives["word_lists"]["rules"]:
            for name in rule["names"]:
                if name not in self._records:
                    self._add_record(Agency(name=name, kind="collective"))
                    self._add_pattern(name, "collective", (name,))
        for group in collectives["levels"]["groups"].values():
            for name in (group["committee"], group["council"]):
                if name not in self._records:
                    self._add_record(Agency(name=name, kind="collective"))
                    self._add_pattern(name, "collective", (name,))
        for phrase in self._lex.non_agencies:
            self._add_pattern(phrase, "exclude", ())
        self._lex.load_collectives(collectives)
        self._loose_symbols = {_loose_symbol(k): v for k, v in self._symbols.items()}
        # a registry name of several parts, keyed without its commas and "và"; and without its tone marks
        self._without_joins = _unique_index(
            (_without_joins(key), name) for key, name in self._lookup.items()
            if key.count(" ") >= 3 and (key.count(",") or " và " in key) and name in self._records)
        self._by_unaccented = _unique_index(
            (unaccented(key), name) for key, name in self._lookup.items()
            if key.count(" ") >= 2 and name in self._records and self._records[name].kind != "collective")


def _unique_index(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{loose key: name} of the pairs, leaving out a key that stands for two different names."""
    index: dict[str, str | None] = {}
    for loose, name in pairs:
        index[loose] = name if index.get(loose, name) == name else None
    return {k: v for k, v in index.items() if v is not None}


def _without_joins(key: str) -> str:
    """A folded name without the commas, hyphens and "và" that join its parts."""
    return " ".join(w for w in re.sub(r"[,\-–]", " ", key).split() if w != "và")


def _loose_symbol(code: str) -> str:
    return code.replace("Đ", "D").replace("đ", "d").upper()


_WORD_AMPERSAND = re.compile(r"(?<=[^\W\d_]{2})\s*&\s*(?=[^\W\d_]{2})")  # not inside "TT&TT"-like acronyms
_COORDINATION = re.compile(r", ?và |, ?| và | ")  # between the nouns of "các khu công nghiệp, khu kinh tế"
_LIST_SEP = re.compile(r", ?và |, ?| và |; ?")
_KINDS_SEP = re.compile(r", ?và |, ?| và ")  # one list of kinds: a semicolon ends it
# a province's own level word before its name in a list of provinces (the forms _province_agencies reads)
_OWN_LEVEL = re.compile(r"(?:tỉnh|thành phố|tp\.?) ?")
_LEVEL_SEP = re.compile(r", ?và |, ?| và |-|/")  # between the level words of "UBND các tỉnh, thành phố"
_WORD_LIST_SEP = re.compile(r", ?và |, ?| và | hoặc |/")  # between the words of "các bộ, ngành"


@cache
def _default_registry() -> AgencyRegistry:
    return AgencyRegistry()


# ------------------------------------------------------------------------------------------------ selection


def _select(candidates: list[_Candidate], excluded: list[_Candidate]) -> list[_Candidate]:
    """Leftmost-longest, non-overlapping; a candidate that runs into a non-agency phrase is dropped."""
    if excluded:
        excluded.sort(key=lambda e: e.start)
        starts = [e.start for e in excluded]

        def runs_into_non_agency(c: _Candidate) -> bool:
            i = max(0, bisect_right(starts, c.start - 1) - 1)  # the phrase before may run into the name
            while i < len(excluded) and excluded[i].start < c.end:
                e = excluded[i]
                # the phrase runs on past the name, or takes in the form's head noun ("Luật Thuế Giá trị gia tăng")
                if e.end > c.end or (c.head >= 0 and e.start <= c.head < e.end):
                    return True
                i += 1
            return False

        candidates = [c for c in candidates if not runs_into_non_agency(c)]
    candidates.sort(key=lambda c: (c.start, -c.end, _PRIORITY[c.kind]))
    chosen: list[_Candidate] = []
    last_end = 0
    for c in candidates:
        if c.start >= last_end:
            chosen.append(c)
            last_end = c.end
    return chosen


# ------------------------------------------------------------------------------------------------ the lexicon


_ACRONYM_WORD = re.compile(r"\b[A-ZĐ][A-ZĐ&]+\b")
_FEW_WORDS = re.compile(r"(?:\w+ ){0,5}\w+")


_LIST_OPENS = re.compile(r" ?: ?")
_LIST_TOKEN = re.compile(r"[^\s,;:.()]+|[,;:.()]")


def _places_listed(text: str, pos: int) -> tuple[list[str], int] | None:
    """Capitalised place names after a colon ("các xã: Bình Sơn, Sơn Tịnh và Tư Nghĩa"), and where they end."""
    opens = _LIST_OPENS.match(text, pos)
    if not opens:
        return None
    places: list[list[str]] = [[]]
    end = pos
    for token in _LIST_TOKEN.finditer(text, opens.end(), min(len(text), opens.end() + 200)):
        word = token.group()
        if word in (",", "và") and places[-1]:
            places.append([])
        elif word[0].isupper() or word[0].isdigit():
            places[-1].append(word)
            end = token.end()
        else:
            break
    names = [" ".join(p) for p in places if p]
    return (names, end) if len(names) >= 2 else None


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _first_letters(*groups: Iterable[str]) -> str:
    """A look-ahead on the possible first letters: lets the regex skip most positions without trying each word."""
    letters = {w[0] for words in groups for w in words if w}
    return "(?=[" + "".join(re.escape(c) for c in sorted(letters)) + "])"


# what "các" heads in a list form ("các Bộ: Tài chính, Nội vụ", "Ủy ban nhân dân các tỉnh: Gia Lai, Đắk Lắk")
_LIST_HEADS = ("bộ", "sở", "cục", "vụ", "tổng cục", "ban", "tỉnh, thành phố trực thuộc trung ương", "tỉnh, thành phố",
               "tỉnh", "thành phố trực thuộc trung ương", "thành phố")


@dataclass(slots=True)
class _ListTails:
    regex: re.Pattern[str]
    names: dict[str, Any]


class _Lexicon:
    """The language data of forms, titles, leaders and collectives, compiled once."""

    def __init__(self) -> None:
        data = _read("forms.yaml")
        self._data = data
        self._max_words = data["max_words"]
        self._plural_kinds = re.compile(r"(?:" + _alternation(data["plural_kinds"]) + r")(?!\w)")
        self._abbrev = data["abbreviations"]
        heads = [*data["heads"], *(a for a, full in self._abbrev.items() if full in data["heads"])]
        self.heads = re.compile(
            _first_letters(heads, ["C", "c"])
            + r"(?<!\w)(?:(?P<cac>[Cc]ác) )?(?P<head>"
            + _alternation(heads)
            + r")(?![\w&])"
        )
        self._heads_at = literal_finder([*heads, *(f"{c} {h}" for c in ("Các", "các") for h in heads)])
        self._stop = re.compile(
            r"(?!(?:" + _alternation(fold(w) for w in data["nouns_not_verbs"]) + r")(?!\w))"
            r"(?:" + _alternation(fold(w) for w in data["stop_words"]) + r")(?!\w)")
        self._levels = re.compile(r"(?:" + _alternation(data["levels"]) + r")(?!\w)")
        compounds = [fold(w) for w in data["compound_nouns"]]
        self._compound = re.compile(r"(?:" + _alternation(compounds) + r")(?!\w)")
        self._compound_tails = [(c.rsplit(" ", 1)[0] + " ", c.rsplit(" ", 1)[1]) for c in compounds]
        fields = [fold(w) for w in data["hyphen_fields"]]
        self._field_after = re.compile(r"(?:" + _alternation(fields) + r")(?!\w)")
        self._field_before = re.compile(r"(?<!\w)(?:" + _alternation(" ".join(reversed(f.split())) for f in fields)
                                        + r")(?!\w)")
        self._comma = re.compile(r"(?:" + (_alternation(fold(p) for p in data["comma_phrases"]) or "(?!)") + r")(?!\w)")
        self._purpose = frozenset(data["purpose_heads"])
        self._copula = re.compile(r"(?:" + _alternation(data["not_after_purpose_head"]) + r")(?!\w)")
        self._role_after_name = re.compile(
            r"(?<= )(?:" + _alternation(data["roles_after_lowercase_name"]) + r")(?!\w)")
        self._role_after_name_at = literal_finder(data["roles_after_lowercase_name"])
        self._abbrev_re = re.compile(r"(?<!\w)(?:" + _alternation(self._abbrev) + r")(?!\w)")
        organs = _alternation(data["organs_of_bodies"])
        # a title, and the organ of a body it heads: "Chủ tịch Hội đồng thành viên"
        titles = "(?:" + _alternation(data["titles"]) + r")(?: (?:" + organs + r")(?!\w))?"
        self.title = re.compile(r"(?:" + titles + r")(?:,? (?:và )?(?:" + titles + r"))*(?:\s+|$)")
        self._title_before = re.compile(r"(?<!\w)(?:" + _alternation(data["titles"]) + r") $")
        self._organ_at = re.compile(r"(?:" + organs + r")(?!\w)")
        self._enterprise = frozenset(data["enterprise_kinds"])
        self._enterprise_kind = re.compile(r"(?:" + _alternation(data["enterprise_kinds"]) + r")(?!\w)")
        leaders = data["leaders"]
        self._leader_names = {x["title"]: x for x in leaders}
        self._leaders = re.compile(
            _first_letters([x["title"] for x in leaders])
            + r"(?<!\w)(?P<title>"
            + _alternation(x["title"] for x in leaders)
            + r")(?P<cp> Chính phủ)?(?!\w)"
        )
        self._leaders_at = literal_finder(x["title"] for x in leaders)
        self.non_agencies = list(data["non_agencies"])
        self.one_of_a_kind: frozenset[str] = frozenset()  # registry names of bodies there is only one of
        cq = data["collective_qualifiers"]
        self._cq_field = re.compile(r" (?:" + _alternation(fold(w) for w in cq["fields"]) + r") (?=\w)")
        self._cq_place = re.compile(r" (?:" + _alternation(fold(w) for w in cq["places"]) + r")(?!\w)")
        self._cq_owner = re.compile(r" (?:" + _alternation(fold(w) for w in cq["owners"]) + r") (?=\w)")
        self._cq_bare = re.compile(r"(?:" + _alternation(cq["bare_owners"]) + r")(?!\w)(?! [A-ZĐÂĂÊÔƠƯ])")
        self._cq_level = re.compile(r" (?:" + _alternation(cq["place_levels"]) + r")(?!\w)")
        self._cq_max_words = cq["max_field_words"]
        self.kinds_follow = frozenset(fold(w) for w in cq["kinds_follow"])
        self._kind_max_words = cq["max_kind_words"]
        self._kind_ender = re.compile(r"(?:" + _alternation(fold(w) for w in cq["kind_ends_before"]) + r")(?!\w)")
        self._organs = frozenset(fold(o) for o in data["organs_of_bodies"])

    def load_collectives(self, data: dict[str, Any]) -> None:
        lists = data["word_lists"]
        self._words = {fold(w): spec for w, spec in lists["words"].items()}
        self._rules = lists["rules"]
        word = _alternation(self._words)
        self._word_list = re.compile(
            _first_letters(self._words, ["c"])
            + r"(?<!\w)(?P<cac>các )?(?P<list>(?:"
            + word
            + r")(?:(?:, ?và |, ?| và | hoặc |/)(?:"
            + word
            + r"))*)(?P<rel> (?:" + _alternation(fold(r) for r in lists["related"]) + r"))?(?: (?P<q>"
            + _alternation(fold(q) for q in lists["qualifiers"])
            + r"))?(?!\w)"
        )
        self._word_list_at = literal_finder([*self._words, *(f"các {w}" for w in self._words)])
        self._collective_word = re.compile(r"(?:" + word + r")(?!\w)")
        levels = data["levels"]
        self._level_groups = levels["groups"]
        self._level_of = {fold(w): g for g, spec in levels["groups"].items() for w in spec["words"]}
        self._cap = levels["cap"]
        level = _alternation(self._level_of)
        org_words = [fold(o) for o in [*levels["committees"], *levels["councils"]]]
        orgs = _alternation(org_words)
        self._councils = tuple(fold(c) for c in levels["councils"])
        self._level_orgs = frozenset(org_words)
        self._level_re = re.compile(
            _first_letters(org_words)
            + r"(?<!\w)(?P<org>"
            + orgs
            + r") (?:(?P<how>các|cấp) )?(?P<lv>(?:"
            + level
            + r")(?:(?:, ?và |, ?| và |-|/| )(?:"
            + level
            + r"))*)(?: (?P<q>"
            + _alternation(fold(q) for q in levels["qualifiers"])
            + r"))?(?!\w)"
        )
        self._level_re_at = literal_finder(org_words)
        # level words below a province's, "thành phố" too ("thành phố thuộc tỉnh" is a district's level)
        self._below_province = {
            re.split(r" (?:trực )?thuộc ", w)[0] for w, g in self._level_of.items() if g != "province"}
        self._single_level = re.compile(r"(?:" + _alternation(w for w in self._level_of if "thuộc" not in w)
                                        + r")(?!\w)")
        self.list_header = re.compile(
            _first_letters(org_words, ["c"])
            + r"(?<!\w)(?:(?P<org>"
            + orgs
            + r") )?các (?P<head>"
            + "|".join(_LIST_HEADS)
            + r")(?:, (?:cơ quan ngang bộ|cơ quan|ngành)(?= ?:))?"  # "các Bộ, cơ quan: Tài chính, Xây dựng"
            r"(?P<sep> ?: ?| ?\(| )"
        )
        self.list_header_at = literal_finder([*(f"{o} các " for o in org_words), *(f"các {h}" for h in _LIST_HEADS)])

    # -- names by form

    def written_name(self, surface: str) -> str:
        """A name as written, abbreviations expanded: "UBND xã Tân Phú" → "Ủy ban nhân dân xã Tân Phú";
        "&" between two words is "và" ("Sở Kế hoạch&Đầu tư")."""
        return _WORD_AMPERSAND.sub(" và ", self._abbrev_re.sub(lambda m: self._abbrev[m.group()], surface))

    def name_tail(
        self, key: _Key, pos: int, *, purpose: bool = False, plural: bool = False, stop_at_and: bool = False,
        level_list: bool = False,
    ) -> int | None:
        """End of the name starting at ``pos`` (just after a head noun and its space), or None if there is none.

        The first word must be capitalised, a number or an administrative level (lower case is allowed after a
        purpose head or "các"); the name ends before a stop word, punctuation, or "và"/"-" followed by anything
        but a capitalised word that does not start another agency. With ``level_list`` (a head that is not a
        people's committee or council, whose level lists are collectives of their own) the name may be a list of
        levels of one rank: "Công an (các) phường, xã, đặc khu".
        """
        text, low = key.text, key.low
        n, words, end, i = len(text), 0, None, pos
        about = False  # after "về" in a purpose head's name, lower-case lists continue the name
        topic = listing = False  # a purpose head's name went on in lower case; it went on after a comma
        field_end = -1  # a field after a hyphen ("kinh tế - xã hội") is no level, though it starts with one
        level_at = level_end = -1  # after a level ("cấp xã", "tỉnh") only a place name goes on: "UBND cấp xã chú trọng"
        free = purpose  # the word after a purpose head may be a cue verb ("Tổ công tác triển khai …")
        while words < self._max_words and i < n:
            inner = self.heads.match(text, i) if text[i].isupper() else None
            m = inner or self._comma.match(low, i) or _WORD.match(text, i)
            if not m:
                break
            w_end = m.end()
            word, lower = text[i:w_end], low[i:w_end]
            if i == level_end and not purpose and not (word[0].isupper() or word[0].isdigit()):
                break
            if (not inner and i >= field_end and (level := self._levels.match(text, i))
                    and not self._compound.match(low, i)):  # "Chính sách xã hội": no commune
                level_at, level_end = i, level.end() + 1
            if inner:  # "Văn phòng Ban chỉ đạo …": the inner head's rules apply to the rest
                purpose = free = inner.group("head") in self._purpose
            elif words == 0:
                if purpose and self._copula.match(low, i):
                    break
                lower_allowed = purpose or (
                    plural and (not self._stop.match(low, i) or self._plural_kinds.match(low, i))
                )
                if not (word[0].isupper() or word[0].isdigit() or self._levels.match(text, i) or lower_allowed
                        or (level_list and lower == "các" and self._single_level.match(low, w_end + 1))):
                    break
                free = False
            elif lower == "và":
                if stop_at_and or not (self._starts_name_part(text, w_end + 1)
                                       or (listing and self._topic_word(text, low, w_end + 1))):
                    break
            elif free:
                free = False
            elif (self._stop.match(low, i) and not (purpose and lower in ("về", "của"))
                    and not self._ends_compound(low, i)):
                break  # ... but "Trung tâm Dịch vụ việc làm": "làm" ends a noun here
            about = about or (purpose and lower == "về")
            topic = topic or (purpose and word[0].islower() and i != level_at)
            words += 1
            end = w_end
            if w_end + 1 < n and text[w_end] == "-" and (field_end := self._joins_fields(text, low, w_end)) > 0:
                i = w_end + 1
                free = True  # a field may begin with a stop word: "Phòng Kế hoạch - tổng hợp"
            elif (w_end < n and text[w_end] == "-" and not stop_at_and and self._starts_name_part(text, w_end + 1)) or (
                w_end + 1 < n and text[w_end] == " "
            ):
                i = w_end + 1
            elif topic and low.startswith(", ", w_end) and self._topic_word(text, low, w_end + 2):
                # a purpose named by a list of fields: "Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo"
                i, listing = w_end + 2, True
            elif (
                about
                and low.startswith(", ", w_end)
                and w_end + 2 < n
                and text[w_end + 2].islower()
                and not self._stop.match(low, w_end + 2)
            ):
                i = w_end + 2
            elif level_list and w_end + 1 == level_end and self._level_of_rank(low, level_at, w_end):
                i = w_end + 2  # "Công an phường, xã, đặc khu"
            elif text.startswith(". ", w_end) and text[i : w_end + 1] in self._abbrev:
                i = w_end + 2  # "Thuế TP. Hà Nội": an abbreviation's full stop ends no name
            else:
                break
        return end

    def kind_end(self, key: _Key, end: int) -> int:
        """End of the lower-case words after a collective that say what kind it is ("các doanh nghiệp viễn
        thông"): a few words, then a stop word (its verb, or a qualifier) must follow, else none are taken."""
        text, low = key.text, key.low
        if not text.startswith(" ", end) or not text[end + 1 : end + 2].islower():
            return end
        tail = self.name_tail(key, end + 1, plural=True)
        if tail is None or text.count(" ", end + 1, tail) >= self._kind_max_words:
            return end
        if not text.startswith(" ", tail):
            return end  # "Các doanh nghiệp nâng cao năng lực cạnh tranh.": a verb the stop list does not know
        if self._kind_ender.match(low, tail + 1) or any(
                q.match(low, tail) for q in (self._cq_field, self._cq_place, self._cq_owner)):
            return tail
        return end  # "các doanh nghiệp sản xuất thiết bị ...": "bị" is no verb of theirs

    def qualifier_end(self, key: _Key, end: int, agency_end: dict[int, int]) -> int | None:
        """End of what says which ones a collective ending at ``end`` means (a field, a place, an owner; one
        may follow another), or None when nothing of the kind follows."""
        text, low = key.text, key.low
        found = None
        for _ in range(2):
            if m := self._cq_field.match(low, end):
                # a field is named like a purpose: it may open with a verb ("trong lĩnh vực xây dựng")
                tail = self.name_tail(key, m.end(), purpose=True)
                # each field of a list is short ("xây dựng, giao thông, vận tải và logistics"); a long phrase
                # after "trong lĩnh vực" is the passage's own words, not a name
                if tail is None or any(len(field.split()) >= self._cq_max_words
                                       for field in _FIELD_PARTS.split(text[m.end() : tail])):
                    break
                end = tail
            elif m := self._cq_place.match(low, end):
                end = m.end()
                if level := self._cq_level.match(low, end):
                    end = level.end()
                while end + 1 < len(text) and text[end] == " " and text[end + 1].isupper():
                    word = _WORD.match(text, end + 1)
                    if word is None or self.heads.match(text, end + 1) or self.title.match(text, end + 1):
                        break
                    end = word.end()
            elif m := self._cq_owner.match(low, end):
                if (owner := agency_end.get(m.end())) is not None:
                    end = owner
                elif bare := self._cq_bare.match(text, m.end()):
                    end = bare.end()
                else:
                    break
            else:
                break
            found = end
        return found

    def _ends_compound(self, low: str, i: int) -> bool:
        """Whether the word at ``i`` ends a compound noun with the word before it ("việc làm")."""
        return any(low.startswith(tail, i) and low.endswith(head, 0, i) for head, tail in self._compound_tails)

    def _topic_word(self, text: str, low: str, i: int) -> bool:
        """A lower-case word that may go on listing a purpose's fields: not a stop word, a level, or a word of a
        collective ("sở", "ngành", "địa phương": another addressee)."""
        if i >= len(text) or not text[i].islower() or self._stop.match(low, i) or self._levels.match(text, i):
            return False
        return not self._collective_word.match(low, i)

    def _level_of_rank(self, low: str, at: int, end: int) -> bool:
        """Whether ", " and a level of the same rank as ``low[at:end]`` (a commune's or a district's) follow."""
        nxt = self._single_level.match(low, end + 2) if low.startswith(", ", end) else None
        group = self._level_of.get(low[at:end])
        return nxt is not None and group in ("commune", "district") and self._level_of.get(nxt.group()) == group

    def _joins_fields(self, text: str, low: str, at: int) -> int:
        """Where the field after the hyphen at ``at`` ends, when the hyphen joins two fields inside a name
        ("dân sự - kinh tế", "văn hóa - xã hội"), else -1. Lower case after it; before it the field may be
        capitalised, as a name's first word is."""
        after = self._field_after.match(low, at + 1) if text[at + 1].islower() else None
        if after is None:
            return -1
        # the field before the hyphen, read backwards word by word (at most three words)
        before = " ".join(reversed(low[max(0, at - 40) : at].split(" ")[-3:]))
        return after.end() if self._field_before.match(before) else -1

    def is_level(self, key: _Key, i: int) -> bool:
        return bool(self._levels.match(key.text, i))

    def _starts_name_part(self, text: str, i: int) -> bool:
        """After "và" or "-": a capitalised word that is neither another agency's head nor a title."""
        nxt = _WORD.match(text, i)
        return (
            bool(nxt) and nxt.group()[0].isupper() and not self.heads.match(text, i) and not self.title.match(text, i)
        )

    def forms(self, key: _Key, registry_at: dict[int, _Candidate]) -> list[_Candidate]:
        out = []
        text = key.text
        for m in finditer_at(self.heads, self._heads_at, text):
            head = m.group("head")
            plural = m.group("cac") is not None
            if not plural and self._organ_after_title(text, m.start("head")):
                continue  # "Chủ tịch Hội đồng thành viên Tập đoàn …": part of the title, the body follows
            after = m.end() + 1
            end = None
            if m.end() < len(text) and text[m.end()] == " ":
                end = self.name_tail(key, after, purpose=head in self._purpose, plural=plural,
                                     level_list=fold(head) not in self._level_orgs)
            if end is None:
                if not plural:
                    continue
                end = m.end()
            start = m.start()
            known = registry_at.get(m.start("head"))
            if known is not None and end > known.end and text[known.end : known.end + 1] == "-":
                continue  # "Bộ Tài chính - Cơ quan thường trực ...": the registry name, then an apposition
            if known is not None and end > known.end and (after := registry_at.get(known.end + 1)) is not None \
                    and text.startswith(head + " ", after.start):
                continue  # "Sở Khoa học và Công nghệ Sở Công Thương": two of a kind, a comma left out
            if known is not None and end > known.end:
                rest = _WORD.match(text, known.end + 1)
                # "Sở Tài chính thẩm định": the registry name, then a verb the stop list does not know.
                if rest and not (
                    rest.group()[0].isupper() or rest.group()[0].isdigit() or self._levels.match(text, known.end + 1)
                ):
                    continue
            if not plural:
                written = self.written_name(text[m.start("head") : end])
                if (known is not None and known.kind == "registry" and known.start == m.start("head") < known.end < end
                        and _ACRONYM_WORD.search(text, known.start, known.end)):
                    written = known.names[0] + text[known.end : end]  # "Sở GDĐT tỉnh" → "Sở Giáo dục và Đào tạo tỉnh"
                names, end = _level_pair(written, text, end)
                if fold(written) in self._organs and (whose := self._organ_of(key, end)) is not None:
                    end = whose  # "Hội đồng quản trị các Tổng công ty ...": the boards of those corporations
                    names = (self.written_name(text[m.start("head") : end]),)
            elif known is not None and known.end == end and known.kind == "registry":
                if known.names[0] in self.one_of_a_kind:
                    continue  # "các Tập đoàn VNPT, Viettel": one named body each, not a kind of body
                names = ("các " + known.names[0],)  # "các Sở GTVT" → "các Sở Giao thông vận tải"
            elif end == m.end() and head in self._enterprise and (joint := self._enterprises(key, end)) > end:
                end = joint  # "các Tập đoàn, Tổng công ty nhà nước": one collective, kept as written
                names = ("các " + self.written_name(text[m.start("head") : end]),)
            elif end == m.end():
                names, end = self._plural_heads(text, head, end)  # "các Vụ, Cục" → "các Vụ", "các Cục"
            else:
                names = ("các " + self.written_name(text[m.start("head") : end]),)
            out.append(_Candidate(start, end, "form", names, head=m.start("head")))
        return out

    def _organ_after_title(self, text: str, at: int) -> bool:
        """Whether an organ of a body starts at ``at`` right after a leader's title ("Chủ tịch Hội đồng quản
        trị"): the organ is then part of the title."""
        return bool(self._organ_at.match(text, at)) and bool(self._title_before.search(text, max(0, at - 40), at))

    def _enterprises(self, key: _Key, end: int) -> int:
        """End of a list of kinds of enterprise after "các" and its first kind (ending at ``end``): "các Tập đoàn,
        Tổng công ty nhà nước, doanh nghiệp xuất khẩu"; each kind may say what kind of enterprises they are."""
        text = key.text
        while (sep := _KINDS_SEP.match(text, end)) and (kind := self._enterprise_kind.match(text, sep.end())):
            end = kind.end()
            if text.startswith(" ", end) and (tail := self.name_tail(key, end + 1, plural=True)) is not None:
                end = tail
        return end

    def _organ_of(self, key: _Key, end: int) -> int | None:
        """End of the bodies named right after an organ of theirs ("Hội đồng quản trị các Tổng công ty xây lắp"):
        "các" and a head, with what kind of body it is; None when none follow."""
        text = key.text
        head = self.heads.match(text, end + 1) if text.startswith(" ", end) else None
        if head is None or not head.group("cac"):
            return None
        tail = self.name_tail(key, head.end() + 1, plural=True) if text.startswith(" ", head.end()) else None
        return tail or head.end()

    def lowercase_names(self, key: _Key) -> list[_Candidate]:
        """Unit names written in lower case, when the role they take follows ("Vụ kế hoạch tài chính chủ
        trì"); a leader's title ("Cục trưởng chủ trì") is no such name."""
        out = []
        text = key.text
        for role in finditer_at(self._role_after_name, self._role_after_name_at, text):
            for m in self.heads.finditer(text, max(0, role.start() - 60), role.start()):
                head, end = m.start("head"), role.start() - 1
                name = text[m.end() + 1 : end]
                if (not m.group("cac") and text[head].isupper() and text[m.end() : m.end() + 1] == " "
                        and name.islower() and _FEW_WORDS.fullmatch(name) and not self.title.match(text, head)):
                    out.append(_Candidate(m.start(), end, "form", (self.written_name(text[head:end]),), head=head))
                    break
        return out

    def _plural_heads(self, text: str, head: str, end: int) -> tuple[tuple[str, ...], int]:
        names = ["các " + head]
        while sep := _LIST_SEP.match(text, end):
            nxt = self.heads.match(text, sep.end())
            if not nxt or nxt.group("cac") or (nxt.end() < len(text) and text[nxt.end()].isalnum()):
                break
            after = nxt.end() + 1
            if nxt.end() < len(text) and text[nxt.end()] == " " and after < len(text) and text[after].isupper():
                break  # "các Vụ, Cục Viễn thông": the second has a name of its own
            names.append("các " + nxt.group("head"))
            end = nxt.end()
        return tuple(names), end

    # -- leaders

    def leaders(self, key: _Key) -> list[_Candidate]:
        out = []
        text = key.text
        for m in finditer_at(self._leaders, self._leaders_at, text):
            spec = self._leader_names[m.group("title")]
            end, names, i = m.end(), [], m.end()
            while len(names) < 4 and i < len(text) and text[i] == " ":
                w = _WORD.match(text, i + 1)
                if not w or not w.group()[0].isupper() or not w.group().isalpha():
                    break
                names.append(w.group())
                i = w.end()
            if len(names) >= 2:
                end = i
                name = spec["with_name"].format(name=" ".join(names))
            else:
                name = spec["alone"]
            out.append(_Candidate(m.start(), end, "person", (name,)))
        return out

    # -- collectives

    def levels(self, key: _Key, places: dict[str, tuple[str, str]]) -> list[_Candidate]:
        out = []
        for m in finditer_at(self._level_re, self._level_re_at, key.low):
            words = [
                w for w in _LEVEL_SEP.split(m.group("lv")) for w in _split_levels(w, self._level_of)
            ]
            if m.group("how") is None and len(words) < 2:
                continue  # "UBND xã Tân Phú" is one commune's committee, a name by form
            group = self._group(m.group("how"), words, m.group("q") or "")
            if group is None:
                continue
            spec = self._level_groups[group]
            council = m.group("org").startswith(self._councils)
            org = "Hội đồng nhân dân" if council else "Ủy ban nhân dân"
            # "UBND các xã: Bình Sơn, Sơn Tịnh" names each commune's committee (provinces are in the registry)
            listed = (_places_listed(key.text, m.end())
                      if m.group("how") == "các" and len(words) == 1 and group != "province" else None)
            if listed:
                names, end = listed
                out.append(_Candidate(m.start(), end, "form", tuple(f"{org} {words[0]} {p}" for p in names)))
                continue
            named = self._named_after(key, m, words, org, places) if m.group("how") == "các" else None
            if named is not None:  # "UBND các huyện, thị xã Long Khánh": the last level names one place
                start, end, names = named
                words = words[:-1]
                group = self._group("các", words, "") if words else None
                if group is not None:
                    spec = self._level_groups[group]
                    coll_end = start
                    while key.low[coll_end - 1] in ", -/" or key.low.endswith(" và", 0, coll_end):
                        coll_end -= 3 if key.low.endswith(" và", 0, coll_end) else 1
                    out.append(_Candidate(m.start(), coll_end, "collective",
                                          (spec["council"] if council else spec["committee"],)))
                out.append(_Candidate(m.start() if group is None else start, end, "form", names))
                continue
            name = spec["council"] if council else spec["committee"]
            end = m.end()
            if m.group("how") == "các" and not m.group("q") and not spec.get("named"):
                # "UBND các xã, phường, đặc khu Cồn Cỏ": a unit named after the levels is one of the collective's
                end = self._unit_named_within(key, end) or end
            out.append(_Candidate(m.start(), end, "collective", (name,)))
        return out

    def _group(self, how: str | None, words: list[str], qualifier: str) -> str | None:
        """The level group ("commune", "district", "province") the level words of a collective name."""
        if how == "cấp":
            return self._cap.get(words[0]) if len(words) == 1 else None
        groups = {self._level_of[w] for w in words}
        if "commune" in groups:
            return "commune"
        if "district" in groups or (qualifier.endswith("tỉnh") and "trực thuộc" in qualifier):
            return "district" if groups != {"province"} or "thuộc tỉnh" in qualifier else "province"
        return "province"

    def _named_after(
        self, key: _Key, m: re.Match[str], words: list[str], org: str, places: dict[str, tuple[str, str]]
    ) -> tuple[int, int, tuple[str, ...]] | None:
        """Places named after the last level word of a collective, and those joined on to it: "UBND các huyện,
        thị xã Long Khánh và thành phố Biên Hòa" → the committees of "thị xã Long Khánh" and "thành phố Biên
        Hòa" (start, end, names); None when no place name follows. A province after a lower level says where
        ("các xã, phường tỉnh Gia Lai" has a level of its own; "các huyện Gia Lai" is no district of that name)."""
        if m.group("q") or not key.text.startswith(" ", m.end()) or not self._names_units(words[-1]):
            return None
        start = m.end("lv") - len(words[-1])
        rest = self._group("các", words[:-1], "") if len(words) > 1 else None
        names: list[str] = []
        level, pos, end = words[-1], m.end() + 1, m.end()
        while True:
            place_end = self._place_name(key, pos, level, rest, places)
            if place_end is None:
                break
            names.append(f"{org} {level} {self.written_name(key.text[pos:place_end])}")
            end = place_end
            sep = _LIST_SEP.match(key.low, end)
            nxt = self._single_level.match(key.low, sep.end()) if sep else None
            if nxt is None or not key.text.startswith(" ", nxt.end()) or not self._names_units(nxt.group()):
                break
            level, pos = nxt.group(), nxt.end() + 1
        return (start, end, tuple(names)) if names else None

    def _unit_named_within(self, key: _Key, end: int) -> int | None:
        """End of a capitalised place name right after a collective's last level word, or None."""
        pos = end + 1
        if not key.text.startswith(" ", end) or pos >= len(key.text) or not key.text[pos].isupper():
            return None
        if self._levels.match(key.text, pos) or self.heads.match(key.text, pos) or self.title.match(key.text, pos):
            return None
        end = self.name_tail(key, pos, stop_at_and=True)
        # a place name capitalises every syllable ("Cồn Cỏ"); "Căn cứ ..." opens the next sentence
        return end if end is not None and key.text[pos:end].istitle() else None

    def _names_units(self, level: str) -> bool:
        return bool(self._level_groups[self._level_of[level]].get("named"))

    def _place_name(
        self, key: _Key, pos: int, level: str, rest: str | None, places: dict[str, tuple[str, str]]
    ) -> int | None:
        """End of the capitalised place name at ``pos`` after the level word ``level``, or None. ``rest`` is the
        group of the collective's other levels: after provinces, or alone, only a known province is named
        ("UBND các tỉnh, thành phố Trung ương" names none); a city among districts need not be one."""
        if pos >= len(key.text) or not key.text[pos].isupper() or self._levels.match(key.text, pos):
            return None
        if self.heads.match(key.text, pos) or self.title.match(key.text, pos):
            return None
        end = self.name_tail(key, pos, stop_at_and=True)
        if end is None:
            return None
        known = places.get(fold(key.text[pos:end]))
        if known is not None:  # a province: named after its own level, else it only says where
            return end if known[0] == level else None
        return end if rest in ("district", "commune") and level in self._below_province else None

    def word_lists(self, key: _Key) -> list[_Candidate]:
        out = []
        low = key.low
        for m in finditer_at(self._word_list, self._word_list_at, low):
            words = [w for w in _WORD_LIST_SEP.split(m.group("list")) if w]
            end = m.end()
            if len(words) > 1 and m.group("rel") is None and self._last_word_starts_name(key.text, m, words[-1]):
                # "các Bộ, cơ quan, Bộ Tài chính ...": the last "Bộ" heads the next agency's name
                end = m.start("list") + m.group("list").rindex(words[-1])
                while key.text[end - 1] in ", " or low.endswith(" và", 0, end):
                    end -= 3 if low.endswith(" và", 0, end) else 1
                words = words[:-1]
            related = m.group("rel") is not None
            plural = m.group("cac") is not None
            specs = [self._words[w] for w in words]
            if len(words) == 1 and not related:
                spec = specs[0]
                if not spec.get("alone"):
                    if not plural:
                        continue
                    after = end
                    at_boundary = (
                        after >= len(low)
                        or low[after] in ",.;:)\n"
                        or (low[after] == " " and self._stop.match(low, after + 1))
                    )
                    if not (spec.get("plural") or at_boundary):
                        continue
            elif (
                len(words) > 1
                and not (plural or related or any(s.get("alone") for s in specs))
                and not {s["class"] for s in specs} & {"ministry", "department", "locality"}
            ):
                continue  # "bộ, ngành" without "các" is still the collective; "cơ quan, đơn vị" is too vague
            adds = tuple(name for s in specs for name in s.get("adds", ()))
            classes = {s["class"] for s in specs if not s.get("adds")}
            names = _apply_rules(self._rules, classes, related) if classes else ()
            if names is None:
                if not plural or (len(words) < 2 and not m.group("q")):
                    continue
                written = key.text[m.start() : end]
                names = (written[0].lower() + written[1:],)  # as written: "các cơ quan, đơn vị trực thuộc Bộ"
            names += adds
            out.append(_Candidate(m.start(), end, "collective", names))
        return out

    def _last_word_starts_name(self, text: str, m: re.Match[str], last: str) -> bool:
        """Whether the list's last word, capitalised, begins the next agency's name ("..., Bộ Tài chính")
        or a leader's title ("của Bộ, Bộ trưởng cho biết")."""
        at = m.start("list") + m.group("list").rindex(last)
        after = m.end()
        if not text[at].isupper():
            return False
        return bool(self.title.match(text, at)) or (
            after + 1 < len(text) and text[after] == " " and text[after + 1].isupper())


_CAP_LEVEL = re.compile(r"(?P<name>.+) cấp (?P<level>tỉnh|huyện|xã)$")
_NEXT_LEVEL = re.compile(r",\s*cấp (?P<level>tỉnh|huyện|xã)\b")


def _level_pair(name: str, text: str, end: int) -> tuple[tuple[str, ...], int]:
    """ "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã" names two bodies; a province has one body of a kind,
    so "... cấp tỉnh" is "... tỉnh", while "... cấp xã" stands for every commune's."""
    m = _CAP_LEVEL.match(name)
    if m is None:
        return (name,), end
    names = [_at_level(m["name"], m["level"])]
    nxt = _NEXT_LEVEL.match(text, end)
    if nxt:
        names.append(_at_level(m["name"], nxt["level"]))
        end = nxt.end()
    return tuple(names), end


def _at_level(name: str, level: str) -> str:
    return f"{name} tỉnh" if level == "tỉnh" else f"{name} cấp {level}"


def _split_levels(chunk: str, level_of: dict[str, str]) -> list[str]:
    """ "phường xã" → ["phường", "xã"]: level words written side by side without a comma."""
    if chunk in level_of:
        return [chunk]
    for word in sorted(level_of, key=len, reverse=True):
        if chunk.startswith(word + " "):
            return [word, *_split_levels(chunk[len(word) + 1 :], level_of)]
    return []


def _apply_rules(rules: list[dict[str, Any]], classes: set[str], related: bool) -> tuple[str, ...] | None:
    for rule in rules:
        if bool(rule.get("related")) != related:
            continue
        if not set(rule.get("requires", ())) <= classes:
            continue
        if "only" in rule and not classes <= set(rule["only"]):
            continue
        return tuple(rule["names"])
    return None


_WORD = re.compile(r"[^\W_][\w&]*")
