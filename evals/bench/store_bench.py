"""Store benchmark: hybrid search latency at 10k / 100k (/ 1M) chunks, embedded and server.

    python evals/bench/store_bench.py [--sizes 10000,100000[,1000000]] [--modes embedded,server]
                                      [--queries 200] [--out evals/out/store-bench] [--build-only] [--partial] [--no-model]

Synthetic data: random unit 384-d vectors and short texts drawn from a Zipf vocabulary (so BM25
has realistic posting lists), split 30 % `runbooks` / 70 % `contracts`, one Chroma collection per
access partition exactly as the product stores them. Built stores are cached under --out/<size>
(git-ignored) and reused; a build can run alone in the background with --build-only.

Every search goes through `Retriever.search` (dense per collection + BM25 per collection + RRF +
text fill) with `lexical.ensure` as the service calls it, for k=10, as `admin` (all collections)
and as `bpo_agent` (runbooks only). The query vector is precomputed (a stand-in embedder returns
it), so the model's query-encoding time is reported on its own line. Goals: p95 <= 40 ms embedded
at 100k; p95 <= 100 ms server at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import git_revision  # noqa: E402

SPLIT = {"runbooks": 0.3, "contracts": 0.7}
ROLES = {"admin": ["contracts", "runbooks"], "bpo_agent": ["runbooks"]}
FINGERPRINT = "bench-random-384"
VOCAB = 20_000


class FixedQueryEmbedder:
    """Stands in for the model at query time: returns the next precomputed query vector."""

    fingerprint = FINGERPRINT

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors
        self.i = 0

    def embed_query(self, text: str) -> np.ndarray:
        v = self.vectors[self.i % len(self.vectors)]
        self.i += 1
        return v


def _words(rng: np.random.Generator, n: int) -> list[str]:
    ranks = np.minimum(rng.zipf(1.3, size=n), VOCAB)
    return [f"w{r}" for r in ranks]


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, 384), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def settings_for(home: Path, store: dict | None = None):
    from assistant.config import load_settings

    overrides = {"home": str(home)}
    if store:
        overrides["store"] = store
    return load_settings(REPO / "config.yaml", **overrides)


def build(home: Path, size: int, batch: int = 5000) -> None:
    """Write `size` synthetic chunks into an embedded store under `home` (resumable)."""
    from assistant.retrieval.indexes import LexicalIndexes
    from assistant.retrieval.store import VectorStore, make_client

    done_file = home / "BUILT"
    if done_file.exists():
        return
    store = VectorStore(make_client(settings_for(home), home / "chroma"), FINGERPRINT)
    rng = np.random.default_rng(size)
    t0, written = time.perf_counter(), 0
    for name, share in SPLIT.items():
        n = int(size * share)
        start = store.count(name)  # resume an interrupted build
        for lo in range(0, n, batch):
            hi = min(n, lo + batch)
            vecs = _unit(rng, hi - lo)  # drawn even when skipped, so a resumed build stays deterministic
            words = _words(rng, (hi - lo) * 24)
            if hi <= start:
                continue
            ids = [f"{name}-{i}" for i in range(lo, hi)]
            texts = [" ".join(words[j * 24 : (j + 1) * 24]) for j in range(hi - lo)]
            metas = [{
                "doc_id": f"{name}-doc-{i // 40}", "source": f"{name}/doc-{i // 40}.md", "collection": name,
                "doc_type": "runbook" if name == "runbooks" else "contract", "title": f"Document {i // 40}",
                "section_path": f"Section {i % 40}", "char_start": 0, "char_end": len(texts[j]), "ordinal": i % 40,
                "ingested_at": "2026-01-01T00:00:00+00:00",
            } for j, i in enumerate(range(lo, hi))]
            store.upsert(name, ids, vecs, texts, metas)
            written += hi - lo
            rate = written / (time.perf_counter() - t0)
            print(f"build size={size} {name} {hi}/{n} ({rate:.0f} chunks/s)", flush=True)
    t1 = time.perf_counter()
    LexicalIndexes(home / "lexical", store).rebuild(set(SPLIT))
    print(f"build size={size} bm25 rebuild from chroma {time.perf_counter() - t1:.1f}s", flush=True)
    done_file.write_text(json.dumps({"size": size, "seconds": round(time.perf_counter() - t0, 1)}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`chroma run` on loopback with telemetry off, over a store directory built embedded."""

    def __init__(self, path: Path):
        self.path, self.port, self.proc = path, free_port(), None

    def __enter__(self):
        import httpx

        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | {"ANONYMIZED_TELEMETRY": "False"}
        chroma = Path(sys.executable).parent / "chroma"
        self.log = open(self.path.parent / "chroma-server.log", "ab")
        self.proc = subprocess.Popen([str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 300  # opening a 1M store loads its index
        with httpx.Client(trust_env=False, timeout=2) as http:
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if http.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat").status_code == 200:
                        return self
                except httpx.HTTPError:
                    time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("chroma server did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def measure(home: Path, mode: str, port: int | None, queries: int) -> list[dict]:
    from assistant.retrieval.indexes import LexicalIndexes
    from assistant.retrieval.hybrid import Retriever
    from assistant.retrieval.store import VectorStore, make_client

    store_cfg = {"mode": "server", "host": "127.0.0.1", "port": port} if mode == "server" else None
    settings = settings_for(home, store_cfg)
    store = VectorStore(make_client(settings, home / "chroma"), FINGERPRINT)
    lexical = LexicalIndexes(home / "lexical", store)
    rng = np.random.default_rng(12345)
    texts = [" ".join(_words(rng, 3)) for _ in range(queries)]
    qvecs = _unit(rng, queries)
    rows = []
    for role, collections in ROLES.items():
        retriever = Retriever(settings, FixedQueryEmbedder(qvecs), store, lexical)
        lexical.ensure(collections)
        for i in range(min(20, queries)):  # warm-up: first queries load HNSW segments and BM25 files
            retriever.search(texts[i], collections, 10)
        total, dense, bm25 = [], [], []
        for i in range(queries):
            t0 = time.perf_counter()
            lexical.ensure(collections)
            retriever.search(texts[i], collections, 10)
            total.append((time.perf_counter() - t0) * 1000)
        for i in range(min(queries, 100)):
            t0 = time.perf_counter()
            for name in collections:
                store.query(name, qvecs[i], settings.retrieval.dense_candidates)
            dense.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            for name in collections:
                lexical.get(name).search(texts[i], settings.retrieval.lexical_candidates)
            bm25.append((time.perf_counter() - t0) * 1000)
        searched = sum(store.count(c) for c in collections)
        rows.append({
            "mode": mode, "role": role, "chunks_searched": searched, "queries": queries,
            "p50_ms": round(statistics.median(total), 1), "p95_ms": round(float(np.percentile(total, 95)), 1),
            "dense_p50_ms": round(statistics.median(dense), 1), "bm25_p50_ms": round(statistics.median(bm25), 1),
        })
    if mode == "embedded":
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()  # release the directory before a server opens it
    return rows


def query_encode_p50(backend: str, cache: Path, n: int = 50) -> float:
    from assistant.retrieval.embedding import Embedder

    emb = Embedder(backend=backend, cache_dir=cache)
    emb.embed_query("warm up")
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        emb.embed_query(f"how much notice to terminate the MSA for convenience {i}")
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=REPO / "evals" / "out" / "store-bench")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-model", action="store_true", help="skip the model's query-encode timing")
    parser.add_argument("--rebuild", action="store_true", help="discard cached stores")
    parser.add_argument("--partial", action="store_true",
                        help="measure an unfinished cached build as it is (stop its build process first)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    print(f"commit={git_revision()} sizes={sizes} modes={modes} queries={args.queries} k=10 "
          f"roles={ROLES} cpus={os.cpu_count()} load_avg={os.getloadavg()[0]:.1f} out={args.out}", flush=True)

    rows = []
    for size in sizes:
        home = args.out / str(size)
        if args.rebuild:
            shutil.rmtree(home, ignore_errors=True)
        if args.partial and not (home / "BUILT").exists():
            print(f"size={size}: measuring a partial build (see chunks_searched)", flush=True)
        else:
            build(home, size)
        if args.build_only:
            continue
        for mode in modes:
            if mode == "server":
                with ChromaServer(home / "chroma") as server:
                    found = measure(home, mode, server.port, args.queries)
            else:
                found = measure(home, mode, None, args.queries)
            for r in found:
                r["size"] = size
                rows.append(r)
                print(json.dumps(r), flush=True)
    if args.build_only:
        return 0
    cache = REPO / "evals" / "out" / "models"
    encode = None if args.no_model else {b: round(query_encode_p50(b, cache), 1) for b in ("torch", "onnx")}
    if args.json:
        print(json.dumps({"commit": git_revision(), "rows": rows, "query_encode_p50_ms": encode}))
        return 0
    cols = ["size", "mode", "role", "chunks_searched", "p50_ms", "p95_ms", "dense_p50_ms", "bm25_p50_ms"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    if encode is not None:
        for backend, ms in encode.items():
            print(f"model query-encode p50 ({backend}, 1 query): {ms} ms  (add it to the search p50 for end-to-end)")
    print(f"load_avg_after={os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
