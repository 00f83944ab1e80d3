"""Markdown loader (.md, .markdown): ``text`` is the file's own text, character for character,
except that HTML tags in prose are blanked with spaces of the same length (offsets unchanged).

Structure comes from markdown-it-py's block tokens and their ``.map`` source-line ranges:
headings (ATX and setext, level from the tag), paragraphs, list items (every item its own
block; nested items do not overlap their parent because blocks are taken from the leaf
tokens inside the item), table rows (one block per source line), fenced/indented code, and
HTML blocks that contain visible text. YAML front matter is excluded from blocks (it stays in
``text``) and supplies the title when there is no H1.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from assistant.logs import event_line, logger
from ingest.document import Block, BlockKind, ParsedDocument
from ingest.limits import read_capped

from ._plain import plain_blocks, trim
from .headings import is_titleish
from .text import decode_text

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# YAML (--- ... --- or ...) or TOML (+++ ... +++, Hugo) front matter at the very top.
_FRONT_MATTER_OPEN_RE = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)")
_FRONT_MATTER_CLOSE_RE = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE),
    "+++": re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE),
}
_FM_TITLE_RE = re.compile(r"^title[ \t]*[:=][ \t]*(.+?)[ \t]*$", re.MULTILINE)
_TAG_RE = re.compile(r"<[^>]*>")

log = logger("ingest.loaders")
_parser: MarkdownIt | None = None


def _md() -> MarkdownIt:
    global _parser
    if _parser is None:
        _parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return _parser


def _line_starts(text: str) -> list[int]:
    """Offset of the start of every line, using markdown-it's line-break rules, plus
    ``len(text)`` as a sentinel (so ``starts[n]`` is valid for an end line ``n``)."""
    starts = [0]
    starts.extend(m.end() for m in _LINE_BREAK_RE.finditer(text))
    if starts[-1] != len(text):
        starts.append(len(text))
    return starts


def _inline_text(tok) -> str:
    """Plain text of an inline token (markup removed)."""
    parts = []
    for c in tok.children or ():
        if c.type in ("text", "code_inline"):
            parts.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif c.type == "image":
            parts.append(c.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _only_images(tok) -> bool:
    """An inline token holding nothing but images (e.g. a page banner)."""
    kids = tok.children or ()
    has_image = False
    for c in kids:
        if c.type == "image":
            has_image = True
        elif c.type in ("softbreak", "hardbreak") or (c.type == "text" and not c.content.strip()):
            continue
        else:
            return False
    return has_image


def split_front_matter(text: str) -> tuple[int, str | None]:
    """(number of lines the front matter occupies, its title) - (0, None) without one."""
    m = _FRONT_MATTER_OPEN_RE.match(text)
    if not m:
        return 0, None
    close = _FRONT_MATTER_CLOSE_RE[m.group(1)].search(text, m.end())
    if not close:
        return 0, None
    body = text[m.end() : close.start()]
    n_lines = len(_LINE_BREAK_RE.findall(text, 0, close.end())) + 1
    title = None
    t = _FM_TITLE_RE.search(body)
    if t:
        title = t.group(1).strip()
        if len(title) >= 2 and title[0] == title[-1] and title[0] in "'\"":
            title = title[1:-1]
        title = title or None
    return n_lines, title


def _is_list_heading(tokens, i: int) -> bool:
    """A list item that is only a short title and holds a nested list ("1. Uptime" followed by
    "1.1 Target Uptime. ..."): Common Paper-style numbered section headings."""
    if i < 1 or tokens[i - 1].type != "list_item_open" or i + 3 >= len(tokens):
        return False
    if tokens[i + 3].type not in ("bullet_list_open", "ordered_list_open"):
        return False
    txt = _inline_text(tokens[i + 1])
    return (
        0 < len(txt.split()) <= 8
        and is_titleish(txt)
        and not txt.endswith((".", ";", ":", ","))
    )


def load_markdown(path: Path) -> ParsedDocument:
    text, _enc = decode_text(read_capped(path), name="Markdown file")
    return parse_markdown(text)


def parse_markdown(text: str) -> ParsedDocument:
    fm_lines, fm_title = split_front_matter(text)
    starts = _line_starts(text)
    last_line = len(starts) - 1

    # Blank out the front matter (same number of lines) so token maps stay aligned. A BOM is
    # dropped from the parser's copy only (maps are line numbers, so offsets are unaffected).
    src = text[1:] if text.startswith("\ufeff") else text
    if fm_lines:
        cut = starts[min(fm_lines, len(starts) - 1)]
        src = "\n" * fm_lines + text[cut:]

    def span(first: int, last: int) -> tuple[int, int]:
        return trim(text, starts[min(first, last_line)], starts[min(last, last_line)])

    blocks: list[Block] = []
    title: str | None = None
    in_item = 0
    list_depth = 0
    last_heading = 0  # level of the latest real heading (base for promoted list items)
    tokens = _md().parse(src)
    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "list_item_open":
            in_item += 1
            continue
        if t == "list_item_close":
            in_item -= 1
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            continue
        if t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            continue
        if tok.map is None or tok.nesting == -1:
            continue
        first, last = tok.map
        if first < fm_lines:
            continue
        kind: BlockKind | None = None
        level = 0
        if t == "heading_open":
            kind, level = BlockKind.heading, int(tok.tag[1:])
            last_heading = level
            if title is None and level == 1 and i + 1 < len(tokens):
                title = _inline_text(tokens[i + 1]) or None
        elif t == "paragraph_open":
            if i + 1 < len(tokens) and _only_images(tokens[i + 1]):
                continue
            kind = BlockKind.list_item if in_item else BlockKind.paragraph
            if in_item and _is_list_heading(tokens, i):
                kind, level = BlockKind.heading, min(6, last_heading + list_depth)
        elif t == "tr_open":
            kind = BlockKind.table_row
        elif t in ("fence", "code_block"):
            kind = BlockKind.code
        elif t == "html_block":
            content = tok.content.lstrip()
            if not content.startswith("<!--") and _TAG_RE.sub("", content).strip():
                kind = BlockKind.paragraph
        if kind is None:
            continue
        s, e = span(first, last)
        if e > s:
            blocks.append(Block(kind=kind, start=s, end=e, level=level))

    blocks = _with_dropped_text(text, blocks, starts[min(fm_lines, last_line)] if fm_lines else 0)
    text, blocks = _blank_inline_html(text, blocks)
    return ParsedDocument(text=text, blocks=blocks, title=title or fm_title, format="markdown")


def _visible(text: str, start: int, end: int) -> int:
    return end - start - text.count(" ", start, end) - text.count("\n", start, end)


def _with_dropped_text(text: str, blocks: list[Block], body_start: int) -> list[Block]:
    """The blocks, plus plain-text blocks for what the parser dropped. markdown-it stops parsing
    block structure past its nesting limit (a list nested hundreds deep, "> > > ..."), leaving
    the rest of the file in no block: indexed as "chunks=1" with a few words kept. When the blocks
    miss most of the text, the gaps between them are segmented as plain text instead."""
    visible = _visible(text, body_start, len(text))
    covered = sum(_visible(text, b.start, b.end) for b in blocks)
    if visible <= 0 or covered >= 0.5 * visible:
        return blocks
    log.warning(event_line("markdown_too_deep", plain_text_chars=visible - covered, chars=visible))
    out: list[Block] = []
    pos = body_start
    for block in [*blocks, None]:
        end = block.start if block is not None else len(text)
        if end > pos:
            out.extend(plain_blocks(text, pos, end))
        if block is not None:
            out.append(block)
            pos = block.end
    return out


# Markup only: HTML tags by name (a "<namespace>" placeholder in a runbook command is text) and
# comments. Documents exported from editors wrap every defined term in one ("<span
# class="keyterms_link">Provider</span>"): left in, the tags fill the model's 256-word-piece window
# and every quote.
_HTML_TAG_RE = re.compile(
    r"<!--.*?-->|</?(?:a|abbr|b|big|blockquote|br|center|cite|code|del|details|div|em|font|h[1-6]|hr|i|img|ins|kbd|"
    r"label|li|mark|ol|p|pre|q|s|small|span|strike|strong|sub|summary|sup|table|tbody|td|th|thead|time|tr|tt|u|ul|"
    r"var)\b[^<>]*>", re.IGNORECASE | re.DOTALL)
_CODE_SPAN_RE = re.compile(r"(`+).+?\1", re.DOTALL)


def _blank_inline_html(text: str, blocks: list[Block]) -> tuple[str, list[Block]]:
    """`text` with the HTML tags inside prose blocks replaced by as many spaces, so every offset
    (blocks, chunks, citations) stays that of the file, and the blocks trimmed to what is left
    (a block of nothing but tags goes). Code blocks and `code spans` keep their tags."""
    out = list(text)
    kept = []
    for block in blocks:
        if block.kind == BlockKind.code:
            kept.append(block)
            continue
        body = text[block.start : block.end]
        code = [m.span() for m in _CODE_SPAN_RE.finditer(body)]
        for m in _HTML_TAG_RE.finditer(body):
            if not any(a < m.end() and m.start() < b for a, b in code):
                out[block.start + m.start() : block.start + m.end()] = " " * (m.end() - m.start())
        masked = "".join(out[block.start : block.end])
        if masked.strip():
            start = block.start + len(masked) - len(masked.lstrip())
            kept.append(block.model_copy(update={"start": start, "end": block.end - (len(masked) - len(masked.rstrip()))}))
    return "".join(out), kept
