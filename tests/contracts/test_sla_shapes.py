"""Service levels from contracts of many shapes: a Markdown table with its own column names, numbered
prose clauses, a Word table, a PDF with tiered credits in prose, order-form fields (the shared
Common Paper order form and CSA filled in at test time, and left blank), a schedule split across
clauses, field lists of lower-is-better metrics, and values that can't be read. Each document has
its expected schedule; the bundled sample SOW is checked in test_sla.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from assistant.contracts.sla import extract_sla_schedule
from tests.conftest import SHARED, needs_shared
from tests.contracts.conftest import doc_from_file
from tests.loaders.test_loader_pdf import make_pdf

# metric -> (comparator, target %, threshold seconds, credit %, fee basis or None, per failure)
Expected = dict[str, tuple]


def check(schedule, expected: Expected) -> None:
    got = {t.metric: t for t in schedule.terms}
    assert set(got) == set(expected), sorted(got)
    for metric, (comparator, target, seconds, credit, basis, per_failure) in expected.items():
        t = got[metric]
        assert (t.comparator, t.target_percent, t.threshold_seconds) == (comparator, target, seconds), metric
        if credit is None:
            assert t.credit is None or t.credit.tiers, metric
        else:
            assert (t.credit.percent_of_fees, t.credit.per_failure) == (credit, per_failure), metric
            if basis is not None:
                assert t.credit.fee_basis == basis, metric
        assert [u.field for u in t.unknown if u.field != "target"] == [], (metric, t.unknown)
        for span in [t.citation, t.credit.citation if t.credit else None, t.window_citation]:
            assert span is None or span.quote in schedule_quotes_source[0], metric


schedule_quotes_source: list[str] = [""]  # the loaded text of the document under test, for quote checks


def load(path: Path):
    doc, text = doc_from_file(path, doc_type="sow")
    schedule_quotes_source[0] = text
    return extract_sla_schedule(doc)


def test_markdown_table_with_its_own_column_names(tmp_path):
    path = tmp_path / "support-sow.md"
    path.write_text(
        "# Statement of Work 3\n\n## 6. Service Levels\n\n"
        "| KPI | Service Standard | Measurement Period | Fee Reduction |\n|---|---|---|---|\n"
        "| Average Speed of Answer | no more than 30 seconds | Monthly | 2% of monthly voice fees |\n"
        "| Ticket Accuracy | at least 98% of tickets coded correctly | Monthly | 3% of monthly back-office fees |\n"
        "| Abandonment Rate | 4% | Weekly | None |\n", encoding="utf-8")
    s = load(path)
    check(s, {"Average Speed of Answer": ("<=", None, 30.0, 2.0, "monthly voice fees", False),
              "Ticket Accuracy": (">=", 98.0, None, 3.0, "monthly back-office fees", False),
              "Abandonment Rate": ("<=", 4.0, None, None, None, False)})
    assert {t.measurement_window for t in s.terms} == {"Monthly", "Weekly"}


def test_numbered_prose_clauses_with_credits_in_their_own_clauses(tmp_path):
    path = tmp_path / "care-sow.md"
    path.write_text(
        "4. Service Levels\n\n4.1 Email Response Time. Supplier shall respond to 95% of customer emails within 24 hours "
        "in each calendar month.\n\n4.2 Chat Speed of Answer. Supplier shall answer 90% of chats within 60 seconds in each "
        "calendar month.\n\n4.3 If Supplier fails to meet the Email Response Time service level in any month, Supplier "
        "shall credit the Client 5% of the monthly service fees.\n\n4.4 If Supplier fails to meet the Chat Speed of "
        "Answer service level in any month, Supplier shall credit the Client 3% of the monthly chat fees.\n\n"
        "4.5 The total service credits in any month shall not exceed 12% of the monthly service fees.\n", encoding="utf-8")
    s = load(path)
    check(s, {"Email Response Time": (">=", 95.0, 86400.0, 5.0, "monthly service fees", False),
              "Chat Speed of Answer": (">=", 90.0, 60.0, 3.0, "monthly chat fees", False)})
    email = s.terms[0]
    assert email.citation.clause_no == "4.1" and email.credit.citation.clause_no == "4.3"
    assert email.measurement_window == "calendar month" and s.credit_cap_percent == 12.0


def test_word_table_with_a_per_failure_credit(tmp_path):
    d = docx.Document()
    d.add_heading("Schedule 2 - Service Levels", level=1)
    table = d.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Service Level", "Minimum Performance", "Window", "Credit"]):
        cell.text = text
    for row in [["System Availability", "99.5%", "Calendar month", "5% of the monthly charges"],
                ["P1 Incident Resolution Time", "4 hours", "Calendar month", "2% of the monthly charges for each failure"]]:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    path = tmp_path / "schedule2.docx"
    d.save(path)
    s = load(path)
    check(s, {"System Availability": (">=", 99.5, None, 5.0, "monthly charges", False),
              "P1 Incident Resolution Time": ("<=", None, 14400.0, 2.0, "monthly charges", True)})


def _pdf(path: Path, lines: list[str]) -> Path:
    path.write_bytes(make_pdf([lines], footer=False))
    return path


def test_pdf_availability_with_tiered_credits_in_prose(tmp_path):
    path = _pdf(tmp_path / "hosting.pdf", [
        "HOSTING SERVICE LEVEL ADDENDUM",
        "2. Availability. The Platform will be available 99.95% of the time in each calendar month.",
        "3. Service Credits. If Availability is below 99.95% but at or above 99.0%, Customer receives a",
        "credit of 10% of the monthly subscription fee. If Availability is below 99.0% but at least 95.0%,",
        "the credit is 25% of the monthly subscription fee. If Availability is below 95.0%, the credit is 50%.",
    ])
    s = load(path)
    (term,) = s.terms
    assert (term.metric, term.comparator, term.target_percent) == ("Availability", ">=", 99.95)
    assert [(t.at_least, t.below, t.percent_of_fees) for t in term.credit.tiers] == [
        (99.0, 99.95, 10.0), (95.0, 99.0, 25.0), (None, 95.0, 50.0)]


def _fill_common_paper(src: Path, dst: Path, uptime: str = "99.9", response: str = "4 hours", credit: str = "5") -> Path:
    """The Common Paper template with its SLA variables filled in, as a customer would."""
    d = docx.Document(src)

    def paragraphs(container):
        for p in container.paragraphs:
            yield p
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)

    tiers = iter([("99.0% to Target Uptime", "10%"), ("95.0% to 99.0%", "25%"), ("90.0% to 95.0%", "50%"),
                  ("under 90.0%", "100%")])
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                for nested in cell.tables:
                    if "Actual Uptime" not in nested.rows[0].cells[0].text:
                        continue
                    for nrow, (rng, pct) in zip(nested.rows[1:], tiers):
                        nrow.cells[0].text, nrow.cells[1].text = rng, pct
    for p in paragraphs(d):
        if "Target Uptime: [__]%" in p.text:
            p.text = p.text.replace("[__]%", f"{uptime}%")
        elif "Target Response Time: {" in p.text:
            p.text = p.text.split("Target Response Time:")[0] + f"Target Response Time: {response}"
        elif "Response Time Credit will be [__]%" in p.text:
            p.text = p.text.replace("[__]%", f"{credit}%")
    d.save(dst)
    return dst


UPTIME_TIERS = [(99.0, None, True, 10.0), (95.0, 99.0, False, 25.0), (90.0, 95.0, False, 50.0), (None, 90.0, False, 100.0)]


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("template", ["common-paper-order-form-with-sla.docx", "common-paper-csa-with-sla.docx"])
def test_common_paper_sla_fields_filled_in(tmp_path, template):
    path = _fill_common_paper(SHARED / "templates/common-paper/docx" / template, tmp_path / template)
    s = load(path)
    got = {t.metric: t for t in s.terms}
    uptime, response = got["Uptime"], got["Response Time"]
    assert (uptime.comparator, uptime.target_percent) == (">=", 99.9)
    assert [(t.at_least, t.below, t.below_target, t.percent_of_fees) for t in uptime.credit.tiers] == UPTIME_TIERS
    assert (response.comparator, response.target_percent, response.threshold_seconds) == ("<=", None, 14400.0)
    assert (response.credit.percent_of_fees, response.credit.per_failure) == (5.0, True)
    assert response.credit.fee_basis == "monthly Cloud Service Fee"
    assert not [u for t in (uptime, response) for u in t.unknown if u.field in ("target", "comparator")]


@needs_shared
@pytest.mark.shared
def test_common_paper_left_blank_is_unknown_not_guessed(tmp_path):
    path = tmp_path / "blank-order-form.docx"
    shutil.copy(SHARED / "templates/common-paper/docx/common-paper-order-form-with-sla.docx", path)
    s = load(path)
    got = {t.metric: t for t in s.terms}
    assert set(got) == {"Uptime", "Response Time"}
    for t in got.values():
        assert t.target_percent is None and t.threshold_seconds is None
        (blank,) = [u for u in t.unknown if u.field == "target"]
        assert "blank" in blank.reason and blank.citation.quote.startswith("Target")
    assert any(u.field == "credit" for u in got["Response Time"].unknown)


def test_schedule_split_across_clauses(tmp_path):
    path = tmp_path / "split.txt"
    path.write_text(
        "SCHEDULE C - SERVICE LEVELS\n\n1. Service Levels. Supplier shall meet the following Service Levels.\n\n"
        "Metric | Target\nFirst Contact Resolution | 75%\nTransaction Accuracy | 99%\nAverage Handle Time | 7 minutes\n\n"
        "2. Measurement. All Service Levels are measured over each calendar month from Customer's systems.\n\n"
        "3. Service Credits. If Supplier fails to meet the First Contact Resolution service level, Supplier shall credit "
        "Customer 4% of the monthly fees. If Supplier misses any other Service Level, Supplier shall credit Customer 2% "
        "of the monthly fees.\n\n4. Cap. The aggregate Service Credits in any month shall not exceed 10% of the monthly "
        "fees.\n\n5. Earn-back. If Supplier meets the missed Service Level in each of the following three (3) "
        "consecutive months, Customer shall return the Service Credit.\n", encoding="utf-8")
    s = load(path)
    check(s, {"First Contact Resolution": (">=", 75.0, None, 4.0, "monthly fees", False),
              "Transaction Accuracy": (">=", 99.0, None, 2.0, "monthly fees", False),
              "Average Handle Time": ("<=", None, 420.0, 2.0, "monthly fees", False)})
    assert {t.measurement_window for t in s.terms} == {"calendar month"}
    assert all(t.window_citation.clause_no == "2" for t in s.terms)
    assert s.terms[0].credit.citation.clause_no == "3"
    assert (s.credit_cap_percent, s.earn_back_months) == (10.0, 3)


def test_lower_is_better_metrics_from_their_meaning(tmp_path):
    path = tmp_path / "kpis.md"
    path.write_text(
        "## Key Performance Indicators\n\n- Abandonment Rate: 5% or less per month\n- Average Handle Time: 6 minutes\n"
        "- Error Rate: 0.5% per month\n- Customer Satisfaction: 85% per month\n- First Call Resolution: 70% per month\n"
        "- Uptime: 99.9% per month\n", encoding="utf-8")
    s = load(path)
    check(s, {"Abandonment Rate": ("<=", 5.0, None, None, None, False),
              "Average Handle Time": ("<=", None, 360.0, None, None, False),
              "Error Rate": ("<=", 0.5, None, None, None, False),
              "Customer Satisfaction": (">=", 85.0, None, None, None, False),
              "First Call Resolution": (">=", 70.0, None, None, None, False),
              "Uptime": (">=", 99.9, None, None, None, False)})


def test_values_that_cannot_be_read_are_unknown_with_their_clause(tmp_path):
    path = tmp_path / "draft-sla.md"
    path.write_text(
        "7. Service Levels\n\n| Metric | Target | Service Credit |\n|---|---|---|\n"
        "| Platform Uptime | TBD | 5% of monthly fees |\n| Response Time | 2 hours | as agreed in the governance forum |\n",
        encoding="utf-8")
    s = load(path)
    got = {t.metric: t for t in s.terms}
    uptime, response = got["Platform Uptime"], got["Response Time"]
    assert uptime.target_percent is None and [u.field for u in uptime.unknown] == ["target"]
    assert uptime.unknown[0].citation.quote.startswith("| Platform Uptime") or "Platform Uptime" in uptime.unknown[0].citation.quote
    assert (response.comparator, response.threshold_seconds, response.credit) == ("<=", 7200.0, None)
    assert [u.field for u in response.unknown] == ["credit"] and "governance forum" in response.unknown[0].reason


def test_a_metric_whose_direction_nothing_states_is_unknown(tmp_path):
    path = tmp_path / "odd.md"
    path.write_text("| Metric | Target |\n|---|---|\n| Widget Index | 42% |\n| Turnaround Time | 3 business days |\n",
                    encoding="utf-8")
    s = load(path)
    got = {t.metric: t for t in s.terms}
    assert [u.field for u in got["Widget Index"].unknown] == ["comparator"]
    assert got["Turnaround Time"].comparator == "<=" and got["Turnaround Time"].threshold == "3 business days"


def test_a_quality_plan_reads_its_acceptable_quality_level_and_form_fields_are_no_service_levels(tmp_path):
    path = tmp_path / "qasp.md"
    path.write_text(
        "## Performance Requirements\n\n| Deliverable | Performance Standard(s) | Acceptable Quality Level | Method |\n"
        "|---|---|---|---|\n| Tested Code | Code delivered under the order must have test coverage. | Minimum of 90% test "
        "coverage | Automated testing |\n\n## Security measures\n\n[ ] Ensuring data quality: {security_measures}\n",
        encoding="utf-8")
    s = load(path)
    assert [(t.metric, t.comparator, t.target_percent) for t in s.terms] == [("Tested Code", ">=", 90.0)]
    assert s.terms[0].definition.startswith("Code delivered under the order")
