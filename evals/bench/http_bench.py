"""HTTP load: C concurrent clients on POST /v1/search and /v1/ask for N seconds each.

    python evals/bench/http_bench.py [CORPUS] [--seconds 30] [--clients 8] [--endpoints search,ask]
                                     [--k 8] [--home DIR] [--config FILE] [--json]
    python evals/bench/http_bench.py --url http://host:8000 --key KEY [...]

Without --url it starts `bpo-assistant serve --ingest CORPUS` itself (a separate process, as in
production) on a free 127.0.0.1 port, over the cached eval home for CORPUS (evals/out/homes/<key>,
so a corpus already indexed by the evals is only re-checked), with a throwaway admin key; the
server's log goes to evals/out/http_bench_server.log. CORPUS defaults to samples/corpus.
Queries are the corpus's process questions (evals/questions) when they match it, else a fixed list.
Prints requests/s, p50/p95/p99 latency and errors per endpoint, the peak RSS of the server and of
this client process, the settings and the git commit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import git_revision  # noqa: E402

from evals.harness import DEFAULT_CONFIG, HOMES, find_question_file, home_key, percentile, read_jsonl  # noqa: E402

FALLBACK_QUERIES = [
    "termination for convenience notice period",
    "service credit when the email response SLA is missed",
    "who approves a refund exception for a VIP customer",
    "chargeback dispute evidence deadline",
    "how to escalate a chat backlog incident",
    "audit rights of the client",
    "data breach notification timeline",
    "quality monitoring calibration sessions",
]


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies_ms.append(ms)
            else:
                self.errors[error] = self.errors.get(error, 0) + 1


# -- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_home(corpus: Path, config: Path) -> Path:
    from assistant.config import load_settings
    from assistant.retrieval.embedding import Embedder

    settings = load_settings(config)
    return HOMES / home_key(corpus, settings, Embedder.from_settings(settings.embedding).fingerprint)


def start_server(corpus: Path, config: Path, home: Path, key: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log_path = REPO / "evals" / "out" / "http_bench_server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BPO_API_KEYS": f"{key}:admin", "BPO_ASSISTANT_HOME": str(home),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    env.pop("SLACK_SIGNING_SECRET", None)
    script = Path(sys.executable).parent / "bpo-assistant"  # the console script, as deployed
    entry = [str(script)] if script.is_file() else [sys.executable, "-m", "assistant.surfaces.cli"]
    cmd = [*entry, "--config", str(config), "serve", "--host", "127.0.0.1", "--port", str(port), "--ingest", str(corpus)]
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(url: str, proc: subprocess.Popen | None, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see evals/out/http_bench_server.log")
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server at {url} was not ready within {timeout_s:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# -- the load ---------------------------------------------------------------------------------

def request_body(endpoint: str, query: str, k: int) -> dict:
    return {"query": query, "k": k} if endpoint == "search" else {"question": query}


def client_loop(url: str, key: str, endpoint: str, queries: list[str], k: int, offset: int,
                stop_at: float, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        i = offset
        while time.monotonic() < stop_at:
            body = request_body(endpoint, queries[i % len(queries)], k)
            i += 1
            started = time.perf_counter()
            try:
                r = client.post(f"/v1/{endpoint}", json=body)
                error = None if r.status_code == 200 else f"HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            tally.add((time.perf_counter() - started) * 1000, error)


def run_load(url: str, key: str, endpoint: str, queries: list[str], k: int, clients: int, seconds: float) -> dict:
    for q in queries[:3]:  # warm the path (lexical index, model) outside the timed window
        httpx.post(f"{url}/v1/{endpoint}", json=request_body(endpoint, q, k),
                   headers={"Authorization": f"Bearer {key}"}, timeout=120)
    tally = Tally()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=client_loop, args=(url, key, endpoint, queries, k, n * 7, stop_at, tally))
               for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summarise(endpoint, tally, time.monotonic() - started)


def summarise(endpoint: str, tally: Tally, elapsed: float) -> dict:
    ms = tally.latencies_ms
    return {"endpoint": f"/v1/{endpoint}", "ok": len(ms), "errors": sum(tally.errors.values()),
            "error_kinds": tally.errors, "seconds": round(elapsed, 1), "req_per_s": len(ms) / elapsed,
            "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
            "max_ms": max(ms) if ms else float("nan")}


# -- settings and report ----------------------------------------------------------------------

def bench_queries(corpus: Path | None) -> list[str]:
    qfile = find_question_file(corpus) if corpus is not None else None
    return [q["question"] for q in read_jsonl(qfile)] if qfile else list(FALLBACK_QUERIES)


def server_settings(config: Path) -> dict:
    from assistant.config import load_settings

    s = load_settings(config)
    return {"config": str(config), "embedding": s.embedding.model_dump(), "retrieval": s.retrieval.model_dump(),
            "llm": s.llm.provider}


def print_report(report: dict) -> None:
    print(f"http bench  {report['url']}  clients={report['clients']}  {report['seconds']} s per endpoint  "
          f"git {report['git']}  python {report['python']}  cpus {report['cpus']}")
    print(f"corpus {report['corpus']}  documents={report['documents']}  queries={report['queries']}  k={report['k']}")
    if report.get("server"):
        print(f"server {json.dumps(report['server'])}")
    print(f"{'endpoint':14}{'ok':>7}{'errors':>8}{'req/s':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}   (ms)")
    for r in report["results"]:
        print(f"{r['endpoint']:14}{r['ok']:>7}{r['errors']:>8}{r['req_per_s']:>8.1f}{r['p50_ms']:>9.1f}"
              f"{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}")
        if r["error_kinds"]:
            print(f"  errors: {r['error_kinds']}")
    rss = report.get("peak_rss_mb") or {}
    print("peak RSS (MB): " + "  ".join(f"{name} {'n/a' if mb is None else mb}" for name, mb in rss.items()))


def peak_rss_mb(pid: int | None = None) -> float | None:
    """Peak resident set size (VmHWM) of a process, in MB; None where /proc is not available."""
    try:
        for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=REPO / "samples" / "corpus")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--endpoints", default="search,ask", help="comma-separated: search, ask")
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--url", help="bench a running server instead of starting one")
    ap.add_argument("--key", help="API key for --url")
    ap.add_argument("--home", type=Path, help="data directory for the started server (default: the eval cache)")
    ap.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    ap.add_argument("--ready-timeout", type=float, default=3600.0, help="seconds to wait for ingest + warm-up")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if args.url and not args.key:
        ap.error("--url needs --key")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = args.corpus.resolve()
    proc, url, key = None, args.url, args.key
    if url is None:
        key = "bench-" + secrets.token_hex(16)
        proc, url = start_server(corpus, args.config.resolve(), (args.home or default_home(corpus, args.config)).resolve(), key)
    try:
        wait_ready(url, proc, args.ready_timeout)
        queries = bench_queries(corpus if corpus.is_dir() else None)
        documents = httpx.get(f"{url}/v1/documents", headers={"Authorization": f"Bearer {key}"}, timeout=60).json()
        results = [run_load(url, key, e.strip(), queries, args.k, args.clients, args.seconds)
                   for e in args.endpoints.split(",") if e.strip()]
        # Read before the server stops; only known for a server this script started.
        server_rss = peak_rss_mb(proc.pid) if proc is not None else None
    finally:
        if proc is not None:
            stop_server(proc)
    report = {"bench": "http", "url": url, "clients": args.clients, "seconds": args.seconds, "k": args.k,
              "corpus": str(corpus), "documents": len(documents.get("documents", [])), "queries": len(queries),
              "server": None if args.url else server_settings(args.config.resolve()), "git": git_revision(),
              "python": platform.python_version(), "cpus": os.cpu_count(), "results": results,
              "peak_rss_mb": {"server": server_rss, "bench_client": peak_rss_mb()}}
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
