"""Process questions: does a passage from the right runbook, containing the answer, come back?

Each question (JSONL: id, question, source, must_contain) is a hit at rank r when the r-th result
comes from `source` and its text contains `must_contain` (case-insensitive, whitespace-collapsed).
Reports recall@1, recall@5, recall@k and MRR@k. For misses it also says whether the phrase is in
any single chunk of the source at all ("reachable"): a phrase cut by a chunk boundary can never
be a hit, whatever the ranking. Run as a role (`bpo-assistant --as ROLE eval process`), a miss
whose source the role may not read counts as "not_readable".
"""

from __future__ import annotations

from pathlib import Path

from evals.harness import EvalRun, norm_text, read_jsonl

TARGETS = {"recall@5": 0.90}


def is_hit(result, source: str, phrase: str) -> bool:
    return result.source == source and norm_text(phrase) in norm_text(result.text)


def hit_rank(results: list, source: str, phrase: str) -> int | None:
    return next((i for i, r in enumerate(results, 1) if is_hit(r, source, phrase)), None)


def reachable(run: EvalRun, source: str, phrase: str) -> bool | None:
    """Whether some stored chunk of `source` contains the phrase; None if the source isn't indexed."""
    store, chunks = run.service.store, []
    for name in store.collection_names():
        chunks.extend(store.get_where(name, {"source": source}))
    if not chunks:
        return None
    return any(norm_text(phrase) in norm_text(c.text) for c in chunks)


def run_process(run: EvalRun, questions: Path, k: int = 5, limit: int | None = None) -> dict:
    rows_in = read_jsonl(questions)[: limit or None]
    depth = max(k, 5)
    readable = run.readable_sources()
    rows = []
    for q in rows_in:
        results = run.search(q["question"], depth)
        rank = hit_rank(results, q["source"], q["must_contain"])
        row = {"id": q["id"], "question": q["question"], "source": q["source"], "must_contain": q["must_contain"],
               "rank": rank, "source_rank": next((i for i, r in enumerate(results, 1) if r.source == q["source"]), None),
               "top_sources": [r.source for r in results[:3]]}
        if rank is None or rank > k:
            row["reachable"] = reachable(run, q["source"], q["must_contain"])
            # Indexed, but in a collection the caller's roles can't read (e.g. --as bpo_agent on a
            # contract question): a correct miss, not a ranking fault.
            row["not_readable"] = readable.get(q["source"]) is False
        rows.append(row)
    n = len(rows) or 1

    def recall_at(cut: int) -> float:
        return sum(1 for r in rows if r["rank"] is not None and r["rank"] <= cut) / n

    metrics = {"recall@1": recall_at(1), "recall@5": recall_at(5) if k >= 5 else None,
               f"recall@{k}": recall_at(k),
               "mrr": sum(1 / r["rank"] for r in rows if r["rank"] is not None and r["rank"] <= k) / n,
               "source@1": sum(1 for r in rows if r["source_rank"] == 1) / n}
    misses = [r for r in rows if r["rank"] is None or r["rank"] > k]
    return {
        "eval": "process", "questions_file": str(questions), "questions": len(rows), "k": k,
        "metrics": metrics,
        "targets": [{"metric": m, "target": t, "value": metrics.get(m), "met": None if metrics.get(m) is None
                     else metrics[m] >= t} for m, t in TARGETS.items()],
        "unreachable": sum(1 for r in misses if r.get("reachable") is False and not r.get("not_readable")),
        "not_indexed": sum(1 for r in misses if r.get("reachable") is None),
        "not_readable": sum(1 for r in misses if r.get("not_readable")),
        "misses": misses,
        "per_question": rows,
    }
