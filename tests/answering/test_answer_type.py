"""The expected kind of answer (assistant/answering/answertype.py): a question that asks for a figure gets a
sentence that states one, or a refusal that says the passages don't; requests that are not
questions about documents are refused whatever retrieval finds."""

from __future__ import annotations

import pytest

from assistant.answering.answertype import Kind, expected, gives, not_a_document_question
from tests.conftest import admin, as_role

# A small runbook written for these tests: breaks are covered without a figure; the update cadence
# has one, in a sentence less like the question than the one before it.
BREAKS_RUNBOOK = """# Agent Breaks and Status Updates

## Breaks

Agents take paid breaks during each shift. The workforce team schedules breaks so that queue
coverage stays even across the day, and team leads approve any change to a scheduled break.

## Status Updates During an Incident

Status updates keep stakeholders informed about the incident, its customer impact and the next steps.
The incident lead sends a status update every 30 minutes while the incident is open.
"""


@pytest.mark.parametrize(("question", "kind"), [
    ("What uptime percentage does the SLA promise?", Kind.PERCENT),
    ("what shrinkage % should we plan for?", Kind.PERCENT),
    ("How long does the vendor have to send an RCA?", Kind.DURATION),
    ("How much notice do we need before an audit?", Kind.DURATION),
    ("how many business days for a refund?", Kind.DURATION),
    ("How often should we send updates?", Kind.FREQUENCY),
    ("What's the hourly bill rate for a Tier 2 agent?", Kind.MONEY),
    ("how much does the vendor charge per minute?", Kind.MONEY),
    ("How many QA evaluations does an agent get?", Kind.COUNT),
    ("How much can an agent refund on their own?", Kind.COUNT),
    ("When did the master agreement take effect?", Kind.DATE),
    ("when should we escalate a backlog?", None),  # a condition, not a date
    ("Who picks the scribe?", None),
    ("can a SEV-3 be a major incident?", None),
])
def test_the_question_form_names_the_kind_of_answer(question, kind):
    assert expected(question) == kind


@pytest.mark.parametrize(("text", "kind", "ok"), [
    ("at least 98% of approved refunds", Kind.PERCENT, True),
    ("ninety-eight percent of refunds", Kind.PERCENT, True),
    ("refunds are issued promptly", Kind.PERCENT, False),
    ("within forty-eight (48) hours", Kind.DURATION, True),
    ("ninety (90) days' prior written notice", Kind.DURATION, True),
    ("the processor notifies the controller", Kind.DURATION, False),
    ("A biannual cadence for crisis simulations", Kind.FREQUENCY, True),
    ("we keep updates to about once every 20-30 minutes", Kind.FREQUENCY, True),
    ("updates should go out as needed", Kind.FREQUENCY, False),
    ("charged at a rate of $55 CAD per hour", Kind.MONEY, True),
    ("exceptions up to USD 300", Kind.MONEY, True),
    ("the vendor invoices monthly", Kind.MONEY, False),
    ("8 per agent per calendar month", Kind.COUNT, True),
    ("two major incident responses", Kind.COUNT, True),
    ("the agent asks the team lead", Kind.COUNT, False),
    ("effective as of March 1, 2024", Kind.DATE, True),
    ("signed on 01/03/2024", Kind.DATE, True),
    ("the 1st of April", Kind.DATE, True),
    ("effective on the date both parties sign", Kind.DATE, False),
])
def test_a_passage_gives_the_kind_or_not(text, kind, ok):
    assert gives(text, kind) is ok


@pytest.mark.parametrize(("question", "refused"), [
    ("Write me a poem about Kubernetes.", True),
    ("tell me a joke about cats", True),
    ("How do you say 'thank you' in Japanese?", True),
    ("translate the refund policy into Spanish", True),
    ("what's 100 USD in euros right now?", True),
    # Questions about documents that share words with those requests:
    ("Are fees payable in euros or dollars under the MSA?", False),
    ("How do we say no to a refund request in Slack?", False),
    ("the chat queue is at 500 right now, is that a SEV-1?", False),
    ("Which currency exchange rate applies to invoices?", False),
])
def test_requests_that_are_not_document_questions(question, refused):
    assert not_a_document_question(question) is refused


@pytest.fixture(scope="module")
def breaks_service(tmp_path_factory, embedder):
    from tests.conftest import build_service, write_files

    root = write_files(tmp_path_factory.mktemp("breaks"), {"runbooks/breaks-and-updates.md": BREAKS_RUNBOOK})
    svc = build_service(tmp_path_factory.mktemp("home"), embedder)
    svc.ingest(root, admin())
    yield svc
    svc.catalog.close()


def test_a_figure_the_documents_do_not_give_is_refused_and_says_so(breaks_service):
    answer = breaks_service.ask("How many minutes of paid break do agents get per shift?", as_role("internal"))
    assert answer.grounded is False and answer.citations == []
    assert "don't state a time or duration" in answer.answer
    assert answer.closest_sources  # the refusal still points at the closest document


def test_the_sentence_with_the_figure_is_the_answer(breaks_service):
    answer = breaks_service.ask("How often are status updates sent to stakeholders during an incident?",
                                as_role("internal"))
    assert answer.grounded is True
    assert "every 30 minutes" in answer.answer
    assert any("every 30 minutes" in c.quote for c in answer.citations) or answer.citations[0].source.endswith(
        "breaks-and-updates.md")


def test_the_same_topic_without_a_figure_question_is_answered(breaks_service):
    answer = breaks_service.ask("Who schedules agent breaks?", as_role("internal"))
    assert answer.grounded is True and "workforce team" in answer.answer


def test_a_creative_request_is_refused_even_when_retrieval_finds_the_topic(breaks_service):
    answer = breaks_service.ask("Write me a poem about status updates.", admin())
    assert answer.grounded is False and answer.citations == []
    assert "indexed documents only" in answer.answer


# -- facets that are not figures: a name, contact details, an organisation ------------------

@pytest.mark.parametrize(("question", "kind"), [
    ("who is the site's payroll manager, by name?", Kind.NAME),
    ("what's the name of the account's quality lead?", Kind.NAME),
    ("name and phone of the duty manager pls", Kind.NAME),
    ("whats the escalation desk's email?", Kind.CONTACT),
    ("what is the mailing address for legal notices?", Kind.CONTACT),
    ("need the phone number for the night supervisor", Kind.CONTACT),
    ("which courier do we use for replacement headsets?", Kind.ORGANISATION),
    ("what firm audits the call recordings?", Kind.ORGANISATION),
    # The same words, not asking for the facet:
    ("who do we email when the queue spikes?", None),
    ("what is the email subject line for an outage update?", None),
    ("who is the incident commander for a backlog?", None),
    ("what is the name of the alert that fires when disks fill up?", None),
    ("When is a notice sent by email considered received?", None),
    # Codes are not a facet: a code can be a plain word ("wrap code: billing").
    ("what disposition code do I use for a callback?", None),
    ("who do I send an approval request with the exception code to?", None),
])
def test_a_question_that_asks_for_a_name_contact_or_code(question, kind):
    assert expected(question) == kind


@pytest.mark.parametrize(("text", "kind", "ok"), [
    ("Escalate to Dana Whitfield, the Payroll Manager, before noon.", Kind.NAME, True),
    ("Ms. Okafor signs every exception.", Kind.NAME, True),
    ("Approver: Site Director and Finance Controller.", Kind.NAME, False),
    ("The Incident Commander pages the Workforce Lead.", Kind.NAME, False),
    ("Write to escalations@example-bpo.com within the hour.", Kind.CONTACT, True),
    ("call the command center at +1 (302) 555-0100", Kind.CONTACT, True),
    ("Send notices to 400 Harbor Street, Suite 12.", Kind.CONTACT, True),
    ("Contact the command center by phone.", Kind.CONTACT, False),
    ("Replacement headsets ship with Northwind Logistics Ltd.", Kind.ORGANISATION, True),
    ("Replacement headsets ship by tracked courier.", Kind.ORGANISATION, False),
])
def test_a_passage_gives_the_facet_or_not(text, kind, ok):
    assert gives(text, kind) is ok


# Written for these tests: the roles, the desk and the audit are described; no person, email,
# phone number or firm is named.
CONTACTS_RUNBOOK = """# Payroll Escalations

## Who Handles Payroll Disputes

The site payroll manager reviews every disputed payslip within 2 business days and replies to
the agent through the HR portal. Disputes over 500 USD also go to the finance controller.

## Escalation Desk

The escalation desk takes payroll questions from team leads by phone or through the portal. It
is staffed from 8 a.m. to 6 p.m. on business days.

## Payroll Audits

An external audit firm reviews the payroll process once a year and reports to the site director.
"""


@pytest.fixture(scope="module")
def contacts_service(tmp_path_factory, embedder):
    from tests.conftest import build_service, write_files

    root = write_files(tmp_path_factory.mktemp("contacts"), {"runbooks/payroll-escalations.md": CONTACTS_RUNBOOK})
    svc = build_service(tmp_path_factory.mktemp("home"), embedder)
    svc.ingest(root, admin())
    yield svc
    svc.catalog.close()


@pytest.mark.parametrize("question", [
    "who's the site payroll manager, by name?",
    "what's the name of the finance controller who sees big disputes?",
    "whats the escalation desk's phone number?",
    "what's the email address for the payroll escalation desk?",
    "which firm does the payroll audit?",
])
def test_the_topic_without_the_asked_name_or_contact_is_refused(contacts_service, question):
    answer = contacts_service.ask(question, as_role("internal"))
    assert answer.grounded is False and answer.citations == [], answer.answer
    assert "The closest passages don't state" in answer.answer


@pytest.mark.parametrize(("question", "expected_text"), [
    ("who reviews a disputed payslip?", "payroll manager"),
    ("how can team leads reach the escalation desk?", "by phone"),
    ("how often is payroll audited?", "once a year"),
])
def test_the_same_topics_asked_without_the_facet_are_answered(contacts_service, question, expected_text):
    answer = contacts_service.ask(question, as_role("internal"))
    assert answer.grounded is True and expected_text in answer.answer, answer.answer
