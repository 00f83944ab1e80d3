"""An SOW whose service levels, credits, escalation path, RCA deadline and notices are written as
clauses (no tables, no escalation matrix anywhere): the SLA credit, the addressing, the RCA date in
business days and the notice clause all come from the contract's own words, cited."""

from __future__ import annotations

import pytest

from assistant.drafting.incident import Incident, SlaWindow
from tests.conftest import SHARED, admin, as_role, build_service, needs_shared
from tests.drafting.helpers import quote_in_chunk, tickets_csv

SOW = "contracts/brightdesk-sow-2.md"
SOW_TEXT = """# Statement of Work No. 2 - Customer Email Support

This Statement of Work is entered into as of 1 July 2025 between Harrow Outdoor Ltd ("Client") and BrightDesk Support
Ltd ("Supplier") under the Master Services Agreement between them.

## 5. Service Levels

5.1 Email Response Time. Supplier shall respond to 95% of customer emails within 24 hours in each calendar month.

5.2 If Supplier fails to meet the Email Response Time service level in any month, Supplier shall credit the Client 5%
of the monthly service fees.

## 6. Governance and Escalation

6.1 Operational issues shall first be raised with the Supplier Service Delivery Manager, Dana Reyes
(dana.reyes@brightdesk.example).

6.2 If an issue is not resolved within five (5) Business Days, it shall be escalated to the Supplier Account Director,
Omar Haddad (omar.haddad@brightdesk.example).

6.3 Supplier shall deliver a root cause analysis to the Client within three (3) Business Days after any missed Service
Level.

## 7. Notices

7.1 All notices under this Statement of Work must be in writing and delivered by courier or by email.

7.2 Notices to Supplier: BrightDesk Support Ltd, 9 Quay Street, Leeds, Attention: Head of Legal,
legal@brightdesk.example.
"""
RUNBOOK = "# Email queue handling\n\n1. Check the queue dashboard every hour.\n2. Reassign emails older than 12 hours.\n"


@pytest.fixture(scope="module")
def clause_service(tmp_path_factory, embedder):
    corpus = tmp_path_factory.mktemp("clause-corpus")
    (corpus / "contracts").mkdir()
    (corpus / "runbooks").mkdir()
    (corpus / SOW).write_text(SOW_TEXT, encoding="utf-8")
    (corpus / "runbooks/email-queue.md").write_text(RUNBOOK, encoding="utf-8")
    svc = build_service(tmp_path_factory.mktemp("clause-home"), embedder)
    assert not svc.ingest(corpus, admin()).partial
    yield svc
    svc.catalog.close()


@pytest.fixture(scope="module")
def missed(tmp_path_factory):
    return tickets_csv(tmp_path_factory.mktemp("m") / "missed.csv", 900, 100)


def incident() -> Incident:
    return Incident(title="Email backlog after a routing change", process="Email support", vendor="BrightDesk Support",
                    client="Harrow Outdoor", severity="SEV-2", contract=SOW, sla_metric="Email Response Time",
                    sla_window=SlaWindow(month="2025-10"), started_at="2025-10-13T14:00:00Z", ended_at="2025-10-15T02:30:00Z")


def test_sla_reads_the_credit_written_as_a_clause(clause_service, missed):
    report = clause_service.drafts.sla(SOW, missed, as_role("coordinator"))
    (r,) = report.results
    assert (r.metric, r.status, r.actual) == ("Email Response Time", "missed", 90.0)
    assert (r.credit.percent_of_fees, r.credit.fee_basis) == (5.0, "monthly service fees")
    assert r.credit.citation.clause_no == "5.2" and r.citation.clause_no == "5.1"


def test_escalation_is_addressed_from_the_contracts_escalation_clause(clause_service, missed):
    draft = clause_service.drafts.escalation(incident(), as_role("coordinator"), metrics=missed)
    assert draft.email.to[0].startswith("Dana Reyes <dana.reyes@brightdesk.example> (Supplier Service Delivery Manager")
    assert draft.email.cc[0].startswith("Omar Haddad <omar.haddad@brightdesk.example>")
    assert "service credit: 5% of monthly service fees" in draft.markdown
    # 3 business days after the window closed on Friday 31 October 2025
    assert "**Wednesday 5 November 2025**, 3 business days after" in draft.markdown
    notice = [c for c in draft.citations if "legal@brightdesk.example" in c.quote]
    assert notice and notice[0].clause_no == "7.2" and "Attention: Head of Legal" in draft.markdown
    assert any("must be in writing" in c.quote for c in draft.citations)
    assert "to confirm (no escalation matrix found)" not in draft.markdown
    for c in draft.citations:
        assert quote_in_chunk(clause_service, c), (c.n, c.quote)


def test_without_an_escalation_clause_the_recipient_stays_to_confirm(clause_service, missed, tmp_path, embedder):
    corpus = tmp_path / "c"
    (corpus / "contracts").mkdir(parents=True)
    (corpus / SOW).write_text(SOW_TEXT.split("## 6.")[0], encoding="utf-8")
    svc = build_service(tmp_path / "home", embedder)
    try:
        assert not svc.ingest(corpus, admin()).partial
        draft = svc.drafts.escalation(incident(), as_role("coordinator"), metrics=missed)
        assert draft.email.to == [] and "names no escalation contact" in draft.markdown
        assert "no notices clause found" in draft.markdown and "no RCA clause found" in draft.markdown
    finally:
        svc.catalog.close()


@needs_shared
@pytest.mark.shared
def test_a_real_agreement_without_a_matrix_cites_its_notices_clause(tmp_path, embedder):
    import shutil

    name = "NICELTD_06_26_2003-EX-4.5-OUTSOURCING AGREEMENT.pdf"  # issue 24: "no notices clause found" before
    (tmp_path / "c" / "contracts").mkdir(parents=True)
    shutil.copy(SHARED / "contracts/pdf" / name, tmp_path / "c/contracts" / name)
    svc = build_service(tmp_path / "home", embedder)
    try:
        assert not svc.ingest(tmp_path / "c", admin()).partial
        inc = Incident(title="Late shipments of recording units", vendor="Flextronics Israel", client="NICE",
                       severity="SEV-2", contract=f"contracts/{name}")
        draft = svc.drafts.escalation(inc, as_role("coordinator"))
        assert "no notices clause found" not in draft.markdown
        notice = [c for c in draft.citations if "Notices shall be deemed delivered" in " ".join(c.quote.split())]  # quotes are verbatim
        assert notice and notice[0].page_start == 26
        assert "the contract names no escalation contact" in draft.markdown  # NICE names no people: not guessed
    finally:
        svc.catalog.close()
