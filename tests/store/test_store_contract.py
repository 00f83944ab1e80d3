"""One contract, two deployments: embedded PersistentClient and a real `chroma run` server.

The same VectorStore code, ids and filters must behave the same in both; a full ingest + search
of the bundled sample through the service gives the same chunk ids and top results in both.
"""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from assistant.retrieval import store as store_module
from assistant.config import load_settings
from ingest.locks import ChromaLease
from assistant.retrieval.store import GENERATION_KEY, VectorStore, make_client
from tests.conftest import REPO, SAMPLE, admin, as_role, build_service
from tests.store.conftest import remote_peers

MODES = ["embedded", "server"]
QUERIES = [
    "how much notice does the customer need to end the MSA for convenience?",
    "who approves a refund above 5000 dollars?",
    "how often do we send status updates during a SEV-1 chat backlog?",
    "within how many hours must the vendor report a personal data breach?",
]


def _settings(tmp, server=None):
    overrides = {"home": str(tmp)}
    if server is not None:
        overrides["store"] = server.store
    return load_settings(REPO / "config.yaml", **overrides)


@pytest.fixture(scope="module", params=MODES)
def client(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"client-{request.param}")
    server = request.getfixturevalue("shared_server") if request.param == "server" else None
    settings = _settings(tmp, server)
    return make_client(settings, tmp / "chroma")


@pytest.fixture
def vs(client):
    return VectorStore(client, "fp-test")


@pytest.fixture
def name():
    return "t" + uuid.uuid4().hex[:10]


def _vectors(n: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _meta(i: int, doc: str = "d1", doc_type: str = "runbook") -> dict:
    return {"doc_id": doc, "source": f"{doc}.md", "doc_type": doc_type, "ordinal": i, "title": "T", "page_start": None}


def _fill(vs, name, n=6):
    ids = [f"c{i}" for i in range(n)]
    vecs = _vectors(n)
    metas = [_meta(i, doc="d1" if i < n // 2 else "d2", doc_type="runbook" if i % 2 else "sop") for i in range(n)]
    vs.upsert(name, ids, vecs, [f"text {i}" for i in range(n)], metas)
    return ids, vecs


# -- the VectorStore contract ------------------------------------------------------------------

def test_upsert_then_get_returns_chunks_in_the_requested_order(vs, name):
    ids, _ = _fill(vs, name)
    got = vs.get(name, ["c3", "missing", "c0"])
    assert [c.id for c in got] == ["c3", "c0"]
    assert got[0].text == "text 3" and got[0].meta["doc_id"] == "d2" and "page_start" not in got[0].meta
    assert vs.count(name) == len(ids)


def test_get_accepts_a_repeated_id_and_more_ids_than_one_page(vs, name, monkeypatch):
    _fill(vs, name)
    assert [c.id for c in vs.get(name, ["c1", "c1", "c2"])] == ["c1", "c1", "c2"]  # Chroma alone raises here
    monkeypatch.setattr(store_module, "_PAGE", 2)
    assert [c.id for c in vs.get(name, ["c5", "c0", "nope", "c3", "c1", "c4"])] == ["c5", "c0", "c3", "c1", "c4"]


def test_upsert_of_an_existing_id_replaces_it(vs, name):
    _fill(vs, name)
    vs.upsert(name, ["c0"], _vectors(1, seed=9), ["new text"], [_meta(0)])
    assert vs.get(name, ["c0"])[0].text == "new text"
    assert vs.count(name) == 6


def test_query_ranks_the_identical_vector_first_and_applies_filters(vs, name):
    _, vecs = _fill(vs, name)
    hits = vs.query(name, vecs[4], 3)
    assert hits[0].id == "c4" and hits[0].distance == pytest.approx(0.0, abs=1e-4)
    assert [h.distance for h in hits] == sorted(h.distance for h in hits)
    filtered = vs.query(name, vecs[4], 10, where={"doc_type": {"$in": ["runbook"]}})
    assert {h.id for h in filtered} == {"c1", "c3", "c5"}
    assert vs.query("no_such_collection", vecs[0], 3) == []
    light = vs.query(name, vecs[4], 100, include_text=False)  # n above the count: all of them
    assert [h.id for h in light][:1] == ["c4"] and len(light) == 6 and light[0].text == "" and light[0].meta == {}


def test_update_metadata_changes_only_metadata(vs, name):
    _fill(vs, name)
    vs.update_metadata(name, ["c1"], [{**_meta(1), "title": "Renamed"}])
    got = vs.get(name, ["c1"])[0]
    assert got.meta["title"] == "Renamed" and got.text == "text 1"


def test_bulk_writes_go_a_page_at_a_time(vs, name, monkeypatch):
    monkeypatch.setattr(store_module, "_PAGE", 2)
    ids, _ = _fill(vs, name, n=5)
    vs.update_metadata(name, ids, [{**_meta(i), "title": f"T{i}"} for i in range(5)])
    assert [c.meta["title"] for c in vs.get(name, ids)] == [f"T{i}" for i in range(5)]
    vs.delete(name, ids[:3])
    assert vs.count(name) == 2 and [c.id for c in vs.get(name, ids)] == ids[3:]


def test_delete_removes_ids_and_tolerates_missing_collections(vs, name):
    _fill(vs, name)
    vs.delete(name, ["c0", "c1"])
    assert vs.count(name) == 4 and vs.get(name, ["c0"]) == []
    vs.delete("no_such_collection", ["c0"])


def test_chunks_of_doc_returns_the_documents_ids_with_metadata(vs, name):
    _fill(vs, name)
    got = vs.chunks_of_doc(name, "d1")
    assert set(got) == {"c0", "c1", "c2"} and got["c2"]["ordinal"] == 2
    assert vs.chunks_of_doc("no_such_collection", "d1") == {}


def test_iter_all_pages_through_every_chunk(vs, name, monkeypatch):
    monkeypatch.setattr(store_module, "_PAGE", 4)
    ids, _ = _fill(vs, name, n=10)
    seen = list(vs.iter_all(name))
    assert sorted(c.id for c in seen) == sorted(ids) and all(c.text for c in seen)
    assert all(c.text == "" for c in vs.iter_all(name, include_text=False))


def test_collection_names_list_content_collections_only(vs, name):
    _fill(vs, name)
    ChromaLease(vs.records_collection, name=name).try_acquire()  # creates bpo__locks
    names = vs.collection_names()
    assert name in names and "_locks" not in names and not any(n.startswith("_") for n in names)


def test_drop_and_embedder_of(vs, name):
    _fill(vs, name)
    assert vs.embedder_of(name) == "fp-test"
    vs.drop(name)
    assert vs.embedder_of(name) is None and name not in vs.collection_names() and vs.count(name) == 0


def test_writes_invalidate_the_generation_and_publishing_keeps_the_embedder(vs, name):
    _fill(vs, name)
    first = vs.state(name)
    assert first.exists and first.generation.startswith("writing-") and first.embedder == "fp-test"
    assert vs.set_generation(name, "g-1")
    again = vs.client.get_collection("bpo_" + name).metadata
    assert again == {"embedder": "fp-test", GENERATION_KEY: "g-1"}
    vs.delete(name, ["c0"])  # the next run's first write invalidates again
    assert vs.state(name).generation.startswith("writing-")
    assert not vs.set_generation("no_such_collection", "g")


def test_a_handle_to_a_collection_another_process_recreated_is_refreshed(vs, client, name):
    _fill(vs, name)
    assert vs.count(name) == 6
    other = VectorStore(client, "fp-other")  # stands in for an ingest elsewhere re-creating it
    other.drop(name)
    other.upsert(name, ["x"], _vectors(1), ["x"], [_meta(0)])
    assert vs.count(name) == 1 and [c.id for c in vs.get(name, ["x"])] == ["x"]
    assert vs.query(name, _vectors(1)[0], 5)[0].id == "x"
    assert vs.embedder_of(name) == "fp-other"


# -- the same product on both: ingest + search through the service ----------------------------

@pytest.fixture(scope="module")
def sample_services(tmp_path_factory, memo_embedder, shared_server):
    out = {}
    for mode in MODES:
        overrides = {"store": shared_server.store} if mode == "server" else {}
        svc = build_service(tmp_path_factory.mktemp(f"sample-{mode}"), memo_embedder, **overrides)
        summary = svc.ingest(SAMPLE, admin())
        assert not summary.partial, summary
        out[mode] = svc
    yield out
    for svc in out.values():
        svc.catalog.close()


def _chunk_ids(svc) -> dict[str, set[str]]:
    return {n: {c.id for c in svc.store.iter_all(n, include_text=False)} for n in svc.store.collection_names()}


def test_both_modes_store_the_same_chunk_ids(sample_services):
    embedded, server = _chunk_ids(sample_services["embedded"]), _chunk_ids(sample_services["server"])
    assert embedded == server and sum(len(v) for v in embedded.values()) > 50


@pytest.mark.parametrize("query", QUERIES)
def test_both_modes_rank_the_same_top_results(sample_services, query):
    ranked = {m: [r.chunk_id for r in svc.search(query, admin(), k=5).results] for m, svc in sample_services.items()}
    assert ranked["embedded"] == ranked["server"] and len(ranked["server"]) == 5


@pytest.mark.parametrize("mode", MODES)
def test_access_partitions_hold_in_both_modes(sample_services, mode):
    results = sample_services[mode].search("service credit for a missed SLA", as_role("bpo_agent"), k=8).results
    assert results and {r.collection for r in results} == {"runbooks"}
    assert sample_services[mode].search("service credit", as_role(), k=8).results == []


@pytest.mark.parametrize("mode", MODES)
def test_lexical_index_matches_chroma_and_lists_the_documents(sample_services, mode):
    svc = sample_services[mode]
    for name, ids in _chunk_ids(svc).items():
        svc.lexical.ensure([name])
        assert set(svc.lexical.get(name).ids) == ids
    listed = {d.source for d in svc.lexical.documents(svc.store.collection_names())}
    assert listed == {d.source for d in svc.documents(admin())}


def test_nothing_but_loopback_reaches_the_server(sample_services, shared_server):
    assert remote_peers(shared_server.pid) == set()


def test_get_where_pages_through_large_matches(vs, name, monkeypatch):
    monkeypatch.setattr(store_module, "_PAGE", 4)
    _fill(vs, name, n=10)
    got = vs.get_where(name, {"doc_id": "d2"})
    assert sorted(c.id for c in got) == [f"c{i}" for i in range(5, 10)] and all(c.text for c in got)
