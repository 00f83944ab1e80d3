"""The passage judge (the packaged cross-encoder) and the judge stage of retrieval."""

from __future__ import annotations

import pytest

from assistant.config import JudgeSettings
from assistant.retrieval.judge import MAX_SEQUENCE, JudgeUnavailable, PassageJudge, packaged_model_dir
from assistant.models import SearchResult
from assistant.retrieval.rerank import judge_text, rerank
from tests.conftest import admin

QUESTION = "how often should the incident commander post status updates during a major incident?"
ANSWERS = "During a major incident the Incident Commander posts a status update to stakeholders every 30 minutes."
UNRELATED = "Chargebacks are answered with the order confirmation and the carrier's proof of delivery."


def result(n: int, text: str, section: str = "") -> SearchResult:
    return SearchResult(chunk_id=f"c{n}", source=f"runbooks/doc{n}.md", text=text, score=1.0 / n, section_path=section,
                        page_start=None, page_end=None, char_start=0, char_end=len(text), doc_type="runbook",
                        doc_id=f"d{n}", title=f"Doc {n}", collection="runbooks")


def test_the_judge_prefers_the_passage_that_answers(judge):
    answers, unrelated = judge.score(QUESTION, [ANSWERS, UNRELATED])
    assert answers > 0 > unrelated


def test_a_pair_scores_the_same_alone_and_among_others(judge):
    judge.clear_cache()
    alone = judge.score(QUESTION, [UNRELATED])[0]
    judge.clear_cache()
    among = judge.score(QUESTION, [ANSWERS, UNRELATED, ANSWERS + " " + UNRELATED])[1]
    assert alone == among  # each pair runs on its own: no batch-dependent quantization


def test_pairs_run_longest_first_but_each_score_lands_at_its_own_passage(judge):
    passages = [UNRELATED, ANSWERS + " " + UNRELATED * 3, "Status updates.", ANSWERS, UNRELATED * 2]
    judge.clear_cache()
    together = judge.score(QUESTION, passages)
    one_by_one = []
    for p in passages:
        judge.clear_cache()
        one_by_one.append(judge.score(QUESTION, [p])[0])
    assert judge.workers > 1 and list(together) == one_by_one


def test_the_token_cap_holds_for_long_questions_and_passages(judge):
    seen = []

    class Spy:
        def __init__(self, session):
            self.session = session

        def run(self, outputs, feeds):
            seen.append(feeds["input_ids"].shape[1])
            return self.session.run(outputs, feeds)

    probe = PassageJudge()
    probe.load()
    probe._session = Spy(probe._session)
    probe.score("why " * 600, [ANSWERS * 20], max_tokens=96)
    probe.score(QUESTION, [ANSWERS * 40])
    assert seen == [96, MAX_SEQUENCE]


def test_a_missing_carrier_package_is_a_one_line_error():
    with pytest.raises(JudgeUnavailable) as err:
        packaged_model_dir("no_such_carrier_package_xyz")
    assert "\n" not in str(err.value) and "no_such_carrier_package_xyz" in str(err.value)


def test_the_model_files_come_from_the_installed_wheel_not_a_download():
    folder = packaged_model_dir()
    assert (folder / "model.onnx").stat().st_size > 10_000_000
    assert "site-packages" in str(folder) or "dist-packages" in str(folder)


def test_the_judge_stage_lifts_the_answer_over_a_neighbour_that_only_shares_words(judge):
    neighbour = "Status updates: the incident commander decides who posts them. Status updates go to the status page."
    results = [result(1, neighbour, "Roles"), result(2, UNRELATED, "Chargebacks"), result(3, ANSWERS, "Update cadence")]
    reranked = rerank(QUESTION, results, judge, JudgeSettings(candidates=3))
    assert reranked[0].chunk_id == "c3"
    assert all(r.judge_score is not None for r in reranked)


def test_the_hybrid_order_breaks_near_ties(judge):
    # Two copies of the same passage score the same: the one the hybrid order put first stays first.
    results = [result(1, ANSWERS), result(2, ANSWERS)]
    assert [r.chunk_id for r in rerank(QUESTION, results, judge, JudgeSettings())] == ["c1", "c2"]


def test_only_the_configured_candidates_are_judged(judge):
    results = [result(n, UNRELATED if n < 4 else ANSWERS) for n in range(1, 6)]
    reranked = rerank(QUESTION, results, judge, JudgeSettings(candidates=3))
    assert [r.chunk_id for r in reranked[3:]] == ["c4", "c5"] and reranked[3].judge_score is None


def test_the_judge_reads_where_a_passage_sits():
    assert judge_text(result(1, "Body.", "Severity > SEV-1")) == "Doc 1 > Severity > SEV-1\nBody."


def test_search_reranks_only_when_asked(sample_service):
    question = "During a SEV-2 backlog, how often are we supposed to send status updates?"
    plain = sample_service.search(question, admin(), k=5).results
    judged = sample_service.search(question, admin(), k=5, rerank=True).results
    assert all(r.judge_score is None for r in plain)
    assert all(r.judge_score is not None for r in judged)


# Written for this test: an alert runbook's two sections, as retrieval returns them after the judge
# stage (its passage scores set): the "Meaning" sentence restates the question, the fix is a step
# of the "Mitigation" passage the judge ranked first.
MEANING = "Queue worker lag detected."
MITIGATION = "Recurring lag: move the nightly export to another host. Check the scheduler console for stuck jobs."


def _two_sections(judge_scores: tuple[float, float]) -> list[SearchResult]:
    mitigation = result(1, MITIGATION, "QueueWorkerLag > Mitigation").model_copy(
        update={"judge_score": judge_scores[0], "dense_score": 0.7})
    meaning = result(2, MEANING, "QueueWorkerLag > Meaning").model_copy(
        update={"judge_score": judge_scores[1], "dense_score": 0.7})
    return [mitigation, meaning]


def test_the_unit_of_the_passage_the_judge_ranked_first_can_win_over_a_restatement(tmp_path, embedder, judge,
                                                                                    monkeypatch):
    from assistant.answering import pipeline
    from tests.conftest import make_settings

    question = "queue worker lag keeps coming back - what should we do about it?"
    answerer = pipeline.Answerer(make_settings(tmp_path), embedder=embedder, judge=judge)
    passages = _two_sections((6.0, -8.0))
    with_passages = answerer.answer(question, passages)
    monkeypatch.setattr(pipeline, "PASSAGE_WEIGHT", 0.0)
    units_alone = answerer.answer(question, passages)
    assert with_passages.grounded and with_passages.citations[0].chunk_id == "c1", with_passages.answer
    # The premise: read alone, the restating sentence wins.
    assert units_alone.citations[0].chunk_id == "c2", units_alone.answer
