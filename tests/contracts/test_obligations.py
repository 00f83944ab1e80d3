from __future__ import annotations

import json

import pytest

from assistant.contracts.export import read_csv, read_xlsx, render, rows
from tests.conftest import admin
from tests.contracts.conftest import MSA, SOW, chunk_text

SUPPLIER = "Lumen BPO Services Ltd."
CUSTOMER = "Northbeam Retail Inc."


@pytest.fixture(scope="module")
def msa_register(contracts):
    return contracts.obligations(admin(), source=MSA)


def _find(items, clause_no, words):
    return [o for o in items if o.clause_no == clause_no and words in o.action]


def test_supplier_rca_obligation_with_its_deadline(msa_register):
    (rca,) = _find(msa_register.obligations, "5.3", "root cause analysis")
    assert (rca.kind, rca.party_term, rca.obligated_party, rca.counterparty) == ("obligation", "Supplier", SUPPLIER, CUSTOMER)
    assert rca.deadline == "within the period stated in the SOW"
    assert rca.clause_heading == "Root Cause Analysis" and rca.page == 3


def test_sow_rca_deadline_is_normalised(contracts):
    register = contracts.obligations(admin(), source=SOW)
    (rca,) = _find(register.obligations, "9.1", "root cause analysis")
    assert rca.deadline == "within 5 business days of any SLA miss"
    assert (rca.deadline_days, rca.deadline_business_days) == (5, True)


def test_payment_recurrence_condition_and_rights_kept_apart(msa_register):
    (invoice,) = _find(msa_register.obligations, "6.2", "invoice Customer monthly")
    assert invoice.recurrence == "monthly" and invoice.deadline.startswith("within ten (10) Business Days after")
    (credit,) = _find(msa_register.obligations, "5.2", "credit Customer")
    assert credit.condition == "If Supplier fails to meet a Service Level"
    assert all(o.kind != "right" for o in msa_register.obligations)
    tfc = _find(msa_register.rights, "12.2", "terminate this Agreement")
    assert {o.party_term for o in tfc} == {"Customer", "Supplier"} and all(o.modal == "may" for o in tfc)
    (no_sub,) = _find(msa_register.obligations, "11.1", "subcontract")
    assert no_sub.kind == "prohibition"


def test_each_party_obligations_and_citations(msa_register, contract_service):
    assert any(o.obligated_party == "Each Party" and o.clause_no == "7.1" for o in msa_register.obligations)
    for o in msa_register.obligations[:20]:
        assert o.citation.quote in chunk_text(contract_service, o.citation.chunk_id)
        assert o.clause_no in o.citation.quote or o.clause_no in chunk_text(contract_service, o.citation.chunk_id) or o.clause_no == ""


def test_csv_and_xlsx_round_trip(msa_register):
    expected = [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows(msa_register)]
    assert read_csv(render(msa_register, "csv").decode("utf-8")) == expected
    assert read_xlsx(render(msa_register, "xlsx")) == expected
    body = json.loads(render(msa_register, "json"))
    assert len(body["obligations"]) == len(msa_register.obligations)


def test_register_across_readable_contracts(contracts):
    register = contracts.obligations(admin())
    assert set(register.sources) == {MSA, SOW, "contracts/northbeam-lumen-dpa.pdf"}
    assert any(o.source == "contracts/northbeam-lumen-dpa.pdf" and o.party_term == "Processor" for o in register.obligations)


def test_clause_marks_accept_any_space_after_the_number():
    from assistant.text.clauses import clause_marks

    text = "14.\xa0\xa0[Deleted]\n15.\xa0\xa0FUNDAMENTAL\xa0BREACH\n\xa0\xa0\xa0\xa0\xa015.1.\xa0Except as provided\u2009in 15.2, a breach"
    assert [m.number for m in clause_marks(text)] == ["14", "15", "15.1"]
    assert [m.number for m in clause_marks("EXHIBIT 4.25\n\nSERVICES AGREEMENT\n\n1. Services. Provider shall")] == ["1"]


def test_register_from_nbsp_text_has_clause_numbers_and_plain_quotes_in_a_workbook_to_work_in(tmp_path):
    import io

    from openpyxl import load_workbook

    from assistant.contracts.export import LABELS
    from assistant.contracts.obligations import extract_obligations
    from tests.contracts.conftest import doc_from_text

    text = ("OUTSOURCING AGREEMENT\n\nThis Agreement is entered into on January 21, 2002 by and between Nova Systems Ltd. "
            "(\"NOVA\") and Fleet Works Ltd. (\"CONTRACTOR\").\n\n15.\xa0\xa0FUNDAMENTAL\xa0BREACH\n"
            "\xa0\xa0\xa0\xa0\xa015.1.\xa0CONTRACTOR\xa0shall\xa0deliver\xa0a\xa0written\xa0report\xa0to\xa0NOVA\n"
            "\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0within\xa0thirty\xa0(30)\xa0Days\xa0of\xa0any\xa0breach.\n\n"
            "\xa0\xa0\xa0\xa0\xa015.2.\xa0NOVA\xa0shall\xa0pay\xa0each\xa0undisputed\xa0invoice\xa0monthly.\n")
    doc, _ = doc_from_text(text, tmp=tmp_path)
    register = extract_obligations(doc)
    assert [(o.clause_no, o.obligated_party) for o in register.obligations] == [
        ("15.1", "Fleet Works Ltd."), ("15.2", "Nova Systems Ltd.")]
    first = rows(register)[0]
    assert first["quote"] == "CONTRACTOR shall deliver a written report to NOVA within thirty (30) Days of any breach."
    assert (first["deadline_days"], first["owner"], first["status"]) == (30, None, None)

    book = load_workbook(io.BytesIO(render(register, "xlsx")))
    sheet = book["Obligations"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["ID", "Kind", "Contract", "Clause", "Clause heading", "Page"]
    assert {"Owner", "Due date", "Status", "Recurrence", "Quote"} <= set(header)
    col = {h: i + 1 for i, h in enumerate(header)}
    assert sheet.auto_filter.ref.startswith("A1:") and sheet.freeze_panes == "A2"
    assert sheet.cell(2, col["Deadline (days)"]).value == 30  # a number, not the text "30"
    assert sheet.cell(2, col["Quote"]).alignment.wrap_text and sheet.cell(2, col["Due date"]).number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["K"].width == LABELS["action"][1] and header[10] == "Action"
    assert any('"Open,In progress,Done,Not applicable"' == v.formula1 for v in sheet.data_validations.dataValidation)
    assert sheet.cell(3, col["Recurrence"]).value == "monthly"
