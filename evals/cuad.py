"""CUAD clause spans: can the assistant find a clause category inside one known contract?

For every (contract, category) with gold spans, the query is the category's CUAD description
(e.g. "Is consent or notice required of a party if the contract is assigned to a third party?"),
retrieval is restricted to that contract's .txt (`source` filter), and we measure
  recall@k = |U(retrieved spans) ∩ U(gold spans)| / |U(gold spans)|   (characters)
  hit@k    = any retrieved chunk overlaps any gold span.
Reported per category and overall (mean over pairs, and the mean of the category means).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from evals.harness import EvalRun, retrieve_at_ks
from evals.legalbench import covered, intersection

ANNOTATIONS_FILE = "annotations/cuad_selected.json"
DESCRIPTIONS_FILE = "annotations/cuad_category_descriptions.csv"
DEFAULT_KS = [1, 5, 10]


def _strip_prefix(value: str) -> str:
    value = value.strip()
    head, sep, rest = value.partition(":")
    if sep and head.strip().lower() in {"category", "description", "answer format", "group"}:
        value = rest
    return " ".join(value.split())


def load_descriptions(corpus: Path) -> dict[str, str]:
    """Lower-cased category name -> description, from CUAD's category_descriptions.csv."""
    out: dict[str, str] = {}
    with (Path(corpus) / DESCRIPTIONS_FILE).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)  # header
        for row in reader:
            if len(row) >= 2 and row[0].strip():
                out[_strip_prefix(row[0]).lower()] = _strip_prefix(row[1])
    return out


def load_pairs(corpus: Path, descriptions: dict[str, str]) -> list[dict]:
    data = json.loads((Path(corpus) / ANNOTATIONS_FILE).read_text(encoding="utf-8"))
    pairs = []
    for contract in data["contracts"]:
        for ann in contract["annotations"]:
            spans = [(int(s["start"]), int(s["end"])) for s in ann.get("spans", [])]
            if not spans:
                continue
            category = ann["category"]
            pairs.append({
                "contract": contract["contract_file"], "category": category, "gold": spans,
                "query": descriptions.get(category.lower(), category),
                "described": category.lower() in descriptions,
            })
    return pairs


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def run_cuad(run: EvalRun, k_list: list[int] | None = None, limit: int | None = None) -> dict:
    """`limit` keeps the first N contracts (in annotation-file order) that are indexed."""
    from assistant.models import SearchFilters

    ks = sorted(set(k_list or DEFAULT_KS))
    descriptions = load_descriptions(run.corpus)
    indexed = {d.source for d in run.documents()}
    pairs = load_pairs(run.corpus, descriptions)
    contracts = list(dict.fromkeys(p["contract"] for p in pairs))
    not_indexed = [c for c in contracts if c not in indexed]
    keep = [c for c in contracts if c in indexed][: limit or None]
    pairs = [p for p in pairs if p["contract"] in set(keep)]
    ranked = retrieve_at_ks(run, [(p["query"], SearchFilters(source=[p["contract"]])) for p in pairs], ks)

    spans = run.chunk_spans()
    inside = sum(intersection(spans.get(p["contract"], []), p["gold"]) for p in pairs)
    rows = []
    for p, by_k in zip(pairs, ranked):
        gold_chars = covered(p["gold"])
        row = {"contract": p["contract"], "category": p["category"], "gold_chars": gold_chars, "k": {}}
        for k in ks:
            spans = [(r.char_start, r.char_end) for r in by_k[k] if r.source == p["contract"]]
            hit_chars = intersection(spans, p["gold"])
            row["k"][k] = {"recall": hit_chars / gold_chars if gold_chars else 0.0, "hit": hit_chars > 0}
        rows.append(row)

    categories: dict[str, list[dict]] = {}
    for row in rows:
        categories.setdefault(row["category"], []).append(row)
    per_category = {
        name: {"pairs": len(group), **{k: {"recall": _mean(r["k"][k]["recall"] for r in group),
                                           "hit": _mean(float(r["k"][k]["hit"]) for r in group)} for k in ks}}
        for name, group in sorted(categories.items())
    }
    overall = {k: {"recall": _mean(r["k"][k]["recall"] for r in rows),
                   "hit": _mean(float(r["k"][k]["hit"]) for r in rows),
                   "recall_macro": _mean(c[k]["recall"] for c in per_category.values()),
                   "hit_macro": _mean(c[k]["hit"] for c in per_category.values())} for k in ks}
    notes = []
    if not_indexed:
        notes.append(f"{len(not_indexed)} annotated contracts are not indexed: {not_indexed[:3]}")
    undescribed = sorted({p["category"] for p in pairs if not p["described"]})
    if undescribed:
        notes.append(f"no description for {undescribed}: queried with the category name")
    return {
        "eval": "cuad", "contracts": len(keep), "pairs": len(rows), "k_list": ks,
        "overall": overall, "per_category": per_category, "notes": notes,
        "gold_chars_in_chunks": inside / (sum(covered(p["gold"]) for p in pairs) or 1),  # the recall ceiling
        "per_pair": rows,
    }
