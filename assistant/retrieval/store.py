"""Chroma behind one small interface: one Chroma collection per access partition.

Partitioning by audience (instead of a metadata `where` on one big collection) keeps access
control inside retrieval *and* fast: a filtered Chroma query is ~45x slower than an unfiltered
one at 100k chunks, while querying only the collections a role may read costs nothing extra.
Embeddings are always computed by us and passed in: Chroma's default embedding function would
try to download an ONNX model.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.errors import AssistantError

COLLECTION_PREFIX = "bpo_"
# Product-internal collections (the ingest lease) use a double underscore and are never content.
INTERNAL_PREFIX = "bpo__"
# Collection-metadata key holding the content generation: a new value means "the chunks changed,
# derived data (BM25 index, document list) built from an older value is stale".
GENERATION_KEY = "generation"
# Ids / rows per Chroma call: one call over a large id list or match set fails in SQLite ("too many
# SQL variables"), so every bulk read and write goes a page at a time.
_PAGE = 2000


def _pages(n: int) -> Iterator[slice]:
    return (slice(i, i + _PAGE) for i in range(0, n, _PAGE))


class StoreError(Exception):
    pass


class StoreOutOfDate(AssistantError):
    """This process's view of the embedded store lacks chunks another process wrote (HTTP: 503)."""

    code = "store_out_of_date"


class _RefuseToEmbed:
    """An embedding function that never runs: text must never be embedded by Chroma itself."""

    def __call__(self, input):  # noqa: A002 - chroma's signature
        raise StoreError("Chroma was asked to embed text itself; the product always passes embeddings")

    @staticmethod
    def name() -> str:
        return "bpo-assistant-external"

    def is_legacy(self) -> bool:
        return True


def records_collection(client, name: str, metadata: dict):
    """A Chroma collection for records that carry metadata only (e.g. the ingest leases in
    ingest/locks.py): like every collection here, Chroma is never allowed to embed text for it."""
    return client.get_or_create_collection(name, metadata=metadata, embedding_function=_RefuseToEmbed())


@dataclass(frozen=True)
class CollectionState:
    """What another process's view of a collection needs to decide whether it is stale."""

    exists: bool
    generation: str | None = None
    embedder: str | None = None


@dataclass
class StoredChunk:
    id: str
    text: str
    meta: dict[str, Any]
    distance: float | None = None


def make_client(settings, path):
    """An embedded PersistentClient or an HttpClient to `chroma run`, both with telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.store.mode == "server":
        headers = {}
        token = settings.store.auth_token()
        if token:
            headers[settings.store.auth_header] = token
        return chromadb.HttpClient(
            host=settings.store.host, port=settings.store.port, ssl=settings.store.ssl,
            headers=headers, settings=chroma_settings,
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class VectorStore:
    """Chroma collections named bpo_<partition>.

    Collection handles are cached per process. Another process (an ingest on another machine)
    may drop and re-create a collection, which gives it a new id: every call on a cached handle
    that Chroma reports as missing is retried once on a fresh handle.
    """

    def __init__(self, client, embedder_fingerprint: str):
        self.client = client
        self.fingerprint = embedder_fingerprint
        self._collections: dict[str, Any] = {}
        self._writing: set[str] = set()  # collections whose generation this process invalidated

    # -- collections ------------------------------------------------------------------------
    def records_collection(self, name: str, metadata: dict):
        """A metadata-only collection beside the content (the ingest leases, ingest/locks.py)."""
        return records_collection(self.client, name, metadata)

    def _get(self, name: str, create: bool = True):
        if name in self._collections:
            return self._collections[name]
        full = COLLECTION_PREFIX + name
        if create:
            col = self.client.get_or_create_collection(
                full,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": self.fingerprint},
                embedding_function=_RefuseToEmbed(),
            )
        else:
            col = self._fetch(name)
            if col is None:
                return None
        self._collections[name] = col
        return col

    def _fetch(self, name: str):
        """A fresh handle (and fresh metadata) from Chroma, or None when there is no such collection."""
        try:
            return self.client.get_collection(COLLECTION_PREFIX + name, embedding_function=_RefuseToEmbed())
        except Exception as exc:
            if _is_not_found(exc):
                return None
            raise  # unreachable server: never mistake an outage for an empty store

    def _call(self, name: str, fn, create: bool = False, default=None):
        col = self._get(name, create=create)
        if col is None:
            return default
        try:
            return fn(col)
        except Exception as exc:
            if not _is_not_found(exc):
                raise
        # The cached handle points at a collection another process dropped (and maybe re-created).
        self._collections.pop(name, None)
        col = self._get(name, create=create)
        return default if col is None else fn(col)

    def collection_names(self) -> list[str]:
        names = []
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(COLLECTION_PREFIX) and not name.startswith(INTERNAL_PREFIX):
                names.append(name[len(COLLECTION_PREFIX) :])
        return sorted(names)

    def embedder_of(self, name: str) -> str | None:
        col = self._fetch(name)  # fresh: another process may have re-created it with another model
        return None if col is None else (col.metadata or {}).get("embedder")

    def state(self, name: str) -> CollectionState:
        """Fresh metadata from Chroma (one round trip); also refreshes the cached handle."""
        col = self._fetch(name)
        if col is None:
            self._collections.pop(name, None)
            return CollectionState(exists=False)
        self._collections[name] = col
        meta = col.metadata or {}
        return CollectionState(exists=True, generation=meta.get(GENERATION_KEY), embedder=meta.get("embedder"))

    def set_generation(self, name: str, generation: str) -> bool:
        """Publish that `name` now holds a new generation of chunks. False if it does not exist."""
        col = self._fetch(name)
        if col is None:
            return False
        # modify() replaces the whole metadata mapping: keep the embedder fingerprint.
        meta = {k: v for k, v in (col.metadata or {}).items()}
        meta[GENERATION_KEY] = generation
        col.modify(metadata=meta)
        self._collections[name] = col
        self._writing.discard(name)
        return True

    def _invalidate(self, name: str) -> None:
        # Write-ahead invalidation: before the first change of a run, replace the generation, so a
        # run that dies before publishing a new one still leaves every reader's index marked stale.
        if name not in self._writing:
            self.set_generation(name, "writing-" + uuid.uuid4().hex[:12])
            self._writing.add(name)

    def drop(self, name: str) -> None:
        self._collections.pop(name, None)
        self._writing.discard(name)
        try:
            self.client.delete_collection(COLLECTION_PREFIX + name)
        except Exception:
            pass

    def count(self, name: str) -> int:
        return self._call(name, lambda col: col.count(), default=0)

    def heartbeat(self) -> bool:
        try:
            self.client.heartbeat()
            return True
        except Exception:
            return False

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, name: str, ids: list[str], vectors: np.ndarray, texts: list[str], metas: list[dict]) -> None:
        if not ids:
            return
        self._get(name)
        self._invalidate(name)
        for page in _pages(len(ids)):
            self._call(name, lambda col: col.upsert(
                ids=ids[page], embeddings=vectors[page], documents=texts[page],
                metadatas=[_clean(m) for m in metas[page]],
            ), create=True)

    def update_metadata(self, name: str, ids: list[str], metas: list[dict]) -> None:
        if ids:
            self._get(name)
            self._invalidate(name)
            for page in _pages(len(ids)):
                self._call(name, lambda col: col.update(ids=ids[page], metadatas=[_clean(m) for m in metas[page]]),
                           create=True)

    def delete(self, name: str, ids: list[str]) -> None:
        if not ids or self._get(name, create=False) is None:
            return
        self._invalidate(name)
        for page in _pages(len(ids)):
            self._call(name, lambda col: col.delete(ids=ids[page]))

    # -- reads ------------------------------------------------------------------------------
    def chunks_of_doc(self, name: str, doc_id: str) -> dict[str, dict]:
        got = self._call(name, lambda col: col.get(where={"doc_id": doc_id}, include=["metadatas"]))
        return {} if got is None else dict(zip(got["ids"], got["metadatas"]))

    def vectors(self, name: str, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings by id (ids not in the collection are absent)."""
        out: dict[str, np.ndarray] = {}
        for got in self._get_ids(name, ids, ["embeddings"]):
            if got is not None:
                out.update(zip(got["ids"], (np.asarray(v, dtype=np.float32) for v in got["embeddings"])))
        return out

    def get(self, name: str, ids: list[str]) -> list[StoredChunk]:
        """The stored chunks among `ids`, in the order asked (an id asked twice comes back twice;
        Chroma itself rejects a repeated id). Missing ids are skipped."""
        unique = list(dict.fromkeys(ids))
        by_id: dict[str, StoredChunk] = {}
        for got in self._get_ids(name, unique, ["documents", "metadatas"]):
            if got is None:
                return []
            by_id.update((i, StoredChunk(i, d, m)) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]))
        return [by_id[i] for i in ids if i in by_id]

    def _get_ids(self, name: str, ids: list[str], include: list[str]) -> Iterator[dict | None]:
        """`col.get(ids=...)` a page at a time (None: no such collection)."""
        for page in _pages(len(ids)):
            yield self._call(name, lambda col: col.get(ids=ids[page], include=include))

    def get_where(self, name: str, where: dict) -> list[StoredChunk]:
        # Paged: one unbounded get of a large match set fails in Chroma ("too many SQL variables").
        out: list[StoredChunk] = []
        offset = 0
        while True:
            got = self._call(name, lambda col: col.get(where=where, limit=_PAGE, offset=offset,
                                                       include=["documents", "metadatas"]))
            if got is None or not got["ids"]:
                return out
            out.extend(StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]))
            offset += len(got["ids"])

    def iter_all(self, name: str, include_text: bool = True):
        include = ["documents", "metadatas"] if include_text else ["metadatas"]
        offset = 0
        while True:
            got = self._call(name, lambda col: col.get(limit=_PAGE, offset=offset, include=include))
            if got is None or not got["ids"]:
                return
            docs = got.get("documents") or [""] * len(got["ids"])
            for i, d, m in zip(got["ids"], docs, got["metadatas"]):
                yield StoredChunk(i, d or "", m)
            offset += len(got["ids"])

    def query(self, name: str, vector: np.ndarray, n: int, where: dict | None = None,
              include_text: bool = True) -> list[StoredChunk]:
        """The n nearest chunks, nearest first. include_text=False returns ids and distances only
        (text and metadata empty): fusion needs no more, and the top k are fetched afterwards.

        No count() first: Chroma 1.x returns fewer than n when there are fewer, and the extra
        round trip cost up to ~9 ms at 100k chunks.
        """
        include = ["documents", "metadatas", "distances"] if include_text else ["distances"]
        try:
            res = self._call(name, lambda col: col.query(query_embeddings=[vector], n_results=n, where=where or None,
                                                         include=include))
        except Exception as exc:
            if "Error finding id" in str(exc):  # the vector index in memory predates another process's writes
                raise StoreOutOfDate("the index changed under this process (another process wrote the embedded "
                                     "store); restart it, and write the store from one process only") from None
            raise
        if res is None or not res["ids"] or not res["ids"][0]:
            return []
        ids, dists = res["ids"][0], res["distances"][0]
        docs = res["documents"][0] if include_text else [""] * len(ids)
        metas = res["metadatas"][0] if include_text else [{}] * len(ids)
        return [StoredChunk(i, d or "", m or {}, dist) for i, d, m, dist in zip(ids, docs, metas, dists)]


def _is_not_found(exc: Exception) -> bool:
    try:
        from chromadb.errors import NotFoundError
    except ImportError:  # pragma: no cover - chromadb always has it
        return False
    return isinstance(exc, NotFoundError)


def _clean(meta: dict) -> dict:
    # Chroma metadata values must be scalars and not None.
    return {k: v for k, v in meta.items() if v is not None}
