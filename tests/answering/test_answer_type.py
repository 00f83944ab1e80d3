"""The expected kind of answer (assistant/answering/answertype.py): a question that asks for a figure gets a
sentence that states one, or a refusal that says the passages don't; requests that are not
questions about documents are refused whatever retrieval finds."""

from __future__ import annotations

import pytest

from assistant.answering.answertype import Kind, asked_quantity, expected, gives, names_quantity, not_a_document_question
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
    ("whats the escalation desk's email?", Kind.EMAIL),
    ("what is the mailing address for legal notices?", Kind.ADDRESS),
    ("need the phone number for the night supervisor", Kind.PHONE),
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
    ("Write to escalations@example-bpo.com within the hour.", Kind.EMAIL, True),
    ("call the command center at +1 (302) 555-0100", Kind.PHONE, True),
    ("Send notices to 400 Harbor Street, Suite 12.", Kind.ADDRESS, True),
    ("Contact the command center by phone.", Kind.CONTACT, False),
    ("Replacement headsets ship with Northwind Logistics Ltd.", Kind.ORGANISATION, True),
    ("Replacement headsets ship by tracked courier.", Kind.ORGANISATION, False),
])
def test_a_passage_gives_the_facet_or_not(text, kind, ok):
    assert gives(text, kind) is ok


# -- contact details split: an email, a phone number and a postal address answer different questions

@pytest.mark.parametrize(("question", "kind"), [
    ("what's the email for the fraud desk?", Kind.EMAIL),
    ("fraud desk email address?", Kind.EMAIL),
    ("which mailbox do chargeback disputes go to", Kind.EMAIL),
    ("what email do I send the refund exception to?", Kind.EMAIL),
    ("need the DPO's email pls", Kind.EMAIL),
    ("what email alias pages the on-call engineer?", Kind.EMAIL),
    ("whats the helpdesk phone?", Kind.PHONE),
    ("what number do agents call for a password reset?", Kind.PHONE),
    ("is there a hotline number for security incidents", Kind.PHONE),
    ("the telephone no. of the night supervisor?", Kind.PHONE),
    ("number to call if the site loses power?", Kind.PHONE),
    ("what's the registered office address of the supplier?", Kind.ADDRESS),
    ("postal address for returning headsets", Kind.ADDRESS),
    ("what is the address of the Cebu site?", Kind.ADDRESS),
    # Either kind answers these:
    ("email or phone for the workforce team?", Kind.CONTACT),
    ("contact details for the vendor's account manager", Kind.CONTACT),
    ("what address do I send the signed change order to?", Kind.CONTACT),
    # Mentions, not requests:
    ("who do I email about a stuck refund?", None),
    ("what's the email template for a refund denial?", None),
    ("which email subject line do outage updates use?", None),
    ("how should I email the customer about a delay?", None),
    ("can I phone the customer back after hours?", None),
    ("what's the ip address of the jump host?", None),
    ("how many calls waiting make it a SEV-1?", Kind.COUNT),
])
def test_a_question_asks_for_an_email_a_phone_number_or_an_address(question, kind):
    assert expected(question) == kind


@pytest.mark.parametrize(("text", "email", "phone", "address"), [
    ("Send disputes to chargebacks@example-retail.com with the order number.", True, False, False),
    ("Call the fraud desk on +63 2 8555 0199, option 3.", False, True, False),
    ("The night supervisor is on 555-0142 (ext. 22).", False, True, False),
    ("Ring 0800 123 4567 any time.", False, True, False),
    ("Phone: (415) 555 0173", False, True, False),
    ("Return headsets to 18 Quarry Road, Unit 4, Leeds.", False, False, True),
    ("Notices go to PO Box 7781, Springfield.", False, False, True),
    # Figures that are not phone numbers:
    ("The incident ran from 2024-01-15 to 2024-01-16.", False, False, False),
    ("Credits between 1,000.01 and 4,000.00 need the manager.", False, False, False),
    ("The contract term is 2023-2026.", False, False, False),
    ("Certified to ISO 27001 2013 and SOC 2.", False, False, False),
    ("Agent build 10.2.3.4 rolled out.", False, False, False),
    ("Contact the fraud desk by phone or email.", False, False, False),
])
def test_a_passage_gives_an_email_a_phone_number_or_an_address(text, email, phone, address):
    assert (gives(text, Kind.EMAIL), gives(text, Kind.PHONE), gives(text, Kind.ADDRESS)) == (email, phone, address)
    assert gives(text, Kind.CONTACT) is (email or phone or address)


# Written for these tests: the fraud desk has a phone number and no email; returns have an email
# and no street address; nothing gives a postal address.
DESK_RUNBOOK = """# Fraud Desk and Returns

## Reaching the Fraud Desk

Agents who suspect account takeover call the fraud desk on +1 (415) 555-0173 and keep the customer
on hold. The desk answers within two minutes during business hours.

## Returning Faulty Headsets

Team leads log a faulty headset with the equipment team at headsets@example-bpo.test and include
the asset tag. The equipment team sends a prepaid courier label within one business day.
"""


@pytest.fixture(scope="module")
def desk_service(tmp_path_factory, embedder):
    from tests.conftest import build_service, write_files

    root = write_files(tmp_path_factory.mktemp("desk"), {"runbooks/fraud-desk.md": DESK_RUNBOOK})
    svc = build_service(tmp_path_factory.mktemp("home"), embedder)
    svc.ingest(root, admin())
    yield svc
    svc.catalog.close()


@pytest.mark.parametrize(("question", "kind"), [
    ("what's the fraud desk's email address?", "an email address"),
    ("which mailbox do I use to reach the fraud desk?", "an email address"),
    ("what's the street address for sending back faulty headsets?", "a postal address"),
    ("need the fraud desk email pls", "an email address"),
])
def test_a_contact_of_another_kind_does_not_answer(desk_service, question, kind):
    answer = desk_service.ask(question, as_role("internal"))
    assert answer.grounded is False and answer.citations == [], answer.answer
    assert f"don't state {kind}" in answer.answer


@pytest.mark.parametrize(("question", "expected_text"), [
    ("what's the fraud desk phone number?", "555-0173"),
    ("what number do agents call for suspected account takeover?", "555-0173"),
    ("what's the email for headset returns?", "headsets@example-bpo.test"),
    ("contact details for the fraud desk?", "555-0173"),
])
def test_the_contact_kind_asked_for_is_answered(desk_service, question, expected_text):
    answer = desk_service.ask(question, as_role("internal"))
    assert answer.grounded is True and expected_text in answer.answer, answer.answer


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


# -- the quantity a figure question names --------------------------------------------------------

@pytest.mark.parametrize(("question", "words"), [
    ("How many QA evaluations does a tenured agent get each month?", ["evaluations"]),
    ("how many calls waiting in the queue makes it a SEV-1?", ["calls", "waiting"]),
    ("how much notice do we give before an audit?", ["notice"]),
    ("what's the deductible on the cyber policy?", ["deductible"]),
    ("what overtime premium does the vendor bill?", ["premium"]),
    ("what's the turnaround time for warranty claims?", ["turnaround", "time"]),
    ("What chat response time did we agree?", ["response", "time"]),
    # No quantity named: a time unit, a verb, or a figure question of another form.
    ("on-call got paged overnight - how many hours of rest before the next shift?", ["rest"]),
    ("what fuel surcharge does the carrier add?", ["surcharge"]),
    ("how many days do we have to reply?", []),
    ("how much can the vendor raise rates each year?", []),
    ("how long does a refund take?", []),
    ("what's the fee for a rush order?", []),  # "fee" is often worded otherwise: not checked
    ("how many OT hours can the SOM approve?", []),  # two-letter abbreviations are left out
])
def test_the_quantity_a_figure_question_names(question, words):
    assert asked_quantity(question) == words


@pytest.mark.parametrize(("text", "words", "ok"), [
    ("Tenured agents receive four evaluations a month.", ["evals"], True),
    ("Supplier shall give thirty (30) days' prior written notice.", ["warning"], True),
    ("Coverage of $5,000,000 per claim.", ["deductible"], False),
    ("Claims are processed within 5 business days.", ["turnaround", "time"], False),
    ("Replies go out within one business day, most of the time.", ["turnaround", "time"], False),
])
def test_a_passage_names_the_quantity_or_not(text, words, ok):
    assert names_quantity(text, words) is ok


# Written for these tests: figures of other quantities on each topic, and none of the quantity asked.
COVERAGE_RUNBOOK = """# Vendor Insurance and Warranty Returns

## Insurance

The vendor keeps cyber liability insurance with a limit of 5,000,000 USD per claim and general
liability insurance of 2,000,000 USD, and sends the certificates every year.

## Warranty Returns

Headsets are covered by a 2-year warranty. The equipment team ships a replacement headset once the
faulty one is received.

## QA Reviews

Each agent receives four QA evaluations every month, scored out of 100 points.
"""


@pytest.fixture(scope="module")
def coverage_service(tmp_path_factory, embedder):
    from tests.conftest import build_service, write_files

    root = write_files(tmp_path_factory.mktemp("coverage"), {"runbooks/vendor-coverage.md": COVERAGE_RUNBOOK})
    svc = build_service(tmp_path_factory.mktemp("home"), embedder)
    svc.ingest(root, admin())
    yield svc
    svc.catalog.close()


@pytest.mark.parametrize("question", [
    "what's the deductible on the vendor's cyber insurance?",
    "what's the turnaround time for a warranty headset return?",
])
def test_figures_of_another_quantity_do_not_answer(coverage_service, question):
    answer = coverage_service.ask(question, as_role("internal"))
    assert answer.grounded is False and answer.citations == [], answer.answer
    assert "none for" in answer.answer


@pytest.mark.parametrize(("question", "expected_text"), [
    ("how much cyber insurance does the vendor carry?", "5,000,000"),
    ("how many QA evals does an agent get a month?", "four QA evaluations"),
])
def test_the_quantity_named_in_the_passage_is_answered(coverage_service, question, expected_text):
    answer = coverage_service.ask(question, as_role("internal"))
    assert answer.grounded is True and expected_text in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "kind"), [
    ("what's the turnaround time for warranty claims?", Kind.DURATION),
    ("initial response time for a severity 1 ticket?", Kind.DURATION),
    ("What chat response time did we agree with the vendor?", Kind.DURATION),
    ("target time to resolve a SEV-2?", Kind.DURATION),
    ("what's the max number of hours a contractor can bill each month?", Kind.DURATION),
    ("whats the character limit for SMS updates?", Kind.COUNT),
    ("what's the deductible on the cyber policy?", Kind.MONEY),
    ("what overtime premium (1.5x?) does the vendor bill?", Kind.FIGURE),
    ("is the grace period like 10 days?", Kind.FIGURE),
    ("what fuel surcharge does the carrier add?", Kind.FIGURE),
    # A time named, no figure asked for:
    ("what counts toward handle time?", None),
    ("what is the resolution time definition in the SLA?", None),
    ("how is response time measured?", None),
    ("my TL hasn't decided and the time limit passed - what happens now?", None),
])
def test_a_question_that_names_a_time_target_or_guesses_a_figure(question, kind):
    assert expected(question) == kind


def test_the_refusal_names_the_quantity_as_the_question_wrote_it():
    from assistant.answering.refusal import unnamed_quantity

    question = "What's the target MTTR in minutes for a SEV-1?"
    assert asked_quantity(question) == ["mttr"]
    decline = unnamed_quantity(question, expected(question), ["The first 10 minutes go to triage."], "The first 10 minutes go to triage.",
                               "Incident Training")
    assert decline is not None and "none for “MTTR”" in decline.detail
    assert unnamed_quantity(question, expected(question), ["MTTR for a SEV-1 is 45 minutes."]) is None


@pytest.mark.parametrize(("question", "kind"), [
    ("what uptime % does the hosting agreement commit to?", Kind.PERCENT),
    ("% of chats answered in 60s?", Kind.PERCENT),
    ("how many percent of calls get a QA review?", Kind.PERCENT),
    # A percentage the question states is not one it asks for:
    ("not 100% sure this is a security incident tbh. kick off the process anyway or wait?", None),
    ("is it 100 percent required to page the backup?", None),
])
def test_a_percentage_stated_in_the_question_is_not_asked_for(question, kind):
    assert expected(question) == kind
