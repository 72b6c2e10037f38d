"""Thời hạn: deadline phrases in a directive, and the due date each one fixes.

In running text a deadline is a time expression after a cue ("trước ngày 15/12/2016", "trong tháng
9 năm 2023", "chậm nhất là ngày ...", "Thời hạn hoàn thành: Quý III/2025"), a recurrence ("định kỳ
hằng quý"), a relative term ("trong vòng 07 ngày làm việc kể từ ngày ký"), a meeting ("tại Kỳ họp
thứ Sáu") or open timing ("ngay sau khi ..."). A bare date or year counts only in a table cell
(``parse_deadline``), because in running text it is usually a citation's date or a reported fact.

``date`` is the last day the work is due: the day named, or the end of the month, quarter, half,
ISO week or year named; "trước" before a period means the end of the period before it. A day or
month without a year takes the document's year. The cue words, number words and period tables are
in ``data/deadline_cues.yaml``; every space in them also matches "_" (word-segmented text).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from dondoc.extract.data_files import load_yaml
from dondoc.extract.model import Deadline, Span
from dondoc.extract.normalize import finditer_at, literal_finder
from dondoc.extract.workdays import add_working_days, lunar_new_year

__all__ = ["DeadlineMatch", "combine_deadlines", "find_deadlines", "parse_deadline", "to_deadline"]


@dataclass(frozen=True, slots=True)
class DeadlineMatch:
    """One deadline phrase: its span in the text searched, the phrase, and what it fixes.

    ``kind`` says which form was read: day, month, before_month, quarter, before_quarter, half,
    week, before_week, year, before_year, target_year ("đến năm 2030"), relative, event (a
    meeting), open, recurring, start (first period of recurring work).
    """

    start: int
    end: int
    text: str
    date: date | None
    recurrence: str | None
    kind: str


# -- regex building blocks ------------------------------------------------------------------
_SEP = r"[\s_\u00a0*]+"  # between syllables: spaces, "_" of segmented text, markdown "**"
_OPT = r"[\s_\u00a0*]*"
_COMMA = rf"{_OPT},?{_OPT}"
_L = r"(?<![^\W_])"  # word start; "_" counts as a separator
_R = r"(?![^\W_])"  # word end
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?!\d)"
_MONTH = r"(?:0?[1-9]|1[0-2])(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_LOOSE_YEAR = r"\d{4,5}(?!\d)"  # a 5-digit year is a typo, repaired only when unambiguous
_DSEP = rf"{_OPT}[/.\-–]{_OPT}"
_NOT_MORE = r"(?![/\-–][^\W_]|\.\d)"  # "12/2025/NĐ-CP" is a document number, not a date
_LIST = rf"{_OPT}(?:,|-|–|và|đến|hoặc){_OPT}"
_CLOCK = (
    rf"\d{{1,2}}{_OPT}(?:giờ{_R}|h(?![^\W\d_])|g(?=\d))(?:{_OPT}\d{{1,2}}(?:{_OPT}(?:phút{_R}|'|’|p{_R}))?)?"
    rf"(?:{_SEP}(?:sáng|trưa|chiều|tối){_R})?"
)
# A character of the same clause; a line break counts when the sentence runs on (hard-wrapped text).
_CLAUSE = r"(?:[^.,;:\n|()]|\n(?![ \t]*[\n\-–•+*]))"
_FLAGS = 0  # patterns are lowercase and run over a lowercased copy of the text: 4x faster than IGNORECASE


def _lower(text: str) -> str:
    """Lowercased text with the same length, so offsets carry over to the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@lru_cache(maxsize=4096)  # the cue words a text writes repeat
def _norm(phrase: str) -> str:
    """Lowercased phrase with single spaces, the key of the YAML tables."""
    return re.sub(r"[\s_\u00a0*]+", " ", phrase).strip().lower()


def _first_words(phrases: Iterable[str]) -> set[str]:
    """The first word of each phrase, lowercased: a phrase matches only where its first word is written."""
    return {_norm(p).split()[0] for p in phrases}


def _alt(phrases: Iterable[str]) -> str:
    """Alternation of phrases, longest first, any separator between their words."""
    unique = sorted({_norm(p) for p in phrases}, key=len, reverse=True)
    return "(?:" + "|".join(_SEP.join(re.escape(w) for w in p.split()) for p in unique) + ")"


@dataclass(slots=True)
class _When:
    """A time expression read from the text, before it is turned into a date."""

    kind: str
    end: int
    year: int | None = None
    year_bad: bool = False
    year_to: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    week: int | None = None
    part: str | None = None
    weekday: int | None = None
    this_year: bool = False
    recurrence: str | None = None
    periodic: str | None = None  # "next_month" | "quarter_last_month"
    continuing: bool = False


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    kind: str
    date: date | None = None
    recurrence: str | None = None
    when: _When | None = None
    priority: int = 0


# -- the rule tables, compiled once ----------------------------------------------------------
class _Rules:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.cue_class: dict[str, str] = {}
        for key, cls in (
            ("label_cues", "label"),
            ("core_cues", "core"),
            ("relative_only_cues", "relative"),
            ("start_cues", "start"),
        ):
            for phrase in data[key]:
                self.cue_class[_norm(phrase)] = cls
        self.before = {_norm(p) for p in data["before_cues"]}
        self.parts = {_norm(k): v for k, v in data["period_parts"].items()}
        self.units = {_norm(k): v for k, v in data["recurrence_units"].items()}
        self.rel_units = {_norm(k): v for k, v in data["relative_units"].items()}
        self.roman = {k.lower(): v for k, v in data["roman_numerals"].items()}
        self.quarter_words = {_norm(k): v for k, v in data["quarter_words"].items()}
        self.weekdays = {_norm(str(k)): v for k, v in data["weekdays"].items()}
        self.number_units = {_norm(k): v for k, v in data["number_units"].items()}
        self.after_tens = {
            **self.number_units,
            **{_norm(k): v for k, v in data["number_units_after_tens"].items()},
        }
        self.ten, self.tens = _norm(data["number_ten"]), _norm(data["number_tens"])
        self.next_month_words = {_norm(p) for p in data["next_month_words"]}

        units_alt = _alt(self.number_units)
        after_alt = _alt(self.after_tens)
        ten, tens = re.escape(self.ten), re.escape(self.tens)
        numword = (
            rf"(?:{units_alt}{_SEP}{tens}(?:{_SEP}{after_alt})?|{ten}(?:{_SEP}{after_alt})?|{units_alt}){_R}"
        )
        num = rf"(?:\d{{1,3}}(?!\d)|{numword})"
        part = _alt(self.parts)
        day_part = rf"(?:{_alt(data['day_parts'])}{_SEP})?"  # "sáng thứ Hai"
        weekday = rf"{day_part}(?:thứ{_SEP}(?P<wd>{_alt(self.weekdays)})|(?P<sun>{_alt([data['sunday']])})){_R}"
        weekday_free = rf"{day_part}(?:thứ{_SEP}{_alt(self.weekdays)}|{_alt([data['sunday']])}){_R}"
        # the day "hằng tuần," goes on to name: ", trước 15 giờ thứ Năm"
        self.weekday_after = re.compile(
            rf"{_COMMA}(?:{_alt(data['weekday_leads'])}{_SEP})?(?:{_CLOCK}{_COMMA})?(?:ngày{_SEP})?{weekday}", _FLAGS)
        quarter_num = rf"(?:iv|iii|ii|i|[1-4]|{_alt(self.quarter_words)}){_R}"
        every = _alt(data["every_words"])
        units = _alt(self.units)
        year_after_month = (
            rf"(?:{_COMMA}năm{_SEP}(?P<y>{_LOOSE_YEAR})|{_DSEP}(?P<y2>{_LOOSE_YEAR})"
            rf"|{_SEP}năm{_SEP}(?P<nay>nay){_R})"
        )

        c = re.compile
        self.expressions: list[tuple[str, re.Pattern[str]]] = [
            (
                "weekly",
                c(
                    rf"(?:{_CLOCK}{_COMMA})?(?:(?:vào{_SEP})?ngày{_SEP})?{weekday}{_COMMA}{every}{_SEP}tuần{_R}",
                    _FLAGS,
                ),
            ),
            (
                "date",
                c(
                    rf"(?:(?P<clock>{_CLOCK}){_COMMA})?(?:{weekday_free}{_COMMA})?"
                    rf"(?:(?P<ngay>ngày){_SEP}(?:{weekday_free}{_COMMA})?)?(?P<d>{_DAY})"
                    rf"(?:{_DSEP}(?P<m>{_MONTH})(?:{_DSEP}(?P<y>{_LOOSE_YEAR})|{_COMMA}năm{_SEP}(?P<y2>{_LOOSE_YEAR}))?"
                    rf"|{_SEP}tháng{_SEP}(?P<m2>{_MONTH})"
                    rf"(?:{_COMMA}năm{_SEP}(?P<y3>{_LOOSE_YEAR})|{_DSEP}(?P<y4>{_LOOSE_YEAR}))?)?{_NOT_MORE}",
                    _FLAGS,
                ),
            ),
            (
                "week",
                c(
                    rf"tuần{_SEP}(?:thứ{_SEP})?(?P<n>\d{{1,2}})(?!\d)"
                    rf"(?:{_COMMA}năm{_SEP}(?P<y>{_LOOSE_YEAR})|{_DSEP}(?P<y2>{_LOOSE_YEAR}))?",
                    _FLAGS,
                ),
            ),
            (
                "quarter",
                c(
                    rf"(?:(?P<part>{part}){_SEP})?(?:quý|qúy){_SEP}(?P<q>{quarter_num}(?:{_LIST}(?:(?:quý|qúy){_SEP})?"
                    rf"{quarter_num})*)(?:{_COMMA}năm{_SEP}(?P<y>{_LOOSE_YEAR})|{_DSEP}(?P<y2>{_LOOSE_YEAR})"
                    rf"|{_SEP}(?P<y3>{_YEAR})|{_SEP}năm{_SEP}(?P<nay>nay){_R})?{_NOT_MORE}",
                    _FLAGS,
                ),
            ),
            (
                "half",
                c(
                    rf"(?:(?P<n>\d{{1,2}}|{numword}){_SEP}tháng{_SEP}(?P<pos>đầu|cuối)|nửa{_SEP}(?P<pos2>đầu|cuối))"
                    rf"{_SEP}năm{_R}(?:{_SEP}(?P<y>{_LOOSE_YEAR})|{_SEP}(?P<nay>nay){_R})?",
                    _FLAGS,
                ),
            ),
            (
                "month",
                c(
                    rf"(?:(?P<part>{part}){_SEP})?tháng{_SEP}(?P<m>{_MONTH}(?:{_LIST}(?:tháng{_SEP})?{_MONTH})*)"
                    rf"{year_after_month}?{_NOT_MORE}",
                    _FLAGS,
                ),
            ),
            (
                "year",
                c(
                    rf"(?:(?P<part>{part}){_SEP})?năm{_SEP}(?:(?P<y>{_LOOSE_YEAR})(?:{_OPT}(?:-|–|đến){_OPT}"
                    rf"(?P<y2>{_YEAR}))?{_NOT_MORE}|(?P<nay>nay){_R})"
                    rf"|(?P<part2>{part}){_SEP}năm{_R}(?!{_SEP}\d)",
                    _FLAGS,
                ),
            ),
            ("month_year", c(rf"(?P<m>{_MONTH}){_DSEP}(?P<y>{_YEAR}){_NOT_MORE}", _FLAGS)),
        ]
        self.bare_year = c(rf"(?P<y>{_YEAR})(?:{_OPT}(?:-|–|đến){_OPT}(?P<y2>{_YEAR}))?{_NOT_MORE}", _FLAGS)

        self.recurrence_suffix = c(rf"{_COMMA}{every}{_SEP}(?P<u>{units}){_R}", _FLAGS)
        self.of_month_suffix = c(
            rf"{_SEP}(?:của{_SEP})?tháng{_SEP}(?:(?P<next>{_alt(self.next_month_words)})|(?P<qlast>"
            rf"{_alt(data['quarter_last_month_words'])})){_R}",
            _FLAGS,
        )
        self.continuing = c(rf"{_COMMA}{_alt(data['continuing_years'])}{_R}", _FLAGS)

        all_cues = _alt(self.cue_class)
        self.cue_word = c(rf"{_L}{all_cues}{_R}", _FLAGS)
        self.chain = c(rf"{_L}(?:{all_cues}{_R}[\s_\u00a0*:]+)+", _FLAGS)
        self.chain_at = literal_finder(_first_words(self.cue_class))  # where a chain may start
        self.relative = c(
            rf"(?P<n>{num}){_SEP}(?P<u>{_alt(self.rel_units)}){_R}"
            rf"(?:{_COMMA}{_alt(data['anchor_cues'])}{_SEP}(?P<what>{_CLAUSE}{{1,90}}))?",
            _FLAGS,
        )
        doc_nouns = _alt(data["document_nouns"])
        events = _alt(data["anchor_doc_events"])
        self.doc_anchor = c(
            rf"(?:ngày{_SEP})?(?:{events}(?:{_SEP}{doc_nouns})?|{doc_nouns}{_SEP}này{_SEP}(?:được{_SEP})?{events}"
            rf"|{_alt(data['anchor_receipt'])}{_SEP}{doc_nouns})(?:{_SEP}này)?{_R}"
            rf"(?:{_OPT}$|{_SEP}{_alt(data['anchor_tail_words'])}{_R})",
            _FLAGS,
        )
        self.clause_stop = c(rf"{_SEP}{_alt(data['meeting_stop_words'])}{_R}", _FLAGS)

        # A literal start without a look-behind lets the regex engine skip ahead; _at_word checks the start.
        self.recurrence = c(
            rf"(?:(?P<per>{_alt(data['periodic_words'])})(?:{_SEP}{every}{_SEP}(?P<u1>{units})"
            rf"|{_SEP}(?P<n1>\d{{1,2}}|{numword}){_SEP}(?P<u1b>{units}))?"
            rf"|(?P<ev>hằng|hàng){_SEP}(?P<u2>{units})"
            rf"|mỗi{_SEP}(?P<u3>{units}){_SEP}một{_SEP}lần){_R}",
            _FLAGS,
        )
        self.recurrence_at = literal_finder([*_first_words(data["periodic_words"]), "hằng", "hàng", "mỗi"])
        self.recurrence_count = c(
            rf"{_L}(?:(?P<n4>\d{{1,2}}|{numword}){_SEP}(?P<u4>{units}){_SEP}(?:một{_SEP}lần|/{_OPT}lần)"
            rf"|(?:0?1|một){_SEP}lần{_OPT}/{_OPT}(?P<u5>{units})){_R}",
            _FLAGS,
        )
        self.clause_start = c(rf"(?:^|[.,;:!?\n|(•+>\-–]|{_L}{_alt(data['clause_openers'])}){_OPT}$", _FLAGS)
        self.recurrence_follower = c(rf"{_SEP}{_alt(data['recurrence_followers'])}{_R}", _FLAGS)
        self.recurrence_verb = c(rf"{_L}{_alt(data['recurrence_verbs'])}{_R}[^.;:\n]{{0,50}}$", _FLAGS)
        self.recurrence_close = c(rf"{_OPT}(?:$|[.,;:\n()]|{_alt(data['recurrence_closers'])}{_R})", _FLAGS)

        # a word each match of these patterns holds: a passage without any is not scanned for them
        self.open_words = _first_words([*data["open_phrases"], *data["open_leads"]])
        self.meeting_words = _first_words(data["meeting_nouns"])
        self.tet_words = _first_words(data["tet"]["names"])
        self.open_phrase = c(rf"{_alt(data['open_phrases'])}{_R}", _FLAGS)
        self.open_lead = c(rf"{_alt(data['open_leads'])}{_R}{_CLAUSE}{{0,100}}", _FLAGS)
        self.cell_open = c(
            rf"(?:{_alt(data['cell_open_phrases'])}{_R}|{_alt(data['cell_open_leads'])}{_R}[^.;\n|]{{0,100}})",
            _FLAGS,
        )
        tet = data["tet"]
        self.tet_stems = [_norm(x) for x in tet["stems"]]
        self.tet_branches = [_norm(x) for x in tet["branches"]]
        self.tet = c(
            rf"{_alt(tet['leads'])}{_SEP}{_alt(tet['names'])}"
            rf"(?:{_SEP}(?P<stem>{_alt(tet['stems'])}){_SEP}(?P<branch>{_alt(tet['branches'])}))?"
            rf"(?:{_COMMA}(?:năm{_SEP})?(?P<y>\d{{4}}))?{_R}",
            _FLAGS,
        )
        self.meeting = c(
            rf"{_alt(data['meeting_leads'])}{_SEP}{_alt(data['meeting_nouns'])}{_R}(?P<rest>{_CLAUSE}{{0,150}})",
            _FLAGS,
        )
        self.meeting_prefix = c(
            rf"{_L}{_alt([data['meeting_prefix']])}(?:{_SEP}[^\s.,;:\n|()]+){{0,8}}{_SEP}$", _FLAGS
        )
        # The meeting's own date: "tổ chức vào tháng 8 năm 2017", "lần thứ 20 ngày 10/9/2025".
        self.meeting_date = c(
            rf"{_SEP}(?:(?:tổ{_SEP}chức{_SEP})?(?:vào|trong){_SEP}|(?=ngày{_SEP}\d))", _FLAGS
        )
        # Only lines that open with a time expression and have a colon soon after.
        self.line_start = c(
            rf"(?m)^[ \t\-–•*+>]*(?=(?:\d|tháng|quý|qúy|năm|tuần|ngày|nửa|{part})[^\n:]{{0,60}}:)", _FLAGS
        )
        self.colon_after = c(rf"{_OPT}:", _FLAGS)
        self.word_start = c(r"(?<![^\W_])[^\W_]")

        past = _alt(data["past_markers"])
        self.past_after = c(
            rf"{_COMMA}(?:(?:[^\W\d_]+{_SEP}){{0,4}}?{past}|{_alt(data['past_markers_adjacent'])}){_R}",
            _FLAGS,
        )
        self.past_before = c(rf"{_L}{past}(?:{_SEP}[^\W\d_]+){{0,3}}{_OPT}$", _FLAGS)
        self.statistic_before = c(
            rf"{_L}(?:{_alt(data['statistic_words'])}(?:{_SEP}[^\W\d_]+)?{_OPT}"
            rf"|{_alt(data['statistic_context_words'])}{_R}(?:{_CLAUSE}){{0,40}})$",
            _FLAGS,
        )
        self.target_word = c(rf"{_L}{_alt(data['target_words'])}{_R}", _FLAGS)
        self.horizon_before = c(rf"{_L}{_alt(data['horizon_words'])}{_R}(?:{_CLAUSE}|,){{0,90}}$", _FLAGS)
        self.horizon_after = c(rf"{_COMMA}(?:và{_SEP})?(?:tầm{_SEP}nhìn|định{_SEP}hướng){_R}", _FLAGS)

    # -- numbers ------------------------------------------------------------------------
    def number(self, raw: str) -> int | None:
        """07 → 7; "mười lăm" → 15; "hai mươi mốt" → 21; "bẩy" → 7."""
        if raw.isdigit():
            return int(raw)
        words = _norm(raw).split()
        if words[0] == self.ten:
            return 10 + (self.after_tens.get(words[1], 0) if len(words) > 1 else 0)
        if len(words) >= 2 and words[1] == self.tens:
            tail = self.after_tens.get(words[2], 0) if len(words) > 2 else 0
            return self.number_units[words[0]] * 10 + tail
        return self.number_units.get(words[0])

    def quarter(self, raw: str) -> int | None:
        key = _norm(raw)
        if key.isdigit():
            return int(key)
        return self.roman.get(key) or self.quarter_words.get(key)


@cache
def _rules() -> _Rules:
    return _Rules(load_yaml("deadline_cues.yaml"))


# -- reading years and time expressions ------------------------------------------------------
def _read_year(raw: str | None, ref_year: int | None) -> tuple[int | None, bool]:
    """(year, unreadable): a plausible 4-digit year, or a 5-digit typo repaired near ``ref_year``."""
    if raw is None:
        return None, False
    if len(raw) == 4:
        year = int(raw)
        return (year, False) if 1900 <= year <= 2100 else (None, True)
    if ref_year is None:
        return None, True
    # "20223" next to 2023: the 4-digit subsequences within five years of the document's year.
    candidates = {int(raw[:i] + raw[i + 1 :]) for i in range(len(raw))}
    near = sorted((abs(y - ref_year), y) for y in candidates if abs(y - ref_year) <= 5)
    if not near or (len(near) > 1 and near[0][0] == near[1][0]):
        return None, True
    return near[0][1], False


def _read_expression(text: str, pos: int, ref_year: int | None, *, cell: bool) -> _When | None:
    """The time expression starting at ``pos`` with its suffixes ("hằng năm", "và các năm tiếp theo")."""
    rules = _rules()
    when = None
    for kind, pattern in rules.expressions:
        m = pattern.match(text, pos)
        if m:
            when = _READERS[kind](m, rules, ref_year, cell)
            if when is not None:
                break
    if when is None and cell:
        m = rules.bare_year.match(text, pos)
        if m:
            year, bad = _read_year(m["y"], ref_year)
            to, _ = _read_year(m["y2"], ref_year)
            when = _When("year", m.end(), year=year, year_bad=bad, year_to=to)
    if when is None:
        return None
    if when.kind == "day" and when.month is None:
        m = rules.of_month_suffix.match(text, when.end)
        if m:
            when.periodic = "next_month" if m["next"] else "quarter_last_month"
            when.recurrence = "monthly" if m["next"] else "quarterly"
            when.end = m.end()
    m = rules.recurrence_suffix.match(text, when.end)
    if m:
        when.recurrence = rules.units[_norm(m["u"])]
        when.end = m.end()
    elif when.kind == "year":
        m = rules.continuing.match(text, when.end)
        if m:
            when.continuing = True
            when.end = m.end()
    return when


def _year_groups(m: re.Match[str], names: Sequence[str], ref_year: int | None) -> tuple[int | None, bool]:
    for name in names:
        if m[name]:
            return _read_year(m[name], ref_year)
    return None, False


def _weekday(m: re.Match[str], rules: _Rules) -> int:
    return 6 if m["sun"] else rules.weekdays[_norm(m["wd"])]


def _read_weekly(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    return _When("day", m.end(), weekday=_weekday(m, rules), recurrence="weekly")


def _read_date(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    month = m["m"] or m["m2"]
    year, bad = _year_groups(m, ("y", "y2", "y3", "y4"), ref_year)
    if month is None and not m["ngay"]:
        return None  # a bare number
    if m["m"] and not m["ngay"] and not (m["y"] or m["y2"]) and not cell and len(m["d"]) + len(m["m"]) < 4:
        return None  # "2/3" in running text is a fraction; "trước 30/11", "trước 05/12" are days
    return _When(
        "day", m.end(), day=int(m["d"]), month=int(month) if month else None, year=year, year_bad=bad
    )


def _read_week(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    year, bad = _year_groups(m, ("y", "y2"), ref_year)
    week = int(m["n"])
    return _When("week", m.end(), week=week, year=year, year_bad=bad) if 1 <= week <= 53 else None


def _read_quarter(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    numbers = re.findall(r"[^\W_]+", m["q"])
    quarters = [q for q in (rules.quarter(n) for n in numbers) if q]
    if not quarters:
        return None
    year, bad = _year_groups(m, ("y", "y2", "y3"), ref_year)
    part = rules.parts.get(_norm(m["part"])) if m["part"] else None
    return _When(
        "quarter", m.end(), quarter=quarters[-1], year=year, year_bad=bad, part=part, this_year=bool(m["nay"])
    )


def _read_half(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    first = _norm(m["pos"] or m["pos2"]) == "đầu"
    months = rules.number(m["n"]) if m["n"] else 6
    if months is None or not 1 <= months <= 12:
        return None
    if first and months != 6 and not cell:
        return None  # "trong 10 tháng đầu năm" reports figures; a deadline says "6 tháng đầu năm"
    year, bad = _year_groups(m, ("y",), ref_year)
    return _When(
        "half", m.end(), month=months if first else 12, year=year, year_bad=bad, this_year=bool(m["nay"])
    )


def _read_month(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    month = int(re.findall(r"\d+", m["m"])[-1])
    year, bad = _year_groups(m, ("y", "y2"), ref_year)
    part = rules.parts.get(_norm(m["part"])) if m["part"] else None
    return _When("month", m.end(), month=month, year=year, year_bad=bad, part=part, this_year=bool(m["nay"]))


def _read_year_expr(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    raw_part = m["part"] or m["part2"]
    part = rules.parts.get(_norm(raw_part)) if raw_part else None
    year, bad = _year_groups(m, ("y",), ref_year)
    to, _ = _year_groups(m, ("y2",), ref_year)
    return _When("year", m.end(), year=year, year_bad=bad, year_to=to, part=part, this_year=not m["y"])


def _read_month_year(m: re.Match[str], rules: _Rules, ref_year: int | None, cell: bool) -> _When | None:
    return _When("month", m.end(), month=int(m["m"]), year=int(m["y"]))


_READERS: dict[str, Callable[[re.Match[str], _Rules, int | None, bool], _When | None]] = {
    "weekly": _read_weekly,
    "date": _read_date,
    "week": _read_week,
    "quarter": _read_quarter,
    "half": _read_half,
    "month": _read_month,
    "year": _read_year_expr,
    "month_year": _read_month_year,
}


# -- turning an expression into a due date ---------------------------------------------------
def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _part_of_month(year: int, month: int, part: str | None) -> date:
    if part == "first":
        return date(year, month, 10)
    if part == "middle":
        return date(year, month, 20)
    return _month_end(year, month)


_PART_MONTH_OF_YEAR = {"first": 3, "middle": 6, "last": 12}
_PART_MONTH_OF_QUARTER = {"first": 1, "middle": 2, "last": 3}


def _period_due(when: _When, year: int, before: bool) -> tuple[date | None, str]:
    """Last due day of a dated expression in ``year`` and the kind reported for it."""
    kind = when.kind
    try:
        if kind == "day":
            return (date(year, when.month, when.day) if when.month else None), "day"
        if kind == "month":
            if when.part:
                return _part_of_month(year, when.month, when.part), "month"
            if before:
                return _month_end(year, when.month) - timedelta(
                    days=calendar.monthrange(year, when.month)[1]
                ), ("before_month")
            return _month_end(year, when.month), "month"
        if kind == "quarter":
            quarter = when.quarter - 1 if before and not when.part else when.quarter
            last_month = 3 * (quarter - 1) + _PART_MONTH_OF_QUARTER[when.part or "last"]
            if quarter == 0:
                return date(year - 1, 12, 31), "before_quarter"
            return _month_end(year, last_month), ("before_quarter" if quarter != when.quarter else "quarter")
        if kind == "half":
            return _month_end(year, when.month), "half"
        if kind == "week":
            week = when.week - 1 if before else when.week
            if week == 0:
                return date.fromisocalendar(year - 1, 52, 7), "before_week"
            return date.fromisocalendar(year, week, 7), ("before_week" if before else "week")
        if kind == "year":
            last = when.year_to or year
            if when.part:
                return _month_end(last, _PART_MONTH_OF_YEAR[when.part]), "year"
            if before:
                return date(last - 1, 12, 31), "before_year"
            return date(last, 12, 31), "year"
    except ValueError:  # 31/2, week 53 of a 52-week year
        return None, kind
    return None, kind


def _first_on_or_after(when: _When, start: date) -> date | None:
    """First due day of recurring work on or after ``start`` (the document's date)."""
    try:
        if when.recurrence == "weekly" and when.weekday is not None:
            return start + timedelta(days=(when.weekday - start.weekday()) % 7)
        if when.periodic == "next_month" and when.day:
            nxt = _add_months(start.replace(day=1), 1)
            return nxt.replace(day=min(when.day, calendar.monthrange(nxt.year, nxt.month)[1]))
        if when.periodic == "quarter_last_month" and when.day:
            month_start = start.replace(day=1)
            for step in range(12):
                candidate_month = _add_months(month_start, step)
                if candidate_month.month % 3 == 0:
                    days = calendar.monthrange(candidate_month.year, candidate_month.month)[1]
                    candidate = candidate_month.replace(day=min(when.day, days))
                    if candidate >= start:
                        return candidate
            return None
        if when.recurrence == "monthly" and when.kind == "day" and when.day and not when.month:
            for step in range(2):
                month = _add_months(start.replace(day=1), step)
                candidate = month.replace(day=min(when.day, calendar.monthrange(month.year, month.month)[1]))
                if candidate >= start:
                    return candidate
            return None
        if when.recurrence == "yearly" and when.kind in ("day", "month", "quarter", "half"):
            for year in (start.year, start.year + 1):
                candidate, _ = _period_due(when, year, before=False)
                if candidate is None:
                    return None
                if candidate >= start:
                    return candidate
    except ValueError:
        return None
    return None


def _resolve(
    when: _When, before: bool, doc_date: date | None, ref_year: int | None
) -> tuple[date | None, str]:
    """(due date, kind) of an expression in a document of ``doc_date`` / ``ref_year``."""
    if when.year_bad:
        return None, when.kind
    recurring = when.recurrence or when.periodic
    if recurring and when.year is None:
        recurrence_kind = "recurring"
        if doc_date is not None:
            return _first_on_or_after(when, doc_date), recurrence_kind
        if ref_year is not None:
            # Without the document's day only a due day no document date can pass is certain.
            due = _first_on_or_after(when, date(ref_year, 1, 1))
            return (due if due == date(ref_year, 12, 31) else None), recurrence_kind
        return None, recurrence_kind
    year = when.year if when.year is not None else ref_year
    if year is None:
        return None, when.kind
    due, kind = _period_due(when, year, before)
    if due and when.year is None and not when.this_year and doc_date and due < doc_date - timedelta(days=183):
        # "trước ngày 15/01" in a document of December means next January.
        bumped, _ = _period_due(when, year + 1, before)
        due = bumped or due
    return due, kind


# -- finders ----------------------------------------------------------------------------------
@dataclass(slots=True)
class _Context:
    text: str
    doc_date: date | None
    ref_year: int | None
    cell: bool


def _chain_hits(ctx: _Context) -> list[_Hit]:
    """Cue chains ("Thời hạn hoàn thành: trước") followed by what they introduce."""
    rules = _rules()
    text = ctx.text
    hits: list[_Hit] = []
    for chain in finditer_at(rules.chain, rules.chain_at, text):
        cues = [
            (m.start(), rules.cue_class.get(_norm(m.group()), "core"), _norm(m.group()))
            for m in rules.cue_word.finditer(text, chain.start(), chain.end())
        ]
        if not cues:
            continue
        classes = {cls for _, cls, _ in cues}
        phrase_start = next((s for s, cls, _ in cues if cls != "label"), None)
        pos = chain.end()
        hit = _after_chain(ctx, chain.start(), phrase_start, pos, classes, cues)
        if hit is not None:
            hits.append(hit)
    return hits


def _after_chain(
    ctx: _Context, chain_start: int, phrase_start: int | None, pos: int, classes: set[str], cues: list
) -> _Hit | None:
    rules = _rules()
    text = ctx.text
    start = phrase_start if phrase_start is not None else pos
    m = rules.relative.match(text, pos)
    if m and (classes & {"core", "relative", "label"}):
        hit = _relative_hit(ctx, start, m)
        if hit is not None:
            return hit
    if classes <= {"relative"}:
        return None
    if "label" in classes and not ctx.cell and ":" in text[chain_start:pos]:
        m = rules.cell_open.match(text, pos) or rules.open_phrase.match(text, pos)
        if m:
            return _Hit(start, _trim_end(text, pos, m.end()), "open", priority=1)
    when = _read_expression(text, pos, ctx.ref_year, cell=ctx.cell)
    if when is None:
        return None
    last_cue = cues[-1][2]
    if "start" in classes and classes <= {"start", "label"}:
        due, _ = _resolve(when, False, ctx.doc_date, ctx.ref_year)
        return _Hit(start, when.end, "start", due, when.recurrence, when, priority=1)
    before = last_cue in rules.before or any(word in rules.before for _, _, word in cues[-2:])
    due, kind = _resolve(when, before, ctx.doc_date, ctx.ref_year)
    if when.continuing:
        due, kind = None, "open"
    elif when.kind == "year" and not when.part and (last_cue.startswith("đến") or last_cue == "tới"):
        kind = "target_year"
    if not ctx.cell and not _plausible(ctx, chain_start, when.end, kind, last_cue):
        return None
    return _Hit(start, when.end, kind, due, when.recurrence, when, priority=2)


def _plausible(ctx: _Context, start: int, end: int, kind: str, last_cue: str) -> bool:
    """False for reported facts, cut-offs of statistics and strategy horizons in running text."""
    rules = _rules()
    text = ctx.text
    before = text[max(0, start - 40) : start]
    if rules.past_after.match(text, end) or rules.past_before.search(before):
        return False
    if last_cue.startswith("đến") or last_cue == "tới":
        if rules.statistic_before.search(before):
            return False
        if kind == "target_year":
            if rules.horizon_after.match(text, end):
                return False
            clause = text[max(0, start - 120) : start]
            horizon = rules.horizon_before.search(clause)
            # "phấn đấu đến hết năm 2026" names the day a target is due; "phấn đấu đến năm 2030" a horizon
            if horizon and not (last_cue == "đến hết" and rules.target_word.match(horizon.group())):
                return False
    return True


def _relative_hit(ctx: _Context, start: int, m: re.Match[str]) -> _Hit | None:
    rules = _rules()
    unit = rules.rel_units[_norm(m["u"])]
    if not m["what"] and unit != "working_days":
        return None  # "tập huấn trong 03 ngày" is a duration, not a deadline
    count = rules.number(m["n"])
    end = m.end("u")
    due = None
    if m["what"]:
        what_start = m.start("what")
        stop = rules.clause_stop.search(m["what"])
        what_end = what_start + (stop.start() if stop else len(m["what"].rstrip()))
        end = _trim_end(ctx.text, what_start, what_end)
        anchor = ctx.text[what_start:end]
        if count is not None and ctx.doc_date is not None and rules.doc_anchor.match(anchor):
            due = _shift(ctx.doc_date, count, unit)
    return _Hit(start, end, "relative", due, priority=2)


def _shift(start: date, count: int, unit: str) -> date:
    if unit == "working_days":
        return add_working_days(start, count)
    if unit == "weeks":
        return start + timedelta(weeks=count)
    if unit == "months":
        return _add_months(start, count)
    return start + timedelta(days=count)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n_*\u00a0":
        end -= 1
    return end


def _at_word(
    pattern: re.Pattern[str], text: str, finder: re.Pattern[str] | None = None
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that start a word ("_" separates words too); ``finder``: see ``finditer_at``."""
    for m in pattern.finditer(text) if finder is None else finditer_at(pattern, finder, text):
        start = m.start()
        if start == 0 or not text[start - 1].isalnum():
            yield m


def _holds_any(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


def _recurrence_hits(ctx: _Context) -> list[_Hit]:
    """ "định kỳ hằng quý", adverbial "hằng năm", "mỗi tháng một lần"."""
    rules = _rules()
    text = ctx.text
    hits = []
    found = list(_at_word(rules.recurrence, text, rules.recurrence_at))
    if "lần" in text:
        found += rules.recurrence_count.finditer(text)
    periodic_before = False  # "Định kỳ báo cáo ... hằng năm": the repeat-word names the period "định kỳ" left open
    for m in found:
        groups = m.groupdict()
        unit = next((groups[k] for k in ("u1", "u1b", "u2", "u3", "u4", "u5") if groups.get(k)), None)
        count_raw = groups.get("n1") or groups.get("n4")
        if groups.get("per") and unit is None:
            if ctx.cell:
                hits.append(_Hit(m.start(), m.end(), "open", priority=0))
            periodic_before = True
            continue  # "định kỳ báo cáo" names no period
        if groups.get("ev") and not ctx.cell:
            adverb = (
                periodic_before
                or rules.clause_start.search(text[max(0, m.start() - 30) : m.start()])
                or rules.recurrence_follower.match(text, m.end())
                or (rules.recurrence_verb.search(text[max(0, m.start() - 60) : m.start()])
                    and rules.recurrence_close.match(text, m.end()))
            )
            if not adverb:
                continue  # "dự toán ngân sách hằng năm": an adjective
        recurrence = rules.units[_norm(unit)]
        if count_raw is not None:
            count = rules.number(count_raw)
            recurrence = _every_n(recurrence, count)
        end, due = m.end(), None
        day = rules.weekday_after.match(text, end) if recurrence == "weekly" else None
        if day:  # "Hằng tuần, trước 15 giờ thứ Năm"
            end = day.end()
            if ctx.doc_date is not None:
                due = _first_on_or_after(_read_weekly(day, rules, None, False), ctx.doc_date)
        hits.append(_Hit(m.start(), end, "recurring", due, recurrence, priority=1))
    return hits


def _every_n(unit: str, count: int | None) -> str | None:
    """ "3 tháng một lần" is quarterly; "6 tháng một lần" has no name among the four."""
    if count == 1:
        return unit
    if unit == "monthly" and count == 3:
        return "quarterly"
    if unit == "monthly" and count == 12:
        return "yearly"
    return None


def _meeting_hits(ctx: _Context) -> list[_Hit]:
    """ "tại Kỳ họp thứ Sáu" (no date) or "tại phiên họp ... tổ chức vào tháng 8 năm 2017"."""
    rules = _rules()
    text = ctx.text
    hits = []
    if not _holds_any(text, rules.meeting_words):
        return hits
    for m in _at_word(rules.meeting, text):
        start = m.start()
        lead = rules.meeting_prefix.search(text[max(0, start - 80) : start])
        if lead:
            start = max(0, start - 80) + lead.start()
        rest_start, rest = m.start("rest"), m["rest"]
        due, end = None, None
        for dm in rules.meeting_date.finditer(rest):
            when = _read_expression(text, rest_start + dm.end(), ctx.ref_year, cell=False)
            if when is not None:
                due, _ = _resolve(when, False, ctx.doc_date, ctx.ref_year)
                end = when.end
                break
        if end is None:
            stop = rules.clause_stop.search(rest)
            end = _trim_end(text, m.start(), rest_start + (stop.start() if stop else len(rest)))
        if not ctx.cell and (
            rules.past_after.match(text, end) or rules.past_after.match(text, m.end("rest"))
        ):
            continue
        hits.append(_Hit(start, end, "event", due, priority=1))
    return hits


def _tet_hits(ctx: _Context) -> list[_Hit]:
    """ "trước Tết Nguyên đán (Bính Ngọ) (2026)": due the day before mùng 1 Tết."""
    rules = _rules()
    hits = []
    if not _holds_any(ctx.text, rules.tet_words):
        return hits
    for m in _at_word(rules.tet, ctx.text):
        year = int(m["y"]) if m["y"] else _cycle_year(m, rules, ctx)
        if year is None and ctx.doc_date is not None:  # the next Tết
            this_year = lunar_new_year(ctx.doc_date.year)
            year = ctx.doc_date.year + (0 if this_year and this_year >= ctx.doc_date else 1)
        tet = lunar_new_year(year) if year else None
        hits.append(_Hit(m.start(), m.end(), "day", tet - timedelta(days=1) if tet else None, priority=1))
    return hits


def _cycle_year(m: re.Match[str], rules: _Rules, ctx: _Context) -> int | None:
    """The year a can-chi name ("Bính Ngọ") gives, the one nearest the document's."""
    if not m["stem"] or ctx.ref_year is None:
        return None
    stem, branch = rules.tet_stems.index(_norm(m["stem"])), rules.tet_branches.index(_norm(m["branch"]))
    candidates = [y for y in range(ctx.ref_year - 30, ctx.ref_year + 31)
                  if (y - 4) % 10 == stem and (y - 4) % 12 == branch]
    return min(candidates, key=lambda y: abs(y - ctx.ref_year), default=None)


def _open_hits(ctx: _Context) -> list[_Hit]:
    rules = _rules()
    if not _holds_any(ctx.text, rules.open_words):
        return []
    hits = [_Hit(m.start(), m.end(), "open", priority=0) for m in _at_word(rules.open_phrase, ctx.text)]
    hits += [
        _Hit(m.start(), _trim_end(ctx.text, m.start(), m.end()), "open", priority=0)
        for m in _at_word(rules.open_lead, ctx.text)
    ]
    return hits


def _line_start_hits(ctx: _Context) -> list[_Hit]:
    """A schedule line that opens with its time: "- Quý III/2025: hoàn thành ..."."""
    if ":" not in ctx.text:
        return []  # no time before a colon
    rules = _rules()
    hits = []
    for m in rules.line_start.finditer(ctx.text):
        when = _read_expression(ctx.text, m.end(), ctx.ref_year, cell=False)
        if when is None or not rules.colon_after.match(ctx.text, when.end):
            continue
        due, kind = _resolve(when, False, ctx.doc_date, ctx.ref_year)
        hits.append(_Hit(m.end(), when.end, kind, due, when.recurrence, when, priority=1))
    return hits


def _cell_hits(ctx: _Context) -> list[_Hit]:
    """In a table cell any time expression counts, with or without a cue."""
    rules = _rules()
    hits = []
    for m in rules.word_start.finditer(ctx.text):
        when = _read_expression(ctx.text, m.start(), ctx.ref_year, cell=True)
        if when is None:
            continue
        due, kind = _resolve(when, False, ctx.doc_date, ctx.ref_year)
        if when.continuing:
            due, kind = None, "open"
        hits.append(_Hit(m.start(), when.end, kind, due, when.recurrence, when, priority=0))
    return hits


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Non-overlapping hits, earliest first; at one start the longest, then the most specific."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), -h.priority))
    chosen: list[_Hit] = []
    last_end = -1
    for hit in hits:
        if hit.start >= last_end and hit.end > hit.start:
            chosen.append(hit)
            last_end = hit.end
    return chosen


def _apply_recurrence(ctx: _Context, hits: list[_Hit]) -> list[_Hit]:
    """Give a passage's one recurrence to the phrase that fixes its first due day."""
    recurrences = {h.recurrence for h in hits if h.kind == "recurring" and h.recurrence}
    only = recurrences.pop() if len(recurrences) == 1 else None
    result = []
    for hit in hits:
        when = hit.when
        if hit.kind == "start":
            if only is None:
                if ctx.cell:
                    result.append(replace(hit, kind="open", date=None))
                continue
            result.append(replace(hit, recurrence=hit.recurrence or only))
            continue
        if (
            only
            and when is not None
            and hit.recurrence is None
            and when.year is None
            and hit.kind in ("day", "month")
        ):
            periodic = replace(when, recurrence=only)
            due, _ = _resolve(periodic, False, ctx.doc_date, ctx.ref_year)
            if due is not None:
                hit = replace(hit, date=due, recurrence=only)
        result.append(hit)
    return result


def _scan(text: str, doc_date: date | None, doc_year: int | None, *, cell: bool) -> list[_Hit]:
    ctx = _Context(_lower(text), doc_date, doc_date.year if doc_date else doc_year, cell)
    hits = _chain_hits(ctx) + _recurrence_hits(ctx) + _meeting_hits(ctx) + _tet_hits(ctx) + _open_hits(ctx)
    if cell:
        hits += _cell_hits(ctx)
    else:
        hits += _line_start_hits(ctx)
        if doc_date is not None:
            # A dated phrase well before the document's own date reports the past.
            horizon = doc_date - timedelta(days=31)
            hits = [
                h for h in hits if h.date is None or h.recurrence or h.kind == "relative" or h.date >= horizon
            ]
    return _apply_recurrence(ctx, _select(hits))


def _to_match(text: str, hit: _Hit) -> DeadlineMatch:
    return DeadlineMatch(hit.start, hit.end, text[hit.start : hit.end], hit.date, hit.recurrence, hit.kind)


# -- public API ---------------------------------------------------------------------------------
def find_deadlines(
    text: str, *, doc_date: date | None = None, doc_year: int | None = None
) -> list[DeadlineMatch]:
    """Every deadline phrase in a passage (a task sentence or paragraph), in text order, non-overlapping.

    ``doc_date`` is the document's date (for years left out, recurring and relative deadlines);
    without it ``doc_year`` supplies the year. Matches that fix no day keep ``date=None``.
    """
    return [_to_match(text, hit) for hit in _scan(text, doc_date, doc_year, cell=False)]


def parse_deadline(
    phrase: str, *, doc_date: date | None = None, doc_year: int | None = None
) -> DeadlineMatch | None:
    """The deadline a whole table cell or phrase states ("Quý III/2025", "2025", "Thường xuyên").

    The text is the stripped cell. Of several dates the latest is due ("Từ tháng 10 đến tháng 12/2025");
    a recurrence anywhere in the cell applies. None when the cell states no timing at all.
    """
    hits = _scan(phrase, doc_date, doc_year, cell=True)
    left = len(phrase) - len(phrase.lstrip())
    right = len(phrase.rstrip())
    text = phrase[left:right]
    if not hits:
        m = _rules().cell_open.match(_lower(phrase), left)
        if m is None:
            return None
        return DeadlineMatch(left, right, text, None, None, "open")
    chosen = combine_deadlines([_to_match(phrase, h) for h in hits], latest=True)
    assert chosen is not None
    return replace(chosen, start=left, end=right, text=text)


def combine_deadlines(matches: Sequence[DeadlineMatch], *, latest: bool = False) -> DeadlineMatch | None:
    """One deadline for a task from the matches of its passage.

    The first dated match (the latest with ``latest=True``), a strategy horizon ("đến năm 2030") only
    when nothing else is dated; the recurrence of any match applies when the chosen one has none.
    """
    if not matches:
        return None
    dated = [m for m in matches if m.date is not None and m.kind != "target_year"]
    dated = dated or [m for m in matches if m.date is not None]
    if dated:
        chosen = max(dated, key=lambda m: m.date) if latest else dated[0]
    else:
        chosen = next((m for m in matches if m.recurrence), matches[0])
    recurrence = chosen.recurrence or next((m.recurrence for m in matches if m.recurrence), None)
    return replace(chosen, recurrence=recurrence)


def to_deadline(match: DeadlineMatch, *, offset: int = 0) -> Deadline:
    """The model's Deadline for a match found in a passage starting at ``offset`` of the document."""
    return Deadline(
        text=" ".join(match.text.split()),
        date=match.date,
        recurrence=match.recurrence,
        span=Span(offset + match.start, offset + match.end),
    )
