"""Embedding backends: the local ONNX export agrees with PyTorch, and switching backends re-embeds."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.embedding import Embedder, EmbeddingModelError
from tests.conftest import SAMPLE, admin, build_service
from tests.store.conftest import copy_files

TEXTS = [
    "Refund Exceptions SOP > Approval\nRefunds above $5,000 need the finance director's approval.",
    "12 Term and Termination > 12.2\nEither party may terminate for convenience on ninety (90) days' written notice.",
    "During a SEV-1 chat backlog, send status updates every 30 minutes.",
    "short",
]


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch):
    monkeypatch.delenv("BPO_ASSISTANT_MODEL_CACHE", raising=False)  # these tests name their cache dir


@pytest.fixture(scope="module")
def torch_model():
    """The reference: sentence-transformers on PyTorch, over the same packaged weights."""
    model = Embedder(backend="torch")
    model.load()
    return model


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_the_onnx_export_matches_torch(torch_model, export_dir):
    onnx = Embedder(backend="onnx", cache_dir=export_dir)
    assert _cos(onnx.embed(TEXTS), torch_model.embed(TEXTS)).min() > 0.9999
    assert list(export_dir.rglob("*.onnx"))  # exported locally, under the cache dir we gave


def test_the_int8_export_stays_close_to_torch(torch_model, export_dir):
    int8 = Embedder(backend="onnx-int8", cache_dir=export_dir)
    vectors = int8.embed(TEXTS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert _cos(vectors, torch_model.embed(TEXTS)).min() > 0.97


def test_a_second_load_reuses_the_cached_export(export_dir):
    Embedder(backend="onnx", cache_dir=export_dir).load()
    files = {p: p.stat().st_mtime_ns for p in export_dir.rglob("*.onnx")}
    Embedder(backend="onnx", cache_dir=export_dir).load()
    assert files == {p: p.stat().st_mtime_ns for p in export_dir.rglob("*.onnx")}


def test_the_backend_is_part_of_the_fingerprint(embedder, export_dir):
    fps = {Embedder(backend=b, cache_dir=export_dir).fingerprint for b in ("torch", "onnx", "onnx-int8")}
    assert len(fps) == 3 and embedder.fingerprint.endswith(":onnx")  # config.yaml's backend
    with pytest.raises(EmbeddingModelError, match="unknown embedding backend"):
        Embedder(backend="tensorrt")


def test_switching_the_backend_re_embeds_every_collection_cleanly(tmp_path, torch_model, export_dir):
    corpus = copy_files(SAMPLE, ["runbooks/refund-exceptions-sop.md", "runbooks/quality-monitoring-sop.md"], tmp_path / "corpus")
    home = tmp_path / "home"
    before = build_service(home, torch_model, embedding={"backend": "torch"})
    first = before.ingest(corpus, admin())
    ids = {c.id for c in before.store.iter_all("runbooks", include_text=False)}
    keys = {r.doc_id: r.pipeline_key for r in before.catalog.all()}
    before.catalog.close()

    onnx = Embedder(backend="onnx", cache_dir=export_dir)
    after = build_service(home, onnx, embedding={"backend": "onnx"})
    second = after.ingest(corpus, admin())
    assert second.texts_embedded == first.chunks_written == len(ids)  # everything, nothing mixed
    assert after.store.embedder_of("runbooks") == onnx.fingerprint
    assert {c.id for c in after.store.iter_all("runbooks", include_text=False)} == ids
    assert all(keys[r.doc_id] != r.pipeline_key for r in after.catalog.all())
    results = after.search("who approves a refund above 5000 dollars?", admin(), k=3).results
    assert results[0].source == "runbooks/refund-exceptions-sop.md"
    assert set(after.lexical.get("runbooks").ids) == ids
    again = after.ingest(corpus, admin())
    assert again.texts_embedded == 0 and again.count("unchanged") == 2
    after.catalog.close()
