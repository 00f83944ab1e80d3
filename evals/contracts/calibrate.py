"""Fit the clause classifier (assistant/contracts/calibration.yaml) on CUAD chunk labels.

    python -m evals.contracts.calibrate --corpus ../shared/corpus [--write]

A chunk is a positive for a category when it holds a CUAD gold span of it (common.overlaps).
Features per (chunk, category): log1p(cue weight sum), heading evidence, preamble flag, first-chunk
flag and (the `vectors` model) the cosine between the stored chunk vector and the embedded category
query. A global logistic model is fitted over all CUAD categories of the taxonomy, then one model
per category, pulled towards the global one by an L2 prior so that rare categories stay close to it.
Categories without gold labels (the BPO ones) use the global model. Reported metrics come from
contract-level 5-fold cross-validation (a contract's chunks are never scored by a model that saw it).
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import yaml

from evals.contracts.common import chunks_by_source, load_gold, open_service, overlaps, parser

PRIOR = 5.0  # strength of the pull of per-category weights towards the global ones
FOLDS = 5


def collect(service, corpus, classifier) -> list[dict]:
    """Per contract: features (n, c, 4), dense similarities (n, c), labels (n, c), chunk offsets."""
    gold = load_gold(corpus)
    chunks = chunks_by_source(service)
    cats = classifier.taxonomy.categories
    col = service.store.client.get_collection("bpo_contracts")
    queries = classifier.query_vectors()
    docs = []
    for source, pieces in sorted(chunks.items()):
        if source not in gold:
            continue
        got = col.get(ids=[p.id for p in pieces], include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"]))
        vectors = np.asarray([by_id[p.id] for p in pieces], dtype=np.float32)
        spans = {k.lower(): v for k, v in gold[source].items()}
        labels = np.zeros((len(pieces), len(cats)), dtype=bool)
        for j, c in enumerate(cats):
            for i, p in enumerate(pieces):
                labels[i, j] = any(overlaps(p.start, p.end, s) for s in spans.get(c.name.lower(), []))
        docs.append({
            "source": source, "features": classifier.features([p.text for p in pieces], [p.meta for p in pieces]),
            "dense": vectors @ queries.T, "labels": labels, "spans": spans,
            "ranges": [(p.start, p.end) for p in pieces],
        })
    return docs


def design(doc: dict, j: int, with_vectors: bool, center: float) -> np.ndarray:
    x = doc["features"][:, j, :]
    if with_vectors:
        x = np.hstack([x, doc["dense"][:, j : j + 1] - center])
    return x


def _newton(x, y, w0, prior, iters=100):
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = w0.copy()
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -40, 40)))
        grad = xb.T @ (p - y) + prior * (w - w0)
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + prior * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit(docs, cols, with_vectors, center) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    xs = {j: np.vstack([design(d, j, with_vectors, center) for d in docs]) for j in cols}
    ys = {j: np.concatenate([d["labels"][:, j] for d in docs]).astype(np.float64) for j in cols}
    x_all, y_all = np.vstack(list(xs.values())), np.concatenate(list(ys.values()))
    shared = _newton(x_all, y_all, np.zeros(x_all.shape[1] + 1), 1e-3, iters=300)
    per = {j: _newton(xs[j], ys[j], shared, PRIOR) for j in cols}
    return shared, per


def cross_validated_scores(docs, cols, with_vectors, center) -> list[np.ndarray]:
    """Out-of-fold scores per contract, shape (n, c); NaN for categories outside `cols`."""
    out = [np.full(d["labels"].shape, np.nan) for d in docs]
    for f in range(FOLDS):
        train = [d for i, d in enumerate(docs) if i % FOLDS != f]
        _, per = fit(train, cols, with_vectors, center)
        for i, d in enumerate(docs):
            if i % FOLDS == f:
                for j in cols:
                    w = per[j]
                    out[i][:, j] = 1 / (1 + np.exp(-(design(d, j, with_vectors, center) @ w[1:] + w[0])))
    return out


def interpolated_precision_at_recall(scores, hits, n_gold, recall=0.8) -> float:
    """Precision at `recall` on the interpolated PR curve (max precision at any recall >= target).
    `hits[i]` is the set of gold-span keys prediction i covers (empty: a false positive)."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    found, tp, prec, rec = set(), 0, [], []
    for rank, i in enumerate(order, 1):
        if hits[i]:
            tp += 1
            found |= hits[i]
        prec.append(tp / rank)
        rec.append(len(found) / max(1, n_gold))
    prec = np.maximum.accumulate(np.asarray(prec)[::-1])[::-1]
    k = int(np.searchsorted(np.asarray(rec), recall - 1e-9))
    return float(prec[k]) if k < len(prec) else 0.0


def main() -> None:
    from pathlib import Path

    from assistant.contracts.classify import ClauseClassifier
    from assistant.contracts.taxonomy import CALIBRATION_PATH, Calibration, Params, Taxonomy

    p = parser("Fit the clause classifier on CUAD")
    p.add_argument("--write", action="store_true", help="write assistant/contracts/calibration.yaml")
    args = p.parse_args()
    service = open_service(args.corpus, args.home, args.limit)
    taxonomy = Taxonomy.load()
    blank = Calibration(version="0", shared=Params(lexical=[0.0] * 5, vectors=[0.0] * 6))
    classifier = ClauseClassifier(taxonomy, embedder=service.embedder, calibration=blank)
    center = blank.dense_center
    docs = collect(service, args.corpus, classifier)
    cats = taxonomy.categories
    cols = [j for j, c in enumerate(cats) if c.source == "cuad" and any(d["labels"][:, j].any() for d in docs)]
    report, fitted = {}, {}
    for with_vectors in (False, True):
        name = "vectors" if with_vectors else "lexical"
        cv = cross_validated_scores(docs, cols, with_vectors, center)
        fitted[name] = fit(docs, cols, with_vectors, center)
        report[name] = {"cv": cv}
    # Thresholds: stored types at the lexical model's best-F1 point; "not found" below the score that
    # still finds 95% of the (contract, category) pairs that have a gold clause.
    lex = np.concatenate([s[:, cols].ravel() for s in report["lexical"]["cv"]])
    lab = np.concatenate([d["labels"][:, cols].ravel() for d in docs])
    best_f1, store_threshold = 0.0, 0.5
    for t in np.linspace(0.05, 0.95, 91):
        pred = lex >= t
        tp = (pred & lab).sum()
        f1 = 2 * tp / max(1, pred.sum() + lab.sum())
        if f1 > best_f1:
            best_f1, store_threshold = f1, float(t)
    best_present = [float(s[:, j].max()) for s, d in zip(report["vectors"]["cv"], docs) for j in cols if d["labels"][:, j].any()]
    best_absent = [float(s[:, j].max()) for s, d in zip(report["vectors"]["cv"], docs) for j in cols if d["spans"].get(cats[j].name.lower()) is None]
    found_threshold = float(np.quantile(best_present, 0.05))
    summary = {
        "store_threshold": round(store_threshold, 2), "store_threshold_f1": round(best_f1, 3),
        "found_threshold": round(found_threshold, 3),
        "absent_pairs_reported_found": round(float(np.mean(np.asarray(best_absent) >= found_threshold)), 3),
    }
    print(json.dumps(summary, indent=2))
    if args.write:
        shared_lex, per_lex = fitted["lexical"]
        shared_vec, per_vec = fitted["vectors"]
        old = yaml.safe_load(CALIBRATION_PATH.read_text()) if CALIBRATION_PATH.exists() else {}
        version = str(int(old.get("version", "0")) + 1)
        data = {
            "version": version,
            "fitted_on": f"CUAD, {len(docs)} contracts of the shared corpus, {date.today().isoformat()} (evals/contracts/calibrate.py)",
            "dense_center": center,
            "store_threshold": summary["store_threshold"],
            "found_threshold": summary["found_threshold"],
            "shared": {"lexical": _r(shared_lex), "vectors": _r(shared_vec)},
            "categories": {cats[j].name: {"lexical": _r(per_lex[j]), "vectors": _r(per_vec[j])} for j in cols},
        }
        header = ("# Generated by evals/contracts/calibrate.py --write: logistic-model parameters of the clause\n"
                  "# classifier, [bias, cue, heading, preamble, first, dense]. Do not edit by hand; re-run it.\n")
        Path(CALIBRATION_PATH).write_text(header + yaml.safe_dump(data, sort_keys=False, width=140, default_flow_style=None), encoding="utf-8")
        print(f"wrote {CALIBRATION_PATH} (version {version})")


def _r(w) -> list[float]:
    return [round(float(v), 4) for v in w]


if __name__ == "__main__":
    main()
