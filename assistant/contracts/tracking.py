"""Where each obligation stands: the status legal and procurement set while working through the
register (Open, In progress, Done, Not applicable), kept in the data home by obligation id.

Obligation ids are hashes of the contract and the sentence's place in it, so a status survives
re-ingesting an unchanged contract; an edited clause gets a new id and starts unset.
Statuses never widen access: a status is only shown on, and only set for, an obligation the
caller's register already holds.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

from assistant.contracts.export import STATUSES
from assistant.contracts.obligations import Obligation, ObligationRegister
from assistant.errors import InvalidInput

FILE = "obligation-status.sqlite"
_SCHEMA = """CREATE TABLE IF NOT EXISTS status (
  obligation_id TEXT PRIMARY KEY, source TEXT NOT NULL, status TEXT NOT NULL,
  updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)"""


class TrackedObligation(Obligation):
    """An obligation with its status: the export's status column reads it like any field."""

    status: str = ""
    status_by: str = ""  # the caller label that set it (never a key)
    status_at: str = ""


class StatusBook:
    def __init__(self, home: Path):
        home.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(home / FILE), check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute(_SCHEMA)
        self._lock = threading.Lock()

    def statuses(self, ids: list[str]) -> dict[str, tuple[str, str, str]]:
        """obligation id -> (status, updated_by, updated_at) for the ids that have one."""
        out: dict[str, tuple[str, str, str]] = {}
        with self._lock:
            for start in range(0, len(ids), 500):
                page = ids[start:start + 500]
                marks = ",".join("?" * len(page))
                rows = self._conn.execute(f"SELECT obligation_id, status, updated_by, updated_at FROM status "
                                          f"WHERE obligation_id IN ({marks})", page).fetchall()
                out.update((r[0], (r[1], r[2], r[3])) for r in rows)
        return out

    def set(self, obligation: Obligation, status: str, by: str) -> None:
        """Records a status ("" clears it)."""
        if status and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        with self._lock:
            if not status:
                self._conn.execute("DELETE FROM status WHERE obligation_id = ?", (obligation.id,))
                return
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self._conn.execute("INSERT INTO status VALUES (?, ?, ?, ?, ?) ON CONFLICT(obligation_id) DO UPDATE SET "
                               "status = excluded.status, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                               (obligation.id, obligation.source, status, by, now))

    def close(self) -> None:
        self._conn.close()


def tracked(register: ObligationRegister, book: StatusBook) -> ObligationRegister:
    """The register with each item's recorded status."""
    known = book.statuses([o.id for o in register.obligations + register.rights])

    def with_status(o: Obligation) -> TrackedObligation:
        status, by, at = known.get(o.id, ("", "", ""))
        return TrackedObligation(**o.model_dump(), status=status, status_by=by, status_at=at)

    return register.model_copy(update={"obligations": [with_status(o) for o in register.obligations],
                                       "rights": [with_status(o) for o in register.rights]})
