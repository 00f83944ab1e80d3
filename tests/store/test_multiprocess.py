"""Several processes on one store: cross-home visibility, the ingest lock, crash repair."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from assistant.retrieval.store import records_collection
from ingest.locks import ChromaLease, IngestBusy, chroma_lease, file_lock
from tests.conftest import REPO, SAMPLE, admin, build_service, write_files
from tests.store.conftest import HashEmbedder, chroma_server, copy_files

RUNBOOKS = ["runbooks/refund-exceptions-sop.md", "runbooks/chat-backlog-incident-runbook.md",
            "runbooks/quality-monitoring-sop.md", "runbooks/chargeback-disputes-sop.docx", "runbooks/escalation-matrix.docx"]
CHECK_INTERVAL_S = 2.0  # the documented bound on how often a process re-reads a collection's marker


def _lexical_ids(svc, name: str) -> set[str]:
    index = svc.lexical.get(name)
    len(index)  # what the next search would use: reloads a newer generation from the home
    return set(index.ids)


def _chroma_ids(svc, name: str) -> set[str]:
    return {c.id for c in svc.store.iter_all(name, include_text=False)}


def _wait_for(predicate, timeout_s: float, step_s: float = 0.1) -> float:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout_s:
            raise AssertionError(f"not true within {timeout_s}s")
        time.sleep(step_s)
    return time.monotonic() - start


# -- two homes on one Chroma server ------------------------------------------------------------

def test_a_worker_with_its_own_home_sees_another_homes_ingest_within_the_check_interval(tmp_path, fresh_server):
    embedder = HashEmbedder()
    ingest = build_service(tmp_path / "ingest-home", embedder, store=fresh_server.store)
    worker = build_service(tmp_path / "worker-home", embedder, store=fresh_server.store)
    corpus = tmp_path / "corpus"
    write_files(corpus, {"runbooks/quokka-handling.md": "# Quokka handling\n\nEscalate every quokka sighting to the duty lead.\n"})
    ingest.ingest(corpus, admin())

    first = worker.search("quokka sighting escalation", admin(), k=3).results
    assert first and first[0].source == "runbooks/quokka-handling.md"
    assert _lexical_ids(worker, "runbooks") == _chroma_ids(ingest, "runbooks")  # built from Chroma, not files

    write_files(corpus, {"runbooks/wombat-returns.md": "# Wombat returns\n\nWombat returns need a supervisor code.\n"})
    ingest.ingest(corpus, admin())
    wanted = _chroma_ids(ingest, "runbooks")

    def lexical_caught_up() -> bool:
        worker.search("wombat supervisor code", admin(), k=3)
        return _lexical_ids(worker, "runbooks") == wanted

    took = _wait_for(lexical_caught_up, timeout_s=CHECK_INTERVAL_S + 8)
    assert took <= CHECK_INTERVAL_S + 8
    assert worker.search("wombat supervisor code", admin(), k=1).results[0].source == "runbooks/wombat-returns.md"
    assert {d.source for d in worker.lexical.documents(["runbooks"])} == {"runbooks/quokka-handling.md", "runbooks/wombat-returns.md"}
    assert worker.catalog.all() == []  # the worker's own catalog is empty: the listing above came from Chroma

    (corpus / "runbooks/quokka-handling.md").unlink()
    ingest.ingest(corpus, admin())
    _wait_for(lambda: (worker.search("quokka", admin(), k=3), _lexical_ids(worker, "runbooks") == _chroma_ids(ingest, "runbooks"))[1],
              timeout_s=CHECK_INTERVAL_S + 8)
    for svc in (ingest, worker):
        svc.catalog.close()


def test_workers_sharing_a_home_reload_the_index_the_ingest_built(tmp_path):
    embedder = HashEmbedder()
    home = tmp_path / "home"
    ingest = build_service(home, embedder)
    corpus = write_files(tmp_path / "corpus", {"runbooks/a.md": "# Alpha\n\nAlpha steps.\n"})
    ingest.ingest(corpus, admin())
    reader = build_service(home, embedder)  # same home, same embedded store: the API worker
    reader.search("alpha", admin(), k=1)
    gen = reader.lexical.get("runbooks").current_generation()
    write_files(corpus, {"runbooks/b.md": "# Beta\n\nBeta steps.\n"})
    ingest.ingest(corpus, admin())
    assert reader.lexical.get("runbooks").current_generation() != gen
    assert _lexical_ids(reader, "runbooks") == _chroma_ids(ingest, "runbooks")  # reloaded, not rebuilt
    for svc in (ingest, reader):
        svc.catalog.close()


# -- the ingest lock ----------------------------------------------------------------------------

def _ingest_blocked_in_lock(svc, corpus):
    """Start an ingest in a thread that pauses (holding the lock) until released."""
    entered, release, result = threading.Event(), threading.Event(), {}

    def progress(event, n):
        if event == "total":
            entered.set()
            release.wait(30)

    def run():
        result["summary"] = svc.ingest(corpus, admin(), progress=progress)

    thread = threading.Thread(target=run)
    thread.start()
    assert entered.wait(30)
    return release, thread, result


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_a_second_concurrent_ingest_fails_fast_naming_the_holder(tmp_path, mode, request):
    embedder = HashEmbedder()
    corpus = copy_files(SAMPLE, RUNBOOKS[:2], tmp_path / "corpus")
    if mode == "server":
        server = request.getfixturevalue("fresh_server")
        first = build_service(tmp_path / "a", embedder, store=server.store)
        second = build_service(tmp_path / "b", embedder, store=server.store)  # another machine
    else:
        first = build_service(tmp_path / "home", embedder)
        second = build_service(tmp_path / "home", embedder)  # cron ingest while the API ingests
    release, thread, result = _ingest_blocked_in_lock(first, corpus)
    try:
        t0 = time.monotonic()
        with pytest.raises(IngestBusy, match=rf"another ingest is running \(pid {os.getpid()} on .+\)"):
            second.ingest(corpus, admin())
        assert time.monotonic() - t0 < 5
    finally:
        release.set()
        thread.join(30)
    assert not result["summary"].partial and result["summary"].count("indexed") == 2
    assert not second.ingest(corpus, admin()).partial  # the lock is free again
    for svc in (first, second):
        svc.catalog.close()


def test_a_crashed_ingests_lease_lapses_after_its_ttl(fresh_server):
    import chromadb
    from chromadb.config import Settings

    client = chromadb.HttpClient(host=fresh_server.host, port=fresh_server.port, settings=Settings(anonymized_telemetry=False))
    records = partial(records_collection, client)
    crashed = ChromaLease(records, ttl_s=1.5)
    assert crashed.try_acquire() is None  # acquired, never renewed nor released: the process "died"
    with pytest.raises(IngestBusy):
        with chroma_lease(records):
            pass
    time.sleep(1.7)
    with chroma_lease(records) as lease:
        assert lease.slot_id == "ingest.1"
        assert ChromaLease(records).try_acquire() is not None
    with chroma_lease(records) as lease:  # released: the next run takes the next slot at once
        assert lease.slot_id == "ingest.2"


def test_the_file_lock_is_released_when_its_holder_is_killed(tmp_path):
    code = ("import sys,time; from pathlib import Path; from ingest.locks import file_lock\n"
            "with file_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(IngestBusy, match="another ingest is running"):
            with file_lock(tmp_path):
                pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with file_lock(tmp_path):
        pass


# -- SIGKILL mid-run, then repair -------------------------------------------------------------

_CHILD = """
import json, sys
from functools import partial
from pathlib import Path
sys.path.insert(0, {repo!r})
from tests.conftest import admin, build_service
from tests.store.conftest import HashEmbedder
svc = build_service(Path(sys.argv[1]), HashEmbedder(delay_s=0.4))
svc.ingestor.batch_chunks = 4  # commit document by document, so a kill lands between commits
def progress(event, n):
    print(json.dumps([event, n]), flush=True)
svc.ingest(Path(sys.argv[2]), admin(), progress=progress)
print(json.dumps(["done", 0]), flush=True)
"""


def test_an_ingest_killed_mid_run_is_repaired_by_the_next_run(tmp_path):
    corpus = copy_files(SAMPLE, RUNBOOKS[:1], tmp_path / "corpus")
    home = tmp_path / "home"
    seed = build_service(home, HashEmbedder())
    write_files(corpus, {"runbooks/old.md": "# Old\n\nAn older runbook.\n"})
    seed.ingest(corpus, admin())  # a previous good run: an index exists and will go stale
    seed.catalog.close()
    (corpus / "runbooks/old.md").unlink()
    copy_files(SAMPLE, RUNBOOKS[1:], corpus)  # four new documents for the run that gets killed

    proc = subprocess.Popen([sys.executable, "-c", _CHILD.format(repo=str(REPO)), str(home), str(corpus)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    events = []
    for line in proc.stdout:
        events.append(json.loads(line))
        if events[-1][0] == "chunks" and events[-1][1] > 0:
            proc.send_signal(signal.SIGKILL)  # after a document's chunks were committed
            break
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL and ["done", 0] not in events

    svc = build_service(home, HashEmbedder())
    assert not {r.source for r in svc.catalog.all()} >= set(RUNBOOKS)  # it really died half-way
    assert svc.store.state("runbooks").generation.startswith("writing-")  # the dead run invalidated it
    summary = svc.ingest(corpus, admin())
    assert not summary.partial
    clean = build_service(tmp_path / "clean", HashEmbedder())
    clean.ingest(corpus, admin())
    assert _chroma_ids(svc, "runbooks") == _chroma_ids(clean, "runbooks")
    assert {d.source for d in svc.documents(admin())} == {d.source for d in clean.documents(admin())}
    svc.search("refund approval", admin(), k=3)
    assert _lexical_ids(svc, "runbooks") == _chroma_ids(svc, "runbooks")
    for s in (svc, clean):
        s.catalog.close()


def test_a_kill_after_the_last_commit_still_leaves_readers_repairing_their_index(tmp_path):
    corpus = copy_files(SAMPLE, RUNBOOKS[:2], tmp_path / "corpus")
    home = tmp_path / "home"
    svc = build_service(home, HashEmbedder())
    svc.ingest(corpus, admin())
    svc.search("refund", admin(), k=1)
    # A run that wrote chunks and died before rebuilding the index: simulate with the store alone.
    write_files(corpus, {"runbooks/new.md": "# New\n\nA pangolin procedure.\n"})
    other = build_service(home, HashEmbedder())
    other.ingestor.on_collection_changed = lambda collections: None  # dies right after the last commit
    other.ingest(corpus, admin())
    assert not {c for c in _chroma_ids(svc, "runbooks")} <= _lexical_ids(svc, "runbooks")
    svc.lexical.check_interval_s = 0
    svc.lexical.background = False
    svc.search("pangolin", admin(), k=1)
    assert _lexical_ids(svc, "runbooks") == _chroma_ids(svc, "runbooks")
    for s in (svc, other):
        s.catalog.close()


def test_a_store_outage_keeps_serving_the_local_index(tmp_path):
    corpus = copy_files(SAMPLE, RUNBOOKS[:1], tmp_path / "corpus")
    with chroma_server(tmp_path / "chroma-data") as server:
        svc = build_service(tmp_path / "home", HashEmbedder(), store=server.store)
        svc.ingest(corpus, admin())
        svc.search("refund", admin(), k=1)
        before = _lexical_ids(svc, "runbooks")
    svc.lexical.check_interval_s = 0
    svc.lexical.ensure(["runbooks"])  # the server is gone: logged, not mistaken for an empty store
    assert _lexical_ids(svc, "runbooks") == before and before
    svc.catalog.close()
