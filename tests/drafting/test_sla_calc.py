from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from assistant.drafting.incident import SlaWindow
from assistant.drafting.metrics import MetricsError, parse_mapping, parse_metrics
from assistant.drafting.sla_calc import calculate, match_term, pct_text, points_text
from assistant.errors import InvalidInput
from tests.drafting import helpers
from tests.drafting.helpers import schedule, term, tickets_csv

OCTOBER = SlaWindow(month="2025-10")


def only(report):
    assert len(report.results) == 1, report.results
    return report.results[0]


def test_960_of_1000_against_95_is_met_at_exactly_96_percent(tmp_path):
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 960, 40))
    r = only(calculate(schedule(term(target=95.0)), data, OCTOBER))
    assert (r.numerator, r.denominator, r.actual, r.met, r.status) == (960, 1000, 96.0, True, "met")
    assert r.credit is None and r.citation.clause_no == "7.1"


def test_960_of_1000_against_97_is_missed_by_one_point_with_the_base_credit(tmp_path):
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 960, 40))
    r = only(calculate(schedule(term(target=97.0)), data, OCTOBER))
    assert (r.met, r.status, r.miss_points) == (False, "missed", 1.0)
    assert r.credit.percent_of_fees == 5.0 and not r.credit.escalated
    assert r.credit.citation.clause_no == "7.1"
    assert points_text(r.miss_points) == "1.00 percentage points"


def test_exactly_on_target_is_met(tmp_path):
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 950, 50))
    r = only(calculate(schedule(term(target=95.0)), data, OCTOBER))
    assert r.actual == 95.0 and r.met is True


def test_exactly_on_a_fractional_target_is_met_with_exact_arithmetic(tmp_path):
    # 0.1-style floats would make 97.5 vs 975/1000 fragile; Fractions make it exact.
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 975, 25))
    r = only(calculate(schedule(term(target=97.5)), data, OCTOBER))
    assert r.met is True


def test_a_tiny_miss_is_a_miss_and_is_not_shown_as_zero_points(tmp_path):
    data = parse_metrics("date,metric,numerator,denominator\n2025-10-01,Email Response Time,2,3\n")
    r = only(calculate(schedule(term(target=66.67)), data, OCTOBER))
    assert r.status == "missed" and r.actual == 66.67
    assert points_text(r.miss_points) == "less than 0.01 percentage points"


def test_empty_window_is_no_data_not_zero(tmp_path):
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 10, 0, start=datetime(2025, 9, 2, tzinfo=timezone.utc)))
    r = only(calculate(schedule(term()), data, OCTOBER))
    assert (r.actual, r.met, r.status) == (None, None, "no_data")
    assert pct_text(r.actual) == "no data"


def test_header_only_file_is_no_data():
    data = parse_metrics("created_at,resolved_at\n")
    report = calculate(schedule(term()), data, OCTOBER)
    assert only(report).status == "no_data" and report.rows_total == 0


def test_missing_columns_are_named():
    with pytest.raises(MetricsError) as err:
        parse_metrics("opened,closed\n2025-10-01T00:00:00Z,2025-10-01T01:00:00Z\n")
    assert "created_at" in err.value.message and "resolved_at" in err.value.message and "opened" in err.value.message
    # How to map other names, for every surface that can (not only the CLI's flag).
    assert "--map" in err.value.message and '"columns"' in err.value.message


def test_one_missing_ticket_column_is_named():
    with pytest.raises(MetricsError, match="missing column\\(s\\): resolved_at"):
        parse_metrics("created_at,owner\n2025-10-01T00:00:00Z,x\n")


def test_kpi_file_missing_denominator_is_named():
    with pytest.raises(MetricsError, match="denominator"):
        parse_metrics("date,metric,numerator\n2025-10-01,FCR,5\n")


def test_column_mapping_reads_other_layouts():
    text = "Ticket,Opened,Closed\n1,2025-10-02T00:00:00Z,2025-10-02T05:00:00Z\n2,2025-10-03T00:00:00Z,2025-10-05T00:00:00Z\n"
    data = parse_metrics(text, parse_mapping("created_at=Opened,resolved_at=Closed"))
    r = only(calculate(schedule(term()), data, OCTOBER))
    assert (r.numerator, r.denominator) == (1, 2)


def test_mapping_to_a_column_that_is_not_there_is_an_error():
    with pytest.raises(MetricsError, match="'Opened'"):
        parse_metrics("a,b\n1,2\n", {"created_at": "Opened", "resolved_at": "b"})


def test_unknown_mapping_name_is_an_error():
    with pytest.raises(InvalidInput, match="unknown name"):
        parse_mapping("opened_at=Opened")


def test_timestamps_across_time_zones_are_counted_in_utc_window():
    rows = [
        # 2025-10-01T03:00+05:30 is 2025-09-30T21:30Z: before the October window.
        ("2025-10-01T03:00:00+05:30", "2025-10-01T04:00:00+05:30"),
        # 2025-09-30T17:30-08:00 is 2025-10-01T01:30Z: inside, resolved 25 h later (a miss).
        ("2025-09-30T17:30:00-08:00", "2025-10-01T18:30:00-08:00"),
        # 2025-10-31T17:00-08:00 is 2025-11-01T01:00Z: after the window.
        ("2025-10-31T17:00:00-08:00", "2025-10-31T18:00:00-08:00"),
        # 2025-11-01T05:00+05:30 is 2025-10-31T23:30Z: inside, resolved in 23 h (met, across zones).
        ("2025-11-01T05:00:00+05:30", "2025-11-01T14:30:00-08:00"),
    ]
    text = "created_at,resolved_at\n" + "".join(f"{a},{b}\n" for a, b in rows)
    r = only(calculate(schedule(term()), parse_metrics(text), OCTOBER))
    assert (r.numerator, r.denominator) == (1, 2)


def test_window_can_be_set_in_another_time_zone():
    text = "created_at,resolved_at\n2025-10-01T03:00:00Z,2025-10-01T04:00:00Z\n"  # 2025-09-30 20:00 in Los Angeles
    la = calculate(schedule(term()), parse_metrics(text), SlaWindow(month="2025-10", timezone="America/Los_Angeles"))
    assert only(la).status == "no_data"
    assert la.window_start == datetime(2025, 10, 1, 7, tzinfo=timezone.utc)


def test_naive_timestamps_are_read_as_utc_and_noted():
    text = "created_at,resolved_at\n2025-10-02 08:00:00,2025-10-02 09:00:00\n"
    report = calculate(schedule(term()), parse_metrics(text), OCTOBER)
    assert only(report).met is True
    assert any("without a time zone were read as UTC" in n for n in report.notes)


def test_a_few_bad_rows_are_skipped_and_listed_with_row_numbers(tmp_path):
    path = tickets_csv(tmp_path / "t.csv", 99, 0)
    lines = path.read_text().splitlines()
    lines[5] = "yesterday,2025-10-02T00:00:00Z"  # spreadsheet row 6
    path.write_text("\n".join(lines) + "\n")
    report = calculate(schedule(term()), parse_metrics(path), OCTOBER)
    assert [(b.row, "not an ISO 8601 time" in b.reason) for b in report.skipped_rows] == [(6, True)]
    assert only(report).denominator == 98 and report.rows_total == 99


def test_resolved_before_created_is_a_bad_row():
    text = "created_at,resolved_at\n" + "2025-10-02T00:00:00Z,2025-10-02T01:00:00Z\n" * 30 + "2025-10-03T05:00:00Z,2025-10-03T04:00:00Z\n"
    data = parse_metrics(text)
    assert [(b.row, b.reason) for b in data.bad_rows] == [(32, "resolved_at is before created_at")]


def test_garbage_rows_above_the_threshold_give_an_error_listing_them():
    text = "created_at,resolved_at\n" + "2025-10-02T00:00:00Z,2025-10-02T01:00:00Z\n" * 8 + "n/a,n/a\n??,\n"
    with pytest.raises(MetricsError) as err:
        parse_metrics(text)
    message = err.value.message
    assert "2 of 10 rows" in message and "row 10:" in message and "row 11:" in message
    assert [b.row for b in err.value.bad_rows] == [10, 11]


def test_missed_by_more_than_five_points_takes_the_escalated_credit(tmp_path):
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 880, 120))  # 88% vs 95%: the SOW's own example
    r = only(calculate(schedule(term()), data, OCTOBER))
    assert (r.miss_points, r.credit.percent_of_fees, r.credit.escalated) == (7.0, 10.0, True)


def test_missed_by_exactly_five_points_keeps_the_base_credit(tmp_path):
    data = parse_metrics(tickets_csv(tmp_path / "t.csv", 900, 100))
    r = only(calculate(schedule(term()), data, OCTOBER))
    assert (r.miss_points, r.credit.percent_of_fees, r.credit.escalated) == (5.0, 5.0, False)


def kpi_misses() -> str:
    return ("date,metric,numerator,denominator\n"
            "2025-10-01,Email Response Time,80,100\n"
            "2025-10-01,Quality Score,80,100\n"
            "2025-10-01,FCR,60,100\n")


def three_terms(basis: str = "monthly fees for all Services"):
    return schedule(term("Email Response Time", basis=basis), term("Quality Score", 90.0, None, basis=basis),
                    term("First Contact Resolution", 75.0, None, basis=basis))


def test_cap_applies_across_metrics_on_the_same_fee_basis():
    report = calculate(three_terms(), parse_metrics(kpi_misses()), OCTOBER)
    assert [r.credit.percent_of_fees for r in report.results] == [10.0, 10.0, 10.0]
    assert report.cap.credits_percent_sum == 30.0 and report.cap.applies is True
    assert report.cap.citation.clause_no == "8.2"


def test_cap_with_fees_gives_exact_amounts():
    fees = {"email": Decimal("120000"), "total": Decimal("318000")}
    sched = schedule(term("Email Response Time"), term("Quality Score", 90.0, None, basis="monthly fees for all Services"),
                     term("First Contact Resolution", 75.0, None, basis="monthly fees for all Services"))
    report = calculate(sched, parse_metrics(kpi_misses()), OCTOBER, fees=fees)
    amounts = [r.credit.amount for r in report.results]
    assert amounts == [12000.0, 31800.0, 31800.0]
    assert report.cap.applies is True and report.cap.credits_amount == 75600.0
    assert report.cap.payable_amount == 47700.0  # 15% of 318,000


def test_cap_on_different_fee_bases_without_fees_is_undecided():
    sched = schedule(term("Email Response Time"), term("Quality Score", 90.0, None, basis="monthly chat fees"),
                     term("First Contact Resolution", 75.0, None, basis="monthly phone fees"))
    cap = calculate(sched, parse_metrics(kpi_misses()), OCTOBER).cap
    assert cap.applies is None and "fees per service line" in cap.explanation


def test_credits_within_the_cap():
    text = "date,metric,numerator,denominator\n2025-10-01,Email Response Time,93,100\n"
    cap = calculate(three_terms("monthly email fees"), parse_metrics(text), OCTOBER).cap
    assert cap.applies is False and cap.credits_percent_sum == 5.0


def test_daily_kpi_counts_are_summed_and_rows_outside_the_window_ignored():
    text = ("date,metric,numerator,denominator\n2025-10-01,Email Response Time,480,500\n"
            "2025-10-31,email response time,480,500\n2025-11-01,Email Response Time,0,500\n")
    r = only(calculate(schedule(term()), parse_metrics(text), OCTOBER))
    assert (r.numerator, r.denominator, r.actual) == (960, 1000, 96.0)


def test_daily_kpi_values_are_averaged_and_unknown_metrics_noted():
    text = "date,metric,value\n2025-10-01,Quality Score,91%\n2025-10-02,Quality Score,88\n2025-10-02,Mystery,5\n"
    report = calculate(schedule(term("Quality Score", 90.0, None)), parse_metrics(text), OCTOBER)
    r = only(report)
    assert r.actual == 89.5 and r.status == "missed" and "mean" in r.basis
    assert any("'Mystery'" in n for n in report.notes)


def test_lower_is_better_metrics_compare_the_other_way():
    text = "date,metric,numerator,denominator\n2025-10-01,Phone Abandonment Rate,55,1000\n"
    r = only(calculate(schedule(term("Phone Abandonment Rate", 5.0, None, escalated=None, points=None, comparator="<=")),
                       parse_metrics(text), OCTOBER))
    assert (r.actual, r.status, r.miss_points) == (5.5, "missed", 0.5)


def test_open_tickets_past_the_threshold_count_as_missed():
    text = ("created_at,resolved_at\n2025-10-01T00:00:00Z,2025-10-01T01:00:00Z\n2025-10-02T00:00:00Z,\n"
            "2025-10-09T23:00:00Z,\n2025-10-10T00:00:00Z,2025-10-10T01:00:00Z\n")
    r = only(calculate(schedule(term()), parse_metrics(text), OCTOBER))
    assert (r.numerator, r.denominator) == (2, 3)
    assert any("1 open ticket" in n for n in r.notes)


def test_without_a_window_each_month_in_the_data_gets_its_own_result():
    text = "created_at,resolved_at\n2025-09-30T23:00:00Z,2025-10-01T01:00:00Z\n" + "2025-10-05T00:00:00Z,2025-10-05T01:00:00Z\n" * 3
    report = calculate(schedule(term()), parse_metrics(text))
    assert report.window_inferred and report.periods == ["2025-09", "2025-10"]
    assert [(r.period, r.window_label, r.denominator) for r in report.results] == [
        ("2025-09", "September 2025", 1), ("2025-10", "October 2025", 3)]
    assert (report.rows_total, report.rows_used, report.rows_outside_window) == (4, 4, 0)


def test_three_months_give_three_results_and_a_month_asked_for_counts_the_rows_outside(tmp_path):
    lines = ["date,metric,numerator,denominator"]
    for month, met in (("08", 960), ("09", 900), ("10", 950)):
        lines += [f"2025-{month}-{day:02d},Email Response Time,{met // 10},100" for day in range(1, 11)]
    data = parse_metrics("\n".join(lines) + "\n")
    report = calculate(schedule(term()), data)
    assert [(r.period, r.actual, r.status) for r in report.results] == [
        ("2025-08", 96.0, "met"), ("2025-09", 90.0, "missed"), ("2025-10", 95.0, "met")]
    assert len(report.caps) == 3 and report.cap is None and report.rows_used == 30
    assert any("spans 3 months" in n for n in report.notes)
    october = calculate(schedule(term()), data, OCTOBER)
    assert [r.period for r in october.results] == ["2025-10"] and october.rows_outside_window == 20
    assert any("20 row(s) fall outside October 2025" in n for n in october.notes)


def test_a_month_without_rows_is_no_data_never_met():
    data = parse_metrics("date,metric,numerator,denominator\n2025-10-01,Email Response Time,99,100\n")
    r = only(calculate(schedule(term()), data, SlaWindow(month="2025-11")))
    assert (r.status, r.met, r.actual, r.credit) == ("no_data", None, None, None)


def test_xlsx_with_datetime_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Opened", "Closed"])
    sheet.append([datetime(2025, 10, 2, 8, 0), datetime(2025, 10, 2, 9, 0)])
    sheet.append([datetime(2025, 10, 3, 8, 0), datetime(2025, 10, 5, 9, 0)])
    path = tmp_path / "tickets.xlsx"
    book.save(path)
    data = parse_metrics(path, {"created_at": "Opened", "resolved_at": "Closed"})
    assert only(calculate(schedule(term()), data, OCTOBER)).actual == 50.0


def test_tickets_file_measures_the_named_metric_or_refuses_to_guess():
    text = "created_at,resolved_at\n2025-10-02T00:00:00Z,2025-10-02T00:00:30Z\n"
    sched = schedule(term("Chat Speed of Answer", 90.0, 60), term("Phone Service Level", 80.0, 20))
    with pytest.raises(InvalidInput, match="--metric"):
        calculate(sched, parse_metrics(text), OCTOBER)
    assert only(calculate(sched, parse_metrics(text), OCTOBER, ticket_metric="chat speed of answer")).met is True


def test_metric_names_match_by_acronym_and_words():
    terms = [term("First Contact Resolution"), term("Customer Satisfaction (CSAT)"), term("Email Response Time")]
    assert match_term("FCR", terms).metric == "First Contact Resolution"
    assert match_term("csat", terms).metric == "Customer Satisfaction (CSAT)"
    assert match_term("email_response", terms).metric == "Email Response Time"
    assert match_term("chat", terms) is None


def test_report_json_has_the_documented_shape(tmp_path):
    report = calculate(schedule(term(target=97.0)), parse_metrics(tickets_csv(tmp_path / "t.csv", 960, 40)), OCTOBER)
    body = json.loads(report.model_dump_json())
    assert body["units"] == "percent"
    first = body["results"][0]
    assert {"metric", "target", "actual", "met", "credit", "citation"} <= set(first)
    assert (first["target"], first["actual"], first["met"]) == (97.0, 96.0, False)
    assert first["credit"]["percent_of_fees"] == 5.0 and first["citation"]["quote"]


def test_uptime_below_target_is_missed_and_takes_the_credit_of_its_tier():
    from assistant.contracts.sla_models import CreditTier, ServiceCredit

    uptime = term("Uptime", 99.9, None, escalated=None, points=None)
    uptime.credit = ServiceCredit(fee_basis="monthly Cloud Service Fee", citation=helpers.cite("SLA", "tier table"), tiers=[
        CreditTier(at_least=99.0, below_target=True, percent_of_fees=10.0), CreditTier(at_least=95.0, below=99.0, percent_of_fees=25.0),
        CreditTier(below=95.0, percent_of_fees=50.0)])
    data = parse_metrics("date,metric,numerator,denominator\n2025-10-01,Uptime,985,1000\n")
    r = only(calculate(schedule(uptime), data, OCTOBER))
    assert (r.actual, r.status, r.credit.percent_of_fees) == (98.5, "missed", 25.0)
    assert r.credit.citation.quote == "tier table" and "25% of monthly Cloud Service Fee at 95% to below 99%" in r.credit.rule
    r = only(calculate(schedule(uptime), parse_metrics("date,metric,numerator,denominator\n2025-10-01,Uptime,995,1000\n"), OCTOBER))
    assert (r.status, r.credit.percent_of_fees) == ("missed", 10.0)


def test_a_per_failure_credit_counts_each_missed_item(tmp_path):
    t = term(target=95.0, escalated=None, points=None)
    t.credit.per_failure = True
    r = only(calculate(schedule(t), parse_metrics(tickets_csv(tmp_path / "t.csv", 90, 10)), OCTOBER))
    assert (r.status, r.credit.percent_of_fees) == ("missed", 50.0) and "for each failure" in r.credit.rule


def test_a_target_whose_direction_is_unknown_is_not_judged():
    from assistant.contracts.sla_models import UnknownValue

    t = term("Widget Index", 42.0, None, escalated=None, points=None)
    t.unknown.append(UnknownValue(field="comparator", reason="nothing says which way"))
    r = only(calculate(schedule(t), parse_metrics("date,metric,numerator,denominator\n2025-10-01,Widget Index,1,10\n"), OCTOBER))
    assert (r.status, r.met, r.credit) == ("no_target", None, None)


def test_fee_bases_match_whatever_service_lines_the_fees_name():
    from assistant.drafting.sla_calc import basis_amount

    fees = {"voice": Decimal("50000"), "Ticket Handling": Decimal("20000"), "back-office": Decimal("7000"), "total": Decimal("90000")}
    assert basis_amount("monthly voice and ticket handling fees", fees) == Decimal("70000")
    assert basis_amount("monthly back-office fees", fees) == Decimal("7000")
    assert basis_amount("monthly service fees", fees) == Decimal("90000")
    assert basis_amount("monthly chat fees", fees) is None  # a line whose fees were not given: unknown, not guessed


def test_a_time_target_without_a_share_binds_every_ticket_and_credits_each_failure(tmp_path):
    response = term("Response Time", 95.0, 86400, escalated=None, points=None, comparator="<=")
    response = response.model_copy(update={"target_percent": None, "threshold": "24 hours"})
    response.credit.per_failure, response.credit.percent_of_fees = True, 5.0
    r = only(calculate(schedule(response), parse_metrics(tickets_csv(tmp_path / "t.csv", 98, 2)), OCTOBER))
    assert (r.target, r.comparator, r.actual, r.status) == (100.0, ">=", 98.0, "missed")
    assert r.credit.percent_of_fees == 10.0 and any("every item" in n for n in r.notes)
