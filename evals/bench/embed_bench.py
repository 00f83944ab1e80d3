"""Embedding backends benchmark: encode throughput and agreement with the PyTorch vectors.

    python evals/bench/embed_bench.py [../shared/corpus] [--texts 1000] [--threads 1,2] [--batch 32]
                                      [--backends torch,onnx,onnx-int8] [--rounds 3] [--json]

Takes `--texts` real chunk texts (what the ingest pipeline embeds: header + body) from the
corpus, spread over its files with a fixed seed; encodes them with every backend and thread
count, alternating the backends round by round; prints the median chunks/s (wall and per
CPU-second), the median per-round speed-up over the first backend (torch) with the same threads,
the cosine agreement of each backend's vectors with torch's (min / 1st percentile / mean), and the
single-query encode p50. The ONNX exports are made locally on first use under --cache (default
evals/out/models). The machine's load average is printed: on a busy machine, numbers are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import git_revision  # noqa: E402


def chunk_texts(corpus: Path, n: int, embedder, seed: int = 7) -> list[str]:
    """Real embed texts: the corpus's files chunked exactly as ingest does, sampled with a fixed seed."""
    from assistant.config import load_settings
    from ingest.chunking import Chunker
    from ingest.loaders import load_document
    from ingest.metadata import title_for

    settings = load_settings(REPO / "config.yaml")
    chunker = Chunker(embedder.count_tokens, settings.chunking.target_tokens, settings.chunking.max_tokens)
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix.lower() in {".txt", ".md", ".pdf", ".docx", ".html"}
             and "LICENSES" not in p.parts and "annotations" not in p.parts]
    rng = random.Random(seed)
    rng.shuffle(files)
    texts: list[str] = []
    for path in files:
        try:
            doc = load_document(path)
        except Exception:
            continue
        texts.extend(d.embed_text for d in chunker.chunk(doc, title_for(doc.title, path.name)))
        if len(texts) >= n * 3:
            break
    rng.shuffle(texts)
    return texts[:n]


def timed(embedder, texts: list[str]):
    """(wall seconds, CPU seconds, vectors) for one pass. CPU time is the fair number on a busy
    machine: wall time there measures the share of the cores we got, not the backend."""
    w0, c0 = time.perf_counter(), time.process_time()
    vectors = embedder.embed(texts)
    return time.perf_counter() - w0, time.process_time() - c0, vectors


def query_p50(embedder, n: int = 50) -> float:
    queries = ["how much notice to terminate the MSA for convenience", "who approves a refund above 5000 dollars"]
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        embedder.embed_query(queries[i % 2])
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path, nargs="?", default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--backends", default="torch,onnx,onnx-int8")
    parser.add_argument("--rounds", type=int, default=3, help="alternating timed passes per backend")
    parser.add_argument("--cache", type=Path, default=REPO / "evals" / "out" / "models")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import numpy as np
    import torch

    from assistant.retrieval.embedding import Embedder

    base = Embedder(batch_size=args.batch)
    texts = chunk_texts(args.corpus, args.texts, base)
    tokens = base.count_tokens_batch(texts)
    print(f"commit={git_revision()} corpus={args.corpus} texts={len(texts)} mean_tokens={statistics.mean(tokens):.0f} "
          f"batch={args.batch} rounds={args.rounds} cpus={os.cpu_count()} load_avg={os.getloadavg()[0]:.1f} "
          f"torch={torch.__version__}", flush=True)

    rows = []
    backends = args.backends.split(",")
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        models, load_s = {}, {}
        for backend in backends:
            t0 = time.perf_counter()
            models[backend] = Embedder(batch_size=args.batch, threads=threads, backend=backend, cache_dir=args.cache)
            models[backend].load()
            models[backend].embed(texts[:64])  # warm-up: first-call allocations, kernel selection
            load_s[backend] = time.perf_counter() - t0
        # Rounds alternate the backends (A, B, C, A, B, C, ...) so a change in the machine's load
        # hits all of them alike; speed-ups are medians of per-round ratios.
        wall = {b: [] for b in backends}
        cpu = {b: [] for b in backends}
        vectors = {}
        for _ in range(args.rounds):
            for backend in backends:
                w, c, vectors[backend] = timed(models[backend], texts)
                wall[backend].append(len(texts) / w)
                cpu[backend].append(len(texts) / c)
        ref = backends[0]
        for backend in backends:
            cos = (vectors[backend] * vectors[ref]).sum(axis=1)
            ratios = [a / b for a, b in zip(wall[backend], wall[ref])]
            cpu_ratios = [a / b for a, b in zip(cpu[backend], cpu[ref])]
            rows.append({
                "backend": backend, "threads": threads, "load_s": round(load_s[backend], 1),
                "chunks_per_s": round(statistics.median(wall[backend]), 1), "speedup": round(statistics.median(ratios), 2),
                "chunks_per_cpu_s": round(statistics.median(cpu[backend]), 1), "cpu_speedup": round(statistics.median(cpu_ratios), 2),
                "cos_min": round(float(cos.min()), 4), "cos_p1": round(float(np.percentile(cos, 1)), 4),
                "cos_mean": round(float(cos.mean()), 4), "query_p50_ms": round(query_p50(models[backend]), 1),
            })
            print(json.dumps(rows[-1]), flush=True)

    if args.json:
        print(json.dumps({"commit": git_revision(), "rows": rows}))
        return 0
    cols = ["backend", "threads", "load_s", "chunks_per_s", "speedup", "chunks_per_cpu_s", "cpu_speedup", "cos_min", "cos_p1", "cos_mean", "query_p50_ms"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    print(f"load_avg_after={os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
