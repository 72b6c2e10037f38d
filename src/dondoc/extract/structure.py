"""Structure: the read text as blocks — headings, numbered items, paragraphs, table rows.

Directives are written as outlines: "I." parts, "1." sections, "a)" items, "-" and "+"
bullets, often hard-wrapped at a fixed width by whoever converted them. This stage finds the
blocks (a wrapped paragraph is one block), their numbering and their nesting, and the rows of
task tables (Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành), keeping
every span in the read text. It reads the analysis text (same length, see normalize.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .data_files import load_yaml
from .normalize import fold

Span = tuple[int, int]

# Numbering styles, outermost first as they usually nest; the order only breaks ties.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"(?:Phần|PHẦN|Chương|CHƯƠNG)\s+[IVXLC\d]+[.:]?(?:\s|$)")),
    ("article", re.compile(r"(?:Điều|ĐIỀU)\s+\d{1,3}[.:](?:\s|$)")),
    # word-segmented text spaces its punctuation: "1 . ", "a ) "
    # "Ii." and "Iii." are II. and III. after a tool lower-cased all but the first letter
    ("roman", re.compile(r"(?:[IVX]{1,5}|I[iv]{1,3}|V[i]{1,3}) ?[.)](?:\s|$)")),
    ("arabic", re.compile(r"\d{1,2} ?[.)/](?:\s|$)")),
    ("decimal", re.compile(r"\d{1,2}(?:\.\d{1,2})+ ?\.?(?:\s|$)")),  # "1.1." sits under "1."
    ("letter", re.compile(r"(?:[a-zđ] ?[).]|\( ?[a-zđ] ?\))(?:\s|$)")),
    ("paren", re.compile(r"\( ?(?:\d{1,2}|[ivx]{1,5}) ?\)(?:\s|$)")),
    ("dash", re.compile(r"[-•·](?:\s|$)")),
    ("plus", re.compile(r"\+(?:\s|$)")),
)
# all of them in one pattern, tried in the same order: the first that matches names the marker (one call a line)
_MARKER = re.compile("|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in _MARKERS))
_RANK = {kind: rank for rank, (kind, _) in enumerate(_MARKERS)}
_LIST_LIKE = {"dash", "plus"}
# a line ending in one of these words is wrapped mid-phrase, however short it is
_JOINING_WORDS = {"và", "các", "của", "với", "cho", "tại", "về", "theo", "những", "trong", "để"}
TERMINAL = ".;:!?"  # what ends a sentence, an item or an introduction
# a line of leftover markup from a crawl ("<jsontable name=...> </jsontable>"): no text of the document
_MARKUP = re.compile(r"<[a-zA-Z/][^<>]*>(?:[^<>]*</?[a-zA-Z][^<>]*>)*\s*")


@dataclass(slots=True)
class Block:
    """A paragraph, heading or list item; spans point into the read text."""

    start: int
    end: int
    body_start: int  # after the numbering marker
    marker_type: str | None = None
    heading: bool = False  # bold, all caps, or a short line introducing what follows
    depth: int = 0
    parent: int | None = None  # index of the enclosing block
    table_row: dict[str, Span] | None = None  # role -> cell span, for task-table rows
    follows_break: bool = True  # a blank line, a table border or a marker precedes it
    wrapped: bool = False  # the text is hard-wrapped: a line start alone does not begin a paragraph

    @property
    def body(self) -> Span:
        return (self.body_start, self.end)


@dataclass(slots=True)
class _Line:
    start: int
    end: int  # without the newline
    text: str  # analysis text of the line, stripped
    pipe: bool = False
    cells: list[Span] = field(default_factory=list)
    bold_open: bool = False  # the line read starts in bold type ("**"): a heading
    bold_close: bool = False  # the line read ends by closing bold type ("**"): the end of a heading
    bold_toggles: bool = False  # the line read holds an odd number of "**": bold type goes on past its end


def _lines(atext: str, read_text: str | None = None) -> list[_Line]:
    out = []
    pos = 0
    # "**" became two spaces in the analysis text: only such lines need a look at the read text
    bold = read_text is not None and "**" in read_text
    for raw in atext.split("\n"):
        end = pos + len(raw)
        body = raw.lstrip()
        lead = len(raw) - len(body)
        stripped = body.rstrip()
        line = _Line(pos + lead, pos + lead + len(stripped), stripped)
        if bold:
            line.bold_open = lead >= 2 and _opens_in_bold(read_text[pos:end].lstrip())
            line.bold_close = raw.endswith("  ") and read_text[pos:end].rstrip().endswith("**")
            line.bold_toggles = read_text.count("**", pos, end) % 2 == 1
        if stripped == "|":
            line.pipe = True
        elif stripped.startswith("|") and stripped.count("|") >= 3:
            line.cells = _row_cells(atext, line.start, line.end)
        out.append(line)
        pos = end + 1
    return out


def _opens_in_bold(read_line: str) -> bool:
    """Whether a line starts in bold type that covers words: "**2. Về công tác ...**" does, "**2.** Giao Sở ..."
    (only the number in bold) does not."""
    if not read_line.startswith("**"):
        return False
    close = read_line.find("**", 2)
    return close == -1 or any(c.isalpha() for c in read_line[2:close])


def _row_cells(atext: str, start: int, end: int) -> list[Span]:
    """Cell spans of a markdown pipe row "| a | b |", trimmed."""
    cells = []
    bars = [i for i in range(start, end) if atext[i] == "|"]
    for a, b in itertools.pairwise(bars):
        s, e = a + 1, b
        while s < e and atext[s].isspace():
            s += 1
        while e > s and atext[e - 1].isspace():
            e -= 1
        cells.append((s, e))
    return cells


def _marker(text: str) -> tuple[str, int] | None:
    m = _MARKER.match(text)
    return (m.lastgroup, m.end()) if m else None


_WORD = re.compile(r"[^\W\d_]+")


def _is_heading_line(text: str) -> bool:
    """A line in capitals ("II. TỔ CHỨC THỰC HIỆN"): every cased character is upper case. One word alone is an
    abbreviation cut off by the line's wrap ("8. UBND" / "các xã, phường:"), not a heading: Vietnamese headings
    have two syllables at least."""
    return len(text) >= 4 and text.isupper() and len(_WORD.findall(text)) >= 2


class _TableRoles:
    """Which header cell means what: loaded from data/table_headers.yaml."""

    def __init__(self) -> None:
        data = load_yaml("table_headers.yaml")
        self.roles = [(role, [fold(w) for w in words]) for role, words in data["roles"].items()]
        self.whole_cell = set(data["whole_cell_roles"])

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance for the process; cells repeat across documents
    def role(self, cell_text: str) -> str | None:
        if len(cell_text) > 60:  # a header cell is a few words
            return None
        key = " ".join(fold(cell_text).replace("*", " ").split())
        for role, words in self.roles:
            if key in words if role in self.whole_cell else any(w in key for w in words):
                return role
        return None

    def header(self, texts: list[str]) -> list[str | None] | None:
        roles = [self.role(t) for t in texts]
        if "lead" in roles and "content" in roles:
            return roles
        return None


_ROLES: _TableRoles | None = None
_ROW_NUMBER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}\.?|[a-zđ]\)?)\s*$")


def _table_roles() -> _TableRoles:
    global _ROLES
    if _ROLES is None:
        _ROLES = _TableRoles()
    return _ROLES


def column_role(header_text: str) -> str | None:
    """The role a table header or a field label names: "Cơ quan chủ trì" → "lead"."""
    return _table_roles().role(header_text)


def _trim(atext: str, s: int, e: int) -> Span:
    while s < e and (atext[s].isspace()):
        s += 1
    while e > s and (atext[e - 1].isspace()):
        e -= 1
    return s, e


def _vertical_cells(lines: list[_Line], atext: str) -> list[tuple[int, Span, int]]:
    """Chunks between "|" lines (the crawled-table layout): (first line index, span, last line index)."""
    chunks: list[tuple[int, Span, int]] = []
    first = None
    for i, line in enumerate(lines):
        if line.pipe:
            if first is None:
                chunks.append((i, (line.start, line.start), i))
            else:
                chunks.append((first, _trim(atext, lines[first].start, lines[i - 1].end), i - 1))
            first = None
        elif first is None:
            first = i
    return chunks


def _task_rows(cells: list[Span], roles: list[str | None], atext: str) -> dict[str, Span] | None:
    row: dict[str, Span] = {}
    for role, span in zip(roles, cells, strict=False):
        if role and span[1] > span[0] and role not in row:
            row[role] = span
    return row if "content" in row else None


def split_blocks(atext: str, read_text: str | None = None) -> list[Block]:
    """Blocks of the document in order, with nesting (``parent``) and table rows.

    ``atext`` is the analysis text; the ``read_text``, when given, shows where bold type closes.
    """
    lines = _lines(atext, read_text)
    blocks: list[Block] = []
    in_table_lines = _find_vertical_tables(lines, atext, blocks)
    table_roles: list[list[str | None]] = []  # header of the markdown table being read
    width = _wrap_width(lines)
    current: Block | None = None
    current_caps = False  # the current block is a line in capitals
    prev_text = ""
    prev_bold = False
    heading_lines = 0  # lines since a bold heading opened at a line's start and did not close
    broken = True
    for i, line in enumerate(lines):
        if i in in_table_lines:
            current, broken = None, True
            continue
        if line.pipe or not line.text or (line.text[0] == "<" and _MARKUP.fullmatch(line.text)):
            current, broken = None, True
            continue
        if line.cells:
            current, broken = None, True
            _add_markdown_row(line, atext, blocks, table_roles)
            continue
        table_roles.clear()
        text, offset = line.text, line.start
        caps = _is_heading_line(text)
        marker = _marker(text)
        # a line that closes bold type ("**2. Về công tác ...**") ends its heading as a full stop would
        ends_terminal = prev_text[-1:] in TERMINAL or prev_bold if prev_text else True
        if ends_terminal and prev_text[-1:] == ";" and not prev_bold and width and len(prev_text) >= 0.85 * width:
            # a full-width line ending at a semicolon was wrapped mid-list ("các Bộ: Xây dựng; Y tế;\nTài chính
            # chủ trì ..."); the passages still part at that semicolon when a new item follows
            ends_terminal = marker is not None
        # a stray table cell ("| Nơi nhận:") or bold marks before the first word do not hide its capital
        first = text.lstrip("|*_ ")[:1]
        starts_upper = first.isupper() or first.isdigit() or first in "\"'(“"
        if marker and marker[0] in _LIST_LIKE and not ends_terminal:
            # After a line that ends mid-sentence a dash is a bullet only below a line short of the wrapping
            # width, starting a capitalised item: "... chính trị\n- xã hội" and "... Ninh Bình\n- Hải Phòng"
            # are wraps. Without hard wrapping every line is a paragraph of its own.
            after = text[marker[1] :]
            short = width is None or len(prev_text) < 0.7 * width
            if not (short and (after[:1].isupper() or after[:1].isdigit())):
                marker = None
        awaiting_body = current is not None and current.body_start >= current.end
        # a line well short of the wrapping width ended its paragraph: "6. Về Đề án X" + "Bộ Công an ..."
        short_before = width is not None and _ends_short_line(prev_text, width)
        # a bold heading opened at a line's start goes on until its bold type closes, for a line or two
        # ("**8. Giám đốc\nSở, Thủ trưởng ...**"); stray marks in crawled text must not hold a whole page
        in_heading = 0 < heading_lines <= 2
        new_block = not awaiting_body and (
            current is None
            or marker is not None
            or (ends_terminal and starts_upper and not in_heading)
            # a short numbered line is a heading ("6. Về Đề án X"); a bullet's is cut mid-phrase
            # ("- Phối hợp Bộ Chỉ huy" / "Quân sự tỉnh, ...")
            or (short_before and starts_upper and current.marker_type not in (None, "dash", "plus")
                and not in_heading)
            or (width is None and starts_upper and not in_heading)
            or caps != current_caps
            or line.bold_open
        )
        if new_block:
            body = offset + (marker[1] if marker else 0)
            current = Block(
                start=offset,
                end=line.end,
                body_start=body,
                marker_type=marker[0] if marker else None,
                heading=caps or line.bold_open,
                follows_break=broken or marker is not None,
                wrapped=width is not None,
            )
            blocks.append(current)
            current_caps = caps
        else:
            if awaiting_body:  # "1 ." alone on its line numbers the next one
                current.body_start = offset
                current.heading = current.heading or caps
            current.end = line.end
        broken = False
        prev_text = text
        prev_bold = line.bold_close
        if line.bold_open and line.bold_toggles:
            heading_lines = 1
        elif heading_lines:
            heading_lines = 0 if line.bold_toggles else heading_lines + 1
    blocks.sort(key=lambda b: b.start)
    for block in blocks:
        if block.table_row is None and not block.heading and _is_subtitle(atext, block):
            block.heading = True
    _finish(blocks, atext)
    return blocks


def _ends_short_line(prev_text: str, width: int) -> bool:
    """Whether a line well short of the wrapping width ended its paragraph ("6. Về Đề án X" before
    "Bộ Công an ..."), rather than being cut mid-phrase ("... (các", "... Sở Nội vụ, Sở")."""
    if len(prev_text) >= 0.5 * width or prev_text[-1:] in ",(-":
        return False  # most lines: no need to look at the last word
    last = prev_text.rsplit(None, 1)[-1]
    return (
        last.strip("(\"'").lower() not in _JOINING_WORDS
        and "(" not in last
        and not last[:1].isupper()
    )


def _is_subtitle(atext: str, block: Block) -> bool:
    """A short line standing alone between blank lines, with no closing punctuation: a news page's
    sub-heading ("Nhiệm vụ cụ thể trong từng lĩnh vực")."""
    text = atext[block.body_start : block.end].strip(" *")
    return (
        block.follows_break
        and block.marker_type is None
        and "\n" not in text
        and 3 <= len(text.split()) <= 12
        and text[:1].isupper()
        and text[-1:] not in TERMINAL + ",!?\"'”)"
        and atext[block.end : block.end + 2] in ("\n\n", "\n", "")
        and (block.end + 1 >= len(atext) or atext[block.end + 1 : block.end + 2] in ("\n", ""))
    )


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width the text was hard-wrapped at, or None when each line is a paragraph of its own."""
    texts = [line.text for line in lines if line.text and not line.pipe and not line.cells]
    lengths = sorted(len(text) for text in texts)
    if len(lengths) < 5:
        return None
    # wrapping cuts sentences mid-way, so many lines go on in lower case; a list of short lines does not
    if sum(text[0].islower() for text in texts) < 3:
        return None
    typical = lengths[len(lengths) * 3 // 4]
    return typical if typical <= 130 else None


_DELIMITER_CELL = re.compile(r":?-+:?")


def _add_markdown_row(line: _Line, atext: str, blocks: list[Block], table_roles: list) -> None:
    """A "| a | b |" row: a task-table header (remembered in ``table_roles``) or a task row."""
    texts = [atext[s:e] for s, e in line.cells]
    if all(_DELIMITER_CELL.fullmatch(t) for t in texts):  # "|---|:--:|" under the header
        return
    if texts and _is_table_end(texts[0]):  # the signature table after a task table
        table_roles.clear()
        return
    header = _table_roles().header(texts)
    if header is not None:
        table_roles[:] = [header]
        return
    if not table_roles or len(line.cells) < 2:
        return
    row = _task_rows(line.cells, table_roles[0], atext)
    if row:
        s, e = row["content"]
        blocks.append(Block(start=s, end=e, body_start=s, table_row=row))


def _find_vertical_tables(lines: list[_Line], atext: str, blocks: list[Block]) -> set[int]:
    """Rows of task tables in the crawled layout; returns the line indexes they cover."""
    chunks = _vertical_cells(lines, atext)
    covered: set[int] = set()
    roles_of = _table_roles()
    i = 0
    while i < len(chunks):
        # A header is a run of short non-empty chunks between empty ones that names a lead and a content column.
        j = i
        while j < len(chunks) and chunks[j][1][1] > chunks[j][1][0]:
            j += 1
        # the header is the run's tail of short cells, from its "STT" cell when it has one
        h = j
        while h > i:
            cell = atext[chunks[h - 1][1][0] : chunks[h - 1][1][1]]
            if len(cell) > 60:
                break
            h -= 1
            if roles_of.role(cell) == "number":  # what stands before "STT" is a caption
                break
        run = chunks[h:j]
        roles = roles_of.header([atext[s:e] for _, (s, e), _ in run]) if len(run) >= 3 else None
        if roles is None:
            i = j + 1
            continue
        k = j + 1
        has_number = roles[0] == "number"
        row: list[tuple[int, Span, int]] = []
        rows: list[list[tuple[int, Span, int]]] = []
        while k < len(chunks):
            first, span, last = chunks[k]
            text = atext[span[0] : span[1]]
            if roles_of.role(text) == "number" and _starts_header(chunks, k, atext, roles_of):
                break  # the next table's header ("STT | Nhiệm vụ | ..."): its rows take their own columns
            starts_row = (
                has_number
                and _ROW_NUMBER.match(text.replace("*", " "))
                # after an empty cell, or once the row has a cell for every column ("... | ….... | 2 | ...": the
                # last cell of a row, a dotted note, runs straight into the next row's number)
                and (not row or chunks[k - 1][1][1] == chunks[k - 1][1][0] or len(row) >= len(roles))
            )
            if starts_row or (not has_number and span[1] == span[0] and row):
                if row:
                    rows.append(row)
                row = [] if not starts_row else [chunks[k]]
            elif span[1] > span[0] or row:
                row.append(chunks[k])
            if _is_table_end(text):
                break
            k += 1
        if row:
            rows.append(row)
        for r in rows:
            cells = [span for _, span, _ in r]
            while cells and cells[-1][1] == cells[-1][0]:
                cells.pop()
            task = _task_rows(cells, roles, atext)
            if task:
                s, e = task["content"]
                blocks.append(Block(start=s, end=e, body_start=s, table_row=task))
            for first, _, last in r:
                covered.update(range(first, last + 1))
        for first, _, last in run:
            covered.update(range(first, last + 1))
        i = k
    return covered


def _starts_header(chunks: list[tuple[int, Span, int]], k: int, atext: str, roles_of: _TableRoles) -> bool:
    """Whether the cells from ``k`` to the next empty one are a task table's header."""
    texts = []
    while k < len(chunks) and chunks[k][1][1] > chunks[k][1][0] and len(texts) < 12:
        texts.append(atext[chunks[k][1][0] : chunks[k][1][1]])
        k += 1
    return len(texts) >= 3 and roles_of.header(texts) is not None


def _is_table_end(text: str) -> bool:
    return fold(text).startswith(("noi nhan", "tm.", "kt."))


def _finish(blocks: list[Block], atext: str) -> None:
    """Nesting: a marker style seen before closes back to it; a new one opens a level.

    Headings without numbering (bold lines) and paragraphs that end with ":" open a level
    for the plain paragraphs and items that follow them.
    """
    stack: list[tuple[str, int]] = []  # (marker type or "intro", block index)
    for idx, block in enumerate(blocks):
        if block.table_row is not None:
            block.parent = None
            block.depth = 0
            continue
        kind = block.marker_type
        if kind != "plus":  # a paragraph's "+" items end at the next other block
            para = next((n for n, (k, _) in enumerate(stack) if k == "para"), None)
            if para is not None:
                del stack[para:]
        if (kind == "plus" and idx > 0 and not any(k in _LIST_LIKE or k == "para" for k, _ in stack)
                and _plain(blocks[idx - 1], atext)):
            # "+" items under a plain paragraph ("- ... .\nDo đó, các chủ đầu tư cần ... .\n+ ...") spell it out
            stack.append(("para", idx - 1))
        if kind is not None:
            position = next((n for n, (k, _) in enumerate(stack) if k == kind), None)
            if position is not None:
                del stack[position:]
            else:
                rank = _rank(kind)
                while stack and stack[-1][0] not in ("intro", "para") and _rank(stack[-1][0]) > rank:
                    stack.pop()
            # an intro paragraph ("... như sau:") is closed by the next numbered sibling level
        elif block.heading:
            while stack and stack[-1][0] == "intro":
                stack.pop()
        else:
            # bullets run together: a plain paragraph after them is not inside the last bullet
            # (after "Kính gửi: - A; - B." the body starts, not a third addressee)
            while stack and stack[-1][0] in _LIST_LIKE:
                stack.pop()
        block.parent = stack[-1][1] if stack else None
        block.depth = len(stack)
        text = atext[block.start : block.end].rstrip(" *")
        if kind is not None or text.endswith(":") or block.heading:
            if kind is None:
                # an unnumbered heading or intro replaces a previous unnumbered one
                while stack and stack[-1][0] == "intro":
                    stack.pop()
                block.parent = stack[-1][1] if stack else None
                block.depth = len(stack)
                if text.endswith(":") or block.heading:
                    stack.append(("intro", idx))
            else:
                stack.append((kind, idx))


def _plain(block: Block, atext: str) -> bool:
    """A paragraph of running text: no numbering, no heading, not an introduction ending in ":"."""
    return (block.table_row is None and block.marker_type is None and not block.heading
            and not atext[block.start : block.end].rstrip(" *").endswith(":"))


def _rank(kind: str) -> int:
    return _RANK[kind]
