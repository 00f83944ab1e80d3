"""Verification of a model's reply: only sentences whose citations exist, whose quotes occur in
the cited passage, whose figures come from that passage or the question and (with a judge) whose
passage supports them are kept; each kept citation quotes what its sentences rest on. Used by
answers (answering/pipeline.py) and by the LLM prose of drafts (drafting/prose.py). When nothing
survives, the reply is a refusal (rule 6 in answering/refusal.py)."""

from __future__ import annotations

import re

import numpy as np

from assistant.answering import answertype, extractive, refusal
from assistant.answering.citations import QuoteNotInChunk, citation_for, verbatim_quote
from assistant.answering.units import STOP, WORD, can_answer, is_heading_line, normalise, split_sentences
from assistant.config import Settings
from assistant.models import Answer, SearchResult

_CITE = re.compile(r"\[(\d{1,3})\]")
# A quotation in a model's sentence: eight characters or more (shorter is a word in quotes, not a quote).
_QUOTE = re.compile(r"[\"“]([^\"”]{8,})[\"”]")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = answertype.CARDINAL_WORDS | answertype.ORDINAL_WORDS
# A passage with no sentence is cited by its first characters.
FALLBACK_LEAD_CHARS = 300


class Verifier:
    """`judge`: the passage judge (assistant.retrieval.judge.PassageJudge) or None; `mode`: the
    answer mode a refusal reports."""

    def __init__(self, settings: Settings, judge=None, mode: str = "llm"):
        self.settings = settings
        self.judge = judge
        self.mode = mode

    def verify(self, reply: str, results: list[SearchResult], question: str | None = None) -> Answer:
        """Keep only sentences whose citations exist and whose quotes occur in the cited chunk.

        With `question` (answers), a sentence must also take its figures (amounts, days, rates)
        from its cited chunks or the question: a valid [n] on "the rate is USD 15.40" whose chunk
        never says 15.40 used to pass as grounded (e.g. a reply obeying an instruction injected in
        a document). And, with a judge, the cited passage must support the sentence: the judge
        reads the sentence as the question and the passage as its answer; "free on-site pizza
        every Friday [1]" citing a clause on updates scores far below any sentence that restates
        it. Drafts pass no question: their prose also states the incident's own facts.
        """
        decline = refusal.model_declined(reply)
        if decline is not None:
            return refusal.refusal(results, decline, mode=self.mode)
        checks = _SentenceChecks(self, results, question)
        kept, flagged = [], []
        citing: dict[int, list[str]] = {}  # passage number -> the kept sentences citing it
        quoted: dict[int, list[str]] = {}
        for s, e in split_sentences(reply.strip()):
            sentence = reply.strip()[s:e].strip()
            valid = checks.cited(sentence)
            if valid is None:
                flagged.append(sentence)
                continue
            kept.append(sentence)
            for n in valid:
                citing.setdefault(n, []).append(sentence)
                quoted.setdefault(n, []).extend(q for q in _QUOTE.findall(sentence) if not is_heading_line(q))
        decline = refusal.nothing_verified(kept)
        if decline is not None:
            answer = refusal.refusal(results, decline, mode=self.mode)
            answer.flagged = flagged
            return answer
        citations = []
        for n in sorted(citing):
            r = results[n - 1]
            citations.append(citation_for(n, r, self._quote_for(r, quoted[n], citing[n])))
        return Answer(answer=" ".join(kept), grounded=True, citations=citations, mode="llm", flagged=flagged)

    def _quote_for(self, result: SearchResult, model_quotes: list[str], sentences: list[str]) -> str:
        """The first of the model's own quotes that its passage really contains, else the unit of
        the passage its sentences rest on: a quote the passage doesn't hold is never cited."""
        for q in model_quotes:
            try:
                return verbatim_quote(q, result.text)
            except QuoteNotInChunk:
                continue
        return self._supporting_unit(result, sentences)

    def _supporting_unit(self, result: SearchResult, sentences: list[str]) -> str:
        """The sentence, item or row of a cited passage that the model's sentences rest on: what
        the citation quotes. Never a heading line (a heading supports nothing); by the judge when
        there is one, else by shared words."""
        units = [u for u in extractive.units(result.text, table_header=result.table_header)
                 if not is_heading_line(u.display) and can_answer(u.display)]
        if not units:
            return _first_sentence(result.text)
        claim = _CITE.sub(" ", " ".join(sentences))
        if self.judge is not None:
            scores = self.judge.score(claim, [u.display for u in units], max_tokens=self.settings.judge.max_tokens)
            return units[int(np.argmax(scores))].raw
        words = set(WORD.findall(claim.lower())) - STOP
        return max(units, key=lambda u: len(words & set(WORD.findall(u.display.lower())))).raw


class _SentenceChecks:
    """The checks one sentence of a model's reply must pass to be kept (Verifier.verify)."""

    def __init__(self, verifier: Verifier, results: list[SearchResult], question: str | None):
        self.verifier, self.results, self.question = verifier, results, question
        self.asked = _figures(question) if question is not None else set()
        self.known: dict[int, set[str]] = {}

    def cited(self, sentence: str) -> list[int] | None:
        """The passage numbers the sentence cites, or None when it must be dropped."""
        numbers = [int(x) for x in _CITE.findall(sentence)]
        valid = [n for n in numbers if 1 <= n <= len(self.results)]
        if not numbers or len(valid) != len(numbers):
            return None
        quotes = _QUOTE.findall(sentence)
        if any(not any(normalise(q) in normalise(self.results[n - 1].text) for n in valid) for q in quotes):
            return None
        if self.question is None:
            return valid
        if not self._figures_known(sentence, valid) or not self._supported(sentence, valid):
            return None
        return valid

    def _figures_known(self, sentence: str, valid: list[int]) -> bool:
        for n in valid:
            if n not in self.known:
                r = self.results[n - 1]
                self.known[n] = _figures(f"{r.title} {r.section_path} {r.text}")
        return _figures(_CITE.sub(" ", sentence)) <= self.asked.union(*(self.known[n] for n in valid))

    def _supported(self, sentence: str, valid: list[int]) -> bool:
        judge = self.verifier.judge
        if judge is None:
            return True
        from assistant.retrieval.rerank import judge_text

        claim = _CITE.sub(" ", sentence).strip()
        scores = judge.score(claim, [judge_text(self.results[n - 1]) for n in valid],
                             max_tokens=self.verifier.settings.judge.max_tokens)
        return float(max(scores)) >= self.verifier.settings.answering.min_support_score


def _first_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[0][0] : spans[0][1]].strip() if spans else text[:FALLBACK_LEAD_CHARS]


def _figures(text: str) -> set[str]:
    """The numbers a text states, comparable across forms: "3,000" = "3000", "15.40" = "15.4",
    "forty-eight (48)" gives 40, 8 and 48 (spelled-out numbers up to twenty, tens, ordinals)."""
    out = set()
    for raw in _FIGURE.findall(text):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.add(value.lstrip("0") or "0")
    out |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return out
