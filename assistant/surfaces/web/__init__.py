"""The web app at `/`: server-rendered pages (Jinja2) over the same service and access rules as
`/v1`, for legal, procurement and coordinators. No build step and no JavaScript framework: every
page is a plain HTML form; one small script (static/app.js) only improves waiting and sorting.

`mount_web(app)` adds the pages and /static to an app made by `assistant.surfaces.http.create_app`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from assistant.surfaces.web.routing import HERE
from assistant.surfaces.web.sessions import SessionStore


def mount_web(app: FastAPI) -> None:
    from assistant.surfaces.web import ask, auth, contracts, documents, obligations, search, viewer

    app.state.web_sessions = SessionStore()
    for module in (auth, ask, search, obligations, contracts, viewer, documents):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
