"""Persistent-failure and earn-back clauses in many wordings and shapes (numbered clauses, prose, a
table row, other party names), each with the rule it states; the sample MSA's clause 5.4 read from
the real index."""

from __future__ import annotations

import pytest

from assistant.contracts.document import ContractDoc, StoredPiece
from assistant.contracts.persistence import earn_back_rule, failure_rules, persistence_terms, rca_rule
from tests.conftest import admin

METRICS = ["Claims Turnaround", "Order Accuracy", "Average Speed of Answer"]


def doc_of(text: str, source: str = "contracts/agreement.md") -> ContractDoc:
    return ContractDoc.from_chunks([StoredPiece("chunk-1", text, {"char_start": 0, "char_end": len(text), "source": source,
                                                                  "doc_type": "msa"})])


def rules_of(text: str):
    return [(r.kind, r.count, r.window_months, r.scope, r.metric) for r in failure_rules(doc_of(text), METRICS)]


# -- persistent failure: the rule ------------------------------------------------------------

NUMBERED = """14. Service Level Failures

14.1 Each Service Level is measured monthly.

14.2 Persistent Failure. A "Persistent Failure" occurs where the Contractor fails to meet the same Service Level in two (2) consecutive months, or fails to meet one or more Service Levels in any four (4) months within a rolling period of six (6) months.

14.3 On a Persistent Failure the Company may terminate the affected Work Order for cause by giving fifteen (15) days' written notice to the Contractor.
"""


def test_numbered_clause_with_both_kinds_and_the_right_in_the_next_clause_of_the_same_heading():
    rules = failure_rules(doc_of(NUMBERED), METRICS)
    assert [(r.kind, r.count, r.window_months, r.scope) for r in rules] == [
        ("consecutive", 2, None, "same_metric"), ("in_window", 4, 6, "any_metric")]
    assert {r.name for r in rules} == {"Persistent Failure"} and {r.clause_no for r in rules} == {"14.2"}
    assert rules[0].citation.quote.startswith('A "Persistent Failure" occurs where the Contractor fails')
    right = rules[0].right
    assert (right.kind, right.holder, right.notice_days, right.clause_no) == ("termination", "the Company", 15, "14.3")


PROSE = """Performance. The Vendor shall meet every KPI in each calendar month. Should the Vendor miss any single KPI for three months in a row, the Buyer may terminate this Agreement for cause upon thirty (30) days' written notice to the Vendor.
"""


def test_prose_with_counts_in_words_and_the_right_in_the_same_sentence():
    [rule] = failure_rules(doc_of(PROSE), METRICS)
    assert (rule.kind, rule.count, rule.scope, rule.scope_words) == ("consecutive", 3, "same_metric", "any single KPI")
    assert rule.right.kind == "termination" and rule.right.notice_days == 30 and rule.right.holder == "the Buyer"
    assert rule.right.text == "the Buyer may terminate this Agreement for cause upon thirty (30) days' written notice to the Vendor"


TABLE = """Schedule 4 - Remedies

| Event | Trigger | Remedy |
|---|---|---|
| Repeated Service Failure | Any Service Level missed in 5 or more months in any rolling 12-month period | Purchaser may terminate for cause on 60 days' notice |
| Late report | Monthly report delivered late | Written warning |
"""


def test_a_table_row_is_a_rule_with_its_remedy_in_the_same_row():
    [rule] = failure_rules(doc_of(TABLE), METRICS)
    assert (rule.name, rule.kind, rule.count, rule.window_months, rule.scope) == (
        "Repeated Service Failure", "in_window", 5, 12, "any_metric")
    assert rule.right.holder == "Purchaser" and rule.right.notice_days == 60


NOFM = """9.4 Chronic Underperformance. If the Supplier fails the Claims Turnaround service level in 4 of the last 6 months, the Customer may require the Supplier to deliver a remediation plan within ten (10) Business Days.
"""


def test_n_of_the_last_m_months_for_a_named_metric_gives_a_remediation_plan():
    [rule] = failure_rules(doc_of(NOFM), METRICS)
    assert (rule.kind, rule.count, rule.window_months, rule.scope, rule.metric) == (
        "in_window", 4, 6, "named_metric", "Claims Turnaround")
    assert rule.right.kind == "remediation_plan" and rule.right.text.startswith("the Customer may require")


CALENDAR = """20.1 The Customer may terminate this Agreement by giving not less than thirty (30) days' written notice if the Provider commits a material breach.

22.3 Persistent Breach. The Provider commits a Persistent Breach if it fails to achieve one or more Service Levels in more than three months in any calendar year. A Persistent Breach is a material breach of this Agreement for the purposes of Clause 20.1.
"""


def test_more_than_n_in_a_calendar_year_and_a_right_reached_through_a_clause_reference():
    [rule] = failure_rules(doc_of(CALENDAR), METRICS)
    assert (rule.kind, rule.count, rule.window_months, rule.calendar_window) == ("in_window", 4, 12, True)
    assert rule.right.kind == "termination" and rule.right.clause_no == "20.1" and rule.right.notice_days == 30
    assert rule.right.material_breach


@pytest.mark.parametrize("text,expected", [
    ("If Provider fails to meet the Order Accuracy level for two successive Measurement Periods, Client may step in.",
     [("consecutive", 2, None, "named_metric", "Order Accuracy")]),
    ("Where Contractor misses Service Levels in three (3) consecutive months (whether or not the same Service Level), "
     "Authority may terminate.", [("consecutive", 3, None, "any_metric", "")]),
    ("A failure to meet any KPI in six or more months during any twelve (12) month period entitles Client to terminate.",
     [("in_window", 6, 12, "any_metric", "")]),
    ("In any rolling twelve month period, in four or more months the Supplier fails a Service Level: Chronic Failure.",
     [("in_window", 4, 12, "any_metric", "")]),
])
def test_more_wordings(text, expected):
    assert rules_of(text) == expected


@pytest.mark.parametrize("text", [
    "The Supplier shall report performance for the previous three consecutive months in each quarterly review.",
    "Fees for the first twelve (12) months are fixed; thereafter they may change by 3% in any twelve month period.",
    "If Supplier meets the missed Service Level in each of the three consecutive months after the miss, the credit is returned.",
])
def test_what_is_not_a_persistent_failure_rule(text):
    assert rules_of(text) == []


# -- earn-back --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,months,effect,scope,excludes", [
    ("8.4 Earn-Back. If Supplier meets the missed Service Level in each of the three (3) consecutive months immediately "
     "following the month of the miss, Customer shall return the Service Credit for that miss. Earn-back does not apply "
     "to any miss that forms part of a Chronic Failure.", 3, "returned", "same_metric", True),
    ("Any service credit paid by the Contractor is waived if the following two months are met.", 2, "waived", "same_metric", False),
    ("The Provider may earn back a Service Credit where all Service Levels are achieved in the next 6 Measurement Periods.",
     6, "returned", "all_metrics", False),
])
def test_earn_back_wordings(text, months, effect, scope, excludes):
    rule = earn_back_rule(doc_of(text), ["Chronic Failure"])
    assert (rule.months, rule.effect, rule.scope, rule.excludes_persistent) == (months, effect, scope, excludes)
    assert rule.citation.quote in text


def test_no_earn_back_is_said_plainly_and_credits_are_then_final():
    terms = persistence_terms([doc_of(PROSE)], METRICS)
    assert terms.earn_back is None and any("no earn-back clause" in n for n in terms.notes)


def test_the_rca_period_is_read_in_business_days_only():
    found = rca_rule(doc_of("7.2 Supplier shall deliver a root cause analysis within seven (7) Business Days of any missed "
                            "Service Level."))
    assert found is not None and found[0] == 7 and found[1].clause_no == "7.2"
    assert rca_rule(doc_of("A root cause analysis is due within 10 days of any missed Service Level.")) is None


# -- the sample's clause 5.4, read from the real index ---------------------------------------

def test_the_sample_msa_chronic_failure_clause_from_the_index(sample_service):
    terms = sample_service.contracts.persistence_terms("northbeam-lumen-sow-customer-care.docx", admin())
    assert terms.sources[0] == "contracts/northbeam-lumen-sow-customer-care.docx"
    assert "contracts/northbeam-lumen-msa.pdf" in terms.sources[1:]
    consecutive, window = terms.failure_rules
    assert (consecutive.kind, consecutive.count, consecutive.scope) == ("consecutive", 3, "same_metric")
    assert (window.kind, window.count, window.window_months, window.scope) == ("in_window", 5, 12, "any_metric")
    assert consecutive.name == "Chronic Failure" and consecutive.clause_no == "5.4"
    right = consecutive.right
    assert right.kind == "termination" and right.clause_no == "12.4" and right.notice_days == 0
    assert right.exercise_within == "within ninety (90) days after the Chronic Failure occurs"
    assert terms.earn_back.months == 3 and terms.earn_back.excludes_persistent and terms.earn_back.clause_no == "8.4"
