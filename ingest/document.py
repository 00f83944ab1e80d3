"""What a loader hands to the chunker: the document's extracted text plus its structure.

Every offset is a Python str index into ``ParsedDocument.text`` (end-exclusive), so a chunk's
``char_start``/``char_end`` can be traced back to the exact characters it came from.
"""

from __future__ import annotations

import bisect
from enum import Enum

from pydantic import BaseModel, Field, PrivateAttr, model_validator


class BlockKind(str, Enum):
    heading = "heading"  # a section/clause heading; `level` says how deep (1 = top)
    paragraph = "paragraph"
    list_item = "list_item"
    table_row = "table_row"  # one row of a table, cells joined with " | "
    code = "code"


class Block(BaseModel):
    kind: BlockKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    level: int = 0  # heading depth (1..6); 0 for non-headings
    page: int | None = None  # 1-based page number for paginated formats (PDF)

    @model_validator(mode="after")
    def _ordered(self) -> "Block":
        if self.end < self.start:
            raise ValueError("block end before start")
        return self


class PageSpan(BaseModel):
    page: int  # 1-based
    start: int
    end: int


class ParsedDocument(BaseModel):
    """A loaded document. ``blocks`` are in reading order, non-overlapping, and cover the
    meaningful text (blank lines and page furniture may fall between blocks)."""

    text: str
    blocks: list[Block]
    pages: list[PageSpan] = Field(default_factory=list)  # empty for unpaginated formats
    title: str | None = None  # from document metadata or the first top-level heading
    format: str  # "pdf" | "docx" | "markdown" | "html" | "txt"
    _page_starts: list[int] | None = PrivateAttr(default=None)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def page_starts(self) -> list[int]:
        """Where each page starts, in order (cached: chunking asks once per chunk)."""
        if self._page_starts is None or len(self._page_starts) != len(self.pages):
            self._page_starts = [p.start for p in self.pages]
        return self._page_starts

    def page_at(self, offset: int) -> int | None:
        # Pages are in order and do not overlap: the one starting last at or before the offset.
        i = bisect.bisect_right(self.page_starts(), offset) - 1
        if i < 0:
            return None
        span = self.pages[i]
        if offset < span.end or (offset == span.end and i == len(self.pages) - 1):
            return span.page
        return None


class LoaderError(Exception):
    """A file that cannot be turned into text. The message is one line, meant for the user."""


class UnsupportedFileType(LoaderError):
    pass
