"""What a sync reports (CLI `sync --json`, the serve schedule's log): one outcome per item."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Conflict


class ItemOutcome(BaseModel):
    source: str
    status: Literal["indexed", "unchanged", "removed", "skipped", "failed"]
    reason: str | None = None
    chunks: int = 0
    embedded: int = 0  # chunks embedded this time (0 when only the metadata changed)
    url: str = ""
    # Why the source system restricts it more than its configured partition: it went to the
    # restricted (admin-only) partition instead.
    restricted: str | None = None


class SourceReport(BaseModel):
    name: str
    connector: str
    # complete: the source was read to its end; partial: stopped early (the cursor of the last
    # indexed batch is kept, so the next sync resumes there); failed: nothing could be read.
    status: Literal["complete", "partial", "failed"] = "complete"
    error: str | None = None
    items: list[ItemOutcome] = Field(default_factory=list)
    fetched: int = 0
    chunks_written: int = 0
    texts_embedded: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def restricted(self) -> list[ItemOutcome]:
        return [i for i in self.items if i.restricted and i.status in ("indexed", "unchanged")]


class SyncReport(BaseModel):
    sources: list[SourceReport] = Field(default_factory=list)
    new_conflicts: list[Conflict] = Field(default_factory=list)  # SOP/contract conflicts this sync brought (issue 26)

    @property
    def partial(self) -> bool:
        return any(s.status != "complete" or s.count("failed") for s in self.sources)
