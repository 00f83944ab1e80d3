"""The vendor scorecard: per month and metric, adherence and credits from the contract's history,
then the persistent failures and earn-back the contract's own clauses give, the RCAs due and an
escalation offered for each persistent failure."""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.contracts.persistence_models import PersistenceTerms
from assistant.contracts.sla_models import SlaSchedule
from assistant.drafting.context import add_business_days
from assistant.drafting.history import HistoryLoad, MetricsHistory
from assistant.drafting.incident import SlaWindow
from assistant.drafting.metrics import MetricsData
from assistant.drafting.months import month_range, shift_month
from assistant.drafting.persistence_eval import evaluate_earn_back, evaluate_failures, grid_of
from assistant.drafting.scorecard_models import (
    EscalationOffer, PersistentFailure, RcaDue, Scorecard, ScorecardMetric, ScorecardMonth,
)
from assistant.drafting.sla_calc import SlaResult, calculate
from assistant.errors import InvalidInput

MAX_MONTHS = 60  # a five-year scorecard is the most anyone reviews; bounds the work a request can ask for
LOOKBACK = 24  # months before `from` read for rolling-period rules ("five of any twelve")


def build_scorecard(schedule: SlaSchedule, terms: PersistenceTerms, history: MetricsHistory, *, first: str | None = None,
                    last: str | None = None, tz: str = "UTC", fees: dict | None = None, currency: str = "USD",
                    loaded: HistoryLoad | None = None) -> Scorecard:
    """The scorecard of `schedule.contract_source` for months `first`..`last` (default: all history)."""
    contract = schedule.contract_source
    stored = history.months(contract)
    if not stored:
        raise InvalidInput(f"no metrics history for {contract}: load a metrics file (--metrics FILE)")
    first, last = first or stored[0], last or stored[-1]
    if first > last:
        raise InvalidInput(f"--from {first} is after --to {last}")
    shown = month_range(first, last)
    if len(shown) > MAX_MONTHS:
        raise InvalidInput(f"{len(shown)} months asked for: a scorecard covers at most {MAX_MONTHS}")
    # Rolling rules look back before `first`: measure from the start of the history (bounded).
    start = max(min(first, stored[0]), shift_month(first, -LOOKBACK))
    measured_months = month_range(start, last)
    data = history.data(contract, start, last)
    names = [t.metric for t in schedule.terms]
    months = [_month(schedule, data, m, tz, fees or {}, currency, names) for m in measured_months]
    grid = grid_of(months)
    failures = evaluate_failures(terms.failure_rules, grid, measured_months, names)
    card = Scorecard(contract=contract, related_contracts=terms.sources[1:], period_from=first, period_to=last,
                     months=[m for m in months if m.month >= first], failure_rules=terms.failure_rules,
                     earn_back_rule=terms.earn_back, history=loaded, history_months=stored, notes=list(terms.notes))
    card.persistent_failures = [f for f in failures if first <= f.triggered_in <= last]
    card.earn_back = evaluate_earn_back(terms.earn_back, card.months, grid, last, failures)
    card.rcas = _rcas(terms, card.months)
    for failure in card.persistent_failures:
        failure.escalation = escalation_offer(card, failure)
    _notes(card, schedule, shown, stored)
    return card


def _month(schedule: SlaSchedule, data: MetricsData, month: str, tz: str, fees: dict, currency: str,
           names: list[str]) -> ScorecardMonth:
    report = calculate(schedule, data, SlaWindow(month=month, timezone=tz), fees=fees, currency=currency, only_metrics=names)
    metrics = [_metric(r) for r in report.results]
    order = {n: i for i, n in enumerate(names)}
    metrics.sort(key=lambda x: order.get(x.name, len(order)))
    return ScorecardMonth(month=month, metrics=metrics, cap=report.cap)


def _metric(r: SlaResult) -> ScorecardMetric:
    credit = r.credit
    return ScorecardMetric(
        name=r.metric, actual=r.actual, target=r.target, comparator=r.comparator, met=r.met, status=r.status,
        credit_pct=credit.percent_of_fees if credit else None, credit_amount=credit.amount if credit else None,
        currency=credit.currency if credit else None, fee_basis=credit.fee_basis if credit else "", basis=r.basis,
        citation=r.citation, credit_citation=credit.citation if credit and credit.citation != r.citation else None,
        notes=[n for n in r.notes if n != "no data in the measurement window"])


def _rcas(terms: PersistenceTerms, months: list[ScorecardMonth]) -> list[RcaDue]:
    if terms.rca_business_days is None or terms.rca_citation is None:
        return []
    out = []
    for month in months:
        last_day = date.fromisoformat(shift_month(month.month, 1) + "-01") - timedelta(days=1)
        for x in month.metrics:
            if x.status == "missed":
                out.append(RcaDue(metric=x.name, month=month.month, due=add_business_days(last_day, terms.rca_business_days).isoformat(),
                                  rule=f"within {terms.rca_business_days} business days of the miss (counted from the month's end)",
                                  citation=terms.rca_citation))
    return out


def escalation_offer(card: Scorecard, failure: PersistentFailure) -> EscalationOffer:
    """The incident an escalation draft for `failure` is written from, and the command that writes it."""
    metric = failure.metric if failure.metric != "any Service Level" else _worst_metric(card, failure.months)
    title = f"{failure.rule}: {failure.metric} missed in {', '.join(failure.months)}"[:300]
    incident = {
        "title": title, "contract": card.contract, "sla_metric": metric, "sla_window": {"month": failure.triggered_in},
        "description": (f"{failure.rule} under clause {failure.clause_no or '(unnumbered)'}: {failure.condition}. "
                        f"Right: {failure.right or 'to confirm'}."),
    }
    slug = re.sub(r"[^a-z0-9]+", "-", f"{failure.rule}-{failure.metric}-{failure.triggered_in}".lower()).strip("-")
    file = f"escalation-{slug}.yaml"
    command = f"bpo-assistant draft escalation --incident {file} --metrics METRICS_FILE --month {failure.triggered_in} --out DIR"
    return EscalationOffer(title=title, metric=metric, month=failure.triggered_in, incident_file=file, command=command,
                           incident=incident)


def failure_findings(failure: PersistentFailure) -> list[tuple[str, object]]:
    """What an escalation draft states first about a persistent failure: the failure under its clause,
    then the right it gives (each a sentence and the clause it is cited to)."""
    clause = f"clause {failure.clause_no}" if failure.clause_no else "the contract"
    found = [(f"The metrics history shows a {failure.rule} under {clause}: {failure.condition} "
              f"({failure.metric}: {', '.join(failure.months)}).", failure.citation)]
    right = failure.right_detail
    if right is not None:
        extra = "; ".join(p for p in (right.notice and f"notice: {right.notice}",
                                      right.exercise_within and f"to be exercised {right.exercise_within}") if p)
        found.append((f"The right this gives, in the agreement's words: {right.text}" + (f" ({extra})" if extra else "") + ".", right.citation))
    return found


def _worst_metric(card: Scorecard, months: list[str]) -> str:
    counts: dict[str, int] = {}
    for m in card.months:
        if m.month in months:
            for x in m.metrics:
                if x.status == "missed":
                    counts[x.name] = counts.get(x.name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def _notes(card: Scorecard, schedule: SlaSchedule, shown: list[str], stored: list[str]) -> None:
    empty = [m for m in shown if m not in stored]
    if empty:
        card.notes.append(f"no metrics loaded for {', '.join(empty)}: those months show no data")
    if schedule.credit_cap_percent is None:
        card.notes.append("the SLA schedule states no credit cap")
    if card.history and card.history.bad_rows:
        card.notes.append(f"{len(card.history.bad_rows)} row(s) of the metrics file could not be used (listed under history.bad_rows)")
    if card.history and card.history.unmatched:
        names = ", ".join(f"{k or '(blank)'} ({v})" for k, v in card.history.unmatched.items())
        card.notes.append(f"rows naming no SLA term were not kept: {names}")
