"""LexicalIndexes: one BM25 index per collection (assistant.retrieval.lexical), kept in step with
Chroma across processes and rebuilt after an ingest changes a collection."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

from assistant.logs import event_line, logger
from assistant.models import DocumentInfo
from assistant.retrieval.lexical import LexicalIndex, Tokenizer
from assistant.retrieval.store import VectorStore

log = logger("retrieval")


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
            log.warning(event_line("lexical_check_failed", collection=name, error=type(exc).__name__))
            return
        if state.embedder and state.embedder != self.store.fingerprint and name not in self._warned:
            # Another process re-embedded with another model or backend: restart this one with the same config.
            log.warning(event_line("embedder_mismatch", collection=name, stored=state.embedder, ours=self.store.fingerprint))
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
                log.info(event_line("lexical_refresh", collection=name, marker=state.generation))
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
                log.warning(event_line("lexical_refresh_failed", collection=name, error=type(exc).__name__))
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
