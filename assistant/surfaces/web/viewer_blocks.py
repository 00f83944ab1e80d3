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


_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")  # |---|:---:|
_PIPE = re.compile(r"(?<!\\)\|")  # a cell border; "\|" is a pipe inside a cell

Pieces = list[tuple[str, bool]]


@dataclass
class Block:
    kind: str  # "heading" | "text" | "page" | "table"
    pieces: Pieces = field(default_factory=list)  # (text, inside the cited quote)
    level: int = 2  # for headings: 2..6 (the page's h1 is the document title)
    page: int | None = None  # for page marks
    rows: list[list[Pieces]] = field(default_factory=list)  # for tables: the header row first, then the body

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
    pos, lines = 0, []
    for line in passage.text.splitlines(keepends=True):
        lines.append((pos, line))
        pos += len(line)
    table_until = -1  # the index of a Markdown table's last line while its lines are read
    for i, (start, line) in enumerate(lines):
        while breaks and breaks[0] <= start:
            blocks.append(Block("page", page=passage.page_at(passage.char_start + breaks.pop(0))))
        pieces = _pieces(line, start, mark)
        if i > table_until and _opens_table(lines, i):
            table_until = _table_end(lines, i)
            blocks.append(Block("table", rows=[]))
        if i <= table_until:
            if i != _header_delimiter(blocks[-1], i, lines):
                blocks[-1].rows.append(_cells(pieces))
                blocks[-1].pieces += pieces
            continue
        level = levels.get(_key(line)) if line.strip() and len(line) < 300 else None
        if level is not None:
            blocks.append(Block("heading", _without_markup(pieces), level=min(6, 2 + level)))
        elif blocks and blocks[-1].kind == "text":
            blocks[-1].pieces += pieces
        else:
            blocks.append(Block("text", pieces))
    return [_merged(b) for b in blocks if b.kind == "page" or any(t.strip() for t, _ in b.pieces)]


# -- Markdown tables (GFM): a row of cells, a delimiter row (|---|---|), then rows with pipes ----

def _row_like(line: str) -> bool:
    return "|" in line and bool(line.strip())


def _opens_table(lines: list[tuple[int, str]], i: int) -> bool:
    line = lines[i][1]
    return (_row_like(line) and not _DELIMITER.match(line) and i + 1 < len(lines) and bool(_DELIMITER.match(lines[i + 1][1]))
            and len(_PIPE.split(lines[i + 1][1].strip().strip("|"))) == len(_PIPE.split(line.strip().strip("|"))))


def _table_end(lines: list[tuple[int, str]], i: int) -> int:
    end = i + 1
    while end + 1 < len(lines) and _row_like(lines[end + 1][1]):
        end += 1
    return end


def _header_delimiter(block: Block, i: int, lines) -> int:
    """The index of the table's delimiter row (the second line), which is not shown."""
    return i if len(block.rows) == 1 and _DELIMITER.match(lines[i][1]) else -1


def _cells(pieces: Pieces) -> list[Pieces]:
    """A table line's pieces split at its cell borders (the outer pipes dropped, cells trimmed)."""
    cells: list[Pieces] = [[]]
    for text, marked in pieces:
        parts = _PIPE.split(text.rstrip("\n"))
        for n, part in enumerate(parts):
            if n:
                cells.append([])
            if part:
                cells[-1].append((part.replace("\\|", "|"), marked))
    if cells and not "".join(t for t, _ in cells[0]).strip():
        cells = cells[1:]
    if cells and not "".join(t for t, _ in cells[-1]).strip():
        cells = cells[:-1]
    return [_trimmed(c) for c in cells]


def _trimmed(cell: Pieces) -> Pieces:
    cell = [(t, m) for t, m in cell if t]
    if cell:
        cell[0] = (cell[0][0].lstrip(), cell[0][1])
        cell[-1] = (cell[-1][0].rstrip(), cell[-1][1])
    return [(t, m) for t, m in cell if t]


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
