"""One indexed contract, rebuilt from its stored chunks for a caller who may read it.

Chunk bodies are exact slices of the document's extracted text (`text[char_start:char_end]`), so
placing them at their offsets rebuilds that text (gaps are only whitespace and page furniture).
Extractors work on the rebuilt text; every figure they report is cited back to the one chunk
that contains it, with a quote that is a verbatim substring of that chunk.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ingest.catalog import sources_named
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import ClauseMark, analysis_text, clause_at, clause_marks
from assistant.errors import InvalidInput, NotFound
from assistant.models import CONTRACT_DOC_TYPES, Caller, DocumentInfo, page_of_offset, shown_section_path

if TYPE_CHECKING:
    from assistant.listing import DocumentListing
    from assistant.retrieval.store import VectorStore


@dataclass
class StoredPiece:
    id: str
    text: str
    meta: dict

    @property
    def start(self) -> int:
        return int(self.meta.get("char_start", 0))

    @property
    def end(self) -> int:
        return int(self.meta.get("char_end", 0))


@dataclass
class ContractDoc:
    source: str
    doc_id: str
    doc_type: str
    title: str
    collection: str
    chunks: list[StoredPiece]
    text: str = ""
    clean: str = ""  # `text` with page furniture blanked and odd spaces made plain (same offsets): what extractors read
    _marks: list[ClauseMark] | None = field(default=None, repr=False)

    @classmethod
    def from_chunks(cls, chunks: list[StoredPiece]) -> "ContractDoc":
        chunks = sorted(chunks, key=lambda c: (int(c.meta.get("ordinal", 0)), c.start))
        first = chunks[0].meta if chunks else {}
        # Gaps between chunks were whitespace or page furniture: they become line breaks.
        parts: list[str] = []
        pos = 0
        for c in sorted(chunks, key=lambda c: c.start):
            if len(c.text) != c.end - c.start or c.start < pos:
                continue  # a body that does not fit its offsets (should not happen) is skipped, not guessed
            parts.append("\n" * (c.start - pos))
            parts.append(c.text)
            pos = c.end
        text = "".join(parts)
        return cls(
            source=first.get("source", ""), doc_id=first.get("doc_id", ""), doc_type=first.get("doc_type", "other"),
            title=first.get("title", ""), collection=first.get("collection", ""), chunks=chunks, text=text,
            clean=analysis_text(text),
        )

    # -- lookups by offset ------------------------------------------------------------------
    def __post_init__(self) -> None:
        self._by_start = sorted(self.chunks, key=lambda c: c.start)
        self._chunk_starts = [c.start for c in self._by_start]

    @property
    def marks(self) -> list[ClauseMark]:
        if self._marks is None:
            self._marks = clause_marks(self.clean)
        return self._marks

    def clause_no_at(self, offset: int) -> str:
        mark = clause_at(self.marks, offset)
        return mark.number if mark else ""

    def clause_heading_at(self, offset: int) -> str:
        mark = clause_at(self.marks, offset)
        return mark.heading if mark else ""

    def chunk_for(self, start: int, end: int) -> StoredPiece | None:
        """The chunk holding most of [start, end)."""
        best, best_overlap = None, 0
        i = max(0, bisect.bisect_right(self._chunk_starts, start) - 1)
        for c in self._by_start[i : i + 8]:  # chunks are contiguous: the span lies in the next few
            overlap = min(end, c.end) - max(start, c.start)
            if overlap > best_overlap:
                best, best_overlap = c, overlap
        return best

    def page_at(self, offset: int) -> int | None:
        i = max(0, bisect.bisect_right(self._chunk_starts, offset) - 1)
        for c in self._by_start[i : i + 2]:
            if c.start <= offset < c.end or (offset == c.end and c is self._by_start[-1]):
                return c.meta.get("page_start") if c.meta.get("page_start") == c.meta.get("page_end") else _page_in_chunk(c, offset)
        return None

    def cite(self, start: int, end: int) -> SourceSpan | None:
        """A citation for text[start:end]: the chunk holding it and the quote clipped to that chunk."""
        chunk = self.chunk_for(start, end)
        if chunk is None:
            return None
        s, e = max(start, chunk.start), min(end, chunk.end)
        quote = chunk.text[s - chunk.start : e - chunk.start].strip()
        if not quote:
            return None
        return SourceSpan(
            chunk_id=chunk.id, source=self.source, clause_no=self.clause_no_at(s), page_start=self.page_at(s), quote=quote,
            section_path=shown_section_path(chunk.meta.get("section_path", ""), chunk.meta.get("title", "")),
        )


def sentence_quote(doc: ContractDoc, a: int, b: int, cite: SourceSpan) -> str:
    """The whole sentence when it lies in the cited chunk, else the figure alone (always verbatim)."""
    chunk = next((c for c in doc.chunks if c.id == cite.chunk_id), None)
    if chunk is None:
        return cite.quote
    s, e = max(a, chunk.start), min(b, chunk.end)
    quote = chunk.text[s - chunk.start : e - chunk.start].strip()
    return quote if cite.quote in quote else cite.quote


def _page_in_chunk(chunk: StoredPiece, offset: int) -> int | None:
    # A chunk stored before page breaks were recorded says page_start.
    return page_of_offset(chunk.meta.get("page_start"), str(chunk.meta.get("page_breaks") or ""), offset)


# -- loading --------------------------------------------------------------------------------

def contract_rows(listing: DocumentListing, caller: Caller) -> list[DocumentInfo]:
    """The contracts this caller may read, as the listing has them (from Chroma in server mode,
    where another process's ingest is not in this process's catalog)."""
    return [d for d in listing.documents(caller) if d.doc_type in CONTRACT_DOC_TYPES]


def resolve_source(listing: DocumentListing, caller: Caller, source: str) -> str:
    """The exact stored source for a user-typed name: exact path, else a unique file-name match."""
    name = (source or "").strip()
    if not name:
        raise InvalidInput("the contract name is empty")
    matches = sources_named((r.source for r in contract_rows(listing, caller)), name)
    lowered = name.lower()
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InvalidInput(f"{source!r} matches several contracts: {', '.join(matches[:5])}")
    other = [r for r in listing.documents(caller)
             if r.source == name or PurePosixPath(r.source).name.lower() == lowered]
    if other:
        raise InvalidInput(f"{other[0].source} is indexed as a {other[0].doc_type} document, not a contract")
    # Same message whether it does not exist or the caller may not read it: no existence oracle.
    raise NotFound(f"no contract named {source!r} among the documents you can read")


def load_contract(listing: DocumentListing, store: VectorStore, caller: Caller, source: str) -> ContractDoc:
    exact = resolve_source(listing, caller, source)
    rows = [r for r in contract_rows(listing, caller) if r.source == exact]
    row = max(rows, key=lambda r: r.ingested_at)  # the same path under two roots: the newest
    chunks = [StoredPiece(c.id, c.text, c.meta) for c in store.get_where(row.collection, {"doc_id": row.doc_id})]
    if not chunks:
        raise NotFound(f"no contract named {source!r} among the documents you can read")
    return ContractDoc.from_chunks(chunks)
