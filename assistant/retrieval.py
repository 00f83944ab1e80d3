"""Hybrid retrieval: dense (Chroma) + lexical (BM25) over the caller's collections, fused by
weighted reciprocal rank fusion. Filters go *into* both retrievers, never after the cut."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from assistant import amounts
from assistant.config import Settings
from assistant.lexical import LexicalIndex, Tokenizer
from assistant.models import DocumentInfo, SearchFilters, SearchResult
from assistant.store import StoredChunk, VectorStore

log = logging.getLogger("bpo.retrieval")

# An exact reference in a query: a clause number ("12.2", "Section 4"), a quoted phrase, or an id
# that mixes letters and digits ("KB0042137", "INC-20231"). Severity names such as "SEV-1" are
# too short to count: they are topics, not references.
_EXACT_REFERENCE = re.compile(
    r"\b\d+(?:\.\d+)+\b|\b(?:section|clause|article|schedule|exhibit|annex|appendix|paragraph)\s+(?:\d+[a-z]?|[ivx]+)\b|"
    r"[\"“][^\"”]{3,}[\"”]|\b(?=[A-Za-z-]*\d)(?=[\d-]*[A-Za-z])[A-Za-z0-9-]{7,}\b", re.I)


# Per list at most 1e-5 (times its weight): all lists together stay below the gap between two
# adjacent RRF ranks inside the candidate lists (>= 1/(120*121) = 6.9e-5 at rrf_k 60, 60 candidates).
TIE_BREAK = 1e-5


def cites_exact_reference(query: str) -> bool:
    return bool(_EXACT_REFERENCE.search(query))


class LexicalIndexes:
    """One BM25 index per collection, kept in step with Chroma across processes.

    The ingest run calls rebuild() for the collections it changed: it rebuilds their indexes from
    Chroma and then publishes a new content marker in the collection's metadata. Every process
    checks the marker of a collection it searches at most every `check_interval_s` seconds
    (default 2 s: one metadata round trip); when it differs from the marker the local index was
    built from, the index is rebuilt from Chroma - in a background thread while an older index
    keeps serving, inline when there is none. Processes that share a data directory share the
    index files too: one of them builds (file lock), the others reload via the CURRENT pointer.
    So a worker sees an ingest's changes in BM25 at most check_interval_s + one rebuild after the
    ingest finished (dense search sees them at once: Chroma is shared).
    """

    def __init__(self, folder: Path, store: VectorStore, check_interval_s: float = 2.0, background: bool = True):
        self.folder = folder
        self.store = store
        self.tokenizer = Tokenizer()
        self.check_interval_s = check_interval_s
        self.background = background
        self._indexes: dict[str, LexicalIndex] = {}
        self._checked_at: dict[str, float] = {}
        self._refreshing: set[str] = set()
        self._warned: set[str] = set()
        self._guard = threading.Lock()

    def get(self, collection: str) -> LexicalIndex:
        if collection not in self._indexes:
            self._indexes[collection] = LexicalIndex(self.folder / collection, self.tokenizer)
        return self._indexes[collection]

    # -- the ingest side --------------------------------------------------------------------
    def rebuild(self, collections: set[str]) -> None:
        """After an ingest changed `collections`: rebuild from Chroma, then publish a new marker."""
        for name in sorted(collections):
            marker = f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
            with self.get(name).build_lock():  # waits for a worker of this data dir building it
                self._build(name, marker, self.tokenizer)
                self.store.set_generation(name, marker)
            self._checked_at[name] = time.monotonic()

    def _build(self, name: str, marker: str | None, tokenizer: Tokenizer) -> None:
        rows, documents = [], {}
        for c in self.store.iter_all(name):
            m = c.meta
            # Title and section path are indexed with the body: headings are the strongest
            # lexical evidence a passage has ("Update Cadence", "Termination for Convenience").
            rows.append((c.id, f"{m.get('title', '')}\n{m.get('section_path', '')}\n{c.text}",
                         m.get("doc_type", ""), m.get("source", "")))
            _summarise(documents, name, m)
        self.get(name).build(rows, marker=marker, documents=sorted(documents.values(), key=lambda d: d["source"]),
                             tokenizer=tokenizer)

    # -- the reading side -------------------------------------------------------------------
    def ensure(self, collections: list[str]) -> None:
        """Bring the indexes of `collections` up to date with Chroma (checked every check_interval_s)."""
        now = time.monotonic()
        for name in collections:
            if now - self._checked_at.get(name, float("-inf")) < self.check_interval_s:
                continue
            self._checked_at[name] = now
            self._check(name)

    def _check(self, name: str) -> None:
        try:
            state = self.store.state(name)
        except Exception as exc:  # store unreachable: keep serving the index we have
            log.warning("event=lexical_check_failed collection=%s error=%s", name, type(exc).__name__)
            return
        if state.embedder and state.embedder != self.store.fingerprint and name not in self._warned:
            # Another process re-embedded with another model or backend: restart this one with the same config.
            log.warning("event=embedder_mismatch collection=%s stored=%s ours=%s", name, state.embedder, self.store.fingerprint)
            self._warned.add(name)
        index = self.get(name)
        info = index.info()
        if info is not None and info.get("marker") == state.generation and (state.exists or not info.get("count")):
            return
        if info is None and not state.exists:
            return  # nothing stored, nothing built: searching it finds nothing either way
        if self.background and info is not None:  # an older index serves while the new one is built
            self._refresh_in_background(name)
        else:
            self._refresh(name, self.tokenizer)

    def _refresh(self, name: str, tokenizer: Tokenizer) -> None:
        from filelock import Timeout

        lock = self.get(name).build_lock()
        try:
            lock.acquire(timeout=0)
        except Timeout:  # another process of this data dir is building it: reload its result
            return
        try:
            state = self.store.state(name)  # re-read under the lock: it may be built by now
            info = self.get(name).info()
            if info is None or info.get("marker") != state.generation or (not state.exists and info.get("count")):
                log.info("event=lexical_refresh collection=%s marker=%s", name, state.generation)
                self._build(name, state.generation, tokenizer)
        finally:
            lock.release()

    def _refresh_in_background(self, name: str) -> None:
        with self._guard:
            if name in self._refreshing:
                return
            self._refreshing.add(name)

        def run():
            try:
                self._refresh(name, Tokenizer())  # own tokenizer: PyStemmer objects are not thread-safe
            except Exception as exc:
                log.warning("event=lexical_refresh_failed collection=%s error=%s", name, type(exc).__name__)
            finally:
                with self._guard:
                    self._refreshing.discard(name)

        threading.Thread(target=run, name=f"bm25-refresh-{name}", daemon=True).start()

    def known(self, collections: list[str], tokens: set[str], inside: set[str] = frozenset()) -> set[str]:
        """The tokens that occur in `collections` (callers pass only readable ones); see LexicalIndex.known."""
        self.ensure(collections)
        found: set[str] = set()
        for name in collections:
            found |= self.get(name).known(tokens - found, inside)
        return found

    def documents(self, collections: list[str]) -> list[DocumentInfo]:
        """The documents stored in `collections`, derived from Chroma's chunk metadata.

        Unlike the catalog (SQLite in the ingest's data directory) this is the same in every
        process on every machine; `root` is not stored per chunk and is reported as "".
        """
        self.ensure(collections)
        out = [DocumentInfo(**d) for name in collections for d in self.get(name).documents()]
        return sorted(out, key=lambda d: (d.source, d.collection))


def _summarise(documents: dict[str, dict], collection: str, meta: dict) -> None:
    doc = documents.get(meta.get("doc_id", ""))
    if doc is None:
        doc = documents[meta.get("doc_id", "")] = {
            "doc_id": meta.get("doc_id", ""), "source": meta.get("source", ""), "root": "", "collection": collection,
            "doc_type": meta.get("doc_type", "other"), "title": meta.get("title", ""), "chunks": 0,
            "ingested_at": meta.get("ingested_at", ""), "effective_date": meta.get("effective_date", ""),
            "version": meta.get("version", ""),
        }
    doc["chunks"] += 1
    doc["ingested_at"] = max(doc["ingested_at"], meta.get("ingested_at", ""))


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
        from assistant.docrouting import DocRouter

        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.judge = judge  # assistant.judge.PassageJudge, or None: no judge stage
        self.duplicates = duplicates  # assistant.duplicates.Duplicates, or None: copies are not collapsed
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
            from assistant.rerank import rerank as judge_stage

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
            hits = {cid: h for cid, h in hits.items() if (h.collection, self._source_of(h, cid)) not in hidden}
        routed = self.router.route(query, collections, sources, n=max(cfg.route_docs, 2)) if cfg.route_docs else []
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
            for cid, hit in hits.items():
                hit.score += boost.get((hit.collection, self._source_of(hit, cid)), 0.0)

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
        from assistant.docrouting import residual_query

        cfg = self.settings.retrieval
        question = residual_query(query, doc.name_tokens, self.lexical.tokenizer)
        vector = self.embedder.embed_query(question)
        where = {"source": doc.source} if not doc_types else {"$and": [{"source": doc.source}, {"doc_type": {"$in": doc_types}}]}
        for cid, hit in hits.items():
            if hit.collection == doc.collection and self._source_of(hit, cid) == doc.source:
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

    def _source_of(self, hit: _Hit, cid: str) -> str:
        if hit.chunk is not None and hit.chunk.meta:
            return hit.chunk.meta.get("source", "")
        # Not fetched yet (a BM25-only or text-less dense candidate): the lexical index maps every id.
        index = self.lexical.get(hit.collection)
        generation = index.current_generation()
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
