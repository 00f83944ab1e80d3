"""Embedded mode has one writing process: a second one is refused, naming the first; a reader
whose in-memory index another process made stale gets a clear 503, never a 500."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from ingest.locks import HomeInUse, claim_embedded_home, release_embedded_home
from tests.conftest import REPO, admin, build_service, write_files
from tests.http.conftest import auth, live_app
from tests.store.conftest import HashEmbedder

CORPUS = {"runbooks/alpha.md": "# Alpha\n\nAlpha steps for refunds over 500 dollars.\n"}
# Ingests with the test embedder in another process, the way a cron `bpo-assistant ingest` would.
_INGEST = """
import sys; sys.path.insert(0, {repo!r})
from pathlib import Path
from tests.conftest import admin, build_service
from tests.store.conftest import HashEmbedder
print(build_service(Path(sys.argv[1]), HashEmbedder()).ingest(Path(sys.argv[2]), admin()).model_dump_json())
"""
_CLAIM = ("import sys,time; from pathlib import Path; from ingest.locks import claim_embedded_home\n"
          "claim_embedded_home(Path(sys.argv[1]), 'ingest'); print('held', flush=True); time.sleep(60)\n")


def _cli_ingest(home, corpus) -> subprocess.CompletedProcess:
    env = {**os.environ, "BPO_ASSISTANT_HOME": str(home), "BPO_ASSISTANT_CONFIG": str(REPO / "config.yaml")}
    return subprocess.run([sys.executable, "-m", "assistant.surfaces.cli", "ingest", str(corpus)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_cli_ingest_into_a_home_a_running_server_holds_is_refused_naming_the_server(tmp_path):
    corpus = write_files(tmp_path / "corpus", CORPUS)
    svc = build_service(tmp_path / "home", HashEmbedder())
    svc.ingest(corpus, admin())
    write_files(corpus, {"runbooks/beta.md": "# Beta\n\nBeta steps for wombat returns.\n"})
    with live_app(svc, lifespan="on") as server, httpx.Client(base_url=server.url, timeout=60) as http:
        run = _cli_ingest(tmp_path / "home", corpus)
        assert run.returncode == 1
        message = run.stderr.strip().splitlines()[-1]
        assert message.startswith("error: the data directory") and f"server (pid {os.getpid()} since" in message
        assert "POST /v1/ingest" in message and "Traceback" not in run.stderr
        assert {d.source for d in svc.documents(admin())} == {"runbooks/alpha.md"}  # nothing was written
        upload = {"file": ("runbooks/gamma.md", b"# Gamma\n\nGamma steps.\n", "text/markdown")}
        assert http.post("/v1/documents", files=upload, headers=auth("admin")).status_code == 201  # the server may write
    run = _cli_ingest(tmp_path / "home", corpus)  # the server has stopped: its claim went with it
    assert run.returncode == 0, run.stderr[-2000:]
    svc.catalog.close()


def test_a_server_does_not_start_on_a_home_another_process_is_writing(tmp_path):
    from assistant.surfaces.http import create_app

    svc = build_service(tmp_path / "home", HashEmbedder())
    holder = subprocess.Popen([sys.executable, "-c", _CLAIM, str(tmp_path / "home")], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        app = create_app(svc)
        with pytest.raises(HomeInUse, match=rf"ingest \(pid {holder.pid} since .+\): try again when it has finished"):
            asyncio.run(_start(app))
        with pytest.raises(HomeInUse):
            svc.ingest(write_files(tmp_path / "corpus", CORPUS), admin())
    finally:
        holder.kill()
        holder.wait()
    claim_embedded_home(tmp_path / "home", "test")  # the kernel freed the dead holder's lock
    release_embedded_home(tmp_path / "home")
    svc.catalog.close()


def test_a_reader_whose_index_another_process_changed_gets_a_503_not_a_500(tmp_path):
    corpus = write_files(tmp_path / "corpus", CORPUS)
    svc = build_service(tmp_path / "home", HashEmbedder())
    svc.ingest(corpus, admin())
    assert svc.search("alpha refunds", admin(), k=1).results  # the vector index is now in this process's memory
    write_files(corpus, {"runbooks/beta.md": "# Beta\n\n" + "Beta steps for wombat returns.\n" * 40})
    child = subprocess.run([sys.executable, "-c", _INGEST.format(repo=str(REPO)), str(tmp_path / "home"), str(corpus)],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert '"indexed"' in child.stdout, child.stderr[-2000:]
    with live_app(svc, lifespan="on") as server, httpx.Client(base_url=server.url, timeout=60) as http:
        r = http.post("/v1/search", json={"query": "wombat returns", "filters": {"source": ["runbooks/beta.md"]}},
                      headers=auth("admin"))
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "store_out_of_date" and "restart" in r.json()["error"]["message"]
        unknown = http.post("/v1/search", json={"query": "alpha", "filters": {"source": ["runbooks/nope.md"]}},
                            headers=auth("admin"))
        assert unknown.status_code == 200 and unknown.json()["results"] == []
    svc.catalog.close()


async def _start(app) -> None:
    async with app.router.lifespan_context(app):
        pass
