"""Persistent-failure and earn-back rules applied to monthly results: runs, rolling and calendar
periods, gaps without data, and the earned back / pending / final status of each credit."""

from __future__ import annotations

from assistant.contracts.persistence_models import EarnBackRule, FailureRule
from assistant.drafting.months import month_range, shift_month
from assistant.drafting.persistence_eval import evaluate_earn_back, evaluate_failures, grid_of
from assistant.drafting.scorecard_models import ScorecardMetric, ScorecardMonth
from tests.drafting.helpers import cite

METRICS = ["Resolution", "Accuracy"]


def months_of(pattern: dict[str, str], first: str = "2025-01") -> list[ScorecardMonth]:
    """`pattern`: metric -> one letter a month (m met, x missed, . no data)."""
    count = len(next(iter(pattern.values())))
    out = []
    for i, month in enumerate(month_range(first, shift_month(first, count - 1))):
        metrics = []
        for name, letters in pattern.items():
            status = {"m": "met", "x": "missed", ".": "no_data"}[letters[i]]
            metrics.append(ScorecardMetric(name=name, actual=None if status == "no_data" else 90.0, target=95.0,
                                           met={"met": True, "missed": False}.get(status), status=status,
                                           credit_pct=5.0 if status == "missed" else None, citation=cite("7.1")))
        out.append(ScorecardMonth(month=month, metrics=metrics))
    return out


def rule(kind: str, count: int, window: int | None = None, scope: str = "same_metric", calendar: bool = False,
         metric: str = "") -> FailureRule:
    return FailureRule(name="Chronic Failure", kind=kind, count=count, window_months=window, calendar_window=calendar,
                       scope=scope, metric=metric, condition="...", clause_no="5.4", citation=cite("5.4"))


def triggers(rules, pattern, first="2025-01"):
    months = months_of(pattern, first)
    names = [m.month for m in months]
    return [(f.metric, f.triggered_in, f.months) for f in evaluate_failures(rules, grid_of(months), names, METRICS)]


def test_three_consecutive_misses_of_the_same_metric_trigger_once_in_the_third_month():
    found = triggers([rule("consecutive", 3)], {"Resolution": "mxxxxm", "Accuracy": "xmxmxm"})
    assert found == [("Resolution", "2025-04", ["2025-02", "2025-03", "2025-04", "2025-05"])]


def test_a_month_without_data_breaks_a_run_and_misses_of_different_metrics_are_no_run():
    assert triggers([rule("consecutive", 3)], {"Resolution": "xx.xx", "Accuracy": "mmxmm"}) == []
    assert triggers([rule("consecutive", 3)], {"Resolution": "xmx", "Accuracy": "mxm"}) == []


def test_any_metric_runs_count_months_with_any_miss():
    found = triggers([rule("consecutive", 3, scope="any_metric")], {"Resolution": "xmx", "Accuracy": "mxm"})
    assert found == [("any Service Level", "2025-03", ["2025-01", "2025-02", "2025-03"])]


def test_a_count_in_a_rolling_twelve_across_a_year_end():
    pattern = {"Resolution": "xmmxmmmmxmmmxmmx", "Accuracy": "m" * 16}  # misses 2024-09, 2024-12, 2025-05, 2025-09, 2025-12
    # Never four misses in any twelve months: 2024-09 has left the window by the time 2025-09 is missed.
    assert triggers([rule("in_window", 4, 12, scope="any_metric")], pattern, first="2024-09") == []
    # Three: reached in 2025-05, and it keeps holding to the end, so one episode that grows.
    assert triggers([rule("in_window", 3, 12, scope="any_metric")], pattern, first="2024-09") == [
        ("any Service Level", "2025-05", ["2024-09", "2024-12", "2025-05", "2025-09", "2025-12"])]


def test_n_of_the_last_m_for_a_named_metric():
    found = triggers([rule("in_window", 3, 4, scope="named_metric", metric="Accuracy")],
                     {"Resolution": "xxxxxx", "Accuracy": "xmxmxm"})
    assert found == []  # never three of any four months; Resolution's misses are not this rule's
    found = triggers([rule("in_window", 3, 4, scope="named_metric", metric="Accuracy")],
                     {"Resolution": "xxxxxx", "Accuracy": "xmxxmm"})
    assert found == [("Accuracy", "2025-04", ["2025-01", "2025-03", "2025-04"])]


def test_calendar_year_windows_reset_in_january():
    pattern = {"Resolution": "mmmmmmmmmxxx" + "xmmmmm", "Accuracy": "m" * 18}
    assert triggers([rule("in_window", 4, 12, scope="any_metric", calendar=True)], pattern) == []
    rolling = triggers([rule("in_window", 4, 12, scope="any_metric")], pattern)
    assert [t for _, t, _ in rolling] == ["2026-01"]


def earn(pattern, rule_=None, failures=None, last=None):
    months = months_of(pattern)
    grid = grid_of(months)
    return [(e.metric, e.month, e.status) for e in
            evaluate_earn_back(rule_, months, grid, last or months[-1].month, failures or [])]


EARN = EarnBackRule(months=3, condition="...", citation=cite("8.4"))


def test_earned_back_pending_and_final():
    found = earn({"Resolution": "xmmmxmx", "Accuracy": "mmmmm.m"}, EARN)
    assert found == [("Resolution", "2025-01", "earned_back"), ("Resolution", "2025-05", "final"),
                     ("Resolution", "2025-07", "pending")]


def test_a_following_month_without_data_leaves_the_credit_pending():
    assert earn({"Resolution": "mmmm", "Accuracy": "xm.m"}, EARN) == [("Accuracy", "2025-01", "pending")]


def test_all_metrics_scope_needs_every_metric_met():
    rule_ = EARN.model_copy(update={"scope": "all_metrics"})
    assert earn({"Resolution": "xmmm", "Accuracy": "mmxm"}, rule_) == [("Resolution", "2025-01", "final"),
                                                                     ("Accuracy", "2025-03", "pending")]


def test_without_a_rule_credits_are_final_and_a_persistent_failure_can_exclude_them():
    assert earn({"Resolution": "xmmm", "Accuracy": "mmmm"}) == [("Resolution", "2025-01", "final")]
    months = months_of({"Resolution": "xxxmmm", "Accuracy": "mmmmmm"})
    failures = evaluate_failures([rule("consecutive", 3)], grid_of(months), [m.month for m in months], METRICS)
    excluding = EARN.model_copy(update={"excludes_persistent": True})
    items = evaluate_earn_back(excluding, months, grid_of(months), "2025-06", failures)
    assert [(e.month, e.status) for e in items] == [("2025-01", "final"), ("2025-02", "final"), ("2025-03", "final")]
    assert "part of a Chronic Failure" in items[0].reason
    items = evaluate_earn_back(EARN, months, grid_of(months), "2025-06", failures)
    assert [(e.month, e.status) for e in items] == [("2025-01", "final"), ("2025-02", "final"), ("2025-03", "earned_back")]
