"""The vendor escalation email draft, addressed per the escalation matrix and the contract.

Who: an SLA miss is a contract matter, so it goes to the vendor's relationship manager named in
the MSA's governance clause (found in the matrix by role); otherwise the matrix's trigger row
for the declared severity decides the starting level, one level higher when the incident outlasted
the trigger's time limit. How: the matrix's subject-line format and channel rule; the MSA's
notices clause for the formal-notice copy. What: the calculator's figures, the SLA and credit
clauses, and the SOW's RCA deadline. Nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from assistant.drafting.context import (
    DraftSources,
    long_date, RUNBOOK_TYPES, DraftContext, add_business_days, deadline_basis, gather, rca_contents,
    rca_deadline,
)
from assistant.drafting.contract_clauses import clause_hits, notice_address, notice_form, prose_contacts
from assistant.drafting.evidence import clean, find_sentence
from assistant.drafting.matrix import (
    Contact, hours_limit, parse_contacts, parse_triggers, start_level, trigger_for, vendor_contacts,
)
from assistant.drafting.models import Draft, EmailHeader
from assistant.drafting.prose import write_section
from assistant.drafting.rca import TO_CONFIRM, when
from assistant.drafting.render import assemble, bullets, load_template, lower_first, split_sections
from assistant.drafting.sla_text import actual_text, outcome_text, sla_sentence, target_text, term_only_block, with_cite


@dataclass
class Addressing:
    to: Contact | None = None
    cc: list[Contact] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # cited sentences explaining the choice
    subject: str = ""
    channel: str = "Email"
    notice: list[str] = field(default_factory=list)


def build_escalation(sources: DraftSources, incident, caller, metrics=None, findings=None) -> Draft:
    """`findings`: (sentence, citation) pairs the position section states first, such as a
    persistent failure read from the metrics history and the right the contract gives for it."""
    ctx = gather(sources, incident, caller, metrics)
    template = load_template("escalation")
    addressing = address(ctx)
    due_text, rca_lines = _rca_request(ctx)
    position = _position(ctx, findings or [])
    mode = "template"
    prose = write_section(sources.answerer, template, ctx.evidence, "Service level and contract position", _facts(ctx),
                          position, ctx.warnings)
    if prose:
        position, mode = prose + "\n\n" + position, "llm"
    values = {
        "title": incident.title, "status_line": _status_line(template.version),
        "to": _person(addressing.to) if addressing.to else f"{TO_CONFIRM} (no escalation matrix found)",
        "cc": "; ".join(_person(c) for c in addressing.cc) or "—", "subject": addressing.subject,
        "channel": addressing.channel, "greeting": _greeting(addressing.to), "opening": _opening(ctx),
        "position": position, "requests": rca_lines, "closing": _closing(ctx),
        "signature": incident.prepared_by or "[your name]", "client": incident.client or "[company]",
        "addressing": bullets(addressing.reasons + addressing.notice) if addressing.reasons or addressing.notice else TO_CONFIRM,
    }
    slack = _slack(ctx, addressing, due_text)
    values["slack"] = "\n".join(f"> {line}" for line in slack.splitlines())
    markdown, citations = assemble(template, values, ctx.evidence.citations)
    email = EmailHeader(to=[_person(addressing.to)] if addressing.to else [], cc=[_person(c) for c in addressing.cc],
                        subject=addressing.subject, channel=addressing.channel)
    return Draft(kind="escalation", title=f"Escalation email (draft): {incident.title}", markdown=markdown,
                 sections=split_sections(markdown), citations=citations,
                 sla=ctx.report.results if ctx.report else [], sla_report=ctx.report, warnings=ctx.warnings,
                 email=email, slack_summary=slack, mode=mode, template_version=template.version,
                 generated_at=datetime.now(timezone.utc))


def _status_line(version: str) -> str:
    return (f"*Draft generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by BPO Assistant (template {version}). "
            "Nothing has been sent. Remove the [n] markers or keep them with the source list before sending.*")


def _person(c: Contact) -> str:
    return f"{c.name} <{c.email}> ({c.role}, {c.label})" if c.email else f"{c.name} ({c.role}, {c.label})"


def _greeting(c: Contact | None) -> str:
    return f"Dear {c.name.split()[0]}," if c and c.name else "Dear [name],"


# -- who, and how ----------------------------------------------------------------------------
def address(ctx: DraftContext) -> Addressing:
    ev, inc, out = ctx.evidence, ctx.incident, Addressing()
    found = ev.search(f"vendor escalation matrix levels {inc.vendor} role name email phone response time", k=8,
                      doc_types=RUNBOOK_TYPES)
    matrix = next((r for r in found if parse_contacts([r])), None)
    if matrix is None:
        out.subject = f"ESCALATION - {inc.title}"
        _contract_path(ctx, out)
        out.notice = _notice(ctx)
        return out
    rows = ev.search("Level 1 Level 2 Level 3 escalation contacts role name email phone response time", k=15,
                     sources=[matrix.source])
    levels = vendor_contacts(parse_contacts(rows + found), inc.vendor, inc.client)
    triggers = parse_triggers(ev.pool(matrix.source))
    _choose(ctx, out, levels, triggers)
    fmt = find_sentence(rows, r'subject line "([^"]+)"')
    level = out.to.label if out.to else "[level]"
    if fmt:
        out.subject = fmt[2].group(1).replace("[level]", level).replace("[short description]", inc.title)
        out.reasons.append(f"Subject line in the matrix's format: “{clean(fmt[1])}” {ev.cite(fmt[0], fmt[1])}")
    else:
        out.subject = f"ESCALATION - {level} - {inc.title}"
    _channel(ctx, out, rows)
    out.notice = _notice(ctx)
    return out


def _choose(ctx: DraftContext, out: Addressing, levels: list[Contact], triggers) -> None:
    ev, inc = ctx.evidence, ctx.incident
    if not levels:
        out.reasons.append(f"The escalation matrix has no table for {inc.vendor or 'the vendor'}: recipients {TO_CONFIRM}.")
        return
    by_level = {c.level: c for c in levels}
    manager = _relationship_manager(ctx) if ctx.missed else None
    if manager:
        role, result, sentence = manager
        contact = next((c for c in levels if role.lower() in c.role.lower()), None)
        if contact:
            out.to = contact
            out.reasons.append(f"A missed Service Level is a contract matter for the vendor's relationship manager: "
                               f"“{clean(sentence)}” {ev.cite(result, sentence)}")
    trigger = trigger_for(triggers, inc.severity, bool(ctx.missed))
    if out.to is None and trigger:
        level = start_level(trigger) or levels[0].level
        out.reasons.append(f"Escalation trigger “{trigger.situation}”: start at {trigger.start_at}; escalate to the next level "
                           f"if {lower_first(trigger.escalate_if)} {ev.cite(trigger.result, trigger.line)}")
        limit = hours_limit(trigger)
        duration = (inc.ended_at - inc.started_at).total_seconds() / 3600 if inc.started_at and inc.ended_at else None
        if limit is not None and duration is not None and duration > limit and level + 1 in by_level:
            out.reasons.append(f"The incident lasted {inc.duration_text}, beyond the trigger's {limit:g}-hour limit, so this "
                               f"goes to Level {level + 1}.")
            level += 1
        out.to = by_level.get(level, levels[0])
    if out.to is None:
        out.to = levels[0]
        out.reasons.append(f"No escalation trigger matched (severity {inc.severity or 'not given'}): addressed to the first "
                           "level of the matrix.")
    out.reasons.append(f"{out.to.label} contact: “{clean(out.to.line)}” {ev.cite(out.to.result, out.to.line)}")
    below = by_level.get(out.to.level - 1)  # the level that owns the day-to-day work stays informed
    if below is not None:
        out.cc.append(below)
        out.reasons.append(f"Cc {below.label}: “{clean(below.line)}” {ev.cite(below.result, below.line)}")


def _contract_path(ctx: DraftContext, out: Addressing) -> None:
    """No matrix table: the escalation path the contract writes out ("first be raised with the
    Supplier Service Delivery Manager, <name> (<email>) ... escalated to ...")."""
    ev = ctx.evidence
    results = clause_hits(ctx, "Governance") + ctx.contract_search(
        "operational issues shall first be raised with the manager escalated to the director email", k=6, own_contract=True)
    contacts = prose_contacts(ctx, results)
    if not contacts:
        out.reasons.append(f"No escalation matrix with contact rows was found, and the contract names no escalation "
                           f"contact: recipients {TO_CONFIRM}.")
        return
    out.to = contacts[0]
    out.reasons.append(f"No escalation matrix table was found; the contract's escalation clause names the first contact: "
                       f"“{clean(out.to.line)}” {ev.cite(out.to.result, out.to.line)}")
    if len(contacts) > 1:
        out.cc.append(contacts[1])
        if contacts[1].line != out.to.line:
            out.reasons.append(f"Cc the next escalation level: “{clean(contacts[1].line)}” "
                               f"{ev.cite(contacts[1].result, contacts[1].line)}")
    out.subject = f"ESCALATION - {out.to.role or out.to.name} - {ctx.incident.title}"


def _governance(ctx: DraftContext):
    return ctx.contract_search("governance relationship managers day-to-day relationship dispute escalation referred",
                               k=4, doc_types=["msa"])


def _relationship_manager(ctx: DraftContext):
    results = _governance(ctx)
    pattern = r"for (?:the )?(?:Supplier|Vendor|Service Provider)(?: this)? (?:it )?is the ([A-Z][A-Za-z ]+?)[.;,]"
    found = find_sentence(results, pattern)
    return (found[2].group(1).strip(), found[0], found[1]) if found else None


def _channel(ctx: DraftContext, out: Addressing, rows) -> None:
    ev, inc = ctx.evidence, ctx.incident
    rule = find_sentence(rows, r"do not rely on email or chat alone")
    sev = inc.severity.strip().upper().replace(" ", "-")
    if not (rule and sev and sev in rule[1].upper().replace(" ", "-")):
        return
    cite = ev.cite(rule[0], rule[1])
    if inc.ended_at is None:
        phone = f" on {out.to.phone}" if out.to and out.to.phone else ""
        out.channel = f"Phone call to {out.to.name if out.to else 'the contact'}{phone} first, then this email"
        out.reasons.append(f"Channel: the incident is still open and “{clean(rule[1])}” {cite}")
    else:
        out.reasons.append(f"Channel: email is enough now that the incident is resolved; while a {sev} is open, "
                           f"“{clean(rule[1])}” {cite}")


def _notice(ctx: DraftContext) -> list[str]:
    """How a formal notice is given, from the contract's Notices clause (found by clause type)."""
    if not ctx.contract_available:
        return []
    hits = clause_hits(ctx, "Notices")
    if not hits:
        return [f"Formal notice details: {TO_CONFIRM} (no notices clause found)."]
    form, address = notice_form(hits), notice_address(hits, ctx.incident.vendor or "")
    if not (form or address):
        return [f"Formal notice details: {TO_CONFIRM} (the notices clause gives no form or address)."]
    first = (form or address)[0]
    clause = f"clause {first.clause_no} of {first.source}" if first.clause_no else first.source
    text = f"This email is an operational escalation, not a formal notice. Formal notices follow {clause}"
    if form:
        text += f": “{clean(form[1])}” {ctx.evidence.cite(form[0], form[1])}"
    if address:
        hit, sentence, emails, attention = address
        who = ", ".join([*(f"Attention: {a}" for a in attention[:1]), *emails[:2]])
        text += f"; a formal notice to the vendor goes to {who}: “{clean(sentence)}” {ctx.evidence.cite(hit, sentence)}"
    return [text + "."]


# -- what ------------------------------------------------------------------------------------
def _opening(ctx: DraftContext) -> str:
    inc = ctx.incident
    sev = f" (declared {inc.severity})" if inc.severity else ""
    line = f"the {lower_first(inc.process)} line" if inc.process else "the service"
    what = (f"I am writing to escalate an incident on {line} that {inc.vendor or 'your team'} runs for "
            f"{inc.client or 'us'}: “{inc.title}”{sev}.")
    facts = []
    if inc.started_at:
        facts.append(f"It started at {when(inc.started_at)}" + (f" and was resolved at {when(inc.ended_at)} ({inc.duration_text})"
                                                                 if inc.ended_at else " and is still open"))
    if inc.affected_volume is not None:
        facts.append(f"{inc.affected_volume:,} {inc.affected_unit} were affected")
    if inc.customer_impact:
        facts.append(inc.customer_impact.rstrip("."))
    return what + (" " + "; ".join(facts) + "." if facts else "")




def _position(ctx: DraftContext, findings: list) -> str:
    if not ctx.contract_available:
        return ctx.unavailable
    ev = ctx.evidence
    lines = [with_cite(text, ev.cite_span(span)) for text, span in findings]
    if ctx.report and ctx.report.results:
        lines += [sla_sentence(r, ev, ctx.report.window_label) for r in ctx.report.results]
        caps = dict(zip(ctx.report.periods, ctx.report.caps)) if len(ctx.report.caps) > 1 else {}
        for cap in ([ctx.report.cap] if ctx.report.cap else [caps[p] for p in dict.fromkeys(r.period for r in ctx.missed)
                                                            if p in caps]) if ctx.missed else []:
            lines.append(f"Total credits are capped at {cap.cap_percent:g}% of total monthly fees {ev.cite_span(cap.citation)}; "
                         f"{cap.explanation}.")
        if ctx.missed and ctx.report.earn_back:
            lines.append(with_cite(f"We note the earn-back rule: {lower_first(ctx.report.earn_back)}",
                                   ev.cite_span(ctx.report.earn_back_citation)))
        judged = [r for r in ctx.report.results if r.status in ("met", "missed")]
        if not judged:
            # No rows in the window is not a met Service Level: nothing can be said about a credit yet.
            lines.append(f"Adherence for {ctx.report.window_label or 'the window'}: {TO_CONFIRM} (the metrics file has no "
                         "data for it), so whether a service credit applies is still open.")
        elif not ctx.missed:
            lines.append("The monthly Service Level was not missed, so no service credit applies; the escalation is about "
                         "the incident itself and preventing a repeat.")
    elif ctx.term:
        lines.append(term_only_block(ctx.term, ev))
    else:
        lines.append(f"Service level impact: {TO_CONFIRM}.")
    return bullets(lines)


def _rca_request(ctx: DraftContext) -> tuple[str, str]:
    """(due date text, numbered requests). The period comes from the contract when readable."""
    ev, items, due_text = ctx.evidence, [], ""
    found = rca_deadline(ctx)
    if found:
        result, sentence, days = found
        basis_day, basis = deadline_basis(ctx)
        due = add_business_days(basis_day, days) if basis_day else None
        due_text = long_date(due) if due else f"within {days} business days"
        applies = "" if ctx.missed or ctx.incident.severity.upper().replace(" ", "-") == "SEV-1" else \
            (" No Service Level was missed, so we are asking for it on the same timeline as a courtesy rather than as a "
             "contractual obligation.")
        items.append(f"A root cause analysis by **{due_text}**, {days} business days after {basis}: “{clean(sentence)}” "
                     f"{ev.cite(result, sentence)}.{applies}")
        contents = rca_contents(ctx)
        if contents:
            items.append(f"The analysis should cover what the contract lists: “{clean(contents[1])}” {ev.cite(*contents)}")
    elif ctx.contract_available:
        items.append(f"A root cause analysis within the contractual period ({TO_CONFIRM}: no RCA clause found).")
    else:
        items.append(f"A root cause analysis and a corrective action plan with owners and due dates (period {TO_CONFIRM}).")
    if not any("corrective action plan" in i for i in items):
        items.append("A corrective and preventive action plan with named owners and due dates.")
    if ctx.missed:
        items.append("Confirmation that the service credit will appear on the next invoice.")
    items.append("Your view of the immediate steps in place to prevent a recurrence this month.")
    return due_text, "\n".join(f"{i}. {text}" for i, text in enumerate(items, 1))


def _closing(ctx: DraftContext) -> str:
    ev = ctx.evidence
    governance = find_sentence(_governance(ctx), r"first be referred to the relationship managers")
    text = ("We value the work your team does for our customers and want to resolve this together. Please confirm receipt "
            "and the RCA date by reply.")
    if governance:
        text += (f" Should we disagree on the figures, the agreement's dispute process applies: “{clean(governance[1])}” "
                 f"{ev.cite(governance[0], governance[1])}")
    return text


def _facts(ctx: DraftContext) -> str:
    inc = ctx.incident
    return "\n".join([f"title: {inc.title}", f"severity: {inc.severity}", f"started: {when(inc.started_at)}",
                      f"ended: {when(inc.ended_at)}", f"vendor: {inc.vendor}"])


def _slack(ctx: DraftContext, addressing: Addressing, due_text: str) -> str:
    inc = ctx.incident
    to = f"{addressing.to.name} ({addressing.to.role}, {addressing.to.label})" if addressing.to else "recipient to confirm"
    lines = [f"Escalation draft to {to}: {inc.title}" + (f" ({inc.severity})" if inc.severity else "")]
    if ctx.report and ctx.report.results:
        r = ctx.report.results[0]
        credit = (f"; credit {r.credit.percent_of_fees:g}% of {r.credit.fee_basis}"
                  if r.credit and r.credit.percent_of_fees else "")
        lines.append(f"{r.metric} {ctx.report.window_label}: {actual_text(r)} vs {target_text(r.comparator, r.target)} — "
                     f"{outcome_text(r)}{credit}")
    lines.append((f"Asks for an RCA by {due_text}. " if due_text else "") + "Draft only: nothing was sent.")
    return "\n".join(lines[:3])
