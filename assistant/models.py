"""Pydantic types that cross a boundary (CLI --json, HTTP, Slack, files)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from assistant.safe_text import safe_markdown, safe_quote_markdown

DocType = Literal["runbook", "sop", "msa", "sow", "dpa", "contract", "other"]
CONTRACT_DOC_TYPES: tuple[DocType, ...] = ("msa", "sow", "dpa", "contract")
Surface = Literal["cli", "http", "web", "slack", "eval", "internal"]


class Caller(BaseModel):
    """Who is asking. Roles are resolved server-side (API key, Slack mapping, CLI --as)."""

    model_config = ConfigDict(frozen=True)
    id: str = "local"
    roles: frozenset[str] = frozenset()
    surface: Surface = "internal"
    # Narrows what the roles allow (never widens it): e.g. a Slack channel answers only from
    # collections every member may read. None = no extra restriction.
    restrict_to: frozenset[str] | None = None


class ChunkMeta(BaseModel):
    """Per-chunk metadata as stored in Chroma (flat scalars only)."""

    doc_id: str
    source: str
    doc_type: DocType
    collection: str
    audience: str  # comma-joined roles that may read it (informational; access is by collection)
    title: str
    section_path: str = ""
    clause_no: str = ""
    page_start: int | None = None
    page_end: int | None = None
    # Offsets (on the char_start basis) where each page after page_start begins, comma-joined;
    # only for a chunk that runs across pages, so a quote inside it gets its own page.
    page_breaks: str = ""
    char_start: int
    char_end: int
    # Header row of the table the chunk starts in the middle of (ChunkDraft.table_header).
    table_header: str = ""
    ordinal: int  # position of the chunk in its document
    content_sha256: str
    effective_date: str = ""
    version: str = ""
    ingested_at: str
    url: str = ""  # where users open the document (a synced page or file, or a folder rule's url_base)
    # The chunk reads as instructions to an assistant (ingest/instructions.py): a possible prompt
    # injection, kept searchable but never an answer's only evidence.
    instruction_like: bool = False


def page_of_offset(page_start: int | None, page_breaks: str, offset: int) -> int | None:
    """The page of a document offset inside a chunk: its first page plus the page breaks
    (ChunkMeta.page_breaks) at or before the offset. A chunk without breaks is all on page_start."""
    if page_start is None:
        return None
    return page_start + sum(1 for b in (page_breaks or "").split(",") if b.strip().isdigit() and int(b) <= offset)


def shown_section_path(section_path: str, title: str) -> str:
    """A stored section path as users see it: without the document's own title at its head.

    Many files open with their title as the top heading (a Markdown H1, a Word title paragraph),
    so the stored path repeats it; every citation already names the title. The stored path is
    left as it is: it is part of what BM25 indexes. Same words count as the same heading whatever
    the case and punctuation ("Statement of Work No. 1: Customer Care" under the title
    "Statement of Work No. 1 - Customer Care").
    """
    parts = section_path.split(" > ") if section_path else []
    if parts and title and _words(parts[0]) == _words(title):
        parts = parts[1:]
    return " > ".join(parts)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_type: list[DocType] | None = None
    source: list[str] | None = None
    collection: list[str] | None = None


class SearchResult(BaseModel):
    chunk_id: str
    source: str
    text: str
    score: float
    section_path: str
    page_start: int | None
    page_end: int | None
    char_start: int
    char_end: int
    doc_type: DocType
    doc_id: str
    title: str
    clause_no: str = ""
    collection: str
    dense_score: float | None = None  # cosine similarity when the dense side found it
    judge_score: float | None = None  # the passage judge's logit, when it re-scored this result
    # Where later pages begin inside the chunk (ChunkMeta.page_breaks): lets a citation give the
    # page of its quote. Internal: not part of the search response.
    page_breaks: str = Field(default="", exclude=True)
    # The column names of a table the chunk starts in the middle of (ChunkMeta.table_header), so
    # an answer quoting its rows can label their cells. Internal, like page_breaks.
    table_header: str = Field(default="", exclude=True)
    url: str = ""  # the document's link (ChunkMeta.url), "" when none is known
    instruction_like: bool = False  # ChunkMeta.instruction_like: text addressed to a model, not to people
    # Terms in force (issue 26): what superseded this text on the date asked about ("" : in force),
    # and for an amendment's passage not in force yet, the ISO date it takes effect.
    superseded_by: str = ""
    in_force_from: str = ""

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict, collection: str, score: float,
                    dense_score: float | None = None, **extra):
        """A result (or a subclass, with its `extra` fields) from a stored chunk and its metadata
        (the ChunkMeta fields), the section path as users see it."""
        m = meta
        return cls(
            chunk_id=chunk_id, source=m["source"], text=text, score=score,
            section_path=shown_section_path(m.get("section_path", ""), m.get("title", "")),
            page_start=m.get("page_start"), page_end=m.get("page_end"), char_start=m["char_start"],
            char_end=m["char_end"], doc_type=m.get("doc_type", "other"), doc_id=m["doc_id"], title=m.get("title", ""),
            clause_no=m.get("clause_no", ""), collection=collection, dense_score=dense_score,
            page_breaks=m.get("page_breaks", ""), table_header=m.get("table_header", ""), url=m.get("url", ""),
            instruction_like=bool(m.get("instruction_like", False)), **extra,
        )


class SearchResponse(BaseModel):
    results: list[SearchResult]


class Citation(BaseModel):
    n: int  # the [n] marker used in the answer text
    chunk_id: str
    source: str
    quote: str  # verbatim: a substring of the chunk's text, whitespace and all
    section_path: str
    page_start: int | None
    title: str = ""
    clause_no: str = ""
    doc_type: DocType | None = None
    collection: str = ""  # the access partition it came from (Slack keeps restricted answers private)
    url: str = ""  # the cited document's link, when known (a synced page or file; a folder rule's url_base)

    @computed_field(description="the quote for display: Markdown with links defanged, HTML and mentions inert")
    @property
    def quote_markdown(self) -> str:
        return safe_quote_markdown(self.quote)


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class Answer(BaseModel):
    answer: str
    grounded: bool
    citations: list[Citation]
    standalone_question: str | None = None  # the rewritten follow-up, when history changed it
    closest_sources: list[str] = Field(default_factory=list)  # named on refusal
    mode: Literal["extractive", "llm"] = "extractive"
    flagged: list[str] = Field(default_factory=list)  # sentences dropped by citation verification
    # The judge's scores behind the decision ("passage": best over the top passages, "unit": the
    # answering sentence). Internal: for calibration and logs, not part of the response.
    scores: dict[str, float] = Field(default_factory=dict, exclude=True)

    @computed_field(description="the answer for display: Markdown with links defanged, HTML and mentions inert")
    @property
    def answer_markdown(self) -> str:
        return safe_markdown(self.answer)


class DocumentInfo(BaseModel):
    doc_id: str
    source: str
    root: str  # the server folder it was ingested from; empty for callers who can't manage documents
    collection: str
    doc_type: DocType
    title: str
    chunks: int
    ingested_at: str
    effective_date: str = ""
    version: str = ""
    # The doc_id of the copy results cite when this document is a near-duplicate of another (the
    # same contract as .txt and .pdf, a re-upload); "" when it is the preferred copy or unique.
    duplicate_of: str = ""
    # A document that changes another (issue 26): its kind (amendment, addendum, change_order,
    # restatement, sow_version), the doc_id it changes and what the link rests on ("title+date").
    relation: str = ""
    amends: str = ""
    link_basis: str = ""
    # Changes it makes that could not be tied to one clause of the document it amends (no clause
    # number and no single clearly matching clause): not applied, each with why (issue 26).
    unapplied: list[str] = Field(default_factory=list)
    # Where it lives, for documents a connector synced (and url for folder rules with url_base).
    url: str = ""
    location: str = ""  # space / site / folder path in the source system
    modified_at: str = ""  # last change there (ISO time)
    source_version: str = ""  # the source system's version of it
    labels: str = ""  # comma-joined (Confluence labels)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(name: str) -> str:
    """A file name or path as valid, one-line UTF-8: bytes that are not UTF-8 (which Python keeps
    as lone surrogates) and control characters become backslash escapes. Used as `source`, so a
    name JSON, Chroma and a log line can carry, the same on every run."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system decoding made (e.g. from JSON)
        raw = name.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class FileOutcome(BaseModel):
    source: str
    # skipped: deliberately not read (excluded, a link leaving the root, a FIFO...); failed: could
    # not be read or parsed (what was indexed from it before is kept).
    status: Literal["indexed", "unchanged", "removed", "skipped", "failed"]
    chunks: int = 0
    embedded: int = 0
    reason: str | None = None
    seconds: float | None = None  # hashing, parsing and chunking the file (embedding is batched across files)

    @field_validator("source", "reason")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        return None if value is None else printable(value)


class ConflictItem(BaseModel):
    """One side of a conflict: what a document says, cited."""

    source: str
    doc_type: DocType
    clause_no: str = ""  # the contract clause, or the SOP's section number, when the text numbers it
    section_path: str = ""
    chunk_id: str
    quote: str  # verbatim, a substring of the chunk's text
    value: str  # the figure as written: "48 hours", "85%", "USD 500", "monthly", "by phone"


class Conflict(BaseModel):
    """An SOP or runbook instructing something a contract does not promise (issue 26)."""

    topic: str  # the shared words the two statements are about: "respond customer emails"
    # sop_looser: following the SOP breaks the contract (a longer time, a lower target, a higher
    # limit, a rarer check); sop_stricter: the SOP asks for more than the contract; different_channel:
    # the SOP uses a channel the contract doesn't provide for.
    kind: Literal["sop_looser", "sop_stricter", "different_channel"]
    items: list[ConflictItem]  # the SOP side first, then the contract
    explanation: str

    @property
    def key(self) -> str:
        """Stable identity across runs: which two passages disagree on which figures."""
        return "|".join(f"{i.source}#{i.value}" for i in self.items) + f"|{self.kind}"


class ConflictReport(BaseModel):
    conflicts: list[Conflict] = Field(default_factory=list)
    checked: dict[str, int] = Field(default_factory=dict)  # {"sop_documents": n, "contracts": n, "pairs_agreeing": n}


class IngestSummary(BaseModel):
    root: str
    files: list[FileOutcome]
    new_conflicts: list[Conflict] = Field(default_factory=list)  # SOP/contract conflicts this ingest brought
    chunks_written: int = 0  # chunks embedded and written (new or changed content)
    texts_embedded: int = 0
    seconds: float = 0.0

    @field_validator("root")
    @classmethod
    def _printable(cls, value: str) -> str:
        return printable(value)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def partial(self) -> bool:
        return any(f.status == "failed" for f in self.files)
