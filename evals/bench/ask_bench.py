"""Offline answer latency: p50/p95 of `service.ask` with the configured answerer (no LLM by default).

    python evals/bench/ask_bench.py CORPUS [--n 100] [--role admin] [--home DIR] [--config FILE] [--json]

Questions: the process questions matching CORPUS plus evals/questions/out_of_corpus.jsonl (refusals
are answers too, and cheaper: both kinds are timed, and reported apart).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.bench.search_bench import bench_embedder, print_report, summarise  # noqa: E402
from evals.harness import QUESTIONS, find_question_file, open_run, read_jsonl  # noqa: E402

TARGET_P95_MS = 400.0  # issue 23: with the passage judge re-scoring 20 passages and 12 units


def main(argv: list[str] | None = None) -> int:
    from assistant.models import Caller

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--role", default="admin")
    ap.add_argument("--home", type=Path)
    ap.add_argument("--config", type=Path, help="another config.yaml (e.g. the judge's candidates or max_tokens changed)")
    ap.add_argument("--threads", type=int, help="torch intra-op threads for the model (default: config embedding.threads)")
    ap.add_argument("--questions", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    run = open_run(args.corpus, home=args.home, config=args.config, embedder=bench_embedder(args.threads))
    try:
        qfile = args.questions or find_question_file(run.corpus)
        questions = [q["question"] for q in read_jsonl(qfile)] if qfile else []
        questions += [q["question"] for q in read_jsonl(QUESTIONS / "out_of_corpus.jsonl")]
        random.Random(0).shuffle(questions)  # answered and refused questions interleaved, same order every run
        caller = Caller(id="bench", roles=frozenset(r.strip() for r in args.role.split(",") if r.strip()), surface="eval")
        service = run.service
        service.warm_up()
        for q in questions[:3]:
            service.ask(q, caller)
        all_ms, answered_ms, refused_ms = [], [], []
        for i in range(args.n):
            if service.retriever.judge is not None:
                service.retriever.judge.clear_cache()  # a repeated question must pay the judge again
            t = time.perf_counter()
            answer = service.ask(questions[i % len(questions)], caller)
            ms = (time.perf_counter() - t) * 1000
            all_ms.append(ms)
            (answered_ms if answer.grounded else refused_ms).append(ms)
        report = {"bench": "ask", "role": args.role, "queries": len(questions), "mode": service.answerer.mode,
                  "threads": service.embedder.threads or "default",
                  "ask_ms": summarise(all_ms), "answered_ms": summarise(answered_ms) if answered_ms else None,
                  "refused_ms": summarise(refused_ms) if refused_ms else None,
                  "target_p95_ms": TARGET_P95_MS, "meta": run.metadata()}
    finally:
        run.close()
    if args.json:
        print(json.dumps(report))
        return 0
    print_report({k: v for k, v in report.items() if v is not None}, f"service.ask ({report['mode']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
