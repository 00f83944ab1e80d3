"""The scorecard as the contract page shows it: table rows and the inline SVG chart's geometry and words."""

from __future__ import annotations

from assistant.contracts.sla_models import SourceSpan
from assistant.drafting.scorecard_models import Scorecard, ScorecardMetric, ScorecardMonth
from assistant.surfaces.web.scorecard_view import charts, month_rows

CITE = SourceSpan(chunk_id="c1", source="contracts/x.md", quote="| Uptime | ≥ 99.5% |")


def _metric(name, actual, status, target=99.5, comparator=">=", credit=None):
    return ScorecardMetric(name=name, actual=actual, target=target, comparator=comparator, met=status == "met" if actual else None,
                           status=status, credit_pct=credit, fee_basis="monthly fees" if credit else "", citation=CITE)


def _card() -> Scorecard:
    months = [("2025-01", 99.9, "met"), ("2025-02", None, "no_data"), ("2025-03", 98.25, "missed")]
    return Scorecard(contract="contracts/x.md", period_from="2025-01", period_to="2025-03", months=[
        ScorecardMonth(month=m, metrics=[_metric("Uptime", v, s, credit=2.0 if s == "missed" else None),
                                         _metric("Backlog", None, "no_data", target=5.0, comparator="<=")])
        for m, v, s in months])


def test_rows_say_actual_target_result_and_credit_for_each_month_and_metric():
    rows = month_rows(_card())
    assert [r.month for r in rows] == ["2025-01", "2025-02", "2025-03"]
    jan, feb, mar = (r.cells[0] for r in rows)
    assert (jan.actual, jan.target, jan.status_label, jan.credit) == ("99.9%", "≥ 99.5%", "Met", "")
    assert (feb.actual, feb.status_label) == ("—", "No data")
    assert (mar.actual, mar.status_label, mar.credit) == ("98.25%", "Missed", "2% of monthly fees")
    assert rows[0].cells[1].target == "≤ 5%"


def test_one_chart_per_measured_metric_with_the_missed_month_and_the_gap_in_words_and_in_place():
    [chart] = charts(_card())  # Backlog was never measured: no chart of nothing
    assert chart.metric == "Uptime"
    assert chart.description == "Target ≥ 99.5%. 2025-01: 99.9% met; 2025-02: no data; 2025-03: 98.25% missed."
    first, last = chart.points
    assert (first.missed, last.missed) == (False, True) and first.x < chart.no_data[0] < last.x
    assert chart.plot_top <= first.y < chart.target_y < last.y <= chart.plot_bottom  # higher is better: up the page
    assert [m for _, m in chart.ticks_x] == ["2025-01", "2025-02", "2025-03"]
