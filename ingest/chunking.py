"""Structure-aware chunking.

Headings stay with their body and become ``section_path``; contract clauses (detected from their
numbering) are kept whole when they fit and split at sentence boundaries when they don't; table
rows are never split across chunks. Every chunk's body is an exact slice of the document text,
``text[char_start:char_end]``, and body + context header fit the embedding model's window (counted
with the model's own tokenizer), so no text is silently truncated at embedding time.

Linear in the text's length: packing adds up the tokens of each unit instead of recounting the
growing chunk, long spans are cut by a galloping search that only ever counts about twice the
chunk it finds, and a chunk is also capped in characters (a word over 100 characters is one
[UNK] word piece, so a megabyte with no spaces would otherwise "fit" as one chunk). A word that
does not fit a chunk on its own is cut into pieces that do.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.document import Block, BlockKind, ParsedDocument
from ingest.limits import LimitExceeded
from ingest.loaders import heading_text

TokenCounter = Callable[[str], int]

# "12.", "12.2", "12.2.1", "Section 4", "ARTICLE IV", "Article 4", "(a)", "(iv)", "Schedule A",
# "Exhibit 10.21"
_CLAUSE_RE = re.compile(
    r"""^\s*(?:
        (?:section|clause|§)\s*(?P<sec>\d+(?:\.\d+)*[a-z]?)
      | (?P<part>article|schedule|exhibit|annex|appendix)\s+
        (?P<id>\d+(?:[.-]\d+)*[a-z]?|(?-i:[IVXLC]+|[A-Z](?:-?\d+(?:\.\d+)*)?))\b
      | (?P<num>\d{1,3}(?:\.\d{1,3}){0,3})(?:\.|\s|\))(?=\s*\S)
      | \((?P<sub>[a-z]{1,3}|[ivx]{1,5}|\d{1,2})\)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MD_HEADING_MARKUP = re.compile(r"^\s{0,3}#{1,6}\s*|\s*#+\s*$|^[=\-]{3,}\s*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9(])|\n\s*\n")
_WORD = re.compile(r"\S+")
# A chunk holds at most this many characters per token of the cap: never reached by prose (about
# 5 characters a token), only by text the tokenizer swallows whole.
CHARS_PER_TOKEN_CAP = 10
# Any tokenizer gives at most this many tokens per character (byte-level BPE: 4 for an emoji), so
# a word up to budget / 4 characters fits without counting it.
_TOKENS_PER_CHAR_MAX = 4


def clause_number(text: str) -> str:
    """The clause number a heading or paragraph starts with ('12.2', '(a)'), a part named with its
    word ('Article IV', 'Schedule A', 'Exhibit 10.21': "EXHIBIT 10.21" heads many SEC-filed
    contracts and is not clause 10), or ''."""
    m = _CLAUSE_RE.match(text)
    if not m:
        return ""
    if m.group("part"):
        return f"{m.group('part').capitalize()} {m.group('id').upper()}"
    for group in ("sec", "num"):
        if m.group(group):
            return m.group(group).rstrip(".")
    return f"({m.group('sub')})"


def heading_label(raw: str) -> str:
    """Heading text without Markdown markup, collapsed to one line."""
    text = _MD_HEADING_MARKUP.sub("", raw)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())[:200]


def context_header(title: str, path: list[str]) -> str:
    """The line embedded before a chunk's body: "Title > Section > Subsection" (the title once)."""
    parts = [title] + [p for p in path if p and p != title]
    return " > ".join(parts) + "\n"


@dataclass
class ChunkDraft:
    char_start: int
    char_end: int
    section_path: str
    clause_no: str
    page_start: int | None
    page_end: int | None
    body: str
    embed_text: str  # context header + body: what the model sees
    tokens: int
    page_breaks: list[int] = field(default_factory=list)  # where pages after page_start begin
    # The header row of the table the chunk starts in the middle of ("" otherwise): its body
    # begins with data rows, and an answer quoting them needs the column names.
    table_header: str = ""


@dataclass
class _Unit:
    """Consecutive blocks that belong together: a clause with its sub-paragraphs, or one block."""

    blocks: list[Block] = field(default_factory=list)
    clause_no: str = ""


@dataclass
class _Section:
    path: list[str]
    heading_clause: str
    blocks: list[Block]


class Chunker:
    def __init__(self, count_tokens: TokenCounter, target_tokens: int = 160, max_tokens: int = 254):
        self.count = count_tokens
        self.target = min(target_tokens, max_tokens)
        self.max = max_tokens
        self.max_chars = max_tokens * CHARS_PER_TOKEN_CAP
        self._local = threading.local()  # the deadline of the chunk() call running in this thread

    # -- public -----------------------------------------------------------------------------
    def chunk(self, doc: ParsedDocument, title: str, deadline: float | None = None) -> list[ChunkDraft]:
        """The document's chunks; LimitExceeded when time.monotonic() passes `deadline` first."""
        self._local.deadline = deadline
        drafts: list[ChunkDraft] = []
        for section in self._sections(doc):
            self._tick()
            header = context_header(title, section.path)
            budget = self.max - self.count(header)
            # A pathological header (deeply nested long headings) must not starve the body.
            if budget < self.max // 3:
                header = context_header(title, section.path[-1:])
                budget = self.max - self.count(header)
            units = self._units(doc, section)
            table_header = self._table_headers(doc, section)
            for span_blocks, clause in self._pack(doc, units, budget, section.heading_clause):
                first = span_blocks[0]
                context = header
                th = table_header.get(first.start)
                if th:  # a chunk that starts mid-table is embedded with the table's header row
                    context = header + th + "\n"
                    if self.count(context) > self.max // 2:
                        context = header
                emitted = self._emit(doc, span_blocks, clause, section, context, self.max - self.count(context))
                if th:
                    for draft in emitted:
                        draft.table_header = th
                drafts.extend(emitted)
        return drafts

    def _tick(self) -> None:
        deadline = getattr(self._local, "deadline", None)
        if deadline is not None and time.monotonic() > deadline:
            raise LimitExceeded("took longer than limits.file_timeout_s (while chunking)")

    # -- structure --------------------------------------------------------------------------
    def _sections(self, doc: ParsedDocument) -> list[_Section]:
        sections: list[_Section] = []
        stack: list[tuple[int, str, str]] = []  # (level, label, clause_no)
        current = _Section(path=[], heading_clause="", blocks=[])
        for block in doc.blocks:
            if block.end <= block.start:
                continue
            if block.kind == BlockKind.heading:
                # A heading with no body of its own (a parent heading directly followed by a
                # child) flows into the next section instead of becoming a heading-only chunk.
                carried = current.blocks if current.blocks and all(b.kind == BlockKind.heading for b in current.blocks) else []
                if current.blocks and not carried:
                    sections.append(current)
                label = heading_text(doc, block)
                level = max(block.level, 1)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, label, clause_number(label)))
                clause = next((c for _, _, c in reversed(stack) if c), "")
                # The heading block itself opens the section so headings stay with their body.
                current = _Section(path=[s[1] for s in stack if s[1]], heading_clause=clause, blocks=carried + [block])
            else:
                current.blocks.append(block)
        if current.blocks:
            sections.append(current)
        return sections

    @staticmethod
    def _table_headers(doc: ParsedDocument, section: _Section) -> dict[int, str]:
        """Block start -> the header row of the table it continues (for rows after the first)."""
        out: dict[int, str] = {}
        header_row: str | None = None
        previous_kind = None
        for block in section.blocks:
            if block.kind == BlockKind.table_row:
                if previous_kind != BlockKind.table_row:
                    header_row = " ".join(doc.block_text(block).split())[:300]
                else:
                    out[block.start] = header_row or ""
            previous_kind = block.kind
        return out

    def _units(self, doc: ParsedDocument, section: _Section) -> list[_Unit]:
        units: list[_Unit] = []
        for block in section.blocks:
            text = doc.block_text(block)
            number = clause_number(text) if block.kind in (BlockKind.paragraph, BlockKind.list_item) else ""
            is_sub = number.startswith("(")
            starts_clause = bool(number) and not is_sub
            if block.kind == BlockKind.heading or not units or starts_clause:
                units.append(_Unit(blocks=[block], clause_no=number))
            elif block.kind == BlockKind.table_row or units[-1].blocks[-1].kind == BlockKind.table_row:
                # Table rows are their own units so a chunk boundary can fall between rows.
                units.append(_Unit(blocks=[block], clause_no=units[-1].clause_no))
            elif units[-1].clause_no or is_sub:
                units[-1].blocks.append(block)  # sub-paragraph (a), (b)... stays with its clause
            else:
                units.append(_Unit(blocks=[block]))
        return units

    # -- packing ----------------------------------------------------------------------------
    def _pack(self, doc: ParsedDocument, units: list[_Unit], budget: int, heading_clause: str):
        """Greedy packing of whole units up to the target size; oversized units go alone.

        The group's size is kept as a running sum: each unit adds the tokens of its own text and
        the gap before it (both without [CLS]/[SEP]), which is what recounting the whole group
        gives, as the tokenizer splits words at the whitespace between blocks.
        """
        target = min(self.target, budget)
        text = doc.text
        special = self.count("")  # [CLS] and [SEP]: counted once per text
        group: list[Block] = []
        group_clause = ""
        group_tokens = 0
        headings_only = True
        for unit in units:
            self._tick()
            end = unit.blocks[-1].end
            if group:
                added = self.count(text[group[-1].end : end]) - special
                if not headings_only and group_tokens + added > target:
                    yield group, group_clause or heading_clause
                    group, group_clause, headings_only = [], "", True
            if not group:
                group_tokens = self.count(text[unit.blocks[0].start : end])
            else:
                group_tokens += added
            if not group_clause:
                group_clause = unit.clause_no  # the first numbered unit names the chunk
            group = group + unit.blocks
            headings_only = headings_only and all(b.kind == BlockKind.heading for b in unit.blocks)
        if group:
            yield group, group_clause or heading_clause

    def _fits(self, text: str, start: int, end: int, budget: int) -> bool:
        # Characters first: a span over the cap is never handed to the tokenizer.
        return end - start <= self.max_chars and self.count(text[start:end]) <= budget

    def _emit(self, doc, blocks, clause, section, header, budget) -> list[ChunkDraft]:
        start, end = blocks[0].start, blocks[-1].end
        if self._fits(doc.text, start, end, budget):
            return [self._draft(doc, start, end, clause, section, header)]
        # Too big even alone: split by blocks first, then by sentences, then by words.
        pieces: list[tuple[int, int]] = []
        for block in blocks:
            pieces.extend(self._split_span(doc.text, block.start, block.end, budget))
        merged = self._merge(doc.text, pieces, budget)
        return [self._draft(doc, s, e, clause, section, header) for s, e in merged]

    def _split_span(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        if self._fits(text, start, end, budget):
            return [(start, end)]
        cuts = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
        spans = [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]
        out: list[tuple[int, int]] = []
        for a, b in spans:
            if self._fits(text, a, b, budget):
                out.append((a, b))
            else:
                out.extend(self._split_words(text, a, b, budget))
        return out

    def _split_words(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        """The longest runs of words that fit. Each run's search starts from the length of the run
        before (text tends to repeat its density), so a typical run costs two counts of about its
        own size, never a count of the rest of the span."""
        words = self._pieces(text, start, end, budget)
        out: list[tuple[int, int]] = []
        i, guess = 0, 1
        while i < len(words):
            self._tick()
            j = self._longest_run(lambda j: self._fits(text, words[i][0], words[j - 1][1], budget), i, len(words), guess)
            out.append((words[i][0], words[j - 1][1]))
            i, guess = j, j - i
        return out

    @staticmethod
    def _longest_run(fits: Callable[[int], bool], i: int, n: int, guess: int) -> int:
        """The largest j in (i, n] with fits(j), given fits(i + 1) (a piece always fits alone)
        and that a run that fits stays fitting when shortened."""
        lo, hi = i + 1, n
        probe = min(i + guess, hi)
        if probe > lo and not fits(probe):
            hi = probe - 1
        else:
            lo = max(lo, probe)
            step = 1
            while lo < hi:  # gallop up while it fits
                probe = min(lo + step, hi)
                if not fits(probe):
                    hi = probe - 1
                    break
                lo, step = probe, step * 2
        while lo < hi:  # binary search between the last length that fit and the first that did not
            mid = (lo + hi + 1) // 2
            if fits(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _pieces(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        """The words of a span, with any word too long for a chunk of its own cut into pieces."""
        short = max(1, budget // _TOKENS_PER_CHAR_MAX)
        out: list[tuple[int, int]] = []
        for m in _WORD.finditer(text, start, end):
            a, b = m.span()
            if b - a <= short or self._fits(text, a, b, budget):
                out.append((a, b))
                continue
            for s in range(a, b, short):  # a hard split: the word cannot be kept whole
                out.extend(self._shrink(text, s, min(s + short, b), budget))
        return out

    def _shrink(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        """A piece halved until it fits (a tokenizer denser than _TOKENS_PER_CHAR_MAX)."""
        if end - start <= 1 or self._fits(text, start, end, budget):
            return [(start, end)]
        mid = (start + end) // 2
        return self._shrink(text, start, mid, budget) + self._shrink(text, mid, end, budget)

    def _merge(self, text: str, pieces: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
        target = min(self.target, budget)
        merged: list[tuple[int, int]] = []
        for s, e in pieces:
            if merged and self._fits(text, merged[-1][0], e, target):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return merged

    # -- output -----------------------------------------------------------------------------
    def _draft(self, doc: ParsedDocument, start: int, end: int, clause: str, section: _Section, header: str) -> ChunkDraft:
        # Trim surrounding whitespace so offsets point at the body itself.
        raw = doc.text[start:end]
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        body = doc.text[start:end]
        own_clause = clause_number(body)
        embed_text = header + body
        return ChunkDraft(
            char_start=start,
            char_end=end,
            section_path=" > ".join(section.path),
            clause_no=(own_clause if own_clause and not own_clause.startswith("(") else clause),
            page_start=doc.page_at(start),
            page_end=doc.page_at(max(start, end - 1)),
            body=body,
            embed_text=embed_text,
            tokens=self.count(embed_text),
            page_breaks=_page_starts_within(doc, start, end),
        )


def _page_starts_within(doc: ParsedDocument, start: int, end: int) -> list[int]:
    starts = doc.page_starts()
    return starts[bisect.bisect_right(starts, start) : bisect.bisect_left(starts, end)]
