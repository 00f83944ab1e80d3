"""Metrics history: files of several shapes over many months, kept per contract and month in a
real SQLite file; reloading is idempotent, corrections replace, bad rows are counted."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assistant.contracts.sla_models import SlaSchedule
from assistant.drafting.history import MetricsHistory
from assistant.drafting.metrics import MetricsError, MetricsText, parse_metrics
from assistant.drafting.sla_calc import calculate
from assistant.drafting.incident import SlaWindow
from tests.drafting.helpers import cite, term

CONTRACT = "contracts/harbor-sow.md"


def schedule() -> SlaSchedule:
    return SlaSchedule(contract_source=CONTRACT, terms=[
        term("Ticket Resolution", target=90.0, seconds=8 * 3600),
        term("Claims Accuracy", target=98.0, seconds=None),
        term("Abandon Rate", target=4.0, seconds=None, comparator="<="),
    ], credit_cap_percent=12.0, credit_cap_citation=cite("9.2", "cap"))


@pytest.fixture
def history(tmp_path):
    h = MetricsHistory(tmp_path / "home" / "history.sqlite")
    yield h
    h.close()


def tickets_text(months: dict[str, tuple[int, int]], ids: bool = True) -> str:
    """`months`: YYYY-MM -> (resolved within 8 h, resolved after 8 h)."""
    lines = ["ticket_id,opened,closed" if ids else "opened,closed"]
    n = 0
    for month, (fast, slow) in months.items():
        start = datetime(int(month[:4]), int(month[5:]), 2, tzinfo=timezone.utc)
        for i in range(fast + slow):
            n += 1
            created = start + timedelta(hours=3 * i)
            resolved = created + timedelta(hours=2 if i < fast else 20)
            lines.append((f"HR-{n}," if ids else "") + f"{created.isoformat()},{resolved.isoformat()}")
    return "\n".join(lines) + "\n"


def load(history, text: str, mapping: dict | None = None, metric: str | None = None):
    data = parse_metrics(MetricsText(text), mapping or {})
    return history.load(CONTRACT, data, schedule(), metric)


def results(history, month: str) -> dict[str, object]:
    data = history.data(CONTRACT, month, month)
    report = calculate(schedule(), data, SlaWindow(month=month), only_metrics=[t.metric for t in schedule().terms])
    return {r.metric: r for r in report.results}


def test_tickets_over_three_months_then_reloaded_change_nothing(history):
    text = tickets_text({"2025-03": (18, 2), "2025-04": (15, 5), "2025-05": (20, 0)})
    mapping = {"id": "ticket_id", "created_at": "opened", "resolved_at": "closed"}
    first = load(history, text, mapping, metric="Ticket Resolution")
    assert (first.rows_read, first.added, first.updated, first.unchanged) == (60, 60, 0, 0)
    assert first.months == ["2025-03", "2025-04", "2025-05"]
    again = load(history, text, mapping, metric="Ticket Resolution")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 60)
    assert history.months(CONTRACT) == ["2025-03", "2025-04", "2025-05"]
    april = results(history, "2025-04")["Ticket Resolution"]
    assert (april.numerator, april.denominator, april.status) == (15, 20, "missed")


def test_a_corrected_export_replaces_rows_by_id_and_a_new_month_adds(history):
    mapping = {"id": "ticket_id", "created_at": "opened", "resolved_at": "closed"}
    load(history, tickets_text({"2025-03": (18, 2)}), mapping, metric="Ticket Resolution")
    corrected = tickets_text({"2025-03": (20, 0)})  # the same ids, now all within 8 h
    summary = load(history, corrected, mapping, metric="Ticket Resolution")
    assert (summary.added, summary.updated, summary.unchanged) == (0, 2, 18)
    assert results(history, "2025-03")["Ticket Resolution"].status == "met"
    later = "\n".join(["ticket_id,opened,closed", "HR-900,2025-06-03T09:00:00Z,2025-06-03T10:00:00Z"]) + "\n"
    assert load(history, later, mapping, metric="Ticket Resolution").added == 1
    assert history.months(CONTRACT) == ["2025-03", "2025-06"]


def test_tickets_without_ids_are_kept_by_their_times_and_duplicates_stay_distinct(history):
    text = "created_at,resolved_at\n" + "2025-03-04T08:00:00Z,2025-03-04T09:00:00Z\n" * 2
    assert load(history, text, metric="Ticket Resolution").added == 2
    assert load(history, text, metric="Ticket Resolution").unchanged == 2


def test_monthly_aggregates_long_with_counts_and_values(history):
    text = ("month,metric,numerator,denominator\n2025-01,Claims Accuracy,980,1000\n2025-02,Claims Accuracy,960,1000\n"
            "Mar 2025,claims accuracy,990,1000\n")
    summary = load(history, text)
    assert summary.months == ["2025-01", "2025-02", "2025-03"] and summary.added == 3
    feb = results(history, "2025-02")["Claims Accuracy"]
    assert (feb.actual, feb.status, feb.basis) == (96.0, "missed", "monthly counts summed over 1 month row(s)")
    values = "Month;KPI;Value\n2025-01;Abandon Rate;3.5%\n2025-02;Abandon Rate;4.5%\n"
    loaded = load(history, values, {"metric": "KPI", "value": "Value", "month": "Month"})
    assert loaded.added == 2
    assert results(history, "2025-02")["Abandon Rate"].status == "missed"
    assert results(history, "2025-01")["Abandon Rate"].basis == "the month's reported value"


def test_monthly_aggregates_wide_with_a_not_reported_cell_and_a_bad_one(history):
    rows = [f"2024-{m:02d},{97 + m % 3},{3.1 + m / 10:.1f}" for m in range(1, 12)]
    text = "Period,Claims Accuracy,Abandon Rate\n" + "\n".join(rows) + "\n2024-12,n/a,4.2\n"
    summary = load(history, text, {"month": "Period"})
    assert summary.added == 23 and summary.bad_rows == []  # "n/a" is no figure, not a bad row
    assert results(history, "2024-12")["Claims Accuracy"].status == "no_data"
    one_bad = load(history, text.replace("2024-05,99,3.6", "2024-05,ninety,3.6"), {"month": "Period"})
    assert [(b.row, b.reason) for b in one_bad.bad_rows] == [(6, "Claims Accuracy: value 'ninety' is not a number")]
    many_bad = text.replace(",3.", ",x3.")
    with pytest.raises(MetricsError, match="can't be used"):  # past 5% bad the figures can't be trusted: nothing kept
        parse_metrics(MetricsText(many_bad), {"month": "Period"})


def test_bad_rows_are_counted_and_listed_and_the_rest_is_kept(history):
    good = tickets_text({"2025-03": (40, 0)}, ids=False).splitlines()
    text = "\n".join(good + ["2025-03-09T10:00:00Z,2025-03-08T10:00:00Z"]) + "\n"
    summary = load(history, text, {"created_at": "opened", "resolved_at": "closed"}, metric="Ticket Resolution")
    assert summary.added == 40 and [b.reason for b in summary.bad_rows] == ["resolved_at is before created_at"]
    assert summary.bad_rows[0].row == 42


def test_rows_naming_no_sla_term_are_counted_not_kept(history):
    text = "month,metric,value\n2025-01,Claims Accuracy,99\n2025-01,Coffee Quality,80\n2025-02,Coffee Quality,85\n"
    summary = load(history, text)
    assert summary.added == 1 and summary.unmatched == {"Coffee Quality": 2}


def test_a_month_column_holding_a_day_is_a_bad_row():
    data = parse_metrics(MetricsText("month,metric,value\n" + "2025-01,Claims Accuracy,99\n" * 30 + "2025-02-14,Claims Accuracy,98\n"))
    assert [b.reason for b in data.bad_rows] == ["month '2025-02-14' is a day, not a month"]


def test_contracts_keep_separate_histories(history):
    data = parse_metrics(MetricsText("month,metric,value\n2025-01,Claims Accuracy,99\n"))
    history.load(CONTRACT, data, schedule())
    other = schedule().model_copy(update={"contract_source": "contracts/other-sow.md"})
    history.load("contracts/other-sow.md", data, other)
    assert history.months(CONTRACT) == history.months("contracts/other-sow.md") == ["2025-01"]
    assert history.months("contracts/nobody.md") == []


def test_a_wide_xlsx_with_month_dates(tmp_path, history):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Month", "Claims Accuracy", "Abandon Rate"])
    for m in (1, 2, 3):
        book.active.append([datetime(2025, m, 1), 97.5 + m / 2, 3.0 + m])
    path = tmp_path / "kpis.xlsx"
    book.save(path)
    summary = history.load(CONTRACT, parse_metrics(path), schedule())
    assert summary.months == ["2025-01", "2025-02", "2025-03"] and summary.added == 6
    assert results(history, "2025-03")["Abandon Rate"].status == "missed"
