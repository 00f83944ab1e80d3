"""Segmentation of plain text (a .txt file, or one PDF page) into blocks.

Works on line spans so every block offset points into the original string; nothing is
rewritten. Shared by ``text.py`` and ``pdf.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.document import Block, BlockKind

from .headings import classify_line, ends_mid_sentence, is_page_furniture

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TRAILING_NL = "\r\n"
# Characters skipped at block edges: whitespace plus a BOM / zero-width no-break space.
_EDGE_CHARS = " \t\n\r\f\v\u00a0\ufeff\u200b"

# U+037E (Greek question mark) is what some PDFs yield for ";".
_SENTENCE_END_RE = re.compile(r"[.:;;!?][\"'”’)\]]*$")
# "Inc." / "U.S." at a line end usually does not end the sentence.
_ABBREV_END_RE = re.compile(
    r"\b(?:Inc|Ltd|Corp|Co|No|Nos|Mr|Mrs|Ms|Dr|St|vs|etc|"
    r"e\.g|i\.e|U\.S|U\.K|L\.P|L\.L\.C|N\.A|S\.A)\.$",
    re.IGNORECASE,
)
_PARA_START_RE = re.compile(r"^[\"'“‘(\[]?[A-Z0-9•▪●◦·\-–*]")
_CLAUSE_START_RE = re.compile(
    r"^(?:\(?[a-z0-9]{1,4}\)|\d{1,3}(?:\.\d{1,3})*\.?|[A-Z]\.|[•▪●◦·*\-–])\s"
)
_BULLET_RE = re.compile(r"^[•▪●◦·*\-–]\s")


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text[start:end]`` without its line break."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for m in _LINE_RE.finditer(text, start, end):
        if m.start() == m.end():  # the empty match at the very end
            break
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in _TRAILING_NL:
            e -= 1
        spans.append((s, e))
        pos = m.end()
    if pos < end and not spans:
        spans.append((pos, end))
    return spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start] in _EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in _EDGE_CHARS:
        end -= 1
    return start, end


def _width_ref(lengths: Iterable[int]) -> int:
    """A 'full line' width: the 80th percentile of line lengths (0 if unknown)."""
    vals = sorted(lengths)
    if not vals:
        return 0
    return vals[min(len(vals) - 1, int(len(vals) * 0.8))]


def plain_blocks(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    page: int | None = None,
    split_wrapped: bool = False,
    skip_lines: frozenset[int] = frozenset(),
) -> list[Block]:
    """Blocks for ``text[start:end]``.

    Paragraphs are runs of non-blank lines. Inside a run, a line that looks like a heading
    becomes a heading block (weak ALL-CAPS matches only where the previous line ended a
    sentence and the line itself does not continue). With ``split_wrapped`` (PDF text: one
    line per visual line, often no blank lines), a run is further split into paragraphs at
    sentence ends followed by a capital/number/bullet and at clause numbers.
    ``skip_lines``: indices (into this range's lines) of page furniture to leave out. Bare
    page-number lines ("3", "Page 3 of 10", "- 3 -") are always left out (they act as a
    paragraph break), wherever they are.
    """
    spans = line_spans(text, start, end)
    norm = [text[s:e].strip(_EDGE_CHARS) for s, e in spans]
    ref = _width_ref(len(n) for n in norm if n) if split_wrapped else 0

    # Group into runs of non-blank lines.
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, n in enumerate(norm):
        if not n or i in skip_lines or is_page_furniture(n):
            if cur:
                runs.append(cur)
                cur = []
            continue
        cur.append(i)
    if cur:
        runs.append(cur)

    blocks: list[Block] = []

    def emit(kind: BlockKind, first: int, last: int, level: int = 0, skip: int = 0) -> None:
        s, e = trim(text, spans[first][0] + skip, spans[last][1])
        if e > s:
            if kind is BlockKind.paragraph and _BULLET_RE.match(text[s:e]):
                kind = BlockKind.list_item
            blocks.append(Block(kind=kind, start=s, end=e, level=level, page=page))

    for run in runs:
        if len(run) == 1:
            i = run[0]
            level, _, skip = classify_line(text[spans[i][0] : spans[i][1]])
            if level:
                emit(BlockKind.heading, i, i, level, skip)
            else:
                emit(BlockKind.paragraph, i, i)
            continue

        run_ref = ref or max(len(norm[i]) for i in run)
        para_first: int | None = None
        prev: int | None = None
        prev_heading = False
        for pos, i in enumerate(run):
            line = norm[i]
            nxt = norm[run[pos + 1]] if pos + 1 < len(run) else None
            prev_line = norm[prev] if prev is not None else None
            prev_breaks = (
                prev_line is None
                or prev_heading
                or bool(_SENTENCE_END_RE.search(prev_line))
                or len(prev_line) < 0.6 * run_ref
            )
            level, strong, skip = classify_line(text[spans[i][0] : spans[i][1]])
            if level and not strong:
                # ALL-CAPS: must stand apart from its neighbours, not be a wrapped line.
                if (
                    not prev_breaks
                    or ends_mid_sentence(line)
                    or (nxt is not None and nxt[:1].islower())
                    or (split_wrapped and len(line) >= 0.75 * run_ref and nxt is not None)
                ):
                    level = 0
            elif level and not prev_breaks:
                level = 0
            if level:
                if para_first is not None:
                    emit(BlockKind.paragraph, para_first, prev)  # type: ignore[arg-type]
                    para_first = None
                emit(BlockKind.heading, i, i, level, skip)
                prev, prev_heading = i, True
                continue
            if para_first is not None and split_wrapped and prev is not None:
                new_para = (
                    prev_line is not None
                    and (
                        (
                            _SENTENCE_END_RE.search(prev_line)
                            and not _ABBREV_END_RE.search(prev_line)
                            and _PARA_START_RE.match(line)
                        )
                        or (_CLAUSE_START_RE.match(line) and prev_breaks)
                        or (len(prev_line) < 0.6 * run_ref and _PARA_START_RE.match(line))
                    )
                )
                if new_para:
                    emit(BlockKind.paragraph, para_first, prev)
                    para_first = None
            if para_first is None:
                para_first = i
            prev, prev_heading = i, False
        if para_first is not None and prev is not None:
            emit(BlockKind.paragraph, para_first, prev)
    return blocks
