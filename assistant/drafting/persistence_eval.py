"""Persistent-failure and earn-back rules applied to a contract's monthly results.

The grid is month -> metric -> status ("met", "missed", "no_data", "no_target"). A month with no
data for a metric is not a miss: it breaks a run of consecutive misses and leaves an earn-back
pending, because nothing can be said about it.
"""

from __future__ import annotations

from assistant.contracts.persistence_models import EarnBackRule, FailureRule
from assistant.drafting.months import shift_month
from assistant.drafting.scorecard_models import EarnBackItem, PersistentFailure, ScorecardMonth

Grid = dict[str, dict[str, str]]


def grid_of(months: list[ScorecardMonth]) -> Grid:
    return {m.month: {x.name: x.status for x in m.metrics} for m in months}


def _missed_months(grid: Grid, months: list[str], metric: str | None) -> list[str]:
    """Months with a miss of `metric` (None: of any metric)."""
    return [m for m in months if (grid.get(m, {}).get(metric) == "missed" if metric else
                                  "missed" in grid.get(m, {}).values())]


def evaluate_failures(rules: list[FailureRule], grid: Grid, months: list[str], metrics: list[str]) -> list[PersistentFailure]:
    """Each time a rule's count is reached, with the months that make it up, in month order."""
    found: list[PersistentFailure] = []
    for rule in rules:
        subjects: list[str | None] = (metrics if rule.scope == "same_metric" else
                                      [rule.metric] if rule.scope == "named_metric" and rule.metric else [None])
        for metric in subjects:
            missed = _missed_months(grid, months, metric)
            episodes = _runs(missed, rule.count) if rule.kind == "consecutive" else _windows(missed, months, rule)
            for trigger, involved in episodes:
                found.append(PersistentFailure(
                    metric=metric or "any Service Level", months=involved, triggered_in=trigger, rule=rule.name,
                    condition=rule.condition, clause_no=rule.clause_no, right=rule.right.text if rule.right else "",
                    right_detail=rule.right, citation=rule.citation))
    return sorted(found, key=lambda f: (f.triggered_in, f.metric))


def _runs(missed: list[str], count: int) -> list[tuple[str, list[str]]]:
    """Runs of calendar-consecutive missed months at least `count` long: (trigger month, the run)."""
    runs: list[list[str]] = []
    for m in missed:
        if runs and shift_month(runs[-1][-1], 1) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return [(run[count - 1], run) for run in runs if len(run) >= count]


def _windows(missed: list[str], months: list[str], rule: FailureRule) -> list[tuple[str, list[str]]]:
    """Months where `count` misses fall in the period ending there (rolling) or in its calendar
    year/quarter; one episode while the condition keeps holding."""
    size = rule.window_months or 12
    episodes: list[tuple[str, list[str]]] = []
    active = False
    for month in months:
        if rule.calendar_window:
            year, mon = int(month[:4]), int(month[5:7])
            start_mon = 1 if size == 12 else (mon - 1) // 3 * 3 + 1
            first = f"{year:04d}-{start_mon:02d}"
        else:
            first = shift_month(month, 1 - size)
        inside = [m for m in missed if first <= m <= month]
        holds = len(inside) >= rule.count  # the count only grows at a missed month: the first such month triggers
        if holds and not active:
            episodes.append((month, inside))
        elif holds:
            episodes[-1][1][:] = sorted(set(episodes[-1][1]) | set(inside))
        active = holds
    return episodes


def evaluate_earn_back(rule: EarnBackRule | None, months: list[ScorecardMonth], grid: Grid, last: str,
                       failures: list[PersistentFailure]) -> list[EarnBackItem]:
    """For each credit owed: earned back, pending (months still to come or without data) or final."""
    items: list[EarnBackItem] = []
    for month in months:
        for x in month.metrics:
            if x.status != "missed" or not (x.credit_pct or x.credit_amount):
                continue
            item = EarnBackItem(metric=x.name, month=month.month, credit_pct=x.credit_pct, credit_amount=x.credit_amount,
                                currency=x.currency, status="final", reason="", citation=rule.citation if rule else None)
            items.append(item)
            if rule is None:
                item.reason = "the contract has no earn-back clause: the credit is final"
                continue
            part_of = [f for f in failures if month.month in f.months and f.metric in (x.name, "any Service Level")]
            if rule.excludes_persistent and part_of:
                item.reason = (f"part of a {part_of[0].rule} ({', '.join(part_of[0].months)}): the contract excludes it from "
                               "earn-back")
                continue
            _judge(item, rule, grid, month.month, last)
    return items


def _judge(item: EarnBackItem, rule: EarnBackRule, grid: Grid, month: str, last: str) -> None:
    following = [shift_month(month, i) for i in range(1, rule.months + 1)]
    item.months = following
    waiting: list[str] = []
    for f in following:
        statuses = grid.get(f, {})
        status = statuses.get(item.metric) if rule.scope == "same_metric" else (
            "missed" if "missed" in statuses.values() else "met" if statuses and "met" in statuses.values() else None)
        if f > last:
            waiting.append(f)
        elif status == "missed":
            who = item.metric if rule.scope == "same_metric" else "a Service Level"
            item.status, item.reason = "final", f"{who} missed again in {f}"
            return
        elif status != "met":
            waiting.append(f)
    if waiting:
        item.status = "pending"
        later = [f for f in waiting if f > last]
        unknown = [f for f in waiting if f <= last]
        parts = ([f"{len(later)} of {rule.months} month(s) still to come ({', '.join(later)})"] if later else []) + \
                ([f"no data for {', '.join(unknown)}"] if unknown else [])
        item.reason = "; ".join(parts)
        return
    item.status = "earned_back"
    item.reason = f"met in {', '.join(following)}: the credit is {rule.effect}"
