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
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from .agencies import AgencyMention, AgencyRegistry
from .data_files import load_yaml
from .deadlines import DeadlineMatch, find_deadlines, parse_deadline
from .model import Deadline, Span, Task
from .normalize import squash
from .structure import Block

_UPPER = "A-ZĐÀ-ỸÂĂÊÔƠƯ"


@dataclass(slots=True)
class _Context:
    """What a heading or an introducing passage says about the items under it."""

    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    deadline: DeadlineMatch | None = None


@dataclass(slots=True)
class _Passage:
    start: int
    end: int
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    explicit: bool = False  # the lead was named in the passage itself
    mentions: list[AgencyMention] = field(default_factory=list)


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    data = load_yaml("cues.yaml")

    def alternation(key: str) -> str:
        words = sorted(data[key], key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)

    return {
        "assign": re.compile(rf"(?:^|[\s,;:(])(?:{alternation('assign_before')})\s*:?\s*$", re.I),
        "support": re.compile(rf"(?:{alternation('support_before')})\s*:?\s*$", re.I),
        "object_before": re.compile(rf"(?:^|\s)(?:{alternation('object_before')})\s*$", re.I),
        "object_after": re.compile(rf"^\s*(?:{alternation('object_after')})(?:\s|$)", re.I),
        "opening": re.compile(rf"^\W*(?:{alternation('not_a_task_openings')})", re.I),
        "background": re.compile(rf"(?:^|\s)(?:{alternation('background')})(?:\s|$)", re.I),
        "end": re.compile(rf"^\W*(?:{alternation('end_of_body')})", re.I),
    }


# A sentence ends at . ! ? before a capital; an item at ; before a capital or an enumerator.
_SPLIT = re.compile(
    rf"(?:(?<=[.!?])(?<!\bTP\.)(?<!\bTp\.)(?<!\bv\.v\.)[\"”']?\s+(?=[\"“(]?[{_UPPER}])"
    rf"|;\s*(?=[\"“]?[{_UPPER}]|\((?:\d{{1,2}}|[ivx]{{1,4}}|[a-zđ])\)\s))"
)
_TRAILING = " \t\n.;:,*/"


def _passages(atext: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _SPLIT.finditer(atext, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and atext[s] in " \t\n*":
            s += 1
        while e > s and atext[e - 1] in _TRAILING:
            e -= 1
        if e - s >= 3:
            trimmed.append((s, e))
    return trimmed


class TaskFinder:
    """Finds the tasks of one document; see the module docstring for the rules."""

    def __init__(self, text: str, atext: str, registry: AgencyRegistry, doc_date: date | None,
                 doc_year: int | None) -> None:
        self.text = text
        self.atext = atext
        self.registry = registry
        self.doc_date = doc_date
        self.doc_year = doc_year
        self.cues = _cues()
        self.mentions = registry.find(atext)
        self._starts = [m.start for m in self.mentions]

    # -- agencies -------------------------------------------------------------------------
    def _mentions_in(self, start: int, end: int) -> list[AgencyMention]:
        import bisect

        i = bisect.bisect_left(self._starts, start)
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
        while j < len(mentions):
            gap = self.atext[group[-1].end : mentions[j].start]
            if not re.fullmatch(r"[\s,;/]*(?:(?:và|cùng|hoặc)\s+)?(?:các\s+)?", gap, re.I):
                break
            group.append(mentions[j])
            j += 1
        return group, j

    @staticmethod
    def _names(group: list[AgencyMention]) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for m in group:
            for n in m.names:
                seen.setdefault(n, None)
        return tuple(seen)

    def _roles(self, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
        """(lead, support, explicit) named inside a passage."""
        mentions = [m for m in self._mentions_in(start, end) if m.kind != "person" or True]
        if not mentions:
            return (), (), False
        lead: tuple[str, ...] = ()
        lead_end = start
        i = 0
        while i < len(mentions):
            group, nxt = self._group(mentions, i, end)
            before = self.atext[start : group[0].start]
            after = self.atext[group[-1].end : min(end, group[-1].end + 30)]
            if all(m.kind == "person" for m in group):
                i = nxt
                continue
            if self.cues["support"].search(before[-40:]):
                i = nxt
                continue
            if self.cues["assign"].search(before[-40:]):
                lead, lead_end = self._names(group), group[-1].end
                break
            words_before = len(before.split())
            subject_position = words_before <= 12 and not self.cues["object_before"].search(before)
            if subject_position and not self.cues["object_after"].search(after):
                lead, lead_end = self._names(group), group[-1].end
                break
            i = nxt
        if not lead:
            return (), (), False
        support: tuple[str, ...] = ()
        rest = [m for m in mentions if m.start >= lead_end]
        for k, m in enumerate(rest):
            before = self.atext[lead_end : m.start]
            if self.cues["support"].search(before[-40:]) and len(before) < 400:
                group, _ = self._group(rest, k, end)
                support = tuple(n for n in self._names(group) if n not in lead)
                break
        return lead, support, True

    # -- deadlines ------------------------------------------------------------------------
    def _deadline(self, start: int, end: int) -> DeadlineMatch | None:
        found = find_deadlines(self.atext[start:end], doc_date=self.doc_date, doc_year=self.doc_year)
        if not found:
            return None
        dated = [d for d in found if d.date is not None]
        best = dated[0] if dated else found[0]
        return DeadlineMatch(
            start=best.start + start, end=best.end + start, text=self.text[best.start + start : best.end + start],
            date=best.date, recurrence=best.recurrence, kind=best.kind,
        )

    @staticmethod
    def _as_deadline(match: DeadlineMatch | None) -> Deadline | None:
        if match is None:
            return None
        return Deadline(text=squash(match.text), date=match.date, recurrence=match.recurrence,
                        span=Span(match.start, match.end))

    # -- the walk -------------------------------------------------------------------------
    def find(self, blocks: list[Block]) -> list[Task]:
        tasks: list[Task] = []
        contexts: dict[int, _Context] = {}
        has_children = {b.parent for b in blocks if b.parent is not None}
        body_ended = False
        for idx, block in enumerate(blocks):
            if block.table_row is not None:
                task = self._table_task(block)
                if task:
                    tasks.append(task)
                continue
            if body_ended:
                continue
            if self.cues["end"].match(self.atext, block.body_start):
                body_ended = True
                continue
            parent_ctx = contexts.get(block.parent) if block.parent is not None else None
            ctx = _Context() if parent_ctx is None else parent_ctx
            if block.heading and not block.marker_type and idx not in has_children:
                continue
            passages = _passages(self.atext, block.body_start, block.end)
            previous: _Passage | None = None
            own = _Context(lead=ctx.lead, support=ctx.support, deadline=ctx.deadline)
            for n, (s, e) in enumerate(passages):
                lead, support, explicit = self._roles(s, e)
                is_intro = idx in has_children and n == len(passages) - 1 and self._ends_with_colon(e, block.end)
                if is_intro or (block.heading and idx in has_children):
                    if lead:
                        own = _Context(lead=lead, support=support, deadline=self._deadline(s, e) or ctx.deadline)
                    elif previous and previous.lead:
                        own = _Context(lead=previous.lead, support=previous.support, deadline=ctx.deadline)
                    else:
                        heading_lead = self._heading_lead(s, e)
                        if heading_lead:
                            own = _Context(lead=heading_lead, deadline=self._deadline(s, e) or ctx.deadline)
                    continue
                if self._not_a_task(s, e):
                    previous = None
                    continue
                passage = _Passage(s, e, lead, support, explicit)
                if not lead:
                    if previous and previous.lead:
                        passage.lead, passage.support = previous.lead, previous.support
                    elif ctx.lead:
                        passage.lead, passage.support = ctx.lead, ctx.support
                if not passage.lead:
                    continue
                deadline = self._deadline(s, e) or ctx.deadline
                tasks.append(
                    Task(
                        quote=squash(self.text[s:e]),
                        span=Span(s, e),
                        lead=passage.lead,
                        support=passage.support,
                        deadline=self._as_deadline(deadline),
                        confidence=0.85 if explicit else 0.6,
                    )
                )
                previous = passage
            contexts[idx] = own
        return tasks

    def _ends_with_colon(self, e: int, block_end: int) -> bool:
        tail = self.atext[e:block_end]
        return ":" in tail

    def _heading_lead(self, s: int, e: int) -> tuple[str, ...]:
        """A heading that names agencies ("2. Sở Tài chính", "Đối với các địa phương") gives them the items."""
        mentions = self._mentions_in(s, e)
        if not mentions:
            return ()
        group, _ = self._group(mentions, 0, e)
        before = self.atext[s : group[0].start]
        if len(before.split()) <= 3:
            return self._names(group)
        return ()

    def _not_a_task(self, s: int, e: int) -> bool:
        passage = self.atext[s:e]
        if len(passage.split()) < 4:
            return True
        if self.cues["opening"].match(passage):
            return True
        letters = [c for c in passage if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
            return True  # a title in capitals
        return bool(self.cues["background"].search(passage[:160]))

    def _table_task(self, block: Block) -> Task | None:
        row = block.table_row or {}
        s, e = row["content"]
        if "lead" not in row:
            return None
        lead = self._cell_agencies(row["lead"])
        if not lead:
            return None
        support = tuple(n for n in self._cell_agencies(row["support"]) if n not in lead) if "support" in row else ()
        deadline = None
        if "deadline" in row:
            ds, de = row["deadline"]
            match = parse_deadline(self.atext[ds:de], doc_date=self.doc_date, doc_year=self.doc_year)
            if match:
                deadline = Deadline(text=squash(self.text[ds:de]), date=match.date,
                                    recurrence=match.recurrence, span=Span(ds, de))
        return Task(quote=squash(self.text[s:e]), span=Span(s, e), lead=lead, support=support,
                    deadline=deadline, confidence=0.8)

    def _cell_agencies(self, span: tuple[int, int]) -> tuple[str, ...]:
        mentions = self._mentions_in(*span)
        if mentions:
            return self._names(mentions)
        text = squash(self.text[span[0] : span[1]]).strip(" .;,*")
        return (text,) if text else ()
