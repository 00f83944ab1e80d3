"""Document routing: which documents does a query name?

Users and legal queries name their document ("the termination clause in the Acme MSA", "Consider
the Service Agreement between BicycleTX Ltd and Nigel Crockett; ..."). Chunk-level retrieval alone
lets generic clause text from every other contract outrank the named one. A BM25 index over one
*profile* per document (title, file name, and its opening chunks, where the parties are named)
ranks documents; retrieval then boosts the chunks of the best-ranked documents and, when one
document clearly wins, pulls extra candidates from inside it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from assistant.retrieval.lexical import Tokenizer

PROFILE_CHUNKS = 2  # opening chunks per document that go into its profile


@dataclass
class RoutedDoc:
    source: str
    collection: str
    score: float
    naming_tokens: frozenset[str] = frozenset()  # query tokens that identify this document
    # Those of them its text writes as names: what the search inside the document leaves out
    # of the question (a topic word that happens to be rare stays: it is what is asked about).
    name_tokens: frozenset[str] = frozenset()


# A query token "names" a document when it occurs in that document's profile and in few others,
NAMING_MAX_DF = 0.05
# and in the text of few documents at all (twice as many as that): profiles hold only opening
# chunks, so an everyday word ("minutes", "total") can look rare among them, while a party or
# product name is rare in every chunk.
NAMING_SPREAD_FACTOR = 2
# Rarity says "this word names a document" only among enough documents: in a collection of three
# contracts every topical word ("breach") is rare, and stripping it would gut the question.
MIN_PROFILES_FOR_NAMING = 20


@dataclass
class _Profiles:
    key: tuple
    sources: list[str]
    bm25: object | None
    tokens: list[frozenset[str]]
    df: dict[str, int]
    names: list[frozenset[str]]  # per profile: tokens its opening text writes as names (see name_tokens)
    identifying: list[frozenset[str]]  # per profile: those and the tokens of its title and file name


class DocRouter:
    def __init__(self, store, lexical_indexes):
        self.store = store
        self.lexical = lexical_indexes
        self.tok: Tokenizer = lexical_indexes.tokenizer
        self._cache: dict[str, _Profiles] = {}
        self._lock = threading.Lock()

    def _key(self, collection: str) -> tuple:
        # The lexical generation changes with every content change; no per-query store round trip.
        return (self.lexical.get(collection).current_generation(),)

    def _profiles(self, collection: str) -> _Profiles:
        key = self._key(collection)
        cached = self._cache.get(collection)
        if cached is not None and cached.key == key:
            return cached
        with self._lock:
            cached = self._cache.get(collection)
            if cached is not None and cached.key == key:
                return cached
            headings: dict[str, list[str]] = {}  # title and file name
            bodies: dict[str, list[str]] = {}  # opening chunks
            for chunk in self.store.get_where(collection, {"ordinal": {"$lt": PROFILE_CHUNKS}}):
                m = chunk.meta
                source = m.get("source", "")
                if source not in headings:
                    name = re.sub(r"[^A-Za-z0-9]+", " ", source.rsplit("/", 1)[-1])
                    headings[source], bodies[source] = [m.get("title", ""), name], []
                bodies[source].append(chunk.text)
            sources = sorted(headings)
            bm25 = None
            # No token spans a line break, so the profile's tokens are its headings' then its body's.
            heading_tokens = [self.tok("\n".join(headings[s]), split_identifiers=True) for s in sources]
            corpus = [(h + self.tok("\n".join(bodies[s]), split_identifiers=True)) or ["\u2205"]
                      for s, h in zip(sources, heading_tokens)]
            token_sets = [frozenset(toks) for toks in corpus]
            names = [name_tokens("\n".join(bodies[s]), self.tok) for s in sources]
            # A document is named by its title, its file name or a name its text writes as one.
            identifying = [frozenset(h) | n for h, n in zip(heading_tokens, names)]
            df: dict[str, int] = {}
            for toks in token_sets:
                for t in toks:
                    df[t] = df.get(t, 0) + 1
            if sources:
                import bm25s

                bm25 = bm25s.BM25()
                bm25.index(corpus, show_progress=False)
            cached = _Profiles(key, sources, bm25, token_sets, df, names, identifying)
            self._cache[collection] = cached
            return cached

    def route(self, query: str, collections: list[str], sources: list[str] | None = None, n: int = 5) -> list[RoutedDoc]:
        tokens = self.tok(query)
        if not tokens:
            return []
        found: list[RoutedDoc] = []
        for name in collections:
            prof = self._profiles(name)
            if prof.bm25 is None:
                continue
            scores = prof.bm25.get_scores(tokens)
            if sources:
                allowed = np.isin(np.array(prof.sources, dtype=object), sources)
                scores = scores * allowed
            top = np.argsort(-scores)[:n]
            limit = max(1, int(NAMING_MAX_DF * len(prof.sources)))
            spread_limit = NAMING_SPREAD_FACTOR * limit
            naming_ok = len(prof.sources) >= MIN_PROFILES_FOR_NAMING
            # Rare among profiles first (cheap); only those are counted across all chunk text.
            rare = {t for t in tokens if prof.df.get(t, 0) <= limit} if naming_ok else set()
            spread = self.lexical.get(name).document_counts(rare) if rare else {}
            for i in top:
                if scores[i] <= 0:
                    continue
                naming = frozenset(t for t in rare if t in prof.tokens[i] and spread[t] <= spread_limit)
                # Rare topic words alone ("on-call load and pain", "outbound ... approval") don't
                # name a document: one of them must identify it (title, file name, a party,
                # product or alert name).
                if not naming & prof.identifying[i]:
                    naming = frozenset()
                found.append(RoutedDoc(prof.sources[i], name, float(scores[i]), naming, naming & prof.names[i]))
        found.sort(key=lambda d: -d.score)
        return found[:n]


_WORD = re.compile(r"[^\W_]+")


def name_tokens(text: str, tok: Tokenizer) -> frozenset[str]:
    """The tokens of the words `text` writes only as names: capitalised wherever they occur.
    "between Deltathree, Inc. and PrimeCall" gives deltathre, inc, primecal; a runbook that writes
    "on-call load" and "## Load" gives nothing for "load": it is also an everyday word there.
    A word seen only at the start of a sentence passes too; it still has to be rare to name anything.
    Text in capitals throughout (an old contract) makes every word a name: the rule then adds nothing
    to rarity, as before it existed."""
    words = _WORD.findall(text)
    capitalised = [w for w in words if not w.islower() and not w.isdigit()]  # "PrimeCall", "PLC", "On2"
    written_lower = set(tok(" ".join(w for w in words if w.islower() or w.isdigit())))
    return frozenset(t for t in tok(" ".join(capitalised)) if t not in written_lower)


def residual_query(query: str, naming: frozenset[str], tok: Tokenizer) -> str:
    """The query without the words that only serve to name the document ("...between BicycleTX
    Ltd and Nigel Crockett; how is IP ownership assigned?" -> the question part)."""
    if not naming:
        return query
    words = re.findall(r"\S+", query)
    kept = [w for w in words if not (set(tok(w)) & naming)]
    return " ".join(kept) if kept else query
