"""Sign-in with an API key, sign-out.

The key is checked against the same key ring as `/v1` (BPO_API_KEYS, or the local admin key) and
gives the same roles; the browser then holds only a signed session id (HttpOnly, SameSite=Strict,
Secure over https). The sign-in form has its own CSRF token (a double-submit cookie), so another
site cannot sign a visitor into an account of its choosing.

To put an identity proxy or OIDC in front instead: replace `sign_in` with a route that reads the
verified identity (a header only the proxy can set, or the OIDC callback's ID token), maps it to
roles, and calls `start_session(request, label, roles)`; every page depends only on the session.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from assistant.logs import event_line, logger
from assistant.surfaces.web.routing import (
    WebRoute, check_csrf, check_same_origin, field, read_form, render, safe_next, sessions,
)
from assistant.surfaces.web.sessions import COOKIE, IDLE_SECONDS, tokens_match

router = APIRouter(route_class=WebRoute, include_in_schema=False)
log = logger("web")
PRE_COOKIE = "bpo_signin"  # the sign-in form's CSRF token, before there is a session


@router.get("/signin")
async def signin_page(request: Request, next: str = "/") -> Response:  # noqa: A002
    if sessions(request).find(request.cookies.get(COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, safe_next(next))


def _form(request: Request, target: str, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "signin.html", {"next": target, "form_token": token, "error": error}, status=status)
    _set_cookie(request, response, PRE_COOKIE, token, max_age=3600)
    return response


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    check_same_origin(request)
    form = await read_form(request)
    target = safe_next(field(form, "next", 2000))
    if not tokens_match(field(form, "form_token", 100), request.cookies.get(PRE_COOKIE, "")):
        return _form(request, target, "The sign-in form expired: try again.", status=403)
    key = request.app.state.api_keys.resolve(field(form, "api_key", 500)) if field(form, "api_key", 500) else None
    if key is None:
        log.warning(event_line("web_signin_refused", client=request.client.host if request.client else "-"))
        return _form(request, target, "That API key is not valid.", status=401)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, key.label, key.roles)
    return response


def start_session(request: Request, response: Response, label: str, roles: frozenset[str]) -> None:
    """Signs the browser in as `label` with `roles` (the one step an identity proxy would reuse)."""
    _, cookie = sessions(request).create(label, roles)
    log.info(event_line("web_signin", caller=label, roles=sorted(roles)))  # the label, never a key
    _set_cookie(request, response, COOKIE, cookie, max_age=IDLE_SECONDS)
    response.delete_cookie(PRE_COOKIE, path="/", httponly=True, samesite="strict")


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    store = sessions(request)
    session = store.find(request.cookies.get(COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    if session is not None:
        check_csrf(request, session, field(await read_form(request), "csrf", 100))
        store.end(session)
    response.delete_cookie(COOKIE, path="/")
    return response


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    # Secure whenever the browser reached us over https (directly, or via a proxy uvicorn trusts).
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
