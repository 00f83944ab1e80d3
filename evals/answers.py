"""Answer checks through `service.ask`: refusal, false refusal, citation validity, expected phrase.

- refusal accuracy: out-of-corpus questions answered with grounded == false;
- false-refusal rate: answerable (process) questions answered with grounded == false;
  run as a role, questions whose source the role may not read count as unanswerable (kind
  "not_readable");
- citation validity: every citation points at a chunk that was retrieved for the question (the
  same search `ask` runs: same question, the configured k) and whose stored text, re-fetched from
  the store by chunk id, contains the quote; and every [n] marker in the answer has a citation;
- expected phrase: `must_contain` occurs in the answer text or in one of its cited quotes.

Calibration: the refusal signal is the best dense similarity among the retrieved results
(`SearchResult.dense_score`; `answering.min_dense_score` is the threshold, refuse when below).
Over both sets we print its distribution and the threshold that refuses the most unanswerable
questions while refusing at most 5% of the answerable ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from evals.harness import EvalRun, norm_text, percentile, read_jsonl

MAX_FALSE_REFUSAL = 0.05
TARGETS = {"refusal_accuracy": (0.95, ">="), "false_refusal_rate": (0.05, "<="), "citation_validity": (1.0, ">=")}
_MARKER = re.compile(r"\[(\d{1,3})\]")


def refusal_signal(results: list) -> float:
    return max((r.dense_score or 0.0 for r in results), default=0.0)


def citation_problems(run: EvalRun, answer, retrieved: list) -> list[str]:
    """Reasons the answer's citations are not valid (empty list = all valid)."""
    problems = []
    by_id = {r.chunk_id: r for r in retrieved}
    for c in answer.citations:
        hit = by_id.get(c.chunk_id)
        if hit is None:
            problems.append(f"[{c.n}] {c.chunk_id} was not retrieved")
            continue
        stored = run.service.store.get(hit.collection, [c.chunk_id])
        if not stored:
            problems.append(f"[{c.n}] {c.chunk_id} is not in the store")
            continue
        if not c.quote.strip() or norm_text(c.quote) not in norm_text(stored[0].text):
            problems.append(f"[{c.n}] quote not found in chunk {c.chunk_id}: {c.quote[:80]!r}")
        if c.source != stored[0].meta.get("source"):
            problems.append(f"[{c.n}] source {c.source!r} != stored {stored[0].meta.get('source')!r}")
    numbers = {c.n for c in answer.citations}
    markers = {int(m) for m in _MARKER.findall(answer.answer)}
    if answer.grounded and markers - numbers:
        problems.append(f"markers without a citation: {sorted(markers - numbers)}")
    if answer.grounded and numbers - markers:
        problems.append(f"citations never referenced in the text: {sorted(numbers - markers)}")
    return problems


def _ask(run: EvalRun, question: str) -> tuple[object, list]:
    answer = run.service.ask(question, run.caller)
    # The retrieval ask ran: through the judge stage whenever the service has a judge.
    retrieved = run.search(question, run.settings.retrieval.k, rerank=True)
    return answer, retrieved


def run_answers(run: EvalRun, questions: Path, out_of_corpus: Path, calibrate: bool = False,
                limit: int | None = None) -> dict:
    asked = read_jsonl(questions)[: limit or None]
    # Run as a role (`--as`), a question about a document the role may not read has no answer for
    # it: the right reply is a refusal, so it joins the unanswerable set under its own kind.
    readable = run.readable_sources()
    answerable = [q for q in asked if readable.get(q["source"]) is not False]
    hidden = [{**q, "kind": "not_readable"} for q in asked if readable.get(q["source"]) is False]
    unanswerable = read_jsonl(out_of_corpus)[: limit or None] + hidden
    rows_a, rows_u = [], []
    cites_total = cites_bad = 0
    for q in answerable:
        answer, retrieved = _ask(run, q["question"])
        problems = citation_problems(run, answer, retrieved)
        cites_total += len(answer.citations)
        cites_bad += sum(1 for p in problems if p.startswith("["))
        phrase = norm_text(q["must_contain"])
        rows_a.append({
            "id": q["id"], "question": q["question"], "grounded": answer.grounded,
            "signal": refusal_signal(retrieved),
            "phrase_found": answer.grounded and (phrase in norm_text(answer.answer)
                                                 or any(phrase in norm_text(c.quote) for c in answer.citations)),
            "right_source_cited": any(c.source == q["source"] for c in answer.citations),
            "scores": answer.scores, "flagged": answer.flagged[:2],
            "citations": len(answer.citations), "problems": problems, "answer": answer.answer[:300],
        })
    for q in unanswerable:
        answer, retrieved = _ask(run, q["question"])
        problems = citation_problems(run, answer, retrieved)
        cites_total += len(answer.citations)
        cites_bad += sum(1 for p in problems if p.startswith("["))
        rows_u.append({"id": q["id"], "question": q["question"], "kind": q.get("kind", ""),
                       "grounded": answer.grounded, "signal": refusal_signal(retrieved),
                       "scores": answer.scores, "flagged": answer.flagged[:2],
                       "problems": problems, "answer": answer.answer[:300],
                       "top_source": retrieved[0].source if retrieved else None})

    n_a, n_u = len(rows_a) or 1, len(rows_u) or 1
    grounded_a = [r for r in rows_a if r["grounded"]]
    metrics = {
        "refusal_accuracy": sum(not r["grounded"] for r in rows_u) / n_u,
        "false_refusal_rate": sum(not r["grounded"] for r in rows_a) / n_a,
        "citation_validity": (cites_total - cites_bad) / cites_total if cites_total else 1.0,
        "citations": cites_total,
        "answers_with_problems": sum(1 for r in rows_a + rows_u if r["problems"]),
        "phrase_rate": sum(r["phrase_found"] for r in rows_a) / n_a,
        "phrase_rate_answered": sum(r["phrase_found"] for r in grounded_a) / (len(grounded_a) or 1),
        "right_source_cited": sum(r["right_source_cited"] for r in rows_a) / n_a,
    }
    kinds: dict[str, list] = {}
    for r in rows_u:
        kinds.setdefault(r["kind"] or "-", []).append(r)
    report = {
        "eval": "answers", "questions_file": str(questions), "out_of_corpus_file": str(out_of_corpus),
        "answerable": len(rows_a), "unanswerable": len(rows_u), "not_readable": len(hidden),
        "threshold": run.settings.answering.min_dense_score, "mode": run.service.answerer.mode,
        "metrics": metrics,
        "refusal_by_kind": {k: sum(not r["grounded"] for r in v) / len(v) for k, v in sorted(kinds.items())},
        "targets": _targets(metrics),
        "false_refusals": [r for r in rows_a if not r["grounded"]],
        "wrong_answers": [r for r in rows_u if r["grounded"]],
        "phrase_misses": [r for r in rows_a if r["grounded"] and not r["phrase_found"]],
        "citation_failures": [r for r in rows_a + rows_u if r["problems"]],
    }
    if calibrate:
        report["calibration"] = calibration([r["signal"] for r in rows_a], [r["signal"] for r in rows_u],
                                            current=run.settings.answering.min_dense_score)
        t = report["calibration"]["recommended"]["threshold"]
        report["calibration"]["hard_answerable"] = [
            {"id": r["id"], "signal": r["signal"], "question": r["question"]} for r in rows_a if r["signal"] < t]
        report["calibration"]["hard_unanswerable"] = [
            {"id": r["id"], "signal": r["signal"], "kind": r["kind"], "question": r["question"]}
            for r in rows_u if r["signal"] >= t]
    return report


def _targets(metrics: dict) -> list[dict]:
    out = []
    for name, (target, op) in TARGETS.items():
        value = metrics[name]
        out.append({"metric": name, "target": target, "op": op, "value": value,
                    "met": value >= target if op == ">=" else value <= target})
    return out


# -- calibration -------------------------------------------------------------------------------
def distribution(values: list[float]) -> dict:
    points = (("min", 0), ("p10", 10), ("p25", 25), ("p50", 50), ("p75", 75), ("p90", 90), ("max", 100))
    return {"n": len(values), **{name: percentile(values, q) for name, q in points}}


def rates_at(threshold: float, answerable: list[float], unanswerable: list[float]) -> dict:
    """Refuse when signal < threshold (the Answerer's rule)."""
    refused_u = sum(1 for s in unanswerable if s < threshold)
    refused_a = sum(1 for s in answerable if s < threshold)
    return {"threshold": round(threshold, 4), "correct_refusals": refused_u,
            "correct_refusal_rate": refused_u / (len(unanswerable) or 1),
            "false_refusals": refused_a, "false_refusal_rate": refused_a / (len(answerable) or 1)}


def best_threshold(answerable: list[float], unanswerable: list[float],
                   max_false_refusal: float = MAX_FALSE_REFUSAL) -> dict:
    """The threshold refusing the most unanswerable questions with false refusals ≤ the cap.

    Outcomes only change at observed signal values, so the candidates are the intervals between
    consecutive distinct values; ties go to fewer false refusals, and the recommended threshold is
    the middle of the winning interval (the widest margin on both sides).
    """
    values = sorted(set(answerable) | set(unanswerable))
    best = None
    # Candidate i refuses every signal <= values[i] (i = -1 refuses nothing).
    for i in range(-1, len(values)):
        lo = values[i] if i >= 0 else float("-inf")
        hi = values[i + 1] if i + 1 < len(values) else float("inf")
        refused_u = sum(1 for s in unanswerable if s <= lo)
        refused_a = sum(1 for s in answerable if s <= lo)
        if answerable and refused_a / len(answerable) > max_false_refusal:
            continue
        key = (refused_u, -refused_a)
        if best is None or key > best[0]:
            best = (key, lo, hi)
    _, lo, hi = best
    if lo == float("-inf"):
        threshold = hi - 0.01 if hi != float("inf") else 0.0
    elif hi == float("inf"):
        threshold = lo + 0.01
    else:
        threshold = (lo + hi) / 2
    out = rates_at(threshold, answerable, unanswerable)
    out["interval"] = [None if lo == float("-inf") else lo, None if hi == float("inf") else hi]
    return out


def calibration(answerable: list[float], unanswerable: list[float], current: float,
                grid: tuple[float, float, float] = (0.15, 0.70, 0.025)) -> dict:
    start, stop, step = grid
    thresholds = {round(start + i * step, 4) for i in range(int(round((stop - start) / step)) + 1)}
    best = best_threshold(answerable, unanswerable)
    thresholds |= {round(current, 4), best["threshold"]}
    return {
        "signal": "max dense_score of the retrieved results",
        "answerable": distribution(answerable),
        "unanswerable": distribution(unanswerable),
        "max_false_refusal": MAX_FALSE_REFUSAL,
        "current": rates_at(current, answerable, unanswerable),
        "recommended": best,
        "table": [rates_at(t, answerable, unanswerable) for t in sorted(thresholds)],
    }
