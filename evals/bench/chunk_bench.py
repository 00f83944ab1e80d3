"""Chunking time on unbroken text: does it grow linearly with the text?

    python evals/bench/chunk_bench.py [--sizes 50000,500000,5000000] [--repeat 1]

Three shapes per size: words with no sentence end ("lorem ipsum ..."), one single token with no
space at all, and CJK text (no spaces, one word piece per character). Prints seconds, chunks,
the largest chunk (tokens and characters) and, for each size after the first, the time ratio
against the size ratio: linear chunking keeps time ratio / size ratio near 1 (the quadratic
version measured 1 s at 25 KB, 7.5 s at 100 KB, and never finished 1 MB).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from assistant.config import load_settings  # noqa: E402
from assistant.retrieval.embedding import Embedder  # noqa: E402
from ingest.chunking import Chunker  # noqa: E402
from ingest.document import Block, BlockKind, ParsedDocument  # noqa: E402

SHAPES = {"words": "lorem ipsum dolor ", "one-token": "x", "cjk": "\u4e2d\u6587\u6587\u672c"}


def _doc(shape: str, size: int) -> ParsedDocument:
    unit = SHAPES[shape]
    text = (unit * (size // len(unit) + 1))[:size]
    return ParsedDocument(text=text, blocks=[Block(kind=BlockKind.paragraph, start=0, end=len(text))], format="txt")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,500000,5000000")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per cell")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = load_settings(REPO / "config.yaml", home=str(REPO / ".bpo-assistant"))
    embedder = Embedder.from_settings(settings.embedding)
    chunker = Chunker(embedder.count_tokens, settings.chunking.target_tokens, settings.chunking.max_tokens)
    print(f"{'shape':<10} {'chars':>10} {'seconds':>9} {'chunks':>7} {'max tok':>7} {'max chars':>9} {'time/size ratio':>16}")
    for shape in SHAPES:
        previous: tuple[int, float] | None = None
        for size in sizes:
            doc = _doc(shape, size)
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                drafts = chunker.chunk(doc, "Bench")
                best = min(best, time.perf_counter() - started)
            ratio = "" if previous is None else f"{(best / previous[1]) / (size / previous[0]):.2f}"
            print(f"{shape:<10} {size:>10} {best:>9.2f} {len(drafts):>7} {max(d.tokens for d in drafts):>7} "
                  f"{max(len(d.body) for d in drafts):>9} {ratio:>16}")
            previous = (size, best)
    return 0


if __name__ == "__main__":
    sys.exit(main())
