"""Smoke run: every corpus file through ingest.loaders.load_document.

    python evals/bench/loader_smoke.py [CORPUS_DIR]

CORPUS_DIR defaults to <repo>/../shared/corpus. Skips LICENSES/, annotations/, MANIFEST.tsv
and SOURCES.md. Prints ok/failed counts (per format), every failure with its reason, the
slowest files and the total time. Exit status 1 if anything failed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from ingest.loaders import LoaderError, load_document  # noqa: E402

SKIP_DIRS = {"LICENSES", "annotations"}
SKIP_FILES = {"MANIFEST.tsv", "SOURCES.md"}


def corpus_files(root: Path) -> list[Path]:
    out = []
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(root)
        if rel.parts[0] in SKIP_DIRS or (len(rel.parts) == 1 and rel.name in SKIP_FILES):
            continue
        out.append(p)
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else (REPO / ".." / "shared" / "corpus").resolve()
    if not root.is_dir():
        print(f"corpus not found: {root}")
        return 2
    files = corpus_files(root)
    ok: Counter[str] = Counter()
    secs: defaultdict[str, float] = defaultdict(float)
    blocks: Counter[str] = Counter()
    failures: list[tuple[Path, str]] = []
    timings: list[tuple[float, Path]] = []
    t_all = time.perf_counter()
    for p in files:
        ext = p.suffix.lower() or "(none)"
        t0 = time.perf_counter()
        try:
            doc = load_document(p)
        except LoaderError as e:
            failures.append((p, f"{type(e).__name__}: {e}"))
        except Exception as e:  # a bug: loaders must only raise LoaderError
            failures.append((p, f"UNEXPECTED {type(e).__name__}: {e}"))
        else:
            ok[ext] += 1
            blocks[ext] += len(doc.blocks)
        dt = time.perf_counter() - t0
        secs[ext] += dt
        timings.append((dt, p))
    total = time.perf_counter() - t_all

    print(f"corpus: {root}")
    print(f"files: {len(files)}  ok: {sum(ok.values())}  failed: {len(failures)}  "
          f"total: {total:.2f} s")
    for ext in sorted(secs):
        n_fail = sum(1 for p, _ in failures if (p.suffix.lower() or "(none)") == ext)
        print(f"  {ext:10s} ok {ok[ext]:4d}  failed {n_fail:3d}  blocks {blocks[ext]:6d}  "
              f"{secs[ext]:6.2f} s")
    if failures:
        print("failures:")
        for p, why in failures:
            print(f"  {p.relative_to(root)}: {why}")
    print("slowest:")
    for dt, p in sorted(timings, reverse=True)[:5]:
        print(f"  {dt:6.3f} s  {p.relative_to(root)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
