"""BM25 (bm25s) over one collection, persisted beside Chroma and rebuilt from it.

The index is derived data: after an ingest changes a collection it is rebuilt from the chunk
texts stored in Chroma, written to a fresh folder and switched in atomically, so a reader never
sees a half-written index and a crash leaves the previous one in place. Readers notice a newer
generation by a cheap read of the CURRENT pointer and reload, which keeps several processes that
share one data directory consistent. Each generation also records the Chroma *content marker*
it was built from (see assistant.retrieval.indexes), which is how processes with their own data
directory notice that Chroma changed. Builds in one folder are serialised by a file lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import numpy as np

# Clause numbers ("12.2", "4.1.3") and defined terms survive as single tokens: legal users
# search for exact references, and BM25's default pattern would split or drop them.
_TOKEN = re.compile(r"\d+(?:\.\d+)+|[^\W_]+", re.UNICODE)
# Bump when what is indexed or how it is tokenised changes: older indexes are then rebuilt.
INDEX_FORMAT = "3"
# A case change inside a word: "interfaceFlapping", "HPAMaxed" (an acronym run before a capitalised word).
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_THOUSANDS = re.compile(r"(\d),(\d{3})\b")
_ZERO_CENTS = re.compile(r"(\d)\.00\b")  # "5,000.00" is the amount 5000
_STOPWORDS = frozenset(
    """a an and are as at be by for from has have he her his i if in into is it its of on or our
    she so than that the their them then there these they this to was we were what when where which
    who will with would you your shall may must does do did how can""".split()
)


class _Stemmer:
    def __init__(self):
        try:
            import Stemmer

            self._stem = Stemmer.Stemmer("english").stemWord
        except ImportError:  # PyStemmer is a declared dependency; degrade rather than crash
            self._stem = lambda w: w

    def __call__(self, word: str) -> str:
        return self._stem(word)


class Tokenizer:
    def __init__(self):
        self.stem = _Stemmer()
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str, split_identifiers: bool = False) -> list[str]:
        """`split_identifiers`: also emit an identifier's words (see `_terms`). Indexing and the BM25
        query split; document routing and the unknown-term check keep identifiers whole, so a name
        the documents lack stays unknown instead of matching on its everyday words."""
        out = []
        # "5,000" and "5000" must match: drop thousands separators before tokenising.
        text = _ZERO_CENTS.sub(r"\1", _THOUSANDS.sub(r"\1\2", text))
        for raw in _TOKEN.findall(text):
            toks = self._cache.get(raw)
            if toks is None:
                toks = self._terms(raw)
                if len(self._cache) < 200_000:
                    self._cache[raw] = toks
            out.extend(toks if split_identifiers else toks[:1])
        return out

    def _terms(self, raw: str) -> tuple[str, ...]:
        low = raw.lower()
        if low in _STOPWORDS:
            return ()
        if raw[0].isdigit():
            return (low,)
        whole = self.stem(low)
        # An identifier ("NodeNetworkInterfaceFlapping", "KubeHpaMaxedOut") is indexed whole, for
        # exact lookups, and by its words: people describe an alert in words ("network interface
        # keeps flapping on one node"), and its short sections ("Mitigation") carry no other
        # mention of what they are about.
        parts = _CAMEL_PART.findall(raw) if _CAMEL.search(raw) else []
        if len(parts) < 2:
            return (whole,)
        return (whole, *(self.stem(p.lower()) for p in parts if p.lower() not in _STOPWORDS))


class LexicalIndex:
    """BM25 over the chunks of one collection, with per-row doc_type/source for filter masks."""

    def __init__(self, folder: Path, tokenizer: Tokenizer):
        self.folder = folder
        self.tok = tokenizer
        self._lock = threading.Lock()
        self._loaded_gen: str | None = None
        self._bm25 = None
        self.ids: list[str] = []
        self.doc_types: np.ndarray = np.array([], dtype=object)
        self.sources: np.ndarray = np.array([], dtype=object)
        self._documents: list[dict] = []
        self._vocab: tuple[str | None, set[str], str] | None = None  # (generation, tokens, tokens joined)
        self._doc_counts: tuple[str | None, dict[str, int]] = (None, {})  # (generation, token -> documents)
        self._codes: tuple[str | None, np.ndarray] | None = None

    # -- build ------------------------------------------------------------------------------
    def build_lock(self):
        """The lock every builder of this folder holds (processes sharing a data directory)."""
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / ".build.lock"))

    def build(self, rows: list[tuple[str, str, str, str]], marker: str | None = None,
              documents: list[dict] | None = None, tokenizer: Tokenizer | None = None) -> None:
        """rows: (chunk_id, text, doc_type, source). Writes a new generation and switches to it.

        `marker` is the Chroma content marker the rows were read under; `documents` one summary
        per document (the Chroma-derived document list). Callers hold build_lock().
        """
        import bm25s

        tok = tokenizer or self.tok
        self.folder.mkdir(parents=True, exist_ok=True)
        gen = f"{time.time_ns()}-{os.getpid()}"
        target = self.folder / f"gen-{gen}"
        target.mkdir()
        meta = {"format": INDEX_FORMAT, "ids": [r[0] for r in rows], "doc_types": [r[2] for r in rows], "sources": [r[3] for r in rows]}
        if rows:
            corpus_tokens = [tok(r[1], split_identifiers=True) or ["\u2205"] for r in rows]
            model = bm25s.BM25()
            model.index(corpus_tokens, show_progress=False)
            model.save(str(target / "bm25"))
        (target / "rows.json").write_text(json.dumps(meta), encoding="utf-8")
        (target / "documents.json").write_text(json.dumps(documents or []), encoding="utf-8")
        # Written last: a generation without info.json is incomplete and never current.
        info = {"format": INDEX_FORMAT, "marker": marker, "count": len(rows)}
        (target / "info.json").write_text(json.dumps(info), encoding="utf-8")
        pointer = self.folder / "CURRENT"
        tmp = self.folder / f"CURRENT.{gen}.tmp"
        tmp.write_text(gen, encoding="utf-8")
        os.replace(tmp, pointer)  # atomic switch
        self._prune(keep=gen)

    def _prune(self, keep: str) -> None:
        for old in self.folder.glob("gen-*"):
            if old.name != f"gen-{keep}":
                shutil.rmtree(old, ignore_errors=True)

    # -- read -------------------------------------------------------------------------------
    def current_generation(self) -> str | None:
        try:
            return (self.folder / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None

    def info(self) -> dict | None:
        """{format, marker, count} of the current generation, if it is complete and in our format."""
        gen = self.current_generation()
        if gen is None:
            return None
        try:
            info = json.loads((self.folder / f"gen-{gen}" / "info.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        return info if info.get("format") == INDEX_FORMAT else None

    def is_current(self) -> bool:
        """Built, and in the format this code writes."""
        return self.info() is not None

    @property
    def loaded(self) -> bool:
        return self._loaded_gen is not None

    def documents(self) -> list[dict]:
        self._ensure_loaded()
        return self._documents

    def _ensure_loaded(self) -> bool:
        gen = self.current_generation()
        if gen is None:
            return False
        if gen == self._loaded_gen:
            return True
        import bm25s

        with self._lock:
            if gen != self._loaded_gen:
                target = self.folder / f"gen-{gen}"
                try:
                    meta = json.loads((target / "rows.json").read_text(encoding="utf-8"))
                    bm25 = bm25s.BM25.load(str(target / "bm25")) if meta["ids"] else None
                    docs_file = target / "documents.json"
                    documents = json.loads(docs_file.read_text(encoding="utf-8")) if docs_file.exists() else []
                except (FileNotFoundError, json.JSONDecodeError):
                    return self._loaded_gen is not None  # pruned under us: keep what we have
                self._bm25 = bm25
                self.ids = meta["ids"]
                self.doc_types = np.array(meta["doc_types"], dtype=object)
                self.sources = np.array(meta["sources"], dtype=object)
                self._documents = documents
                self._loaded_gen = gen
        return True

    def __len__(self) -> int:
        self._ensure_loaded()
        return len(self.ids)

    def known(self, tokens: set[str], inside: set[str] = frozenset()) -> set[str]:
        """The tokens (as the tokenizer emits them) that occur in a chunk, a title or a file name.
        Tokens in `inside` also count when they occur inside a longer token ("notreadi" inside
        "kubenodenotreadi"): identifiers are often written joined to others."""
        if not self._ensure_loaded() or self._bm25 is None:
            return set()
        vocab, joined = self._vocabulary()
        return {t for t in tokens if t in vocab or (t in inside and t in joined)}

    def document_counts(self, tokens: set[str]) -> dict[str, int]:
        """How many distinct documents (sources) have a chunk containing each token (0 if none)."""
        if not self._ensure_loaded() or self._bm25 is None:
            return {t: 0 for t in tokens}
        cache = self._doc_counts
        if cache[0] != self._loaded_gen:
            cache = self._doc_counts = (self._loaded_gen, {})
        vocab, csc = self._bm25.vocab_dict, self._bm25.scores
        for t in tokens - cache[1].keys():
            tid = vocab.get(t)
            rows = () if tid is None else csc["indices"][csc["indptr"][tid]:csc["indptr"][tid + 1]]
            cache[1][t] = len(np.unique(self._source_codes()[rows])) if len(rows) else 0
        return {t: cache[1][t] for t in tokens}

    def _source_codes(self) -> np.ndarray:
        """Each row's source as a small int (np.unique over ints, not Python strings)."""
        if self._codes is None or self._codes[0] != self._loaded_gen:
            _, codes = np.unique(self.sources.astype(str), return_inverse=True)
            self._codes = (self._loaded_gen, codes.astype(np.int32))
        return self._codes[1]

    def _vocabulary(self) -> tuple[set[str], str]:
        if self._vocab is None or self._vocab[0] != self._loaded_gen:
            words = set(self._bm25.vocab_dict)
            for doc in self._documents:  # titles and file names are not in the chunk bodies
                words.update(self.tok(f"{doc.get('title', '')} {doc.get('source', '')}", split_identifiers=True))
            self._vocab = (self._loaded_gen, words, "\n".join(words))
        return self._vocab[1], self._vocab[2]

    def search(self, query: str, n: int, doc_types: list[str] | None = None, sources: list[str] | None = None) -> list[tuple[str, float]]:
        if not self._ensure_loaded() or self._bm25 is None or not self.ids:
            return []
        tokens = self.tok(query, split_identifiers=True)
        if not tokens:
            return []
        mask = None
        if doc_types or sources:
            keep = np.ones(len(self.ids), dtype=bool)
            if doc_types:
                keep &= np.isin(self.doc_types, doc_types)
            if sources:
                keep &= np.isin(self.sources, sources)
            if not keep.any():
                return []
            mask = keep.astype(np.float32)
        scores = self._bm25.get_scores(tokens, weight_mask=mask) if mask is not None else self._bm25.get_scores(tokens)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
