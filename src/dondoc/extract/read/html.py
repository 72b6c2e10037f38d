"""Web pages (.html, .htm): the article only, without menus, related news, comments and footers.

trafilatura finds the article; its XML is rendered here as the title, then one paragraph per line,
with tables as pipe rows like .docx tables. A plain lxml pass is the fallback when it finds nothing.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from dondoc.extract.read import failures

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"\s+")

# trafilatura's output elements that start a line of their own.
_BLOCKS = frozenset({"p", "head", "list", "item", "table", "quote", "code", "div", "body", "doc", "main"})

# Parts of a page that are never the article, for the fallback pass.
_BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
_FALLBACK_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote")


def decode_html(data: bytes) -> str:
    """A page's bytes as text: its byte-order mark, else UTF-8, else its declared charset, else cp1258."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass  # an unknown charset name: fall through
    return data.decode("cp1258", errors="replace")


def web_archive_page(data: bytes, origin: failures.Origin) -> bytes:
    """The web page inside a MIME web archive (.mht): Word's "single file web page", served as .doc."""
    archive = email.message_from_bytes(data, policy=email.policy.default)
    for part in archive.walk():
        if part.get_content_type() == "text/html":
            try:
                return part.get_content().encode("utf-8")
            except (LookupError, ValueError) as error:  # an unknown charset or a broken encoding
                raise failures.not_text(origin) from error
    raise failures.no_text(origin)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _inline_text(element: lxml.etree._Element) -> str:
    """An element's text with trafilatura's <lb/> line breaks kept as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _pipe_row(cells: list[str]) -> str | None:
    if not any(cells):
        return None
    return "| " + " | ".join(cells) + " |"


def _table_lines(table: lxml.etree._Element) -> Iterator[str]:
    for row in table.iter("row"):
        line = _pipe_row([_clean(" ".join(cell.itertext())) for cell in row if cell.tag == "cell"])
        if line:
            yield line


def _block_lines(element: lxml.etree._Element) -> Iterator[str]:
    if element.tag == "table":
        yield from _table_lines(element)
        return
    if not any(child.tag in _BLOCKS for child in element):
        for line in _inline_text(element).split("\n"):
            if cleaned := _clean(line):
                yield cleaned
        return
    # Mixed: loose text between blocks (an <item> before its nested <list>) is a line of its own.
    pending = [element.text or ""]
    for child in element:
        if child.tag in _BLOCKS:
            if cleaned := _clean("".join(pending)):
                yield cleaned
            pending = []
            yield from _block_lines(child)
        else:
            pending.append("\n" if child.tag == "lb" else _inline_text(child))
        pending.append(child.tail or "")
    if cleaned := _clean("".join(pending)):
        yield cleaned


def _fallback(markup: str) -> tuple[str | None, list[str]]:
    """Title and paragraphs by plain tag structure, for pages trafilatura finds no article in."""
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup))
    except (lxml.etree.ParserError, ValueError):
        return None, []
    title = _clean(root.findtext(".//title") or "") or None
    for junk in root.xpath("|".join(f"//{tag}" for tag in _BOILERPLATE_TAGS)):
        junk.drop_tree()
    lines: list[str] = []
    for element in root.iter(*_FALLBACK_BLOCKS):
        if element.tag == "tr":
            line = _pipe_row([_clean(cell.text_content()) for cell in element if cell.tag in ("td", "th")])
        elif any(a.tag in _FALLBACK_BLOCKS for a in element.iterancestors()):
            continue  # its text is already in the enclosing block's line
        else:
            line = _clean(element.text_content())
        if line:
            lines.append(line)
    if not lines:
        body = root.find("body")
        text = body.text_content() if body is not None else root.text_content()
        lines = [cleaned for raw in text.split("\n") if (cleaned := _clean(raw))]
    return title, lines


def read_html(data: bytes, origin: failures.Origin) -> str:
    """The page title on the first line, then the article's paragraphs and table rows, one per line."""
    markup = decode_html(data)
    title: str | None = None
    lines: list[str] = []
    import trafilatura  # a fifth of a second to import: only when a web page is read

    try:
        article = trafilatura.bare_extraction(
            markup, with_metadata=True, include_tables=True, include_comments=False, include_images=False
        )
    except Exception:  # trafilatura on hostile markup: the fallback still gets what it can
        article = None
    if article is not None and article.body is not None:
        title = _clean(article.title or "") or None
        lines = list(_block_lines(article.body))
    if not lines:
        fallback_title, lines = _fallback(markup)
        title = title or fallback_title
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n".join(lines)
