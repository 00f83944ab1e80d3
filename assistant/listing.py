"""What is indexed, as a reader may see it: the document list behind `documents`, contract name
lookups and the collections that hold contracts."""

from __future__ import annotations

from assistant.access.policy import AccessPolicy
from ingest.catalog import Catalog
from assistant.config import Settings
from assistant.models import CONTRACT_DOC_TYPES, Caller, DocumentInfo
from assistant.retrieval.indexes import LexicalIndexes


class DocumentListing:
    def __init__(self, settings: Settings, catalog: Catalog, lexical: LexicalIndexes, access: AccessPolicy):
        self.server_mode = settings.store.mode == "server"
        self.catalog = catalog
        self.lexical = lexical
        self.access = access

    def documents(self, caller: Caller) -> list[DocumentInfo]:
        docs = self.listed(self.access.readable(caller))
        # A copy's link names its preferred copy only when the caller may read that one too.
        ids = {d.doc_id for d in docs}
        docs = [d if d.duplicate_of in ids or not d.duplicate_of else d.model_copy(update={"duplicate_of": ""}) for d in docs]
        # The ingested root is a server path: only those who manage the index need to see it.
        if self.access.can_manage(caller):
            return docs
        return [d.model_copy(update={"root": ""}) for d in docs]

    def listed(self, collections: list[str]) -> list[DocumentInfo]:
        rows = [DocumentInfo(**r.model_dump(include=set(DocumentInfo.model_fields))) for r in self.catalog.all(collections)]
        if not self.server_mode:
            return rows
        # A Chroma server is shared by processes with their own data directories: the catalog here
        # knows only what this process ingested, the chunk metadata in Chroma what every ingest
        # stored. The catalog still tells the root of the documents it has (chunks don't keep it).
        roots = {r.doc_id: r.root for r in rows}
        return [d.model_copy(update={"root": roots.get(d.doc_id, "")}) for d in self.lexical.documents(collections)]

    def contract_collections(self) -> set[str]:
        """The collections that hold at least one contract (whatever they are named)."""
        return {d.collection for d in self.listed(self.access.every_collection()) if d.doc_type in CONTRACT_DOC_TYPES}
