"""Tasks: who leads (chủ trì), who supports (phối hợp), what, by when.

The unit of work is a *passage*: a list item, a sentence, or a semicolon-separated item that
starts with a capital letter. A passage is a task when it hands future work to an agency:

* an agency named at its start followed by what it must do ("Bộ Y tế chủ trì ...");
* an agency after an assignment cue ("giao Bộ X ...", "đề nghị Ủy ban nhân dân tỉnh ...");
* or no agency of its own but a lead from its context: the numbered heading or the
  introducing sentence ("Bộ Tài chính chủ trì, phối hợp với ...:") above it, or the passage
  before it in the same paragraph.

Deadlines stated in a passage apply to it; one stated in a heading or an introduction applies
to each task under it. Table rows with a lead column are tasks of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from .agencies import AgencyMention, AgencyRegistry
from .citations import find_citations, type_words_alternation
from .data_files import load_yaml
from .deadlines import DeadlineMatch, combine_deadlines, find_deadlines, parse_deadline, to_deadline
from .model import Deadline, Span, Task
from .normalize import squash, vietnamese_letters
from .structure import TERMINAL, Block, column_role

# Capital letters of Vietnamese, listed: a range such as À-Ỹ would take in lowercase letters too.
_UPPER = "".join(c for c in vietnamese_letters() if c.isupper())


@dataclass(slots=True)
class _Context:
    """What a heading or an introducing passage says about the items under it."""

    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    deadline: DeadlineMatch | None = None
    skip: bool = False  # items here are aims, addressees or the like, not tasks
    addressees: bool = False  # under "Kính gửi:": only the first paragraph or the bullets are addressees


@dataclass(slots=True)
class _Passage:
    start: int
    end: int
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    explicit: bool = False  # the lead was named in the passage itself
    shared_support: tuple[str, ...] = ()  # supporters the items of an inline list share


@dataclass(slots=True)
class _Fields:
    labels: set[int] = field(default_factory=set)  # blocks that are labelled lines
    rows: dict[int, dict[str, tuple[int, int]]] = field(default_factory=dict)  # owner -> role -> value
    items: dict[int, list[int]] = field(default_factory=dict)  # owner -> the items under its bare "Nhiệm vụ:"


_LABEL = re.compile(r"\s*([^:\n]{3,45}?)\s*:\s*")
_INLINE_LABEL = re.compile(r"[;.]\s+([^:;.\n]{3,45}?)\s*:\s*")  # a further label on the same line


@cache
def _verbs() -> frozenset[str]:
    data = load_yaml("cues.yaml")
    return frozenset(" ".join(v.lower().split()) for v in (*data["imperative_verbs"], *data["directing_verbs"]))


def _has_verb(text: str) -> bool:
    """Whether any of the passage's words (one to three in a row) is a verb the cues know."""
    words = text.lower().split()
    verbs = _verbs()
    return any(" ".join(words[i:i + n]) in verbs for n in (1, 2, 3) for i in range(len(words) - n + 1))


# "Xăng E5RON92: 0 đồng/lít", "Tuyên Quang: 152.100 triệu đồng", "Nhà sản xuất: Công ty ABC": a short label and
# its value, an entry of a table written as a list
_LABEL_VALUE = re.compile(r"[\W_]*(?P<label>[^:\n]{2,40}?)\s*:\s*(?P<value>[^:]+?)[\s;.,|]*$")


def _ends_with_verb(before: str) -> bool:
    """Whether a verb of the passage stands right before an agency ("..., chỉ đạo " + the agency): the agency and
    those listed after it are its objects."""
    words = before[-40:].lower().split()
    return any(" ".join(words[-n:]) in _verbs() for n in (1, 2, 3) if len(words) >= n)


def _titles() -> str:
    """Regex of leaders' titles ("Bộ trưởng", "Chủ tịch", ...), from the agency data; a title may go on with the
    organ of a body it heads ("Chủ tịch Hội đồng thành viên")."""
    data = load_yaml("agencies/forms.yaml")

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(words, key=len, reverse=True))

    return rf"(?:{alternation(data['titles'])})(?:\s+(?:{alternation(data['organs_of_bodies'])})(?!\w))?"


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    # patterns used with a start position look behind instead of using "^": "^" never matches at pos > 0
    data = load_yaml("cues.yaml")

    nouns = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in load_yaml("agencies/forms.yaml")["nouns_not_verbs"])

    def alternation(key: str) -> str:
        words = sorted(data[key], key=len, reverse=True)
        found = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        # "giao" assigns, "giao thông" is a noun
        return rf"(?!(?:{nouns})(?!\w))(?:{found})" if key == "assign_before" else found

    titles = _titles()
    levels = "|".join(re.escape(w) for w in sorted(load_yaml("agencies/forms.yaml")["levels"], key=len, reverse=True))
    return {
        # "đề nghị các đồng chí Bộ trưởng ...": the comrades addressed are the agencies' heads
        "assign": re.compile(rf"(?<![^\s,;:(])(?:{alternation('assign_before')})\s*:?\s*(?:(?:các|những)\s+)?"
                             rf"(?:đồng\s+chí\s*)?$", re.I),
        "assign_to_person": re.compile(
            rf"(?<!\S)(?:{alternation('assign_before')})\s+(?:đồng\s+chí\s+)?(?:{titles})\s+[{_UPPER}]", re.I),
        "assign_after": re.compile(rf"^\s*(?:\([^()]{{0,30}}\)\s*)?(?:{alternation('assign_before')})\s", re.I),
        # "đề nghị các cơ sở đào tạo trực thuộc Bộ nghiêm túc thực hiện": a group the registry does not know
        "written_assignee": re.compile(
            rf"(?<!\S)(?:{alternation('assign_before')})\s+((?:các|những)\s+[^(),;:.\n]{{3,80}}?)"
            rf"(?=\s*\(|\s+(?:{alternation('assignee_ends')}|{alternation('imperative_verbs')})[\s,])",
            re.I),
        "demand_along_the_way": re.compile(
            rf",\s*(?:{alternation('demands_along_the_way')})\s*(?:(?:các|những)\s+)?$", re.I),
        "support": re.compile(rf"(?:{alternation('support_before')})\s*:?\s*$", re.I),
        "object_after": re.compile(
            rf"^\s*(?!{alternation('subject_after')})(?:{alternation('object_after')})(?:\s|$)", re.I),
        "opening": re.compile(rf"^\W*(?:{alternation('not_a_task_openings')})", re.I),
        "background": re.compile(rf"(?:^|\s)(?:{alternation('background')})(?:\s|$)", re.I),
        "end": re.compile(rf"^\W*(?:{alternation('end_of_body')})", re.I),
        "attached_note": re.compile(
            rf"[\W_]*\(\s*(?:{alternation('attached_document_notes')})\s+(?:{type_words_alternation()})(?!\w)", re.I),
        "attached_title": re.compile(rf"[\W_]*(?:{alternation('attached_document_types')})(?!\w)", re.I),
        "own_units": re.compile(rf"(?:{alternation('own_units')})$", re.I),
        # "Chuyển nhiệm vụ ... từ A sang B", also after a lead-in ("Theo đó chuyển nhiệm vụ ...")
        "transfer": re.compile(rf"(?<!\w)(?:{alternation('transfer_openings')})(?:\s|$)", re.I),
        "transfer_to": re.compile(rf"(?:^|\s)(?:{alternation('transfer_to')})\s*$", re.I),
        "plural_before": re.compile(r"(?:^|\s)các\s+$", re.I),
        "plural_unit": re.compile(rf"(?:{alternation('plural_unit_heads')})\s", re.I),
        "framing": re.compile(rf"^\W*(?:{alternation('framing_openings')})\s", re.I),
        # "Các cơ sở ...", also asked for ("Đề nghị các tổ chức cung cấp dịch vụ chi trả") and wrapped over lines
        "actors_heading": re.compile(
            rf"\W*(?:(?:{alternation('assign_before')})\s+)?((?:các|những)\s+(?!(?:{alternation('topic_nouns')})\b)"
            rf"[^(:;.*]+?)\s*(?:[(:;.*]|$)", re.I),
        "assign_anywhere": re.compile(
            rf"(?<!\S)(?:{alternation('assign_before')}|chủ trì|có trách nhiệm|chịu trách nhiệm)\s", re.I),
        "role_tail": re.compile(rf"\s+(?:{alternation('assignee_ends')})(?!\w)", re.I),
        "group_place": re.compile(rf"\s(?:{alternation('group_places')})\s", re.I),
        "topic_heading": re.compile(r"\W*(?:về|đối với)\s", re.I),  # "2. Về công tác ..." names a topic
        "imperative": re.compile(rf"\W*(?:{alternation('imperative_verbs')})(?:\s|,)", re.I),
        "qualified_subject": re.compile(
            rf"[\W_]*((?:các|những)\s+[^.;:\n]{{2,40}}?\s+(?:{alternation('assigned_role_qualifiers')}))(?=[\s,])",
            re.I),
        "named_above": re.compile(rf"\s*(?:{alternation('named_above')})(?!\w)", re.I),
        "handing_in_intro": re.compile(
            rf"\s*(?:\([^()]{{0,30}}\)\s*)?(?:{alternation('handing_in_intro')})\s+(?:các\s+)?$", re.I),
        "recurring": re.compile(rf"^\W*(?:{alternation('recurring_openings')})\s", re.I),
        "anaphora": re.compile(rf"^\W*(?:{alternation('anaphoric_subjects')})\s", re.I),
        "indicator": re.compile("|".join(f"(?:{p})" for p in data["indicator_openings"]), re.I),
        "copula": re.compile(data["copula_statement"], re.I),
        "forecast": re.compile(data["forecast_statement"], re.I),
        "long_copula": re.compile(data["long_copula_statement"], re.I),
        "past": re.compile(rf"(?<!\w)(?:{alternation('past_markers')})(?!\w)", re.I),
        "apposition_gap": re.compile(rf"\s*,?\s*(?:{alternation('apposition_links')})\s+", re.I),
        "speech_opening": re.compile(rf"\W*(?:{alternation('speech_openings')})\b[^,.;:]{{0,60}},", re.I),
        "support_after": re.compile(rf"\s*(?:{alternation('support_after')})(?!\s+với)(?!\w)", re.I),
        "past_at_start": re.compile(rf"\s+(?:{alternation('past_markers')})(?!\w)", re.I),
        "modal": re.compile(rf"(?<!\w)(?:{alternation('modal_words')}|{alternation('assign_before')})(?!\w)", re.I),
        "narrative": re.compile("|".join(f"(?:{p})" for p in data["narrative_openings"]), re.I),
        "citation_opening": re.compile(rf"(?:{type_words_alternation()})\s+(?:số\s+)?\d"
                                       rf"|\W*(?:{alternation('document_of_types')})\s+của\s", re.I),
        "deadline_statement": re.compile(rf"^\W*(?:{alternation('deadline_statements')})\b", re.I),
        "byline": re.compile("|".join(f"(?:{p})" for p in data["byline_lines"]), re.I),
        # what may stand between the agencies of one list: "A, B và C", "A; Chủ tịch B"
        "group_gap": re.compile(
            rf"[\s,;/]*(?:(?:{alternation('group_links')})\s+)?(?:(?:các\s+)?(?:{titles})(?:\s*,\s*|\s+và\s+|\s+))*"
            rf"(?:các\s+)?",
            re.I),
        "possessive_gap": re.compile(rf"\s+(?:{alternation('possessive_words')})\s+", re.I),
        "level_words": re.compile(rf"(?<!\w)(?:{levels})(?!\w)"),
        "in_list_of_parties": re.compile(rf"(?<!\w)(?:{alternation('list_prepositions')})\s[^;:.\n]*$", re.I),
        "conjunction_at_end": re.compile(rf"(?:^|\s)(?:{alternation('clause_conjunctions')})$", re.I),
        "determiner_at_end": re.compile(r"(?:^|(?<=\s))(?:(?:các\s+)?đồng\s+chí|các|những|tất cả)$", re.I),
        "titles_at_end": re.compile(
            rf"(?:(?:^|[\s,;:])(?:các\s+)?(?:{titles})(?:\s*,\s*|\s+và\s+|\s+)?)+$", re.I),
        "non_task_section": re.compile(
            rf"^\W*(?:[IVX\d]+\s?[.)]\s*)?(?:\d+\s?[.)]\s*)?(?:về\s+)?(?:{alternation('non_task_sections')})", re.I),
        "issuing": re.compile(rf"\s*(?:đã\s+|vừa\s+)?(?:{alternation('issuing_intro')})\s", re.I),
        # the last clause of an introduction that points at the items below: "..., với những nội dung sau"
        "intro_tail": re.compile(rf",\s*(?:{alternation('intro_tail_links')})\s[^,;:]*?\b(?:sau|dưới đây)\s*$", re.I),
        "contents_intro": re.compile(
            rf"(?<!\w)(?:{alternation('contents_nouns')})(?!\w)[^.;:]*?(?<!\w)(?:bao\s+gồm|gồm)\s*:?\s*$", re.I),
        "topic_subject": re.compile(
            rf"[\W_]*(?:{alternation('topic_frames')})\s+((?:(?:các|những)\s+(?!(?:{alternation('topic_nouns')})\b)|"
            rf"(?=(?-i:[{_UPPER}])))[^,;:.()\n]{{2,80}}?)\s*,?\s+(?:thì\s+)?"
            rf"(?:{alternation('topic_modals')})\s", re.I),
        "directing_intro": re.compile(rf"\W*(?:{alternation('directing_verbs')})\s", re.I),
        "addressees": re.compile(rf"(?:{alternation('addressee_intro')})\s*:\s*$", re.I),
        "approval": re.compile(
            rf"[\W_]*(?:về\s[^:;.]{{0,100}}:\s*)?"  # after a topic label ("Về nguồn lực: Thống nhất ...")
            rf"(?:{alternation('approval_verbs')})\s+(?:với\s+)?(?:các\s+)?(?:{alternation('proposal_nouns')})"
            rf"(?:\s*,\s*(?:{alternation('proposal_nouns')}))*\s+của\s+", re.I),
        "agreement": re.compile(
            rf"\s*(?:{alternation('approval_verbs')})\s+(?!với\s|(?:{alternation('imperative_verbs')})[\s,])", re.I),
        "leader_demand": re.compile(
            rf"\s*(?:{alternation('leader_demands')})\s+(?!(?:các|những|mọi|đồng\s+chí)\s)(?-i:[{_LOWER}])", re.I),
        "list_report": re.compile(rf"(?:{alternation('list_reports')})\s", re.I),
        "announced_assignment": re.compile(
            rf"\s*(?:{alternation('future_markers')})\s+(?:{alternation('assign_before')})\s", re.I),
        "work_named_again": re.compile(rf"\W*(?:{alternation('work_nouns')})\s+(\S+\s+\S+)", re.I),
        "condition": re.compile(rf"\W*(?:{alternation('condition_openings')})\s[^.;]*?,", re.I),
        "given_work": re.compile(rf"(?<!\w)(?:{alternation('given_work')})(?!\w)", re.I),
        "possessor_before": re.compile(rf"(?<!\w)(?:{alternation('possessor_before')})\s+$", re.I),
    }


_ENUMERATOR = r"\((?:\d{1,2}|[ivx]{1,4}|[a-zđ])\)\s"
# registry kinds of a province's own bodies: in their documents "địa phương" are the communes
_PROVINCIAL_KINDS = {"provincial_committee", "provincial_council", "provincial_department"}
_ENDS_ENUMERATOR = re.compile(rf"{_ENUMERATOR}\s*$")
_LOWER = "".join(c for c in vietnamese_letters() if c.islower())


@cache
def _split() -> re.Pattern[str]:
    """Where passages part: a sentence ends at . ! ? before a capital; an item at ; before a capital
    or an enumerator, but not before a leader's title ("...; Chủ tịch Ủy ban nhân dân ..." goes on
    listing addressees)."""
    titles = _titles()
    return re.compile(
        rf"(?:(?<=[.!?])(?<!\bTP\.)(?<!\bTp\.)(?<!\bv\.v\.)[\"”']?\s+(?=[\"“(]?[{_UPPER}])"
        rf"|;\s*(?!(?:{titles})\s)(?=[\"“]?[{_UPPER}]|{_ENUMERATOR}|(?:giao|đề nghị|yêu cầu)\s)"  # "; giao Bộ X"
        rf"|:\s*(?=\((?:1|i|a)\)\s))"  # "..., cụ thể: (i) ...; (ii) ..." lists items inline
    )


# "Căn cứ ...", "Trên cơ sở ..." open a preamble, but "Căn cứ nội dung Kế hoạch, các sở ... xây dựng" assigns
_BASIS = re.compile(r"\W*(?:căn cứ|trên cơ sở)\s", re.I)
# what may separate the agencies of one object list: "Sở A, Ban quản lý Khu kinh tế, công nghiệp, các ngành"
_CLAUSE_RUN = re.compile(r"[^.;:]*")  # up to the end of the clause run
_CLAUSE_BREAK = re.compile(r"[^.;:\n(]{0,60}?[,;]")  # "chủ trì, " before the next clause's subject
_OBJECT_LIST_GAP = re.compile(r"[^;.:\n]{0,60}?(?:,|\svà)\s*")
# a few words and a comma between two agencies: "Quốc hội khóa XV, Bộ Tư pháp ..."
_APPOSITION = re.compile(r"[^,;.\n]{0,20},\s*")
_LEADING_ENUMERATOR = re.compile(r"(?:\( ?(?:\d{1,2}|[ivx]{1,4}|[a-zđ]) ?\)|[-+•](?=\s))\s*\**\s*")
# The clause after the last semicolon of an inline list that states one deadline for the list:
# "...; (iv) Đề xuất ...; báo cáo Thủ tướng Chính phủ trong tháng 11 năm 2025."
_LIST_TAIL = re.compile(rf";\s*(?=[{_LOWER}])[^;]*$")
_TRAILING = " \t\n.;:,*/"
_SEMICOLON_CLAUSE = re.compile(r"\s*;\s*")
_COMMA = re.compile(r",\s*")


def _passages(atext: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _split().finditer(atext, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and atext[s] in " \t\n*":
            s += 1
        enumerator = _LEADING_ENUMERATOR.match(atext, s, e)
        if enumerator:  # "(ii) Đề xuất ..." quotes as "Đề xuất ..."
            s = enumerator.end()
        while e > s and atext[e - 1] in _TRAILING:
            e -= 1
        if e - s >= 3:
            trimmed.append((s, e))
    return trimmed


class TaskFinder:
    """Finds the tasks of one document; see the module docstring for the rules."""

    def __init__(self, text: str, atext: str, registry: AgencyRegistry, doc_date: date | None,
                 doc_year: int | None, body_start: int = 0, issuer: str | None = None) -> None:
        self.text = text
        self.issuer = issuer
        self.body_start = body_start
        self.atext = atext
        self.doc_date = doc_date
        self.doc_year = doc_year
        self.cues = _cues()
        self.all_assignees = {squash(n).lower() for n in load_yaml("cues.yaml")["all_assignees"]}
        issuing = registry.get(issuer) if issuer else None
        self.mentions = self._resolve_named_above(registry.find(atext))
        if issuing is not None and issuing.kind in _PROVINCIAL_KINDS:
            self.mentions = self._localities_are_communes(self.mentions)
        self._starts = [m.start for m in self.mentions]
        self._other_parents: set[int] = set()
        self._addressees: dict[str | None, None] = {}  # the agencies a "Kính gửi:" list names; None: one it lost

    def _resolve_named_above(self, mentions: list[AgencyMention]) -> list[AgencyMention]:
        """"các tỉnh, thành phố nêu trên" → the provinces an earlier list named, when one did."""
        out: list[AgencyMention] = []
        for m in mentions:
            if m.kind == "collective" and self.cues["named_above"].match(self.atext, m.end):
                head = m.names[0].removeprefix("các ").split()[0].capitalize()
                listed = next((e for e in reversed(out) if len(e.names) > 1 and e.kind != "collective"
                               and all(n.startswith(head) for n in e.names)), None)
                if listed is not None:
                    m = replace(m, names=listed.names)
            out.append(m)
        return out

    def _localities_are_communes(self, mentions: list[AgencyMention]) -> list[AgencyMention]:
        """In a province's own document "các địa phương" are its communes, not the provinces."""
        collectives = load_yaml("agencies/collectives.yaml")
        provinces, communes = collectives["provinces"], collectives["communes"]
        out = []
        for m in mentions:
            surface = self.atext[m.start : m.end].lower()
            if m.kind == "collective" and provinces in m.names and "địa phương" in surface and "tỉnh" not in surface:
                m = replace(m, names=tuple(dict.fromkeys(communes if n == provinces else n for n in m.names)))
            out.append(m)
        return out

    # -- agencies -------------------------------------------------------------------------
    def _mentions_in(self, start: int, end: int) -> list[AgencyMention]:
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def _group(self, mentions: list[AgencyMention], i: int, end: int) -> tuple[list[AgencyMention], int]:
        """Mentions joined by commas, "và" or "cùng" from index i; returns them and the next index."""
        group = [mentions[i]]
        j = i + 1
        last_end = group[-1].end
        while j < len(mentions):
            gap = self.atext[last_end : mentions[j].start]
            if (self.cues["possessive_gap"].fullmatch(gap) and j + 1 < len(mentions)
                    and self.cues["group_gap"].fullmatch(self.atext, mentions[j].end, mentions[j + 1].start)
                    and mentions[j + 1].start < end):
                # "Ủy ban Kinh tế và Tài chính của Quốc hội, Hội đồng Dân tộc của Quốc hội và ...": the possessor
                # qualifies the name before it, the list goes on after it
                last_end = mentions[j].end
                j += 1
                continue
            if not self.cues["group_gap"].fullmatch(gap):
                break
            group.append(mentions[j])
            last_end = mentions[j].end
            j += 1
        return group, j

    def _names(self, group: list[AgencyMention]) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for m in group:
            plural = m.kind != "collective" and self.cues["plural_before"].search(
                self.atext, max(0, m.start - 5), m.start)
            for n in m.names:
                if plural and self.cues["plural_unit"].match(n):
                    n = "các " + n  # "các Sở GTVT" → "các Sở Giao thông vận tải"
                seen.setdefault(n, None)
        return tuple(seen)

    def _roles(self, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
        """(lead, support, explicit) named inside a passage; support may be named without a lead
        ("- Chủ trì, phối hợp với Bộ Tư pháp ..." under a heading that names the lead)."""
        mentions = self._mentions_in(start, end)
        lead: tuple[str, ...] = ()
        lead_end = start
        transfer_cue = self.cues["transfer"].search(self.atext, start, end)
        transfer_at = transfer_cue.start() if transfer_cue else end
        framed = self.cues["framing"].match(self.atext[start:end])
        if framed and self._agency_label(start, end):
            # "Đối với các Sở: Xây dựng, Y tế; Ủy ban nhân dân các huyện:" heads the items its agencies do
            named = (n for m in mentions if m.kind != "person" for n in m.names)
            return tuple(dict.fromkeys(named)), (), True
        topic = self.cues["topic_subject"].match(self.atext, start, end)
        if topic:  # "Đối với các chủ đầu tư cần nhanh chóng ...": the group the topic names must act
            inside = [m for m in mentions if topic.start(1) <= m.start and m.end <= topic.end(1)]
            lead = self._names(inside) if inside else (self._as_written(topic.start(1), topic.end(1)),)
            support = self._roles(topic.end(), end)[1]
            return lead, support, True
        imperative = self.cues["imperative"].match(self.atext[start:end])
        object_end = -1  # where the last agency taken as an object ended
        object_of_verb = False  # ... right after a verb ("Căn cứ ..., chỉ đạo các cơ sở A, các cơ sở B ...")
        i = 0
        qualified = self.cues["qualified_subject"].match(self.atext[start:end])
        if qualified:  # "Các cơ quan được phân công chủ trì ..." leads as written
            lead_end, i = start + qualified.end(1), len(mentions)
            lead = (self._as_written(start + qualified.start(1), lead_end),)
        while i < len(mentions):
            group, nxt = self._group(mentions, i, end)
            if ((not framed or object_of_verb) and object_end >= 0
                    and (group[0].start < object_end
                         or _OBJECT_LIST_GAP.fullmatch(self.atext, object_end, group[0].start))):
                # "Chỉ đạo Sở A, Sở B, Ban X, các ngành liên quan ...": still the verb's objects; after a frame too
                # when a verb took them ("Căn cứ chức năng, chỉ đạo các trường A, các trường B ...")
                object_end = group[-1].end
                i = nxt
                continue
            before = self.atext[start : group[0].start]
            after = self.atext[group[-1].end : min(end, group[-1].end + 30)]
            bare = self.cues["titles_at_end"].sub("", before[-80:])  # "yêu cầu Giám đốc các sở" assigns the sở
            transfer = transfer_at < group[0].start  # the agencies after "chuyển nhiệm vụ" give or take it
            assigned = self.cues["assign"].search(bare[-40:]) or (
                transfer and self.cues["transfer_to"].search(before[-12:]))
            if all(m.kind == "person" for m in group) and not assigned:
                i = nxt  # "Phó Thủ tướng ... yêu cầu ...": the leader hands the work on
                continue
            if assigned and imperative and self.cues["demand_along_the_way"].search(bare[-40:]):
                # "Tăng cường kiểm tra các công trường, yêu cầu các chủ đầu tư che chắn ...": the subject of the
                # opening verb presses the others along the way; the work stays with it
                i = nxt
                continue
            if self.cues["support"].search(before[-40:]):
                i = nxt
                continue
            if assigned:  # "giao Bộ X", "giao Phó Thủ tướng Trần Hồng Hà" (a leader with no agency of their own)
                lead, lead_end = self._names(group), group[-1].end
                break
            if self.cues["assign_after"].match(after):  # "Hội đồng nhân dân tỉnh yêu cầu Ủy ban ..."
                i = nxt
                continue
            if imperative and before.rstrip()[-1:] == "," and not self.cues["conjunction_at_end"].search(before):
                i = nxt  # "Tổ chức tập huấn cho cán bộ, các doanh nghiệp ...": objects of the opening verb
                continue
            closes_framing = framed and nxt < len(mentions) and (
                bool(_APPOSITION.fullmatch(self.atext, group[-1].end, mentions[nxt].start))
                or any(self.cues["assign"].search(self.atext, max(start, m.start - 40), m.start)
                       for m in mentions[nxt:]))  # "Trên cơ sở Luật ..., Quốc hội khóa XV (...), giao Bộ X"
            # after a frame the subject goes straight on to its verb: "Sau khi nghe báo cáo của Bộ A, Bộ B,
            # ý kiến ..., Ban Chỉ đạo kết luận" lists what was heard
            trails_off = framed and after.lstrip()[:1] == ","
            if (not transfer and not closes_framing and not trails_off and self._subject_position(before)
                    and not self.cues["object_after"].search(after)
                    and not self.cues["in_list_of_parties"].search(before[-120:])):
                lead, lead_end = self._names(group), group[-1].end
                break
            # after a framing clause ("Trên cơ sở đề xuất của các bộ, Bộ Tài chính ...", "..., Quốc hội
            # khóa XV, Bộ Tư pháp chủ trì ...") the subject follows the clause's own agencies
            object_end = group[-1].end
            object_of_verb = _ends_with_verb(before)
            i = i + 1 if framed else nxt
        support: tuple[str, ...] = ()
        rest = [m for m in mentions if m.start >= lead_end]
        for k, m in enumerate(rest):
            before = self.atext[lead_end : m.start]
            if self.cues["support"].search(before[-40:]) and len(before) < 400:
                group, _ = self._group(rest, k, end)
                support = tuple(n for n in self._names(group) if n not in lead)
                break
        if lead and not support and rest:
            # "Giao Sở Y tế chủ trì, Sở Tài chính và Công an tỉnh phối hợp ...": the helpers named as the subject
            # of "phối hợp" in the clause after the lead's
            group, _ = self._group(rest, 0, end)
            between = self.cues["titles_at_end"].sub("", self.atext[lead_end : group[0].start])  # "; Giám đốc "
            if (_CLAUSE_BREAK.fullmatch(between.rstrip())
                    and self.cues["support_after"].match(self.atext, group[-1].end, end)):
                support = tuple(n for n in self._names(group) if n not in lead)
        if not lead:
            written = self.cues["written_assignee"].search(self.atext, start, min(end, start + 300))
            # "Tăng cường kiểm tra ..., yêu cầu các chủ đầu tư thu gom ...": a demand made along the way, inside
            # work the passage's own subject does, hands that work to no one
            along_the_way = written and (imperative or ";" in self.atext[start : written.start()])
            if written and not along_the_way:  # "đề nghị các cơ sở đào tạo trực thuộc Bộ nghiêm túc thực hiện"
                lead = (self._as_written(written.start(1), written.end(1)),)
        if not lead and (approval := self.cues["approval"].match(self.atext, start, end)):
            # "Thống nhất với đề xuất, kiến nghị của Bộ Tài chính, bao gồm ...": the proposer does what was agreed
            proposers = [m for m in mentions if m.start >= approval.end() and m.kind != "person"]
            if proposers and proposers[0].start - approval.end() <= 2:
                lead = self._names(self._group(proposers, 0, end)[0])
        if not lead and self.issuer and self.cues["assign_to_person"].search(
                self.atext, start, min(end, start + 200)):
            lead = (self.issuer,)  # "Bộ trưởng giao Thứ trưởng Nguyễn Văn A ...": a person's work is their agency's
        return lead, support, bool(lead)

    def _rejoin_name_lists(self, passages: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Semicolons that only separate names are no item breaks: "Giám đốc các sở, ngành: Tài chính; Xây dựng;
        Ban Dân tộc tỉnh; Công an tỉnh có trách nhiệm ..." is one passage with one predicate."""
        out: list[tuple[int, int]] = []
        for s, e in passages:
            between = self.atext[out[-1][1] : s] if out else ""
            if out and (self._mention_across(out[-1][1], s)
                        or (";" in between and self._agency_label(*out[-1]))
                        # "... theo quy định tại Luật Lâm nghiệp; Nghị định số 131/2025/NĐ-CP ...": a list of the
                        # documents cited goes on, it opens no item
                        or (";" in between and self.cues["citation_opening"].match(self.atext, s, e))):
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
        return out

    def _mention_across(self, end: int, start: int) -> bool:
        """Whether one agency mention runs from before ``end`` to after ``start`` (a list split in two)."""
        k = bisect_left(self._starts, end) - 1
        while k >= 0 and end - self.mentions[k].start < 2000:
            if self.mentions[k].end > start:
                return True
            k -= 1
        return False

    def _split_turns(self, passages: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A passage that hands work to two agencies in turn is two passages: "Bộ X xây dựng Quy chế ...; các cơ
        quan thuộc Bộ và các Sở Y quan tâm thực hiện ..." (after a semicolon, a new subject that acts)."""
        out = []
        for s, e in passages:
            plain: bool | None = None  # whether the passage is a task at all, looked at only when needed
            for semi in _SEMICOLON_CLAUSE.finditer(self.atext, s, e):
                cut = semi.end()
                k = bisect_left(self._starts, cut)
                if k == len(self.mentions) or self.mentions[k].start - cut > 5 or self.mentions[k].end > e:
                    continue
                first = self.mentions[k]
                if first.kind == "person":
                    continue
                if plain is None:
                    plain = not self._not_a_task(s, e)
                if not plain:
                    break
                lead, _, explicit = self._roles(cut, e)
                before, _, before_explicit = self._roles(s, semi.start())
                # each clause says what its own agency does: "UBND các huyện, thị xã Long Khánh; các doanh nghiệp
                # ... thực hiện" lists the subjects of one predicate
                if (explicit and before_explicit and set(lead) != set(before) and set(lead) & set(first.names)
                        and self._acts(s, semi.start(), before) and self._acts(cut, e, lead)):
                    out.append((s, semi.start()))
                    s = cut
            out.append((s, e))
        return out

    def _acts(self, s: int, e: int, lead: tuple[str, ...]) -> bool:
        """Whether a clause goes on after its lead with a predicate: a few lower-case words that are not
        administrative levels or place names ("Sở X tiến hành rà soát ...", not "UBND các huyện, thị xã Long Khánh")."""
        named = self._lead_mentions(s, e, lead)
        if not named:
            return False
        rest = self.atext[named[-1].end : e]
        if rest.lstrip()[:1] == ":":
            return False  # "các Tập đoàn, Tổng công ty: EVN, ACV" lists members
        words = [w for w in self.cues["level_words"].sub(" ", rest).split() if w[:1].islower()]
        return len(words) >= 3

    def _as_written(self, s: int, e: int) -> str:
        """A group the registry does not know, named as the text names it: "các cơ sở đào tạo trực thuộc Bộ"."""
        name = squash(self.text[s:e])
        return name[0].lower() + name[1:]

    def _subject_position(self, before: str) -> bool:
        """An agency acts when it opens the passage, after a leader's title ("Bộ trưởng Bộ X") or an
        opening clause ("Đồng thời, ...").

        After a verb ("Chỉ đạo Bảo hiểm xã hội ...", "hỗ trợ các bộ ...") it is the object.
        """
        if len(before) > 300 or before.count("(") > before.count(")"):
            return False  # too far into the passage, or inside brackets: not its subject
        cut = max(0, len(before) - 120)  # titles stand just before the name: only the tail needs the patterns
        head = (before[:cut] + self.cues["titles_at_end"].sub("", before[cut:])).strip(" \n*\"'(")
        head = head[:-40] + self.cues["determiner_at_end"].sub("", head[-40:]).rstrip() if head else head
        return head == "" or (
            (head[-1] in ",:;" or bool(self.cues["conjunction_at_end"].search(head))) and len(head.split()) <= 45)

    # -- deadlines ------------------------------------------------------------------------
    def _deadline(self, start: int, end: int) -> DeadlineMatch | None:
        found = find_deadlines(self.atext[start:end], doc_date=self.doc_date, doc_year=self.doc_year)
        best = combine_deadlines(found)
        if best is None:
            return None
        return replace(best, start=best.start + start, end=best.end + start,
                       text=self.text[best.start + start : best.end + start])

    def _passage_deadline(self, s: int, e: int, lead: tuple[str, ...]) -> DeadlineMatch | None:
        """The passage's deadline; one inside an opening frame, before the lead is named ("Trên cơ sở Luật
        ... thông qua tại Kỳ họp thứ 5, giao Bộ X ..."), dates the frame, not the task."""
        deadline = self._deadline(s, e)
        if deadline is None or not self.cues["framing"].match(self.atext[s:e]):
            return deadline
        named = self._lead_mentions(s, e, lead)
        lead_at = named[0].start if named else s
        return self._deadline(lead_at, e) if deadline.end <= lead_at else deadline

    @staticmethod
    def _as_deadline(match: DeadlineMatch | None) -> Deadline | None:
        return None if match is None else to_deadline(match)

    # -- the walk -------------------------------------------------------------------------
    def find(self, blocks: list[Block]) -> list[Task]:
        tasks: list[Task] = []
        task_blocks: list[int] = []  # the block each task came from
        contexts: dict[int, _Context] = {}
        has_children = {b.parent for b in blocks if b.parent is not None}
        # blocks with a child other than a "-" or "+" bullet (a paragraph, a numbered item)
        self._other_parents = {b.parent for b in blocks
                               if b.parent is not None and b.marker_type not in {"dash", "plus"}}
        fields = self._labelled_fields(blocks)
        body = self._in_body(blocks)
        closing_after = self._last_numbered_block(blocks, body)  # plain paragraphs after it close the document
        for idx, block in enumerate(blocks):
            if block.table_row is not None:
                task = self._row_task(block.table_row, block.table_row["content"], 0.8)
                if task:
                    tasks.append(task)
                    task_blocks.append(idx)
                continue
            if not body[idx] or idx in fields.labels:
                continue
            if self._continues_basis(blocks, idx):
                continue
            ctx = contexts.get(block.parent, _Context()) if block.parent is not None else _Context()
            if ctx.addressees:
                # "Kính gửi:" is followed by its addressees (bullets or one paragraph), then the body
                if block.marker_type in {"dash", "plus"} or idx == block.parent + 1:
                    contexts[idx] = _Context()
                    self._add_addressees(block)
                    continue
                ctx = _Context()
            if idx in fields.rows:
                row = {"content": block.body, **fields.rows[idx]}
                # "a) Nhiệm vụ:" with bullets below gives one task per bullet, each with the item's lead
                quotes = [self._trimmed(*blocks[j].body) for j in fields.items.get(idx, ())] or [self._field_quote(row)]
                for quote in quotes:
                    task = self._row_task(row, quote, 0.75)
                    if task and not ctx.skip:
                        tasks.append(task)
                        task_blocks.append(idx)
                contexts[idx] = _Context(skip=True)
                continue
            if block.heading and not block.marker_type and idx not in has_children:
                continue
            heading_text = self.atext[block.body_start : block.end]
            # "2. Yêu cầu", not "a) Yêu cầu các sở ..."; a section ("I. Về tình hình ...") may run longer
            if ((block.heading or block.marker_type) and self.cues["non_task_section"].match(heading_text)
                    and len(heading_text.split()) <= (16 if block.heading or block.marker_type == "roman" else 8)):
                contexts[idx] = _Context(skip=True)
                continue
            contexts[idx] = self._block_tasks(idx, block, ctx, has_children, closing_after, blocks, tasks, task_blocks)
        return tasks

    def _block_tasks(self, idx: int, block: Block, ctx: _Context, has_children: set[int], closing_after: int,
                     blocks: list[Block], tasks: list[Task], task_blocks: list[int]) -> _Context:
        """Add the tasks of one paragraph or item; return what it hands down to the items under it."""
        own = _Context(lead=ctx.lead, support=ctx.support, deadline=ctx.deadline, skip=ctx.skip)
        previous: _Passage | None = None
        # a plain line right after a bullet, with no blank line between, goes on with that bullet
        # ("- Chú trọng duy tu các dự án .\nĐẩy nhanh tiến độ giải ngân ...", "- ... .\nHoàn thành trong quý II .")
        continues = (block.marker_type is None and not block.heading and not block.follows_break and idx > 0
                     and blocks[idx - 1].marker_type in {"dash", "plus"} and blocks[idx - 1].table_row is None
                     and bool(task_blocks) and task_blocks[-1] == idx - 1 and idx not in has_children)
        # a hard-wrapped paragraph whose next sentence happened to open a line runs on with the same lead
        runs_on = (block.wrapped and block.marker_type is None and not block.heading and not block.follows_break
                   and idx > 0 and not blocks[idx - 1].heading
                   and blocks[idx - 1].table_row is None and bool(task_blocks) and task_blocks[-1] == idx - 1
                   and idx not in has_children)
        if continues or runs_on:
            last = tasks[-1]
            previous = _Passage(last.span.start, last.span.end, last.lead, last.support, True)
        # a block that runs on from the letterhead ("Số: ...\nHà Nội, ngày ...\nBộ trưởng giao ...") starts after it
        passages = self._split_turns(
            self._rejoin_name_lists(_passages(self.atext, max(block.body_start, self.body_start), block.end)))
        group_deadline = self._inline_list_deadline(passages) or ctx.deadline
        passages = self._split_list_report(passages)
        introduced = idx in has_children and self._introduces(*passages[-1], block.end) if passages else False
        first_task = len(tasks)  # where this block's tasks start
        for n, (s, e) in enumerate(passages):
            lead, support, explicit = self._roles(s, e)
            is_intro = introduced and n == len(passages) - 1
            if introduced and not is_intro and not self.cues["assign_anywhere"].search(self.atext, s, e):
                continue  # the sentences leading up to "... như sau:" set the scene
            if is_intro and not ctx.skip and self.cues["contents_intro"].search(self.atext, s, e):
                own = _Context(skip=True)  # the items are what the asked-for data hold: this passage is the task
            elif is_intro or (block.heading and idx in has_children):
                own = self._intro_context(s, e, lead, support, previous, ctx)
                if is_intro and not ctx.skip and not own.skip:
                    self._intro_task(s, e, idx, tasks, task_blocks)
                continue
            if ctx.skip:
                continue
            label = self._agency_label(s, e)
            if label:  # "Bộ Tài chính: (i) ...; (ii) ..." names the lead of the items after it
                previous = _Passage(s, e, label)
                continue
            if self._not_a_task(s, e) and not (
                    (explicit or (ctx.lead and self._basis_then_verb(s, e))) and _BASIS.match(self.atext, s, e)):
                previous = None  # "Căn cứ nội dung Kế hoạch, các sở xây dựng ..." still assigns
                continue
            if explicit and self._records_agreement(s, e, lead):
                continue  # "Các Bộ, cơ quan thống nhất chỉ có một cơ quan chủ trì" says what was agreed
            if explicit and self._announces_assignment(s, e, lead):
                continue  # "Chính phủ sẽ phân công nhiệm vụ các bộ ...": the assignment is yet to come
            if self.cues["deadline_statement"].match(self.atext[s:e]):
                alone = continues and not self._list_of_items(idx - 1, blocks)
                self._apply_group_deadline(self._deadline(s, e), idx, blocks, tasks, task_blocks, alone)
                continue
            if lead and idx > closing_after and tasks and all(name.lower() in self.all_assignees for name in lead):
                # the closing call on "các cơ quan, đơn vị": the letter's addressees; on those "được giao nhiệm vụ",
                # or without a full list of addressees, every agency assigned so far
                addressed = self._addressees if None not in self._addressees else {}
                if not addressed or self.cues["given_work"].search(self.atext, s, e):
                    lead = self._assigned_so_far(tasks)
                else:
                    lead = tuple(n for n in addressed if n is not None)
            if not lead and self._statement(s, e):
                continue  # "Xây dựng chính phủ số là bước đi ...": says what something is, asks nothing
            passage = _Passage(s, e, lead, support, explicit)
            if not lead:
                # the lead carries on to the next items; supporters named with another item stay there,
                # those a heading names help with every item under it
                if previous and previous.lead:
                    passage.lead = previous.lead
                    if ":" in self.atext[previous.end : s]:  # "X chủ trì, phối hợp với Y, cụ thể: (i) ..."
                        passage.shared_support = previous.support
                    else:
                        passage.shared_support = previous.shared_support
                    passage.support = support or passage.shared_support
                else:
                    passage.lead, passage.support = ctx.lead, support or ctx.support
                if not passage.lead and tasks and self.cues["anaphora"].match(self.atext[s:e]):
                    passage.lead = tasks[-1].lead  # "Các đơn vị ..." are the ones just named
                if not passage.lead and tasks and block.marker_type is None and self._demands_of_addressee(s, e):
                    passage.lead = tasks[-1].lead  # "Phó Thủ tướng yêu cầu tổng kết ...": the one addressed so far
            if not passage.lead:
                continue
            gap = self.atext[previous.end : s] if previous is not None else ""
            if (not lead and previous is not None and task_blocks and task_blocks[-1] in (idx, idx - 1)
                    and (block.marker_type is not None
                         or (continues and not self.cues["assign_anywhere"].search(self.atext, s, e)))
                    and gap.strip()[:1] == "." and not _ENDS_ENUMERATOR.search(gap)
                    and not self.cues["recurring"].match(self.atext[s:e])):
                # a bullet goes on with a sentence of its own: still the same bullet's task,
                # unless an inline enumerator opens the next item ("... 2023; (ii) Chủ trì ...") or the
                # sentence sets a recurring duty ("Hằng năm báo cáo ...")
                if (first_task < len(tasks) - 1 and task_blocks[first_task] == idx
                        and set(tasks[first_task].lead) != set(tasks[-1].lead) and self._handed_over(tasks[-1])):
                    # "- UBND tỉnh rà soát ... . Giao Ban Quản lý X yêu cầu ... . Có chế tài xử lý ...": after
                    # handing one piece on, the bullet's own subject goes on acting, in a task of its own
                    passage.lead, passage.support = tasks[first_task].lead, support
                else:
                    tasks[-1] = self._extend(tasks[-1], e)
                    previous = replace(previous, end=e)
                    continue
            if (previous is not None and task_blocks and task_blocks[-1] == idx and gap.strip()[:1] == "."
                    and tasks[-1].span.end == previous.end and self._goes_on_with(s, e, lead, tasks[-1])):
                tasks[-1] = self._extend(tasks[-1], e)  # "... . Việc báo cáo ... bắt đầu từ tháng 9 năm 2019."
                previous = replace(previous, end=e)
                continue
            deadline = self._passage_deadline(s, e, passage.lead) or group_deadline
            tasks.append(
                Task(
                    quote=squash(self.text[s:e]),
                    span=Span(s, e),
                    lead=passage.lead,
                    support=tuple(n for n in passage.support if n not in passage.lead),  # one role each
                    deadline=self._as_deadline(deadline),
                    confidence=0.85 if explicit else 0.6,
                )
            )
            task_blocks.append(idx)
            previous = passage
        if (idx in has_children and not introduced and not block.heading and previous is not None
                and previous.explicit and task_blocks and task_blocks[-1] == idx
                and idx not in self._other_parents):
            # "- Bộ Y tế chủ trì ... .\n  + ...\n  + ...": the sub-items spell out the work of the item above
            own = replace(own, lead=previous.lead, support=previous.shared_support)
        return own

    def _add_addressees(self, block: Block) -> None:
        """Note the agencies of one line of the "Kính gửi:" list; a line that names none the registry knows
        ("Các cơ quan tham mưu ... thuộc Bộ") leaves the list incomplete. A body after "thuộc" or "của" only says
        whose units are meant ("Các đơn vị sự nghiệp trực thuộc UBND Thành phố")."""
        named = [m for m in self._mentions_in(block.body_start, block.end) if m.kind != "person"
                 and not self.cues["possessor_before"].search(self.atext, max(block.body_start, m.start - 12), m.start)]
        self._addressees.update(dict.fromkeys(self._names(named) if named else (None,)))

    def _demands_of_addressee(self, s: int, e: int) -> bool:
        """A leader who opens the passage and asks for work without naming who is to do it ("Phó Thủ tướng yêu cầu
        tổng kết việc thí điểm ..."): the work is the agency's the leader has been addressing."""
        mentions = self._mentions_in(s, e)
        if not mentions or mentions[0].kind != "person" or self.atext[s : mentions[0].start].strip(" *\"'-"):
            return False
        cue = self.cues["leader_demand"].match(self.atext, mentions[0].end, e)
        return cue is not None and not any(m.start - cue.end() <= 1 for m in mentions[1:] if m.start >= cue.end())

    def _goes_on_with(self, s: int, e: int, lead: tuple[str, ...], task: Task) -> bool:
        """Whether a sentence says more about the task just before it in the same paragraph: it names the task's
        work again as its subject ("Việc báo cáo Chính phủ ... bắt đầu từ tháng 9" after "... báo cáo Chính phủ
        ..."), or sets a condition on what the same lead does ("Trường hợp ..., Bộ X kịp thời tổng hợp ...")."""
        if not lead:
            back = self.cues["work_named_again"].match(self.atext, s, e)
            if back is None:
                return False
            work = " ".join(back.group(1).lower().split())
            return work in " ".join(self.atext[task.span.start : task.span.end].lower().split())
        if set(lead) != set(task.lead):
            return False
        # "Trường hợp có vướng mắc, đề nghị các cơ quan, đơn vị báo cáo ...": asked again, a request of its own
        named = self._lead_mentions(s, e, lead)
        if not named or self.cues["assign_anywhere"].search(self.atext, s, named[0].start):
            return False
        # "Chuyển nhiệm vụ ... sang Bộ X đảm nhiệm. Bộ X có trách nhiệm tiếp nhận ...": the one just handed the work
        # goes on to say what it owes for it
        return bool(self.cues["condition"].match(self.atext, s, e)) or self._handed_over(task)

    def _handed_over(self, task: Task) -> bool:
        """Whether a task's lead was handed the work by a cue before it ("giao Bộ X", "chuyển nhiệm vụ ... sang Bộ X")
        rather than named as the subject that acts."""
        s, e = task.span.start, task.span.end
        named = self._lead_mentions(s, e, task.lead)
        if not named:
            return False
        before = self.atext[s : named[0].start]
        return bool(self.cues["assign"].search(before[-40:]) or (
            self.cues["transfer"].search(before) and self.cues["transfer_to"].search(before[-12:])))

    def _announces_assignment(self, s: int, e: int, lead: tuple[str, ...]) -> bool:
        """Whether the lead only announces that it will hand the work out ("Chính phủ sẽ phân công nhiệm vụ các bộ,
        cơ quan xây dựng kế hoạch ..."): who is to do it is not decided yet."""
        named = self._lead_mentions(s, e, lead)
        if not named:
            return False
        if self.cues["announced_assignment"].match(self.atext, named[-1].end, e):
            return True  # "Chính phủ sẽ phân công nhiệm vụ ..."
        # "Ủy ban nhân dân tỉnh sẽ giao các sở, ngành rà soát ...": the lead found is the one to be given the work
        before = self.cues["announced_assignment"].search(self.atext, max(s, named[0].start - 40), named[0].start)
        return before is not None and not self.atext[before.end() : named[0].start].strip(" ,:")

    def _records_agreement(self, s: int, e: int, lead: tuple[str, ...]) -> bool:
        """Whether the lead's verb is one of agreement with no work after it: "Các Bộ, cơ quan thống nhất chỉ có
        một cơ quan chủ trì" reports a consensus; "các địa phương thống nhất thực hiện ..." still orders work."""
        named = self._lead_mentions(s, e, lead)
        return bool(named) and bool(self.cues["agreement"].match(self.atext, named[-1].end, e))

    def _extend(self, task: Task, end: int) -> Task:
        """The task with its quote running on to ``end``; a deadline stated further on counts too."""
        start = task.span.start
        deadline = task.deadline or self._as_deadline(self._deadline(start, end))
        return replace(task, quote=squash(self.text[start:end]), span=Span(start, end), deadline=deadline)

    def _list_of_items(self, idx: int, blocks: list[Block]) -> bool:
        """Whether the bullet at idx closes a list whose items run on with ";" ("- Lập danh sách ...;\n- Niêm yết
        ... ."): a deadline stated after it is the list's, not the last item's."""
        k = idx - 1
        while k >= 0 and blocks[k].marker_type == blocks[idx].marker_type and blocks[k].parent == blocks[idx].parent:
            if self.atext[blocks[k].start : blocks[k].end].rstrip(" *").endswith(";"):
                return True
            k -= 1
        return False

    def _apply_group_deadline(self, match: DeadlineMatch | None, idx: int, blocks: list[Block],
                              tasks: list[Task], task_blocks: list[int], continues: bool = False) -> None:
        """Give a stated deadline to the tasks of the group it closes that have none, or only an undated
        one ("ngay sau khi Luật ... ban hành" yields to "Thời hạn hoàn thành trong tháng 6 năm 2023").

        The group is the enclosing numbered item or introduction; bullets are its members.
        """
        if match is None or not tasks:
            return
        if continues:  # a line going on with the bullet just before: that bullet's task alone
            members = [len(tasks) - 1]
        elif task_blocks[-1] == idx:  # a sentence after the task in the same paragraph: that task alone
            members = [n for n in range(len(tasks)) if task_blocks[n] == idx]
        else:
            group = blocks[idx].parent
            while group is not None and blocks[group].marker_type in {"dash", "plus"}:
                group = blocks[group].parent
            if group is None:  # nothing encloses it: it closes the task just before
                members = [len(tasks) - 1]
            else:
                members = [n for n in range(len(tasks)) if self._descends(task_blocks[n], group, blocks)]
        stated = to_deadline(match)
        for n in members:
            own = tasks[n].deadline
            if own is None or (own.date is None and own.recurrence is None and stated.date is not None):
                tasks[n] = replace(tasks[n], deadline=stated)

    def _basis_then_verb(self, s: int, e: int) -> bool:
        """ "Căn cứ tình hình thực tiễn trên địa bàn, chủ động quyết định ...": after the basis a clause opens with
        the verb of the work its heading's agency is to do."""
        imperative = self.cues["imperative"]
        return any(imperative.match(self.atext, s + m.end(), e) for m in _COMMA.finditer(self.atext[s:e]))

    def _trimmed(self, s: int, e: int) -> tuple[int, int]:
        """A span without the bold marks and spaces around it ("**- **Triển khai ..." quotes "Triển khai ...")."""
        while s < e and self.text[s] in " \t\n*":
            s += 1
        while e > s and self.text[e - 1] in " \t\n*":
            e -= 1
        return s, e

    def _field_quote(self, row: dict[str, tuple[int, int]]) -> tuple[int, int]:
        """What a labelled item asks: its "Nội dung thực hiện:" line, else the item's own title."""
        return row.get("content_label", row["content"])

    def _is_sentence(self, s: int, e: int) -> bool:
        """A field value that says more than agency names: "Sở Nội vụ chủ trì tham mưu ..."."""
        mentions = self._mentions_in(s, e)
        rest = self.atext[mentions[-1].end : e] if mentions else self.atext[s:e]
        return len(rest.split()) >= 6

    @staticmethod
    def _descends(idx: int, ancestor: int | None, blocks: list[Block]) -> bool:
        parent = blocks[idx].parent
        while parent is not None:
            if parent == ancestor:
                return True
            parent = blocks[parent].parent
        return False

    def _inline_list_deadline(self, passages: list[tuple[int, int]]) -> DeadlineMatch | None:
        """A deadline closing an inline enumerated list ("(i) ...; (ii) ...; báo cáo ... trong tháng 11")."""
        if len(passages) < 3 or not _LEADING_ENUMERATOR.search(self.atext, passages[-2][1], passages[-1][0]):
            return None
        s, e = passages[-1]
        tail = _LIST_TAIL.search(self.atext, s, e)
        return self._deadline(tail.start(), e) if tail else None

    def _split_list_report(self, passages: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The report that closes an inline enumerated list ("(i) ...; (ii) ...; báo cáo Thủ tướng Chính phủ kết quả
        thực hiện trong tháng 11") is on the whole list: a task of its own, not more of the last item."""
        if len(passages) < 3 or not _LEADING_ENUMERATOR.search(self.atext, passages[-2][1], passages[-1][0]):
            return passages
        s, e = passages[-1]
        tail = _LIST_TAIL.search(self.atext, s, e)
        if tail is None:
            return passages
        start = tail.start() + 1
        while start < e and self.atext[start] in " \t\n":
            start += 1
        if not self.cues["list_report"].match(self.atext, start, e):
            return passages
        cut = tail.start()
        while cut > s and self.atext[cut - 1] in _TRAILING:
            cut -= 1
        return [*passages[:-1], (s, cut), (start, e)]

    def _in_body(self, blocks: list[Block]) -> list[bool]:
        """Which blocks (tables aside) are the body's: after the letterhead, up to the distribution list or a
        news page's byline, and again in a plan or regulation sent with this one, from its note ("KẾ HOẠCH ...
        (Kèm theo Quyết định số ...)") on."""
        inside, ended = [], False
        for idx, block in enumerate(blocks):
            if block.table_row is not None or block.end <= self.body_start:
                inside.append(False)
            elif ended:
                ended = not (self.cues["attached_note"].match(self.atext, block.body_start, block.end)
                             and any(self.cues["attached_title"].match(self.atext, b.start, b.end)
                                     for b in blocks[max(0, idx - 3) : idx]))
                inside.append(False)
            else:
                ended = self._ends_body(block)
                inside.append(not ended)
        return inside

    @staticmethod
    def _last_numbered_block(blocks: list[Block], body: list[bool]) -> int:
        last = -1
        for idx, block in enumerate(blocks):
            if body[idx] and block.marker_type is not None and block.marker_type not in {"dash", "plus"}:
                last = idx
        return last

    @staticmethod
    def _assigned_so_far(tasks: list[Task]) -> tuple[str, ...]:
        """Every agency named to lead or support the tasks so far (collectives aside)."""
        seen: dict[str, None] = {}
        for task in tasks:
            for name in (*task.lead, *task.support):
                if not name.startswith("các "):
                    seen.setdefault(name, None)
        return tuple(seen)

    def _continues_basis(self, blocks: list[Block], idx: int) -> bool:
        """A legal basis ("Căn cứ Quyết định số ... về ban hành Quy định ... thuộc Ủy ban nhân dân Thành phố")
        that a blank line broke before its sentence ended goes on in this unnumbered block."""
        block = blocks[idx]
        if block.marker_type is not None or block.heading:
            return False
        while idx > 0:
            idx -= 1
            before = blocks[idx]
            if before.table_row is not None or before.marker_type is not None or before.heading:
                return False
            body = self.atext[before.body_start : before.end].rstrip(" *")
            if body[-1:] in TERMINAL:
                return False
            if _BASIS.match(body):
                return True
        return False

    def _ends_body(self, block: Block) -> bool:
        """The distribution list ("Nơi nhận:") or a news page's byline and related links end the body."""
        if self.cues["end"].match(self.atext[block.body_start : block.body_start + 40]):
            return True
        first_line = self.atext[block.start : block.end].split("\n", 1)[0].strip()
        return block.marker_type is None and bool(self.cues["byline"].fullmatch(first_line))

    def _intro_task(self, s: int, e: int, idx: int, tasks: list[Task], task_blocks: list[int]) -> None:
        """An introduction that assigns work of its own before it turns to the items: "giao Văn phòng Chính phủ
        chủ trì trình dự thảo Quyết định ..., với những nội dung cụ thể sau:" is a task up to that last clause."""
        tail = self.cues["intro_tail"].search(self.atext, s, e)
        if tail is None:
            return
        cut = tail.start()
        while cut > s and self.atext[cut - 1] in _TRAILING:
            cut -= 1
        lead, support, explicit = self._roles(s, cut)
        if not explicit or self._not_a_task(s, cut):
            return
        named = self._lead_mentions(s, cut, lead)
        if not named or len(self.atext[named[-1].end : cut].split()) < 6:
            return  # "Bộ trưởng yêu cầu các đơn vị, đồng thời lưu ý những việc sau:" names no work of its own
        tasks.append(Task(quote=squash(self.text[s:cut]), span=Span(s, cut), lead=lead, support=support,
                          deadline=self._as_deadline(self._passage_deadline(s, cut, lead)), confidence=0.6))
        task_blocks.append(idx)

    def _intro_context(self, s: int, e: int, lead, support, previous: _Passage | None, ctx: _Context) -> _Context:
        """What an introducing passage or heading hands down to the items under it."""
        passage = self.atext[s:e]
        if self.cues["addressees"].search(passage + ":"):
            return _Context(skip=True, addressees=True)
        if ctx.skip:
            return _Context(skip=True)
        deadline = self._deadline(s, e)
        mentions = [m for m in self._mentions_in(s, e) if m.kind != "person"]
        if deadline and mentions and deadline.start < mentions[0].start:
            deadline = None  # "Để bảo đảm an toàn trong năm 2026, Ủy ban nhân dân tỉnh yêu cầu:" sets the scene
        if deadline and self.cues["framing"].match(passage):
            cues = [m.end() for m in self.cues["assign_anywhere"].finditer(self.atext, s, e)]
            if not cues or deadline.start < cues[-1]:
                deadline = None  # a year in the purpose clause ("Để ..., đặc biệt trong năm 2010, ... yêu cầu:")
        if deadline and deadline.date and self.doc_date and deadline.date < self.doc_date:
            deadline = None  # "Trong tháng 6/2022, các lĩnh vực có nhiều hoạt động nổi bật:" reports a past period
        deadline = deadline or ctx.deadline
        if lead:
            if self._issues_document(s, e, lead):
                return _Context(deadline=deadline)
            lead = self._handed_on(s, e, lead) or lead
            if self.issuer and all(self.cues["own_units"].search(name) for name in lead):
                lead = (self.issuer,)  # "Bộ trưởng yêu cầu các đơn vị thuộc Bộ ... những nhiệm vụ sau:"
            return _Context(lead=lead, support=support, deadline=deadline)
        if previous and previous.lead:
            return _Context(lead=previous.lead, support=previous.support, deadline=deadline)
        heading_lead = self._heading_lead(s, e)
        if heading_lead:
            return _Context(lead=heading_lead, deadline=deadline)
        return _Context(lead=ctx.lead, support=ctx.support, deadline=deadline)

    def _lead_mentions(self, s: int, e: int, lead: tuple[str, ...]) -> list[AgencyMention]:
        return [m for m in self._mentions_in(s, e) if set(m.names) & set(lead)]

    def _issues_document(self, s: int, e: int, lead: tuple[str, ...]) -> bool:
        """ "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:" issues the document; it assigns nothing.

        The issuing verb follows the lead where it acts, after any frame ("Theo đề nghị của Sở X, Chủ tịch
        UBND tỉnh ban hành ..."; not "Căn cứ Quyết định của Bộ trưởng Bộ X ban hành ..., Bộ X hướng dẫn").
        """
        named = self._lead_mentions(s, e, lead)
        if self.cues["framing"].match(self.atext[s:e]):
            named = named[-1:]  # the frame may cite the lead's own act
        return any(self.cues["issuing"].match(self.atext, m.end, min(e, m.end + 40)) for m in named)

    def _handed_on(self, s: int, e: int, lead: tuple[str, ...]) -> tuple[str, ...]:
        """The agencies an introduction hands its items to: "Bộ X hướng dẫn các Sở Y thực hiện như sau:"."""
        named = self._lead_mentions(s, e, lead)
        if not named:
            return ()
        later = self._mentions_in(named[-1].end, e)
        if later and self.cues["handing_in_intro"].fullmatch(self.atext, named[-1].end, later[0].start):
            group, _ = self._group(later, 0, e)
            return self._names(group)
        return ()

    def _labelled_fields(self, blocks: list[Block]) -> _Fields:
        """Items followed by labelled lines ("- Cơ quan chủ trì: Sở Nội vụ", "- Thời gian thực hiện: ...").

        Such an item is a task like a table row; the labelled lines belong to it.
        """
        found = _Fields()
        owner: int | None = None
        labelled: list[tuple[int, int]] = []  # (label block, its owner)
        target_of: dict[int, int] = {}  # label block -> its owner
        item_lists: dict[int, int] = {}  # owner -> its bare content label ("a) Nhiệm vụ:" with the items below)
        for idx, block in enumerate(blocks):
            if block.table_row is not None:
                owner = None
                continue
            m = _LABEL.match(self.atext, block.body_start, block.end)
            role = column_role(m.group(1)) if m else None
            if m and role in {"lead", "support", "deadline", "content", "product"}:
                # several labels on one line: "Đơn vị chủ trì: Sở Nội vụ; đơn vị phối hợp: ...; thời hạn: ..."
                inline = [(r, x) for x in _INLINE_LABEL.finditer(self.atext, m.end(), block.end)
                          if (r := column_role(x.group(1))) in {"lead", "support", "deadline"}]
                if role == "lead" and self._is_sentence(m.end(), inline[0][1].start() if inline else block.end):
                    owner = idx  # "Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu ...; Sở Tư pháp ..." assigns as prose
                    continue
                target = block.parent if block.parent is not None else owner
                # "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: ..." and "- Đơn vị phối hợp: ...": the labels
                # under a bare label belong to that label's own item
                target = target_of.get(target, target) if target is not None else None
                if target is not None:
                    labelled.append((idx, target))
                    target_of[idx] = target
                    fields = [(role, m.end(), block.end)]
                    for inline_role, label in inline:
                        fields[-1] = (fields[-1][0], fields[-1][1], label.start())
                        fields.append((inline_role, label.end(), block.end))
                    for field_role, value_start, value_end in fields:
                        key = "content_label" if field_role == "content" else field_role
                        if self.atext[value_start:value_end].strip(" \n*.;:"):  # "- Nội dung:" with items below
                            found.rows.setdefault(target, {}).setdefault(key, (value_start, value_end))
                        elif field_role == "content":
                            item_lists.setdefault(target, idx)
                    continue
            owner = idx
        # without a lead the labels describe something else ("Thời hạn hoàn thành: ..." closing a list)
        found.rows = {k: v for k, v in found.rows.items() if "lead" in v}
        found.labels = {idx for idx, target in labelled if target in found.rows}
        for target, label in item_lists.items():
            if target in found.rows and "content_label" not in found.rows[target]:
                found.items[target] = [j for j in range(label + 1, len(blocks)) if blocks[j].parent == label]
                found.labels.update(found.items[target])
        return found

    def _introduces(self, s: int, e: int, block_end: int) -> bool:
        """The last passage of a block with items under it introduces them unless it ends a sentence:
        "... như sau:", a bare label ("2. Sở Tài chính"), a heading without a full stop."""
        tail = self.atext[e:block_end]
        return ":" in tail or "." not in tail or bool(self.cues["topic_heading"].match(self.atext, s, e))

    def _heading_lead(self, s: int, e: int) -> tuple[str, ...]:
        """A heading that names agencies ("2. Sở Tài chính", "Đối với các địa phương") gives them the items."""
        mentions = self._mentions_in(s, e)
        # "Đôn đốc các đơn vị ...:" names the verb's objects; "Chỉ đạo Sở X:" hands X the items below
        hands_on = self.cues["directing_intro"].match(self.atext, s, e)
        if mentions and (hands_on or not self.cues["imperative"].match(self.atext, s, e)):
            group, _ = self._group(mentions, 0, e)
            if len(self.atext[s : group[0].start].split()) <= 3:
                return self._names(group)
        actors = self.cues["actors_heading"].match(self.atext, s, e)
        # "Các chủ rừng là tổ chức (...)"; a place or an owner after the group adds no words to its kind
        if actors and len(self.cues["group_place"].split(actors.group(1), 1)[0].split()) <= 10:
            # "Các đơn vị cấp nước có trách nhiệm:": the role the heading gives is no part of the name
            role = self.cues["role_tail"].search(self.atext, actors.start(1), actors.end(1))
            return (self._as_written(actors.start(1), role.start() if role else actors.end(1)),)
        return ()

    def _agency_label(self, s: int, e: int) -> tuple[str, ...]:
        """The agencies a passage consists of, when it says nothing else ("Bộ Tài chính", "Ban Dân tộc tỉnh")."""
        mentions = self._mentions_in(s, e)
        if not mentions:
            return ()
        pos, rest = s, []
        for m in mentions:
            rest.append(self.atext[pos : m.start])
            pos = m.end
        rest.append(self.atext[pos:e])
        # what is left may be a person's name and title: "Đào Hồng Lan, Bộ trưởng Bộ Y tế"
        # (punctuation between the agencies is no word: "Đối với các Sở: A, B; UBND các huyện, thị xã X:")
        words = [w for w in " ".join(rest).split() if w[:1].isalnum() and not w[:1].isupper()]
        return self._names(mentions) if len(words) < 3 else ()

    def _statement(self, s: int, e: int) -> bool:
        """A passage whose verb is "là" and that asks for nothing ("Năm 2010 là năm ..."), or that foretells
        ("Năm 2010, kinh tế sẽ có những điều kiện thuận lợi hơn")."""
        copula = self.cues["copula"].match(self.atext, s, e)
        if not copula:
            head = self.atext[s : min(e, s + 300)]  # both patterns need their word early on: look for it first
            copula = (("sẽ" in head and self.cues["forecast"].match(self.atext, s, e))
                      or ("là" in head and self.cues["long_copula"].match(self.atext, s, e)))
            copula = copula and not self.cues["imperative"].match(self.atext, s, e)
        return bool(copula) and not self.cues["modal"].search(self.atext, s, e)

    def _not_a_task(self, s: int, e: int) -> bool:
        passage = self.atext[s:e]
        if len(passage.split()) < 4:
            return True
        if self.cues["opening"].match(passage):
            return True
        if passage.isupper():
            return True  # a title in capitals
        aside = passage.strip(" .;*\n")
        if aside[:1] == "(" and aside[-1:] == ")" and aside.count("(") == 1:
            return True  # "(Kế hoạch số 12/KH-UBND gửi kèm theo)": a note in brackets asks nothing
        if self.cues["narrative"].match(passage):
            return True  # "Ngày 29 tháng 11 năm 2025, Thủ tướng Chính phủ đã đi thị sát ..." tells what happened
        if self.cues["indicator"].match(passage) or self.cues["citation_opening"].match(passage):
            return True  # a target figure, or a cited document split off a list ("...; Nghị định số 116/...")
        # "Phát biểu kết luận, Bộ trưởng yêu cầu ...": a leader's closing speech frames the orders that follow
        speech = self.cues["speech_opening"].match(passage)
        after = speech.end() if speech else 0
        if self.cues["background"].search(passage, after, after + 160):
            return True
        if self._label_and_value(passage):
            return True
        colon = passage.rfind(":")
        if (colon > 0 and self._agency_label(s + colon + 1, e)
                and not self.cues["assign_anywhere"].search(passage, 0, colon)):
            return True  # "Thẩm quyền quyết định đánh giá: Thường trực Hội đồng nhân dân" says who holds a power
        # "Thứ hai, Ngành đã tranh thủ được ..." reports what was done; a passage that also asks ("đã ... nhưng
        # cần ...", "đề nghị") is still work
        return ((bool(self.cues["past"].search(passage[:60])) or self._subject_did(s, e))
                and not self.cues["imperative"].match(passage)
                and not self.cues["framing"].match(passage) and not self.cues["modal"].search(passage))

    def _label_and_value(self, passage: str) -> bool:
        """An entry of a list of values: a label of a few words, a colon, and a value that asks nothing (no verb,
        no modal): a figure ("Xăng E5RON92: 0 đồng/lít", "Cần Thơ: 93.600 triệu đồng") or a short name ("Nhà sản
        xuất: Công ty ABC"). "Về thể chế: hoàn thiện ..." and "Sở Y tế: rà soát ..." are work."""
        m = _LABEL_VALUE.fullmatch(passage)
        if not m or len(m["label"].split()) > 6 or self.cues["deadline_statement"].match(passage):
            return False  # "Thời hạn hoàn thành: trước ngày 15/5/2026" is the deadline of the items above
        value = m["value"]
        if not (value[:1].isdigit() or len(value.split()) <= 8):
            return False
        # the modal words only in the value: "Cần Thơ: 93.600 triệu đồng" names a city
        return not (_has_verb(m["label"]) or _has_verb(value) or self.cues["modal"].search(value))

    def _subject_did(self, s: int, e: int) -> bool:
        """A passage that opens with a long list of agencies whose verb is in the past: "Bộ Chính trị, Ban Bí thư,
        ..., Chính phủ đã tập trung chỉ đạo ..." tells what they did."""
        mentions = self._mentions_in(s, e)
        if not mentions or self.atext[s : mentions[0].start].strip(" *\"'-"):
            return False
        last = mentions[0]
        for m in mentions[1:]:
            if not (self.cues["group_gap"].fullmatch(self.atext, last.end, m.start)
                    or self.cues["apposition_gap"].fullmatch(self.atext, last.end, m.start)):
                break
            last = m
        if self.cues["past_at_start"].match(self.atext, last.end, min(e, last.end + 20)):
            return True
        # "các cấp ủy đảng, chính quyền, cả hệ thống chính trị ở địa phương ... đã nỗ lực": the subject goes on
        # in words the registry does not know, with no verb of its own before the past marker
        stretch = _CLAUSE_RUN.match(self.atext, last.end, min(e, last.end + 160))
        past = stretch and self.cues["past_at_start"].search(stretch.group())
        return bool(past) and not (_has_verb(stretch.group()[: past.start()])
                                   or self.cues["modal"].search(stretch.group(), 0, past.start()))

    def _row_task(self, row: dict[str, tuple[int, int]], quote: tuple[int, int], confidence: float) -> Task | None:
        """A task from cells or labelled fields: content, lead, support, deadline."""
        if "lead" not in row:
            return None
        lead = self._cell_agencies(row["lead"])
        if not lead:
            return None
        support: tuple[str, ...] = ()
        if len(lead) > 1:  # "Sở Nội vụ chủ trì, phối hợp với các sở, ngành" in one field: one leads, the rest help
            cell_lead, cell_support, _ = self._roles(*row["lead"])
            if cell_lead and cell_support:
                lead, support = cell_lead, tuple(n for n in lead if n not in cell_lead)
        if "support" in row:
            support += tuple(n for n in self._cell_agencies(row["support"]) if n not in support)
        deadline = None
        if "deadline" in row:
            ds, de = row["deadline"]
            match = parse_deadline(self._without_citations(ds, de), doc_date=self.doc_date, doc_year=self.doc_year)
            written = squash(self.text[ds:de]).strip(" .;,*")
            if match or len(written) > 3:  # a time column says when, even as "Theo Điều 17 Nghị định ..."
                deadline = Deadline(text=written, date=match.date if match else None,
                                    recurrence=match.recurrence if match else None, span=Span(ds, de))
        s, e = quote
        if not self.text[s:e].strip():
            return None
        return Task(quote=squash(self.text[s:e]), span=Span(s, e), lead=lead, support=support,
                    deadline=deadline, confidence=confidence)

    def _without_citations(self, s: int, e: int) -> str:
        """A cell's text with the documents it cites blanked out: the date of "Theo Nghị định số 52/2015/NĐ-CP
        ngày 28/5/2015" is that decree's, not a deadline."""
        cell = self.atext[s:e]
        for citation in find_citations(cell, doc_year=self.doc_year):
            start, end = citation.span.start, citation.span.end
            cell = cell[:start] + " " * (end - start) + cell[end:]
        return cell

    def _cell_agencies(self, span: tuple[int, int]) -> tuple[str, ...]:
        mentions = self._mentions_in(*span)
        if mentions:
            return self._names(mentions)
        text = squash(self.text[span[0] : span[1]]).strip(" .;,*")
        return (text,) if text else ()
