"""A draft's citation names the page and the clause or step its quote sits in, not the chunk's first."""

from __future__ import annotations

from assistant.drafting.evidence import Evidence
from assistant.models import SearchResult
from tests.conftest import admin


def _result(text: str, **meta) -> SearchResult:
    base = dict(chunk_id="c1", source="x", text=text, score=1.0, section_path="S", page_start=None, page_end=None,
                char_start=0, char_end=len(text), doc_type="runbook", doc_id="d", title="T", collection="runbooks")
    return SearchResult(**(base | meta))


def test_a_quote_after_a_page_break_cites_its_own_page_and_sub_clause():
    page_seven = "9.1 Records. Supplier shall keep call recordings for ninety (90) days.\n"
    text = page_seven + "9.2 Deletion. Supplier shall delete chat transcripts twelve (12) months after the chat closes."
    start = 4000  # the chunk's offset in its document; page 8 begins where 9.2 does
    result = _result(text, doc_type="msa", source="contracts/msa.pdf", clause_no="9", page_start=7, page_end=8,
                     char_start=start, char_end=start + len(text), page_breaks=str(start + len(page_seven)))
    evidence = Evidence(reader=None, caller=admin())
    evidence.cite(result, "Supplier shall delete chat transcripts twelve (12) months after the chat closes.")
    evidence.cite(result, "Supplier shall keep call recordings for ninety (90) days.")
    assert [(c.page_start, c.clause_no) for c in evidence.citations] == [(8, "9.2"), (7, "9.1")]


def test_a_runbook_quote_cites_its_step():
    text = "1. Page the on-call lead.\n2. Open the incident channel.\n3. Post the first update within 15 minutes."
    evidence = Evidence(reader=None, caller=admin())
    evidence.cite(_result(text, doc_type="sop", clause_no="1"), "Post the first update within 15 minutes.")
    assert evidence.citations[0].clause_no == "3"
