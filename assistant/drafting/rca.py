"""The root cause analysis draft: facts from the incident report, figures from the SLA
calculator, expectations from the runbook and obligations from the contract, each cited.

Sentences taken from documents carry [n]; statements from the incident report say so; anything
neither supports is marked "to confirm".
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from assistant.drafting.context import (
    DraftSources,
    long_date, DraftContext, add_business_days, deadline_basis, gather, rca_contents,
    rca_deadline,
)
from assistant.drafting.evidence import clean, find_sentence, table_rows
from assistant.drafting.models import Draft
from assistant.drafting.prose import write_section
from assistant.drafting.render import assemble, bullets, load_template, md_table, split_sections
from assistant.drafting.runbook import Step, match_steps, runbook_steps
from assistant.drafting.sla_calc import points_text
from assistant.drafting.sla_text import actual_text, outcome_text, sla_block, sla_sentence, target_text, term_only_block

TO_CONFIRM = "to confirm"
OWNER_TBD = "Owner: to assign"
DUE_TBD = "Due: to assign"
FACTOR_WORDS = {
    "people": ("absence", "absent", "attrition", "staff", "headcount", "sick", "training", "trained", "overtime",
               "new hire", "shift"),
    "process": ("forecast", "procedure", "runbook", "process", "escalat", "approval", "handoff", "hand-off",
                "communication", "policy"),
    "technology": ("system", "outage", "tool", "routing", "platform", "network", "ticketing", "bug", "integration",
                   "config", "release", "deploy"),
    "vendor": ("vendor", "supplier", "subcontract", "bpo"),
}


def build_rca(sources: DraftSources, incident, caller, metrics=None) -> Draft:
    ctx = gather(sources, incident, caller, metrics)
    template = load_template("rca")
    steps = runbook_steps(ctx)
    match_steps(steps, incident.factual_statements(), sources.embedder)
    values = {"title": incident.title, "status_line": _status_line(template.version)}
    values["facts"] = _facts_table(ctx)
    values["summary"] = _summary(ctx)
    values["timeline"] = _timeline(ctx)
    values["impact"] = _impact(ctx)
    values["sla"] = _sla(ctx)
    values["runbook"] = _runbook(ctx, steps)
    values["root_cause"] = _root_cause(ctx, steps)
    values["actions"] = _actions(ctx, steps)
    values["followups"] = _followups(ctx)
    mode = "template"
    prose = write_section(sources.answerer, template, ctx.evidence, "What the runbook says should have happened, and what did",
                          _facts_text(ctx), values["runbook"], ctx.warnings)
    if prose:
        values["runbook"] = prose + "\n\n" + values["runbook"]
        mode = "llm"
    markdown, citations = assemble(template, values, ctx.evidence.citations)
    return Draft(kind="rca", title=f"Root cause analysis (draft): {incident.title}", markdown=markdown,
                 sections=split_sections(markdown), citations=citations,
                 sla=ctx.report.results if ctx.report else [], sla_report=ctx.report, warnings=ctx.warnings,
                 slack_summary=_slack(ctx), mode=mode, template_version=template.version,
                 generated_at=datetime.now(timezone.utc))


def _status_line(version: str) -> str:
    now = datetime.now(timezone.utc)
    return (f"*Draft generated {now:%Y-%m-%d %H:%M} UTC by BPO Assistant (template {version}). Nothing has been sent. "
            "[n] markers cite the sources listed at the end; statements marked “to confirm” are supported neither by "
            "the incident report nor by the documents.*")


def when(moment: datetime | None) -> str:
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC" if moment else TO_CONFIRM


def _facts_table(ctx: DraftContext) -> str:
    inc = ctx.incident
    rows = [["Process", inc.process or TO_CONFIRM], ["Vendor", inc.vendor or TO_CONFIRM],
            ["Severity (as declared)", inc.severity or TO_CONFIRM], ["Started", when(inc.started_at)],
            ["Ended", when(inc.ended_at)], ["Duration", inc.duration_text or TO_CONFIRM],
            ["Affected volume",
             f"{inc.affected_volume:,} {inc.affected_unit}" if inc.affected_volume is not None else TO_CONFIRM],
            ["Contract", ctx.contract_source or "not available"], ["Prepared by", inc.prepared_by or TO_CONFIRM]]
    return md_table(["Field", "Value"], rows)


def _summary(ctx: DraftContext) -> str:
    inc = ctx.incident
    paragraphs = []
    lead = f"{inc.title}."
    if inc.description:
        lead += f" From the incident report: {inc.description.strip()}"
    paragraphs.append(lead)
    if inc.started_at:
        span = f"from {when(inc.started_at)} to {when(inc.ended_at)}" + (f" ({inc.duration_text})" if inc.duration_text else "")
        paragraphs.append(f"The incident ran {span}" + (f" and was declared {inc.severity}." if inc.severity else "."))
    sev = severity_definition(ctx)
    if sev:
        paragraphs.append(sev)
    if ctx.report:
        for r in ctx.report.results:
            paragraphs.append(sla_sentence(r, ctx.evidence, ctx.report.window_label))
    deadline = rca_due_sentence(ctx)
    if deadline:
        paragraphs.append(deadline)
    return "\n\n".join(paragraphs)


def severity_definition(ctx: DraftContext) -> str:
    """The runbook's definition of the declared severity, quoted from its severity table."""
    sev = ctx.incident.severity.strip().upper()
    if not re.fullmatch(r"SEV-?\d", sev):
        return ""
    results = ctx.evidence.pool(ctx.runbook_source) if ctx.runbook_source else []
    for r in results:
        for line, cells in table_rows(r):
            if cells and cells[0].upper().replace(" ", "") == sev.replace(" ", ""):
                return f"The runbook defines {sev} as: {'; '.join(c for c in cells[1:] if c)} {ctx.evidence.cite(r, line)}."
    return ""


def rca_due_sentence(ctx: DraftContext) -> str:
    found = rca_deadline(ctx)
    if not found:
        if not ctx.contract_available:
            return ""
        return f"RCA delivery deadline: {TO_CONFIRM} (no RCA clause was found in {ctx.contract_source})."
    result, sentence, days = found
    cite = ctx.evidence.cite(result, sentence)
    basis_day, basis = deadline_basis(ctx)
    due = f" Counting from the day {basis}, that is by {long_date(add_business_days(basis_day, days))} (business days " \
          "counted Monday to Friday; public holidays not excluded)." if basis_day else ""
    courtesy = ""
    if not ctx.missed and ctx.incident.severity.strip().upper().replace(" ", "-") != "SEV-1":
        courtesy = " No Service Level was missed, so the date is good practice here rather than a contractual deadline."
    return f"The contract requires: \"{clean(sentence)}\" {cite}.{due}{courtesy}"


def _timeline(ctx: DraftContext) -> str:
    inc = ctx.incident
    rows = [[when(t.at), t.event, t.by or "—"] for t in inc.sorted_timeline()]
    if not rows:
        return f"No timeline entries were given: {TO_CONFIRM}. Start: {when(inc.started_at)}; end: {when(inc.ended_at)}."
    return "Times are UTC; entries are from the incident report.\n\n" + md_table(["Time (UTC)", "Event", "Recorded by"], rows)


def _impact(ctx: DraftContext) -> str:
    inc = ctx.incident
    items = [f"Customer impact: {inc.customer_impact or TO_CONFIRM}.".replace("..", "."),
             f"Business impact: {inc.business_impact or TO_CONFIRM}.".replace("..", "."),
             "Affected volume: " + (f"{inc.affected_volume:,} {inc.affected_unit}." if inc.affected_volume is not None
                                    else f"{TO_CONFIRM}.")]
    return "From the incident report:\n\n" + bullets(items)


def _sla(ctx: DraftContext) -> str:
    if not ctx.contract_available:
        return ctx.unavailable
    if ctx.report and ctx.report.results:
        return sla_block(ctx.report, ctx.evidence)
    if ctx.report:
        return "The metrics file holds no data for any SLA metric of the contract: " + "; ".join(ctx.report.notes or ["no rows"])
    if ctx.term:
        return term_only_block(ctx.term, ctx.evidence)
    if ctx.schedule is None:
        return f"The SLA schedule could not be read: SLA impact {TO_CONFIRM}."
    return f"No SLA metric was identified for this incident (set `sla_metric` in the incident): {TO_CONFIRM}."


def _runbook(ctx: DraftContext, steps: list[Step]) -> str:
    if not steps:
        return f"No runbook steps were found for this process: {TO_CONFIRM}."
    ev = ctx.evidence
    rows = []
    for s in steps:
        did = (f"Recorded in the incident report: “{s.match}” (matched automatically; {TO_CONFIRM})" if s.match
               else f"Not recorded in the incident report — {TO_CONFIRM}")
        rows.append([s.section, f"{s.text} {ev.cite(s.result, s.quote)}", did])
    missing = sum(1 for s in steps if not s.match)
    title = steps[0].result.title
    lead = (f"Steps from *{title}* that apply to this incident, compared with the incident report. {missing} of {len(steps)} "
            "steps are not evidenced in the report; each is either a deviation (process drift) or an omission in the "
            "report, to confirm with the shift lead.")
    return lead + "\n\n" + md_table(["Runbook section", "Runbook says", "What happened"], rows)


def _root_cause(ctx: DraftContext, steps: list[Step]) -> str:
    inc = ctx.incident
    answers = list(inc.whys) or ([inc.suspected_cause] if inc.suspected_cause else [])
    rows = []
    question = f"Why did “{inc.title}” happen?"
    for i in range(5):
        answer = answers[i] if i < len(answers) else TO_CONFIRM
        rows.append([str(i + 1), question, answer, "from the incident report" if i < len(answers) else TO_CONFIRM])
        question = "Why did that happen?"
    parts = ["**Five whys** (each answer is the next question):", md_table(["#", "Question", "Answer", "Basis"], rows)]
    checks = _cause_checklist(ctx)
    if checks:
        parts.append("**Causes the runbook says to check:**\n\n" + bullets(checks))
    parts.append("**Contributing factors**\n\n" + md_table(["Category", "Factor", "Basis"], _factors(ctx, steps)))
    return "\n\n".join(parts)


def _cause_checklist(ctx: DraftContext) -> list[str]:
    results = ctx.evidence.pool(ctx.runbook_source) if ctx.runbook_source else []
    items = []
    for r in results:
        found = [line for line in r.text.splitlines() if re.search(r"^\s*(?:\d+\.\s*)?check for", line, re.IGNORECASE)]
        for line in found:
            quote = re.sub(r"^\s*\d+\.\s*", "", line).strip()
            items.append(f"{clean(quote)} {ctx.evidence.cite(r, quote)} — {TO_CONFIRM}")
    return items[:4]


def _factors(ctx: DraftContext, steps: list[Step]) -> list[list[str]]:
    inc = ctx.incident
    rows: dict[str, list[list[str]]] = {c: [] for c in FACTOR_WORDS}
    for category, factors in inc.contributing_factors.items():
        rows[category] += [[category, f, "from the incident report"] for f in factors]
    if not inc.contributing_factors:
        text = " ".join([inc.suspected_cause, inc.description])
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            lowered = sentence.lower()
            for category, words in FACTOR_WORDS.items():
                if sentence.strip() and any(w in lowered for w in words):
                    rows[category].append([category, sentence.strip(),
                                           f"incident report, categorised automatically — {TO_CONFIRM}"])
    drift = [s for s in steps if not s.match][:3]
    for s in drift:
        rows["process"].append(["process", f"Runbook step not evidenced: {s.text} {ctx.evidence.cite(s.result, s.quote)}",
                                TO_CONFIRM])
    for r in ctx.missed:
        rows["vendor"].append(["vendor", f"{r.metric} missed by {points_text(r.miss_points)} "
                               f"{ctx.evidence.cite_span(r.citation)}", "SLA calculator"])
    out = []
    for category, items in rows.items():
        out += items or [[category, "None identified", TO_CONFIRM]]
    return out


def _actions(ctx: DraftContext, steps: list[Step]) -> str:
    inc = ctx.incident
    rows = [[a.action, a.kind, a.owner or OWNER_TBD, f"{a.due:%Y-%m-%d}" if a.due else DUE_TBD, a.status or "open",
             "incident report"] for a in inc.corrective_actions]
    due = rca_deadline(ctx)
    if due:
        basis_day, _ = deadline_basis(ctx)
        date_text = f"{add_business_days(basis_day, due[2]):%Y-%m-%d}" if basis_day else DUE_TBD
        rows.append([f"Deliver this root cause analysis to {inc.client or 'the client'}", "corrective", OWNER_TBD,
                     date_text, "open", f"contract {ctx.evidence.cite(due[0], due[1])}"])
    for s in [s for s in steps if not s.match][:3]:
        rows.append([f"Confirm whether the runbook step “{_short(s.text)}” was followed; if not, re-brief the shift leads",
                     "preventive", OWNER_TBD, DUE_TBD, "proposed", f"runbook {ctx.evidence.cite(s.result, s.quote)}"])
    for r in ctx.missed:
        rows.append([f"Restore {r.metric} to target and track earn-back month by month", "corrective", OWNER_TBD, DUE_TBD,
                     "proposed", f"SLA {ctx.evidence.cite_span(r.citation)}"])
    if not rows:
        return f"No actions were given: {TO_CONFIRM}."
    contents = rca_contents(ctx)
    lead = ""
    if contents:
        lead = f"The contract asks for: \"{clean(contents[1])}\" {ctx.evidence.cite(*contents)}\n\n"
    return lead + md_table(["Action", "Type", "Owner", "Due", "Status", "Basis"], rows)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _followups(ctx: DraftContext) -> str:
    ev, items = ctx.evidence, []
    pool = ev.pool(ctx.runbook_source) if ctx.runbook_source else []
    review = find_sentence([r for r in pool if re.search(r"after the incident|post-incident|review", r.section_path, re.I)],
                           r"reviews every|post-incident review|action log")
    if review:
        items.append(f"{clean(review[1])} {ev.cite(review[0], review[1])}")
    governance = find_sentence(ctx.contract_search("monthly service review service levels root cause analyses open actions",
                                                   k=4), r"monthly service review")
    if governance:
        items.append(f"Table this RCA at the monthly service review: “{clean(governance[1])}” "
                     f"{ev.cite(governance[0], governance[1])}")
    if ctx.missed:
        credits = ctx.contract_search("service credits deducted from the invoice; service level miss excused exclusions",
                                      k=6, own_contract=True)
        invoice = find_sentence(credits, r"deducted from[^.]*invoice|invoice[^.]*deduct")
        if invoice:
            items.append(f"Check the credit on the next invoice: “{clean(invoice[1])}” {ev.cite(invoice[0], invoice[1])}")
        exclusion = find_sentence(credits, r"excused|exclusion")
        if exclusion:
            items.append(f"Check whether the vendor claims an exclusion: “{clean(exclusion[1])}” "
                         f"{ev.cite(exclusion[0], exclusion[1])}")
    items.append(f"Confirm every item marked “{TO_CONFIRM}” with the shift lead and the vendor before circulating.")
    return bullets(items)


def _facts_text(ctx: DraftContext) -> str:
    inc = ctx.incident
    lines = [f"title: {inc.title}", f"process: {inc.process}", f"severity: {inc.severity}",
             f"started: {when(inc.started_at)}", f"ended: {when(inc.ended_at)}"]
    lines += [f"action taken: {a}" for a in inc.actions_taken]
    return "\n".join(lines)


def _slack(ctx: DraftContext) -> str:
    inc = ctx.incident
    first = f"RCA draft: {inc.title}" + (f" ({inc.severity}, {inc.duration_text})" if inc.severity and inc.duration_text else "")
    sla = ""
    if ctx.report and ctx.report.results:
        r = ctx.report.results[0]
        sla = f"{r.metric}: {actual_text(r)} vs {target_text(r.comparator, r.target)} target — {outcome_text(r)}"
    lines = [first] + ([sla] if sla else []) + ["Draft only: review the items marked “to confirm” before sharing."]
    return "\n".join(lines[:3])
