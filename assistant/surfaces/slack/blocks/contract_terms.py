"""Key terms and SLA schedule replies (`/key-terms`, `/sla-schedule`): each term with its clause
and a short quote, the amendments in force, split under Slack's section limit."""

from __future__ import annotations

from assistant.surfaces.slack.blocks import MAX_BLOCKS, context, section
from assistant.surfaces.slack.security import escape

_QUOTE_CHARS = 160


def key_terms_blocks(terms) -> list[dict]:
    lines = [f"• party: {escape(p.name)}" + _quoted(p.citation) for p in terms.parties[:6]]
    for label, item in (("agreement date", terms.agreement_date), ("effective date", terms.effective_date),
                        ("expiration date", terms.expiration_date)):
        if item:
            basis = f" ({escape(item.basis)})" if item.basis else ""
            lines.append(f"• {label}: *{escape(item.text or item.iso)}*{basis}" + _clause(item.citation) + _quoted(item.citation))
    if terms.indefinite_term:
        lines.append("• term: no fixed end" + _clause(terms.indefinite_term.citation) + _quoted(terms.indefinite_term.citation))
    for label, item in (("initial term", terms.initial_term), ("renewal term", terms.renewal_term)):
        if item:
            lines.append(f"• {label}: *{escape(item.text)}*" + _clause(item.citation) + _quoted(item.citation))
    for n in terms.notice_periods:
        unit = "business days" if n.business_days else "days"
        lines.append(f"• notice ({escape(n.kind)}): *{n.days} {unit}* {escape(n.party)}".rstrip() + _clause(n.citation) + _quoted(n.citation))
    for cap in terms.liability_caps:
        lines.append(f"• liability cap: {escape(cap.text[:120])}" + _clause(cap.citation))
    if terms.governing_law:
        lines.append(f"• governing law: *{escape(terms.governing_law.jurisdiction)}*" + _clause(terms.governing_law.citation))
    blocks = [section(f"*Key terms:* {escape(terms.source)}" + _on(terms.as_of), "key_terms_title")]
    blocks += _chunked(lines or ["No key terms found in this document."], "key_terms")
    blocks += _amendment_blocks(terms)
    if terms.notes:
        blocks.append(context(escape("; ".join(terms.notes))[:2900], "key_terms_notes"))
    blocks.append(context("Only you can see this. The full table: `bpo-assistant key-terms <contract>`.", "key_terms_note"))
    return blocks[:MAX_BLOCKS]


def sla_schedule_blocks(schedule) -> list[dict]:
    from assistant.drafting.sla_calc import credit_rule

    lines = []
    for t in schedule.terms:
        if t.target_percent is not None:
            target = f"{t.comparator} {t.target_percent:g}% {t.threshold}".strip()
        else:
            target = f"{t.comparator} {t.threshold}" if t.threshold else "target not stated as a figure"
        parts = [f"• *{escape(t.metric)}*: {escape(target)}"]
        if t.measurement_window:
            parts.append(f"per {escape(t.measurement_window)}")
        if t.credit:
            parts.append(f"credit {escape(credit_rule(t.credit))}")
        lines.append(", ".join(parts) + _clause(t.citation) + _quoted(t.citation))
    if schedule.credit_cap_percent is not None:
        lines.append(f"• credit cap: {schedule.credit_cap_percent:g}% of monthly fees")
    if schedule.earn_back:
        lines.append(f"• earn-back: {escape(schedule.earn_back)}")
    blocks = [section(f"*SLA schedule:* {escape(schedule.contract_source)}" + _on(schedule.as_of), "sla_title")]
    blocks += _chunked(lines or ["No service-level table or SLA sentences found in this document."], "sla_terms")
    blocks += _amendment_blocks(schedule)
    blocks.append(context("Only you can see this. The full table: `bpo-assistant sla-schedule <SOW>`.", "sla_note"))
    return blocks[:MAX_BLOCKS]


def _amendment_blocks(result) -> list[dict]:
    """What the amendments in force changed, each with the amendment's own words (issue 26)."""
    changes = getattr(result, "amendments", [])
    unapplied = getattr(result, "may_change", [])
    if not changes and not unapplied:
        return []
    lines = [f"• {escape(c.summary)} ({escape(c.amendment)})" + _quoted(c.citation) for c in changes]
    lines += [f"• :warning: {escape(text)}" for text in unapplied]
    return _chunked([f"*Amendments in force on {escape(result.as_of)}*"] + lines, "amendments")


def _on(as_of: str) -> str:
    return f" (in force on {escape(as_of)})" if as_of else ""


def _clause(citation) -> str:
    return f" (clause {escape(citation.clause_no)})" if citation is not None and citation.clause_no else ""


def _quoted(citation) -> str:
    if citation is None or not citation.quote.strip():
        return ""
    quote = " ".join(citation.quote.split())
    quote = quote if len(quote) <= _QUOTE_CHARS else quote[: _QUOTE_CHARS - 1].rstrip() + "\u2026"
    return f"\n    _“{escape(quote)}”_"


def _chunked(lines: list[str], block_id: str, limit: int = 2900) -> list[dict]:
    """Lines in sections under Slack's 3000-character limit, never splitting a line."""
    out, current = [], ""
    for line in lines:
        line = line[:limit]
        if current and len(current) + 1 + len(line) > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return [section(text, f"{block_id}_{i}") for i, text in enumerate(out)]
