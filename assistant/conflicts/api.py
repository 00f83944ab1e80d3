"""The conflict check over what a caller may read: SOPs and runbooks against contracts as in force.

Access is decided here, from the service's policy, not by a prompt: only collections the caller
may read are loaded, so a conflict is listed only when the caller may read both documents, and a
role that reads no contract (a BPO agent) never receives a line of one through this check.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.logs import logger
from assistant.catalog import sources_named
from assistant.conflicts.check import Side, find_conflicts, read_side
from assistant.contracts.document import ContractDoc, StoredPiece
from assistant.errors import NotFound
from assistant.models import CONTRACT_DOC_TYPES, Caller, Conflict, ConflictReport

log = logger("conflicts")

INSTRUCTION_TYPES = ("sop", "runbook")
_SEEN_FILE = "conflicts-seen.json"


def conflict_report(service, caller: Caller, source: str | None = None) -> ConflictReport:
    """Every SOP/contract conflict among the documents `caller` may read; with `source`, only the
    ones one side of which is that document (a path or file name)."""
    collections = service.access.readable(caller)
    rows = [r for r in service.catalog.all(collections) if not r.duplicate_of]
    wanted = _named(rows, source) if source else None
    docs = _load(service, collections, {r.doc_id for r in rows})
    in_force = _contracts_in_force(service, collections, rows, docs)
    sops = [read_side(docs[r.doc_id]) for r in rows if r.doc_type in INSTRUCTION_TYPES and r.doc_id in docs]
    contracts = [read_side(doc) for doc in in_force]
    if wanted is not None:
        # One document named: pair it with everything on the other side.
        sops = [s for s in sops if s.doc.source in wanted] or sops
        named_contracts = [c for c in contracts if c.doc.source in wanted]
        if named_contracts:
            contracts = named_contracts
    vectors = _vectors(service, collections, sops, contracts)
    conflicts, agreeing = find_conflicts(sops, contracts, vectors)
    if wanted is not None:
        conflicts = [c for c in conflicts if any(i.source in wanted for i in c.items)]
    return ConflictReport(conflicts=conflicts, checked={"sop_documents": len(sops), "contracts": len(contracts), "pairs_agreeing": agreeing})


def _named(rows, source: str) -> set[str]:
    named = set(sources_named((r.source for r in rows), source.strip()))
    if not named:
        raise NotFound(f"no document named {source!r} among the documents you can read")
    return named


def _load(service, collections: list[str], doc_ids: set[str]) -> dict[str, ContractDoc]:
    pieces: dict[str, list[StoredPiece]] = {}
    for name in collections:
        for chunk in service.store.iter_all(name):
            if chunk.meta.get("doc_id") in doc_ids:
                pieces.setdefault(chunk.meta["doc_id"], []).append(StoredPiece(chunk.id, chunk.text, chunk.meta))
    return {doc_id: ContractDoc.from_chunks(p) for doc_id, p in pieces.items()}


def _contracts_in_force(service, collections: list[str], rows, docs: dict[str, ContractDoc]) -> list[ContractDoc]:
    """Each contract as amended today; amendments themselves and documents superseded as a whole
    are not compared on their own (their text in force is inside the composed agreement)."""
    from assistant.contracts.composed import compose
    from assistant.contracts.in_force import as_of_date

    now, _ = service.in_force.for_date(collections, as_of_date(None))
    restated = {s.base.doc_id for s in now if s.change.action == "restate"}
    out = []
    for r in rows:
        if r.doc_type not in CONTRACT_DOC_TYPES or r.doc_id not in docs or r.doc_id in restated:
            continue
        if r.amends and r.relation in ("amendment", "addendum", "change_order"):
            continue
        out.append(compose(docs[r.doc_id], now))
    return out


def _vectors(service, collections: list[str], *sides: list[Side]) -> dict:
    ids = {p.id for group in sides for side in group for p in side.doc.chunks}
    out: dict = {}
    for name in collections:
        missing = [i for i in ids if i not in out]
        if missing:
            out.update(service.store.vectors(name, missing))
    return out


def new_conflicts(service, caller: Caller) -> list[Conflict]:
    """The conflicts not reported after an earlier ingest (remembered in the data home)."""
    report = conflict_report(service, caller)
    path = Path(service.settings.home) / _SEEN_FILE
    try:
        seen = set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        seen = set()
    fresh = [c for c in report.conflicts if c.key not in seen]
    path.write_text(json.dumps(sorted({c.key for c in report.conflicts})), encoding="utf-8")
    return fresh
