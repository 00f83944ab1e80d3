"""A document's passages as blocks a template can print: headings, paragraphs and page marks,
with the cited quote marked. Pure functions over assistant.document_text; no HTML is built here
(the template escapes every piece)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.document_text import Passage

MAX_QUOTE_CHARS = 2000
_MD_OPEN = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_CLOSE = re.compile(r"\s+#+\s*$")
_TAG = re.compile(r"<[^<>]*>")


@dataclass
class Block:
    kind: str  # "heading" | "text" | "page"
    pieces: list[tuple[str, bool]] = field(default_factory=list)  # (text, inside the cited quote)
    level: int = 2  # for headings: 2..6 (the page's h1 is the document title)
    page: int | None = None  # for page marks

    @property
    def marked(self) -> bool:
        return any(marked for _, marked in self.pieces)


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` occurs in `text`: exactly, else with any run of whitespace matching any other
    (quotes are often shown on one line), else its longest part around an ellipsis."""
    quote = (quote or "").strip()[:MAX_QUOTE_CHARS]
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    for part in sorted(re.split(r"\s*(?:\u2026|\.\.\.)\s*", quote), key=len, reverse=True):
        words = part.split()
        if len(words) < 2 and len(part) < 12:
            continue
        m = re.search(r"\s+".join(map(re.escape, words)), text)
        if m:
            return m.start(), m.end()
    return None


def passage_blocks(passage: Passage, mark: tuple[int, int] | None = None, first_page: bool = False) -> list[Block]:
    """The passage as blocks; `mark` is a span of its text to highlight. A page mark opens the
    passage when `first_page` (its page differs from the one before) and at every page break inside."""
    blocks: list[Block] = []
    if first_page and passage.page_start is not None:
        blocks.append(Block("page", page=passage.page_start))
    breaks = sorted(b - passage.char_start for b in passage.page_breaks if passage.char_start < b < passage.char_end)
    levels = {_key(h): i for i, h in enumerate(passage.headings)}
    pos = 0
    for line in passage.text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        while breaks and breaks[0] <= start:
            blocks.append(Block("page", page=passage.page_at(passage.char_start + breaks.pop(0))))
        pieces = _pieces(line, start, mark)
        level = levels.get(_key(line)) if line.strip() and len(line) < 300 else None
        if level is not None:
            blocks.append(Block("heading", _without_markup(pieces), level=min(6, 2 + level)))
        elif blocks and blocks[-1].kind == "text":
            blocks[-1].pieces += pieces
        else:
            blocks.append(Block("text", pieces))
    return [_merged(b) for b in blocks if b.kind == "page" or any(t.strip() for t, _ in b.pieces)]


def _pieces(line: str, start: int, mark: tuple[int, int] | None) -> list[tuple[str, bool]]:
    if mark is None or mark[1] <= start or mark[0] >= start + len(line):
        return [(line, False)]
    a, b = max(mark[0] - start, 0), min(mark[1] - start, len(line))
    return [(t, m) for t, m in ((line[:a], False), (line[a:b], True), (line[b:], False)) if t]


def _without_markup(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    # A Markdown heading line shows as a heading, without its "## " and closing "#"s.
    pieces = [(t.strip(), m) for t, m in pieces if t.strip()]
    if pieces:
        pieces[0] = (_MD_OPEN.sub("", pieces[0][0]), pieces[0][1])
        pieces[-1] = (_MD_CLOSE.sub("", pieces[-1][0]), pieces[-1][1])
    return [(t, m) for t, m in pieces if t]


def _merged(block: Block) -> Block:
    # Neighbouring pieces with the same marking print as one run of text.
    out: list[tuple[str, bool]] = []
    for text, marked in block.pieces:
        if out and out[-1][1] == marked:
            out[-1] = (out[-1][0] + text, marked)
        else:
            out.append((text, marked))
    if block.kind == "text" and out:
        out[-1] = (out[-1][0].rstrip("\n"), out[-1][1])
        out[0] = (out[0][0].lstrip("\n"), out[0][1])
    block.pieces = out
    return block


def _key(line: str) -> str:
    """A heading line and a section path part compare by their words; tags are left out because
    ingest drops HTML tags from heading labels but the text keeps them."""
    text = _TAG.sub(" ", _MD_CLOSE.sub("", _MD_OPEN.sub("", line.strip())))
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))
