"""Answerability signals for the refusal of near misses: collect, then read them (issue 23).

A near miss is a question on a topic the corpus covers about a fact it never states. The judge
reads relevance, so its scores don't separate those from answerable questions (RESULTS run 13).
This script asks every question of the DEV sets once, keeps what the answer rested on (the
quoted units, the best passage, the top passages), then computes per-question-word token matches
(evals/tokenmatch.py) on each and sweeps simple rules over them: how many of the
questions answered today each rule would refuse, split answerable / unanswerable.

    python evals/answerability.py collect ../shared/corpus --set dev --set users     # asks, writes evals/out/answerability/
    python evals/answerability.py collect samples/corpus --set sample --set users_sample
    python evals/answerability.py features --set dev --set sample --set users_sample        # token matches (slow)
    python evals/answerability.py sweep --set dev --set sample --set users_sample --feature top_min
    python evals/answerability.py facet-flips samples/corpus --set users_sample             # what the facet kinds change

Held-out sets (`--set heldout...`) are for a rule already fixed: never tune on them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from evals.harness import QUESTIONS, norm_text, open_run, read_jsonl  # noqa: E402

OUT = REPO / "evals" / "out" / "answerability"
SETS = {
    "dev": ("process_questions_shared.jsonl", "out_of_corpus.jsonl"),
    "users": ("users_shared.jsonl", "users_out_of_corpus.jsonl"),
    "sample": ("process_questions_sample.jsonl", "out_of_corpus.jsonl"),
    "users_sample": ("users_sample.jsonl", "users_sample_out_of_corpus.jsonl"),
    "heldout": ("heldout/process_questions_shared.jsonl", "heldout/out_of_corpus.jsonl"),
    "heldout_users": ("heldout/users_shared.jsonl", "heldout/users_out_of_corpus.jsonl"),
    "heldout_users_sample": ("heldout/users_sample.jsonl", "heldout/users_sample_out_of_corpus.jsonl"),
}
POOL = 4  # the passages the extractive answer draws from (pipeline.POOL_PASSAGES)


def _heading(r) -> str:
    return r.section_path.split(" > ")[-1] if r.section_path else r.title


def collect(corpus: Path, names: list[str], skip_ingest: bool) -> None:
    run = open_run(corpus, ingest=not skip_ingest)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        answerable_file, ooc_file = SETS[name]
        rows = []
        qs = [(q, True) for q in read_jsonl(QUESTIONS / answerable_file)] + \
             [(q, False) for q in read_jsonl(QUESTIONS / ooc_file)]
        for q, answerable in qs:
            started = time.perf_counter()
            answer = run.service.ask(q["question"], run.caller)
            ms = (time.perf_counter() - started) * 1000
            retrieved = run.search(q["question"], run.settings.retrieval.k, rerank=True)
            by_id = {r.chunk_id: r for r in retrieved}
            quotes = [f"{_heading(by_id[c.chunk_id])}\n{c.quote}" if c.chunk_id in by_id else c.quote
                      for c in answer.citations]
            best = by_id.get(answer.citations[0].chunk_id) if answer.citations else None
            row = {"id": q["id"], "question": q["question"], "answerable": answerable, "kind": q.get("kind", ""),
                   "grounded": answer.grounded, "scores": answer.scores, "flagged": answer.flagged[:2], "ms": ms,
                   "answer": answer.answer, "quotes": quotes,
                   "best_passage": f"{best.title}\n{_heading(best)}\n{best.text}" if best else "",
                   "top": [f"{r.title}\n{_heading(r)}\n{r.text}" for r in retrieved[:POOL]],
                   "judge_top": [r.judge_score for r in retrieved[:POOL]],
                   "dense_top": [r.dense_score for r in retrieved[:POOL]]}
            if answerable:
                phrase = norm_text(q["must_contain"])
                row["phrase_found"] = answer.grounded and (phrase in norm_text(answer.answer) or any(
                    phrase in norm_text(c.quote) for c in answer.citations))
            rows.append(row)
        path = OUT / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"{name}: {len(rows)} questions -> {path}")
    run.close()


def features(names: list[str]) -> None:
    """Adds per-word token matches against the quotes, the best passage and the top passages."""
    from evals.tokenmatch import TokenMatcher

    matcher = TokenMatcher(threads=1)
    for name in names:
        path = OUT / f"{name}.jsonl"
        rows = read_jsonl(path)
        for row in rows:
            t0 = time.perf_counter()
            for field, evidence in (("quotes", row["quotes"]), ("best", [row["best_passage"]]), ("top", row["top"])):
                matches = matcher.word_matches(row["question"], [e for e in evidence if e]) if any(evidence) else []
                row[f"words_{field}"] = [[m.word, round(m.similarity, 4)] for m in matches]
            row["tm_ms"] = (time.perf_counter() - t0) * 1000
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"{name}: features added")


def facet_flips(corpus: Path, names: list[str]) -> None:
    """Asks every question whose expected kind is a facet (answertype.FACETS) with the facet kinds
    and without them: only those questions can answer differently, so these flips are the whole
    change of the facet rule on a set."""
    from assistant.answering import answertype

    run = open_run(corpus, ingest=False)
    full = answertype.expected
    for name in names:
        answerable_file, ooc_file = SETS[name]
        qs = [(q, True) for q in read_jsonl(QUESTIONS / answerable_file)] + \
             [(q, False) for q in read_jsonl(QUESTIONS / ooc_file)]
        for q, answerable in qs:
            if full(q["question"]) not in answertype.FACETS:
                continue
            outcome = {}
            for facets in (False, True):
                answertype.expected = lambda text, facets=facets: full(text, facets=facets)
                try:
                    answer = run.service.ask(q["question"], run.caller)
                finally:
                    answertype.expected = full
                found = answerable and answer.grounded and norm_text(q["must_contain"]) in norm_text(
                    answer.answer + " " + " ".join(c.quote for c in answer.citations))
                outcome[facets] = ("answered" if answer.grounded else "refused") + (" +phrase" if found else "")
            print(json.dumps({"set": name, "id": q["id"], "answerable": answerable, "kind": q.get("kind", ""),
                              "facet": full(q["question"]).name, "without": outcome[False], "with": outcome[True]}))
    run.close()


# -- reading the signals ------------------------------------------------------------------------
def word_features(words: list) -> dict:
    sims = sorted(s for _, s in words)
    if not sims:
        return {"min": 1.0, "min2": 1.0, "mean": 1.0}
    return {"min": sims[0], "min2": sims[1] if len(sims) > 1 else sims[0], "mean": sum(sims) / len(sims)}


def row_features(row: dict) -> dict:
    out = {"passage": row["scores"].get("passage", -20.0), "unit": row["scores"].get("unit", -20.0),
           "dense": row["scores"].get("dense", 0.0)}
    for field in ("quotes", "best", "top"):
        for k, v in word_features(row.get(f"words_{field}", [])).items():
            out[f"{field}_{k}"] = v
    return out


def rates(rows: list[dict], refuse) -> dict:
    """Refusal / false refusal / near misses refused when `refuse(row)` is added to today's rules."""
    a = [r for r in rows if r["answerable"]]
    u = [r for r in rows if not r["answerable"]]
    near = [r for r in u if r["kind"] == "near_miss"]
    refused = lambda r: (not r["grounded"]) or refuse(r)  # noqa: E731
    return {"refusal": sum(map(refused, u)) / (len(u) or 1), "false": sum(map(refused, a)) / (len(a) or 1),
            "near": sum(map(refused, near)) / (len(near) or 1),
            "phrase": sum(1 for r in a if r.get("phrase_found") and not refuse(r)) / (len(a) or 1),
            "n_a": len(a), "n_u": len(u), "n_near": len(near)}


def sweep(names: list[str], feature: str, thresholds: list[float]) -> None:
    data = {n: read_jsonl(OUT / f"{n}.jsonl") for n in names}
    for rows in data.values():
        for r in rows:
            r["f"] = row_features(r)
    print(f"{'rule':<28}" + "".join(f"{n:>28}" for n in names))
    print(f"{'today':<28}" + "".join(_cell(rates(rows, lambda r: False)) for rows in data.values()))
    for t in thresholds:
        rule = lambda r, t=t: r["f"][feature] < t  # noqa: E731
        print(f"{feature + ' < ' + format(t, '.3f'):<28}" + "".join(_cell(rates(rows, rule)) for rows in data.values()))


def _cell(m: dict) -> str:
    return f"{m['refusal']:.3f}/{m['false']:.3f}/{m['near']:.2f}/{m['phrase']:.2f}".rjust(28)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("corpus", type=Path)
    c.add_argument("--set", action="append", dest="sets", required=True, choices=sorted(SETS))
    c.add_argument("--skip-ingest", action="store_true")
    f = sub.add_parser("features")
    f.add_argument("--set", action="append", dest="sets", required=True, choices=sorted(SETS))
    ff = sub.add_parser("facet-flips")
    ff.add_argument("corpus", type=Path)
    ff.add_argument("--set", action="append", dest="sets", required=True, choices=sorted(SETS))
    w = sub.add_parser("sweep")
    w.add_argument("--set", action="append", dest="sets", required=True, choices=sorted(SETS))
    w.add_argument("--feature", default="quotes_min")
    w.add_argument("--from", dest="lo", type=float, default=0.4)
    w.add_argument("--to", dest="hi", type=float, default=0.8)
    w.add_argument("--step", type=float, default=0.025)
    args = parser.parse_args()
    if args.cmd == "collect":
        collect(args.corpus, args.sets, args.skip_ingest)
    elif args.cmd == "features":
        features(args.sets)
    elif args.cmd == "facet-flips":
        facet_flips(args.corpus, args.sets)
    elif args.cmd == "sweep":
        n = int(round((args.hi - args.lo) / args.step)) + 1
        sweep(args.sets, args.feature, [args.lo + i * args.step for i in range(n)])


if __name__ == "__main__":
    main()
