"""Hybrid retrieval: dense (Chroma) + lexical (BM25) over the caller's collections, fused by
weighted reciprocal rank fusion. Filters go *into* both retrievers, never after the cut."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.lexical import LexicalIndex, Tokenizer
from assistant.models import SearchFilters, SearchResult
from assistant.store import StoredChunk, VectorStore


class LexicalIndexes:
    """One BM25 index per collection, kept in step with Chroma by the ingest run."""

    def __init__(self, folder: Path, store: VectorStore):
        self.folder = folder
        self.store = store
        self.tokenizer = Tokenizer()
        self._indexes: dict[str, LexicalIndex] = {}
        self._checked: set[str] = set()  # format checked once per process, not per query

    def get(self, collection: str) -> LexicalIndex:
        if collection not in self._indexes:
            self._indexes[collection] = LexicalIndex(self.folder / collection, self.tokenizer)
        return self._indexes[collection]

    def rebuild(self, collections: set[str]) -> None:
        for name in collections:
            # Title and section path are indexed with the body: headings are the strongest
            # lexical evidence a passage has ("Update Cadence", "Termination for Convenience").
            rows = [
                (c.id, f"{c.meta.get('title', '')}\n{c.meta.get('section_path', '')}\n{c.text}",
                 c.meta.get("doc_type", ""), c.meta.get("source", ""))
                for c in self.store.iter_all(name)
            ]
            self.get(name).build(rows)

    def ensure(self, collections: list[str]) -> None:
        """Build missing indexes (first start on an existing store, or after a crash)."""
        missing = {c for c in collections if c not in self._checked and not self.get(c).is_current() and self.store.count(c) > 0}
        self._checked.update(collections)
        if missing:
            self.rebuild(missing)


@dataclass
class _Hit:
    chunk: StoredChunk | None
    collection: str
    score: float = 0.0
    dense: float | None = None


def _where(filters: SearchFilters | None) -> dict | None:
    if filters is None:
        return None
    clauses = []
    if filters.doc_type:
        clauses.append({"doc_type": {"$in": list(filters.doc_type)}})
    if filters.source:
        clauses.append({"source": {"$in": list(filters.source)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Retriever:
    def __init__(self, settings: Settings, embedder, store: VectorStore, lexical: LexicalIndexes):
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical

    def search(self, query: str, collections: list[str], k: int, filters: SearchFilters | None = None) -> list[SearchResult]:
        if filters and filters.collection is not None:
            collections = [c for c in collections if c in set(filters.collection)]
        if not collections or not query.strip():
            return []  # deny by default: no readable collection means no results, never "no filter"
        cfg = self.settings.retrieval
        hits: dict[str, _Hit] = {}
        vector = self.embedder.embed_query(query)
        dense: list[tuple[StoredChunk, str]] = []
        for name in collections:
            dense.extend((c, name) for c in self.store.query(name, vector, cfg.dense_candidates, _where(filters)))
        dense.sort(key=lambda pair: pair[0].distance)
        for rank, (chunk, name) in enumerate(dense[: cfg.dense_candidates]):
            hit = hits.setdefault(chunk.id, _Hit(chunk, name))
            hit.dense = 1.0 - float(chunk.distance)
            hit.score += cfg.dense_weight / (cfg.rrf_k + rank + 1)
        lexical: list[tuple[str, float, str]] = []
        for name in collections:
            index = self.lexical.get(name)
            doc_types = list(filters.doc_type) if filters and filters.doc_type else None
            sources = list(filters.source) if filters and filters.source else None
            lexical.extend((cid, s, name) for cid, s in index.search(query, cfg.lexical_candidates, doc_types, sources))
        lexical.sort(key=lambda t: -t[1])
        for rank, (cid, _, name) in enumerate(lexical[: cfg.lexical_candidates]):
            hit = hits.setdefault(cid, _Hit(None, name))
            hit.score += cfg.lexical_weight / (cfg.rrf_k + rank + 1)
        ranked = sorted(hits.items(), key=lambda kv: -kv[1].score)[:k]
        self._fill_text(ranked)
        return [self._result(cid, hit) for cid, hit in ranked if hit.chunk is not None]

    def _fill_text(self, ranked: list[tuple[str, _Hit]]) -> None:
        need: dict[str, list[str]] = {}
        for cid, hit in ranked:
            if hit.chunk is None:
                need.setdefault(hit.collection, []).append(cid)
        for name, ids in need.items():
            for chunk in self.store.get(name, ids):
                for cid, hit in ranked:
                    if cid == chunk.id:
                        hit.chunk = chunk

    @staticmethod
    def _result(cid: str, hit: _Hit) -> SearchResult:
        m = hit.chunk.meta
        return SearchResult(
            chunk_id=cid, source=m["source"], text=hit.chunk.text, score=round(hit.score, 6),
            section_path=m.get("section_path", ""), page_start=m.get("page_start"), page_end=m.get("page_end"),
            char_start=m["char_start"], char_end=m["char_end"], doc_type=m.get("doc_type", "other"),
            doc_id=m["doc_id"], title=m.get("title", ""), clause_no=m.get("clause_no", ""), collection=hit.collection,
            dense_score=None if hit.dense is None else round(hit.dense, 6),
        )
