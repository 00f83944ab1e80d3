"""Store fixtures: a real `chroma run` server on 127.0.0.1 (telemetry off), embedders for tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx
import numpy as np
import pytest

from assistant.retrieval.embedding import Embedder

CHROMA = Path(sys.executable).parent / "chroma"
# What a test's server process gets: no telemetry, no proxies, nothing but loopback.
SERVER_ENV = {"ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY": "False", "NO_PROXY": "*", "no_proxy": "*"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path, timeout_s: float = 60.0):
    """`chroma run` on a free loopback port; stopped (and waited for) on exit."""
    if not CHROMA.exists():
        pytest.skip("the chroma CLI is not installed in this environment")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | SERVER_ENV
    log = open(path.parent / f"chroma-{port}.log", "wb")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout_s
        with httpx.Client(trust_env=False, timeout=2) as http:
            while True:
                try:
                    if http.get(f"http://127.0.0.1:{port}/api/v2/heartbeat").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma server did not start (exit={proc.poll()})")
                time.sleep(0.2)
        yield SimpleNamespace(host="127.0.0.1", port=port, pid=proc.pid, path=path,
                              store={"mode": "server", "host": "127.0.0.1", "port": port})
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def remote_peers(pid: int) -> set[str]:
    """Addresses the process's TCP sockets are connected to, other than loopback and unconnected."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    peers = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote, inode = fields[2], fields[9]
            if inode not in inodes:
                continue
            host = remote.split(":")[0]
            if set(host) == {"0"}:
                continue  # listening socket
            if table == "tcp" and bytes.fromhex(host)[::-1][0] == 127:
                continue
            if table == "tcp6" and host in ("00000000000000000000000001000000", "0000000000000000FFFF00000100007F"):
                continue
            peers.add(f"{table}:{remote}")
    return peers


class MemoEmbedder:
    """The real model, memoised by text: the second ingest of the same corpus costs no encoding."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self._memo: dict[str, np.ndarray] = {}
        self.texts_embedded = 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo:
            for t, v in zip(todo, self.inner.embed(todo)):
                self._memo[t] = v
        self.texts_embedded += len(texts)
        return np.stack([self._memo[t] for t in texts]) if texts else self.inner.embed([])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class HashEmbedder(Embedder):
    """A deterministic stand-in (no model load) on the real Embedder: same tokenizer, same API.

    `delay_s` slows each embed call so a test can stop an ingest half-way.
    """

    def __init__(self, delay_s: float = 0.0, tag: str = "hash-v1"):
        super().__init__()
        self.delay_s = delay_s
        self.tag = tag

    @property
    def fingerprint(self) -> str:
        return f"test-{self.tag}"

    @property
    def loaded(self) -> bool:
        return True

    def load(self) -> None:
        pass

    def embed(self, texts: list[str]) -> np.ndarray:
        if self.delay_s:
            time.sleep(self.delay_s)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.sha1(word.encode()).hexdigest()[:8], 16) % self.dimension] += 1.0
            out[row] /= max(np.linalg.norm(out[row]), 1e-9)
        self.texts_embedded += len(texts)
        return out


@pytest.fixture(scope="session")
def memo_embedder(embedder):
    return MemoEmbedder(embedder)


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory):
    """One Chroma server for the whole store suite (tests use distinct collection names)."""
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as server:
        yield server


@pytest.fixture
def fresh_server(tmp_path):
    with chroma_server(tmp_path / "chroma-data") as server:
        yield server


def copy_files(src_root: Path, rels: list[str], dest: Path) -> Path:
    for rel in rels:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src_root / rel, dest / rel)
    return dest
