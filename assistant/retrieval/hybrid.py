"""Hybrid retrieval: dense (Chroma) + lexical (BM25) over the caller's collections, fused by
weighted reciprocal rank fusion. Filters go *into* both retrievers, never after the cut."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.logs import logger
from assistant.config import Settings
from assistant.models import SearchFilters, SearchResult
from assistant.retrieval.indexes import LexicalIndexes
from assistant.retrieval.store import StoredChunk, VectorStore
from assistant.text import amounts

log = logger("retrieval")

# An exact reference in a query: a clause number ("12.2", "Section 4"), a quoted phrase, or an id
# that mixes letters and digits ("KB0042137", "INC-20231"). Severity names such as "SEV-1" are
# too short to count: they are topics, not references.
_EXACT_REFERENCE = re.compile(
    r"\b\d+(?:\.\d+)+\b|\b(?:section|clause|article|schedule|exhibit|annex|appendix|paragraph)\s+(?:\d+[a-z]?|[ivx]+)\b|"
    r"[\"“][^\"”]{3,}[\"”]|\b(?=[A-Za-z-]*\d)(?=[\d-]*[A-Za-z])[A-Za-z0-9-]{7,}\b", re.I)


# Per list at most 1e-5 (times its weight): all lists together stay below the gap between two
# adjacent RRF ranks inside the candidate lists (>= 1/(120*121) = 6.9e-5 at rrf_k 60, 60 candidates).
TIE_BREAK = 1e-5
# Routing reads at least two documents: the first is routed to only when it leads the runner-up by route_margin.
ROUTED_FOR_MARGIN = 2


def cites_exact_reference(query: str) -> bool:
    return bool(_EXACT_REFERENCE.search(query))


@dataclass
class _Hit:
    chunk: StoredChunk | None
    collection: str
    score: float = 0.0
    dense: float | None = None


def _preferred(doc, hidden: dict):
    """A routed document that is a hidden copy stands for its preferred copy."""
    target = hidden.get((doc.collection, doc.source))
    if target is None:
        return doc
    import dataclasses

    return dataclasses.replace(doc, collection=target[0], source=target[1])


def _first_of_each(docs: list) -> list:
    seen, out = set(), []
    for d in docs:
        if (d.collection, d.source) not in seen:
            seen.add((d.collection, d.source))
            out.append(d)
    return out


@dataclass
class Retrieval:
    results: list[SearchResult]
    named_source: str | None = None  # the document the query names (routing sent it inside)


@dataclass
class _Fused:
    results: list[SearchResult]
    judge_query: str
    named_source: str | None = None


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
    def __init__(self, settings: Settings, embedder, store: VectorStore, lexical: LexicalIndexes, judge=None,
                 duplicates=None):
        from assistant.retrieval.routing import DocRouter

        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.judge = judge  # assistant.retrieval.judge.PassageJudge, or None: no judge stage
        self.duplicates = duplicates  # assistant.retrieval.duplicates.Duplicates, or None: copies are not collapsed
        self.router = DocRouter(store, lexical)
        self._id_sources: dict[str, tuple[object, dict[str, str]]] = {}

    def search(self, query: str, collections: list[str], k: int, filters: SearchFilters | None = None,
               rerank: bool = False) -> list[SearchResult]:
        """The top k for `query` over `collections`; `rerank`: through the judge stage too (when a
        judge is configured), which re-scores the best `judge.candidates` fused results."""
        return self.retrieve(query, collections, k, filters, rerank).results

    def retrieve(self, query: str, collections: list[str], k: int, filters: SearchFilters | None = None,
                 rerank: bool = False) -> Retrieval:
        """search(), and the document the query names when it was routed into one."""
        judged = rerank and self.judge is not None and self.settings.judge.enabled
        depth = max(k, self.settings.judge.candidates) if judged else k
        fused = self._fused(query, collections, depth, filters)
        results = fused.results
        if judged:
            from assistant.retrieval.rerank import rerank as judge_stage

            results = judge_stage(fused.judge_query, results, self.judge, self.settings.judge)
        return Retrieval(results[:k], fused.named_source)

    def _fused(self, query: str, collections: list[str], k: int, filters: SearchFilters | None) -> _Fused:
        """The hybrid top k; the question the judge should read: the query without the words that
        name a document when it was routed into one (the judge would otherwise prefer the passage
        that repeats the names, a contract's preamble); and that document."""
        if filters and filters.collection is not None:
            collections = [c for c in collections if c in set(filters.collection)]
        if not collections or not query.strip():
            return _Fused([], query)  # deny by default: no readable collection means no results, never "no filter"
        if filters and any(v is not None and not v for v in (filters.doc_type, filters.source)):
            return _Fused([], query)  # an empty allow-list allows nothing, as an empty collection list does
        cfg = self.settings.retrieval
        doc_types = list(filters.doc_type) if filters and filters.doc_type else None
        sources = list(filters.source) if filters and filters.source else None
        hits: dict[str, _Hit] = {}
        vector = self.embedder.embed_query(query)

        dense = self._dense(vector, collections, cfg.dense_candidates, _where(filters))
        self._add_ranked(hits, dense, cfg.dense_weight, dense=True)
        lexical = self._lexical(query, collections, cfg.lexical_candidates, doc_types, sources)
        boost = cfg.exact_reference_boost if cites_exact_reference(query) else 1.0
        self._add_ranked(hits, lexical, cfg.lexical_weight * boost)

        hidden = self.duplicates.hidden(collections, sources) if self.duplicates is not None else {}
        if hidden:
            # One copy of each passage: the other copies' chunks leave before the ranking.
            generations: dict[str, str | None] = {}  # the index's generation file read once per collection, not per hit
            hits = {cid: h for cid, h in hits.items()
                    if (h.collection, self._source_of(h, cid, generations)) not in hidden}
        routed = self.router.route(query, collections, sources, n=max(cfg.route_docs, ROUTED_FOR_MARGIN)) if cfg.route_docs else []
        # A copy routed next to its preferred copy is the same document, not a runner-up.
        routed = _first_of_each([_preferred(d, hidden) for d in routed])
        top = routed[0] if routed else None
        runner_up = routed[1].score if len(routed) > 1 else 0.0
        judge_query, named = query, None
        # Only a query that clearly names a document is routed: boosting a topical best guess
        # pulls every result into one (often wrong) document for ordinary process questions.
        if top is not None and len(top.naming_tokens) >= cfg.route_min_naming and top.score >= cfg.route_margin * runner_up:
            named = top.source
            if cfg.in_doc_candidates:
                judge_query = self._search_inside(hits, top, query, doc_types)
            boost = {(d.collection, d.source): cfg.doc_weight / (cfg.rrf_k + rank + 1) for rank, d in enumerate(routed[: cfg.route_docs])}
            generations = {}
            for cid, hit in hits.items():
                hit.score += boost.get((hit.collection, self._source_of(hit, cid, generations)), 0.0)

        amount = amounts.asked_amount(query)
        if amount is not None:
            self._add_placing(hits, amount)
        ranked = sorted(hits.items(), key=lambda kv: -kv[1].score)[:k]
        self._fill_text(ranked)
        return _Fused([self._result(cid, hit) for cid, hit in ranked if hit.chunk is not None], judge_query, named)

    def _search_inside(self, hits: dict[str, _Hit], doc, query: str, doc_types) -> str:
        """The query names one document: rank that document's chunks by the rest of the question.

        The naming words ("...between Acme Corp and Jane Doe") would otherwise make the preamble
        the best match inside the document; the corpus-wide scores of its chunks are replaced.
        """
        from assistant.retrieval.routing import residual_query

        cfg = self.settings.retrieval
        question = residual_query(query, doc.name_tokens, self.lexical.tokenizer)
        vector = self.embedder.embed_query(question)
        where = {"source": doc.source} if not doc_types else {"$and": [{"source": doc.source}, {"doc_type": {"$in": doc_types}}]}
        generations: dict[str, str | None] = {}
        for cid, hit in hits.items():
            if hit.collection == doc.collection and self._source_of(hit, cid, generations) == doc.source:
                hit.score = 0.0
        inside = [(c, doc.collection) for c in self.store.query(doc.collection, vector, cfg.in_doc_candidates, where,
                                                                 include_text=False)]
        self._add_ranked(hits, inside, cfg.dense_weight, dense=True)
        inside_lex = self._lexical(question, [doc.collection], cfg.in_doc_candidates, doc_types, [doc.source])
        self._add_ranked(hits, inside_lex, cfg.lexical_weight)
        return question

    def _add_placing(self, hits: dict[str, _Hit], amount: float) -> None:
        """The query asks about an amount of money ("who approves a $3,500 refund?"): the passages
        among the best candidates whose ranges contain it ("2,000.01 to 5,000.00") are a third
        ranked list. The row that answers shares no word with the question, so the other two
        lists alone leave it out of the top k."""
        cfg = self.settings.retrieval
        best = sorted(hits.items(), key=lambda kv: -kv[1].score)[: cfg.amount_candidates]
        self._fill_text(best)
        placing = [(cid, amounts.placement(hit.chunk.text, amount), hit.collection)
                   for cid, hit in best if hit.chunk is not None]
        # A bounded range ("2,000.01 to 5,000.00") before an open one ("over 2,000"); ties keep the
        # fused order (sort is stable).
        ranked = sorted((p for p in placing if p[1] > 0), key=lambda p: -p[1])
        self._add_ranked(hits, ranked, cfg.lexical_weight)

    # -- candidate lists --------------------------------------------------------------------
    def _dense(self, vector, collections: list[str], n: int, where: dict | None) -> list[tuple[StoredChunk, str]]:
        found: list[tuple[StoredChunk, str]] = []
        for name in collections:
            # ids and distances only: fusion needs no more, and _fill_text reads the top k's text.
            found.extend((c, name) for c in self.store.query(name, vector, n, where, include_text=False))
        found.sort(key=lambda pair: pair[0].distance)
        return found[:n]

    def _lexical(self, query: str, collections: list[str], n: int, doc_types, sources) -> list[tuple[str, float, str]]:
        found: list[tuple[str, float, str]] = []
        for name in collections:
            found.extend((cid, s, name) for cid, s in self.lexical.get(name).search(query, n, doc_types, sources))
        found.sort(key=lambda t: -t[1])
        return found[:n]

    def _add_ranked(self, hits: dict[str, _Hit], ranked: list, weight: float, dense: bool = False) -> None:
        rrf_k = self.settings.retrieval.rrf_k
        scores = [1.0 - float(item[0].distance) if dense else float(item[1]) for item in ranked]
        top = max(scores, default=0.0)
        for rank, (item, raw) in enumerate(zip(ranked, scores)):
            if dense:
                chunk, name = item
                hit = hits.setdefault(chunk.id, _Hit(chunk, name))
                if hit.chunk is None:
                    hit.chunk = chunk
                # Keep the best similarity seen (corpus-wide or residual): it feeds refusal.
                hit.dense = max(hit.dense or -1.0, raw)
                cid = chunk.id
            else:
                cid, _, name = item
                hit = hits.setdefault(cid, _Hit(None, name))
            hit.score += weight / (rrf_k + rank + 1)
            # Two lists often tie exactly (rank 1 + rank 2 against rank 2 + rank 1). The scores say
            # by how much each list preferred its pick; this term only breaks ties, being smaller
            # than the gap between any two adjacent ranks.
            if top > 0:
                hit.score += TIE_BREAK * weight * max(raw, 0.0) / top

    def _source_of(self, hit: _Hit, cid: str, generations: dict[str, str | None]) -> str:
        if hit.chunk is not None and hit.chunk.meta:
            return hit.chunk.meta.get("source", "")
        # Not fetched yet (a BM25-only or text-less dense candidate): the lexical index maps every id.
        index = self.lexical.get(hit.collection)
        if hit.collection not in generations:
            generations[hit.collection] = index.current_generation()
        generation = generations[hit.collection]
        cached = self._id_sources.get(hit.collection)
        if cached is None or cached[0] != generation:
            index.search("", 0)  # make sure the current generation is loaded
            cached = (generation, dict(zip(index.ids, index.sources)))
            self._id_sources[hit.collection] = cached
        return cached[1].get(cid, "")

    def _fill_text(self, ranked: list[tuple[str, _Hit]]) -> None:
        need: dict[str, list[str]] = {}
        for cid, hit in ranked:
            if hit.chunk is None or not hit.chunk.meta:
                need.setdefault(hit.collection, []).append(cid)
        by_id = {}
        for name, ids in need.items():
            for chunk in self.store.get(name, ids):
                by_id[chunk.id] = chunk
        for cid, hit in ranked:
            if hit.chunk is None or not hit.chunk.meta:
                hit.chunk = by_id.get(cid)  # None if deleted since the search began: dropped from results

    @staticmethod
    def _result(cid: str, hit: _Hit) -> SearchResult:
        return SearchResult.from_stored(cid, hit.chunk.text, hit.chunk.meta, hit.collection, round(hit.score, 6),
                                        None if hit.dense is None else round(hit.dense, 6))
