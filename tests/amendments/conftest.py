"""One service over the planted documents (evals/amendments): an MSA with four amendments (DOCX,
PDF, Markdown, text), a restated agreement, a new SOW version, and the SOP/contract pairs of the
conflict check. Ingested once per package with the real model and Chroma."""

from __future__ import annotations

import pytest

from evals.amendments import conflict_corpus, corpus
from tests.conftest import admin, build_service
from tests.slack.conftest import SLACK_SETTINGS


@pytest.fixture(scope="package")
def planted_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted") / "corpus"
    corpus.write_corpus(root)
    conflict_corpus.write_corpus(root)
    return root


@pytest.fixture(scope="package")
def planted(planted_root, tmp_path_factory, embedder):
    service = build_service(tmp_path_factory.mktemp("planted-home") / "home", embedder, slack=SLACK_SETTINGS)
    summary = service.ingest(planted_root, admin())
    assert not summary.partial, summary
    service.first_summary = summary
    yield service
    service.catalog.close()
