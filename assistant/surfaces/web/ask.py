"""Ask: a question box, follow-ups in a thread, answers with numbered citations that open the
document viewer at the quoted passage. Threads live in the server-side session."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.errors import InvalidInput
from assistant.models import Answer, Turn
from assistant.surfaces.web.routing import SessionDep, WebRoute, check_csrf, field, read_form, render
from assistant.surfaces.web.sessions import Session, Thread

router = APIRouter(route_class=WebRoute, include_in_schema=False)

MAX_THREADS = 20  # per session: the oldest thread goes first
MAX_TURNS = 25  # per thread: a longer conversation starts a new one


@dataclass
class AskedTurn:
    question: str
    answer: Answer


@router.get("/")
def ask_page(request: Request, session: SessionDep, t: str = "") -> Response:
    thread = session.threads.get(t)
    return _page(request, session, thread)


def _page(request: Request, session: Session, thread: Thread | None, question: str = "", error: str = "",
          status: int = 200) -> Response:
    threads = [th for th in reversed(session.threads.values()) if th.turns]
    return render(request, "ask.html", {"thread": thread, "threads": threads, "question": question, "error": error},
                  session=session, status=status)


@router.post("/ask")
async def ask(request: Request, session: SessionDep) -> Response:
    form = await read_form(request)
    check_csrf(request, session, field(form, "csrf", 100))
    thread = session.threads.get(field(form, "thread", 100))
    if thread is None or len(thread.turns) >= MAX_TURNS:
        thread = None
    question = field(form, "question", 20_000)
    history = [t for turn in (thread.turns if thread else []) for t in _as_history(turn)]
    try:
        answer = await run_in_threadpool(request.app.state.service.ask, question, session.caller(), history)
    except InvalidInput as exc:  # shown beside the box, with the question kept for editing
        return _page(request, session, thread, question=question[:4000], error=exc.message, status=422)
    if thread is None:
        thread = _new_thread(session)
    thread.turns.append(AskedTurn(question, answer))
    return RedirectResponse(f"/?t={thread.id}#turn-{len(thread.turns)}", status_code=303)


def _new_thread(session: Session) -> Thread:
    while len(session.threads) >= MAX_THREADS:
        session.threads.pop(next(iter(session.threads)))
    thread = Thread(secrets.token_urlsafe(8))
    session.threads[thread.id] = thread
    return thread


def _as_history(turn: AskedTurn) -> list[Turn]:
    return [Turn(role="user", content=turn.question[:20_000]), Turn(role="assistant", content=turn.answer.answer[:20_000])]
