"""Terms in force over the planted corpus: answers, search labels, key terms and SLA schedules
follow the amendments effective on the date asked about, and say what they replaced."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from assistant.errors import InvalidInput
from evals.amendments.corpus import CASES
from tests.contracts.conftest import chunk_text
from tests.conftest import admin, as_role, build_service

MSA = "contracts/harbor-quillon-msa.md"
AMENDMENT_1 = "contracts/harbor-quillon-amendment-1.docx"
AMENDMENT_3 = "contracts/harbor-quillon-amendment-3.md"


def test_documents_show_each_link_and_how_it_was_made(planted):
    docs = {d.source: d for d in planted.documents(admin())}
    msa = docs[MSA].doc_id
    assert (docs[AMENDMENT_1].relation, docs[AMENDMENT_1].amends, docs[AMENDMENT_1].link_basis) == ("amendment", msa, "title+date+parties")
    assert docs["contracts/harbor-quillon-second-amendment.pdf"].amends == msa
    assert docs["contracts/harbor-quillon-amendment-4.txt"].amends == msa
    restated = docs["contracts/ostrander-support-agreement-restated.md"]
    assert (restated.relation, restated.amends) == ("restatement", docs["contracts/ostrander-support-agreement.md"].doc_id)
    assert docs["contracts/sow-7-returns-desk-v2.docx"].amends == docs["contracts/sow-7-returns-desk.docx"].doc_id
    assert not docs[MSA].relation and not docs["runbooks/calloway-care-sop.md"].relation


@pytest.mark.parametrize("case", CASES, ids=[c.shape for c in CASES])
def test_every_answer_follows_the_terms_in_force_and_cites_what_made_them(planted, case):
    answer = planted.ask(case.question, admin(), as_of=case.as_of)
    assert answer.grounded
    assert any(e.lower() in answer.answer.lower() for e in case.expect), answer.answer
    assert case.cites in {c.source for c in answer.citations}, answer.citations
    quotes = " ".join(c.quote for c in answer.citations).lower()
    assert not any(s.lower() in quotes for s in case.stale), quotes
    for c in answer.citations:  # every quote is still a verbatim piece of its stored chunk
        assert c.quote in chunk_text(planted, c.chunk_id)



def test_the_answer_says_what_the_amendment_replaced(planted):
    answer = planted.ask(CASES[0].question, admin(), as_of="2026-06-01")
    assert "since Amendment No. 1 (effective 1 Oct 2025) replaced clause 12.2's ninety (90) days" in answer.answer


def test_superseded_text_stays_searchable_and_is_labelled(planted):
    query = "Customer may terminate for convenience upon ninety (90) days prior written notice"
    later = {r.source: r for r in planted.search(query, admin(), k=10, as_of="2026-06-01").results}
    assert "Amendment No. 1" in later[MSA].superseded_by and AMENDMENT_1 in later[MSA].superseded_by
    earlier = {r.source: r for r in planted.search(query, admin(), k=10, as_of="2025-06-01").results}
    assert earlier[MSA].superseded_by == ""
    assert earlier[AMENDMENT_1].in_force_from == "2025-10-01"


def test_today_is_the_default_and_a_future_amendment_waits_for_its_date(planted):
    assert date.today().isoformat() < "2031-01-01"  # amendment 4 takes effect then
    today = planted.contracts.key_terms(MSA, admin())
    assert today.as_of == date.today().isoformat()
    [tfc] = [n for n in today.notice_periods if n.kind == "termination_for_convenience"]
    assert (tfc.days, tfc.citation.source) == (30, AMENDMENT_1)
    later = planted.contracts.key_terms(MSA, admin(), as_of="2031-06-01")
    [tfc] = [n for n in later.notice_periods if n.kind == "termination_for_convenience"]
    assert (tfc.days, tfc.citation.source) == (15, "contracts/harbor-quillon-amendment-4.txt")


def test_key_terms_apply_every_amendment_and_list_them(planted):
    terms = planted.contracts.key_terms(MSA, admin(), as_of="2026-06-01")
    assert terms.expiration_date.iso == "2029-12-31" and terms.expiration_date.citation.source == AMENDMENT_3
    assert "replacing 1 February 2028" in terms.expiration_date.basis
    assert {(c.label, c.action, c.target) for c in terms.amendments} == {
        ("Amendment No. 1", "replace_clause", "12.2"), ("Second Amendment", "replace_figure", "6.3"),
        ("Second Amendment", "delete_clause", "7.4"), ("Amendment No. 3", "replace_schedule", "Schedule 2"),
        ("Amendment No. 3", "extend_term", "")}
    before = planted.contracts.key_terms(MSA, admin(), as_of="2025-06-01")
    assert before.amendments == [] and before.expiration_date.iso == "2028-02-01"


def test_the_sla_schedule_is_the_replaced_schedule(planted):
    now = planted.contracts.sla_schedule(MSA, admin(), as_of="2026-06-01")
    [email] = [t for t in now.terms if "email" in t.metric.lower()]
    assert (email.target_percent, email.threshold_seconds, email.citation.source) == (95.0, 12 * 3600, AMENDMENT_3)
    before = planted.contracts.sla_schedule(MSA, admin(), as_of="2026-01-01")
    [email] = [t for t in before.terms if "email" in t.metric.lower()]
    assert (email.target_percent, email.citation.source) == (90.0, MSA)


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "01/10/2025"])
def test_a_date_that_is_not_one_is_refused_in_one_line(planted, bad):
    with pytest.raises(InvalidInput, match="as_of must be a date"):
        planted.search("notice period", admin(), as_of=bad)


def test_a_role_that_reads_no_contract_gets_no_contract_text_through_labels(planted):
    results = planted.search("terminate for convenience notice", as_role("bpo_agent"), k=10, as_of="2026-06-01").results
    assert all(r.doc_type in ("sop", "runbook", "other") for r in results)
    assert all(not r.superseded_by for r in results)


def test_removing_an_amendment_puts_the_clause_it_replaced_back_in_force(planted, tmp_path, embedder):
    home = tmp_path / "home"
    shutil.copytree(planted.settings.home, home)
    service = build_service(home, embedder)
    try:
        docs = {d.source: d.doc_id for d in service.documents(admin())}
        service.delete_document(docs[AMENDMENT_1], admin())
        terms = service.contracts.key_terms(MSA, admin(), as_of="2026-06-01")
        [tfc] = [n for n in terms.notice_periods if n.kind == "termination_for_convenience"]
        assert (tfc.days, tfc.citation.source) == (90, MSA)
    finally:
        service.catalog.close()


def test_an_amendment_ingested_before_its_agreement_is_linked_when_the_agreement_arrives(planted_root, tmp_path, embedder):
    service = build_service(tmp_path / "home", embedder)
    try:
        service.ingestor.ingest_files(planted_root, [planted_root / AMENDMENT_1])
        assert {d.source: d.amends for d in service.documents(admin())}[AMENDMENT_1] == ""
        service.ingestor.ingest_files(planted_root, [planted_root / MSA])
        docs = {d.source: d for d in service.documents(admin())}
        assert docs[AMENDMENT_1].amends == docs[MSA].doc_id
    finally:
        service.catalog.close()


def test_a_clause_look_up_gives_the_amending_clause_first_and_the_superseded_one_labelled(planted):
    found = planted.contracts.lookup("Termination For Convenience", admin(), k=10, as_of="2026-06-01")
    assert found.found and found.results[0].source == AMENDMENT_1
    assert "thirty (30) days" in found.results[0].quote
    msa = [h for h in found.results if h.source == MSA and "ninety (90)" in h.text]
    assert all(h.superseded_by for h in msa)
    before = planted.contracts.lookup("Termination For Convenience", admin(), k=10, as_of="2025-06-01")
    assert before.results[0].source == MSA and not before.results[0].superseded_by
