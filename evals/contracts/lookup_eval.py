"""Clause lookup against CUAD gold spans.

    python -m evals.contracts.lookup_eval --corpus ../shared/corpus [--json] [--write-results]

For every (contract, CUAD category of the taxonomy) pair with a gold span, `ContractService.lookup`
(the product path: retrieval + clause-type scoring) is asked for that category in that contract;
recall@k counts the pair as found when one of the top k results holds a gold span (common.overlaps).
Pairs without a gold span check the "not found" answer. Cross-validated: contracts are split in 5
folds and each fold is looked up with a classifier calibrated on the other four.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict

import numpy as np

from evals.contracts.calibrate import FOLDS, collect, fit
from evals.contracts.common import (
    eval_caller, load_gold, markdown_table, open_service, overlaps, parser, print_table, write_section,
)

ABSENT_SAMPLE = 250  # (contract, category) pairs without gold checked for "not found"


def fold_calibrations(service, corpus, taxonomy):
    """One Calibration per fold, fitted on the other folds' contracts (sorted by source)."""
    from assistant.contracts.classify import ClauseClassifier
    from assistant.contracts.taxonomy import Calibration, Params

    base = Calibration.load()
    blank = base.model_copy(update={"categories": {}})
    clf = ClauseClassifier(taxonomy, embedder=service.embedder, calibration=blank)
    docs = collect(service, corpus, clf)
    cats = taxonomy.categories
    cols = [j for j, c in enumerate(cats) if c.source == "cuad" and any(d["labels"][:, j].any() for d in docs)]
    out = {}
    for f in range(FOLDS):
        train = [d for i, d in enumerate(docs) if i % FOLDS != f]
        shared_lex, per_lex = fit(train, cols, False, base.dense_center)
        shared_vec, per_vec = fit(train, cols, True, base.dense_center)
        # The fold's own "not found" threshold: 5th percentile of the best score where gold exists.
        best = []
        for d in train:
            for j in cols:
                if d["labels"][:, j].any():
                    x = np.hstack([d["features"][:, j, :], d["dense"][:, j : j + 1] - base.dense_center])
                    w = per_vec[j]
                    best.append(float((1 / (1 + np.exp(-(x @ w[1:] + w[0])))).max()))
        out[f] = base.model_copy(update={
            "version": f"cv{f}", "found_threshold": float(np.quantile(best, 0.05)),
            "shared": Params(lexical=list(shared_lex), vectors=list(shared_vec)),
            "categories": {cats[j].name: Params(lexical=list(per_lex[j]), vectors=list(per_vec[j])) for j in cols},
        })
    return out, [d["source"] for d in docs]


def main() -> None:
    from assistant import wiring
    from assistant.contracts.classify import ClauseClassifier
    from assistant.contracts.taxonomy import Taxonomy

    args = parser(__doc__.splitlines()[0]).parse_args()
    service = open_service(args.corpus, args.home, args.limit)
    taxonomy = Taxonomy.load()
    gold = load_gold(args.corpus)
    calibrations, sources = fold_calibrations(service, args.corpus, taxonomy)
    caller = eval_caller()
    cats = [c for c in taxonomy.categories if c.source == "cuad"]
    per_cat = defaultdict(lambda: {"n": 0, "r1": 0, "r5": 0, "span_r5": 0.0})
    absent = []
    rng = random.Random(8)
    started = time.perf_counter()
    lookups = 0
    for f in range(FOLDS):
        contracts = wiring.contract_service(service, ClauseClassifier(taxonomy, calibration=calibrations[f]))
        for i, source in enumerate(sources):
            if i % FOLDS != f:
                continue
            spans_by_cat = {k.lower(): v for k, v in gold[source].items()}
            for cat in cats:
                spans = spans_by_cat.get(cat.name.lower())
                if not spans:
                    if rng.random() < ABSENT_SAMPLE / (len(sources) * len(cats) * 0.7):
                        res = contracts.lookup(cat.name, caller, source=source, k=5)
                        lookups += 1
                        absent.append((cat.name, res.found))
                    continue
                res = contracts.lookup(cat.name, caller, source=source, k=5)
                lookups += 1
                hits = [any(overlaps(h.char_start, h.char_end, s) for s in spans) for h in res.results]
                covered = {si for h in res.results for si, s in enumerate(spans) if overlaps(h.char_start, h.char_end, s)}
                row = per_cat[cat.name]
                row["n"] += 1
                row["r1"] += bool(hits[:1] and hits[0])
                row["r5"] += any(hits[:5])
                row["span_r5"] += len(covered) / len(spans)
    seconds = time.perf_counter() - started
    rows = []
    for name, r in sorted(per_cat.items(), key=lambda kv: (kv[1]["r5"] / kv[1]["n"], kv[0])):
        rows.append([name, r["n"], r["r1"] / r["n"], r["r5"] / r["n"], r["span_r5"] / r["n"]])
    n = sum(r["n"] for r in per_cat.values())
    overall = {
        "pairs": n,
        "recall_at_1": sum(r["r1"] for r in per_cat.values()) / n,
        "recall_at_5": sum(r["r5"] for r in per_cat.values()) / n,
        "macro_recall_at_5": float(np.mean([r["r5"] / r["n"] for r in per_cat.values()])),
        "span_recall_at_5": sum(r["span_r5"] for r in per_cat.values()) / n,
        "absent_pairs_checked": len(absent),
        "absent_reported_not_found": (sum(1 for _, found in absent if not found) / len(absent)) if absent else None,
        "lookups": lookups, "seconds": round(seconds, 1), "ms_per_lookup": round(1000 * seconds / max(1, lookups), 1),
    }
    if args.json:
        print(json.dumps({"overall": overall, "per_category": [dict(zip(["category", "pairs", "recall_at_1", "recall_at_5",
                                                                             "span_recall_at_5"], r)) for r in rows]}))
    else:
        print_table("Clause lookup on CUAD (5-fold cross-validated calibration), weakest first",
                    ["category", "pairs", "recall@1", "recall@5", "span recall@5"], rows)
        print(json.dumps(overall, indent=2))
    if args.write_results:
        body = (
            "## Clause lookup (CUAD gold spans)\n\n"
            f"`python -m evals.contracts.lookup_eval --corpus ../shared/corpus` — {n} (contract, category) pairs with a gold "
            f"span over {len(sources)} contracts; `ContractService.lookup(category, source=contract, k=5)`; a pair is found "
            "when a returned chunk holds at least half of a gold span (or 100 characters of it). Classifier weights and the "
            "not-found threshold are cross-validated (5 folds by contract).\n\n"
            + markdown_table(["overall", "value"], [[k, v] for k, v in overall.items()]) + "\n\n"
            + markdown_table(["category", "pairs", "recall@1", "recall@5", "span recall@5"], rows)
        )
        write_section("lookup", body)


if __name__ == "__main__":
    main()
