"""The conflict check over what a caller may read: SOPs and runbooks against contracts as in force.

Access is decided here, from the access policy, not by a prompt: only collections the caller
may read are loaded, so a conflict is listed only when the caller may read both documents, and a
role that reads no contract (a BPO agent) never receives a line of one through this check.

`ConflictCheck` gets what it reads (wiring builds it): the policy, the catalog, the store, the
terms in force and the data home where the conflicts already reported are remembered.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.logs import logger
from ingest.catalog import sources_named
from assistant.conflicts.check import Side, find_conflicts, read_side
from assistant.contracts.document import ContractDoc, StoredPiece
from assistant.errors import NotFound
from assistant.models import CONTRACT_DOC_TYPES, Caller, Conflict, ConflictReport

if TYPE_CHECKING:
    from assistant.access.policy import AccessPolicy
    from ingest.catalog import Catalog
    from assistant.contracts.in_force import InForce
    from assistant.retrieval.store import VectorStore

log = logger("conflicts")

INSTRUCTION_TYPES = ("sop", "runbook")
_SEEN_FILE = "conflicts-seen.json"
# Reports kept for repeat views (a contract page shows its conflicts on every visit): a few
# callers' collection sets times a few documents.
REPORTS_KEPT = 32


@dataclass
class ConflictCheck:
    access: AccessPolicy
    catalog: Catalog
    store: VectorStore
    in_force: InForce
    home: Path
    _reports: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def report(self, caller: Caller, source: str | None = None) -> ConflictReport:
        """conflict_report, remembered until the documents change: a report reads every chunk the
        caller may read (1-2 s on a few hundred documents), and the answer can only change with
        the indexed text (each collection's published generation, read from the store on every
        call, so another process's ingest counts too), what the caller may read, or the day
        (terms in force)."""
        from assistant.contracts.in_force import as_of_date

        collections = self.access.readable(caller)
        ordered = sorted(collections)  # the key does not depend on the policy's order
        key = (tuple(ordered), tuple(self.store.state(c).generation for c in ordered),
               as_of_date(None), source)
        with self._lock:
            kept = self._reports.get(key)
        if kept is not None:
            return kept.model_copy(deep=True)
        report = conflict_report(self, caller, source, collections)
        with self._lock:
            self._reports[key] = report.model_copy(deep=True)
            while len(self._reports) > REPORTS_KEPT:
                self._reports.pop(next(iter(self._reports)))
        return report

    def new_since_last(self, caller: Caller) -> list[Conflict]:
        return new_conflicts(self, caller)


def conflict_report(check: ConflictCheck, caller: Caller, source: str | None = None,
                    collections: list[str] | None = None) -> ConflictReport:
    """Every SOP/contract conflict among the documents `caller` may read; with `source`, only the
    ones one side of which is that document (a path or file name). `collections`: what the caller
    may read, when the caller of this function has already asked the policy."""
    collections = check.access.readable(caller) if collections is None else collections
    rows = [r for r in check.catalog.all(collections) if not r.duplicate_of]
    wanted = _named(rows, source) if source else None
    docs = _load(check.store, collections, {r.doc_id for r in rows})
    in_force = _contracts_in_force(check.in_force, collections, rows, docs)
    sops = [read_side(docs[r.doc_id]) for r in rows if r.doc_type in INSTRUCTION_TYPES and r.doc_id in docs]
    contracts = [read_side(doc) for doc in in_force]
    if wanted is not None:
        # One document named: pair it with everything on the other side.
        sops = [s for s in sops if s.doc.source in wanted] or sops
        named_contracts = [c for c in contracts if c.doc.source in wanted]
        if named_contracts:
            contracts = named_contracts
    vectors = _vectors(check.store, collections, sops, contracts)
    conflicts, agreeing = find_conflicts(sops, contracts, vectors)
    if wanted is not None:
        conflicts = [c for c in conflicts if any(i.source in wanted for i in c.items)]
    return ConflictReport(conflicts=conflicts, checked={"sop_documents": len(sops), "contracts": len(contracts), "pairs_agreeing": agreeing})


def _named(rows, source: str) -> set[str]:
    named = set(sources_named((r.source for r in rows), source.strip()))
    if not named:
        raise NotFound(f"no document named {source!r} among the documents you can read")
    return named


def _load(store: VectorStore, collections: list[str], doc_ids: set[str]) -> dict[str, ContractDoc]:
    pieces: dict[str, list[StoredPiece]] = {}
    for name in collections:
        for chunk in store.iter_all(name):
            if chunk.meta.get("doc_id") in doc_ids:
                pieces.setdefault(chunk.meta["doc_id"], []).append(StoredPiece(chunk.id, chunk.text, chunk.meta))
    return {doc_id: ContractDoc.from_chunks(p) for doc_id, p in pieces.items()}


def _contracts_in_force(in_force: InForce, collections: list[str], rows, docs: dict[str, ContractDoc]) -> list[ContractDoc]:
    """Each contract as amended today; amendments themselves and documents superseded as a whole
    are not compared on their own (their text in force is inside the composed agreement)."""
    from assistant.contracts.composed import compose
    from assistant.contracts.in_force import as_of_date

    now, _ = in_force.for_date(collections, as_of_date(None))
    restated = {s.base.doc_id for s in now if s.change.action == "restate"}
    out = []
    for r in rows:
        if r.doc_type not in CONTRACT_DOC_TYPES or r.doc_id not in docs or r.doc_id in restated:
            continue
        if r.amends and r.relation in ("amendment", "addendum", "change_order"):
            continue
        out.append(compose(docs[r.doc_id], now))
    return out


def _vectors(store: VectorStore, collections: list[str], *sides: list[Side]) -> dict:
    ids = {p.id for group in sides for side in group for p in side.doc.chunks}
    out: dict = {}
    for name in collections:
        missing = [i for i in ids if i not in out]
        if missing:
            out.update(store.vectors(name, missing))
    return out


def new_conflicts(check: ConflictCheck, caller: Caller) -> list[Conflict]:
    """The conflicts not reported after an earlier ingest (remembered in the data home)."""
    report = check.report(caller)  # also what the next view of the same documents reads
    path = Path(check.home) / _SEEN_FILE
    try:
        seen = set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        seen = set()
    fresh = [c for c in report.conflicts if c.key not in seen]
    path.write_text(json.dumps(sorted({c.key for c in report.conflicts})), encoding="utf-8")
    return fresh
