"""Refusal when the question names something the caller's documents never mention (assistant/answering/coverage.py)."""

from __future__ import annotations

import pytest

from assistant.answering.coverage import acronyms, specific_terms, spelled_out, unknown_terms
from assistant.retrieval.lexical import Tokenizer
from tests.conftest import admin, as_role


@pytest.mark.parametrize(("question", "terms"), [
    ("How do I reset a customer's password in Zendesk?", ["Zendesk"]),
    ("KubeProxyDown fired - who do we page?", ["KubeProxyDown"]),  # an identifier counts at the start
    ("What did Lumen's Cebu site score in Q3?", ["Lumen", "Cebu", "Q3"]),
    ("Who signs off a refund? And what about VIPs?", []),  # sentence starts and short acronyms don't
    ("How long does the vendor have to send an RCA after missing an SLA?", []),
    ("WHAT IS THE REFUND POLICY FOR GOLD MEMBERS", []),  # shouting marks nothing
    ("can a SEV-3 ever be a major incident?", ["SEV-3"]),
])
def test_specific_terms(question, terms):
    assert specific_terms(question) == terms


def test_a_name_no_document_mentions_is_refused_and_named(sample_service):
    answer = sample_service.ask("How do I reset a customer's password in Zendesk?", admin())
    assert answer.grounded is False and answer.citations == []
    assert "Zendesk" in answer.answer and any("Zendesk" in f for f in answer.flagged)


def test_names_the_documents_do_mention_are_answered(sample_service):
    answer = sample_service.ask("How fast is Lumen's account director expected to respond to a SEV-1?", admin())
    assert answer.grounded is True and answer.citations


def test_the_vocabulary_is_only_what_the_caller_may_read(sample_service):
    """'Delaware' is only in the MSA: legal gets an answer; a BPO agent is told the documents it can
    read never mention it, which reveals nothing about the contract."""
    question = "Which courts in Delaware have jurisdiction over disputes?"
    legal = sample_service.ask(question, as_role("legal"))
    assert legal.grounded is True and any("msa" in c.source for c in legal.citations)
    agent = sample_service.ask(question, as_role("bpo_agent"))
    assert agent.grounded is False and agent.citations == []
    assert "Delaware" in agent.answer
    assert not any("msa" in s.lower() or "agreement" in s.lower() for s in agent.closest_sources)


def test_the_check_can_be_switched_off(tmp_path, embedder):
    from tests.conftest import SAMPLE, build_service

    svc = build_service(tmp_path / "home", embedder, answering={"refuse_unknown_terms": False})
    svc.ingest(SAMPLE / "runbooks", admin())
    answer = svc.ask("How do I reset a customer's password in Zendesk?", admin())
    assert not any("Zendesk" in f for f in answer.flagged)
    svc.catalog.close()


@pytest.mark.parametrize(("question", "found"), [
    ("How long does the vendor have to send an RCA after missing an SLA?", ["RCA", "SLA"]),
    ("what TCPA consent language do agents read? and for SLAs?", ["TCPA", "SLA"]),
    ("who is the IC on a PR incident?", []),  # two letters are too ambiguous to check
    ("WHAT IS THE RCA POLICY FOR GOLD MEMBERS", []),  # shouting marks nothing
])
def test_acronyms(question, found):
    assert acronyms(question) == found


@pytest.mark.parametrize(("acronym", "text", "ok"), [
    ("RCA", "The vendor delivers a Root Cause Analysis within 5 days.", True),
    ("MTTR", "We track mean time to resolve for every SEV-1.", True),  # a small word skipped
    ("TCPA", "Calls follow the Telephone Consumer Protection Act.", True),
    ("TCPA", "Customer consent is recorded before a callback.", False),
    ("RCA", "Find the root problem first, then its cause, then write the analysis.", False),  # not consecutive
])
def test_an_acronym_is_spelled_out_only_by_consecutive_initials(acronym, text, ok):
    assert spelled_out(acronym, [text]) is ok


def test_an_acronym_the_documents_spell_out_is_answered(sample_service):
    """The sample never writes 'RCA', only 'root cause analysis': users abbreviate."""
    answer = sample_service.ask("How long does the vendor have to send an RCA after missing an SLA?", admin())
    assert answer.grounded is True and answer.citations


def test_an_acronym_neither_written_nor_spelled_out_is_refused_and_named(sample_service):
    answer = sample_service.ask("What TCPA consent wording do agents read before an outbound callback?", admin())
    assert answer.grounded is False and answer.citations == []
    assert "TCPA" in answer.answer


def test_a_year_no_retrieved_passage_mentions_is_unknown():
    evidence = ["Master Services Agreement, effective as of March 1, 2025. Rates are in Schedule B."]
    never = lambda toks, inside: set(toks)  # every word is known: only the years decide
    assert unknown_terms("What is the hourly rate on the 2023 rate card?", Tokenizer(), never, evidence) == ["2023"]
    assert unknown_terms("Which rates apply from 2025?", Tokenizer(), never, evidence) == []
    assert unknown_terms("What is the hourly rate on the 2023 rate card?", Tokenizer(), never, None) == []


@pytest.mark.parametrize(("question", "unmatched"), [
    ("What does SEV-0 mean?", ["SEV-0"]),  # "sev" and "0" are known words; the code is not there
    ("and what about a SEV2?", []),  # written "SEV-2" in the passage: the same code
    ("what's the rate for a GS-14?", []),  # written "GS14"
    ("we already have a 24x7 NOC, and the 2nd update?", []),  # starting with a digit: everyday words
])
def test_a_code_no_retrieved_passage_writes_is_unknown(question, unmatched):
    from assistant.answering.coverage import unmatched_codes

    evidence = ["Severity levels SEV-1 to SEV-5; a SEV-2 pages the owner. Grade GS14 staff may approve."]
    assert unmatched_codes(question, evidence) == unmatched


def test_an_identifier_stays_unknown_when_only_its_words_are_indexed(tmp_path):
    """BM25 indexes `NodeDiskPressure` by its words too ("node", "disk", "pressure"); a different
    identifier made of known words is still a name no document mentions."""
    from assistant.retrieval.lexical import LexicalIndex

    tok = Tokenizer()
    index = LexicalIndex(tmp_path / "bm25", tok)
    with index.build_lock():
        index.build([("c1", "NodeDiskPressure fires when the kubelet reports disk pressure.", "runbook", "a.md")])
    assert unknown_terms("NodeDiskPressure fired, what now?", tok, index.known) == []
    assert unknown_terms("DiskNodePressure fired, what now?", tok, index.known) == ["DiskNodePressure"]
