from __future__ import annotations

import re

import numpy as np
import pytest

from assistant.contracts.classify import ClauseClassifier, parse_stored, required_literal
from tests.contracts.conftest import MSA


def test_annotator_leaves_runbooks_alone_and_returns_scalar_strings():
    clf = ClauseClassifier()
    assert clf("runbook", ["Restart the queue."], [{}]) == [{}]
    (out,) = clf("msa", ["21.1 Governing Law. This Agreement is governed by the laws of the State of Delaware."],
                 [{"section_path": "21. Governing Law and Jurisdiction", "ordinal": 40, "char_start": 28000}])
    assert set(out) == {"clause_types", "clause_scores"}
    assert all(isinstance(v, str) for v in out.values())
    assert "Governing Law" in parse_stored(out)


def test_version_follows_taxonomy_and_calibration():
    clf = ClauseClassifier()
    assert clf.version == f"clauses-{clf.taxonomy.version}-{clf.calibration.version}"


def test_ingest_stores_clause_types_on_contract_chunks_only(contract_service):
    store = contract_service.store
    msa = store.get_where("contracts", {"source": MSA})
    tfc = next(c for c in msa if c.text.startswith("12.2 Termination for Convenience"))
    assert "Termination for Convenience" in parse_stored(tfc.meta)
    runbooks = store.get_where("runbooks", {"doc_type": "runbook"})
    assert runbooks and all("clause_types" not in c.meta for c in runbooks)


def test_vectors_path_scores_without_embedding_chunks(embedder):
    clf = ClauseClassifier(embedder=embedder)
    text = "Either party may terminate this Agreement for convenience upon ninety (90) days' prior written notice."
    vec = embedder.embed([text])
    before = embedder.texts_embedded
    (out,) = clf.annotate_embedded("contract", [text], [{"ordinal": 9, "char_start": 9000}], vec)
    assert embedder.texts_embedded - before <= len(clf.taxonomy.categories)  # only the category queries, once
    assert parse_stored(out).get("Termination for Convenience", 0) > 0.5


def test_ingest_stores_the_scores_of_the_vector_evidence(contract_service):
    """What ingest stores is annotate_embedded on the chunk's own stored vector, not the lexical-only score."""
    store = contract_service.store
    (classifier,) = contract_service.ingestor.annotators
    msa = [c for c in store.get_where("contracts", {"source": MSA}) if c.meta.get("clause_types")]
    assert len(msa) >= 10
    vectors = store.vectors("contracts", [c.id for c in msa])
    texts, metas = [c.text for c in msa], [c.meta for c in msa]
    embedded = classifier.annotate_embedded("msa", texts, metas, [vectors[c.id] for c in msa])
    lexical = classifier("msa", texts, metas)
    assert [c.meta["clause_scores"] for c in msa] == [e["clause_scores"] for e in embedded]
    assert embedded != lexical  # the dense evidence changes some scores, so the comparison above means something


@pytest.mark.parametrize(("pattern", "literal"), [
    (r"\bby and between\b", "by and between"),
    (r"\bentered into\b.{0,200}\bbetween\b", "entered into"),  # the longest top-level run
    (r"ab?cde", "cde"),  # an optional character splits the run
    (r"(?:audit|inspect)s?", None),  # nothing outside the alternation
    (r"(?i)governing law", None),  # case-insensitive: `in` would not be a necessary condition
])
def test_required_literal(pattern, literal):
    assert required_literal(re.compile(pattern)) == literal


def test_the_literal_prefilter_changes_no_feature(contract_service):
    chunks = contract_service.store.get_where("contracts", {"collection": "contracts"})
    texts, metas = [c.text for c in chunks], [c.meta for c in chunks]
    unfiltered = ClauseClassifier()
    unfiltered._cues = [[(p, w, None) for p, w, _ in cues] for cues in unfiltered._cues]
    features = ClauseClassifier().features(texts, metas)
    assert features[..., 0].any()  # cues do fire on the sample contracts
    assert np.array_equal(features, unfiltered.features(texts, metas))
