"""The document catalog: one row per indexed file (SQLite in the data directory).

It is what makes re-ingest cheap and correct: a file whose bytes and pipeline settings are
unchanged is skipped without parsing; a row is written only after the document's chunks are
in the store, so an interrupted run is simply redone for the documents it did not finish.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from assistant.models import DocumentInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    source TEXT NOT NULL,
    collection TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    title TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    pipeline_key TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    effective_date TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS documents_root ON documents(root);
CREATE INDEX IF NOT EXISTS documents_collection ON documents(collection);
"""
# Columns added after the first release: a catalog written before them gains them on open.
_ADDED_COLUMNS = {
    "sketch": "TEXT NOT NULL DEFAULT ''",  # ingest/fingerprint.sketch of the document's text
    "duplicate_of": "TEXT NOT NULL DEFAULT ''",  # doc_id of the preferred near-duplicate copy
    # Issue 26: contracts.relations.DocProfile as JSON, and what the document changes.
    "profile": "TEXT NOT NULL DEFAULT ''",
    "relation": "TEXT NOT NULL DEFAULT ''",
    "amends": "TEXT NOT NULL DEFAULT ''",
    "link_basis": "TEXT NOT NULL DEFAULT ''",
    # Where a document lives (ingest/origin.py; url also for folder rules with url_base).
    "url": "TEXT NOT NULL DEFAULT ''",
    "location": "TEXT NOT NULL DEFAULT ''",
    "modified_at": "TEXT NOT NULL DEFAULT ''",
    "source_version": "TEXT NOT NULL DEFAULT ''",
    "labels": "TEXT NOT NULL DEFAULT ''",
}


def sources_named(sources: Iterable[str], name: str) -> list[str]:
    """The stored sources a user-typed name means, sorted: the exact path alone, else every
    case-insensitive match of the path, a trailing part of it, its file name or its stem.

    One rule for every command that names a document ("contracts/acme-msa.pdf", "acme-msa.pdf",
    "acme-msa"); callers decide what none or several matches mean for them.
    """
    known = sorted(set(sources))
    if name in known:
        return [name]
    lowered = name.lower()
    return [s for s in known if s.lower() == lowered or s.lower().endswith("/" + lowered)
            or PurePosixPath(s).name.lower() == lowered or PurePosixPath(s).stem.lower() == lowered]


# DocumentInfo fields computed when documents are listed, never stored (issue 26: an amendment's
# changes not applied, read from the documents as they are now).
_NOT_STORED = {"unapplied"}


class CatalogRow(DocumentInfo):
    file_sha256: str
    pipeline_key: str
    sketch: str = ""
    profile: str = ""  # contracts.relations.DocProfile as JSON (contracts only)


class Catalog:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        present = {r[1] for r in self._conn.execute("PRAGMA table_info(documents)").fetchall()}
        for name, decl in _ADDED_COLUMNS.items():
            if name not in present:
                self._conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {decl}")
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()

    def _rows(self, sql: str, args: tuple = ()) -> list[CatalogRow]:
        with self._lock:
            return [CatalogRow(**dict(r)) for r in self._conn.execute(sql, args).fetchall()]

    def get(self, doc_id: str) -> CatalogRow | None:
        rows = self._rows("SELECT * FROM documents WHERE doc_id = ?", (doc_id,))
        return rows[0] if rows else None

    def for_root(self, root: str) -> list[CatalogRow]:
        return self._rows("SELECT * FROM documents WHERE root = ? ORDER BY source", (root,))

    def all(self, collections: list[str] | None = None) -> list[CatalogRow]:
        if collections is None:
            return self._rows("SELECT * FROM documents ORDER BY source")
        if not collections:
            return []
        marks = ",".join("?" * len(collections))
        return self._rows(f"SELECT * FROM documents WHERE collection IN ({marks}) ORDER BY source", tuple(collections))

    def amendment_links(self, collections: list[str]) -> list[CatalogRow]:
        """Rows in `collections` that amend another document, and the rows they amend (a query's
        terms-in-force check reads these, not the whole catalog)."""
        if not collections:
            return []
        marks = ",".join("?" * len(collections))
        return self._rows(
            f"SELECT * FROM documents WHERE collection IN ({marks}) AND ("
            f"COALESCE(amends, '') != '' OR doc_id IN (SELECT amends FROM documents WHERE COALESCE(amends, '') != '')"
            f") ORDER BY source", tuple(collections))

    def upsert(self, row: CatalogRow) -> None:
        data = row.model_dump(exclude=_NOT_STORED)
        cols = ",".join(data)
        marks = ",".join("?" * len(data))
        with self._lock:
            self._conn.execute(f"INSERT OR REPLACE INTO documents ({cols}) VALUES ({marks})", tuple(data.values()))

    def set_duplicates(self, duplicate_of: dict[str, str]) -> None:
        """doc_id -> the doc_id of its preferred copy ("" for none), for the rows that changed."""
        with self._lock:
            self._conn.executemany("UPDATE documents SET duplicate_of = ? WHERE doc_id = ?",
                                   [(target, doc_id) for doc_id, target in duplicate_of.items()])

    def set_links(self, links: dict[str, tuple[str, str]]) -> None:
        """doc_id -> (the doc_id it amends, how that link was made), for the rows that changed."""
        with self._lock:
            self._conn.executemany("UPDATE documents SET amends = ?, link_basis = ? WHERE doc_id = ?",
                                   [(amends, basis, doc_id) for doc_id, (amends, basis) in links.items()])

    def delete(self, doc_id: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def delete_collection(self, collection: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM documents WHERE collection = ?", (collection,))

    def close(self) -> None:
        self._conn.close()
