"""What every web page shares: templates, the page route class (errors become HTML pages, every
response gets the security headers), sign-in and CSRF checks, and form reading with a size cap.

Errors are mapped here once for the web, with the same status table as the API (http/errors.py):
a client's mistake is a 4xx page, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Path as PathParam, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException

from assistant.logs import event_line, logger
from assistant.document_text import MAX_ID_CHARS
from assistant.errors import AssistantError, Forbidden, InvalidInput, PayloadTooLarge, validation_message
from assistant.models import CONTRACT_DOC_TYPES
from assistant.text_input import CleanStr, problem
from assistant.surfaces.http.errors import request_id_of, status_for
from assistant.surfaces.web.markdown import answer_html, passage_url
from assistant.surfaces.web.sessions import COOKIE, Session, SessionStore, tokens_match

log = logger("web")

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
templates.env.globals.update(passage_url=passage_url, answer_html=answer_html)
FORM_BYTES = 64 * 1024  # the largest form a page posts (a question, filters): anything bigger is refused

# No inline script or style anywhere, so the policy can forbid both: injected markup cannot run.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class SignInRequired(Exception):
    pass


class CsrfRejected(Forbidden):
    code = "csrf_rejected"


# A document or passage id in a page's path: bounded, and text that is text (422 otherwise).
PathId = Annotated[CleanStr, PathParam(min_length=1, max_length=MAX_ID_CHARS)]


class WebRoute(APIRoute):
    """A page route: exceptions become HTML pages (or a redirect to sign in) and every response
    carries the security headers. A page read (GET) takes no body, as on the API: one sent is
    refused before the page runs; forms are capped by `read_form`, uploads by the upload reader."""

    def __init__(self, path: str, endpoint, *, methods=None, max_body_size: int | None = None, **kwargs):
        if max_body_size is None and methods and set(methods) <= {"GET", "HEAD"}:
            max_body_size = 0
        super().__init__(path, endpoint, methods=methods, max_body_size=max_body_size, **kwargs)

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired:
                response = RedirectResponse(_signin_url(request), status_code=303)
            except AssistantError as exc:
                response = error_page(request, status_for(exc), exc.message)
            except RequestValidationError as exc:
                response = error_page(request, 422, validation_message(exc)[:300])
            response.headers.update(SECURITY_HEADERS)
            return response

        return page


def _signin_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET" or target == "/":
        return "/signin"
    return "/signin?next=" + quote(target, safe="")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no scheme, host or //)."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if problem(target) or not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


# -- sessions and CSRF ----------------------------------------------------------------------

def sessions(request: Request) -> SessionStore:
    return request.app.state.web_sessions


async def current_session(request: Request) -> Session:
    session = sessions(request).find(request.cookies.get(COOKIE))
    if session is None:
        raise SignInRequired()
    request.state.caller_id = session.label  # for the per-request log line
    return session


SessionDep = Annotated[Session, Depends(current_session)]


def check_same_origin(request: Request) -> None:
    """A browser sends Origin on every POST: one naming another site is a forged request."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CsrfRejected("the form was sent from another site")


def check_csrf(request: Request, session: Session, sent: str | None) -> None:
    check_same_origin(request)
    if not tokens_match(sent, session.csrf):
        raise CsrfRejected("the form is out of date or was not sent by this site: reload the page and try again")


async def read_form(request: Request) -> FormData:
    """A url-encoded (or file-less multipart) form of at most FORM_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > FORM_BYTES:
        raise PayloadTooLarge("the form is too large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_BYTES:
            raise PayloadTooLarge("the form is too large")
    request._body = body  # starlette re-reads the cached body when it parses the form
    try:
        return await request.form(max_files=0, max_fields=50)
    except MultiPartException as exc:
        raise InvalidInput(f"bad form: {exc.message}") from None


def field(form: FormData, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{name}: expected text")
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters")
    _require_text(name, value)
    return value


def _require_text(name: str, value: str) -> None:
    # The same rule as the API's bodies: a control character or lone surrogate is a 4xx, never
    # something passed on to the store (where a surrogate was a 500).
    found = problem(value)
    if found:
        raise InvalidInput(f"{name} {found}")


def query_values(request: Request, name: str, limit: int = 20, length: int = 1000) -> list[str]:
    """A repeated query parameter's non-empty values, bounded in count and length."""
    values = [v.strip() for v in request.query_params.getlist(name) if v.strip()]
    if len(values) > limit or any(len(v) > length for v in values):
        raise InvalidInput(f"{name}: too many values or a value too long")
    for value in values:
        _require_text(name, value)
    return values


# -- rendering ------------------------------------------------------------------------------

NAV = (("/", "Ask", False), ("/search", "Search", False), ("/clauses", "Clauses", True),
       ("/obligations", "Obligations", True), ("/contracts", "Contracts", True), ("/documents", "Documents", False))


def render(request: Request, name: str, context: dict[str, Any], session: Session | None = None,
           status: int = 200) -> HTMLResponse:
    base = {"request": request, "session": session, "nav": _nav(request, session), "path": request.url.path}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def _nav(request: Request, session: Session | None) -> list[tuple[str, str]]:
    if session is None:
        return []
    # Contract pages are listed only to roles that can read a contract: an agent sees no sign of them.
    contracts = reads_contracts(request.app.state.service, session)
    return [(href, label) for href, label, needs_contracts in NAV if contracts or not needs_contracts]


def reads_contracts(service, session: Session) -> bool:
    return any(d.doc_type in CONTRACT_DOC_TYPES for d in service.documents(session.caller()))


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    session = sessions(request).find(request.cookies.get(COOKIE)) if hasattr(request.app.state, "web_sessions") else None
    context = {"status": status, "message": message, "request_id": request_id_of(request)}
    try:
        return render(request, "error.html", context, session=session, status=status)
    except Exception:  # the page itself failed (e.g. the store is down): a plain page, never a traceback
        log.exception(event_line("error_page_failed", request_id=request_id_of(request)))
        return HTMLResponse(f"<!doctype html><title>Error {status}</title><p>Error {status}</p>", status_code=status)
