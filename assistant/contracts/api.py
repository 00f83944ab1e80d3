"""ContractService: clause lookup, key terms, SLA schedule and the obligation register, over the
same access policy, store and retriever as every other use case (nothing of its own to open;
assistant.wiring hands it its parts)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from assistant.audit import AuditTrail
from assistant.contracts.classify import ClauseClassifier, parse_stored
from assistant.contracts.document import contract_rows, load_contract, resolve_source
from assistant.contracts.key_terms import KeyTerms
from assistant.contracts.obligations import ObligationRegister, extract_obligations
from assistant.contracts.persistence import persistence_terms
from assistant.contracts.persistence_models import PersistenceTerms
from assistant.contracts.related import related_contracts
from assistant.contracts.sla_models import SlaSchedule
from assistant.contracts.taxonomy import Category
from assistant.text.clauses import clause_marks, normalize
from assistant.errors import InvalidInput
from assistant.models import CONTRACT_DOC_TYPES, Caller, SearchFilters, SearchResult

if TYPE_CHECKING:
    from assistant.retrieval.embedding import Embedder
    from assistant.reading import Reader

CANDIDATES = 50  # retrieval depth before re-ranking by clause-type evidence


class ClauseHit(SearchResult):
    """A search result plus what the clause classifier says about it."""

    clause_types: list[str] = Field(default_factory=list)
    type_score: float = 0.0  # the classifier's score for the requested type
    retrieval_score: float = 0.0  # the fused retrieval score the candidate came with (0: not retrieved)
    quote: str = ""  # the clause inside the chunk that carries the type (verbatim substring of `text`)
    clause_heading: str = ""


class ClauseLookup(BaseModel):
    type: str
    source: str | None = None
    as_of: str = ""  # the date whose terms in force ranked the clauses (ISO; today by default)
    found: bool
    message: str = ""
    results: list[ClauseHit] = Field(default_factory=list)


class ContractService:
    def __init__(self, reader: Reader, embedder: Embedder, classifier: ClauseClassifier, trail: AuditTrail):
        self.reader = reader
        self.store = reader.store
        self.embedder = embedder
        self.classifier = classifier
        self.taxonomy = classifier.taxonomy
        self.trail = trail
        self._query_vectors: dict[str, np.ndarray] = {}
        self._metas: dict[str, dict] = {}  # chunk id -> stored metadata, for clause-type scores

    # -- clause lookup ------------------------------------------------------------------------
    def lookup(self, type: str, caller: Caller, source: str | None = None, k: int = 5,  # noqa: A002
               as_of: str | None = None) -> ClauseLookup:
        from assistant.contracts.in_force import as_of_date

        category = self.taxonomy.resolve(type)
        if not 1 <= int(k) <= 50:
            raise InvalidInput("k must be between 1 and 50")
        day = as_of_date(as_of)  # a bad date is the caller's mistake, said before any work
        exact = resolve_source(self.reader.listing, caller, source) if source else None
        raw = self._rank(category, caller, exact)
        ranked = self._in_force(raw, caller, day)
        # "Found" is decided on the best score; once found, the next best are shown with their scores.
        found = bool(ranked) and ranked[0].score >= self.classifier.calibration.found_threshold
        # The k best in force, then (labelled) the superseded or not-yet-effective ones that ranked in
        # the k best before: shown after them, never as current, and never dropped for them (issue 26).
        shown = {h.chunk_id for h in raw[:k]}
        current = [h for h in ranked if not (h.superseded_by or h.in_force_from)]
        results = current[:k] + [h for h in ranked if (h.superseded_by or h.in_force_from) and h.chunk_id in shown] if found else []
        for hit in results:
            hit.quote, number, heading = self._best_clause(category, hit)
            hit.clause_no = number or _verified_clause_no(hit)
            hit.clause_heading = heading
        self._audit("clauses", caller, category.name, [h.chunk_id for h in results], exact)
        if not found:
            where = "in this contract" if exact else "in the contracts you can read"
            return ClauseLookup(type=category.name, source=exact, as_of=day, found=False, message=f"{category.name}: not found {where}")
        return ClauseLookup(type=category.name, source=exact, as_of=day, found=True, results=results)

    def _rank(self, category: Category, caller: Caller, source: str | None) -> list[ClauseHit]:
        collections = self.reader.access.readable(caller)
        if not collections:
            return []
        self.reader.lexical.ensure(collections)
        filters = SearchFilters(doc_type=list(CONTRACT_DOC_TYPES), source=[source] if source else None)
        retrieved = self.reader.retriever.search(category.search_query, collections, CANDIDATES, filters)
        candidates: dict[str, ClauseHit] = {r.chunk_id: ClauseHit(**r.model_dump(), retrieval_score=r.score) for r in retrieved}
        if source:
            # One contract: score every chunk of it, so a clause retrieval missed can still be found.
            for hit in self._whole_document(category, collections, source):
                known = candidates.get(hit.chunk_id)
                if known is None:
                    candidates[hit.chunk_id] = hit
                elif known.dense_score is None:
                    known.dense_score = hit.dense_score  # a BM25-only hit: its vector similarity from the scan
        self._load_metas(list(candidates.values()))
        for hit in candidates.values():
            meta = self._metas.get(hit.chunk_id) or {"section_path": hit.section_path, "char_start": hit.char_start}
            hit.clause_types = list(parse_stored(meta))
            # Scored again rather than read from storage: chunks ingested before the classifier
            # (or by another version) have no stored score, and retrieval hands us the similarity.
            hit.type_score = round(self.classifier.score_one(category, hit.text, meta, hit.dense_score), 6)
            hit.score = hit.type_score
        return sorted(candidates.values(), key=lambda h: (-h.score, -h.retrieval_score))

    def _load_metas(self, hits: list[ClauseHit]) -> None:
        """Stored metadata (ordinal, clause types) of the candidates, one store read per collection."""
        if len(self._metas) > 50_000:
            self._metas.clear()
        missing: dict[str, list[str]] = {}
        for hit in hits:
            if hit.chunk_id not in self._metas:
                missing.setdefault(hit.collection, []).append(hit.chunk_id)
        for name, ids in missing.items():
            for chunk in self.store.get(name, ids):
                self._metas[chunk.id] = chunk.meta

    def _whole_document(self, category: Category, collections: list[str], source: str) -> list[ClauseHit]:
        vector = self._query_vector(category)
        out = []
        for name in collections:
            total = self.store.count(name)
            if not total:
                continue
            for chunk in self.store.query(name, vector, total, {"source": source}):
                m = chunk.meta
                out.append(ClauseHit.from_stored(chunk.id, chunk.text, m, name, 0.0, round(1.0 - float(chunk.distance), 6),
                                                 clause_types=list(parse_stored(m))))
                self._metas[chunk.id] = m
        return out

    def _query_vector(self, category: Category) -> np.ndarray:
        if category.name not in self._query_vectors:
            self._query_vectors[category.name] = self.embedder.embed_query(category.search_query)
        return self._query_vectors[category.name]

    def _best_clause(self, category: Category, hit: ClauseHit) -> tuple[str, str, str]:
        """The clause unit inside the chunk with the most evidence for the type: (quote, number, heading)."""
        text = hit.text
        marks = clause_marks(text)
        bounds = [0] + [m.start for m in marks if m.start > 0] + [len(text)]
        units = [[a, b] for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
        merged: list[list[int]] = []
        for unit in units:
            # A bare heading ("10. Audit Rights") belongs with the clause that follows it.
            if merged and len(text[merged[-1][0] : merged[-1][1]].strip()) < 60:
                merged[-1][1] = unit[1]
            else:
                merged.append(unit)
        best, best_score = merged[0] if merged else [0, len(text)], -1.0
        for a, b in merged:
            unit = normalize(text[a:b])
            score = sum(w for p, w in category.cue_patterns if p.search(unit))
            heads = normalize(" ".join(m.heading for m in marks if a <= m.start < b and m.heading))
            if heads:
                score += 2.0 * max((w for p, w in category.heading_patterns if p.search(heads)), default=0.0)
            if score > best_score:
                best, best_score = [a, b], score
        a, b = best
        inner = [m for m in marks if a <= m.start < b]
        mark = inner[-1] if len(inner) > 1 and len(text[inner[0].start : inner[1].start].strip()) < 60 else (inner[0] if inner else None)
        return text[a:b].strip(), (mark.number if mark else ""), (mark.heading if mark else "")

    # -- key terms, SLA, obligations ----------------------------------------------------------
    def key_terms(self, source: str, caller: Caller, as_of: str | None = None) -> KeyTerms:
        """As amended on `as_of` (ISO date, today by default): contracts.composed."""
        from assistant.contracts.composed import key_terms_in_force

        doc = load_contract(self.reader.listing, self.store, caller, source)
        self._audit("key_terms", caller, "", [], doc.source)
        return key_terms_in_force(self.reader, caller, doc, as_of)

    def sla_schedule(self, source: str, caller: Caller, as_of: str | None = None) -> SlaSchedule:
        from assistant.contracts.composed import sla_schedule_in_force

        doc = load_contract(self.reader.listing, self.store, caller, source)
        self._audit("sla_schedule", caller, "", [], doc.source)
        return sla_schedule_in_force(self.reader, caller, doc, as_of)

    def persistence_terms(self, source: str, caller: Caller, metrics: list[str] | None = None) -> PersistenceTerms:
        """Persistent-failure and earn-back rules of `source`, read with the agreements it belongs with."""
        doc = load_contract(self.reader.listing, self.store, caller, source)
        terms = persistence_terms([doc, *related_contracts(self.reader.listing, self.store, caller, doc)], metrics)
        self._audit("persistence_terms", caller, "", [], doc.source)
        return terms

    def obligations(self, caller: Caller, source: str | None = None) -> ObligationRegister:
        if source:
            sources = [resolve_source(self.reader.listing, caller, source)]
        else:
            sources = sorted({r.source for r in contract_rows(self.reader.listing, caller)})
        register = ObligationRegister(sources=sources)
        for src in sources:
            part = extract_obligations(load_contract(self.reader.listing, self.store, caller, src))
            register.obligations += part.obligations
            register.rights += part.rights
            register.notes += part.notes
        self._audit("obligations", caller, "", [], source or f"{len(sources)} contracts")
        return register

    # -- helpers ------------------------------------------------------------------------------
    def _in_force(self, ranked: list[ClauseHit], caller: Caller, as_of: str | None) -> list[ClauseHit]:
        """The amending clause in place of one an amendment superseded on `as_of` (issue 26)."""
        from assistant.contracts.in_force import as_of_date
        from assistant.contracts.in_force_answers import in_force_first

        now, pending = self.reader.in_force.for_date(self.reader.access.readable(caller), as_of_date(as_of))
        return in_force_first(ranked, now, pending) if now or pending else ranked

    def _audit(self, action: str, caller: Caller, question: str, chunk_ids: list[str], source: str | None) -> None:
        self.trail.record(action, caller, question, chunk_ids, detail=f"source={source}" if source else "")


def _verified_clause_no(hit: SearchResult) -> str:
    """The stored clause number, only if it occurs in the chunk's text or its section heading."""
    number = hit.clause_no or ""
    if not number or number.startswith("("):
        return ""
    pattern = rf"(?<![\d.]){re.escape(number)}(?![\d])"
    if re.search(pattern, hit.text[:200], re.I) or re.search(pattern, hit.section_path, re.I):
        return number
    return ""
