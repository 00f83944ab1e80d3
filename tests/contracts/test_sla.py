from __future__ import annotations

import pytest

from tests.conftest import admin
from tests.contracts.conftest import MSA, SOW, chunk_text

# metric: (target %, comparator, threshold, threshold seconds, credit %, fee basis, escalated %, points)
EXPECTED = {
    "Email Response Time": (95.0, ">=", "within 24 hours", 86400.0, 5.0, "monthly email fees", 10.0, 5.0),
    "Chat Speed of Answer": (90.0, ">=", "within 60 seconds", 60.0, 5.0, "monthly chat fees", 10.0, 5.0),
    "Phone Service Level": (80.0, ">=", "within 20 seconds", 20.0, 5.0, "monthly phone fees", 10.0, 5.0),
    "Phone Abandonment Rate": (5.0, "<=", "", None, 3.0, "monthly phone fees", None, None),
    "First Contact Resolution": (75.0, ">=", "within 7 calendar days", 604800.0, 5.0, "monthly email, chat and phone fees", None, None),
    "Quality Score": (90.0, ">=", "", None, 5.0, "monthly fees for all Services", 10.0, 5.0),
    "Refund Processing Time": (98.0, ">=", "within 2 Business Days", None, 5.0, "monthly back-office fees", 10.0, 5.0),
    "Chargeback Response Timeliness": (99.0, ">=", "within 7 calendar days", 604800.0, 5.0, "monthly back-office fees", None, None),
    "Customer Satisfaction (CSAT)": (85.0, ">=", "", None, None, None, None, None),
}


@pytest.fixture(scope="module")
def schedule(contracts):
    return contracts.sla_schedule(SOW, admin())


def test_sow_sla_table_is_read_exactly(schedule):
    assert schedule.contract_source == SOW
    assert [t.metric for t in schedule.terms] == list(EXPECTED)
    for t in schedule.terms:
        target, comparator, threshold, seconds, pct, basis, esc, points = EXPECTED[t.metric]
        assert (t.target_percent, t.comparator, t.threshold, t.threshold_seconds) == (target, comparator, threshold, seconds), t.metric
        assert t.measurement_window == "Calendar month"
        if pct is None:
            assert t.credit is None
        else:
            assert (t.credit.percent_of_fees, t.credit.fee_basis, t.credit.escalated_percent, t.credit.escalation_points) == (
                pct, basis, esc, points), t.metric
    email = schedule.terms[0]
    assert email.reporting == "Daily dashboard; monthly SLA report"
    assert email.definition.startswith("Percentage of customer emails that receive a substantive first response")


def test_credit_cap_and_earn_back(schedule):
    assert schedule.credit_cap_percent == 15.0
    assert schedule.earn_back_months == 3
    assert schedule.earn_back.startswith("If Supplier meets the missed Service Level in each of the three (3) consecutive months")
    assert "Earn-back does not apply" in schedule.earn_back
    assert schedule.credit_cap_citation.clause_no == "8.2" and schedule.earn_back_citation.clause_no == "8.4"


def test_every_citation_quotes_its_chunk_verbatim(schedule, contract_service):
    spans = [t.citation for t in schedule.terms] + [schedule.credit_cap_citation, schedule.earn_back_citation]
    for span in spans:
        assert span.source == SOW
        assert span.quote and span.quote in chunk_text(contract_service, span.chunk_id)
    assert schedule.terms[0].citation.quote.startswith("Email Response Time | ")


def test_an_msa_without_a_table_has_no_invented_terms(contracts):
    schedule = contracts.sla_schedule(MSA, admin())
    assert schedule.terms == [] and schedule.credit_cap_percent is None
