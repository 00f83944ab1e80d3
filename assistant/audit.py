"""Append-only audit log (JSON lines): who asked what, as which role, through which surface, and
which chunk ids came back. Never the document text, never secrets."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field


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
