"""citation_label.quoted_clause: the clause or step a quote sits in, never a number a reader can't see."""

from __future__ import annotations

import pytest

from assistant.answering.citations import quote_offset, quoted_clause
from assistant.models import SearchResult


def _result(text: str, doc_type: str = "runbook", clause_no: str = "") -> SearchResult:
    return SearchResult(chunk_id="c", source="x", text=text, score=1.0, section_path="S", page_start=None, page_end=None,
                        char_start=0, char_end=len(text), doc_type=doc_type, doc_id="d", title="T", clause_no=clause_no,
                        collection="runbooks")


def _clause(text: str, quote: str, **kw) -> str:
    return quoted_clause(_result(text, **kw), quote_offset(quote, text))


LIST = "6. Approve the exception.\n7. Submit an approval request\n   with the exception code.\n8. Add a case note."


@pytest.mark.parametrize("quote,expected", [
    ("Approve the exception.", "6"),
    ("8. Add a case note.", "8"),  # a quote that opens with its own number
    ("with the exception code.", "7"),  # a wrapped line under step 7
])
def test_a_quote_in_a_literally_numbered_list_is_in_its_step(quote, expected):
    assert _clause(LIST, quote, clause_no="6") == expected


def test_a_paragraph_after_the_list_is_no_steps():
    text = LIST + "\n\nEvery decision is reviewed weekly by the team lead."
    assert _clause(text, "Every decision is reviewed weekly", clause_no="6") == ""


@pytest.mark.parametrize("text", [
    "1. Verify the liaison is ready.\n1. Verify the SLT is ready.\n1. Ask the liaison the questions.",  # "1. 1. 1."
    "1. Ask the liaison the questions.",  # a lone "1.": maybe the third item of a list begun in the chunk before
    "1. Page the lead.\n2. Open the channel.\n\nThen:\n\n1. Ask the liaison the questions.",  # two lists
])
def test_numbers_a_reader_does_not_see_name_no_step(text):
    assert _clause(text, "Ask the liaison the questions.", clause_no="1") == ""


def test_a_contract_quote_that_opens_with_its_number_is_in_that_sub_clause():
    text = "17. Liability\n17.1 Exclusion. No indirect loss.\n17.2 Cap. Fees paid in twelve months."
    assert _clause(text, "17.2 Cap. Fees paid in twelve months.", doc_type="msa", clause_no="17") == "17.2"
    assert _clause(text, "No indirect loss.", doc_type="msa", clause_no="17") == "17.1"


def test_quote_offset_ignores_spacing_and_misses_to_zero():
    text = "Alpha beta\n   gamma delta."
    assert quote_offset("beta gamma", text) == 6 and quote_offset("not there", text) == 0 and quote_offset("", text) == 0


@pytest.mark.parametrize("text, quote, stored, expected", [
    ("1.1 Scope. Supplier provides care services.\n1.2 Hours. Services run every day from 8am.", "Services run every day",
     "1.1", "1.2"),  # a sibling clause, not the one the chunk began in
    ("agreed in writing.\n\xa0\xa0\xa0\xa0\xa015.1.\xa0Except\xa0as\xa0provided\xa0in\xa0Sections\xa015.2,\xa0any\xa0breach\n"
     "\xa0\xa0\xa0\xa0of\xa0this\xa0Agreement shall be remedied.", "any breach of this Agreement", "14", "15.1"),  # \xa0 spacing
    ("EXHIBIT 4.25\n\nSERVICES AGREEMENT\n\nThis Services Agreement is entered into on October 1, 2019.",
     "This Services Agreement is entered into", "Exhibit 4.25", "Exhibit 4.25"),  # an exhibit number is no clause
    ("...within\n30 Days after the notice. Either party may then terminate.", "Either party may then terminate", "12.2",
     "12.2"),  # a wrapped number is no clause
])
def test_a_contract_quote_is_in_the_innermost_clause_opened_before_it(text, quote, stored, expected):
    assert _clause(text, quote, doc_type="contract", clause_no=stored) == expected
