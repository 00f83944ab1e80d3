"""LegalBench-RAG (CUAD subset): character-level precision and recall at k.

Follows the benchmark's own definition (zeroentropy-ai/legalbenchrag, `run_benchmark.QAResult`):
per query, every retrieved snippet is compared with every gold snippet of the same file, and
  precision = sum(overlap(retrieved, gold)) / sum(len(retrieved))
  recall    = sum(overlap(retrieved, gold)) / sum(len(gold))
with *no* merging of retrieved spans (two overlapping retrieved chunks count twice, both in the
overlap and in the denominator); the gold snippets of a query are disjoint by construction.
Both are averaged over queries with equal weights. The union form (retrieved spans merged per
file before counting) is reported next to it; the two agree when retrieved chunks don't overlap.

Retrieval searches the whole index (no source filter), as the benchmark does: the query text
names the contract. `only_txt` restricts retrieval to .txt documents, because the corpus also
holds PDF copies of some contracts, which compete for the same passages but carry no gold spans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from evals.harness import EvalRun, retrieve_at_ks

QUERIES_FILE = "annotations/legalbench_rag_cuad_queries.json"
DEFAULT_KS = [1, 4, 8, 16, 32, 64]
# DEPENDENCIES.md: LangChain quickstart (RecursiveCharacterTextSplitter(1000, 200), MiniLM, Chroma
# top-k cosine) over the 78 contract .txt files only.
BASELINE = {"recall@1": 0.118, "recall@8": 0.433, "recall@32": 0.533, "precision@1": 0.050}
TARGETS = {"recall@32": 0.80, "precision@1": 0.10}

Span = tuple[int, int]
FileSpan = tuple[str, int, int]


# -- span arithmetic ---------------------------------------------------------------------------
def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint spans covering the same characters (touching spans are joined)."""
    merged: list[Span] = []
    for s, e in sorted((s, e) for s, e in spans if e > s):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covered(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in merge_spans(spans))


def intersection(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Characters in both unions (each side merged first)."""
    xs, ys = merge_spans(a), merge_spans(b)
    i = j = total = 0
    while i < len(xs) and j < len(ys):
        total += overlap(xs[i], ys[j])
        if xs[i][1] <= ys[j][1]:
            i += 1
        else:
            j += 1
    return total


def _by_file(spans: Iterable[FileSpan]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for f, s, e in spans:
        out.setdefault(f, []).append((s, e))
    return out


def benchmark_scores(retrieved: list[FileSpan], gold: list[FileSpan]) -> tuple[float, float]:
    """(precision, recall) exactly as LegalBench-RAG computes them (no merging, pairwise overlaps)."""
    relevant = sum(overlap((rs, re_), (gs, ge)) for rf, rs, re_ in retrieved for gf, gs, ge in gold if rf == gf)
    total_retrieved = sum(max(0, e - s) for _, s, e in retrieved)
    total_gold = sum(max(0, e - s) for _, s, e in gold)
    precision = relevant / total_retrieved if total_retrieved else 0.0
    recall = relevant / total_gold if total_gold else 0.0
    return precision, recall


def union_scores(retrieved: list[FileSpan], gold: list[FileSpan]) -> tuple[float, float]:
    """(precision, recall) over the unions: |U(R) ∩ U(G)| / |U(R)| and / |U(G)|."""
    r_files, g_files = _by_file(retrieved), _by_file(gold)
    hit = sum(intersection(spans, g_files.get(f, [])) for f, spans in r_files.items())
    total_r = sum(covered(spans) for spans in r_files.values())
    total_g = sum(covered(spans) for spans in g_files.values())
    return (hit / total_r if total_r else 0.0), (hit / total_g if total_g else 0.0)


# -- the eval ----------------------------------------------------------------------------------
def load_queries(corpus: Path) -> list[dict]:
    path = Path(corpus) / QUERIES_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    tests = data["tests"] if isinstance(data, dict) else data
    out = []
    for n, t in enumerate(tests):
        gold = [(s["file_path"], int(s["span"][0]), int(s["span"][1])) for s in t["snippets"]]
        out.append({"id": t.get("query_id") or f"q{n:04d}", "query": t["query"], "gold": gold})
    return out


def _twin(source: str, gold_files: set[str]) -> bool:
    """A PDF copy of a gold .txt contract (same file stem), which holds no gold span."""
    if not source.lower().endswith(".pdf"):
        return False
    stem = PurePosixPath(source).stem
    return any(PurePosixPath(g).stem == stem for g in gold_files)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def run_legalbench(run: EvalRun, k_list: list[int] | None = None, limit: int | None = None,
                   only_txt: bool = False) -> dict:
    from assistant.models import SearchFilters

    ks = sorted(set(k_list or DEFAULT_KS))
    queries = load_queries(run.corpus)[: limit or None]
    indexed = {d.source for d in run.documents()}
    missing = sorted({f for q in queries for f, _, _ in q["gold"] if f not in indexed})
    filters, notes = None, []
    if only_txt:
        txt = sorted(s for s in indexed if s.lower().endswith(".txt"))
        filters = SearchFilters(source=txt)
        if not txt:  # an empty source list would mean "no filter" to the retriever
            notes.append("no .txt documents are indexed: nothing to retrieve in only-txt mode")
    if only_txt and not filters.source:
        ranked = [{k: [] for k in ks} for _ in queries]
    else:
        ranked = retrieve_at_ks(run, [(q["query"], filters) for q in queries], ks)

    per_query, overlapping = [], 0
    for q, by_k in zip(queries, ranked):
        gold_files = {f for f, _, _ in q["gold"]}
        row = {"id": q["id"], "query": q["query"], "gold_files": sorted(gold_files),
               "gold_chars": sum(e - s for _, s, e in q["gold"]), "k": {}}
        for k in ks:
            results = by_k[k]
            spans = [(r.source, r.char_start, r.char_end) for r in results]
            p, r_ = benchmark_scores(spans, q["gold"])
            up, ur = union_scores(spans, q["gold"])
            row["k"][k] = {
                "precision": p, "recall": r_, "precision_union": up, "recall_union": ur,
                "doc_hit": any(r.source in gold_files for r in results),
                "twin_slots": sum(_twin(r.source, gold_files) for r in results),
                "wrong_doc_share": _mean([r.source not in gold_files for r in results]),
            }
        deepest = by_k[ks[-1]]
        spans = [(r.source, r.char_start, r.char_end) for r in deepest]
        if benchmark_scores(spans, q["gold"]) != union_scores(spans, q["gold"]):
            overlapping += 1
        row["first_gold_rank"] = next(
            (i for i, r in enumerate(deepest, 1)
             if any(overlap((r.char_start, r.char_end), (s, e)) for f, s, e in q["gold"] if f == r.source)), None)
        row["first_doc_rank"] = next((i for i, r in enumerate(deepest, 1) if r.source in gold_files), None)
        row["top_sources"] = [r.source for r in deepest[:5]]
        per_query.append(row)

    metrics = {}
    ceiling = _ceilings(run.chunk_spans(), queries)
    for k in ks:
        rows = [pq["k"][k] for pq in per_query]
        metrics[k] = {name: _mean([float(r[name]) for r in rows])
                      for name in ("recall", "precision", "recall_union", "precision_union", "doc_hit",
                                   "twin_slots", "wrong_doc_share")}
    if missing:
        notes.append(f"{len(missing)} gold documents are not indexed: {missing[:3]}")
    if overlapping:
        notes.append(f"{overlapping} queries retrieved overlapping spans at k={ks[-1]}: the benchmark "
                     "form counts those characters twice; see the *_union columns")
    return {
        "eval": "legalbench",
        "mode": "only-txt" if only_txt else "all-sources",
        "queries": len(queries),
        "k_list": ks,
        "metrics": metrics,
        "targets": _targets(metrics),
        "baseline": BASELINE,
        "ceiling": ceiling,
        "notes": notes,
        "per_query": per_query,
    }


def _ceilings(spans: dict[str, list[Span]], queries: list[dict]) -> dict:
    """What the chunking allows at best: gold characters inside some chunk (recall ceiling), and
    precision@1 if the single best chunk for each query were ranked first."""
    inside = total = 0
    best_p1 = []
    for q in queries:
        by_file = _by_file(q["gold"])
        for f, gold in by_file.items():
            inside += intersection(spans.get(f, []), gold)
            total += covered(gold)
        best = 0.0
        for f, gold in by_file.items():
            for s, e in spans.get(f, []):
                if e > s:
                    best = max(best, sum(overlap((s, e), g) for g in gold) / (e - s))
        best_p1.append(best)
    return {"gold_chars_in_chunks": inside / total if total else 0.0, "precision@1_best_chunk": _mean(best_p1)}


def _targets(metrics: dict) -> list[dict]:
    out = []
    for name, target in TARGETS.items():
        metric, k = name.split("@")
        value = metrics.get(int(k), {}).get(metric)
        out.append({"metric": name, "target": target, "value": value,
                    "met": None if value is None else value >= target})
    return out
