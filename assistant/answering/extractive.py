"""Answer units for the offline extractive answer: sentences, list items and table rows.

A unit keeps the *raw* span of the chunk text (what the citation quotes, so a quote always occurs
verbatim in its chunk) and a *display* form that reads as prose: Markdown markup removed, a table
row rendered with its column headers ("Severity: SEV-1; Update cadence: Every 30 minutes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.clauses import is_abbreviation

_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_SENT_OR_LINE_SPLIT = re.compile(_SENT_SPLIT.pattern + r"|\n+")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)]|\([a-z0-9]{1,3}\))\s+")
# A Markdown heading line (MULTILINE: answering also searches a passage for one).
MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s", re.MULTILINE)
_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`|^\s*>\s?", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_ATTR_LIST = re.compile(r"\{:[^{}\n]*\}")  # Markdown attribute lists: "[Zendesk](url){:target="_blank"}"
# MkDocs admonitions: a line `!!! tip "Title"` / `???+ note` opens a box (its body is indented).
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"([^"]*)"?)?\s*$')


@dataclass
class Unit:
    start: int  # offsets into the chunk text
    end: int
    raw: str
    display: str
    kind: str  # sentence | item | row


def clean(text: str) -> str:
    text = _ATTR_LIST.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    # A space before closing punctuation is never the author's: it is where markup was blanked
    # ("<span>Customer</span>, to assess" reads "Customer , to assess") or a line was wrapped.
    return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))


# A line with at least two '|' is a table row ("| SEV-1 | 15 minutes |"): one '|' is prose ("and/or | either").
ROW_PIPES = 2
# A header cell is a short label: a longer cell (or one ending a sentence, or holding a figure) is data.
HEADER_CELL_CHARS = 40
_SPACE_BEFORE_PUNCT = re.compile(r" ([,;:!?)\]]|\.(?!\w))")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [clean(c) for c in inner.split("|")]


def units(text: str, table_header: str = "") -> list[Unit]:
    """`table_header`: the header row of a table the text starts in the middle of (the chunker
    records it): the leading rows are labelled with it instead of guessing a header among them."""
    out: list[Unit] = []
    header: list[str] | None = None
    pos = 0
    lines = text.split("\n")
    first_line = next((x for x in lines if x.strip()), "")
    continued = bool(table_header) and first_line.strip().count("|") >= ROW_PIPES
    if continued:
        header = _cells(table_header)
    para_start, para_lines = None, []

    def flush_paragraph():
        nonlocal para_start, para_lines
        if para_start is None:
            return
        body = "\n".join(para_lines)
        for m_start, m_end in split_sentences(body):
            raw = body[m_start:m_end].strip()
            if raw:
                offset = para_start + m_start + (len(body[m_start:m_end]) - len(body[m_start:m_end].lstrip()))
                out.append(Unit(offset, offset + len(raw), raw, clean(raw), "sentence"))
        para_start, para_lines = None, []

    for i, line in enumerate(lines):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip()
        is_row = stripped.count("|") >= ROW_PIPES
        admonition = _ADMONITION.match(line)
        if admonition:
            # Its title is a label, not a sentence of the body; a title that asks ("Can a SEV-3 be
            # a major incident?") stays a unit so the answer after it can be found by it.
            flush_paragraph()
            title = (admonition.group(1) or "").strip()
            if title.endswith("?"):
                raw_start = line_start + (len(line) - len(line.lstrip()))
                out.append(Unit(raw_start, raw_start + len(stripped), stripped, title, "sentence"))
            continue
        if not stripped and _continues_after_gap(para_lines, lines, i):
            para_lines.append(line)  # a sentence cut by a page break (PDF furniture blanked)
            continue
        if not stripped or MARKDOWN_HEADING.match(line) or _TABLE_SEP.match(line):
            flush_paragraph()
            if not is_row:
                header = None if not stripped else header
            continue
        if is_row:
            flush_paragraph()
            cells = _cells(line)
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            prev = lines[i - 1].strip() if i > 0 else ""
            first_of_run = prev.count("|") < ROW_PIPES
            # Markdown marks its header row with a separator line; Word/HTML tables (cells joined
            # by " | ", no leading pipe) put the header first.
            # A chunk that starts mid-table begins with a *data* row: taking it for the header
            # dropped that row from the answer units and mislabelled every row after it, so a
            # Word/HTML first row counts as the header only when its cells read as labels.
            continues_table = continued and not out and first_of_run
            if _TABLE_SEP.match(nxt) or (first_of_run and not continues_table and not stripped.startswith("|")
                                         and i + 1 < len(lines) and nxt.count("|") >= 2 and _looks_like_header(cells)):
                header = cells
                continue
            if header and len(header) == len(cells):
                display = "; ".join(f"{h}: {c}" for h, c in zip(header, cells) if c)
            else:
                display = "; ".join(c for c in cells if c)
            raw_start = line_start + (len(line) - len(line.lstrip()))
            out.append(Unit(raw_start, raw_start + len(stripped), stripped, display, "row"))
            continue
        header = None
        if _LIST_ITEM.match(line) and not _wrapped_mid_sentence(para_lines, stripped):
            flush_paragraph()
            raw_start = line_start + (len(line) - len(line.lstrip()))
            out.extend(_item_units(stripped, raw_start))
            continue
        if para_start is None:
            para_start = line_start
        para_lines.append(line)
    flush_paragraph()
    return out


# A numbered line this long is a clause written on one line ("7. Term and Termination. 7.1 ...
# 7.2 Either Party may terminate..."), common in contracts saved as text: quoted whole it is a page
# of text, and one that ends on "...except:" read as a lead-in and was dropped with every fact in it.
LONG_ITEM_CHARS = 300


def _item_units(stripped: str, raw_start: int) -> list[Unit]:
    """A list item is one unit; a long one of several sentences is one unit per sentence (the
    first keeps the item's kind)."""
    spans = split_sentences(stripped) if len(stripped) > LONG_ITEM_CHARS else []
    if len(spans) < 2:
        return [Unit(raw_start, raw_start + len(stripped), stripped, clean(_LIST_ITEM.sub("", stripped)), "item")]
    out = []
    for k, (start, end) in enumerate(spans):
        raw = stripped[start:end].strip()
        display = clean(_LIST_ITEM.sub("", raw)) if k == 0 else clean(raw)
        at = raw_start + start + (len(stripped[start:end]) - len(stripped[start:end].lstrip()))
        out.append(Unit(at, at + len(raw), raw, display, "item" if k == 0 else "sentence"))
    return out


def _stops_mid_sentence(para_lines: list[str]) -> bool:
    """The open paragraph has text and its last line ends without sentence punctuation."""
    last = next((x.strip() for x in reversed(para_lines) if x.strip()), "")
    return bool(last) and not last.endswith((".", "!", "?", ":", ";"))


def _wrapped_mid_sentence(para_lines: list[str], stripped: str) -> bool:
    """A line that starts with "(30)" or "(b)" inside an unfinished sentence is the sentence
    wrapping ("...within thirty\n(30) days", "...where (a) ... or\n(b) ..."), not a list item.
    Bullets and "1." items stay items."""
    return stripped.startswith("(") and _stops_mid_sentence(para_lines)


def _continues_after_gap(para_lines: list[str], lines: list[str], i: int) -> bool:
    """Blank lines inside a sentence: the paragraph so far stops mid-sentence and the next text
    line goes on in lower case. A PDF page break (its header and footer blanked) looks like this;
    a real paragraph break does not."""
    if not _stops_mid_sentence(para_lines):
        return False
    following = next((x for x in lines[i + 1 :] if x.strip()), "")
    return bool(re.match(r"\s*[a-z]", following)) and not _LIST_ITEM.match(following) and following.count("|") < ROW_PIPES


def row_key(raw: str) -> str:
    """The first cell of a table row: what the row is about in a table keyed by severity, code,
    tier or metric ("SEV-1", "RX-LATE", "Email Response Time")."""
    return _cells(raw)[0] if raw.count("|") >= 1 else ""


def _looks_like_header(cells: list[str]) -> bool:
    """Header cells are short labels: no sentence ending, no figures (a data row has them)."""
    return all(c and len(c) <= HEADER_CELL_CHARS and not c.endswith(".") and not re.search(r"\d", c) for c in cells)


def split_sentences(text: str, line_breaks_end: bool = False) -> list[tuple[int, int]]:
    """Non-empty sentence spans of `text`. A full stop that ends an abbreviation or an initial
    ("insurers rated A- or better by A.M. Best", "Acme Inc. shall") is not a sentence end.
    `line_breaks_end`: every line break ends one too (model prose and quoted lines, where a line
    is a sentence or an item); a paragraph of a document wraps its sentences across lines."""
    pattern = _SENT_OR_LINE_SPLIT if line_breaks_end else _SENT_SPLIT
    spans, start = [], 0
    for m in pattern.finditer(text):
        at_line_break = line_breaks_end and "\n" in m.group()
        if not at_line_break and text[m.start() - 1] == "." and is_abbreviation(text, m.start() - 1):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
