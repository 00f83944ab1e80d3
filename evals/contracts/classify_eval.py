"""Clause classification against CUAD gold spans: precision/recall and precision at 80% recall.

    python -m evals.contracts.classify_eval --corpus ../shared/corpus [--json] [--write-results]

Unit: a (chunk, category) pair; a chunk is a positive for a category when it holds a CUAD gold span
of it (common.overlaps). Every score is out-of-fold (5-fold cross-validation by contract, the same
fitting code as calibrate.py), for two models:
- lexical: cues + heading + position alone;
- vectors: the same plus the chunk vector's similarity to the category query: what ingest stores
  (the annotator runs after embedding) and what lookup uses.

Precision at 80% recall (CUAD's headline metric) is computed two ways, both on the interpolated
precision-recall curve over all categories pooled:
- span recall (CUAD-style): recall counts gold spans covered by a predicted chunk, precision counts
  predicted chunks that hold a gold span;
- chunk recall: recall counts positive chunks.
The macro average over categories is reported too (rare categories weigh as much as common ones).
"""

from __future__ import annotations

import json

import numpy as np

from evals.contracts.calibrate import collect, cross_validated_scores, interpolated_precision_at_recall
from evals.contracts.common import markdown_table, open_service, overlaps, parser, print_table, write_section


def _predictions(docs, scores, cols):
    """Flat lists over (contract, chunk, category): score, chunk label, covered gold-span keys, category."""
    s, y, hits, cat = [], [], [], []
    for di, (d, sc) in enumerate(zip(docs, scores)):
        for j in cols:
            spans = d["spans_by_col"][j]
            for i, (a, b) in enumerate(d["ranges"]):
                s.append(sc[i, j])
                y.append(bool(d["labels"][i, j]))
                hits.append({(di, j, k) for k, span in enumerate(spans) if overlaps(a, b, span)})
                cat.append(j)
    return np.asarray(s), np.asarray(y), hits, np.asarray(cat)


def metrics(docs, scores, cols, threshold):
    s, y, hits, cat = _predictions(docs, scores, cols)
    n_spans = {j: sum(len(d["spans_by_col"][j]) for d in docs) for j in cols}
    chunk_hits = [{i} if y[i] else set() for i in range(len(y))]
    pred = s >= threshold
    tp = int((pred & y).sum())
    overall = {
        "precision_at_threshold": tp / max(1, int(pred.sum())), "recall_at_threshold": tp / max(1, int(y.sum())),
        "threshold": threshold,
        "p_at_80r_span_pooled": interpolated_precision_at_recall(s, hits, sum(n_spans.values())),
        "p_at_80r_chunk_pooled": interpolated_precision_at_recall(s, chunk_hits, int(y.sum())),
    }
    per = {}
    for j in cols:
        m = np.where(cat == j)[0]
        if not y[m].any():
            continue
        sub_hits = [hits[i] for i in m]
        p = s[m] >= threshold
        tp_j = int((p & y[m]).sum())
        per[j] = {
            "positives": int(y[m].sum()), "gold_spans": n_spans[j],
            "precision": tp_j / max(1, int(p.sum())), "recall": tp_j / max(1, int(y[m].sum())),
            "p_at_80r_span": interpolated_precision_at_recall(s[m], sub_hits, n_spans[j]),
        }
    overall["p_at_80r_span_macro"] = float(np.mean([v["p_at_80r_span"] for v in per.values()]))
    return overall, per


def main() -> None:
    from assistant.contracts.classify import ClauseClassifier
    from assistant.contracts.taxonomy import Calibration, Taxonomy

    args = parser(__doc__.splitlines()[0]).parse_args()
    service = open_service(args.corpus, args.home, args.limit)
    taxonomy = Taxonomy.load()
    calibration = Calibration.load()
    classifier = ClauseClassifier(taxonomy, embedder=service.embedder, calibration=calibration)
    docs = collect(service, args.corpus, classifier)
    cats = taxonomy.categories
    cols = [j for j, c in enumerate(cats) if c.source == "cuad" and any(d["labels"][:, j].any() for d in docs)]
    for d in docs:
        d["spans_by_col"] = {j: d["spans"].get(cats[j].name.lower(), []) for j in cols}
    results = {}
    for name, with_vectors in (("lexical", False), ("vectors", True)):
        scores = cross_validated_scores(docs, cols, with_vectors, calibration.dense_center)
        results[name] = metrics(docs, scores, cols, calibration.store_threshold)
    overall_rows = [[k] + [results[m][0][k] for m in ("lexical", "vectors")] for k in results["lexical"][0]]
    per_rows = []
    for j in sorted(cols, key=lambda j: results["vectors"][1].get(j, {}).get("p_at_80r_span", 0)):
        if j not in results["vectors"][1]:
            continue
        lx, vx = results["lexical"][1][j], results["vectors"][1][j]
        per_rows.append([cats[j].name, vx["gold_spans"], vx["positives"], lx["precision"], lx["recall"],
                         lx["p_at_80r_span"], vx["p_at_80r_span"]])
    headers = ["category", "gold spans", "positive chunks", "precision (lexical)", "recall (lexical)",
               "P@80R lexical", "P@80R vectors"]
    if args.json:
        print(json.dumps({"overall": {m: results[m][0] for m in results},
                          "per_category": [dict(zip(headers, r)) for r in per_rows]}))
    else:
        print_table("Clause classification on CUAD (out-of-fold), overall", ["metric", "lexical", "vectors"], overall_rows)
        print_table("Per category, weakest first", headers, per_rows)
    if args.write_results:
        body = (
            "## Clause classification (CUAD gold spans)\n\n"
            f"`python -m evals.contracts.classify_eval --corpus ../shared/corpus` — {len(docs)} contracts, "
            f"{len(cols)} CUAD categories of the taxonomy, (chunk, category) pairs scored out-of-fold (5-fold by contract). "
            "`lexical` is cue + heading + position evidence alone; `vectors` adds the chunk vector's similarity to the "
            "category query, and is what ingest stores (the annotator runs after embedding) and what lookup uses. P@80R is precision at 80% recall "
            "on the interpolated PR curve, pooled over categories; span = CUAD-style recall over gold spans, chunk = "
            "recall over positive chunks.\n\n"
            + markdown_table(["metric", "lexical", "vectors"], overall_rows) + "\n\n"
            + markdown_table(headers, per_rows)
        )
        write_section("classification", body)


if __name__ == "__main__":
    main()
