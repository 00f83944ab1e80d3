"""Contracts: the readable contracts, and one contract's page: key terms with citations and the SLA
schedule as in force on a date, the documents that amend it and what each changed, the SOP/runbook
conflicts it is part of, and the scorecard over its metrics history (a coordinator loads a metrics
file from the page).

A contract is named by doc_id in the URL and looked up among the caller's documents only, so a
guessed id of an unreadable contract is a 404 like a missing one. Everything shown comes from the
service methods the API uses (key_terms, sla_schedule, conflicts, drafts.scorecard), which apply
the caller's access themselves: nothing here filters documents by role.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.contracts.in_force import as_of_date
from assistant.contracts.sla_models import SlaTerm, SourceSpan
from assistant.errors import AssistantError, NotFound
from assistant.models import CONTRACT_DOC_TYPES, DocumentInfo
from assistant.surfaces.web import metrics_upload, scorecard_view
from assistant.surfaces.web.routing import PathId, SessionDep, WebRoute, check_csrf, query_values, render
from assistant.surfaces.web.sessions import Session
from assistant.text.quantities import dates

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@dataclass
class TermRow:
    label: str
    value: str
    citation: SourceSpan | None


@router.get("/contracts")
async def contracts_page(request: Request, session: SessionDep) -> Response:
    docs = [d for d in request.app.state.service.documents(session.caller()) if d.doc_type in CONTRACT_DOC_TYPES]
    docs.sort(key=lambda d: (d.title or d.source).casefold())
    return render(request, "contracts.html", {"contracts": docs}, session=session)


def readable_contract(request: Request, session: Session, doc_id: str) -> tuple[DocumentInfo, list[DocumentInfo]]:
    """The contract `doc_id` among the caller's documents (404 otherwise), and all of those documents."""
    docs = request.app.state.service.documents(session.caller())
    doc = next((d for d in docs if d.doc_id == doc_id and d.doc_type in CONTRACT_DOC_TYPES), None)
    if doc is None:
        raise NotFound(f"no contract with id {doc_id} among the documents you can read")
    return doc, docs


def _one(request: Request, name: str, length: int = 20) -> str | None:
    values = query_values(request, name, limit=1, length=length)
    return values[0] if values else None


@router.get("/contracts/{doc_id}")
async def contract_page(request: Request, session: SessionDep, doc_id: PathId) -> Response:
    service, caller = request.app.state.service, session.caller()
    doc, docs = readable_contract(request, session, doc_id)
    asked = _one(request, "as_of")
    as_of = as_of_date(asked)  # a bad date is a 422 page naming it
    first, last = _one(request, "from"), _one(request, "to")
    terms, sla, problems = None, None, []
    try:
        terms = await run_in_threadpool(service.contracts.key_terms, doc.source, caller, as_of)
    except AssistantError as exc:  # one part failing still shows the others
        problems.append(f"Key terms: {exc.message}")
    try:
        sla = await run_in_threadpool(service.contracts.sla_schedule, doc.source, caller, as_of)
    except AssistantError as exc:
        problems.append(f"SLA schedule: {exc.message}")
    conflicts, preferred = [], None
    if doc.duplicate_of:  # the check reads each document once, as its preferred copy: point there
        preferred = next((d for d in docs if d.doc_id == doc.duplicate_of), None)
    else:
        try:
            conflicts = (await run_in_threadpool(service.conflicts, caller, doc.source)).conflicts
        except AssistantError as exc:
            problems.append(f"Conflicts: {exc.message}")
    card, card_problem, has_history = None, "", False
    if sla is not None and sla.terms:
        # The contract is one the caller reads (above): whether its history holds anything decides
        # between the scorecard and an invitation to load a file (the service refuses an empty one).
        has_history = bool(await run_in_threadpool(service.drafts.history.months, doc.source))
    if has_history:
        try:
            card = await run_in_threadpool(service.drafts.scorecard, doc.source, caller, first=first, last=last)
        except AssistantError as exc:
            card_problem = exc.message
    outcome = metrics_upload.take_outcome(session, doc.doc_id)
    changes = applied_changes(terms, sla)
    context = {
        "doc": doc, "as_of": as_of, "as_of_asked": bool(asked),
        "terms": key_term_rows(terms) if terms else [], "notes": terms.notes if terms else [],
        "sla": sla, "sla_rows": [sla_row(t) for t in sla.terms] if sla else [], "problems": problems,
        "amended_by": amending_documents(doc, docs, changes, as_of), "changes": changes,
        "amends": next((d for d in docs if d.doc_id == doc.amends), None) if doc.amends else None, "conflicts": conflicts, "preferred": preferred,
        "card": card, "card_problem": card_problem, "has_history": has_history, "months": scorecard_view.month_rows(card) if card else [],
        "charts": scorecard_view.charts(card) if card else [], "period_from": first or "", "period_to": last or "",
        "outcome": outcome, "metrics_limit": metrics_upload.METRICS_BYTES,
    }
    return render(request, "contract.html", context, session=session)


@router.post("/contracts/{doc_id}/metrics")
async def load_metrics(request: Request, session: SessionDep, doc_id: PathId, csrf: str = "") -> Response:
    """A metrics file (CSV or XLSX) added to the contract's history; the page then shows the new scorecard."""
    # A multipart body is read by the bounded upload reader, so the token travels in the query.
    check_csrf(request, session, csrf)
    # The contract is checked before the body is read: a role that can't read it never makes us read a file.
    doc, _ = readable_contract(request, session, doc_id)
    await metrics_upload.load(request, session, doc)
    return RedirectResponse(f"/contracts/{doc.doc_id}#scorecard", status_code=303)


def amending_documents(doc: DocumentInfo, docs: list[DocumentInfo], changes: list, as_of: str) -> list[dict]:
    """The readable documents that amend `doc`, earliest first, each with its effective date (ISO)
    and whether it is in force on `as_of`: it is when one of its changes is applied, it is not yet
    when it takes effect later; a document stating no date says neither."""
    applied = {c.amendment: c.effective for c in changes}
    out = []
    for d in (d for d in docs if d.amends == doc.doc_id):
        stated = next((m.iso for m in dates(d.effective_date) if m.iso), "") if d.effective_date else ""
        effective = stated or applied.get(d.source, "")
        state = "in_force" if d.source in applied or (effective and effective <= as_of) else "later" if effective else ""
        out.append({"doc": d, "effective": effective, "state": state})
    return sorted(out, key=lambda a: (a["effective"] or "9999", a["doc"].source))


def applied_changes(terms, sla) -> list:
    """Each change in force, once (key terms and the SLA schedule report the same amendments)."""
    seen, out = set(), []
    for change in [*(terms.amendments if terms else []), *(sla.amendments if sla else [])]:
        key = (change.amendment, change.action, change.target, change.summary)
        if key not in seen:
            seen.add(key)
            out.append(change)
    return out


def key_term_rows(terms) -> list[TermRow]:
    """Key terms as (label, value, citation) rows, in the order a reader checks them."""
    rows = [TermRow("Party", p.name + (f" (“{'”, “'.join(p.defined_as)}”)" if p.defined_as else ""), p.citation)
            for p in terms.parties]
    for label, term in (("Agreement date", terms.agreement_date), ("Effective date", terms.effective_date),
                        ("Expiration date", terms.expiration_date)):
        if term is not None:
            rows.append(TermRow(label, term.text + (f" ({term.basis})" if term.basis else ""), term.citation))
    for label, term in (("Initial term", terms.initial_term), ("Renewal term", terms.renewal_term),
                        ("Term", terms.indefinite_term)):
        if term is not None:
            rows.append(TermRow(label, term.text, term.citation))
    rows += [TermRow(f"Notice: {n.kind.replace('_', ' ')}", n.text + (f", by {n.party}" if n.party else ""), n.citation)
             for n in terms.notice_periods]
    rows += [TermRow("Liability cap", c.text, c.citation) for c in terms.liability_caps]
    if terms.governing_law is not None:
        rows.append(TermRow("Governing law", terms.governing_law.jurisdiction, terms.governing_law.citation))
    return rows


_SIGN = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}  # as a schedule prints them


def sla_row(term: SlaTerm) -> dict:
    target = "" if term.target_percent is None else f"{_SIGN[term.comparator]} {term.target_percent:g}%"
    credit = ""
    if term.credit is not None:
        c = term.credit
        if c.percent_of_fees is not None:
            credit = f"{c.percent_of_fees:g}% of {c.fee_basis or 'fees'}"
        elif c.amount is not None:
            credit = f"{c.currency or ''} {c.amount:,.2f}".strip()
        elif c.tiers:
            credit = "tiered: " + "; ".join(f"{t.percent_of_fees:g}%" for t in c.tiers)
        if c.escalated_percent is not None:
            credit += f" ({c.escalated_percent:g}% when missed by more than {c.escalation_points or 0:g} points)"
    return {"metric": term.metric, "target": " ".join(x for x in (target, term.threshold) if x),
            "window": term.measurement_window, "credit": credit,
            "unknown": "; ".join(u.reason for u in term.unknown), "citation": term.citation,
            "credit_citation": term.credit.citation if term.credit is not None else None}
