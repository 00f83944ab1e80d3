"""Amendments that name no clause number (issue 26): tied to the one clause they are about, or left
unapplied and said ("may change ...") when more than one clause could be meant or none matches.

The wording tests read amendment text and link it against agreement text directly; the corpus tests
ingest three contract families (Markdown, DOCX, PDF; evals/amendments/topic_corpus.py) with the real
model and Chroma, and go through key terms, SLA schedules, `documents --json` and answers."""

from __future__ import annotations

import json

import pytest

from assistant.contracts.amendments import read_changes
from assistant.contracts.document import ContractDoc
from assistant.contracts.in_force import resolve
from assistant.text.clauses import analysis_text
from evals.amendments import topic_corpus
from tests.cli.conftest import run_cli
from tests.conftest import admin, as_role, build_service

AGREEMENT = """# Master Outsourcing Agreement

This Master Outsourcing Agreement is made on 4 April 2024 between Quarry Lane Bank plc ("Bank") and Helvion Services Ltd ("Supplier").

3. Term. This Agreement continues until 3 April 2027.

6. Payment. The Bank shall pay each undisputed invoice within sixty (60) days of receipt.

7. Service Credits. If Supplier misses the Call Answer service level, the Bank may claim a credit of five percent (5%) of the monthly charges.

12.1 Termination for Convenience. The Bank may terminate this Agreement for convenience on ninety (90) days' notice.

12.2 Termination for Insolvency. Either party may terminate this Agreement at once by notice if the other becomes insolvent.

13. Non-Renewal. Either party may give notice of non-renewal at least thirty (30) days before the end of the term.

14. Data Return. On expiry Supplier shall return all Bank data within ten (10) business days.

## Schedule 1 - Service Levels

Call Answer: Supplier shall answer 80% of calls within 20 seconds, measured monthly.

Complaint Response: Supplier shall respond to 95% of written complaints within 5 business days, measured monthly.

Chat Response: Supplier shall respond to 90% of chats within 60 seconds, measured monthly.
"""


def _doc(text: str) -> ContractDoc:
    return ContractDoc(source="contracts/agreement.md", doc_id="base", doc_type="msa", title="Master Outsourcing Agreement",
                       collection="contracts", chunks=[], text=text, clean=analysis_text(text))


BASE = _doc(AGREEMENT)


def _tied(instruction: str) -> tuple[str, str] | str:
    """(the clause a one-change instruction was tied to, the text it supersedes) or why not."""
    [change] = read_changes(instruction)
    found = resolve(BASE, change)
    if isinstance(found, str):
        return found
    (a, b), tied = found
    return tied.target, " ".join(AGREEMENT[a:b].split())


@pytest.mark.parametrize("instruction, clause, old", [
    ("1. The notice period for termination for convenience is now thirty (30) days.", "12.1", "ninety (90) days"),
    ("(a) The Bank's notice period to terminate for convenience shall now be 45 days.", "12.1", "ninety (90) days"),
    ("2. The payment term is reduced from sixty (60) days to forty-five (45) days.", "6", "sixty (60) days"),
    ("The period for returning Bank data on expiry is hereby reduced to five (5) business days.", "14", "ten (10) business days"),
    ("3. The Section titled 'Service Credits' is amended so that the credit is 10% of the monthly charges.", "7", "five percent (5%)"),
    ("The clause headed \u201cService Credits\u201d is amended to provide that the credit is increased from 5% to 8%.", "7",
     "five percent (5%)"),
    ("The service level for Complaint Response is changed to 3 business days.", "Schedule 1 - Service Levels", "5 business days"),
])
def test_a_figure_change_is_tied_to_the_one_clause_it_is_about(instruction, clause, old):
    assert _tied(instruction) == (clause, old)


@pytest.mark.parametrize("instruction, clause, starts", [
    ('The clause headed "Non-Renewal" is deleted in its entirety.', "13", "13. Non-Renewal."),
    ("The section entitled 'Data Return' is deleted and replaced with the following:\n\nData Return. Supplier shall return "
     "all Bank data within 3 business days.\n\nAll other terms are unchanged.", "14", "14. Data Return."),
    ("Schedule 4 (Service Levels) is replaced by the Schedule 4 attached to this Amendment.\n\n## Schedule 4 - Service Levels\n\n"
     "Call Answer: Supplier shall answer 85% of calls within 20 seconds, measured monthly.", "Schedule 1 - Service Levels",
     "## Schedule 1 - Service Levels"),
])
def test_a_clause_named_by_its_heading_or_a_schedule_by_its_title_is_found(instruction, clause, starts):
    target, text = _tied(instruction)
    assert target == clause and text.startswith(starts)


def test_the_term_is_extended_without_a_clause_number():
    target, text = _tied("The Term is extended to 31 December 2028.")
    assert target == "" and "3 April 2027" in text


@pytest.mark.parametrize("instruction, reason", [
    # Three clauses give notice periods in days: which one is meant is not guessed.
    ("1. The notice period is now fifteen (15) days.", "clauses could be meant"),
    # Complaint and chat responses both have a response time in the schedule.
    ("The response time is reduced to 2 hours.", "doesn't say which"),
    # No clause is headed so.
    ("The Section titled 'Liquidated Damages' is amended so that the amount is USD 10,000.", "no clause is headed"),
    ("The clause headed \"Exclusivity\" is deleted.", "no clause is headed"),
    # The old figure it names is nowhere in the agreement.
    ("The payment term is reduced from thirty (30) days to twenty (20) days.", "is about"),
    # Nothing in the agreement is about it.
    ("The onboarding fee is now USD 4,000.", "is about"),
])
def test_an_ambiguous_or_unfounded_change_is_not_applied(instruction, reason):
    found = _tied(instruction)
    assert isinstance(found, str) and reason in found, found


@pytest.mark.parametrize("text", [
    "The fee is USD 500 per month.",  # a statement, not a change
    "Supplier shall respond to all complaints within 5 business days.",
    "This Amendment is effective as of 1 October 2025.",
])
def test_plain_statements_are_not_read_as_changes(text):
    assert read_changes(text) == []


# -- over the index ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def topics(tmp_path_factory, embedder):
    root = topic_corpus.write_corpus(tmp_path_factory.mktemp("topics") / "corpus")
    home = tmp_path_factory.mktemp("topics-home") / "home"
    service = build_service(home, embedder)
    summary = service.ingest(root, admin())
    assert not summary.partial, summary
    yield service
    service.catalog.close()


def test_every_planted_change_is_tied_right_or_held_back(topics):
    result = topic_corpus.score(topics, admin())
    failed = [row for row in result["cases"] if not row["pass"]]
    assert not failed, failed
    assert result["applied_total"] >= 6 and result["held_back_total"] >= 4


def test_key_terms_follow_a_topic_change_from_its_date(topics):
    source = "meridian-tessaline-services-agreement.md"
    before = topics.contracts.key_terms(source, admin(), as_of="2025-06-01")
    after = topics.contracts.key_terms(source, admin(), as_of="2026-01-15")
    convenience = lambda terms: [n for n in terms.notice_periods if n.kind == "termination_for_convenience"]  # noqa: E731
    assert [n.days for n in convenience(before)] == [120] and before.may_change == []
    [notice] = convenience(after)
    assert notice.days == 60 and any("replaced clause 9.2's one hundred twenty (120) days" in a.summary for a in after.amendments)
    assert after.expiration_date.iso == "2027-12-31"
    # The ambiguous one is named, not applied: the cure and non-renewal notices keep their days.
    assert any("may change \u201cnotice period\u201d (to fifteen (15) days)" in m and "3 clauses could be meant" in m
               for m in after.may_change), after.may_change
    assert all(n.days != 15 for n in after.notice_periods)


def test_a_schedule_replaced_by_its_title_changes_the_sla_schedule(topics):
    sla = topics.contracts.sla_schedule("palisade-orvik-outsourcing.docx", admin(), as_of="2026-03-01")
    email = [t for t in sla.terms if "day" in t.threshold]  # the claimant emails, within so many business days
    assert email and email[0].target_percent == 98.0 and email[0].citation.source.endswith("addendum-1.md")
    # Two fees in clause 8 (Part A and Part B): "the fee is increased to USD 14" is not applied to either.
    assert any("may change \u201cfee\u201d (to USD 14)" in m and "not applied" in m for m in sla.may_change), sla.may_change
    earlier = topics.contracts.sla_schedule("palisade-orvik-outsourcing.docx", admin(), as_of="2025-12-01")
    assert [t.target_percent for t in earlier.terms if "day" in t.threshold] == [95.0] and earlier.may_change == []


def test_documents_json_names_the_changes_not_applied(topics, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(topics.settings.home))
    code, out, err = run_cli(monkeypatch, capsys, "documents", "--json")
    assert code == 0, err
    docs = {d["source"]: d for d in json.loads(out)["documents"]}
    order = docs["contracts/lindqvist-corvane-change-order-2.pdf"]
    assert order["amends"] == docs["contracts/lindqvist-corvane-sow.pdf"]["doc_id"]
    assert len(order["unapplied"]) == 2
    assert any("Holiday Coverage" in u and "no clause is headed" in u for u in order["unapplied"])
    assert any("may change \u201cresponse time\u201d" in u and "Email Handling" in u and "Ticket Handling" in u for u in order["unapplied"])
    assert docs["contracts/lindqvist-corvane-sow.pdf"]["unapplied"] == []


def test_an_answer_names_a_change_it_could_not_apply(topics):
    question = ("How many days before the end date must notice of non-renewal be given under the Meridian Tessaline "
                "Services Agreement?")
    answer = topics.ask(question, admin(), as_of="2026-01-15")
    assert answer.grounded and "sixty (60) days" in answer.answer
    assert "may change \u201cnotice period\u201d" in answer.answer and "not applied" in answer.answer
    assert any(c.source.endswith("first-amendment.docx") and "notice period is now fifteen" in " ".join(c.quote.split())
               for c in answer.citations)


def test_a_role_that_reads_no_contract_sees_no_unapplied_change(topics):
    assert all(not d.unapplied for d in topics.documents(as_role("bpo_agent")))
