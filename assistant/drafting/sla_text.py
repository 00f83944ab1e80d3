"""The SLA calculator's figures as cited Markdown (shared by the RCA and the escalation draft)."""

from __future__ import annotations

from assistant.contracts.sla_models import SlaTerm
from assistant.drafting.evidence import Evidence
from assistant.drafting.render import bullets, lower_first, md_table
from assistant.drafting.sla_calc import SlaReport, SlaResult, cap_text, exact, pct_text, points_text

SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def with_cite(sentence: str, cite: str) -> str:
    """'Text.' + [n] -> 'Text [n].'"""
    return f"{sentence.strip().rstrip('.')} {cite}".rstrip() + "."


def target_text(comparator: str, target: float | None) -> str:
    """As the contract writes it: '≥ 95%', '≥ 97.5%'."""
    return "no numeric target" if target is None else f"{SYMBOL.get(comparator, comparator)} {cap_text(exact(target))}"


def actual_text(r: SlaResult) -> str:
    if r.actual is None:
        return "no data"
    counts = f" ({r.numerator:,} of {r.denominator:,})" if r.denominator else ""
    return f"{pct_text(r.actual)}{counts}"


def outcome_text(r: SlaResult) -> str:
    if r.status == "missed":
        return f"missed by {points_text(r.miss_points)}"
    return {"met": "met", "no_data": "no data in the window", "no_target": "no numeric target"}[r.status]


def credit_text(r: SlaResult) -> str:
    if r.status != "missed":
        return "none (not missed)" if r.status == "met" else "—"
    c = r.credit
    if c is None:
        return "none stated for this metric"
    text = f"{c.percent_of_fees:g}% of {c.fee_basis or 'monthly fees'}" if c.percent_of_fees is not None else ""
    if c.escalated:
        text += " (the higher credit: missed by more than the escalation threshold)"
    if c.amount is not None:
        text += f" = {c.currency} {c.amount:,.2f}"
    return text


def sla_sentence(r: SlaResult, ev: Evidence, window: str) -> str:
    cite = ev.cite_span(r.citation)
    head = (f"**{r.metric}** in {r.window_label or window or 'the window'}: {actual_text(r)} against a target of "
            f"{target_text(r.comparator, r.target)} {cite}")
    if r.status == "missed":
        credit = credit_text(r)
        return f"{head}: missed by {points_text(r.miss_points)}; service credit: {credit} {cite}."
    if r.status == "met":
        return f"{head}: met, so no service credit is due for this metric."
    return f"{head}: {outcome_text(r)}."


def sla_table(report: SlaReport, ev: Evidence) -> str:
    rows = []
    several = len(report.periods) > 1
    for r in report.results:
        rows.append([f"{r.metric} ({r.window_label})" if several else r.metric, target_text(r.comparator, r.target), actual_text(r), outcome_text(r), credit_text(r),
                     ev.cite_span(r.citation)])
    return md_table(["Metric", "Target", "Actual", "Result", "Service credit", "Source"], rows)


def sla_block(report: SlaReport, ev: Evidence) -> str:
    """Table + cap + earn-back + data notes, every contract figure cited."""
    window = report.window_label + (" (inferred from the data)" if report.window_inferred else "")
    parts = [f"Measurement window: {window or 'none (no data)'}"
             + (f", {report.window_start:%Y-%m-%d %H:%M} to {report.window_end:%Y-%m-%d %H:%M} UTC (end exclusive)."
                if report.window_start else "."),
             sla_table(report, ev)]
    notes = []
    if report.missed:  # cap and earn-back only matter once a credit is due
        missed_periods = {r.period for r in report.missed}
        for period, cap in zip(report.periods or [""], report.caps):
            if len(report.caps) == 1 or period in missed_periods:
                month = f" ({period})" if len(report.caps) > 1 else ""
                notes.append(f"Credit cap{month}: {cap.cap_percent:g}% of total monthly fees {ev.cite_span(cap.citation)}; "
                             f"{cap.explanation}.")
    if report.earn_back and report.missed:
        notes.append(with_cite(f"Earn-back: {lower_first(report.earn_back)}", ev.cite_span(report.earn_back_citation)))
    basis = [f"{r.metric}: {r.basis}" for r in report.results if r.basis]
    notes += [f"How measured — {b}." for b in basis]
    notes += [n[0].upper() + n[1:] + "." for r in report.results for n in r.notes]
    notes += [n[0].upper() + n[1:] + "." for n in report.notes]
    if report.skipped_rows:
        listed = ", ".join(f"row {b.row} ({b.reason})" for b in report.skipped_rows[:10])
        more = f" and {len(report.skipped_rows) - 10} more" if len(report.skipped_rows) > 10 else ""
        notes.append(f"Skipped {len(report.skipped_rows)} of {report.rows_total} metrics rows: {listed}{more}.")
    notes.append(report.rounding + " Actual and target are percentages.")
    parts.append(bullets(notes))
    return "\n\n".join(parts)


def term_only_block(term: SlaTerm, ev: Evidence) -> str:
    """No metrics given: state the contractual target and credit, adherence to confirm."""
    cite = ev.cite_span(term.citation)
    credit = ""
    if term.credit and term.credit.percent_of_fees is not None:
        credit = f" Service credit if missed: {term.credit.percent_of_fees:g}% of {term.credit.fee_basis or 'monthly fees'}"
        if term.credit.escalated_percent is not None and term.credit.escalation_points is not None:
            credit += (f"; {term.credit.escalated_percent:g}% if missed by more than "
                       f"{term.credit.escalation_points:g} percentage points")
        credit += f" {cite}."
    threshold = f" ({term.threshold})" if term.threshold else ""
    return (f"**{term.metric}**: target {target_text(term.comparator, term.target_percent)}{threshold}, measured per "
            f"{term.measurement_window or 'the contract window'} {cite}.{credit} Adherence for the period: to confirm "
            "(no metrics file was given).")
