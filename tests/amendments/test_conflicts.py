"""The conflict check over the planted SOP/contract pairs: found, of the right kind, agreeing
figures left out, only what the caller may read on both sides, new ones in the ingest summary."""

from __future__ import annotations

import pytest

from assistant.conflicts.claims import claims
from assistant.errors import NotFound
from evals.amendments import conflict_corpus
from tests.contracts.conftest import chunk_text
from tests.conftest import admin, as_role, build_service, write_files


def test_at_least_nine_of_ten_planted_conflicts_found_with_their_kind_and_no_false_ones(planted):
    score = conflict_corpus.score(planted.conflicts(admin()).conflicts)
    assert score["planted"] == 10
    assert score["found"] >= 9 and score["right_kind"] >= 9, score
    assert score["agreeing_reported"] == 0 and score["unplanted_reported"] == 0, score


def test_each_conflict_quotes_both_documents_verbatim_sop_first(planted):
    report = planted.conflicts(admin())
    assert report.checked["pairs_agreeing"] >= 2  # the 85%-in-30-seconds pair and the monthly report agree
    for c in report.conflicts:
        sop, contract = c.items
        assert sop.doc_type == "sop" and contract.doc_type in ("msa", "sow", "contract")
        for item in c.items:
            assert item.quote in chunk_text(planted, item.chunk_id) and item.value
        assert c.topic and c.explanation
    looser = next(c for c in report.conflicts if c.items[0].value == "48 hours")
    assert (looser.kind, looser.items[1].value, looser.items[1].clause_no) == ("sop_looser", "24 hours", "5.1")
    stricter = next(c for c in report.conflicts if c.items[0].value == "2 business days")
    assert stricter.kind == "sop_stricter"



@pytest.mark.parametrize("role", ["bpo_agent", "internal"])
def test_a_role_that_may_not_read_the_contracts_sees_no_conflict_and_no_contract_line(planted, role):
    report = planted.conflicts(as_role(role))
    assert report.conflicts == [] and report.checked["contracts"] == 0
    assert "shall respond to customer emails" not in report.model_dump_json()


def test_a_role_that_reads_both_sees_them(planted):
    assert len(planted.conflicts(as_role("coordinator")).conflicts) == len(planted.conflicts(admin()).conflicts)


def test_source_narrows_to_conflicts_one_side_of_which_is_that_document(planted):
    report = planted.conflicts(admin(), source="support-desk-sop.docx")
    assert report.conflicts and all(c.items[0].source == "runbooks/support-desk-sop.docx" for c in report.conflicts)
    by_contract = planted.conflicts(admin(), source="calloway-tessellate-care-agreement.pdf")
    assert by_contract.conflicts and all(c.items[1].source.endswith("care-agreement.pdf") for c in by_contract.conflicts)
    with pytest.raises(NotFound):
        planted.conflicts(admin(), source="no-such-file.md")


def test_new_conflicts_are_in_the_first_ingest_summary_and_not_repeated(planted, planted_root):
    first = planted.first_summary.new_conflicts
    assert len(first) == len(planted.conflicts(admin()).conflicts)
    again = planted.ingest(planted_root, admin())
    assert again.new_conflicts == []


def test_an_amendment_that_brings_the_contract_in_line_ends_the_conflict(tmp_path, embedder):
    root = tmp_path / "corpus"
    conflict_corpus.write_corpus(root)
    write_files(root, {"contracts/calloway-care-amendment-1.md": (
        "# Amendment No. 1 to the Customer Care Services Agreement\n\n"
        "This Amendment No. 1 amends the Customer Care Services Agreement dated 3 March 2025 between Calloway Outdoor "
        "Gear Inc. and Tessellate CX Ltd. It is effective as of 1 April 2025.\n\n"
        "1. Clause 5.1 is deleted and replaced with the following:\n\n"
        "5.1 Email Handling. Supplier shall respond to customer emails within 48 hours of receipt.\n")})
    service = build_service(tmp_path / "home", embedder)
    try:
        summary = service.ingest(root, admin())
        assert not summary.partial
        values = [c.items[0].value for c in service.conflicts(admin()).conflicts]
        assert "48 hours" not in values and "72 hours" in values
    finally:
        service.catalog.close()


def test_a_repeat_view_reuses_the_report_until_the_documents_change(tmp_path, embedder, monkeypatch):
    root = tmp_path / "corpus"
    conflict_corpus.write_corpus(root)
    service = build_service(tmp_path / "home", embedder)
    try:
        assert not service.ingest(root, admin()).partial
        before = service.conflicts(admin(), source="calloway-tessellate-care-agreement.pdf")
        assert "48 hours" in [c.items[0].value for c in before.conflicts]
        reads = []
        real = service.store.iter_all
        monkeypatch.setattr(service.store, "iter_all", lambda name: reads.append(name) or real(name))
        again = service.conflicts(admin(), source="calloway-tessellate-care-agreement.pdf")
        assert again == before and reads == []  # nothing re-read for the same documents
        again.conflicts.clear()  # a caller's copy: changing it changes nothing kept
        assert service.conflicts(admin(), source="calloway-tessellate-care-agreement.pdf") == before
        # An amendment that brings the contract in line: the next view reads the documents again.
        write_files(root, {"contracts/calloway-care-amendment-1.md": (
            "# Amendment No. 1 to the Customer Care Services Agreement\n\n"
            "This Amendment No. 1 amends the Customer Care Services Agreement dated 3 March 2025 between Calloway "
            "Outdoor Gear Inc. and Tessellate CX Ltd. It is effective as of 1 April 2025.\n\n"
            "1. Clause 5.1 is deleted and replaced with the following:\n\n"
            "5.1 Email Handling. Supplier shall respond to customer emails within 48 hours of receipt.\n")})
        assert not service.ingest(root, admin()).partial
        after = service.conflicts(admin(), source="calloway-tessellate-care-agreement.pdf")
        assert reads and "48 hours" not in [c.items[0].value for c in after.conflicts]
    finally:
        service.catalog.close()


@pytest.mark.parametrize("sop, contract", [
    ("Reply to chats within 2 minutes.", "Supplier shall reply to chats within 2 minutes."),
    ("Keep abandonment under 5% of calls.", "The abandonment rate of calls shall not exceed 5%."),
])
def test_figures_that_agree_read_the_same(sop, contract):
    a, b = claims(sop)[0], claims(contract)[0]
    assert (a.dim, a.value, a.bound) == (b.dim, b.value, b.bound)


def test_a_rule_counted_from_another_event_is_not_paired():
    [sop] = [c for c in claims("Notify the duty manager within 30 minutes of a SEV-1 declaration.") if c.dim == "time"]
    [contract] = [c for c in claims("Supplier shall notify the duty manager within two (2) hours after invoking the BCP.") if c.dim == "time"]
    from assistant.conflicts.check import _same_rule

    assert not _same_rule(sop, contract)
