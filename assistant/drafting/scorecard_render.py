"""The scorecard as a review pack in Markdown: warnings first, then the trend, the misses and their
credits, earn-back, the RCAs due, the charts and the clauses quoted. Contract text is shown through
safe_text (inert links and mentions); every figure points to a numbered source."""

from __future__ import annotations

from datetime import datetime, timezone

from assistant.contracts.sla_models import SourceSpan
from assistant.drafting.scorecard_models import Scorecard, ScorecardMetric
from assistant.safe_text import safe_markdown, safe_quote_markdown

STATUS_WORDS = {"met": "met", "missed": "MISSED", "no_data": "no data", "no_target": "not judged"}
EARN_BACK_WORDS = {"earned_back": "earned back", "pending": "pending", "final": "final"}


class _Sources:
    """Numbered sources ([1], [2], ...) in the order the pack first cites them."""

    def __init__(self) -> None:
        self.spans: list[SourceSpan] = []

    def ref(self, span: SourceSpan | None) -> str:
        if span is None:
            return ""
        key = (span.chunk_id, span.quote)
        for i, known in enumerate(self.spans, 1):
            if (known.chunk_id, known.quote) == key:
                return f"[{i}]"
        self.spans.append(span)
        return f"[{len(self.spans)}]"


def _cell(text: str) -> str:
    return safe_markdown(text).replace("|", "\\|")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def target_words(x: ScorecardMetric) -> str:
    if x.target is None:
        return "—"
    return {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< "}.get(x.comparator, "") + f"{x.target:g}%"


def money_words(amount: float | None, currency: str | None) -> str:
    return "" if amount is None else f"{currency or ''} {amount:,.2f}".strip()


def credit_words(x: ScorecardMetric) -> str:
    if x.status != "missed":
        return ""
    if x.credit_pct is None and x.credit_amount is None:
        return "no credit in the schedule"
    parts = [f"{x.credit_pct:g}% of {x.fee_basis or 'monthly fees'}" if x.credit_pct is not None else "",
             money_words(x.credit_amount, x.currency)]
    return " = ".join(p for p in parts if p)


def render_markdown(card: Scorecard, charts: list[tuple[str, str]] | None = None) -> str:
    """The review pack. `charts`: (metric, file name) of the PNGs written beside it."""
    src = _Sources()
    parts = [_header(card), _summary(card), _warnings(card, src), _trend(card, src), _misses(card, src), _caps(card, src),
             _earn_back(card, src), _rcas(card, src), _charts(charts or []), _notes(card), _sources(src)]
    return "\n\n".join(p for p in parts if p).rstrip() + "\n"


def _header(card: Scorecard) -> str:
    related = (f" Read with {', '.join(_cell(r) for r in card.related_contracts)} (same parties) for the persistent-failure, "
               "earn-back and termination clauses." if card.related_contracts else "")
    return (f"# Vendor scorecard: {_cell(card.contract)}\n\n"
            f"Period **{card.period_from} to {card.period_to}**.{related} History on file: "
            f"{len(card.history_months)} month(s) ({card.history_months[0]} to {card.history_months[-1]}). "
            f"Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by BPO Assistant. Percentages are shown to 2 decimal "
            "places; met/missed and credits are decided on exact values.")


def _summary(card: Scorecard) -> str:
    judged = [x for m in card.months for x in m.metrics if x.status in ("met", "missed")]
    missed = [x for x in judged if x.status == "missed"]
    owed = [x.credit_amount for m in card.months for x in m.metrics if x.status == "missed" and x.credit_amount is not None]
    lines = [f"- {len(judged) - len(missed)} of {len(judged)} measured metric-months met the target; {len(missed)} missed."]
    if owed:
        currency = next((x.currency for m in card.months for x in m.metrics if x.currency), "")
        lines.append(f"- Service credits owed before any cap: {money_words(sum(owed), currency)}.")
    if card.persistent_failures:
        lines.append(f"- **{len(card.persistent_failures)} persistent-failure trigger(s)**: see the warnings below.")
    else:
        lines.append("- No persistent-failure clause was triggered in the period." if card.failure_rules else
                     "- The contract states no persistent-failure rule that could be checked.")
    counts = {k: sum(1 for e in card.earn_back if e.status == k) for k in EARN_BACK_WORDS}
    if card.earn_back:
        lines.append("- Earn-back: " + ", ".join(f"{n} {EARN_BACK_WORDS[k]}" for k, n in counts.items() if n) + ".")
    return "## Summary\n\n" + "\n".join(lines)


def _warnings(card: Scorecard, src: _Sources) -> str:
    if not card.persistent_failures:
        return ""
    out = ["## Persistent-failure warnings"]
    for f in card.persistent_failures:
        clause = f"clause {f.clause_no}" if f.clause_no else "an unnumbered clause"
        block = [f"### {_cell(f.rule)}: {_cell(f.metric)} ({', '.join(f.months)})",
                 f"Triggered in **{f.triggered_in}**: {_cell(f.condition)} ({clause} of {_cell(f.citation.source)}).",
                 f"> {safe_quote_markdown(f.citation.quote)} {src.ref(f.citation)}"]
        right = f.right_detail
        if right is not None:
            where = f" (clause {right.clause_no})" if right.clause_no and right.clause_no != f.clause_no else ""
            block.append(f"**Right:** {_cell(right.text)}{where}. {src.ref(right.citation)}")
            if right.notice:
                block.append(f"**Notice:** {_cell(right.notice)}.")
            if right.exercise_within:
                block.append(f"**Act in time:** the right must be exercised {_cell(right.exercise_within)}.")
            if right.material_breach:
                block.append("The contract calls this a material breach.")
        else:
            block.append("**Right:** the clause states none; read it in full before acting.")
        if f.escalation:
            block.append(f"**Escalation:** a draft is ready to write with the contract's escalation contacts and notice "
                         f"clause: `{f.escalation.command}`.")
        out.append("\n\n".join(block))
    return "\n\n".join(out)


def _trend(card: Scorecard, src: _Sources) -> str:
    names = list(dict.fromkeys(x.name for m in card.months for x in m.metrics))
    head = "| Metric | Target | " + " | ".join(m.month for m in card.months) + " | Clause |"
    rule = "|" + "---|" * (len(card.months) + 3)
    rows = []
    for name in names:
        cells, first = [], None
        for m in card.months:
            x = next((x for x in m.metrics if x.name == name), None)
            first = first or x
            cells.append("—" if x is None or x.actual is None else
                         f"{pct(x.actual)}" + (" **MISSED**" if x.status == "missed" else ""))
        rows.append(f"| {_cell(name)} | {target_words(first) if first else '—'} | " + " | ".join(cells) +
                    f" | {first.citation.clause_no if first else ''} {src.ref(first.citation) if first else ''} |")
    return "## Trend: actual against target\n\n" + "\n".join([head, rule, *rows])


def _misses(card: Scorecard, src: _Sources) -> str:
    rows = []
    earn = {(e.month, e.metric): e for e in card.earn_back}
    for m in card.months:
        for x in m.metrics:
            if x.status != "missed":
                continue
            e = earn.get((m.month, x.name))
            short = abs((x.target or 0) - (x.actual or 0))
            rows.append(f"| {m.month} | {_cell(x.name)} | {pct(x.actual)} | {target_words(x)} | {short:.2f} points | "
                        f"{_cell(credit_words(x))} | {EARN_BACK_WORDS[e.status] if e else '—'} | "
                        f"{src.ref(x.credit_citation or x.citation)} |")
    if not rows:
        return "## Misses and service credits\n\nNo Service Level was missed in the period."
    head = "| Month | Metric | Actual | Target | Short by | Credit | Earn-back | Source |\n|---|---|---|---|---|---|---|---|"
    return "## Misses and service credits\n\n" + head + "\n" + "\n".join(rows)


def _caps(card: Scorecard, src: _Sources) -> str:
    rows = [f"| {m.month} | {m.cap.cap_percent:g}% | {'yes' if m.cap.applies else 'no' if m.cap.applies is False else 'to confirm'} | "
            f"{_cell(m.cap.explanation)} {src.ref(m.cap.citation)} |"
            for m in card.months if m.cap and m.cap.credits_percent_sum]
    if not rows:
        return ""
    return ("## Credit cap\n\n| Month | Cap | Cap bites | Detail |\n|---|---|---|---|\n" + "\n".join(rows))


def _earn_back(card: Scorecard, src: _Sources) -> str:
    rule = card.earn_back_rule
    if rule is None:
        return ("## Earn-back\n\nThe contract has no earn-back clause that could be read: credits are final."
                if card.earn_back else "")
    text = [f"## Earn-back\n\nRule (clause {rule.clause_no or 'unnumbered'}): {_cell(rule.condition)}"
            + (", except for a miss that is part of a persistent failure" if rule.excludes_persistent else "") + ".",
            f"> {safe_quote_markdown(rule.citation.quote)} {src.ref(rule.citation)}"]
    if card.earn_back:
        rows = [f"| {e.month} | {_cell(e.metric)} | {pct(e.credit_pct) if e.credit_pct is not None else '—'} | "
                f"{money_words(e.credit_amount, e.currency) or '—'} | {EARN_BACK_WORDS[e.status]} | {_cell(e.reason)} |" for e in card.earn_back]
        text.append("| Month of miss | Metric | Credit | Amount | Status | Why |\n|---|---|---|---|---|---|\n" + "\n".join(rows))
    return "\n\n".join(text)


def _rcas(card: Scorecard, src: _Sources) -> str:
    if not card.rcas:
        return ""
    rows = [f"| {_cell(r.metric)} | {r.month} | {r.due} | {src.ref(r.citation)} |" for r in card.rcas]
    return ("## Root cause analyses due\n\nOne per miss, counted from the end of the month missed; confirm which have been "
            f"delivered. Rule: {_cell(card.rcas[0].rule)}.\n\n| Metric | Month missed | RCA due | Source |\n|---|---|---|---|\n"
            + "\n".join(rows))


def _charts(charts: list[tuple[str, str]]) -> str:
    if not charts:
        return ""
    return "## Charts\n\n" + "\n\n".join(f"![{_cell(name)}: monthly actual against target]({file})" for name, file in charts)


def _notes(card: Scorecard) -> str:
    return "## Notes\n\n" + "\n".join(f"- {_cell(n)}" for n in card.notes) if card.notes else ""


def _sources(src: _Sources) -> str:
    lines = []
    for i, s in enumerate(src.spans, 1):
        where = ", ".join(p for p in (f"clause {s.clause_no}" if s.clause_no else "", f"page {s.page_start}" if s.page_start else "")
                          if p)
        lines.append(f"{i}. {_cell(s.source)}{' (' + where + ')' if where else ''}: “{safe_quote_markdown(s.quote)[:600]}”")
    return "## Sources\n\n" + "\n".join(lines) if lines else ""
