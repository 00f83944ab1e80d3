"""Search latency on an ingested corpus: p50/p95/p99 of `service.search`.

    python evals/bench/search_bench.py CORPUS [--k 10] [--n 200] [--role admin] [--home DIR] [--json]

Queries: the process questions matching CORPUS (evals/questions) plus the LegalBench-RAG queries
when CORPUS has them, cycled to N. The corpus is ingested first into the cached eval home (a
no-op when nothing changed); the model is warmed up and 5 searches are discarded before timing.
Also times the query embedding alone, to show how much of a search it is.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import find_question_file, open_run, percentile, read_jsonl  # noqa: E402
from evals.legalbench import QUERIES_FILE, load_queries  # noqa: E402

TARGET_P95_MS = 40.0


def bench_queries(corpus: Path) -> list[str]:
    queries = []
    qfile = find_question_file(corpus)
    if qfile is not None:
        queries += [q["question"] for q in read_jsonl(qfile)]
    if (corpus / QUERIES_FILE).is_file():
        queries += [q["query"] for q in load_queries(corpus)]
    return queries


def bench_embedder(threads: int | None):
    """The configured model, with `threads` overriding config embedding.threads when given."""
    from assistant.retrieval.embedding import Embedder
    from evals.harness import load_eval_settings

    from evals.harness import HOMES

    return Embedder.from_settings(load_eval_settings().embedding, cache_dir=HOMES.parent / "models", threads=threads)


def summarise(ms: list[float]) -> dict:
    return {"n": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
            "mean": sum(ms) / len(ms), "max": max(ms)}


def main(argv: list[str] | None = None) -> int:
    from assistant.models import Caller

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--role", default="admin")
    ap.add_argument("--home", type=Path)
    ap.add_argument("--threads", type=int, help="torch intra-op threads for the model (default: config embedding.threads)")
    ap.add_argument("--rerank", action="store_true", help="through the passage judge (as ask does); its cache is "
                                                           "cleared before each query so every query pays the judge")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    run = open_run(args.corpus, home=args.home, embedder=bench_embedder(args.threads))
    try:
        queries = bench_queries(run.corpus)
        if not queries:
            print("no queries for this corpus (no matching process questions, no LegalBench-RAG file)", file=sys.stderr)
            return 2
        caller = Caller(id="bench", roles=frozenset(r.strip() for r in args.role.split(",") if r.strip()), surface="eval")
        service = run.service
        service.warm_up()
        for q in queries[:5]:
            service.search(q, caller, k=args.k, rerank=args.rerank)
        search_ms, embed_ms, results = [], [], 0
        for i in range(args.n):
            q = queries[i % len(queries)]
            t = time.perf_counter()
            if args.rerank and service.retriever.judge is not None:
                service.retriever.judge.clear_cache()
            response = service.search(q, caller, k=args.k, rerank=args.rerank)
            search_ms.append((time.perf_counter() - t) * 1000)
            results += len(response.results)
        for i in range(min(args.n, 100)):
            t = time.perf_counter()
            service.embedder.embed_query(queries[i % len(queries)])
            embed_ms.append((time.perf_counter() - t) * 1000)
        report = {"bench": "search", "k": args.k, "role": args.role, "queries": len(queries),
                  "threads": service.embedder.threads or "default",
                  "search_ms": summarise(search_ms), "embed_query_ms": summarise(embed_ms),
                  "mean_results": results / args.n, "target_p95_ms": TARGET_P95_MS, "meta": run.metadata()}
    finally:
        run.close()
    if args.json:
        print(json.dumps(report))
        return 0
    print_report(report, "service.search")
    return 0


def print_report(report: dict, what: str) -> None:
    meta = report["meta"]
    print(f"corpus {meta['corpus']}  files={meta['files']} chunks={meta['chunks']}  model {meta['model']}  "
          f"git {meta['git']}")
    print(f"chunking {meta['chunking']}  retrieval {meta['retrieval']}  answering {meta['answering']}")
    print(f"cpus {meta['cpus']}  load average (1 min) {meta['loadavg_1m']}: latency on a busy machine is not comparable")
    keys = [k for k in report if k.endswith("_ms") and isinstance(report[k], dict)]
    print(f"{what}: k={report.get('k', '-')} role={report['role']} model threads={report['threads']} "
          f"over {report['queries']} distinct queries")
    print(f"{'':16}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}{'max':>9}   (ms)")
    for key in keys:
        s = report[key]
        print(f"{key:16}{s['n']:>6}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}{s['mean']:>9.1f}{s['max']:>9.1f}")
    target = report.get("target_p95_ms")
    if target is not None:
        p95 = report[keys[0]]["p95"]
        print(f"target p95 <= {target} ms: {'met' if p95 <= target else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    sys.exit(main())
