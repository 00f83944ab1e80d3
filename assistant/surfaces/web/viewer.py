"""The document viewer: /documents/{doc_id} shows a document's text, /passages/{chunk_id} the
same with one passage highlighted (and `q`, a quote inside it, marked).

Both go through assistant.document_text, which queries only the collections the caller reads:
a guessed id outside them is a 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assistant.document_text import DocumentText, document_of_chunk, read_document
from assistant.surfaces.web.routing import PathId, SessionDep, WebRoute, render
from assistant.text_input import CleanStr
from assistant.surfaces.web.sessions import Session
from assistant.surfaces.web.viewer_blocks import MAX_QUOTE_CHARS, locate, passage_blocks

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/documents/{doc_id}")
async def document(request: Request, session: SessionDep,
                   doc_id: PathId) -> Response:
    doc = await run_in_threadpool(read_document, request.app.state.service, session.caller(), doc_id)
    return _view(request, session, doc)


@router.get("/passages/{chunk_id}")
async def passage(request: Request, session: SessionDep, chunk_id: PathId,
                  q: CleanStr = "") -> Response:
    service, caller = request.app.state.service, session.caller()
    doc_id = await run_in_threadpool(document_of_chunk, service, caller, chunk_id)
    doc = await run_in_threadpool(read_document, service, caller, doc_id)
    return _view(request, session, doc, chunk_id, q[:MAX_QUOTE_CHARS])


def _view(request: Request, session: Session, doc: DocumentText, cited: str = "", quote: str = "") -> Response:
    sections, previous_page, target = [], None, None
    for p in doc.passages:
        mark = None
        if p.chunk_id == cited:
            target = p
            mark = locate(p.text, quote) if quote else None
        sections.append({"passage": p, "cited": p.chunk_id == cited, "quote_found": mark is not None,
                         "blocks": passage_blocks(p, mark, first_page=p.page_start != previous_page)})
        previous_page = p.page_end if p.page_end is not None else p.page_start
    # The page index links to the page marks the blocks carry (one anchor per page).
    pages = list(dict.fromkeys(b.page for s in sections for b in s["blocks"] if b.kind == "page" and b.page is not None))
    context = {"doc": doc, "sections": sections, "target": target, "quote": quote, "pages": pages}
    return render(request, "viewer.html", context, session=session)
