"""GET /v1/audit: the audit log, all of it for an admin key, otherwise only the key's own events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from assistant.audit import AuditEvent, parse_since
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_responses
from assistant.text_input import CleanStr

router = APIRouter(prefix="/v1", tags=["audit"], max_body_size=0)  # a GET: no body


class AuditEvents(BaseModel):
    events: list[AuditEvent]


_EXAMPLE = {"events": [{"at": "2026-05-01T10:00:00.000+00:00", "action": "ask", "caller": "key-3f2a9c1e0b",
                        "roles": ["legal"], "surface": "http", "question": "termination notice in the Acme MSA?",
                        "chunk_ids": ["c0a1f3e2b4d5"], "grounded": True, "detail": ""}]}


@router.get("/audit", response_model=AuditEvents, summary="Read the audit log",
            description="Who asked what, as which role, and which chunks came back. An admin key reads every event; "
                        "any other key reads only the events it made itself.",
            responses={200: {"content": {"application/json": {"example": _EXAMPLE}}}, **error_responses(401, 422)})
def audit(service: ServiceDep, caller: CallerDep,
          since: Annotated[CleanStr, Query(min_length=1, max_length=64, description="ISO time or a span: 30m, 12h, 7d")] = "1d",
          ) -> AuditEvents:
    return AuditEvents(events=service.audit_events(caller, parse_since(since)))
