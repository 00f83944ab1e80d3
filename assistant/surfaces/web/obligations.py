"""The obligation register: filter, sort, set each obligation's status, export what is shown
(CSV or XLSX). Everything comes from the caller's own register, so a role that reads no contract
gets an empty table and empty exports."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.contracts.export import STATUSES
from assistant.contracts.obligations import ObligationRegister
from assistant.contracts.tracking import StatusBook, tracked
from assistant.errors import InvalidInput, NotFound
from assistant.surfaces.web.routing import (
    SessionDep, WebRoute, check_csrf, field, read_form, render, safe_next,
)
from assistant.surfaces.web.sessions import Session

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PAGE_ROWS = 200
KINDS = ("obligation", "prohibition", "right")
FILTERS = ("contract", "party", "kind", "status", "q")
SORTS = {
    "contract": lambda o: (o.source.casefold(), _clause_key(o.clause_no)),
    "party": lambda o: (o.obligated_party.casefold(), o.source.casefold()),
    "clause": lambda o: (_clause_key(o.clause_no), o.source.casefold()),
    "due": lambda o: (o.deadline_days is None, o.deadline_days or 0, o.recurrence == "", o.recurrence.casefold()),
    "status": lambda o: (STATUSES.index(o.status) if o.status in STATUSES else len(STATUSES), o.source.casefold()),
}
_MEDIA = {"csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def status_book(request: Request) -> StatusBook:
    # Opened on first use: an app whose users never open the register never creates the file.
    state = request.app.state
    if getattr(state, "obligation_status", None) is None:
        state.obligation_status = StatusBook(state.service.settings.home)
    return state.obligation_status


def _register(request: Request, session: Session, contract: str = "") -> ObligationRegister:
    service = request.app.state.service
    register = service.contracts.obligations(session.caller(), source=contract or None)
    return tracked(register, status_book(request))


def _chosen(request: Request) -> dict[str, str]:
    chosen = {name: field(request.query_params, name, 1000) for name in FILTERS}
    if chosen["kind"] and chosen["kind"] not in KINDS:
        raise InvalidInput(f"kind: expected one of {', '.join(KINDS)}")
    if chosen["status"] and chosen["status"] not in (*STATUSES, "unset"):
        raise InvalidInput(f"status: expected one of {', '.join(STATUSES)} or unset")
    return chosen


def _filtered(register: ObligationRegister, chosen: dict[str, str], sort: str, descending: bool) -> list:
    items = register.obligations + register.rights
    words = chosen["q"].casefold().split()
    keep = [o for o in items
            if (not chosen["party"] or o.obligated_party == chosen["party"])
            and (not chosen["kind"] or o.kind == chosen["kind"])
            and (not chosen["status"] or o.status == ("" if chosen["status"] == "unset" else chosen["status"]))
            and all(w in f"{o.action} {o.citation.quote} {o.clause_heading} {o.deadline} {o.recurrence}".casefold() for w in words)]
    return sorted(keep, key=SORTS.get(sort, SORTS["contract"]), reverse=descending)


def _sort_args(request: Request) -> tuple[str, bool]:
    sort = request.query_params.get("sort", "contract")
    return (sort if sort in SORTS else "contract"), request.query_params.get("dir") == "desc"


@router.get("/obligations")
async def obligations_page(request: Request, session: SessionDep, page: int = 1) -> Response:
    chosen = _chosen(request)
    sort, descending = _sort_args(request)
    register = await run_in_threadpool(_register, request, session, chosen["contract"])
    rows = _filtered(register, chosen, sort, descending)
    titles = _titles(request, session)
    page = max(1, min(page, (len(rows) - 1) // PAGE_ROWS + 1))
    context = {
        "chosen": chosen, "sort": sort, "descending": descending, "total": len(rows), "page": page,
        "pages": (len(rows) - 1) // PAGE_ROWS + 1, "rows": rows[(page - 1) * PAGE_ROWS: page * PAGE_ROWS],
        "contracts": sorted(titles), "titles": titles,
        "parties": sorted({o.obligated_party for o in register.obligations + register.rights if o.obligated_party}),
        "kinds": KINDS, "statuses": STATUSES, "notes": register.notes,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "sort_links": {col: _href("/obligations", chosen, sort=col, dir="desc" if col == sort and not descending else "")
                       for col in SORTS},
        "export_links": {fmt: _href("/obligations/export", chosen, sort=sort, dir="desc" if descending else "", format=fmt)
                         for fmt in _MEDIA},
        "page_links": {n: _href("/obligations", chosen, sort=sort, dir="desc" if descending else "", page=str(n))
                       for n in range(1, (len(rows) - 1) // PAGE_ROWS + 2)},
    }
    return render(request, "obligations.html", context, session=session)


def _href(path: str, chosen: dict[str, str], **extra: str) -> str:
    params = {k: v for k, v in {**chosen, **extra}.items() if v}
    return path + ("?" + urlencode(params) if params else "")


def _titles(request: Request, session: Session) -> dict[str, str]:
    """source -> title of the contracts the caller reads (the table names contracts by title)."""
    from assistant.contracts.document import contract_rows

    return {r.source: r.title or r.source for r in contract_rows(request.app.state.service, session.caller())}


@router.get("/obligations/export")
async def export(request: Request, session: SessionDep, format: str = "csv") -> Response:  # noqa: A002
    if format not in _MEDIA:
        raise InvalidInput("format: expected csv or xlsx")
    from assistant.contracts.export import render as render_file

    chosen = _chosen(request)
    sort, descending = _sort_args(request)
    register = await run_in_threadpool(_register, request, session, chosen["contract"])
    rows = _filtered(register, chosen, sort, descending)
    shown = register.model_copy(update={"obligations": [o for o in rows if o.kind != "right"],
                                        "rights": [o for o in rows if o.kind == "right"]})
    data = await run_in_threadpool(render_file, shown, format)
    return Response(data, media_type=_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="obligations.{format}"'})


@router.post("/obligations/status")
async def set_status(request: Request, session: SessionDep) -> Response:
    form = await read_form(request)
    check_csrf(request, session, field(form, "csrf", 100))
    ident, source, status = field(form, "id", 100), field(form, "source", 1000), field(form, "status", 40)
    # Only an obligation in the caller's own register can be marked: the same read rule as the table.
    register = await run_in_threadpool(request.app.state.service.contracts.obligations, session.caller(), source or None)
    found = next((o for o in register.obligations + register.rights if o.id == ident), None)
    if found is None:
        raise NotFound("no such obligation among the contracts you can read")
    status_book(request).set(found, status, session.label)
    request.app.state.service.trail.record("obligation_status", session.caller(), detail=f"id={ident} status={status or 'unset'}")
    return RedirectResponse(safe_next(field(form, "back", 2000)) + f"#ob-{ident}", status_code=303)


def _clause_key(number: str) -> tuple:
    # "2.10" after "2.9": numeric parts compare as numbers, the rest as text.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in (number or "~").replace("(", ".").split("."))
