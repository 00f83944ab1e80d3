"""Which near-duplicate copies retrieval leaves out for a caller (ingest/fingerprint.py finds them).

A copy is left out when its preferred copy is in a collection the caller may read: the passage
then appears once, cited from the preferred copy. A caller who can read only the other copy still
gets it, and a search filtered to that copy by name gets it too.
"""

from __future__ import annotations

import threading
import time

from ingest.catalog import Catalog

Key = tuple[str, str]  # (collection, source)


class Duplicates:
    def __init__(self, catalog: Catalog, check_interval_s: float = 2.0):
        self.catalog = catalog
        self.check_interval_s = check_interval_s  # the catalog is re-read at most this often
        self._read_at = float("-inf")
        self._links: dict[Key, Key] = {}
        self._lock = threading.Lock()

    def links(self) -> dict[Key, Key]:
        """(collection, source) of every non-preferred copy -> that of its preferred copy."""
        with self._lock:
            if time.monotonic() - self._read_at >= self.check_interval_s:
                rows = self.catalog.all()
                by_id = {r.doc_id: r for r in rows}
                self._links = {(r.collection, r.source): (by_id[r.duplicate_of].collection, by_id[r.duplicate_of].source)
                               for r in rows if r.duplicate_of in by_id}
                self._read_at = time.monotonic()
            return self._links

    def hidden(self, collections: list[str], named_sources: list[str] | None = None) -> dict[Key, Key]:
        """The copies to leave out for a caller reading `collections`, with their preferred copy;
        `named_sources`: sources a filter asks for by name, never left out."""
        readable = set(collections)
        named = set(named_sources or ())
        return {copy: preferred for copy, preferred in self.links().items()
                if copy[0] in readable and preferred[0] in readable and copy[1] not in named}
