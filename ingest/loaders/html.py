"""HTML loader (.html, .htm) with BeautifulSoup.

``text`` is the visible text, built block by block (script/style/nav/head etc. removed):
h1-h6 -> heading, p/div text/dt/dd/blockquote -> paragraph, li -> list_item (nested lists
become their own items, never overlapping the parent), tr -> table_row (cells joined
" | "), pre -> code (whitespace kept). Blocks are separated by a blank line; consecutive
list items and table rows by a single newline. Offsets point into that text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from ingest.document import Block, BlockKind, LoaderError, ParsedDocument
from ingest.limits import read_capped

from .text import looks_binary

_SKIP = frozenset(
    "script style nav noscript template head title meta link iframe object embed svg canvas "
    "button select option textarea form input".split()
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
# Elements that start a new block (their inline content is flushed around them).
_BLOCKISH = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer header hgroup hr html li main menu ol p pre section "
    "summary table tbody td tfoot th thead tr ul h1 h2 h3 h4 h5 h6".split()
)
_LEAF_KIND = {"p": BlockKind.paragraph, "li": BlockKind.list_item, "dt": BlockKind.paragraph}
_NOT_TEXT = (Comment, Doctype, CData, Declaration, ProcessingInstruction)
_BR = "\ue000"
_WS_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def _parser() -> str:
    try:
        import lxml  # noqa: F401

        return "lxml"
    except ImportError:  # pragma: no cover
        return "html.parser"


def _clean_inline(raw: str) -> str:
    s = _WS_RE.sub(" ", raw)
    s = re.sub(rf" ?{_BR} ?", "\n", s)
    return s.strip()


class _Builder:
    def __init__(self) -> None:
        self.items: list[tuple[BlockKind, int, str]] = []  # kind, level, text
        self.buf: list[str] = []
        self.kind = BlockKind.paragraph
        self.level = 0

    def add(self, kind: BlockKind, level: int, text: str) -> None:
        if text:
            self.items.append((kind, level, text))

    def flush(self) -> None:
        if self.buf:
            self.add(self.kind, self.level, _clean_inline("".join(self.buf)))
            self.buf = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NOT_TEXT):
                    self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower() if child.name else ""
            if name in _SKIP or (name == "input" and child.get("type") == "hidden"):
                continue
            if name == "br":
                self.buf.append(_BR)
                continue
            if name not in _BLOCKISH:
                self.walk(child)  # inline element: its text joins the current block
                continue
            self.flush()
            if name == "tr":
                self.table_row(child)
            elif name == "pre":
                txt = child.get_text().strip("\n")
                if txt.strip():
                    self.add(BlockKind.code, 0, txt)
            elif name in _HEADINGS or name in _LEAF_KIND:
                outer = (self.kind, self.level)
                if name in _HEADINGS:
                    self.kind, self.level = BlockKind.heading, _HEADINGS[name]
                elif not (name == "p" and self.kind is BlockKind.list_item):
                    self.kind, self.level = _LEAF_KIND[name], 0
                self.walk(child)
                self.flush()
                self.kind, self.level = outer
            else:  # container: div, ul, table, section ... (its loose text is a paragraph)
                outer = (self.kind, self.level)
                if self.kind is not BlockKind.list_item or name in ("ul", "ol", "table", "dl"):
                    self.kind, self.level = BlockKind.paragraph, 0
                self.walk(child)
                self.flush()
                self.kind, self.level = outer

    def table_row(self, tr: Tag) -> None:
        cells = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            for skip in cell.find_all(list(_SKIP)):
                skip.decompose()
            cells.append(_clean_inline(cell.get_text(" ")))
        if any(cells):
            self.add(BlockKind.table_row, 0, " | ".join(cells).strip())


def parse_html(markup: bytes | str) -> ParsedDocument:
    soup = BeautifulSoup(markup, _parser())
    page_title = None
    if soup.title and soup.title.string:
        page_title = _clean_inline(soup.title.string) or None
    root = soup.body or soup
    b = _Builder()
    b.walk(root)
    b.flush()
    if not b.items:
        raise LoaderError("no text content")

    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    prev_kind: BlockKind | None = None
    for kind, level, txt in b.items:
        if parts:
            tight = kind is prev_kind and kind in (BlockKind.list_item, BlockKind.table_row)
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            pos += len(sep)
        blocks.append(Block(kind=kind, start=pos, end=pos + len(txt), level=level))
        parts.append(txt)
        pos += len(txt)
        prev_kind = kind
    text = "".join(parts)
    title = page_title
    if title is None:
        title = next(
            (text[x.start : x.end] for x in blocks if x.kind is BlockKind.heading and x.level == 1),
            None,
        )
    return ParsedDocument(text=text, blocks=blocks, title=title, format="html")


def load_html(path: Path) -> ParsedDocument:
    data = read_capped(path)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and looks_binary(data):
        raise LoaderError("binary content in an HTML file")
    return parse_html(data)
