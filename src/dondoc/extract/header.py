"""Header of a văn bản: số ký hiệu, loại, cơ quan ban hành, ngày ban hành, trích yếu.

Read from the layout Nghị định 30/2020/NĐ-CP prescribes (issuer top left, national motto top right,
"Số: …", "<place>, ngày … tháng … năm …", the type in capitals, the title below it or "V/v …"
under the number). When the letterhead is missing the same facts are taken from the language
around it: the opening formula ("BỘ XÂY DỰNG điện:"), a resolution's closing ("… thông qua ngày
…"), a title line that starts with the type ("Chỉ thị về …"), or, for a news report, the sentence
that presents the document ("X vừa có Văn bản số … ngày …").

Pass the read text (before markdown emphasis is blanked out): "**V****Ă****N PHÒNG" and
"tháng 1**1**" are only whole again once the asterisks are removed here. The text must be NFC
(``normalize.clean_text``): decomposed letters ("U" + hook) do not match. Spans point into the
text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from dondoc.extract.citations import (
    find_citations,
    parse_number,
    type_of_number,
    type_of_word,
    type_table,
    type_words_alternation,
)
from dondoc.extract.data_files import load_yaml

HEAD_CHARS = 3000  # the letterhead, type line and title fit well within this
FORMULA_CHARS = 20000  # how far an opening formula ("… chỉ thị:") may sit from the start
CLOSING_CHARS = 3000  # a resolution's "thông qua ngày …" sits in its last lines
CASE_SAMPLE_CHARS = 4000  # text read to learn how the title's words are capitalised

_NUMBER_LINE = re.compile(
    r"Số(?:\s*:\s*|\s+(?=\d+-))(?P<num>"
    r"\d+-[^\W\d_]\w*/[^\W\d_][\w&]*(?:-[^\W\d_][\w&]*)*"
    r"|(?:\d[\d.]*[a-z]?)?[ \t]*/[ \t]*(?:(?:19|20)\d\d/)?[^\W\d_][\w.&]*(?:-\ ?[^\W\d_][\w.&]*)*)"
)
_MOTTO = re.compile(r"(?i)CỘNG\s+H[OÒ][AÀ]\s+XÃ\s+HỘI")
# The motto in capitals, as a letterhead sets it (asterisks of emphasis may stand between its words).
_UPPER_MOTTO = re.compile(r"CỘNG[\s*]+H[OÒ][AÀ][\s*]+XÃ[\s*]+HỘI|ĐẢNG[\s*]+CỘNG[\s*]+SẢN[\s*]+VIỆT[\s*]+NAM")
LETTERHEAD_BEFORE_MOTTO = 600  # the issuer's name and the number sit this close before the motto
_BLOCK_END = re.compile(r"Số\s*:|V/[vV]\b|-{3,}|Kính gửi|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
# Digits may be split by blanked-out emphasis ("tháng 1**1**" read as "tháng 1  1").
_DATE_LINE = re.compile(
    r"[^\W\d_]\s*,\s*(?i:ngày)\s*(?P<d>\d(?:[ \t]{0,4}\d)?)?\s*(?i:tháng)\s*(?P<m>\d(?:[ \t]{0,4}\d)?)?"
    r"\s*(?i:năm)\s*(?P<y>\d{4})"
)
# The same line without the comma ("Hà Nội ngày 01 tháng 12 năm 2025"): only a place name of a few
# capitalised words opening a line, so that no "… ngày …" of a sentence is taken for it.
_DATE_LINE_NO_COMMA = re.compile(
    r"(?m)^[ \t|]*[^\W\d_a-zđ][\w.]*(?:[ \t]+[^\W\d_a-zđ][\w.]*){0,3}[ \t]+(?i:ngày)\s*"
    r"(?P<d>\d(?:[ \t]{0,4}\d)?)?\s*(?i:tháng)\s*(?P<m>\d(?:[ \t]{0,4}\d)?)?\s*(?i:năm)\s*(?P<y>\d{4})"
)
# A law library page's metadata table: "**Số hiệu:**\n|\n983/TB-CT", "**Ngày ban hành:**\n|\n21/11/2025".
_METADATA = re.compile(
    r"(?m)^[ \t|*]*(?P<label>Số hiệu|Loại văn bản|Nơi ban hành|Ngày ban hành)[ \t]*:[ \t*]*(?:\n[ \t|*]*)*"
    r"(?P<value>[^\s|*][^\n|*]*?)[ \t|*]*$"
)
_CLOSING = re.compile(
    r"(?i)Nghị quyết này[^.]{0,300}?thông\s+qua\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+"
    r"(?P<y>\d{4})"
)
_VV = re.compile(r"V/[vV]\b[ \t]*")
# The title under "V/v" ends at the next header element; a date line on a line of its own ends it at that
# line's start ("...năm 2026\nKhánh Hòa, ngày 12 ..."), not inside the place name.
_VV_END = re.compile(
    r"\||Số\s*:|V/[vV]\b|CỘNG\s+H[OÒ][AÀ]|Kính gửi|\n[ \t]*\n|\n[^\n,|]{1,40}?,\s*ngày\s|[^\W\d_]\s*,\s*ngày\s"
)
_PAGE_DATE = re.compile(
    r"(?i)(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\s*,\s*(?:ngày\s+)?(?P<d>\d{1,2})"
    r"(?:\s*/\s*|\s+tháng\s+)(?P<m>\d{1,2})(?:\s*/\s*|\s+năm\s+)(?P<y>\d{4})"
)
_CRAWL_DATE = re.compile(r"\A\s*date\s+(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?\s*")
_LEAD_DATE = re.compile(
    r"(?i)(?<!\w)ngày\s+(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s*,?\s+năm\s+(?P<y2>\d{4}))?)"
)
# "năm 2010" in a title, but not a target ("đến năm 2030") nor the start of a period ("năm 2011 - 2015").
_YEAR_WORD = re.compile(r"(?i)(?<!đến\s)(?<!\w)năm\s+((?:19|20)\d\d)(?!\d)(?!\s*-\s*\d)")
_EVENT_DATE = re.compile(
    r"(?im)^[ \t*]*(?:(?:sáng|chiều|tối|trong)\s+)?(?:các\s+)?ngày\s+\d{1,2}(?:\s*/\s*|\s+tháng\s+)\d{1,2}"
    r"(?:\s*/\s*|\s+năm\s+)(?P<y>\d{4})"
)
_TOKEN = re.compile(r"\w+(?:[/.-]\w+)*")
_ABOUT = re.compile(r"(?i)(?<!\w)về\s+việc\s[^.;\n]+")


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What the header of a văn bản says; None where the text does not say it."""

    number: str | None = None
    type: str | None = None
    issuer_text: str | None = None
    issuer_code: str | None = None
    issued_date: date | None = None
    title: str | None = None
    year: int | None = None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Cues:
    agency_head: re.Pattern[str]  # a body's name starts here (case-insensitive)
    leader_title: re.Pattern[str]  # "Bộ trưởng " before a body's name
    predicate: re.Pattern[str]  # the clause's verb: the name ended before it
    predicate_word: re.Pattern[str]  # ... a verb, not a mark or a line break
    sub_unit: re.Pattern[str]  # the issuing unit under a parent in a letterhead
    formula: re.Pattern[str]  # " chỉ thị:" closing "<issuer> chỉ thị:"
    conclusion: re.Pattern[str]  # "kết luận của (Phó) Thủ tướng"
    conclusion_issuer: str
    news_verb: re.Pattern[str]
    body_opener: re.Pattern[str]
    parent_line: re.Pattern[str]  # the top line of a two-line letterhead
    appendix_of: re.Pattern[str]  # "(Kèm theo" before the document an appendix comes with
    authority_line: re.Pattern[str]  # "CỤC TRƯỞNG CỤC …" on the line after the title
    issuer_after_of: re.Pattern[str]  # " của Bộ Văn hóa, Thể thao\nvà Du lịch)" after that document's number


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _cues() -> _Cues:
    data = load_yaml("header_cues.yaml")
    heads = _alternation(data["agency_heads"])
    titles = _alternation(data["leader_titles"])
    leaders = _alternation(data["leader_conclusions"]["leaders"])
    return _Cues(
        agency_head=re.compile(rf"(?i)(?<!\w)(?:{heads})(?!\w)"),
        leader_title=re.compile(rf"(?i)(?:(?:{titles})\s+)+(?=(?:{heads})(?!\w))"),
        predicate=re.compile(rf"\s(?:{_alternation(data['predicates'])})(?!\w)|\s*[,;:.()\"“”!?|*\n]"),
        predicate_word=re.compile(rf"\s(?:{_alternation(data['predicates'])})(?!\w)"),
        sub_unit=re.compile(rf"(?<![YỶ])\s(?:{_alternation(data['sub_unit_heads'])})(?!\w)"),
        formula=re.compile(rf"\s(?:{_alternation(data['performatives'])})[\s*]*:"),
        conclusion=re.compile(rf"(?i)kết\s+luận(?:\s+chỉ\s+đạo)?\s+của\s+(?:{leaders})(?!\w)"),
        conclusion_issuer=data["leader_conclusions"]["issuer"],
        news_verb=re.compile(rf"(?<!\w)(?:{_alternation(data['news_report_verbs'])})\s+"),
        body_opener=re.compile(rf"(?:{_alternation(data['body_openers'])})(?!\w)"),
        parent_line=re.compile(r"\A(?:UBND|[UỦ][YỶ]\s+BAN\s+NHÂN\s+DÂN|BỘ|TỔNG\s+CỤC|CỤC|BAN\s+CHẤP\s+HÀNH)\s"),
        appendix_of=re.compile(rf"(?i)(?:{_alternation(data['appendix_of'])})\s*$"),
        authority_line=re.compile(
            rf"(?:{_alternation(data['authority_lines'])})\s|(?:{_alternation(data['authority_bodies'])})\Z"
        ),
        issuer_after_of=re.compile(r"\s*của\s+([^()\n]{2,120}?(?:\n[^()\n]{1,80}?)?)\s*(?:\)|\*|$)", re.M),
    )


class _Head:
    """The opening of the text without markdown emphasis, with the way back to the text's offsets."""

    def __init__(self, text: str, limit: int, start: int = 0) -> None:
        raw = text[:start + limit]
        pieces: list[str] = []
        origin: list[int] = []
        for piece in re.finditer(r"[^*]+", raw[start:]):
            pieces.append(piece.group(0))
            origin.extend(range(start + piece.start(), start + piece.end()))
        origin.append(len(raw))
        self.text = "".join(pieces).replace("_", " ")
        self._origin = origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self._origin[start], self._origin[start]
        return self._origin[start], self._origin[end - 1] + 1

    def lines(self, start: int = 0) -> list[tuple[int, int]]:
        """(start, end) of each line from ``start``, blank lines included."""
        return [(start + m.start(), start + m.end()) for m in re.finditer(r"(?m)^[^\n]*$", self.text[start:])]


def _bare(line: str) -> str:
    return line.strip(" \t|#>")


def _is_upper(line: str) -> bool:
    lower = sum(map(str.islower, line))
    cased = lower + sum(map(str.isupper, line))
    return cased > 0 and lower <= cased // 10


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to its first and last character that is not space, pipe or dash."""
    while start < end and text[start] in " \t\n|-#":
        start += 1
    while end > start and text[end - 1] in " \t\n|-#":
        end -= 1
    return start, end


def _collapse(text: str) -> str:
    return " ".join(text.replace("|", " ").split())


def _make_date(day: str | None, month: str | None, year: int | None) -> date | None:
    if not (day and month and year):
        return None
    try:
        return date(year, int("".join(month.split())), int("".join(day.split())))
    except ValueError:
        return None


@cache
def _type_at_start() -> re.Pattern[str]:
    """A type word opening a line, followed by more words ("Chỉ thị về việc …")."""
    return re.compile(rf"\s*(?P<word>(?i:{type_words_alternation()}))\s+(?=\w)")


def _letterhead_start(text: str) -> int:
    """Where the head to read starts: the text's start, or a little before a national (or Party) motto that
    sits too far down for the letterhead to fit from there: a page may put an editorial summary and a
    metadata table ("Số hiệu: … Ngày ban hành: …") above the document's own letterhead."""
    motto = _UPPER_MOTTO.search(text, 0, FORMULA_CHARS)
    if motto is None or motto.start() < HEAD_CHARS - LETTERHEAD_BEFORE_MOTTO:
        return 0
    start = text.rfind("\n", 0, motto.start() - LETTERHEAD_BEFORE_MOTTO) + 1
    return start


def _header_type(type_name: str | None) -> str | None:
    if type_name is None:
        return None
    return type_table().header_of.get(type_name, "Other")


class _Reader:
    """One pass over one text; fills ``found`` and ``spans`` field by field."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.plain = text.replace("_", " ") if "_" in text else text
        self.head = _Head(text, HEAD_CHARS, _letterhead_start(text))
        self.cues = _cues()
        self.found: dict[str, object] = {}
        self.spans: dict[str, tuple[int, int]] = {}
        self.letterhead = False  # "Số:", the motto or a type line were found

    def put(self, name: str, value: object, span: tuple[int, int] | None) -> None:
        if value is None or name in self.found:
            return
        self.found[name] = value
        if span is not None:
            self.spans[name] = span

    # -- the letterhead -------------------------------------------------------------------------
    def read_letterhead(self) -> None:
        head = self.head.text
        number = _NUMBER_LINE.search(head)
        motto = _MOTTO.search(head)
        if number:
            self.letterhead = True
            value = "".join(number.group("num").split()).rstrip(".&-")
            self.put("number", value, self.head.span(number.start("num"), number.end("num")))
            parts = parse_number(value)
            if parts and parts[1]:
                self.put("issuer_code", parts[1], self.spans["number"])
        if motto:
            self.letterhead = True
        top = min(m.start() for m in (number, motto) if m) if (number or motto) else None
        if top is not None:
            self.read_issuer_block(head[:top] if motto is None or (number and number.start() < motto.start())
                                   else head[: motto.start()])
            date_line = _DATE_LINE.search(head, top)
            skip = 1  # the place's last letter
            if not date_line or date_line.start() - top >= 1500:
                date_line, skip = _DATE_LINE_NO_COMMA.search(head, top), 0
            if date_line and date_line.start() - top < 1500:
                year = int(date_line.group("y"))
                span = self.head.span(*_trim(head, date_line.start() + skip, date_line.end()))
                self.put("issued_date", _make_date(date_line.group("d"), date_line.group("m"), year), span)
                self.put("year", year, span)
        self.read_type_line()
        if "title" not in self.found:
            self.read_vv_title()
        number_value = self.found.get("number")
        if isinstance(number_value, str):
            # No type line: the number's code says it; a letter "V/v …" without one is a công văn.
            self.put("type", _header_type(type_of_number(number_value)), self.spans.get("number"))
        if "type" not in self.found and str(self.found.get("title", "")).startswith("V/"):
            self.put("type", "Công văn", self.spans.get("title"))

    def read_issuer_block(self, block: str) -> None:
        cut = _BLOCK_END.search(block)
        end = cut.start() if cut else len(block)
        start, end = _trim(block, 0, end)
        name = _collapse(block[start:end])
        if not name or not _is_upper(name) or not self.cues.agency_head.match(name):
            # Something stands above the letterhead (a page's metadata table, the motto of the Party set
            # before it): the issuer is the last run of capital lines, between separator lines, naming a body.
            for run in reversed(list(re.finditer(r"(?m)(?:^[^\n]*[^\W\d_][^\n]*(?:\n|\Z))+", block[:end]))):
                start, end = _trim(block, run.start(), run.end())
                name = _collapse(block[start:end])
                if name and _is_upper(name) and self.cues.agency_head.match(name) and not _MOTTO.search(name):
                    break
            else:
                return
        if self.cues.parent_line.match(name):
            lower = self.cues.sub_unit.search(block, start, end)
            if lower and len(block[start : lower.start()].split()) >= 2:
                start = lower.start() + 1
        self.put("issuer_text", _collapse(block[start:end]), self.head.span(start, end))

    def read_type_line(self) -> None:
        head = self.head.text
        for start, end in self.head.lines():
            bare = _bare(head[start:end])
            if not bare or len(bare) > 40 or not _is_upper(bare):
                continue
            type_name = type_of_word(bare)
            word_end = end
            if type_name is None:
                # "THÔNG BÁO KẾT LUẬN": the type, then the title's first words on the same line
                words = _type_at_start().match(bare)
                if words is None:
                    continue
                type_name = type_of_word(words.group("word"))
                word_end = start + head[start:end].find(bare) + words.end("word")
            if type_name is None or type_name == "Văn bản":
                continue
            self.letterhead = True
            self.put("type", _header_type(type_name), self.head.span(*_trim(head, start, word_end)))
            self.read_title_after(end, type_line=(start, end), rest=word_end if word_end < end else None)
            return

    def read_title_after(self, position: int, type_line: tuple[int, int] | None = None,
                         rest: int | None = None) -> None:
        """The title (trích yếu) on the lines under the type line, up to the end of the header block.

        A title may begin on the type line itself ("THÔNG BÁO KẾT LUẬN" / "CỦA ĐỒNG CHÍ …": from ``rest``)
        or go on from the type's name ("KẾT LUẬN" / "CỦA BỘ CHÍNH TRỊ …": a title does not open on "của",
        so it is "Kết luận của …"). A page that sets a blank line after every line sets one between the
        title's lines too: a title in capitals is then not over at a single blank line.
        """
        head = self.head.text
        taken: list[tuple[int, int]] = []
        if rest is not None and type_line is not None:
            taken.append(_trim(head, rest, type_line[1]))
        blank_run = 0
        spaced = False  # the title opened after a blank line: blank lines are the page's line spacing
        gap = 0
        upper_title: bool | None = None
        for start, end in self.head.lines(position + 1):
            bare = _bare(head[start:end])
            if not bare:
                if taken:
                    gap += 1
                    if not (spaced and upper_title and gap == 1):
                        break
                    continue
                blank_run += 1
                if blank_run > 3:
                    return
                continue
            if upper_title is None:
                if not _is_upper(bare) and (self.cues.formula.search(bare) or bare.endswith(":")
                                            or re.match(r"(?:[IVXLC]+|\d+|[a-zđ])[.)]\s", bare)):
                    return  # the body starts right under the type line: "Chính phủ quyết nghị:", "1. Bộ ..."
                upper_title = _is_upper(bare)
                spaced = blank_run > 0 and not taken
                if type_line is not None and not taken and re.match(r"(?i)của\s", bare):
                    taken.append(_trim(head, *type_line))
            if upper_title:
                if not _is_upper(bare) or (taken and self._starts_issuer_line(bare, head, taken[-1])):
                    break
                if gap and re.match(r"(?:[IVXLC]+|\d+)[.)]", bare):
                    break  # "I. MỤC ĐÍCH, YÊU CẦU" after the blank line: the body's first heading
                gap = 0
            elif taken and (
                self.cues.body_opener.match(bare) or self.cues.formula.search(bare) or len(taken) >= 4
                or _is_upper(bare) or bare.endswith(":")  # "CHÍNH PHỦ" / "QUYẾT NGHỊ:" open the body
            ):
                break
            taken.append(_trim(head, start, end))
        if taken:
            start, end = taken[0][0], taken[-1][1]
            self.put("title", _collapse(head[start:end]), self.head.span(start, end))

    def _starts_issuer_line(self, bare: str, head: str, previous: tuple[int, int]) -> bool:
        """An upper-case line naming a body after the title ("HỘI ĐỒNG NHÂN DÂN TỈNH …") is not title.

        Nghị định 30/2020 sets the authority that issues the text (the letterhead's body, or its head:
        "CHÍNH PHỦ", "CỤC TRƯỞNG CỤC HẢI QUAN") on a line of its own between the title and the preamble.
        """
        issuer = self.found.get("issuer_text")
        is_issuer = isinstance(issuer, str) and _collapse(bare) == _collapse(issuer)
        if not is_issuer and not self.cues.authority_line.match(bare):
            return False
        return not re.search(r"(?:CỦA|VÀ|,|-)\s*$", _bare(head[previous[0] : previous[1]]))

    def read_vv_title(self) -> None:
        head = self.head.text
        for vv in _VV.finditer(head):
            stop = _VV_END.search(head, vv.end())
            end = stop.start() if stop else len(head)
            start, end = _trim(head, vv.start(), end)
            if end - start > 6:
                self.put("title", _collapse(head[start:end]), self.head.span(start, end))
                return
        # A công văn may write its trích yếu under the number without "V/v": "Số: 51/SGDĐT-VP" / "Về …".
        number = _NUMBER_LINE.search(head)
        after = head.find("\n", number.end()) if number else -1
        if after < 0:
            return
        for start, end in self.head.lines(after + 1):
            bare = _bare(head[start:end])
            if not bare:
                continue
            if re.match(r"(?i)về\s", bare):
                stop = _VV_END.search(head, start)
                start, end = _trim(head, start, stop.start() if stop else len(head))
                self.put("title", _collapse(head[start:end]), self.head.span(start, end))
            return

    def spell_issuer(self) -> None:
        """A letterhead's name in capitals ("CỤC HẢI QUAN") in the spelling the text gives it elsewhere
        ("Cục Hải quan"): capitals are typography. Only a spelling that is a proper name, with a capital past
        its first letter: "các văn phòng" or "Văn phòng" at a sentence's start say nothing of the name."""
        name = self.found.get("issuer_text")
        span = self.spans.get("issuer_text")
        if not isinstance(name, str) or span is None or not name.isupper():
            return
        words = name.split()
        pattern = re.compile(r"(?i)(?<!\w)" + r"[\s*_]+".join(map(re.escape, words)) + r"(?!\w)")
        for seen in pattern.finditer(self.plain, span[1], min(len(self.plain), span[1] + FORMULA_CHARS)):
            spelling = " ".join(seen.group(0).replace("*", " ").replace("_", " ").split())
            if not spelling.isupper() and any(c.isupper() for c in spelling[1:]):
                self.found["issuer_text"] = spelling
                return

    def read_metadata(self) -> bool:
        """A law library page's metadata table above the text: its number, type, issuing body and date.

        Only what the letterhead did not give: the letterhead is the document's own word. The place a
        page gives as "Nơi ban hành" ("Thành phố Hà Nội") is no body and is not taken."""
        found = False
        for row in _METADATA.finditer(self.plain, 0, min(len(self.plain), FORMULA_CHARS)):
            label, value = row.group("label"), row.group("value").strip()
            span = (row.start("value"), row.start("value") + len(value))
            if label == "Số hiệu" and (parts := parse_number(value)):
                found = True
                self.put("number", value, span)
                if parts[1]:
                    self.put("issuer_code", parts[1], span)
            elif label == "Loại văn bản" and type_of_word(value) not in (None, "Văn bản"):
                self.put("type", _header_type(type_of_word(value)), span)
            elif label == "Nơi ban hành" and self.cues.agency_head.match(value):
                self.put("issuer_text", value, span)
            elif label == "Ngày ban hành":
                when = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
                if when:
                    self.put("issued_date", _make_date(when.group(1), when.group(2), int(when.group(3))), span)
                    self.put("year", int(when.group(3)), span)
        return found

    # -- texts without a letterhead -------------------------------------------------------------
    def first_line(self) -> tuple[int, int] | None:
        for line in re.finditer(r"(?m)^[^\n]*$", self.plain[:HEAD_CHARS]):
            bare = _bare(line.group(0).replace("*", " "))
            if bare and not bare.startswith("<") and re.search(r"\w", bare):
                return line.start(), line.end()
        return None

    def read_title_line(self) -> bool:
        """A first line "Chỉ thị về việc …" / "Thông báo kết luận …": the type, then the title."""
        line = self.first_line()
        if line is None:
            return False
        text = self.plain[line[0] : line[1]]
        match = _type_at_start().match(text)
        if not match or len(text) > 500 or text.rstrip().endswith(":"):
            return False
        type_name = type_of_word(match.group("word"))
        if type_name in (None, "Văn bản"):
            return False
        word_span = (line[0] + match.start("word"), line[0] + match.end("word"))
        self.put("type", _header_type(type_name), word_span)
        start, end = line[0] + match.end(), line[1]
        end = start + len(self.plain[start:end].rstrip(" .\t"))
        self.put("title", _despace(self.plain[start:end]), (start, end))
        return True

    def read_formula_issuer(self) -> None:
        plain = self.plain
        for formula in self.cues.formula.finditer(plain, 0, min(len(plain), FORMULA_CHARS)):
            # The subject runs back to the clause boundary: "…, Bộ trưởng Bộ Công Thương chỉ thị:".
            floor = max(0, formula.start() - 200)
            sentence = max(plain.rfind(mark, floor, formula.start()) for mark in ".;:!?") + 1
            clause_start = max(sentence, *(plain.rfind(mark, floor, formula.start()) + 1 for mark in "\n,"))
            # a line break or a comma may fall inside the name ("Bộ Văn\nhóa, Thể thao và Du lịch yêu cầu:"):
            # step back over them, within the sentence, until a body's name starts, and take the name up to
            # the verb when only breaks and commas stand in between
            for _ in range(4):
                name = self.agency_at(clause_start, formula.start() + 1)
                if name:
                    start, end = name[1]
                    if not self.cues.predicate_word.search(plain, end, formula.start()):
                        name = (" ".join(plain[start : formula.start()].split()), (start, formula.start()))
                    self.put("issuer_text", name[0], name[1])
                    return
                if clause_start <= sentence:
                    break
                clause_start = max(sentence, *(plain.rfind(mark, floor, clause_start - 1) + 1 for mark in "\n,"))

    def read_enacting_issuer(self) -> None:
        """The enacting line that closes a legal text's preamble: "<authority> ban hành Quyết định …." on a line
        of its own, before "Điều 1", naming the text's own type (Luật Ban hành văn bản QPPL; Nghị định 30/2020)."""
        type_name = self.found.get("type")
        if not isinstance(type_name, str) or type_name in ("Other", "Công văn"):
            return
        plain = self.plain
        first_article = re.search(r"(?m)^[\s*_]*Điều\s+1\b", plain[:FORMULA_CHARS])
        limit = first_article.start() if first_article else min(len(plain), HEAD_CHARS)
        enact = re.compile(rf"\s+ban\s+hành\s+{re.escape(type_name)}(?!\w)")
        for line in re.finditer(r"(?m)^[ \t*_]*(?=\S)", plain[:limit]):
            name = self.agency_at(line.end(), min(limit, line.end() + 200))
            if name and enact.match(plain, name[1][1]):
                self.put("issuer_text", name[0], name[1])
                return

    def agency_at(self, start: int, limit: int) -> tuple[str, tuple[int, int]] | None:
        """The body named at ``start`` (after blanks and a leader's title), up to the clause's verb."""
        plain = self.plain
        while start < limit and plain[start] in " \t\n*|":
            start += 1
        title = self.cues.leader_title.match(plain, start, limit)
        if title:
            start = title.end()
        if not self.cues.agency_head.match(plain, start, limit):
            return None
        head_end = self.cues.agency_head.match(plain, start, limit).end()
        stop = self.cues.predicate.search(plain, head_end, limit)
        end = stop.start() if stop else limit
        name = " ".join(plain[start:end].split())
        if not name:
            return None
        return name, (start, start + len(plain[start:end].rstrip()))

    def read_issuer_line(self) -> None:
        """An upper-case line naming a Hội đồng nhân dân in a resolution's preamble."""
        head = self.head.text
        for start, end in self.head.lines():
            bare = _bare(head[start:end])
            if re.match(r"HỘI ĐỒNG NHÂN DÂN\s", bare) and _is_upper(bare):
                start, end = _trim(head, start, end)
                self.put("issuer_text", _collapse(head[start:end]), self.head.span(start, end))
                return

    def read_title_issuer(self) -> None:
        """The body a notice's title names last after "của" ("… kết luận … của Bộ Giao thông vận tải").

        Only a Thông báo: it reports the conclusions of a body's own meeting. Other titles name the
        body whose document is being carried out ("thực hiện chỉ đạo của Thủ tướng …").
        """
        span = self.spans.get("title")
        if not span or self.found.get("type") != "Thông báo":
            return
        for of in reversed(list(re.finditer(r"(?i)(?<!\w)của\s+", self.plain[span[0] : span[1]]))):
            name = self.agency_at(span[0] + of.end(), span[1])
            if name:
                self.put("issuer_text", _restore_case(name[0], self.plain, span[1]), name[1])
                return

    def read_closing_date(self) -> None:
        tail_start = max(0, len(self.plain) - CLOSING_CHARS)
        closing = _CLOSING.search(self.plain, tail_start)
        if closing:
            year = int(closing.group("y"))
            span = (closing.start("d"), closing.end())
            self.put("issued_date", _make_date(closing.group("d"), closing.group("m"), year), span)
            self.put("year", year, span)

    # -- news reports ---------------------------------------------------------------------------
    def read_news(self) -> bool:
        """A news page: its dateline gives the year, its lead sentence the document and its date."""
        plain = self.plain
        page_year = None
        crawl = _CRAWL_DATE.match(plain)
        page = _PAGE_DATE.search(plain, 0, min(len(plain), 400))
        if crawl:
            page_year = int(crawl.group("y"))
        elif page:
            page_year = int(page.group("y"))
        lines = [m for m in re.finditer(r"(?m)^[^\n]*\S[^\n]*$", plain[:HEAD_CHARS * 2])]
        if not lines:
            return False
        headline = None
        if crawl:
            lead_start, lead_end = crawl.end(), lines[0].end()
        else:
            rest = [m for m in lines if not (page and m.start() <= page.start() < m.end())]
            if not rest:
                return False
            first = rest[0]
            first_text = first.group(0).strip()
            is_headline = (len(first_text) <= 200 and first_text[0].isupper()
                           and first_text[-1] not in ".:;," and not first_text[0].isdigit())
            if not (page or is_headline) or len(rest) < 2:
                return False
            headline = first
            lead = next((m for m in rest[1:] if len(m.group(0).strip()) >= 60
                         and not re.search(r"\.(?:jpe?g|png|gif)\s*$", m.group(0))), None)
            if lead is None:
                return False
            lead_start, lead_end = lead.start(), lead.end()
        if page_year:
            self.put("year", page_year, None)
        if self.read_reported_document(lead_start, lead_end, page_year):
            return True
        if self.cues.conclusion.search(plain):
            self.put("type", "Thông báo", None)
            self.put("issuer_text", self.cues.conclusion_issuer, None)
        self.put("type", "Other", None)
        citations = [(c.span.start, c.span.end) for c in find_citations(plain[lead_start:lead_end])]
        for when in _LEAD_DATE.finditer(plain, lead_start, lead_end):
            inside = any(s <= when.start() - lead_start < e for s, e in citations)
            if not inside:
                day, month, year = when.group("d", "m", "y")
                if day is None:
                    day, month, year = when.group("d2", "m2", "y2")
                self.put("issued_date", _make_date(day, month, int(year) if year else page_year),
                         (when.start(), when.end()))
                break
        if headline is not None:
            name = self.agency_at(headline.start(), headline.end())
            if name:
                self.put("issuer_text", name[0], name[1])
        name = self.first_agency(lead_start, lead_end)
        if name:
            self.put("issuer_text", name[0], name[1])
        return True

    def first_agency(self, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
        for head in self.cues.agency_head.finditer(self.plain, start, end):
            if self.plain[head.start()].isupper():
                name = self.agency_at(head.start(), end)
                if name:
                    return name
        return None

    def read_appendix_reference(self) -> None:
        """The document an appendix says it comes with ("(Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025
        của Bộ Văn hóa, Thể thao và Du lịch)"), when it is this one: a text that lost its letterhead still names
        its number, date and issuer there. No spans: the appendix is not the letterhead."""
        doc_type = self.found.get("type")
        for cited in find_citations(self.plain, doc_year=None):
            if not cited.number or (doc_type not in (None, "Other") and cited.type != doc_type):
                continue  # "kèm theo Quyết định số ..." in a Chỉ thị is the regulation's decision, not this text
            of = self.cues.appendix_of.search(self.plain, max(0, cited.span.start - 20), cited.span.start)
            if not of:
                continue
            if not self._opens_appendix(of.start()):
                continue
            self.put("number", cited.number, None)
            self.put("type", _header_type(cited.type), None)
            self.put("issued_date", cited.issued_date, None)
            parts = parse_number(cited.number)
            if parts and parts[1]:
                self.put("issuer_code", parts[1], None)
            of = self.cues.issuer_after_of.match(self.plain, cited.span.end)
            if of:
                self.put("issuer_text", " ".join(of.group(1).split()), None)
            return

    def _opens_appendix(self, position: int) -> bool:
        """Whether "(Kèm theo …" at ``position`` stands under an appendix's heading, on a line of its own.

        Under the heading in capitals ("PHỤ LỤC") or in bold, or after a blank line, it names the document the appendix
        comes with; after a sentence's words ("… Quy chế hoạt động báo cáo viên\n(ban hành kèm theo Quyết
        định số …)") it names another document, the one a rule came with, even where the line wraps there.
        """
        before = self.plain[max(0, position - 400) : position]
        opening = re.search(r"[\s*_]*\(?[\s*_]*\Z", before)
        gap = opening.group(0) if opening else ""
        if "\n" not in gap and len(before) - len(gap) > 0:
            return False  # the parenthesis goes on a line of text
        if "\n\n" in gap or len(gap) == len(before) or re.search(r"(?:\*\*|__)[ \t]*\n", gap):
            return True  # after a blank line, at the start, or under a heading set in bold
        last_line = before[: len(before) - len(gap)].rsplit("\n", 1)[-1]
        return _is_upper(last_line.replace("*", " "))

    def read_reported_document(self, start: int, end: int, page_year: int | None) -> bool:
        lead = self.plain[start:end]
        verb = self.cues.news_verb.search(lead)
        if not verb:
            return False
        for cited in find_citations(lead, doc_year=page_year):
            if cited.span.start < verb.end() or cited.span.start - verb.end() > 3 or not cited.number:
                continue
            number_at = start + cited.span.start + cited.text.find(cited.number)
            self.put("number", cited.number, (number_at, number_at + len(cited.number)))
            kind = cited.type if cited.type not in (None, "Văn bản") else type_of_number(cited.number)
            self.put("type", _header_type(kind), (start + cited.span.start, start + cited.span.end))
            parts = parse_number(cited.number)
            if parts and parts[1]:
                self.put("issuer_code", parts[1], self.spans["number"])
            if cited.issued_date:
                self.put("issued_date", cited.issued_date, (start + cited.span.start, start + cited.span.end))
            sentence_start = max(lead.rfind(".", 0, verb.start()), lead.rfind(",", 0, verb.start())) + 1
            name = self.agency_at(start + sentence_start, start + verb.start())
            if name:
                self.put("issuer_text", name[0], name[1])
            about = _ABOUT.search(lead, cited.span.end)
            if about:
                self.put("title", about.group(0).strip(), (start + about.start(), start + about.end()))
            return True
        return False

    # -- the year -------------------------------------------------------------------------------
    def read_year(self) -> None:
        """The year the text makes plain without a date: the number's, the title's, the event's."""
        number = self.found.get("number")
        if isinstance(number, str):
            year = re.search(r"/((?:19|20)\d\d)/", number)
            if year:
                self.put("year", int(year.group(1)), self.spans.get("number"))
        span = self.spans.get("title")
        if span and "year" not in self.found:
            cited = [(c.span.start, c.span.end) for c in find_citations(self.plain[span[0] : span[1]])]
            years = [
                int(m.group(1))
                for m in _YEAR_WORD.finditer(self.plain, span[0], span[1])
                if not any(s <= m.start() - span[0] < e for s, e in cited)
            ]
            if years:
                self.put("year", max(years), span)
        if "year" not in self.found:
            # A paragraph opening on a full date reports the event the document is about.
            event = _EVENT_DATE.search(self.plain, 0, min(len(self.plain), HEAD_CHARS))
            if event:
                self.put("year", int(event.group("y")), (event.start("y"), event.end("y")))


def read_header(text: str) -> HeaderInfo:
    """The header facts of a văn bản: number, type, issuer (as written and its code), date, title, year."""
    reader = _Reader(text)
    reader.read_letterhead()
    with_metadata = reader.read_metadata()
    without_letterhead = (not reader.letterhead and not with_metadata and not reader.read_title_line()
                          and not reader.read_news())
    if without_letterhead and re.search(r"Kính\s+gửi", reader.head.text):
        reader.put("type", "Công văn", None)  # a letter to named addressees, headed by nothing else
    if "number" not in reader.found:
        reader.read_appendix_reference()
    if reader.found.get("type") == "Nghị quyết":
        reader.read_closing_date()
    if "issuer_text" not in reader.found:
        title = reader.found.get("title")
        is_notice = reader.found.get("type") == "Thông báo"
        if is_notice and isinstance(title, str) and reader.cues.conclusion.search(title):
            reader.put("issuer_text", reader.cues.conclusion_issuer, None)
        reader.read_formula_issuer()
        reader.read_enacting_issuer()
        reader.read_issuer_line()
        reader.read_title_issuer()
    reader.read_year()
    reader.spell_issuer()
    found = reader.found
    issued = found.get("issued_date")
    if isinstance(issued, date):
        found.setdefault("year", issued.year)
    title = found.get("title")
    if isinstance(title, str):
        found["title"] = _restore_case(title, reader.plain, reader.spans.get("title", (0, 0))[1])
    return HeaderInfo(
        number=found.get("number"),  # type: ignore[arg-type]
        type=found.get("type"),  # type: ignore[arg-type]
        issuer_text=found.get("issuer_text"),  # type: ignore[arg-type]
        issuer_code=found.get("issuer_code"),  # type: ignore[arg-type]
        issued_date=issued if isinstance(issued, date) else None,
        title=found.get("title"),  # type: ignore[arg-type]
        year=found.get("year"),  # type: ignore[arg-type]
        spans=reader.spans,
    )


def _despace(text: str) -> str:
    """Word-segmented text spaces its punctuation ("quản lý , kiểm tra"): close it up."""
    return re.sub(r"\s+([,.;:)])", r"\1", " ".join(text.split())).replace("( ", "(")


def _restore_case(title: str, plain: str, body_start: int) -> str:
    """A title set in capitals or lowercased, in sentence case with the body's capitalised names.

    Each word takes the spelling it has most often in the body after the same preceding word
    ("KHU VỰC TRUNG BỘ" → "khu vực Trung Bộ"), else its most common spelling alone ("HĐND");
    numbers keep their body spelling ("1899/QĐ-TTG" → "1899/QĐ-TTg").
    """
    letters = [c for c in title if c.isalpha()]
    if not letters:
        return title
    lower_share = sum(c.islower() for c in letters) / len(letters)
    if 0.02 < lower_share < 1.0:
        return title  # already in sentence case: as written
    sample = " ".join(plain[body_start : body_start + CASE_SAMPLE_CHARS].split())
    folded = sample.lower()
    if len(folded) != len(sample):  # a letter whose lowercase is longer: offsets would drift
        folded, sample = sample, sample
    out: list[str] = []
    last = 0
    previous = ""
    tokens = list(_TOKEN.finditer(title))
    for index, token in enumerate(tokens):
        key = token.group(0).lower()
        form = _body_form(sample, folded, f"{previous} {key}" if previous else "", len(key))
        if form is None and index + 1 < len(tokens):
            following = tokens[index + 1].group(0).lower()
            form = _body_form(sample, folded, f"{key} {following}", len(key), first=True)
        if form is None:
            # Alone, only an acronym or a number says how it is spelt ("HĐND", "1899/QĐ-TTg").
            alone = _body_form(sample, folded, key, len(key))
            if alone and (any(c.isdigit() for c in alone) or any(c.isupper() for c in alone[1:])):
                form = alone
        out.append(title[last : token.start()])
        out.append(form or key)
        last = token.end()
        previous = key
    out.append(title[last:])
    result = "".join(out)
    if result.startswith("v/v"):
        return "V/v" + result[3:]
    if result.startswith("về "):
        return result
    return result[:1].upper() + result[1:]


def _body_form(sample: str, folded: str, phrase: str, word_length: int, *, first: bool = False) -> str | None:
    """Most common spelling, in ``sample``, of the last (or ``first``) word of ``phrase``.

    Occurrences inside a run of capitals (a heading) or at a sentence start say nothing about case.
    """
    if not phrase:
        return None
    forms: dict[str, int] = {}
    counted = 0
    length, size = len(phrase), len(sample)
    spaced = " " in phrase
    position = folded.find(phrase)
    while position != -1 and counted < 6:
        end = position + length
        if (position == 0 or not sample[position - 1].isalnum()) and (end == size or not sample[end].isalnum()):
            form = sample[position : position + word_length] if first else sample[end - word_length : end]
            at_sentence_start = position == 0 or sample[max(0, position - 2) : position].strip() in {".", ":", ";"}
            counts = not at_sentence_start or (spaced and not first)
            if first and counts:
                # "Xây dựng" inside "Bộ Xây dựng" is capitalised by the name it continues.
                before_word = sample[max(0, position - 20) : position].split()
                counts = not before_word or not before_word[-1][:1].isupper()
            if counts and form.lower() != form.upper():
                context = sample[max(0, position - 12) : min(size, end + 12)]
                # a word in capitals next to another ("CHÍNH PHỦ" over "Căn cứ …") is in a heading too
                at = position if first else end - word_length
                after = at + word_length
                neighbours = sample[max(0, at - 20) : at].split()[-1:] + sample[after : after + 20].split()[:1]
                in_caps = form.isupper() and len(form) > 1 and any(w.isupper() and len(w) > 1 for w in neighbours)
                if not (in_caps or (_is_upper(context) and " " in context.strip())):  # not in a run of capitals
                    forms[form] = forms.get(form, 0) + 1
                    counted += 1
        position = folded.find(phrase, end)
    return max(forms, key=forms.__getitem__) if forms else None  # the first seen of the most common
