"""Ingest benchmark: throughput of the whole pipeline vs the raw model on the same chunk texts.

    python evals/bench/ingest_bench.py ../shared/corpus [--home DIR] [--json]

Prints files, chunks, seconds, chunks/s, the ratio of pipeline throughput to the raw model
encoding the same chunk texts in the same run (goal >= 0.9), and the unchanged re-ingest time as a
fraction of the first (goal <= 0.02). The model is loaded before timing so both sides pay the same.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import git_revision  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--home", type=Path, default=None, help="data dir (default: a fresh temp dir)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from assistant.config import load_settings
    from assistant.models import Caller
    from assistant import wiring

    # A temp home is removed when the script exits (TemporaryDirectory's finalizer); --home is kept.
    scratch = None if args.home else tempfile.TemporaryDirectory(prefix="bpo-bench-", ignore_cleanup_errors=True)
    home = args.home or Path(scratch.name)
    settings = load_settings(REPO / "config.yaml", home=str(home))
    service = wiring.build(settings)
    service.embedder.load()
    service.embedder.embed(["warm-up"])
    admin = Caller(id="bench", roles=frozenset({"admin"}), surface="internal")

    t0 = time.perf_counter()
    first = service.ingest(args.corpus, admin)
    first_s = time.perf_counter() - t0
    if not first.chunks_written:
        print(f"nothing indexed from {args.corpus}: {len(first.files)} files, no chunks", file=sys.stderr)
        return 1

    texts = []
    for name in service.store.collection_names():
        for chunk in service.store.iter_all(name):
            header = " > ".join(p for p in (chunk.meta.get("title", ""), chunk.meta.get("section_path", "")) if p)
            texts.append(header + "\n" + chunk.text)
    t0 = time.perf_counter()
    service.embedder.embed(texts)
    raw_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    again = service.ingest(args.corpus, admin)
    again_s = time.perf_counter() - t0

    chunks = first.chunks_written
    report = {
        "corpus": str(args.corpus), "commit": git_revision(), "model": service.embedder.fingerprint,
        "chunking": settings.chunking.model_dump(), "batch_size": settings.embedding.batch_size,
        "files": len(first.files), "indexed": first.count("indexed"), "failed": first.count("failed"),
        "chunks": chunks, "seconds": round(first_s, 2), "chunks_per_s": round(chunks / first_s, 2),
        "raw_encode_seconds": round(raw_s, 2), "raw_chunks_per_s": round(len(texts) / raw_s, 2),
        "throughput_ratio": round((chunks / first_s) / (len(texts) / raw_s), 3),
        "reingest_seconds": round(again_s, 3), "reingest_fraction": round(again_s / first_s, 4),
        "reingest_embedded": again.texts_embedded,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>20}: {value}")
        for f in first.files:
            if f.status == "failed":
                print(f"{'failed':>20}: {f.source}: {f.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
