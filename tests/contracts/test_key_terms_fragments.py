"""Key terms on our own contract fragments in many shapes (tests/contracts/key_terms_fragments.py):
one test per fragment and field, so a failure names the wording and the field it broke on."""

from __future__ import annotations

import pytest

from assistant.contracts.key_terms import KeyTerms, extract_key_terms
from assistant.text.clauses import squash
from tests.contracts.conftest import doc_from_text
from tests.contracts.key_terms_fragments import FRAGMENTS

CASES = [(name, field) for name, (_, expected) in FRAGMENTS.items() for field in expected]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    cache: dict[str, tuple[KeyTerms, str]] = {}

    def get(name: str) -> tuple[KeyTerms, str]:
        if name not in cache:
            doc, text = doc_from_text(FRAGMENTS[name][0], tmp=tmp_path_factory.mktemp(name))
            cache[name] = (extract_key_terms(doc), doc.text)
        return cache[name]
    return get


def _date(value):
    return None if value is None else value.iso


def _duration(value):
    return None if value is None else (value.value, value.unit)


def _renewal_notice(terms: KeyTerms):
    return next((n.days for n in terms.notice_periods if n.kind == "non_renewal"), None)


READ = {
    "agreement": lambda t: _date(t.agreement_date),
    "effective": lambda t: _date(t.effective_date),
    "expiration": lambda t: _date(t.expiration_date),
    "initial": lambda t: _duration(t.initial_term),
    "renewal": lambda t: _duration(t.renewal_term),
    "notice": _renewal_notice,
    "law": lambda t: None if t.governing_law is None else t.governing_law.jurisdiction,
    "parties": lambda t: [(p.name, p.defined_as[0] if p.defined_as else None) for p in t.parties],
}


def _citations(terms: KeyTerms, field: str) -> list:
    value = {"agreement": terms.agreement_date, "effective": terms.effective_date, "expiration": terms.expiration_date,
             "initial": terms.initial_term, "renewal": terms.renewal_term, "law": terms.governing_law,
             "notice": next((n for n in terms.notice_periods if n.kind == "non_renewal"), None)}.get(field)
    if field == "parties":
        return [p.citation for p in terms.parties]
    return [] if value is None else [value.citation]


@pytest.mark.parametrize("name, field", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_fragment_field(extracted, name, field):
    terms, text = extracted(name)
    want = FRAGMENTS[name][1][field]
    assert READ[field](terms) == want
    # Every value found cites words of the document, verbatim (whitespace aside).
    for cite in _citations(terms, field):
        assert cite is not None and cite.quote and squash(cite.quote) in squash(text)


def test_the_fragment_corpus_is_large_and_varied():
    assert len(FRAGMENTS) >= 40
    assert len({field for _, expected in FRAGMENTS.values() for field in expected}) == len(READ)
