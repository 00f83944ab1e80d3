"""Search (hybrid, with doc type / collection / contract filters) and the clause finder (one
clause type across contracts, grouped by contract). Both are reads: GET forms, no CSRF token."""

from __future__ import annotations

from typing import get_args

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assistant.errors import InvalidInput
from assistant.models import CONTRACT_DOC_TYPES, DocType, SearchFilters
from assistant.surfaces.web.routing import SessionDep, WebRoute, field, query_values, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SEARCH_K = 20
CLAUSE_K = 25


@router.get("/search")
async def search_page(request: Request, session: SessionDep) -> Response:
    service, caller = request.app.state.service, session.caller()
    query = field(request.query_params, "q")
    chosen = {name: query_values(request, name) for name in ("doc_type", "collection", "contract")}
    docs = service.documents(caller)
    options = {
        "doc_type": [t for t in get_args(DocType) if any(d.doc_type == t for d in docs)],
        "collection": service.access.readable(caller),
        "contract": _contracts(docs),
    }
    results, error = [], ""
    if query:
        filters = _filters(chosen, options)
        try:
            results = (await run_in_threadpool(service.search, query, caller, SEARCH_K, filters)).results
        except InvalidInput as exc:
            error = exc.message
    return render(request, "search.html", {"query": query, "chosen": chosen, "options": options, "results": results,
                                           "error": error}, session=session, status=422 if error else 200)


def _filters(chosen: dict[str, list[str]], options: dict) -> SearchFilters | None:
    doc_types = [t for t in chosen["doc_type"] if t in options["doc_type"]]
    if len(doc_types) != len(chosen["doc_type"]):
        raise InvalidInput("doc_type: unknown document type")
    filters = SearchFilters(doc_type=doc_types or None, collection=chosen["collection"] or None,
                            source=chosen["contract"] or None)
    return filters if filters.model_dump(exclude_none=True) else None


def _contracts(docs) -> list[tuple[str, str]]:
    """(source, label) of the readable contracts, by label."""
    rows = {d.source: d.title or d.source for d in docs if d.doc_type in CONTRACT_DOC_TYPES}
    return sorted(rows.items(), key=lambda kv: kv[1].casefold())


@router.get("/clauses")
async def clauses_page(request: Request, session: SessionDep) -> Response:
    service, caller = request.app.state.service, session.caller()
    clause_type = field(request.query_params, "type", 200)
    contract = field(request.query_params, "contract", 1000)
    contracts = _contracts(service.documents(caller))
    lookup, error = None, ""
    if clause_type:
        try:
            lookup = await run_in_threadpool(service.contracts.lookup, clause_type, caller, contract or None, CLAUSE_K)
        except InvalidInput as exc:
            error = exc.message
    types = sorted(c.name for c in service.contracts.taxonomy.categories)
    context = {"clause_type": clause_type, "contract": contract, "contracts": contracts, "types": types,
               "lookup": lookup, "groups": _grouped(lookup), "error": error}
    return render(request, "clauses.html", context, session=session, status=422 if error else 200)


def _grouped(lookup) -> list[tuple[str, list]]:
    """The hits by contract, contracts in the order of their best hit."""
    groups: dict[str, list] = {}
    for hit in (lookup.results if lookup else []):
        groups.setdefault(hit.source, []).append(hit)
    return list(groups.items())
