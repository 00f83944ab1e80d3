"""One indexed document as a reader sees it: its passages in order, for a caller who may read it.

The same rule as retrieval decides what is visible: only the collections the caller's roles read
are queried, so a document (or passage) outside them is indistinguishable from one that does not
exist (NotFound, one message for both). Nothing here reads the original file: passages are the
stored chunk bodies, exact slices of the document's extracted text.
"""

from __future__ import annotations

from pydantic import BaseModel

from assistant.errors import NotFound
from assistant.models import Caller, DocType, page_of_offset, shown_section_path

MAX_ID_CHARS = 200


class Passage(BaseModel):
    chunk_id: str
    text: str
    section_path: str  # as users see it (without the document title at its head)
    headings: list[str]  # the stored section path, split: heading lines in `text` are among these
    clause_no: str = ""
    page_start: int | None = None
    page_end: int | None = None
    char_start: int
    char_end: int
    page_breaks: list[int] = []  # offsets (document basis) where each later page begins

    def page_at(self, offset: int) -> int | None:
        return page_of_offset(self.page_start, ",".join(map(str, self.page_breaks)), offset)


class DocumentText(BaseModel):
    doc_id: str
    source: str
    title: str
    doc_type: DocType
    collection: str
    passages: list[Passage]

    @property
    def paged(self) -> bool:
        return any(p.page_start is not None for p in self.passages)


def read_document(service, caller: Caller, doc_id: str) -> DocumentText:
    """The document's passages in reading order; NotFound when it is absent or not readable."""
    doc_id = _checked_id(doc_id, "document")
    for collection in service.access.readable(caller):
        chunks = service.store.get_where(collection, {"doc_id": doc_id})
        if chunks:
            _audit(service, caller, f"doc_id={doc_id}")
            return _assemble(chunks, collection)
    raise NotFound(f"no document with id {doc_id} among the documents you can read")


def document_of_chunk(service, caller: Caller, chunk_id: str) -> str:
    """The doc_id holding a chunk; NotFound when it is absent or not readable."""
    chunk_id = _checked_id(chunk_id, "passage")
    for collection in service.access.readable(caller):
        found = service.store.get(collection, [chunk_id])
        if found:
            return str(found[0].meta.get("doc_id", ""))
    raise NotFound(f"no passage with id {chunk_id} among the documents you can read")


def _checked_id(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > MAX_ID_CHARS or not value.isprintable():
        raise NotFound(f"no {what} with that id among the documents you can read")
    return value


def _assemble(chunks, collection: str) -> DocumentText:
    chunks = sorted(chunks, key=lambda c: (int(c.meta.get("char_start", 0)), int(c.meta.get("ordinal", 0))))
    first = chunks[0].meta
    title = first.get("title", "") or first.get("source", "")
    passages = [_passage(c) for c in chunks]
    return DocumentText(doc_id=first.get("doc_id", ""), source=first.get("source", ""), title=title,
                        doc_type=first.get("doc_type", "other"), collection=collection, passages=passages)


def _passage(chunk) -> Passage:
    m = chunk.meta
    stored_path = m.get("section_path", "") or ""
    breaks = [int(b) for b in str(m.get("page_breaks") or "").split(",") if b.strip().isdigit()]
    return Passage(
        chunk_id=chunk.id, text=chunk.text, section_path=shown_section_path(stored_path, m.get("title", "")),
        headings=[h for h in stored_path.split(" > ") if h], clause_no=m.get("clause_no", "") or "",
        page_start=m.get("page_start"), page_end=m.get("page_end"), char_start=int(m.get("char_start", 0)),
        char_end=int(m.get("char_end", 0)), page_breaks=breaks,
    )


def _audit(service, caller: Caller, detail: str) -> None:
    # Reading a whole document is a read like a search: it goes in the audit log (ids, never text).
    service.trail.record("view", caller, detail=detail)
