"""Drafting fixtures: the bundled sample ingested once for tests/drafting (real Chroma, real model).

Package scope rather than one ingest per module: ingesting the sample is most of this suite's
time, and no drafting test changes the index (LLM and wiring swaps go through monkeypatch).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE, admin, build_service

DATA = Path(__file__).parent / "data"
INCIDENT_FILE = DATA / "email-backlog-incident.yaml"
SOW = "contracts/northbeam-lumen-sow-customer-care.docx"


@pytest.fixture(scope="package")
def drafting_service(tmp_path_factory, embedder):
    svc = build_service(tmp_path_factory.mktemp("drafting-home"), embedder)
    summary = svc.ingest(SAMPLE, admin())
    assert not summary.partial, summary
    yield svc
    svc.catalog.close()


@pytest.fixture
def incident():
    from assistant.drafting.incident import load_incident

    return load_incident(INCIDENT_FILE)
