"""Documents: what the caller can read (each opens in the viewer); for admins also upload, delete
and re-scan the configured folders, each followed by its ingest summary."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError, Forbidden
from assistant.models import IngestSummary
from assistant.surfaces.http.routes.documents import read_upload
from assistant.surfaces.web.routing import PathId, SessionDep, WebRoute, check_csrf, field, read_form, render
from assistant.surfaces.web.sessions import Session

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@dataclass
class Outcome:
    """What the last change did, shown once on the next page."""

    message: str
    error: bool = False
    summaries: list[IngestSummary] = dc_field(default_factory=list)


@router.get("/documents")
async def documents_page(request: Request, session: SessionDep) -> Response:
    service = request.app.state.service
    docs = sorted(service.documents(session.caller()), key=lambda d: (d.collection, d.source.casefold()))
    outcome = session.flash if isinstance(session.flash, Outcome) else None  # another page's message waits for it
    if outcome is not None:
        session.flash = None
    return render(request, "documents.html", {"documents": docs, "outcome": outcome,
                                              "can_manage": service.access.can_manage(session.caller()),
                                              "max_upload": service.settings.max_upload_bytes}, session=session)


def _require_manage(request: Request, session: Session) -> None:
    if not request.app.state.service.access.can_manage(session.caller()):
        raise Forbidden("this role may not change the indexed documents")


def _done(session: Session, outcome: Outcome) -> Response:
    session.flash = outcome
    return RedirectResponse("/documents", status_code=303)


@router.post("/documents/upload")
async def upload(request: Request, session: SessionDep, csrf: str = "") -> Response:
    # A multipart body is read by the bounded upload reader, so the token travels in the query.
    check_csrf(request, session, csrf)
    _require_manage(request, session)  # before reading: a non-admin never makes us read a large body
    service = request.app.state.service
    try:
        name, data = await read_upload(request, service.settings.max_upload_bytes)
        summary = await run_in_threadpool(service.upload, name, data, session.caller())
    except AssistantError as exc:
        return _done(session, Outcome(f"Upload failed: {exc.message}", error=True))
    request.app.state.metrics.record_ingest(summary)
    failed = [f for f in summary.files if f.status == "failed"]
    if failed:
        return _done(session, Outcome(f"Upload failed: {failed[0].reason or 'the file could not be read'}",
                                      error=True, summaries=[summary]))
    return _done(session, Outcome("Uploaded and indexed.", summaries=[summary]))


@router.post("/documents/ingest")
async def reingest(request: Request, session: SessionDep) -> Response:
    check_csrf(request, session, field(await read_form(request), "csrf", 100))
    _require_manage(request, session)
    try:
        runs = await run_in_threadpool(request.app.state.service.ingest_configured, session.caller())
    except AssistantError as exc:
        return _done(session, Outcome(f"Re-ingest failed: {exc.message}", error=True))
    for summary in runs:
        request.app.state.metrics.record_ingest(summary)
    return _done(session, Outcome("Re-ingested the configured folders.", summaries=runs))


@router.post("/documents/{doc_id}/delete")
async def delete(request: Request, session: SessionDep, doc_id: PathId) -> Response:
    check_csrf(request, session, field(await read_form(request), "csrf", 100))
    _require_manage(request, session)
    try:
        info = await run_in_threadpool(request.app.state.service.delete_document, doc_id, session.caller())
    except AssistantError as exc:
        return _done(session, Outcome(f"Delete failed: {exc.message}", error=True))
    return _done(session, Outcome(f"Removed {info.source} from the index."))
