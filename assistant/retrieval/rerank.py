"""The judge stage of retrieval: the passage judge re-scores the best fused candidates and its
scores are fused with their hybrid order.

Fused, not replaced: the judge alone puts contract preambles first for a question that names the
parties (LegalBench precision@1 0.106 -> 0.008 in the issue's measurement), while the hybrid order
alone leaves the answering passage of a runbook behind its neighbours. Results past the short list
keep their hybrid order behind it.
"""

from __future__ import annotations

import numpy as np

from assistant.config import JudgeSettings
from assistant.models import SearchResult


def judge_text(result: SearchResult) -> str:
    """What the judge reads of a passage: where it sits (title and section), then its text."""
    where = " > ".join(p for p in (result.title, result.section_path) if p)
    return f"{where}\n{result.text}" if where else result.text


def rerank(question: str, results: list[SearchResult], judge, settings: JudgeSettings) -> list[SearchResult]:
    """`results` in hybrid order; returns them with the first `settings.candidates` reordered by
    judge logit - prior_weight * ln(hybrid rank), each carrying its `judge_score`.

    Score fusion rather than rank fusion: how much better the judge finds a passage matters (a
    clear winner several places down should rise; a near tie should keep the hybrid order).
    Measured against RRF variants in evals/RESULTS.md run 13."""
    head, tail = results[: settings.candidates], results[settings.candidates :]
    if not head:
        return results
    scores = judge.score(question, [judge_text(r) for r in head], max_tokens=settings.max_tokens)
    fused = scores - settings.prior_weight * np.log(np.arange(1, len(head) + 1))
    order = sorted(range(len(head)), key=lambda i: (-fused[i], i))
    reranked = [head[i].model_copy(update={"judge_score": round(float(scores[i]), 4)}) for i in order]
    return reranked + tail
