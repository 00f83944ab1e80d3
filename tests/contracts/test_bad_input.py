"""Bad input: no numbering, OCR garble, two agreements in one file, a 300-page agreement.
A clear outcome, no crash, and no clause number that does not occur in the text."""

from __future__ import annotations

import random
import re
import time

import pytest

from assistant.contracts.classify import ClauseClassifier
from assistant.contracts.document import ContractDoc, StoredPiece
from assistant.contracts.key_terms import extract_key_terms
from assistant.contracts.obligations import extract_obligations
from assistant.contracts.sla import extract_sla_schedule
from tests.conftest import admin, build_service
from tests.contracts.conftest import doc_from_text

UNNUMBERED = """SERVICES AGREEMENT

This Services Agreement is made on 4 May 2023 between Acme Outsourcing Limited ("Vendor") and Blue Harbor Bank ("Client").

The Vendor shall answer customer calls on behalf of the Client and shall deliver a monthly performance report within five (5) business days after the end of each month.

The Client shall pay each invoice within thirty (30) days after receipt.

Either party may terminate this agreement for convenience upon sixty (60) days' written notice.

This agreement is governed by the laws of England and Wales.
"""

GARBLED = """SERV1CES AGR EEMENT  ~~ pg 3 of 9 ~~
Th1s Agreem ent is m ade betw een Acrne Corp (the "Supp1ier") and B1ue Co (the "Cust0mer").
l2.2 Term inat1on. Either pa rty rnay term inate th is Agreem ent upon n1nety (9O) days wr1tten not1ce.
Supp1ier sha11 de1iver rep0rts m0nthly. ### %%% @@@ 0x3F 77 . . . .
4 5 . 1 The Supp1ier shall maintain insur ance of $ 1,OOO,OOO .
§§§ ¶ 12 13 14 ..... ,,,,, (((( )))) [ * * * ] 3.3.3.3.3 Sect ion 99999.1
"""

SECOND = """MAINTENANCE AGREEMENT

This Maintenance Agreement is entered into as of January 2, 2024 by and between Gamma Systems Inc. ("Licensor") and Delta Retail LLC ("Licensee").

1. Services

1.1 Licensor shall provide software maintenance and shall respond to critical incidents within four (4) hours.

2. Term

2.1 This Agreement continues for an initial term of two (2) years and renews automatically for successive one (1) year renewal terms unless either party gives notice of non-renewal at least ninety (90) days before the end of the then-current term.
"""

FIRST = """MASTER SERVICES AGREEMENT

This Master Services Agreement is entered into as of March 1, 2025 by and between Alpha Corp. ("Customer") and Beta Services Ltd. ("Supplier").

1. Services

1.1 Supplier shall perform the Services in a professional manner.

1.2 Customer shall pay each undisputed invoice within forty-five (45) days after receipt.

2. Audit

2.1 Customer may audit Supplier's records once per year on thirty (30) days' notice.
"""


def _numbers_occur(numbers, text):
    for number in numbers:
        if number:
            assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text), number


def _check_doc(doc: ContractDoc, raw: str):
    register = extract_obligations(doc)
    terms = extract_key_terms(doc)
    schedule = extract_sla_schedule(doc)
    numbers = [o.clause_no for o in register.obligations + register.rights]
    numbers += [n.citation.clause_no for n in terms.notice_periods]
    numbers += [t.citation.clause_no for t in schedule.terms]
    _numbers_occur(numbers, raw)
    for o in register.obligations + register.rights:
        assert o.citation.quote in raw
    ClauseClassifier()(doc.doc_type, [c.text for c in doc.chunks], [c.meta for c in doc.chunks])
    return register, terms, schedule


def test_unnumbered_contract_has_obligations_without_clause_numbers(tmp_path):
    doc, raw = doc_from_text(UNNUMBERED, tmp=tmp_path)
    register, terms, _ = _check_doc(doc, raw)
    assert register.obligations and all(o.clause_no == "" for o in register.obligations)
    report = next(o for o in register.obligations if "performance report" in o.action)
    assert (report.obligated_party, report.counterparty, report.deadline_days) == ("Acme Outsourcing Limited", "Blue Harbor Bank", 5)
    assert terms.governing_law.jurisdiction == "England and Wales"
    assert [n.days for n in terms.notice_periods if n.kind == "termination_for_convenience"] == [60]


def test_garbled_ocr_text_does_not_crash_or_invent_numbers(tmp_path):
    doc, raw = doc_from_text(GARBLED, tmp=tmp_path)
    _check_doc(doc, raw)


def test_two_agreements_in_one_file(tmp_path):
    doc, raw = doc_from_text(FIRST + "\n\n" + SECOND, tmp=tmp_path)
    register, terms, _ = _check_doc(doc, raw)
    assert terms.parties[0].name == "Alpha Corp." and terms.parties[1].name == "Beta Services Ltd."
    parties = {o.party_term for o in register.obligations}
    assert {"Supplier", "Customer", "Licensor"} <= parties  # both agreements' obligations are kept


def test_300_page_agreement_is_processed_in_bounded_time():
    rng = random.Random(3)
    clauses = [
        "{n} Services. Supplier shall perform the Services described in Schedule {k} within ten (10) Business Days.",
        "{n} Payment. Customer shall pay each invoice within thirty (30) days after receipt.",
        "{n} Audit. Customer may audit Supplier's records on thirty (30) days' notice.",
        "{n} Confidentiality. Each Party shall keep the other Party's Confidential Information confidential.",
        "{n} Insurance. Supplier shall maintain insurance of at least USD 1,000,000 per occurrence.",
    ]
    parts, n = ['This Agreement is made as of May 1, 2024 between Big Client Inc. ("Customer") and Huge Vendor Ltd. ("Supplier").\n'], 0
    while sum(map(len, parts)) < 300 * 2500:  # ~300 pages of 2,500 characters
        n += 1
        parts.append(f"\n{n}. Article {n}\n")
        for sub in range(1, 5):
            parts.append(rng.choice(clauses).format(n=f"{n}.{sub}", k=n) + "\n")
    text = "".join(parts)
    pieces, pos, i = [], 0, 0
    while pos < len(text):
        end = text.rfind("\n", pos, pos + 1200) + 1 or min(len(text), pos + 1200)
        end = end if end > pos else min(len(text), pos + 1200)
        pieces.append(StoredPiece(f"c{i}", text[pos:end], {"source": "big.txt", "doc_id": "d", "doc_type": "contract",
                                                            "char_start": pos, "char_end": end, "ordinal": i}))
        pos, i = end, i + 1
    started = time.perf_counter()
    doc = ContractDoc.from_chunks(pieces)
    register = extract_obligations(doc)
    seconds = time.perf_counter() - started
    assert len(register.obligations) > 1000
    assert seconds < 180, seconds  # linear work; quadratic behaviour would take far longer
    _numbers_occur({o.clause_no for o in register.obligations}, text)


@pytest.fixture(scope="module")
def bad_service(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("bad-corpus")
    (root / "contracts").mkdir()
    (root / "contracts" / "unnumbered.txt").write_text(UNNUMBERED, encoding="utf-8")
    (root / "contracts" / "garbled-services-agreement.txt").write_text(GARBLED, encoding="utf-8")
    (root / "contracts" / "two-in-one.txt").write_text(FIRST + "\n\n" + SECOND, encoding="utf-8")
    (root / "contracts" / "empty.txt").write_text("   \n", encoding="utf-8")
    svc = build_service(tmp_path_factory.mktemp("bad-home"), embedder)
    summary = svc.ingest(root, admin())
    yield svc, summary
    svc.catalog.close()


def test_bad_documents_through_the_service(bad_service):
    svc, summary = bad_service
    status = {f.source: f.status for f in summary.files}
    assert status["contracts/empty.txt"] == "failed"  # reported, not crashed
    contracts = svc.contracts
    for source in ("contracts/unnumbered.txt", "contracts/garbled-services-agreement.txt", "contracts/two-in-one.txt"):
        lookup = contracts.lookup("Termination for Convenience", admin(), source=source)
        text = "\n".join(c.text for c in svc.store.get_where("contracts", {"source": source}))
        _numbers_occur([r.clause_no for r in lookup.results], text)
        register = contracts.obligations(admin(), source=source)
        _numbers_occur([o.clause_no for o in register.obligations + register.rights], text)
        contracts.key_terms(source, admin())
        contracts.sla_schedule(source, admin())
    hit = contracts.lookup("Termination for Convenience", admin(), source="contracts/unnumbered.txt")
    assert hit.found and "convenience" in hit.results[0].quote and hit.results[0].clause_no == ""
