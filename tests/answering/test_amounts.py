"""Amounts of money (assistant/text/amounts.py): a question about one figure ("who signs off on a $3,500
credit?") is answered by the threshold-table row whose range holds it, a row that shares no word
with the question."""

from __future__ import annotations

import math

import pytest

from assistant.text.amounts import asked_amount, placement, ranges
from tests.conftest import admin, as_role


@pytest.mark.parametrize(("question", "amount"), [
    ("A customer wants a $3,500 refund. Who signs off?", 3500.0),
    ("who approves a credit over $500?", 500.01),  # the row that starts at 500.01, not the one ending at 500.00
    ("can an agent approve anything under $150 alone?", 149.99),
    ("refund of 750 dollars, who approves", 750.0),
    ("is a USD 1,200.50 goodwill credit allowed?", 1200.5),
    ("what about a $3.5k refund?", 3500.0),
    ("the chat queue is at 500, is that a SEV-1?", None),  # no currency: a count, not money
    ("between $500 and $2,000, who approves?", None),  # two figures: nothing single to place
])
def test_the_amount_a_question_asks_about(question, amount):
    got = asked_amount(question)
    assert got == amount if amount is None else got == pytest.approx(amount)


@pytest.mark.parametrize(("text", "expected"), [
    ("Credit value (USD): 500.01 to 2,000.00; Approver: Site Manager", [(500.01, 2000.0)]),
    ("from 150 to 500 dollars", [(150.0, 500.0)]),
    ("Agent, up to 300.00", [(0.0, 300.0)]),
    ("Over 5,000.00 | Finance Controller", [(5000.005, math.inf)]),
    ("all credits of $1,000 or more are reviewed", [(1000.0, math.inf)]),
    # Figures that are not money: percentages, durations, counts.
    ("10% to 20% of the monthly fee", []),
    ("1 to 3 business days", []),
    ("Customers with 3 or more refunds in 90 days (USD amounts aside)", []),
])
def test_the_ranges_a_passage_states(text, expected):
    assert ranges(text) == [(pytest.approx(lo), hi if hi == math.inf else pytest.approx(hi)) for lo, hi in expected]


def test_a_bounded_range_places_an_amount_better_than_an_open_one():
    assert placement("2,000.01 to 5,000.00", 3500) == 1.0
    assert placement("all credits over USD 2,000 are audited", 3500) == 0.5  # true of any larger amount too
    assert placement("150.01 to 500.00", 3500) == 0.0
    # A ceiling is one-sided too: true of every smaller amount.
    assert placement("Team leads may approve exceptions up to USD 1,000.", 800) == 0.5
    assert placement("500.01 to 2,000.00 | Shift Operations Manager", 800) == 1.0


# Written for these tests: the approval table is the only place that says who approves which amount,
# and its rows are figures and names only.
GOODWILL_SOP = """# Goodwill Credit SOP

## 1. Purpose

Agents may offer a goodwill credit when a customer had a poor experience that policy does not
otherwise cover. This SOP says how credits are recorded and who signs off on them.

## 2. Recording a Credit

Record every goodwill credit in the billing console with the reason code and the case number.
The customer sees the credit on their next statement. Tell the customer the credit amount and
when it will appear.

## 3. Approval Levels

| Credit value (USD) | Approver | Decision time |
|---|---|---|
| 0.01 to 250.00 | Agent | During the contact |
| 250.01 to 1,000.00 | Team Supervisor | 4 business hours |
| 1,000.01 to 4,000.00 | Contact Centre Manager | 1 business day |
| 4,000.01 to 20,000.00 | Head of Customer Operations | 2 business days |

## 4. Customer Sign-off

A customer who disputes the amount of a goodwill credit may ask for a review. The supervisor on
shift reviews the case and replies to the customer within 2 business days.

## 5. Reporting

Finance reports goodwill credits by reason code every month and flags agents whose credits are far
above the team average for coaching.
"""


@pytest.fixture(scope="module")
def goodwill_service(tmp_path_factory, embedder):
    from tests.conftest import build_service, write_files

    root = write_files(tmp_path_factory.mktemp("goodwill"), {"runbooks/goodwill-credit-sop.md": GOODWILL_SOP})
    svc = build_service(tmp_path_factory.mktemp("home"), embedder, retrieval={"k": 3})
    svc.ingest(root, admin())
    yield svc
    svc.catalog.close()


def test_the_row_whose_range_holds_the_amount_is_the_answer(goodwill_service):
    answer = goodwill_service.ask("A customer was promised a $2,600 credit. Who has to sign off on that?",
                                  as_role("internal"))
    assert answer.grounded is True
    assert answer.answer.split("[1]")[0].count("Contact Centre Manager") == 1, answer.answer
    assert "1,000.01 to 4,000.00" in answer.citations[0].quote


def test_over_an_amount_means_the_row_after_it(goodwill_service):
    answer = goodwill_service.ask("who approves a goodwill credit over $250?", as_role("internal"))
    first = answer.answer.split("[1]")[0]
    assert "Team Supervisor" in first and "Contact Centre Manager" not in first, answer.answer


def test_retrieval_brings_the_table_row_that_places_the_amount(sample_service):
    # The bundled refund SOP: its approval table continues into a second chunk whose rows are
    # figures and names only ("2,000.01 to 5,000.00 | Northbeam Customer Care Manager | ...").
    question = "A customer is asking for a $4,200 refund outside policy. Who has to sign off on that?"
    found = sample_service.search(question, admin(), k=8).results
    assert any("2,000.01 to 5,000.00" in r.text for r in found)
    # Without the amount list the paraphrase ("sign off" for "approve") leaves that chunk out of the
    # 8: the purpose and scope sections, the exception codes and a contract clause fill them.
    settings = sample_service.settings.retrieval
    saved, settings.amount_candidates = settings.amount_candidates, 0
    try:
        without = sample_service.search(question, admin(), k=8).results
    finally:
        settings.amount_candidates = saved  # the session's shared service
    assert not any("2,000.01 to 5,000.00" in r.text for r in without)


def test_the_bracket_beats_a_special_case_ceiling_and_the_next_row_stays_out(sample_service):
    # The bundled refund SOP says "Team leads may approve exceptions up to USD 1,000" for Summit
    # members only; its table's "500.01 to 2,000.00" row is the rule for everyone. Both hold $800,
    # and the bracket is the specific answer. The table's next row is another bracket, not the rest
    # of this one's answer.
    answer = sample_service.ask("who approves an $800 refund exception?", admin())
    assert "500.01 to 2,000.00" in answer.citations[0].quote, answer.answer
    assert "Approver: Lumen Shift Operations Manager" in answer.answer
    assert "2,000.01 to 5,000.00" not in answer.answer and "up to USD 1,000" not in answer.answer, answer.answer
