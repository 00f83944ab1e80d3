"""Where a document came from when it is not a file under an ingested folder: a page or file a
connector synced (ingest/connectors). The pipeline takes one per mirrored file and uses it instead
of what it would derive from the path: the document id (stable across renames), the partition,
and the link and place users know it by."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DocumentOrigin(BaseModel):
    source: str  # what results show and filters take: "<source name>/<space or folder path>/<title>"
    doc_id: str
    collection: str
    roles: list[str] = Field(default_factory=list)
    doc_type: str | None = None  # forced type (the source entry's, or a label naming one)
    url: str = ""  # the page or file in the source system
    location: str = ""  # space / site / folder path as the source system shows it
    modified_at: str = ""  # ISO time of the item's last change there
    source_version: str = ""  # the source system's version (page version, eTag, revision)
    labels: list[str] = Field(default_factory=list)

    def catalog_fields(self) -> dict:
        """The catalog columns this origin sets (compared on re-sync: a change rewrites the row)."""
        return {"url": self.url, "location": self.location, "modified_at": self.modified_at,
                "source_version": self.source_version, "labels": ",".join(self.labels)}
