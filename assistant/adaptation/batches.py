"""In-batch negatives that are hard: runs of pairs from one document share a batch."""

from __future__ import annotations

import random
from collections.abc import Sequence

from assistant.adaptation.pairs import TrainingPair

MIN_BATCH = 8  # a smaller tail batch has too few negatives to teach anything


def document_batches(pairs: Sequence[TrainingPair], batch_size: int, per_document: int,
                     rng: random.Random) -> list[list[TrainingPair]]:
    """Shuffled batches of `batch_size` pairs, built from runs of up to `per_document` pairs of one
    document (0: no grouping). No batch holds one chunk, query or passage twice: with in-batch
    negatives a repeat would be scored as a wrong answer to itself."""
    pool = list(pairs)
    rng.shuffle(pool)
    if per_document:
        by_doc: dict[str, list[TrainingPair]] = {}
        for p in pool:
            by_doc.setdefault(p.doc_id, []).append(p)
        runs: list[list[TrainingPair]] = []
        for pending in by_doc.values():
            while pending:
                run: list[TrainingPair] = []
                later: list[TrainingPair] = []
                for p in pending:
                    if any(q.chunk_id == p.chunk_id for q in run):
                        later.append(p)  # the chunk's other pair: into a later run of the document
                        continue
                    run.append(p)
                    if len(run) == per_document:
                        runs.append(run)
                        run = []
                if run:
                    runs.append(run)
                pending = later
        rng.shuffle(runs)
        pool = [p for run in runs for p in run]
    batches: list[list[TrainingPair]] = []
    while pool:
        batch, seen, rest = [], set(), []
        for p in pool:
            keys = {("c", p.chunk_id), ("q", p.query), ("p", p.passage)}
            if len(batch) < batch_size and not keys & seen:
                batch.append(p)
                seen |= keys
            else:
                rest.append(p)
        batches.append(batch)
        pool = rest
    return [b for b in batches if len(b) >= MIN_BATCH]
