"""👍/👎 votes on answers, appended to `<home>/feedback.jsonl` (one JSON object per line)."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


class FeedbackEntry(BaseModel):
    question: str
    answer: str
    chunk_ids: list[str]
    vote: Literal["up", "down"]
    user: str
    at: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    answer_id: str = ""
    channel: str = ""


class FeedbackLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, entry: FeedbackEntry) -> None:
        line = (entry.model_dump_json() + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_APPEND keeps lines whole even with several app processes writing the same file.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def read(self) -> list[FeedbackEntry]:
        if not self.path.exists():
            return []
        return [FeedbackEntry.model_validate_json(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
