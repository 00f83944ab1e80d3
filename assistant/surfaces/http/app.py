"""The HTTP API: `create_app(service)` builds a FastAPI app around one AssistantService.

Routes live in `assistant.surfaces.http.routes` (one module per area); shared dependencies, the
error shape and metrics in `assistant.surfaces.http.deps`. This file only wires them: request ids,
the per-request log line, error mapping, routers, and Slack when configured.
"""

from __future__ import annotations

import re
import time
import uuid
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant import logs
from assistant.logs import event_line, logger
from assistant.config import environment
from assistant.errors import AssistantError, validation_message
from ingest.locks import claim_embedded_home, release_embedded_home
from assistant.service import AssistantService
from assistant.surfaces.http.deps import HttpMetrics, KeyRing, get_caller
from assistant.surfaces.http.errors import error_response, request_id_of, status_for
from assistant.surfaces.http.routes import ask, audit, conflicts, contracts, documents, drafts, health, scorecard, search

log = logger("http")

V1 = "/v1"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
               415: "unsupported_media_type", 422: "invalid_input"}

_DESCRIPTION = """Grounded, cited answers over BPO runbooks, SOPs and contracts.

Every `/v1` route needs `Authorization: Bearer <key>`; the key's roles (from `BPO_API_KEYS`) decide
which collections it reads. Errors are `{"error": {"code", "message"}, "request_id"}`; every response
carries `X-Request-ID` (send your own to correlate)."""


def create_app(service: AssistantService, keys: KeyRing | None = None) -> FastAPI:
    """One app per service. `keys` default: BPO_API_KEYS read now (not at import), so tests and
    workers configure it; `serve` passes the local admin key when none is configured."""
    app = FastAPI(title="BPO Assistant", version="1", description=_DESCRIPTION, lifespan=_serving(service),
                  openapi_tags=[{"name": n} for n in ("search", "ask", "documents", "audit", "health")])
    app.state.service = service
    app.state.api_keys = keys if keys is not None else KeyRing.configured()
    app.state.metrics = HttpMetrics()
    if not app.state.api_keys.keys:
        log.warning(event_line("api_keys_empty", effect="every /v1 route answers 401"))
    _warn_unknown_roles(app.state.api_keys, service)
    _install_error_handlers(app)
    app.add_middleware(ApiKeyGate, keys=app.state.api_keys)
    app.add_middleware(JsonBodyLimitResponse)
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)  # outermost: sees every response
    _include_routers(app)
    # Imported here, not at the top: the web pages use this package's error table, so a module-level
    # import made `import assistant.surfaces.web...` first fail on a half-initialised package.
    from assistant.surfaces.web import mount_web

    mount_web(app)  # the browser pages at / (session sign-in; same service and access rules)
    _mount_slack(app, service)
    logs.configure()  # the per-request lines are visible unless the host configured logging itself
    return app


def _serving(service: AssistantService):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Uploads and re-scans write the store: while this process serves an embedded store, no
        # other process may write it (a server that cannot claim it does not start).
        embedded = service.settings.store.mode == "embedded"
        if embedded:
            claim_embedded_home(service.settings.home, "server")
        try:
            yield
        finally:
            if embedded:
                release_embedded_home(service.settings.home)

    return lifespan


def _warn_unknown_roles(keys: KeyRing, service: AssistantService) -> None:
    # Not an error: a key whose role reads nothing is deny-by-default working. But a typo in
    # BPO_API_KEYS should not go unnoticed (the key is never quoted, only its label).
    access = getattr(service, "access", None)  # a stand-in service (the app's own tests) may have none
    if not keys.keys or access is None:
        return
    known = access.known_roles()
    for key in keys.keys:
        unknown = sorted(key.roles - known)
        if unknown:
            log.warning(event_line("api_key_unknown_roles", key=key.label, roles=unknown, known_roles=sorted(known)))


# -- routers --------------------------------------------------------------------------------

def _include_routers(app: FastAPI) -> None:
    app.include_router(health.router)
    auth = [Depends(get_caller)]  # every /v1 route needs a key even if its module forgets CallerDep
    for module in (search, ask, documents, audit, contracts, drafts, scorecard, conflicts):
        app.include_router(module.router, dependencies=auth)


def _mount_slack(app: FastAPI, service: AssistantService) -> None:
    if environment().slack_signing_secret is None:
        return
    from assistant.surfaces.slack import mount_slack  # slack-bolt loads only when Slack is configured

    mount_slack(app, service)


# -- errors ---------------------------------------------------------------------------------

def _install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AssistantError, _assistant_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


async def _assistant_error(request: Request, exc: AssistantError):
    return error_response(status_for(exc), exc.code, exc.message, request_id_of(request))


async def _validation_error(request: Request, exc: RequestValidationError):
    # One line: the field, the value sent and what is allowed ("body.k = 0: Input should be ...").
    return error_response(422, "invalid_input", validation_message(exc)[:500], request_id_of(request))


async def _http_error(request: Request, exc: StarletteHTTPException):
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    status = exc.status_code
    if status == 400:  # the framework could not parse the body: bad input like any other, one code
        status = 422
    return error_response(status, _HTTP_CODES.get(status, "http_error"), message,
                          request_id_of(request), headers=getattr(exc, "headers", None))


# -- request context: id, timing, metrics, one log line, last-resort 500 ----------------------

class RequestContextMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware) so streamed answers are timed to their last byte."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        sent = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent.update(status=message["status"], started=True)
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode("ascii"))]
            await send(message)

        start = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception(event_line("unhandled_error", request_id=request_id))  # traceback to the server log only
            if sent["started"]:
                raise
            await error_response(500, "internal_error", "the server failed to handle the request",
                                 request_id)(scope, receive, send_with_id)
        finally:
            self._record(scope, sent["status"], time.perf_counter() - start, request_id)

    def _record(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        route = _route_template(scope)
        self.metrics.observe_request(scope["method"], route, status, seconds)
        log.info(event_line("http_request", method=scope["method"], route=route, status=status, ms=round(seconds * 1000, 1),
                       request_id=request_id, caller=scope.get("state", {}).get("caller_id", "-")))


class ApiKeyGate:
    """Refuses a /v1 request without a valid key before anything reads its body.

    FastAPI parses a JSON body before it runs dependencies, so without this an anonymous client
    would get 422s (and make us read large bodies). The resolved key is left in the request state
    for `get_caller`, which turns it into the Caller: the key is still resolved once.
    """

    def __init__(self, app: ASGIApp, keys: KeyRing):
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["path"] == V1 or scope["path"].startswith(V1 + "/")):
            state = scope.setdefault("state", {})
            key = self.keys.resolve_header(_header(scope, b"authorization"))
            if key is None:
                response = error_response(401, "unauthorized", "missing or invalid API key", state.get("request_id", "-"))
                await response(scope, receive, send)
                return
            state.update(api_key=key, caller_id=key.label)
        await self.app(scope, receive, send)


class JsonBodyLimitResponse:
    """Gives the routers' `max_body_size` refusals the JSON error shape.

    FastAPI's body limit answers 413 in plain text from below the exception handlers, so the one
    error handler never sees it; this swaps that response for ours.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replacing = False

        async def send_json(message: Message) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and message["status"] == 413 and not _is_json(message):
                replacing = True
                return
            if not replacing:
                await send(message)
            elif not message.get("more_body", False):
                request_id = scope.get("state", {}).get("request_id", "-")
                await error_response(413, "payload_too_large", "the request body is too large", request_id)(scope, receive, send)

        await self.app(scope, receive, send_json)


def _is_json(start: Message) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"application/json") for k, v in start.get("headers", []))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _route_template(scope: Scope) -> str:
    """The matched template ("/v1/documents/{doc_id}"), never the raw path: bounded label values."""
    # Recent FastAPI keeps an included router's routes unprefixed and records the full template
    # in its own scope entry; the route's own path is the fallback (and the same for our routers).
    effective = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(effective, "path", None) or getattr(scope.get("route"), "path", None)
    return path or _plain_route_path(scope) or _template_matching(scope) or "<unmatched>"


def _template_matching(scope: Scope) -> str | None:
    """The template of the documented route the path would have reached: the API-key gate answers
    401 before routing, and a refused request must still be counted and logged under its route."""
    app = scope.get("app")
    if app is None or not hasattr(app, "openapi"):
        return None
    templates = getattr(app.state, "route_templates", None)
    if templates is None:
        from starlette.routing import compile_path

        # The OpenAPI paths are the public templates (FastAPI caches the document after the first build).
        templates = [(compile_path(path)[0], path) for path in app.openapi().get("paths", {})]
        app.state.route_templates = templates
    return next((path for regex, path in templates if regex.match(scope["path"])), None)


def _plain_route_path(scope: Scope) -> str | None:
    # Starlette routes and mounts (/openapi.json, /docs, a mounted Slack app) only leave their endpoint.
    endpoint = scope.get("endpoint")
    if endpoint is None or "app" not in scope:
        return None
    for route in scope["app"].router.routes:
        if getattr(route, "endpoint", None) is endpoint or getattr(route, "app", None) is endpoint:
            return getattr(route, "path", None)
    return None


def _incoming_request_id(scope: Scope) -> str | None:
    text = (_header(scope, b"x-request-id") or "").strip()
    return text if _REQUEST_ID.match(text) else None


def create_app_from_env() -> FastAPI:
    """One service per worker process (`uvicorn ... --factory --workers N`); config from
    BPO_ASSISTANT_CONFIG / BPO_ASSISTANT_HOME."""
    from assistant import wiring
    from assistant.config import load_settings

    return create_app(wiring.build(load_settings()))
