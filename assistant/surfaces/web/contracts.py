"""Contracts: the readable contracts, and one contract's page (key terms with citations, the SLA
schedule). A contract is named by doc_id in the URL and looked up among the caller's documents
only, so a guessed id of an unreadable contract is a 404 like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assistant.contracts.sla_models import SlaTerm, SourceSpan
from assistant.errors import AssistantError, NotFound
from assistant.models import CONTRACT_DOC_TYPES
from assistant.surfaces.web.routing import PathId, SessionDep, WebRoute, render

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


@router.get("/contracts/{doc_id}")
async def contract_page(request: Request, session: SessionDep, doc_id: PathId) -> Response:
    service, caller = request.app.state.service, session.caller()
    doc = next((d for d in service.documents(caller) if d.doc_id == doc_id and d.doc_type in CONTRACT_DOC_TYPES), None)
    if doc is None:
        raise NotFound(f"no contract with id {doc_id} among the documents you can read")
    terms, sla, problems = None, None, []
    try:
        terms = await run_in_threadpool(service.contracts.key_terms, doc.source, caller)
    except AssistantError as exc:  # one part failing still shows the other
        problems.append(f"Key terms: {exc.message}")
    try:
        sla = await run_in_threadpool(service.contracts.sla_schedule, doc.source, caller)
    except AssistantError as exc:
        problems.append(f"SLA schedule: {exc.message}")
    context = {"doc": doc, "terms": key_term_rows(terms) if terms else [], "notes": terms.notes if terms else [],
               "sla": sla, "sla_rows": [sla_row(t) for t in sla.terms] if sla else [], "problems": problems}
    return render(request, "contract.html", context, session=session)


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
