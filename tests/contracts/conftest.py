"""Contract fixtures: the bundled sample, whose contract chunks the service annotates at ingest.

The session's sample index (tests/conftest.py) is copied and re-ingested under a new classifier
version, which must re-annotate every contract chunk from its stored vector (metadata only:
nothing is embedded again). The clause tests then read what that re-annotation stored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, admin, build_service

MSA = "contracts/northbeam-lumen-msa.pdf"
SOW = "contracts/northbeam-lumen-sow-customer-care.docx"
DPA = "contracts/northbeam-lumen-dpa.pdf"


@pytest.fixture(scope="package")
def contract_service(sample_service, tmp_path_factory, embedder):
    home = tmp_path_factory.mktemp("contracts") / "home"
    shutil.copytree(sample_service.settings.home, home)
    svc = build_service(home, embedder)
    for chunk in svc.store.get_where("contracts", {"doc_type": "msa"}):  # forget the first annotation
        svc.store.update_metadata("contracts", [chunk.id], [{**chunk.meta, "clause_types": "", "clause_scores": ""}])
    (classifier,) = svc.ingestor.annotators
    classifier.version += "-reannotate"
    summary = svc.ingest(SAMPLE, admin())
    assert not summary.partial, summary
    assert summary.count("indexed") >= 3  # every contract re-processed under the new pipeline key
    assert summary.texts_embedded == 0  # annotation changes metadata only
    yield svc
    svc.catalog.close()


@pytest.fixture(scope="package")
def contracts(contract_service):
    return contract_service.contracts


def chunk_text(service, chunk_id: str) -> str:
    for name in service.store.collection_names():
        got = service.store.get(name, [chunk_id])
        if got:
            return got[0].text
    raise AssertionError(f"chunk {chunk_id} not in the store")


def doc_from_text(text: str, name: str = "contract.txt", doc_type: str = "contract", tmp: Path | None = None):
    """A ContractDoc straight from text through the real loader and chunker (no embedding, no store)."""
    assert tmp is not None
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return doc_from_file(path, doc_type)


def doc_from_file(path: Path, doc_type: str = "contract"):
    """A ContractDoc from a file (.txt/.md/.docx/.pdf) through the real loader and chunker."""
    from assistant.contracts.document import ContractDoc, StoredPiece
    from assistant.retrieval.embedding import Embedder
    from ingest.chunking import Chunker
    from ingest.loaders import load_document

    name = path.name
    parsed = load_document(path)
    chunker = Chunker(Embedder().count_tokens, 160, 254)
    drafts = chunker.chunk(parsed, parsed.title or name)
    pieces = [StoredPiece(f"c{i}", d.body, {
        "source": name, "doc_id": "d", "doc_type": doc_type, "title": parsed.title or name, "collection": "contracts",
        "section_path": d.section_path, "clause_no": d.clause_no, "page_start": d.page_start, "page_end": d.page_end,
        "char_start": d.char_start, "char_end": d.char_end, "ordinal": i,
    }) for i, d in enumerate(drafts)]
    return ContractDoc.from_chunks(pieces), parsed.text
