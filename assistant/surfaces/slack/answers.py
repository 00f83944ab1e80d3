"""Answers the bot has posted, kept briefly so 👍/👎 and "Share with channel" can refer to them by id.

Button values carry only the short id: the question, answer text and citations stay on the server
(an ephemeral message's content is not sent back with a click, and a value is capped at 2000 chars).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from assistant.models import Answer
from assistant.surfaces.slack.cache import TTLCache


@dataclass(frozen=True)
class AnswerRecord:
    question: str
    answer: Answer
    asker: str
    channel: str
    thread_ts: str | None
    collections: frozenset[str] = field(default_factory=frozenset)  # every collection a citation came from
    restricted: bool = False  # cites contracts (or anything not public): never posted publicly

    @property
    def chunk_ids(self) -> list[str]:
        return [c.chunk_id for c in self.answer.citations]


class AnswerStore:
    def __init__(self, ttl_seconds: float = 24 * 3600, max_items: int = 5_000):
        self._records = TTLCache(ttl_seconds, max_items)

    def put(self, record: AnswerRecord) -> str:
        answer_id = uuid.uuid4().hex[:16]
        self._records.set(answer_id, record)
        return answer_id

    def get(self, answer_id: str) -> AnswerRecord | None:
        return self._records.get(answer_id)
