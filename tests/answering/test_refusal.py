"""assistant/answering/refusal.py: every decline rule, through the service where a rule needs real retrieval."""

from __future__ import annotations

from assistant.answering import refusal
from assistant.answering.answertype import Kind
from assistant.models import SearchResult
from tests.conftest import admin, as_role, make_settings

CONTRACT_QUESTION = "What's the most either side can be on the hook for under the MSA?"


def result(source: str, judge: float | None = 2.0, dense: float = 0.6) -> SearchResult:
    return SearchResult(chunk_id=source, source=source, text="text", score=1.0, section_path="", page_start=None,
                        page_end=None, char_start=0, char_end=4, doc_type="runbook", doc_id=source, title=source.upper(),
                        collection="runbooks", dense_score=dense, judge_score=judge)


def test_weak_judge_evidence_declines_unless_the_passage_is_very_close(tmp_path):
    settings = make_settings(tmp_path)
    dense = refusal.JUDGE_DOUBT_BELOW_DENSE - 0.05
    weak = [result("a", judge=settings.answering.min_judge_score - 1, dense=dense), result("b", judge=-11.0, dense=dense)]
    strong = weak + [result("c", judge=settings.answering.min_judge_score + 1, dense=dense)]
    assert refusal.weak_evidence(settings, weak, []).reason.startswith("weak evidence: judge")
    assert refusal.weak_evidence(settings, strong, []) is None
    # The judge misreads some passages the embedding finds very close (alert runbooks): no decline.
    close = [result("a", judge=settings.answering.min_judge_score - 1, dense=refusal.JUDGE_DOUBT_BELOW_DENSE + 0.1)]
    assert refusal.weak_evidence(settings, close, []) is None


def test_a_passage_far_from_the_question_declines_whatever_the_judge_says(tmp_path):
    settings = make_settings(tmp_path)
    far = [result("a", judge=6.0, dense=settings.answering.min_dense_score - 0.1)]
    assert refusal.weak_evidence(settings, far, []).reason.startswith("weak evidence: similarity")


def test_a_question_naming_a_document_is_answered_only_from_it():
    results = [result("contracts/other.txt"), result("contracts/third.txt")]
    assert refusal.outside_named_document(results, "contracts/acme.txt") is not None
    assert refusal.outside_named_document(results + [result("contracts/acme.txt")], "contracts/acme.txt") is None
    assert refusal.outside_named_document(results, None) is None


def test_the_access_note_is_added_once_before_the_closest_documents():
    answer = refusal.refusal([result("a"), result("b")], refusal.Decline("weak evidence"))
    limited = refusal.for_caller(answer, limited_access=True)
    assert limited.answer.index(refusal.OUTSIDE_ACCESS) < limited.answer.index("The closest documents are")
    assert refusal.for_caller(limited, True).answer.count(refusal.OUTSIDE_ACCESS) == 1
    assert refusal.for_caller(answer, limited_access=False).answer == answer.answer


def test_a_follow_up_fragment_without_history_is_declined(sample_service):
    answer = sample_service.ask("and for SEV-2?", admin())
    assert answer.grounded is False and "follow-up" in answer.answer


def test_a_vendor_agent_is_told_to_ask_without_learning_about_contracts(sample_service):
    answer = sample_service.ask(CONTRACT_QUESTION, as_role("bpo_agent"))
    assert answer.grounded is False and refusal.OUTSIDE_ACCESS in answer.answer
    for word in ("Master Services", "Agreement", "liability", "Fees"):
        assert word not in answer.answer.replace(refusal.OUTSIDE_ACCESS, "")


def test_the_same_words_whether_or_not_a_hidden_document_answers(sample_service):
    # An agent learns nothing from the wording: a question no document answers gets the same note.
    hidden = sample_service.ask(CONTRACT_QUESTION, as_role("bpo_agent"))
    nowhere = sample_service.ask("What is the corporate income tax rate under the tax law of Peru?", as_role("bpo_agent"))
    assert refusal.OUTSIDE_ACCESS in hidden.answer and refusal.OUTSIDE_ACCESS in nowhere.answer


def test_an_admin_refusal_has_no_access_note(sample_service):
    answer = sample_service.ask("What is the corporate income tax rate under the tax law of Peru?", admin())
    assert answer.grounded is False and refusal.OUTSIDE_ACCESS not in answer.answer


def test_a_template_is_never_the_answer(sample_service):
    answer = sample_service.ask("During a SEV-2 backlog, how often are we supposed to send status updates?", admin())
    assert answer.grounded and "Every 60 minutes" in answer.answer and "[time PT]" not in answer.answer, answer.answer


def test_a_near_miss_refusal_says_what_the_closest_passage_does_say():
    decline = refusal.missing_figure(Kind.PERCENT,
                                     ["Agents escalate billing disputes to the team lead."],
                                     "Agents escalate billing disputes to the team lead.", "Billing SOP > Escalation")
    assert decline is not None and "don't state a percentage" in decline.detail
    assert "Billing SOP > Escalation" in decline.detail and "escalate billing disputes" in decline.detail
    assert refusal.missing_figure(None, ["x"], "x") is None
