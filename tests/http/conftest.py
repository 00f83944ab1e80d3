"""HTTP fixtures: real uvicorn servers on 127.0.0.1 (ephemeral ports) over real services.

Every service here runs on its own copy of the sample's data directory (embedded once per
session), so a server that uploads or deletes never changes what another test sees.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from tests.conftest import SAMPLE, build_service, env_vars

MAX_UPLOAD = 64 * 1024
KEYS = {  # role -> key
    "admin": "adm-7f3c9a1e5b2d4c6f",
    "legal": "leg-2b8e4d6f1a3c5e7d",
    "bpo_agent": "agt-9d1f3b5c7e2a4c6e",
    "internal": "int-4a6c8e1b3d5f7a9c",
    "nobody": "nob-6e8a1c3e5b7d9f2b",  # a role no collection lists
}
MULTI_KEY = "mul-1c3e5a7b9d2f4b6d"  # legal+bpo_agent
API_KEYS = ",".join([f"{key}:{role}" for role, key in KEYS.items()] + [f"{MULTI_KEY}:legal+bpo_agent"])


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


class LiveServer:
    """uvicorn in a background thread on a socket bound to 127.0.0.1:0 before start."""

    def __init__(self, app, lifespan: str = "off"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def api_keys_env(value: str):
    return env_vars({"BPO_API_KEYS": value})


@contextmanager
def live_app(service, keys: str = API_KEYS, lifespan: str = "off") -> Iterator[LiveServer]:
    from assistant.surfaces.http import create_app

    with api_keys_env(keys):
        app = create_app(service)  # the factory reads BPO_API_KEYS now
    server = LiveServer(app, lifespan).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def copy_service(sample_service, tmp_path_factory, embedder):
    """Builds a service over a private copy of the indexed sample's data directory.

    Copying the session's already-embedded sample index (tests/conftest.py) instead of embedding
    the sample again saves most of this package's run time; no test here writes to the corpus.
    """
    made = []

    def make(**overrides):
        target = tmp_path_factory.mktemp("http") / "home"
        shutil.copytree(sample_service.settings.home, target)
        settings = {"ingest_paths": [str(SAMPLE)], "max_upload_bytes": MAX_UPLOAD, **overrides}
        svc = build_service(target, embedder, **settings)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.catalog.close()


@pytest.fixture(scope="package")
def indexed(copy_service):
    """The service behind the shared read-only server."""
    return copy_service()


@pytest.fixture(scope="package")
def api(indexed) -> Iterator[str]:
    """Base URL of a read-only server over the indexed sample (tests here must not change the index)."""
    with live_app(indexed) as server:
        yield server.url


@pytest.fixture
def client(api) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api, timeout=60) as c:
        yield c


def wait_for_log_line(caplog, request_id: str) -> dict:
    # The line is written after the last byte is sent, so it can trail the response slightly.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for rec in list(caplog.records):
            if rec.name == "bpo.http" and request_id in rec.getMessage():
                return json.loads(rec.getMessage())
        time.sleep(0.02)
    raise AssertionError("no log line for the request")
