"""Small corpora for the eval commands: a copy of the bundled sample (always) and a slice of the
shared corpus (3 CUAD contracts with their annotations, 5 runbooks; skipped when it is absent)."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE, SHARED, shared_judge

SLICE_CONTRACTS = [  # the three smallest contracts that LegalBench-RAG queries point into
    "contracts/FLOTEKINDUSTRIESINCCN_05_09_2019-EX-10.1-SUPPLY AGREEMENT.txt",
    "contracts/DeltathreeInc_19991102_S-1A_EX-10.19_6227850_EX-10.19_Co-Branding Agreement_ Service Agreement.txt",
    "contracts/THERAVANCEBIOPHARMA,INC_05_08_2020-EX-10.2-SERVICE AGREEMENT.txt",
]
SLICE_RUNBOOKS = 5
SLICE_QUESTIONS = 8
SLICE_LEGALBENCH_QUERIES = 12


@contextmanager
def reuse_embedder(embedder):
    """The eval commands build their own Embedder; in tests they get the session's loaded one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("assistant.retrieval.embedding.Embedder.from_settings", classmethod(lambda cls, *args, **kwargs: embedder))
        yield


@pytest.fixture
def one_model(embedder):
    with reuse_embedder(embedder):
        yield


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """A private copy of the sample: tests add annotation files to it (annotations/** is never indexed)."""
    target = tmp_path_factory.mktemp("eval-sample") / "corpus"
    shutil.copytree(SAMPLE, target)
    (target / "annotations").mkdir()
    return target


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("eval-sample-home")


@pytest.fixture(scope="session")
def sample_run(sample_corpus, sample_home, embedder):
    from evals.harness import open_run

    run = open_run(sample_corpus, home=sample_home, embedder=embedder, judge=shared_judge())
    assert not run.ingest_summary.partial, run.ingest_summary
    yield run
    run.close()


@pytest.fixture(scope="session")
def shared_slice(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(corpus folder, process-question file, out-of-corpus file) cut from ../shared/corpus."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus not present (it exists only in the team's workspace and CI)")
    return build_shared_slice(tmp_path_factory.mktemp("eval-slice") / "corpus")


def build_shared_slice(root: Path) -> tuple[Path, Path, Path]:
    for rel in SLICE_CONTRACTS:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SHARED / rel, root / rel)
    keep = set(SLICE_CONTRACTS)
    (root / "annotations").mkdir()
    lb = json.loads((SHARED / "annotations/legalbench_rag_cuad_queries.json").read_text(encoding="utf-8"))
    lb["tests"] = [t for t in lb["tests"] if all(s["file_path"] in keep for s in t["snippets"])][:SLICE_LEGALBENCH_QUERIES]
    (root / "annotations/legalbench_rag_cuad_queries.json").write_text(json.dumps(lb), encoding="utf-8")
    cuad = json.loads((SHARED / "annotations/cuad_selected.json").read_text(encoding="utf-8"))
    cuad["contracts"] = [c for c in cuad["contracts"] if c["contract_file"] in keep]
    (root / "annotations/cuad_selected.json").write_text(json.dumps(cuad), encoding="utf-8")
    shutil.copy2(SHARED / "annotations/cuad_category_descriptions.csv", root / "annotations")
    # The smallest runbooks that shared process questions point at, with those questions.
    lines = (REPO / "evals/questions/process_questions_shared.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    sources = sorted({q["source"] for q in questions}, key=lambda s: ((SHARED / s).stat().st_size, s))[:SLICE_RUNBOOKS]
    for rel in sources:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SHARED / rel, root / rel)
    qfile = write_jsonl(root.parent / "questions.jsonl", [q for q in questions if q["source"] in sources][:SLICE_QUESTIONS])
    # Two unanswerable questions of each kind: asking is the slow part of the answers eval.
    ooc, per_kind = [], {}
    for line in (REPO / "evals/questions/out_of_corpus.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            per_kind[q["kind"]] = per_kind.get(q["kind"], 0) + 1
            if per_kind[q["kind"]] <= 2:
                ooc.append(q)
    ooc_file = write_jsonl(root.parent / "ooc.jsonl", ooc)
    return root, qfile, ooc_file
