"""Append-only audit log (JSON lines): who asked what, as which role, through which surface, and
which chunk ids came back. Never the document text, never secrets."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.config import RedactionSettings
from assistant.errors import InvalidInput
from assistant.models import Caller
from assistant.text.redaction import redact


class AuditEvent(BaseModel):
    at: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="milliseconds"))
    action: str  # search | ask | clauses | draft | upload | delete | ingest | adapt
    caller: str
    roles: list[str]
    surface: str
    question: str = ""
    chunk_ids: list[str] = Field(default_factory=list)
    grounded: bool | None = None
    detail: str = ""


class AuditLog:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def record(self, event: AuditEvent) -> None:
        line = event.model_dump_json() + "\n"
        with self._lock:
            # O_APPEND: concurrent writers (several API workers) never interleave a line.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)

    def read(self, since: datetime | None = None) -> list[AuditEvent]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                event = AuditEvent.model_validate(json.loads(line))
            except (ValueError, json.JSONDecodeError):
                continue
            if since is None or datetime.fromisoformat(event.at) >= since:
                out.append(event)
        return out


def events_for(events: list[AuditEvent], caller_id: str, surface: str, roles: set[str], sees_all: bool) -> list[AuditEvent]:
    """What a caller may read of the log: everything for an admin; otherwise only the events they
    made themselves (same caller, surface and roles: a CLI user is known by the role they act as),
    and nothing for a caller with no role. Other people's questions and chunk ids are data too."""
    if sees_all:
        return events
    mine = sorted(r for r in roles if r)
    if not mine:
        return []
    return [e for e in events if e.caller == caller_id and e.surface == surface and sorted(e.roles) == mine]


_SPANS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str) -> datetime:
    """'30m', '12h', '7d', '2w' back from now, or an ISO time (UTC when it names no zone)."""
    value = (value or "").strip()
    if value and value[-1] in _SPANS and value[:-1].isdigit() and len(value) <= 8:
        return datetime.now(timezone.utc) - timedelta(**{_SPANS[value[-1]]: int(value[:-1])})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"since: expected an ISO time or a span like 12h, got {value[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class AuditTrail:
    """What every use case records: one event per call, the question masked before it is kept."""

    def __init__(self, log: AuditLog, redaction: RedactionSettings):
        self.log = log
        # A user may paste a credential into a question: secrets are masked always, emails and
        # phones as configured, before truncating so a cut can't expose half a key.
        self.redaction = redaction.model_copy(update={"secrets": True})

    def record(self, action: str, caller: Caller, question: str = "", chunk_ids=(), grounded: bool | None = None,
               detail: str = "") -> None:
        masked, _ = redact(question or "", self.redaction)
        self.log.record(AuditEvent(
            action=action, caller=caller.id, roles=sorted(caller.roles), surface=caller.surface,
            question=masked[:500], chunk_ids=list(chunk_ids), grounded=grounded, detail=detail,
        ))
