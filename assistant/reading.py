"""The read path every use case shares: a checked query, the caller's collections (from the access
policy, deny by default), hybrid retrieval over exactly those. Search, ask, clause lookup and
drafts all read through it, so no feature can reach a collection the caller may not read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.access.policy import AccessPolicy
from assistant.audit import AuditTrail
from assistant.config import Settings
from assistant.errors import InvalidInput, NothingIndexed, clean_question
from assistant.listing import DocumentListing
from assistant.models import Caller, DocumentInfo, SearchFilters, SearchResponse, SearchResult
from assistant.retrieval.indexes import LexicalIndexes
from assistant.retrieval.hybrid import Retrieval, Retriever
from assistant.retrieval.store import VectorStore
from assistant.text_input import require_clean

if TYPE_CHECKING:
    from assistant.contracts.in_force import InForce

MAX_K = 50  # a larger k is a client's mistake, not a bigger search


class Reader:
    def __init__(self, settings: Settings, store: VectorStore, lexical: LexicalIndexes, retriever: Retriever,
                 access: AccessPolicy, listing: DocumentListing, trail: AuditTrail, in_force: Callable[[], InForce]):
        self.settings = settings
        self.store = store
        self.lexical = lexical
        self.retriever = retriever
        self.access = access
        self.listing = listing
        self.trail = trail
        self._in_force = in_force  # made on first use (it reads the catalog's amendment links)

    @property
    def in_force(self) -> InForce:
        return self._in_force()

    def search(self, query: str, caller: Caller, k: int | None = None, filters: SearchFilters | None = None,
               rerank: bool | None = None, as_of: str | None = None) -> SearchResponse:
        """`rerank`: through the passage judge (None: as `judge.rerank_search` says). `as_of`: the
        date whose terms are in force (ISO, today by default): superseded passages are labelled."""
        rerank = self.settings.judge.rerank_search if rerank is None else rerank
        results = self.retrieval(query, caller, k, filters, rerank).results
        self.terms_in_force(caller, as_of, results)
        self.trail.record("search", caller, query, [r.chunk_id for r in results])
        return SearchResponse(results=results)

    def retrieval(self, query: str, caller: Caller, k: int | None, filters: SearchFilters | None,
                  rerank: bool = False) -> Retrieval:
        query = clean_question(query, "query")
        # The CLI and Slack reach here without an HTTP model: text that is not text stops here too.
        require_clean("query", query)
        if filters:
            require_clean("filter", *(filters.source or []), *(filters.collection or []))
        k = k or self.settings.retrieval.k
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}")
        self.require_indexed()
        collections = self.access.readable(caller)
        self.lexical.ensure(collections)
        return self.retriever.retrieve(query, collections, k, filters, rerank=rerank)

    def terms_in_force(self, caller: Caller, as_of: str | None, results: list[SearchResult], for_answer: bool = False):
        """Labels superseded results in place; for an answer, also (date, evidence, changes applied)."""
        from assistant.contracts import in_force_answers
        from assistant.contracts.in_force import as_of_date

        day = as_of_date(as_of)
        now, pending = self.in_force.for_date(self.access.readable(caller), day) if results else ([], [])
        in_force_answers.label(results, now, pending)
        if not for_answer:
            return None
        unlinked = [u for u in self.in_force.unlinked(self.access.readable(caller)) if u.in_force(day)] if results else []
        evidence, applied = in_force_answers.evidence(results, now, pending, unlinked)
        return day, evidence, applied

    def documents(self, caller: Caller) -> list[DocumentInfo]:
        return self.listing.documents(caller)

    def require_indexed(self, where: str = "") -> None:
        """NothingIndexed when the store holds no chunk at all, so an empty or misplaced data home
        says so instead of answering "the documents don't cover this". `where` names it (the CLI
        does; over HTTP the server's paths stay private)."""
        if not any(self.store.count(name) for name in self.store.collection_names()):
            raise NothingIndexed(where)
