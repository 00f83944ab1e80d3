"""SLA adherence and service credits from metrics and a SOW's SLA schedule.

Arithmetic is exact: adherence is a Fraction of integer counts, targets and credit percentages
are read through Decimal(str(x)), and every comparison (met / missed / escalated / capped) is made
on the exact values. Only the figures shown are rounded: percentages and points half-up to two
decimal places, amounts half-up to cents. Exactly on target is met. A window with no data is
"no data", never 0%.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, Field

from assistant.contracts.sla_models import ServiceCredit, SlaSchedule, SlaTerm, SourceSpan
from assistant.contracts.sla_tiers import tier_for
from assistant.drafting.incident import SlaWindow
from assistant.drafting.metrics import BadRow, MetricsData, _zone
from assistant.errors import InvalidInput

ROUNDING_NOTE = ("Percentages and percentage points are shown rounded half-up to 2 decimal places and amounts to "
                 "cents; met/missed, escalation and the cap are decided on the exact values.")
Status = Literal["met", "missed", "no_data", "no_target"]


class CreditResult(BaseModel):
    percent_of_fees: float | None = None
    fee_basis: str = ""
    escalated: bool = False  # the higher credit for a miss of more than `escalation_points`
    rule: str = ""  # the credit rule in words, as the schedule states it
    amount: float | None = None  # in `currency`, when the fees (or a fixed amount) are known
    currency: str | None = None
    citation: SourceSpan


class SlaResult(BaseModel):
    metric: str
    target: float | None  # percent
    comparator: str = ">="
    actual: float | None  # percent, rounded half-up to 2 dp; None = no data
    met: bool | None  # None = no data (or no numeric target)
    status: Status
    miss_points: float | None = None  # percentage points short of the target (half-up to 4 dp; shown to 2 dp)
    numerator: int | None = None
    denominator: int | None = None
    basis: str = ""  # how `actual` was measured
    credit: CreditResult | None = None
    citation: SourceSpan  # the SLA term (target, window, credit)
    period: str = ""  # the calendar month measured ("2025-10"), when the window is a month
    window_label: str = ""  # "October 2025"
    notes: list[str] = Field(default_factory=list)


class CapResult(BaseModel):
    cap_percent: float
    citation: SourceSpan | None = None
    credits_percent_sum: float  # the credit percentages added up (each is of its own fee basis)
    applies: bool | None  # None: the fee amounts per service line are needed to tell
    total_fees: float | None = None
    credits_amount: float | None = None
    payable_amount: float | None = None
    explanation: str


class SlaReport(BaseModel):
    contract_source: str
    units: Literal["percent"] = "percent"  # `actual`, `target`, `miss_points` are percentages/points
    window_start: datetime | None = None  # UTC, inclusive
    window_end: datetime | None = None  # UTC, exclusive
    window_label: str = ""
    window_timezone: str = "UTC"
    window_inferred: bool = False
    results: list[SlaResult] = Field(default_factory=list)
    cap: CapResult | None = None
    earn_back: str = ""
    earn_back_months: int | None = None
    earn_back_citation: SourceSpan | None = None
    periods: list[str] = Field(default_factory=list)  # the months with a result each, in order
    caps: list[CapResult] = Field(default_factory=list)  # the cap per month, when several months are measured
    rows_total: int = 0
    rows_used: int = 0
    rows_outside_window: int = 0  # rows dated outside every measured window: counted, not used
    skipped_rows: list[BadRow] = Field(default_factory=list)
    rounding: str = ROUNDING_NOTE
    notes: list[str] = Field(default_factory=list)

    @property
    def missed(self) -> list[SlaResult]:
        return [r for r in self.results if r.status == "missed"]


# -- exact numbers ---------------------------------------------------------------------------
def exact(value: float | int | Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(Decimal(str(value)))


def _round(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def round2(value: Fraction) -> Decimal:
    return _round(value, "0.01")


def pct_text(value: float | Fraction | None) -> str:
    """96 -> '96.00%'. For display only."""
    if value is None:
        return "no data"
    return f"{round2(value if isinstance(value, Fraction) else exact(value))}%"


def points_text(value: float | Fraction | None) -> str:
    if value is None:
        return ""
    shown = round2(value if isinstance(value, Fraction) else exact(value))
    if shown == 0 and value > 0:
        return "less than 0.01 percentage points"
    return f"{shown} percentage points"


# -- the window ------------------------------------------------------------------------------
@dataclass
class Window:
    start: datetime
    end: datetime
    tz: str
    label: str
    inferred: bool = False

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def month_window(month: str, tz: str = "UTC", inferred: bool = False) -> Window:
    year, mon = (int(p) for p in month.split("-"))
    if not 1 <= mon <= 12:
        raise InvalidInput(f"month {month!r} is not a YYYY-MM month")
    zone = _zone(tz)
    try:
        start = datetime(year, mon, 1, tzinfo=zone)
        end = datetime(year + (mon == 12), 1 if mon == 12 else mon + 1, 1, tzinfo=zone)
        start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise InvalidInput(f"month {month!r} is out of range") from None
    label = f"{calendar.month_name[mon]} {year}" + ("" if tz.upper() == "UTC" else f" ({tz})")
    return Window(start.astimezone(timezone.utc), end.astimezone(timezone.utc), tz, label, inferred)


def data_months(data: MetricsData | None, tz: str = "UTC") -> list[str]:
    """The calendar months ("2025-10") the data's rows fall in, in order."""
    zone = _zone(tz)
    months: set[str] = set()
    if data:
        months.update(t.created.astimezone(zone).strftime("%Y-%m") for t in data.tickets)
        months.update(k.day.strftime("%Y-%m") for k in data.kpis)
    return sorted(months)


def resolve_windows(window: SlaWindow | None, data: MetricsData | None) -> list[Window]:
    """The window asked for; without one, every calendar month the data covers (one result each)."""
    if window and (window.month or (window.start and window.end)):
        return [resolve_window(window, data)]
    tz = window.timezone if window else "UTC"
    return [month_window(m, tz, inferred=True) for m in data_months(data, tz)]


def resolve_window(window: SlaWindow, data: MetricsData | None = None) -> Window:
    """The window asked for: a month, or a start and an end."""
    if window.month:
        return month_window(window.month, window.timezone)
    zone = _zone(window.timezone)
    try:
        start = (window.start if window.start.tzinfo else window.start.replace(tzinfo=zone)).astimezone(timezone.utc)
        end = (window.end if window.end.tzinfo else window.end.replace(tzinfo=zone)).astimezone(timezone.utc)
    except OverflowError:
        raise InvalidInput("the measurement window is out of range") from None
    label = f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
    return Window(start, end, window.timezone, label)


# -- matching metric names to SLA terms ------------------------------------------------------
def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def match_term(name: str, terms: list[SlaTerm]) -> SlaTerm | None:
    """'Email Response Time', 'email_response', 'FCR', 'CSAT' -> the SLA term they name."""
    wanted = _words(name)
    if not wanted:
        return None
    for term in terms:
        if _words(term.metric) == wanted:
            return term
    for term in terms:
        words = _words(term.metric)
        acronym = "".join(w[0] for w in words if not w.isdigit() and w not in ("of", "and"))
        if len(wanted) == 1 and (wanted[0] in (acronym, acronym.rstrip("s")) or wanted[0] in words and len(wanted[0]) >= 4
                                 and re.search(r"\(" + wanted[0] + r"\)", term.metric.lower())):
            return term
    candidates = [t for t in terms if set(wanted) <= set(_words(t.metric))]
    return candidates[0] if len(candidates) == 1 else None


def default_ticket_term(terms: list[SlaTerm]) -> SlaTerm | None:
    """A tickets file measures resolution within a time threshold: the email metric by default."""
    timed = [t for t in terms if t.threshold_seconds]
    for text_of in (lambda t: t.metric, lambda t: t.definition):
        emails = [t for t in timed if "email" in text_of(t).lower()]
        if emails:
            return emails[0]
    return timed[0] if len(timed) == 1 else None


# -- the calculation -------------------------------------------------------------------------
@dataclass
class _Measure:
    numerator: int | None = None
    denominator: int | None = None
    value: Fraction | None = None  # percent
    basis: str = ""
    rows: int = 0
    notes: list[str] | None = None

    @property
    def percent(self) -> Fraction | None:
        if self.value is not None:
            return self.value
        if self.denominator:
            return Fraction(self.numerator * 100, self.denominator)
        return None


def _measure_tickets(term: SlaTerm, tickets, window: Window | None, as_of: datetime | None) -> _Measure:
    if not term.threshold_seconds:
        raise InvalidInput(f"the SLA term {term.metric!r} has no time threshold to measure tickets against")
    limit = timedelta(seconds=term.threshold_seconds)
    inside = [t for t in tickets if window and window.holds(t.created)]
    met = missed = pending = 0
    for t in inside:
        if t.resolved is not None:
            met, missed = (met + 1, missed) if t.resolved - t.created <= limit else (met, missed + 1)
        elif as_of is not None and as_of - t.created > limit:
            missed += 1  # still open and already past the threshold
        else:
            pending += 1
    notes = []
    if pending:
        notes.append(f"{pending} open ticket(s) still within the threshold were not counted")
    hours = term.threshold_seconds / 3600
    threshold = f"{hours:g} hours" if hours >= 1 else f"{term.threshold_seconds:g} seconds"
    return _Measure(met, met + missed, basis=f"tickets created in the window and resolved within {threshold} "
                    f"(created_at to resolved_at)", rows=len(inside), notes=notes)


def _measure_kpis(rows, window: Window | None) -> _Measure:
    zone = _zone(window.tz) if window else timezone.utc
    inside = [k for k in rows if window and window.holds(datetime(k.day.year, k.day.month, k.day.day, tzinfo=zone))]
    if not inside:
        return _Measure(rows=0)
    noun, adjective = ("month", "monthly") if all(k.monthly for k in inside) else ("day", "daily")
    if inside[0].numerator is not None:
        num = sum(k.numerator for k in inside)
        den = sum(k.denominator for k in inside)
        return _Measure(num, den, basis=f"{adjective} counts summed over {len(inside)} {noun} row(s)", rows=len(inside))
    mean = sum((Fraction(k.value) for k in inside), Fraction(0)) / len(inside)
    if noun == "month" and len(inside) == 1:
        return _Measure(value=mean, basis="the month's reported value", rows=1)
    return _Measure(value=mean, basis=f"unweighted mean of {len(inside)} {adjective} value(s)", rows=len(inside))


def _is_met(actual: Fraction, target: Fraction, comparator: str) -> bool:
    return {">=": actual >= target, ">": actual > target, "<=": actual <= target, "<": actual < target}[comparator]


def credit_rule(credit: ServiceCredit) -> str:
    """A credit in words: "5% of monthly email fees; 10% if missed by more than 5 percentage points"."""
    parts = []
    if credit.percent_of_fees is not None:
        parts.append(f"{credit.percent_of_fees:g}% of {credit.fee_basis or 'monthly fees'}")
    if credit.amount is not None:
        parts.append(f"{credit.currency or ''} {credit.amount:,.2f}".strip())
    if credit.escalated_percent is not None and credit.escalation_points is not None:
        parts.append(f"{credit.escalated_percent:g}% if missed by more than {credit.escalation_points:g} percentage points")
    for t in credit.tiers:
        upper = "the target" if t.below_target else (f"{t.below:g}%" if t.below is not None else "")
        span = (f"{t.at_least:g}% to below {upper}" if t.at_least is not None and upper else
                f"below {upper}" if upper else f"{t.at_least:g}% or more")
        parts.append(f"{t.percent_of_fees:g}% of {credit.fee_basis or 'monthly fees'} at {span}")
    if credit.per_failure:
        parts.append("for each failure")
    return "; ".join(parts)


def _fee_key(key: str) -> str:
    return re.sub(r"[\s\-]+", "_", key.strip().lower())


def basis_amount(basis: str, fees: dict[str, Decimal]) -> Decimal | None:
    """The monthly fees a credit is a percentage of, from `fees` keyed by service line or 'total':
    the lines whose names the basis uses ("monthly email, chat and phone fees" -> email + chat +
    phone), whatever lines the contract has. None when the basis names a line whose fees are not given."""
    fees = {_fee_key(k): Decimal(str(v)) for k, v in (fees or {}).items()}
    text = basis.lower()
    total = fees.get("total", fees.get("all"))
    if not text.strip() or "all services" in text or "total" in text or re.fullmatch(r"\s*(?:monthly\s+)?(?:service\s+)?fees?\s*",
                                                                                       text):
        return total
    words = set(re.findall(r"[a-z0-9]+", text))
    lines = [key for key in fees if key not in ("total", "all") and set(key.split("_")) <= words]
    return sum((fees[line] for line in lines), Decimal(0)) if lines else None


def _credit(term: SlaTerm, miss: Fraction, fees: dict, currency: str, actual: Fraction | None = None,
            failures: int | None = None) -> CreditResult | None:
    credit = term.credit
    if credit is None or (credit.percent_of_fees is None and credit.amount is None and not credit.tiers):
        return None
    percent = exact(credit.percent_of_fees)
    if credit.tiers and actual is not None:
        tier = tier_for(credit.tiers, float(actual), term.target_percent)
        percent = exact(tier.percent_of_fees) if tier else None
    escalated = (credit.escalated_percent is not None and credit.escalation_points is not None
                 and miss > exact(credit.escalation_points))  # "more than N points": exactly N is not
    if escalated:
        percent = exact(credit.escalated_percent)
    if credit.per_failure and percent is not None and failures:
        percent *= failures  # "for each time Provider fails to meet ...": one credit per missed item
    amount = None
    if percent is not None:
        base = basis_amount(credit.fee_basis, fees)
        if base is not None:
            amount = Fraction(base) * percent / 100
    elif credit.amount is not None:
        amount = exact(credit.amount)
    return CreditResult(
        percent_of_fees=None if percent is None else float(percent), fee_basis=credit.fee_basis, escalated=escalated,
        rule=credit_rule(credit), amount=None if amount is None else float(_cents(amount)),
        currency=(credit.currency or currency) if amount is not None else None, citation=credit.citation or term.citation)


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _result(term: SlaTerm, m: _Measure, fees: dict, currency: str) -> SlaResult:
    target = exact(term.target_percent)
    actual = m.percent
    notes = list(m.notes or [])
    if target is None and term.threshold_seconds and m.denominator is not None and term.comparator in ("<=", "<"):
        # "Target Response Time: 4 hours" binds every request: met only when all are within it.
        term = term.model_copy(update={"target_percent": 100.0, "comparator": ">="})
        target = exact(100)
        notes.append(f"a time target with no stated share applies to every item: all must be within {term.threshold}")
    base = dict(metric=term.metric, target=term.target_percent, comparator=term.comparator, citation=term.citation,
                numerator=m.numerator, denominator=m.denominator, basis=m.basis, notes=notes)
    if actual is None:
        notes.append("no data in the measurement window")
        return SlaResult(**base, actual=None, met=None, status="no_data")
    shown = float(round2(actual))
    if target is None:
        notes.append("the schedule states no numeric target for this metric")
        return SlaResult(**base, actual=shown, met=None, status="no_target")
    if any(u.field == "comparator" for u in term.unknown):
        notes.append("the contract does not say whether a higher or a lower value meets this target: not judged")
        return SlaResult(**base, actual=shown, met=None, status="no_target")
    if _is_met(actual, target, term.comparator):
        return SlaResult(**base, actual=shown, met=True, status="met", miss_points=0.0)
    miss = (target - actual) if term.comparator in (">=", ">") else (actual - target)
    failures = m.denominator - m.numerator if m.denominator is not None and m.numerator is not None else None
    return SlaResult(**base, actual=shown, met=False, status="missed", miss_points=float(_round(miss, "0.0001")),
                     credit=_credit(term, miss, fees, currency, actual, failures))


def _cap(schedule: SlaSchedule, results: list[SlaResult], fees: dict, currency: str) -> CapResult | None:
    if schedule.credit_cap_percent is None:
        return None
    cap = exact(schedule.credit_cap_percent)
    credits = [r.credit for r in results if r.credit and r.credit.percent_of_fees is not None]
    total_pct = sum((exact(c.percent_of_fees) for c in credits), Fraction(0))
    fees_total = basis_amount("total", fees)
    out = CapResult(cap_percent=schedule.credit_cap_percent, citation=schedule.credit_cap_citation,
                    credits_percent_sum=float(total_pct), applies=False, explanation="")
    amounts = [c.amount for c in credits]
    if fees_total is not None and credits and all(a is not None for a in amounts):
        # Exact amounts: recompute from fees rather than summing rounded cents.
        exact_amounts = [Fraction(basis_amount(c.fee_basis, fees)) * exact(c.percent_of_fees) / 100 for c in credits]
        total_amt, cap_amt = sum(exact_amounts, Fraction(0)), Fraction(fees_total) * cap / 100
        out.total_fees, out.credits_amount = float(fees_total), float(_cents(total_amt))
        out.applies = total_amt > cap_amt
        out.payable_amount = float(_cents(min(total_amt, cap_amt)))
        out.explanation = (f"credits total {currency} {_cents(total_amt):,}; the cap is {cap_text(cap)} of total monthly "
                           f"fees ({currency} {_cents(cap_amt):,}); payable {currency} {_cents(min(total_amt, cap_amt)):,}")
        return out
    same_basis = credits and all(basis_amount(c.fee_basis, {"total": 1}) == 1 for c in credits)
    if not credits:
        out.explanation = "no service credits are due"
    elif total_pct <= cap:
        # Each service line's fees are at most the total fees, so the credits can't exceed the cap.
        out.explanation = f"credits add up to {cap_text(total_pct)} of their fee bases, within the {cap_text(cap)} cap"
    elif same_basis:
        out.applies = True
        out.explanation = (f"credits add up to {cap_text(total_pct)} of total monthly fees; the cap limits them to "
                           f"{cap_text(cap)}")
    else:
        out.applies = None
        out.explanation = (f"credits add up to {cap_text(total_pct)} of different fee bases, above the {cap_text(cap)} cap on "
                           "total monthly fees; whether the cap bites depends on the fees per service line (not given)")
    return out


def cap_text(value: Fraction) -> str:
    return f"{round2(value).normalize():f}%"


def calculate(schedule: SlaSchedule, data: MetricsData | None, window: SlaWindow | None = None,
              ticket_metric: str | None = None, fees: dict | None = None, currency: str = "USD",
              only_metrics: list[str] | None = None) -> SlaReport:
    """Adherence per metric in the window (or in each month the data covers, when no window is
    asked for), the credits the misses trigger, the cap and earn-back."""
    fees = fees or {}
    wins = resolve_windows(window, data)
    report = SlaReport(contract_source=schedule.contract_source, earn_back=schedule.earn_back,
                       earn_back_months=schedule.earn_back_months, earn_back_citation=schedule.earn_back_citation)
    if wins:
        report.window_start, report.window_end = wins[0].start, wins[-1].end
        report.window_label = wins[0].label if len(wins) == 1 else f"{wins[0].label} to {wins[-1].label}"
        report.window_timezone, report.window_inferred = wins[0].tz, wins[0].inferred
        report.periods = [_period(w) for w in wins]
    if data:
        report.rows_total, report.skipped_rows = data.rows_total, list(data.bad_rows)
        if data.naive_rows:
            report.notes.append(f"{data.naive_rows} timestamp(s) without a time zone were read as {data.timezone}")
    if len(wins) > 1:
        report.notes.append(f"the metrics file spans {len(wins)} months ({report.window_label}): one result per month; "
                            "name a month to measure only that one")
    for win in wins or [None]:
        results = _window_results(schedule, data, win, ticket_metric, fees, currency, only_metrics, report)
        report.results += results
        cap = _cap(schedule, results, fees, currency)
        if cap is not None:
            report.caps.append(cap)
    report.cap = report.caps[-1] if len(report.caps) == 1 else None
    report.rows_outside_window = _rows_outside(data, wins)
    if report.rows_outside_window:
        report.notes.append(f"{report.rows_outside_window} row(s) fall outside {report.window_label or 'the window'} "
                            "and were not counted")
    return report


def _window_results(schedule, data, win: Window | None, ticket_metric, fees, currency, only_metrics,
                    report: SlaReport) -> list[SlaResult]:
    measures = _measures(schedule, data, win, ticket_metric, report)
    for name in only_metrics or []:
        term = match_term(name, schedule.terms)
        if term is None:
            note = f"the contract's SLA schedule has no metric matching {name!r}"
            if note not in report.notes:
                report.notes.append(note)
        elif term.metric not in measures:
            measures[term.metric] = (term, _Measure())
    period = _period(win) if win else ""
    results = []
    for term, m in measures.values():
        result = _result(term, m, fees, currency)
        result.period, result.window_label = period, win.label if win else ""
        results.append(result)
        report.rows_used += m.rows
    return results


def _period(win: Window) -> str:
    local = win.start.astimezone(_zone(win.tz))
    return f"{local:%Y-%m}" if local.day == 1 and local.hour == 0 else win.label


def _rows_outside(data: MetricsData | None, wins: list[Window]) -> int:
    if not data or not wins:
        return 0
    zone = _zone(wins[0].tz)
    inside = lambda moment: any(w.holds(moment) for w in wins)  # noqa: E731
    outside = sum(1 for t in data.tickets if not inside(t.created))
    outside += sum(1 for k in data.kpis if not inside(datetime(k.day.year, k.day.month, k.day.day, tzinfo=zone)))
    return outside


def _measures(schedule: SlaSchedule, data: MetricsData | None, win: Window | None, ticket_metric: str | None,
              report: SlaReport) -> dict[str, tuple[SlaTerm, _Measure]]:
    measures: dict[str, tuple[SlaTerm, _Measure]] = {}
    if not data:
        return measures
    if data.layout == "tickets" or data.tickets:  # a history holds tickets and KPI figures side by side
        as_of = max((t.resolved or t.created for t in data.tickets), default=None)
        groups: dict[str, list] = {} if data.tickets else {"": []}  # no rows: the metric still reports "no data"
        for t in data.tickets:
            groups.setdefault(t.metric, []).append(t)
        for name, tickets in groups.items():
            term = _ticket_term(name or ticket_metric, schedule, report)
            if term is not None:
                measures[term.metric] = (term, _measure_tickets(term, tickets, win, as_of))
        if not data.kpis:
            return measures
    by_term: dict[str, tuple[SlaTerm, list]] = {}
    for name in dict.fromkeys(k.metric for k in data.kpis):
        term = match_term(name, schedule.terms)
        if term is None:
            note = f"metric {name!r} in the metrics file matches no SLA term; its rows were ignored"
            if note not in report.notes:
                report.notes.append(note)
            continue
        # Two spellings of one metric ("FCR", "First Contact Resolution") share the term's rows.
        by_term.setdefault(term.metric, (term, []))[1].extend(k for k in data.kpis if k.metric == name)
    for key, (term, rows) in by_term.items():
        rows.sort(key=lambda k: k.row)
        measures[key] = (term, _measure_kpis(rows, win))
    return measures


def _ticket_term(name: str | None, schedule: SlaSchedule, report: SlaReport) -> SlaTerm | None:
    term = ticket_term(name, schedule)
    if not name:
        report.notes.append(f"the tickets were measured against {term.metric!r} (the default for a tickets file)")
    return term


def ticket_term(name: str | None, schedule: SlaSchedule) -> SlaTerm:
    """The SLA term tickets named `name` measure (None: the default for a tickets file); InvalidInput
    naming the terms when there is none."""
    if name:
        term = match_term(name, schedule.terms)
        if term is None:
            names = ", ".join(t.metric for t in schedule.terms)
            raise InvalidInput(f"metric {name!r} matches no SLA term in {schedule.contract_source} (terms: {names})")
        return term
    term = default_ticket_term(schedule.terms)
    if term is None:
        names = ", ".join(t.metric for t in schedule.terms if t.threshold_seconds) or "none with a time threshold"
        raise InvalidInput(f"which SLA does the tickets file measure? pass --metric NAME (terms: {names})")
    return term
