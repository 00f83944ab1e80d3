"""The document reader behind the viewer obeys the same access rule as retrieval."""

from __future__ import annotations

import pytest

from assistant.document_text import document_of_chunk, read_document
from assistant.errors import NotFound
from assistant.models import CONTRACT_DOC_TYPES
from tests.conftest import as_role


def _contract(service):
    row = next(r for r in service.catalog.all() if r.doc_type in CONTRACT_DOC_TYPES)
    return row, service.store.get_where(row.collection, {"doc_id": row.doc_id})


def test_a_reader_gets_the_whole_document_in_order_with_pages(sample_service):
    row, chunks = _contract(sample_service)
    doc = read_document(sample_service, as_role("legal"), row.doc_id)
    assert doc.source == row.source and len(doc.passages) == len(chunks)
    starts = [p.char_start for p in doc.passages]
    assert starts == sorted(starts)
    assert document_of_chunk(sample_service, as_role("legal"), chunks[0].id) == row.doc_id
    if row.source.endswith(".pdf"):
        assert all(p.page_start for p in doc.passages)


@pytest.mark.parametrize("roles", [("bpo_agent",), ("internal",), (), ("no_such_role",)])
def test_a_role_that_cannot_read_contracts_gets_not_found_like_a_missing_id(sample_service, roles):
    row, chunks = _contract(sample_service)
    caller = as_role(*roles)
    for call, ident in ((read_document, row.doc_id), (document_of_chunk, chunks[0].id)):
        with pytest.raises(NotFound) as hidden:
            call(sample_service, caller, ident)
        with pytest.raises(NotFound) as missing:
            call(sample_service, caller, "f" * len(ident))
        assert hidden.value.message.replace(ident, "ID") == missing.value.message.replace("f" * len(ident), "ID")


def test_odd_ids_are_not_found_not_errors(sample_service):
    for ident in ("", " ", "x" * 500, "a\x00b", "../../etc/passwd"):
        with pytest.raises(NotFound):
            read_document(sample_service, as_role("admin"), ident)
