"""Access-control retrieval benchmark: search latency at 100k chunks, per role, partitioned by
collection (the design) versus one collection with a Chroma `where` filter on `audience`.

    python evals/bench/acl_bench.py [--chunks 100000] [--queries 300] [--rebuild] [--json]

The store (two partitions of N/2 synthetic chunks each, plus the same N chunks in one collection
with an `audience` field) is built once and cached under evals/out/acl-bench-<N>/. Vectors are
synthetic, clustered and L2-normalised (384-d, like the real model's); texts are short synthetic
word lists, so BM25 has real work. Queries use precomputed vectors (a stand-in embedder), so the
numbers are retrieval only; the real model's query-encode time is measured and reported apart.

Reported per variant: p50 / p95 / p99 / mean wall-clock ms over the same queries, interleaved so
that load from other work on the machine hits every variant alike, plus this process's CPU ms per
query (what a query costs, less distorted by a busy machine). The load average is printed too.
Hybrid search is measured as configured and with document routing off (route_docs=0).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import git_revision  # noqa: E402

DIM = 384
CLUSTERS = 600
SEED = 7
FORMAT = "1"  # bump when the generated data changes: the cached store is rebuilt
PARTITIONS = ("runbooks", "contracts")
SINGLE = "everything"  # the comparison: all chunks in one collection, filtered by `audience`


# -- provenance -----------------------------------------------------------------------------

def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" (cores: {os.cpu_count()})"
    except OSError:
        return "unknown"


# -- synthetic data -------------------------------------------------------------------------

def _vocabulary(rng: np.random.Generator, n: int = 8000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "pe", "dri", "nul", "so", "qua", "bex", "tor", "ia", "fen",
                 "gar", "hu", "jin", "ost", "ply", "rum", "sel", "tiv", "ux", "wen", "yal", "zor", "ce", "dom", "eph"]
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(syllables, size=rng.integers(2, 4))))
    return sorted(words)


class Corpus:
    """Deterministic chunks: (vectors, texts, cluster ids) for one partition."""

    def __init__(self, n: int, offset: int, centers: np.ndarray, vocab: list[str], topic_words: np.ndarray):
        rng = np.random.default_rng(SEED + offset)
        self.n = n
        self.clusters = rng.integers(0, len(centers), size=n)
        noise = rng.standard_normal((n, DIM)).astype(np.float32)
        vectors = centers[self.clusters] + 1.0 * noise / np.sqrt(DIM)  # cos to its centre ~0.7
        self.vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        zipf = np.minimum(rng.zipf(1.3, size=(n, 24)) - 1, len(vocab) - 1)
        topic = rng.integers(0, topic_words.shape[1], size=(n, 12))
        self.texts = [
            " ".join([vocab[w] for w in topic_words[self.clusters[i], topic[i]]] + [vocab[w] for w in zipf[i]])
            for i in range(n)
        ]


def generate(n_total: int) -> tuple[dict[str, Corpus], list[str]]:
    rng = np.random.default_rng(SEED)
    vocab = _vocabulary(rng)
    centers = rng.standard_normal((CLUSTERS, DIM)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    topic_words = rng.integers(0, len(vocab), size=(CLUSTERS, 40))
    half = n_total // 2
    return {name: Corpus(half, i * 1_000_003, centers, vocab, topic_words) for i, name in enumerate(PARTITIONS)}, vocab


def _metas(name: str, corpus: Corpus, audience: str) -> list[dict]:
    doc_type = "sop" if name == "runbooks" else "msa"
    out = []
    for i, text in enumerate(corpus.texts):
        doc = i // 40  # 40 chunks per synthetic document
        out.append({
            "doc_id": f"{name}-{doc:06d}", "source": f"{name}/synthetic-{doc:06d}.md", "doc_type": doc_type,
            "collection": name, "audience": audience, "title": f"Synthetic {name} {doc}", "section_path": f"Part {i % 40}",
            "clause_no": "", "char_start": 0, "char_end": len(text), "ordinal": i % 40,
            "content_sha256": hashlib.sha256(text.encode()).hexdigest(), "ingested_at": "2025-01-01T00:00:00+00:00",
        })
    return out


# -- the store ------------------------------------------------------------------------------

class StandInEmbedder:
    """Precomputed query vectors by text: retrieval is timed without the model."""

    fingerprint = "acl-bench-synthetic-384"

    def __init__(self):
        self.vectors: dict[str, np.ndarray] = {}
        self._last: np.ndarray | None = None

    def embed_query(self, text: str) -> np.ndarray:
        # A text we did not precompute is derived from the query being searched (retrieval's
        # in-document pass re-encodes the question without the words naming the document).
        vector = self.vectors.get(text)
        if vector is None:
            vector = self._last if self._last is not None else next(iter(self.vectors.values()))
        self._last = vector
        return vector


def audiences(settings) -> dict[str, str]:
    return {name: ",".join(sorted(roles)) for name, roles in settings.collections.items()}


def build_store(home: Path, settings, n_total: int, rebuild: bool) -> tuple[object, object, dict[str, Corpus]]:
    from assistant.retrieval.indexes import LexicalIndexes
    from assistant.retrieval.store import VectorStore, make_client

    corpora, _ = generate(n_total)
    info_path = home / "bench-info.json"
    wanted = {"format": FORMAT, "chunks": n_total, "dim": DIM, "clusters": CLUSTERS, "seed": SEED}
    fresh = rebuild or not info_path.exists() or json.loads(info_path.read_text()) != wanted
    if fresh and home.exists():
        import shutil

        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    store = VectorStore(make_client(settings, home / "chroma"), StandInEmbedder.fingerprint)
    lexical = LexicalIndexes(home / "lexical", store)
    if fresh:
        aud = audiences(settings)
        t0 = time.perf_counter()
        for name, corpus in corpora.items():
            ids = [f"{name}-{i:07d}" for i in range(corpus.n)]
            metas = _metas(name, corpus, aud[name])
            store.upsert(name, ids, corpus.vectors, corpus.texts, metas)
            store.upsert(SINGLE, ids, corpus.vectors, corpus.texts, metas)
            elapsed = time.perf_counter() - t0
            print(f"  stored {name}: {corpus.n} chunks (+ the same in '{SINGLE}') at {elapsed:.0f}s", flush=True)
        lexical.rebuild(set(PARTITIONS))
        print(f"  BM25 indexes built at {time.perf_counter() - t0:.0f}s", flush=True)
        info_path.write_text(json.dumps(wanted))
    return store, lexical, corpora


# -- measuring ------------------------------------------------------------------------------

def make_queries(corpora: dict[str, Corpus], n: int, embedder: StandInEmbedder) -> list[str]:
    """Queries near real chunks of both partitions: a perturbed chunk vector and 3-5 of its words."""
    rng = np.random.default_rng(SEED + 99)
    queries = []
    for q in range(n):
        corpus = corpora[PARTITIONS[q % len(PARTITIONS)]]
        i = int(rng.integers(0, corpus.n))
        vector = corpus.vectors[i] + 0.5 * rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        words = corpus.texts[i].split()
        text = " ".join(rng.choice(words, size=int(rng.integers(3, 6)), replace=False)) + f" q{q}"
        embedder.vectors[text] = (vector / np.linalg.norm(vector)).astype(np.float32)
        queries.append(text)
    return queries


def summary(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, max(0, int(round(p / 100 * len(ms) + 0.5)) - 1))]

    return {"n": len(ms), "p50": round(pct(50), 2), "p95": round(pct(95), 2), "p99": round(pct(99), 2),
            "mean": round(statistics.fmean(ms), 2)}


def run(args) -> dict:
    from assistant.access.policy import AccessPolicy
    from assistant.config import load_settings
    from assistant.models import Caller
    from assistant.retrieval.hybrid import Retriever

    home = args.home or REPO / "evals" / "out" / f"acl-bench-{args.chunks // 1000}k"
    settings = load_settings(REPO / "config.yaml", home=str(home))
    t0 = time.perf_counter()
    store, lexical, corpora = build_store(home, settings, args.chunks, args.rebuild)
    setup_s = time.perf_counter() - t0
    embedder = StandInEmbedder()
    retriever = Retriever(settings, embedder, store, lexical)
    # The same retrieval without document routing (route_docs=0), to show what routing costs.
    plain_settings = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(update={"route_docs": 0})})
    plain = Retriever(plain_settings, embedder, store, lexical)
    policy = AccessPolicy(settings, known_collections=store.collection_names)
    queries = make_queries(corpora, args.queries, embedder)
    k, cand = 10, settings.retrieval.dense_candidates
    aud = audiences(settings)

    def where_for(roles: set[str]) -> dict:
        readable = [a for name, a in aud.items() if name in PARTITIONS and roles & set(a.split(","))]
        return {"audience": {"$in": readable}}

    agent, legal = Caller(roles=frozenset({"bpo_agent"})), Caller(roles=frozenset({"legal"}))
    agent_where, legal_where = where_for({"bpo_agent"}), where_for({"legal"})
    variants = {
        "search bpo_agent (partitioned, hybrid)": lambda q: retriever.search(q, policy.readable(agent), k),
        "search legal (partitioned, hybrid)": lambda q: retriever.search(q, policy.readable(legal), k),
        "search bpo_agent (hybrid, no doc routing)": lambda q: plain.search(q, policy.readable(agent), k),
        "search legal (hybrid, no doc routing)": lambda q: plain.search(q, policy.readable(legal), k),
        "dense bpo_agent: runbooks partition": lambda q: store.query("runbooks", embedder.vectors[q], cand),
        "dense legal: both partitions":
            lambda q: [store.query(c, embedder.vectors[q], cand) for c in policy.readable(legal)],
        "dense bpo_agent: one collection + where": lambda q: store.query(SINGLE, embedder.vectors[q], cand, agent_where),
        "dense legal: one collection + where": lambda q: store.query(SINGLE, embedder.vectors[q], cand, legal_where),
        "dense: one collection, unfiltered": lambda q: store.query(SINGLE, embedder.vectors[q], cand),
    }
    assert policy.readable(agent) == ["runbooks"] and policy.readable(legal) == ["contracts", "runbooks"]
    for fn in variants.values():  # warm-up: load indexes, fill caches
        for q in queries[:15]:
            fn(q)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for i, q in enumerate(queries):
        for name in names[i % len(names):] + names[: i % len(names)]:  # rotate the order per query
            start, start_cpu = time.perf_counter(), time.process_time()
            variants[name](q)
            samples[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    # Wall time is what a user waits; CPU time (all threads of this process) is what a query
    # costs, and stays meaningful when other work on a shared machine inflates the wall time.
    results = {name: {**summary(s), "cpu": summary(cpu[name])} for name, s in samples.items()}
    # Results must really be partitioned: an agent's search never returns a contract.
    leaks = sum(1 for q in queries[:50] for r in retriever.search(q, policy.readable(agent), k)
                if r.collection != "runbooks")
    encode = measure_encode(settings, args.encode_queries) if args.encode_queries else None
    return {
        "commit": git_revision(), "python": platform.python_version(), "machine": platform.machine(),
        "load_average_before": args.load_before, "load_average_after": load_average(),
        "chunks": {name: store.count(name) for name in (*PARTITIONS, SINGLE)},
        "settings": {"k": k, "dense_candidates": cand, "route_docs": settings.retrieval.route_docs,
                     "in_doc_candidates": settings.retrieval.in_doc_candidates,
                     "lexical_candidates": settings.retrieval.lexical_candidates,
                     "rrf_k": settings.retrieval.rrf_k, "queries": len(queries), "dim": DIM, "clusters": CLUSTERS,
                     "store": str(home), "setup_seconds": round(setup_s, 1)},
        "latency_ms": results, "agent_contract_results": leaks, "query_encode_ms": encode,
    }


def measure_encode(settings, n: int) -> dict[str, dict]:
    """The real model's query encode: the configured backend and threads, and the same with one thread."""
    from assistant.retrieval.embedding import Embedder

    cfg = settings.embedding
    backend = cfg.backend
    out: dict[str, dict] = {}
    for threads in dict.fromkeys([cfg.threads, 1]):
        label = f"{backend}, {threads or 'default'} thread{'s' if threads != 1 else ''}" + \
            (" (configured)" if threads == cfg.threads else "")
        try:
            model = Embedder.from_settings(cfg, threads=threads)
            model.load()
        except Exception as exc:  # noqa: BLE001 - e.g. an optional backend not installed
            out[label] = {"error": f"{type(exc).__name__}: {str(exc)[:120]}"}
            continue
        if threads is None and backend == "torch":
            import torch

            torch.set_num_threads(os.cpu_count() or 1)  # torch's own default, in case a 1-thread run came first
        texts = [f"how do I escalate a chat backlog for queue {i} on shift {threads}?" for i in range(n + 5)]
        for t in texts[:5]:
            model.embed_query(t)
        samples = []
        for t in texts[5:]:
            start = time.perf_counter()
            model.embed_query(t)
            samples.append(time.perf_counter() - start)
        out[label] = summary(samples)
    return out


def print_table(report: dict) -> None:
    print(f"commit {report['commit']}  python {report['python']}  {report['machine']}")
    print(f"load average before: {report['load_average_before']}  after: {report['load_average_after']}")
    print(f"chunks: {report['chunks']}")
    print(f"settings: {report['settings']}")
    print(f"\n{'variant (k=10)':44} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'mean':>7} | "
          f"{'cpu p50':>7} {'cpu p95':>7}  (ms)")
    for name, s in report["latency_ms"].items():
        c = s["cpu"]
        print(f"{name:44} {s['n']:>4} {s['p50']:>7.2f} {s['p95']:>7.2f} {s['p99']:>7.2f} {s['mean']:>7.2f} | "
              f"{c['p50']:>7.2f} {c['p95']:>7.2f}")
    for label, e in (report["query_encode_ms"] or {}).items():
        if "error" in e:
            print(f"{'real model query encode, ' + label:44} unavailable: {e['error']}")
            continue
        print(f"{'real model query encode, ' + label:44} {e['n']:>4} {e['p50']:>7.2f} {e['p95']:>7.2f} "
              f"{e['p99']:>7.2f} {e['mean']:>7.2f} |")
    print(f"\ncontract chunks returned to bpo_agent in 50 searches: {report['agent_contract_results']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--encode-queries", type=int, default=100, help="real-model query encodes to time (0: skip)")
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached store")
    parser.add_argument("--encode-only", action="store_true", help="only time the real model's query encode")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args.load_before = load_average()
    if args.encode_only:
        from assistant.config import load_settings

        encode = measure_encode(load_settings(REPO / "config.yaml"), args.encode_queries or 60)
        print(json.dumps({"commit": git_revision(), "load_average": load_average(), "query_encode_ms": encode}, indent=1))
        return 0
    report = run(args)
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)
    return 0 if report["agent_contract_results"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
