"""Eval commands on the bundled sample with gold data built from the index itself, so every
number is known in advance."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from assistant.surfaces.cli import app
from tests.evals.conftest import write_jsonl

pytestmark = pytest.mark.usefixtures("one_model")

LB_QUERIES = ["refund exception approval for a VIP customer", "chat backlog status update cadence"]
CUAD_QUERY = "Who approves a refund exception above the agent's limit?"
OOC = [{"id": "ooc-x1", "question": "What's the weather in Paris tomorrow?", "kind": "off_topic"},
       {"id": "ooc-x2", "question": "what's a good recipe for spaghetti carbonara?", "kind": "off_topic"}]


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def gold(sample_run, sample_corpus):
    """Annotation files whose answers are what retrieval returns (or half of it, or a chunk it doesn't)."""
    from assistant.models import SearchFilters

    top = [sample_run.search(q, 1)[0] for q in LB_QUERIES]
    half = top[1].char_start + (top[1].char_end - top[1].char_start) // 2
    lb = {"tests": [
        {"query_id": "t1", "query": LB_QUERIES[0], "snippets": [
            {"file_path": top[0].source, "span": [top[0].char_start, top[0].char_end]}]},
        {"query_id": "t2", "query": LB_QUERIES[1], "snippets": [
            {"file_path": top[1].source, "span": [top[1].char_start, half]}]},
    ]}
    (sample_corpus / "annotations/legalbench_rag_cuad_queries.json").write_text(json.dumps(lb), encoding="utf-8")

    source = top[0].source
    found = sample_run.search(CUAD_QUERY, 8, SearchFilters(source=[source]))
    first = found[0]
    other = next(r for r in found[1:] if r.char_end <= first.char_start or r.char_start >= first.char_end)
    cuad = {"contracts": [{"contract_file": source, "annotations": [
        {"category": "Audit Rights", "spans": [{"start": first.char_start, "end": first.char_end}]},
        {"category": "Insurance", "spans": [{"start": other.char_start, "end": other.char_end}]},
        {"category": "Parties", "spans": []},
    ]}]}
    (sample_corpus / "annotations/cuad_selected.json").write_text(json.dumps(cuad), encoding="utf-8")
    with (sample_corpus / "annotations/cuad_category_descriptions.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Category (incl. context and answer)", "Description", "Answer Format", "Group"])
        w.writerow(["Category: Audit Rights", f"Description: {CUAD_QUERY}", "Answer Format: Yes/No", "Group: 1"])
        w.writerow(["Category: Insurance", f"Description: {CUAD_QUERY}", "Answer Format: Yes/No", "Group: 1"])

    words = " ".join(top[0].text.split()[:6])
    questions = write_jsonl(sample_corpus.parent / "questions.jsonl", [
        {"id": "s1", "question": LB_QUERIES[0], "source": source, "must_contain": words},
        {"id": "s2", "question": LB_QUERIES[1], "source": source, "must_contain": "no such phrase anywhere zq"},
    ])
    ooc = write_jsonl(sample_corpus.parent / "ooc.jsonl", OOC)
    return {"top": top, "half": half, "questions": questions, "ooc": ooc}


def test_legalbench_numbers_on_known_gold(sample_run, sample_corpus, sample_home, gold):
    t2 = gold["top"][1]
    expected_p2 = (gold["half"] - t2.char_start) / (t2.char_end - t2.char_start)
    rep = cli_json("eval", "legalbench", str(sample_corpus), "--home", str(sample_home), "--k-list", "1,4")
    assert rep["mode"] == "all-sources" and rep["queries"] == 2
    m1 = rep["metrics"]["1"]
    assert m1["recall"] == pytest.approx(1.0)
    assert m1["precision"] == pytest.approx((1.0 + expected_p2) / 2)
    assert m1["recall_union"] == pytest.approx(1.0) and m1["doc_hit"] == 1.0
    assert rep["metrics"]["4"]["recall"] >= m1["recall"] - 1e-9
    assert {"corpus", "files", "chunks", "model", "chunking", "retrieval", "git"} <= set(rep["meta"])
    assert rep["meta"]["files"] == 8 and rep["meta"]["chunking"] == sample_run.settings.chunking.model_dump()
    assert rep["per_query"][0]["first_gold_rank"] == 1


def test_cuad_numbers_on_known_gold(sample_corpus, sample_home, gold):
    rep = cli_json("eval", "cuad", str(sample_corpus), "--home", str(sample_home), "--k-list", "1")
    assert rep["pairs"] == 2 and rep["contracts"] == 1  # the category without spans is not a pair
    assert rep["per_category"]["Audit Rights"]["1"] == {"recall": 1.0, "hit": 1.0}
    assert rep["per_category"]["Insurance"]["1"] == {"recall": 0.0, "hit": 0.0}
    assert rep["overall"]["1"]["recall"] == pytest.approx(0.5) and rep["overall"]["1"]["hit_macro"] == pytest.approx(0.5)


def test_process_numbers_on_known_questions(sample_corpus, sample_home, gold):
    rep = cli_json("eval", "process", str(sample_corpus), "--home", str(sample_home),
                   "--questions", str(gold["questions"]), "--skip-ingest")
    m = rep["metrics"]
    assert (m["recall@1"], m["recall@5"], m["mrr"]) == (0.5, 0.5, 0.5)
    assert rep["unreachable"] == 1 and [x["id"] for x in rep["misses"]] == ["s2"]


def test_answers_with_calibration(sample_corpus, sample_home, gold):
    rep = cli_json("eval", "answers", str(sample_corpus), "--home", str(sample_home), "--skip-ingest",
                   "--questions", str(gold["questions"]), "--out-of-corpus", str(gold["ooc"]), "--calibrate")
    assert rep["answerable"] == 2 and rep["unanswerable"] == 2
    assert set(rep["metrics"]) >= {"refusal_accuracy", "false_refusal_rate", "citation_validity", "phrase_rate"}
    assert rep["metrics"]["citation_validity"] == 1.0, rep["citation_failures"]  # a cited id not retrieved is a bug
    cal = rep["calibration"]
    assert cal["answerable"]["n"] == 2 and cal["unanswerable"]["n"] == 2
    assert any(row["threshold"] == cal["recommended"]["threshold"] for row in cal["table"])


def test_eval_all_prints_tables_for_every_eval(sample_corpus, sample_home, gold):
    result = CliRunner().invoke(app, ["eval", "all", str(sample_corpus), "--home", str(sample_home), "--skip-ingest",
                                      "--questions", str(gold["questions"]), "--out-of-corpus", str(gold["ooc"])])
    assert result.exit_code == 0, (result.output, result.exception)
    for title in ("LegalBench-RAG", "mode: only-txt", "CUAD clause spans", "Process questions", "Answers",
                  "Refusal signal", "git "):
        assert title in result.stdout


def test_missing_annotations_is_a_one_line_error(tmp_path, sample_home):
    result = CliRunner().invoke(app, ["eval", "legalbench", str(tmp_path), "--home", str(sample_home)])
    assert result.exit_code != 0
    assert "LegalBench-RAG queries not found" in str(result.exception)


def test_ceilings_on_known_gold(sample_corpus, sample_home, gold):
    rep = cli_json("eval", "legalbench", str(sample_corpus), "--home", str(sample_home), "--k-list", "1", "--skip-ingest")
    assert rep["ceiling"]["gold_chars_in_chunks"] == pytest.approx(1.0)  # gold spans were cut from chunks
    assert rep["ceiling"]["precision@1_best_chunk"] == pytest.approx(rep["metrics"]["1"]["precision"])


def test_process_as_a_role_searches_only_what_it_reads(sample_run, sample_corpus, sample_home, gold):
    """`--as bpo_agent`: the eval measures what a vendor agent gets. The contract question can't be
    answered from the runbooks, and no contract passage reaches any result list."""
    asked = {"notice period to terminate the agreement for convenience": None, LB_QUERIES[0]: None}
    for q in asked:
        asked[q] = sample_run.search(q, 1)[0]
    contract, runbook = asked.values()
    assert contract.source.startswith("contracts/") and runbook.source.startswith("runbooks/")
    questions = write_jsonl(sample_corpus.parent / "role-questions.jsonl", [
        {"id": f"r{i}", "question": q, "source": hit.source, "must_contain": " ".join(hit.text.split()[:6])}
        for i, (q, hit) in enumerate(asked.items())])
    args = ("eval", "process", str(sample_corpus), "--home", str(sample_home), "--questions", str(questions),
            "--skip-ingest")
    admin = cli_json(*args)
    agent = cli_json("--as", "bpo_agent", *args)
    assert admin["meta"]["roles"] == ["admin"] and "contracts" in admin["meta"]["collections"]
    assert agent["meta"]["roles"] == ["bpo_agent"] and agent["meta"]["collections"] == ["runbooks"]
    assert admin["metrics"]["recall@1"] == 1.0
    by_source = {row["source"]: row for row in agent["per_question"]}
    assert by_source[runbook.source]["rank"] == 1 and by_source[contract.source]["rank"] is None
    assert by_source[contract.source]["not_readable"] and agent["not_readable"] == 1 and agent["not_indexed"] == 0
    assert all(s.startswith("runbooks/") for row in agent["per_question"] for s in row["top_sources"])

    # The answers eval: for the vendor agent the contract question is one to refuse, not to answer.
    answers = ("eval", "answers", str(sample_corpus), "--home", str(sample_home), "--questions", str(questions),
               "--out-of-corpus", str(gold["ooc"]), "--skip-ingest")
    admin_answers = cli_json(*answers)
    agent_answers = cli_json("--as", "bpo_agent", *answers)
    assert (admin_answers["answerable"], admin_answers["not_readable"]) == (2, 0)
    assert (agent_answers["answerable"], agent_answers["unanswerable"]) == (1, len(OOC) + 1)
    assert agent_answers["not_readable"] == 1 and "not_readable" in agent_answers["refusal_by_kind"]


def test_process_as_a_role_that_reads_nothing_is_a_one_line_error(sample_corpus, tmp_path, gold):
    home = tmp_path / "never-made"
    result = CliRunner().invoke(app, ["--as", "nobody", "eval", "process", str(sample_corpus), "--home",
                                      str(home), "--questions", str(gold["questions"]), "--skip-ingest"])
    assert result.exit_code != 0
    assert str(result.exception).startswith("unknown role nobody (known roles: admin, bpo_agent,")
    assert not home.exists()  # refused before any eval home or store was made
