from __future__ import annotations

import pytest

from tests.conftest import admin
from tests.contracts.conftest import MSA, chunk_text


@pytest.fixture(scope="module")
def terms(contracts):
    return contracts.key_terms(MSA, admin())


def test_parties_resolved_from_defined_terms(terms):
    assert [(p.name, p.defined_as) for p in terms.parties] == [
        ("Northbeam Retail Inc.", ["Customer", "Northbeam"]), ("Lumen BPO Services Ltd.", ["Supplier", "Lumen"])]


def test_dates_term_and_renewal(terms):
    assert terms.effective_date.iso == "2025-03-01" and terms.expiration_date.iso == "2028-02-29"
    assert (terms.initial_term.value, terms.initial_term.unit, terms.initial_term.days) == (3.0, "year", 1095)
    assert (terms.renewal_term.value, terms.renewal_term.unit, terms.renewal_term.days) == (1.0, "year", 365)


def test_notice_periods_normalised_to_days(terms):
    by_kind = {}
    for n in terms.notice_periods:
        by_kind.setdefault(n.kind, []).append((n.party, n.days))
    assert ("", 120) in by_kind["non_renewal"]
    assert set(by_kind["termination_for_convenience"]) == {("Customer", 90), ("Supplier", 180)}
    assert ("Either Party", 30) in by_kind["cure_period"]


def test_liability_caps_and_governing_law(terms, contract_service):
    general, data = terms.liability_caps[:2]
    assert (general.fee_multiple, general.fee_months, general.citation.clause_no) == (1.0, 12, "17.2")
    assert (data.fee_multiple, data.amount, data.currency, data.citation.clause_no) == (2.0, 5_000_000.0, "USD", "17.3")
    assert terms.governing_law.jurisdiction == "State of Delaware" and terms.governing_law.citation.clause_no == "21.1"
    for span in [general.citation, data.citation, terms.governing_law.citation, terms.effective_date.citation]:
        assert span.quote in chunk_text(contract_service, span.chunk_id)
