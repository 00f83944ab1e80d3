from __future__ import annotations

import pytest

from assistant.errors import InvalidInput, NotFound
from tests.conftest import admin, as_role
from tests.contracts.conftest import DPA, MSA, chunk_text


def test_termination_for_convenience_in_the_msa_is_clause_12_2_first(contracts):
    res = contracts.lookup("Termination For Convenience", admin(), source=MSA, k=3)
    assert res.found and res.type == "Termination for Convenience" and res.source == MSA
    top = res.results[0]
    assert top.clause_no == "12.2" and top.clause_heading == "Termination for Convenience"
    assert "ninety (90) days" in top.quote
    assert top.quote in top.text  # the quote is verbatim from the cited chunk
    assert "Termination for Convenience" in top.clause_types
    assert [r.score for r in res.results] == sorted((r.score for r in res.results), reverse=True)


def test_audit_rights_found_with_a_clause_number_from_the_text(contracts, contract_service):
    res = contracts.lookup("audit rights", admin(), source="northbeam-lumen-msa.pdf")
    assert res.found
    top = res.results[0]
    assert top.clause_no.startswith("10") and top.clause_no in chunk_text(contract_service, top.chunk_id)
    assert "audit" in top.quote.lower()


def test_across_contracts_returns_several_sources(contracts):
    res = contracts.lookup("Audit Rights", admin(), k=10)
    assert res.found and res.source is None
    assert {r.source for r in res.results} >= {MSA, DPA}


def test_a_type_absent_from_the_dpa_is_not_found(contracts):
    res = contracts.lookup("Non-Compete", admin(), source=DPA)
    assert res.found is False and res.results == []
    assert "not found in this contract" in res.message


def test_unknown_type_lists_close_matches(contracts):
    with pytest.raises(InvalidInput) as exc:
        contracts.lookup("Audit Right", admin(), source=MSA)
    assert "Audit Rights" in exc.value.message


def test_callers_without_contract_access_see_nothing(contracts):
    agent = as_role("bpo_agent")
    with pytest.raises(NotFound):
        contracts.lookup("Audit Rights", agent, source=MSA)  # same answer as for a contract that does not exist
    res = contracts.lookup("Audit Rights", agent)
    assert res.found is False and res.results == []
    with pytest.raises(NotFound):
        contracts.lookup("Audit Rights", admin(), source="contracts/no-such-contract.pdf")


def test_k_is_bounded(contracts):
    with pytest.raises(InvalidInput):
        contracts.lookup("Audit Rights", admin(), source=MSA, k=0)


def test_a_runbook_is_not_a_contract(contracts):
    with pytest.raises(InvalidInput) as exc:
        contracts.lookup("Audit Rights", admin(), source="runbooks/refund-exceptions-sop.md")
    assert "not a contract" in exc.value.message
