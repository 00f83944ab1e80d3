"""The eval question sets stay valid: well-formed JSONL, ids in order, and every expected phrase
really in its source file (a typo there would count as a retrieval miss forever)."""

from __future__ import annotations

import json
import re

import pytest

from evals.harness import norm_text
from tests.conftest import REPO, SHARED, SHARED_REASON

QUESTIONS = REPO / "evals" / "questions"
ANSWERABLE_SHARED = [QUESTIONS / "process_questions_shared.jsonl", QUESTIONS / "heldout" / "process_questions_shared.jsonl"]
OUT_OF_CORPUS = [QUESTIONS / "out_of_corpus.jsonl", QUESTIONS / "heldout" / "out_of_corpus.jsonl"]
KINDS = {"near_miss", "domain_unanswerable", "off_topic"}


def rows(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert all(line.strip() for line in lines), f"{path.name}: blank line"
    return [json.loads(line) for line in lines]


def assert_sequential(items: list[dict]) -> None:
    numbers = [int(re.search(r"(\d+)$", q["id"]).group(1)) for q in items]
    assert numbers == list(range(1, len(items) + 1))


@pytest.mark.parametrize("path", ANSWERABLE_SHARED + OUT_OF_CORPUS + [QUESTIONS / "process_questions_sample.jsonl"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_question_files_are_well_formed(path):
    items = rows(path)
    assert len(items) >= 20
    assert_sequential(items)
    for q in items:
        assert q["question"].strip()
        if "kind" in q:
            assert q["kind"] in KINDS
        else:
            assert q["source"] and 3 <= len(q["must_contain"].split()) <= 12


def test_held_out_questions_do_not_repeat_the_dev_sets():
    dev = {norm_text(q["question"]) for p in (ANSWERABLE_SHARED[0], OUT_OF_CORPUS[0]) for q in rows(p)}
    held = [norm_text(q["question"]) for p in (ANSWERABLE_SHARED[1], OUT_OF_CORPUS[1]) for q in rows(p)]
    assert not dev & set(held)


@pytest.mark.skipif(not (SHARED / "runbooks").is_dir(), reason=SHARED_REASON)
@pytest.mark.parametrize("path", ANSWERABLE_SHARED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_expected_phrase_is_in_its_source_file(path):
    for q in rows(path):
        text = norm_text((SHARED / q["source"]).read_text(encoding="utf-8"))
        assert norm_text(q["must_contain"]) in text, q["id"]
