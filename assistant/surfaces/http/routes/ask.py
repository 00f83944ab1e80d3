"""POST /v1/ask: a cited answer (JSON), or server-sent events when the client asks for a stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import StreamingResponse
from pydantic import Field, StrictBool

from assistant.logs import event_line, logger
from assistant.errors import MAX_QUESTION_CHARS, AssistantError
from assistant.models import Answer, Caller, SearchFilters, Turn
from assistant.service import AssistantService
from assistant.text_input import ApiRequest
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_body, error_responses, request_id_of, status_for

# Room for a 4,000-character question and 50 turns of history; anything larger is refused unparsed.
router = APIRouter(prefix="/v1", tags=["ask"], max_body_size=2 * 1024 * 1024)
log = logger("http")

SSE = "text/event-stream"


class AskRequest(ApiRequest):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[Turn] = Field(default_factory=list, max_length=50, description="earlier turns, oldest first")
    filters: SearchFilters | None = None
    stream: StrictBool = Field(default=False, description="answer as server-sent events (same as `Accept: text/event-stream`)")
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                              description="the date whose terms are in force, YYYY-MM-DD (default: today): amendments effective "
                                          "by then apply and superseded text is labelled")


_REQUEST_EXAMPLES = {
    "question": {"summary": "One question",
                 "value": {"question": "What service credit applies when the email response SLA is missed?"}},
    "follow_up": {"summary": "A follow-up with history", "value": {
        "question": "and for VIP customers?",
        "history": [{"role": "user", "content": "What is the refund-exception process?"},
                    {"role": "assistant", "content": "Agents raise a refund exception ticket [1]."}]}},
    "stream": {"summary": "Streamed as server-sent events",
               "value": {"question": "How do I escalate a chat backlog?", "stream": True}},
}
_ANSWER_EXAMPLE = {
    "answer": "A 5% service credit applies for each month the email response SLA is missed [1].",
    "grounded": True,
    "citations": [{"n": 1, "chunk_id": "c0a1f3e2b4d5", "source": "contracts/northbeam-lumen-sow-customer-care.docx",
                   "quote": "a service credit of 5% of the monthly fees", "section_path": "Service Levels > Email",
                   "page_start": None, "title": "SOW Customer Care", "clause_no": "4.3", "doc_type": "sow"}],
    "standalone_question": None, "closest_sources": [], "mode": "extractive", "flagged": [],
}
_SSE_EXAMPLE = ('event: delta\ndata: {"text": "A 5% service credit applies"}\n\n'
                'event: answer\ndata: {"answer": "A 5% service credit applies ... [1].", "grounded": true, "citations": [...]}\n\n')


@router.post("/ask", response_model=Answer, summary="Ask a question",
             description="A short answer with numbered citations, or a refusal (`grounded: false`) naming the "
                         "closest documents. With `\"stream\": true` or `Accept: text/event-stream` the answer "
                         "comes as server-sent events: `delta` events (unverified model text, only when an LLM is "
                         "configured) and then one `answer` event holding the verified Answer; a failure after the "
                         "stream started arrives as an `error` event with the JSON error body.",
             responses={200: {"content": {"application/json": {"example": _ANSWER_EXAMPLE},
                                          SSE: {"schema": {"type": "string"}, "example": _SSE_EXAMPLE}}},
                        **error_responses(401, 409, 422, 502, 504)})
def ask(body: Annotated[AskRequest, Body(openapi_examples=_REQUEST_EXAMPLES)], request: Request,
        service: ServiceDep, caller: CallerDep):
    if not (body.stream or SSE in request.headers.get("accept", "")):
        return service.ask(body.question, caller, history=body.history, filters=body.filters, as_of=body.as_of)
    return StreamingResponse(_events(service, body, caller, request_id_of(request)), media_type=SSE,
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _events(service: AssistantService, body: AskRequest, caller: Caller, request_id: str) -> Iterator[str]:
    if service.answerer.chat_model is None:
        # Offline there is nothing to stream: one verified answer event. Computed before the
        # generator is handed over, so input errors still become a plain JSON error response.
        return iter([_frame("answer", service.ask(body.question, caller, history=body.history, filters=body.filters,
                                                  as_of=body.as_of))])
    events = service.ask_stream(body.question, caller, history=body.history, filters=body.filters, as_of=body.as_of)
    first = next(events, None)  # retrieval and input checks run here, before the 200 is sent
    return iter(()) if first is None else _frames(first, events, request_id)


def _frames(first: tuple[str, object], rest: Iterator[tuple[str, object]], request_id: str) -> Iterator[str]:
    yield _frame(*first)
    try:
        for kind, payload in rest:
            yield _frame(kind, payload)
    except AssistantError as exc:  # the status line is gone; the error travels as an event
        yield _error_frame(exc.code, exc.message, status_for(exc), request_id)
    except Exception:
        log.exception(event_line("ask_stream_failed", request_id=request_id))
        yield _error_frame("internal_error", "the server failed while answering", 500, request_id)


def _error_frame(code: str, message: str, status: int, request_id: str) -> str:
    return "event: error\ndata: " + json.dumps({**error_body(code, message, request_id), "status": status}) + "\n\n"


def _frame(kind: str, payload: object) -> str:
    data = payload.model_dump_json() if isinstance(payload, Answer) else json.dumps({"text": str(payload)})
    return f"event: {kind}\ndata: {data}\n\n"
