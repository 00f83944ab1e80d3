"""Chroma behind one small interface: one Chroma collection per access partition.

Partitioning by audience (instead of a metadata `where` on one big collection) keeps access
control inside retrieval *and* fast: a filtered Chroma query is ~45x slower than an unfiltered
one at 100k chunks, while querying only the collections a role may read costs nothing extra.
Embeddings are always computed by us and passed in: Chroma's default embedding function would
try to download an ONNX model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

COLLECTION_PREFIX = "bpo_"
_PAGE = 2000


class StoreError(Exception):
    pass


class _RefuseToEmbed:
    """An embedding function that never runs: text must never be embedded by Chroma itself."""

    def __call__(self, input):  # noqa: A002 - chroma's signature
        raise StoreError("Chroma was asked to embed text itself; the product always passes embeddings")

    @staticmethod
    def name() -> str:
        return "bpo-assistant-external"

    def is_legacy(self) -> bool:
        return True


@dataclass
class StoredChunk:
    id: str
    text: str
    meta: dict[str, Any]
    distance: float | None = None


def make_client(settings, path):
    """An embedded PersistentClient or an HttpClient to `chroma run`, both with telemetry off."""
    import os

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.store.mode == "server":
        headers = {}
        if settings.store.auth_token_env:
            token = os.environ.get(settings.store.auth_token_env, "")
            if token:
                headers[settings.store.auth_header] = token
        return chromadb.HttpClient(
            host=settings.store.host, port=settings.store.port, ssl=settings.store.ssl,
            headers=headers, settings=chroma_settings,
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class VectorStore:
    def __init__(self, client, embedder_fingerprint: str):
        self.client = client
        self.fingerprint = embedder_fingerprint
        self._collections: dict[str, Any] = {}

    # -- collections ------------------------------------------------------------------------
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
            try:
                col = self.client.get_collection(full, embedding_function=_RefuseToEmbed())
            except Exception:
                return None
        self._collections[name] = col
        return col

    def collection_names(self) -> list[str]:
        names = []
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(COLLECTION_PREFIX):
                names.append(name[len(COLLECTION_PREFIX) :])
        return sorted(names)

    def embedder_of(self, name: str) -> str | None:
        col = self._get(name, create=False)
        return None if col is None else (col.metadata or {}).get("embedder")

    def drop(self, name: str) -> None:
        self._collections.pop(name, None)
        try:
            self.client.delete_collection(COLLECTION_PREFIX + name)
        except Exception:
            pass

    def count(self, name: str) -> int:
        col = self._get(name, create=False)
        return 0 if col is None else col.count()

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
        col = self._get(name)
        for i in range(0, len(ids), _PAGE):
            col.upsert(
                ids=ids[i : i + _PAGE],
                embeddings=vectors[i : i + _PAGE],
                documents=texts[i : i + _PAGE],
                metadatas=[_clean(m) for m in metas[i : i + _PAGE]],
            )

    def update_metadata(self, name: str, ids: list[str], metas: list[dict]) -> None:
        if ids:
            self._get(name).update(ids=ids, metadatas=[_clean(m) for m in metas])

    def delete(self, name: str, ids: list[str]) -> None:
        col = self._get(name, create=False)
        if col is not None and ids:
            for i in range(0, len(ids), _PAGE):
                col.delete(ids=ids[i : i + _PAGE])

    # -- reads ------------------------------------------------------------------------------
    def chunks_of_doc(self, name: str, doc_id: str) -> dict[str, dict]:
        col = self._get(name, create=False)
        if col is None:
            return {}
        got = col.get(where={"doc_id": doc_id}, include=["metadatas"])
        return dict(zip(got["ids"], got["metadatas"]))

    def get(self, name: str, ids: list[str]) -> list[StoredChunk]:
        col = self._get(name, create=False)
        if col is None or not ids:
            return []
        got = col.get(ids=ids, include=["documents", "metadatas"])
        by_id = {i: StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
        return [by_id[i] for i in ids if i in by_id]

    def get_where(self, name: str, where: dict) -> list[StoredChunk]:
        col = self._get(name, create=False)
        if col is None:
            return []
        got = col.get(where=where, include=["documents", "metadatas"])
        return [StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]

    def iter_all(self, name: str, include_text: bool = True):
        col = self._get(name, create=False)
        if col is None:
            return
        include = ["documents", "metadatas"] if include_text else ["metadatas"]
        offset = 0
        while True:
            got = col.get(limit=_PAGE, offset=offset, include=include)
            if not got["ids"]:
                return
            docs = got.get("documents") or [""] * len(got["ids"])
            for i, d, m in zip(got["ids"], docs, got["metadatas"]):
                yield StoredChunk(i, d or "", m)
            offset += len(got["ids"])

    def query(self, name: str, vector: np.ndarray, n: int, where: dict | None = None) -> list[StoredChunk]:
        col = self._get(name, create=False)
        if col is None:
            return []
        total = col.count()
        if total == 0:
            return []
        res = col.query(
            query_embeddings=[vector], n_results=min(n, total), where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            StoredChunk(i, d, m, dist)
            for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        ]


def _clean(meta: dict) -> dict:
    # Chroma metadata values must be scalars and not None.
    return {k: v for k, v in meta.items() if v is not None}
