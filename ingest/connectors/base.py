"""What every connector hands to the sync (ingest/connectors/sync.py), and the errors it raises.

A connector lists what changed since a cursor (`changes`), fetches one item into a file
(`fetch`), reports deletions and says when its source restricts an item more than the partition
the config gives it (`RemoteItem.restricted`). Everything after the file (parse, chunk, embed,
catalog, incremental re-index) is the ordinary ingest pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field, field_validator


class RemoteItem(BaseModel):
    """One page or file as its source system describes it (no content)."""

    id: str  # stable in the source system: a page id, a driveItem id, a Drive file id
    title: str  # page title or file name
    path: list[str] = Field(default_factory=list)  # ancestor pages / folders below the synced root
    parent_id: str = ""
    suffix: str  # of the mirrored file: ".confluence" for a Confluence page, the file's own otherwise
    version: str  # changes whenever the content does (page version, content hash, revision)
    url: str = ""
    modified_at: str = ""
    labels: list[str] = Field(default_factory=list)
    # Why the source lets fewer people read it than the partition does (None: it doesn't).
    restricted: str | None = None
    location: str = ""  # the space / site / folder as the source system names it
    size: int | None = None
    fetch: dict = Field(default_factory=dict)  # what the connector needs to fetch it (links, types)
    skipped: str | None = None  # why it is not indexed at all (a file type no loader reads)

    @field_validator("url")
    @classmethod
    def _web_link_only(cls, url: str) -> str:
        # Clients render it as a link: a source answering "javascript:..." must not reach them.
        return url if url.lower().startswith(("https://", "http://")) else ""


class ChangeBatch(BaseModel):
    """One page of changes. `cursor` resumes after it: the sync saves it once the batch is indexed."""

    changed: list[RemoteItem] = Field(default_factory=list)
    deleted: list[str] = Field(default_factory=list)  # item ids gone from the source (or out of scope)
    cursor: dict = Field(default_factory=dict)
    # Set on the batch that ends a full enumeration: every item id that still exists. A known item
    # not in it is gone (sources without a change feed, and a feed that had to start over).
    listing: list[str] | None = None


class Connector(Protocol):
    type: str

    def changes(self, cursor: dict, known: Mapping[str, RemoteItem]) -> Iterator[ChangeBatch]:
        """Batches of changes since `cursor` ({} for a first sync); `known` is what the last
        syncs indexed (a folder renamed in a feed that names only the folder moves its files)."""

    def fetch(self, item: RemoteItem, dest: Path) -> RemoteItem:
        """Write the item's content to `dest` (ItemError when this item cannot be had); returns the
        item with what the fetch learned (a page's labels, its exact version)."""

    def close(self) -> None: ...


class RemoteSource:
    """What every connector keeps: its settings, its HTTP client, the file types the loaders read
    (others are reported as skipped) and the size cap for one file."""

    def __init__(self, settings, client, supported_suffixes: frozenset[str], max_bytes: int):
        self.s = settings
        self.client = client
        self.suffixes = supported_suffixes
        self.max_bytes = max_bytes

    def close(self) -> None:
        self.client.close()


class ConnectorError(Exception):
    """A source cannot be synced (one line, meant for the user, never holding a secret)."""


class ConnectorConfigError(ConnectorError):
    """Missing credentials or an unusable setting, found before any request."""


class AuthError(ConnectorError):
    """The source refused the credentials (after one token refresh where tokens can be refreshed)."""


class SourceUnavailable(ConnectorError):
    """Rate limits or server errors outlasted the retries, or the host cannot be reached."""


class ApiError(ConnectorError):
    """The API answered with an error for a listing (not for one item)."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


class ItemError(ConnectorError):
    """One item cannot be fetched or converted: it fails alone, the rest syncs."""


class ItemGone(ItemError):
    """The item was deleted between the listing and the fetch."""
