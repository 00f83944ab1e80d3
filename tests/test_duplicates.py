"""Near-duplicate documents: one contract as .txt and .pdf, a re-uploaded copy. Linked at ingest,
shown in `documents`, collapsed in results (each passage once, from the preferred copy)."""

from __future__ import annotations

import shutil

import pytest

from ingest.fingerprint import NEAR_DUPLICATE, groups, similarity, sketch
from tests.conftest import admin, as_role
from tests.loaders.test_loader_pdf import make_pdf

CLAUSES = [
    "1. Services. Supplier shall provide inbound customer care by telephone and chat for the Client.",
    "2. Term. This Agreement begins on the Effective Date and continues for thirty six months.",
    "3. Termination for Convenience. Client may terminate this Agreement upon sixty days prior written notice.",
    "4. Audit. Client may audit the Supplier's records relating to the Services once in any twelve month period.",
    "5. Service Credits. If the Supplier misses the Average Speed of Answer level, it credits four percent of fees.",
    "6. Confidentiality. Each party keeps the other's Confidential Information secret for five years after expiry.",
    "7. Governing Law. This Agreement is governed by the laws of the State of Delaware.",
]
OTHER = ("1. Scope. The vendor handles back-office order processing for the retailer.\n"
         "2. Term. The term is one year and renews automatically unless either party objects in writing.\n"
         "3. Fees. The retailer pays a monthly fee per processed order as set out in Schedule B.\n")


@pytest.fixture(scope="module")
def copies_service(tmp_path_factory, embedder):
    from tests.conftest import build_service

    root = tmp_path_factory.mktemp("copies")
    (root / "contracts").mkdir()
    (root / "contracts" / "acme-msa.txt").write_text("MASTER SERVICES AGREEMENT\n\n" + "\n\n".join(CLAUSES) + "\n",
                                                     encoding="utf-8")
    (root / "contracts" / "acme-msa-signed.pdf").write_bytes(
        make_pdf([["MASTER SERVICES AGREEMENT", *CLAUSES[:4]], CLAUSES[4:]], footer=True))
    (root / "contracts" / "globex-sow.txt").write_text(OTHER, encoding="utf-8")
    svc = build_service(tmp_path_factory.mktemp("home"), embedder)
    summary = svc.ingest(root, admin())
    assert summary.count("indexed") == 3, summary
    yield svc, root
    svc.catalog.close()


def test_sketches_tell_copies_from_other_documents():
    text = "\n".join(CLAUSES)
    reflowed = "  ".join(" ".join(c.split()) for c in CLAUSES).replace(". ", ".\n\n")  # new wrapping, same words
    assert similarity(sketch(text), sketch(reflowed)) >= 0.95
    assert similarity(sketch(text), sketch(OTHER)) < 0.1
    assert similarity(sketch(""), sketch(text)) == 0.0


def test_groups_are_transitive_and_leave_unique_documents_out():
    base = " ".join(f"clause {i} says the supplier shall do task number {i} every month" for i in range(60))
    near = base.replace("clause 59", "section 59")
    nearer = near.replace("clause 58", "section 58")
    found = groups({"a": sketch(base), "b": sketch(near), "c": sketch(nearer), "d": sketch(OTHER)})
    assert found == [["a", "b", "c"]]
    assert NEAR_DUPLICATE > similarity(sketch(base), sketch(OTHER))


def test_the_pdf_copy_points_at_the_text_copy(copies_service):
    svc, _ = copies_service
    docs = {d.source: d for d in svc.documents(admin())}
    txt, pdf = docs["contracts/acme-msa.txt"], docs["contracts/acme-msa-signed.pdf"]
    assert pdf.duplicate_of == txt.doc_id and txt.duplicate_of == ""
    assert docs["contracts/globex-sow.txt"].duplicate_of == ""


def test_search_returns_each_passage_once_from_the_preferred_copy(copies_service):
    svc, _ = copies_service
    results = svc.search("how much notice to terminate for convenience", admin(), k=8).results
    assert results and {r.source for r in results} <= {"contracts/acme-msa.txt", "contracts/globex-sow.txt"}
    answer = svc.ask("How many days notice does the client need to terminate for convenience?", admin())
    assert answer.grounded and {c.source for c in answer.citations} == {"contracts/acme-msa.txt"}, answer.answer


def test_a_filter_naming_the_copy_still_finds_it(copies_service):
    from assistant.models import SearchFilters

    svc, _ = copies_service
    results = svc.search("audit records", admin(), k=3, filters=SearchFilters(source=["contracts/acme-msa-signed.pdf"])).results
    assert results and all(r.source == "contracts/acme-msa-signed.pdf" for r in results)


def test_deleting_the_preferred_copy_makes_the_other_one_preferred(copies_service, tmp_path, embedder):
    from tests.conftest import build_service

    svc, root = copies_service
    home = tmp_path / "home"
    shutil.copytree(svc.settings.home, home)
    other = build_service(home, embedder)
    try:
        txt = next(d for d in other.documents(admin()) if d.source == "contracts/acme-msa.txt")
        other.delete_document(txt.doc_id, admin())
        pdf = next(d for d in other.documents(admin()) if d.source == "contracts/acme-msa-signed.pdf")
        assert pdf.duplicate_of == ""
        other.retriever.duplicates.check_interval_s = 0
        results = other.search("audit records once in any twelve month period", admin(), k=3).results
        assert results[0].source == "contracts/acme-msa-signed.pdf"
    finally:
        other.catalog.close()


def test_a_copy_is_kept_for_a_caller_who_cannot_read_the_preferred_one(tmp_path, embedder):
    from tests.conftest import build_service

    root = tmp_path / "corpus"
    (root / "contracts").mkdir(parents=True)
    (root / "runbooks").mkdir(parents=True)
    text = "MASTER SERVICES AGREEMENT\n\n" + "\n\n".join(CLAUSES) + "\n"
    (root / "contracts" / "acme-msa.md").write_text(text, encoding="utf-8")
    (root / "runbooks" / "acme-msa-copy.txt").write_text(text, encoding="utf-8")
    svc = build_service(tmp_path / "home", embedder)
    try:
        svc.ingest(root, admin())
        agent = {r.source for r in svc.search("audit records", as_role("bpo_agent"), k=5).results}
        assert agent == {"runbooks/acme-msa-copy.txt"}
        listed = {d.source: d.duplicate_of for d in svc.documents(as_role("bpo_agent"))}
        assert listed == {"runbooks/acme-msa-copy.txt": ""}  # the link would name a contract it can't read
        assert {r.source for r in svc.search("audit records", admin(), k=5).results} == {"contracts/acme-msa.md"}
    finally:
        svc.catalog.close()
