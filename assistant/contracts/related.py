"""The agreements a contract belongs with: the master agreement a SOW is made under, its schedules.

A SOW's chronic-failure or termination rights often sit in the master agreement. Related means: a
contract the caller can read that names one of this contract's parties (by full name), preferring
the same folder and master agreements. Without parties to compare, master agreements in the same
folder are taken.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from assistant.contracts.document import ContractDoc, contract_rows, load_contract
from assistant.contracts.parties import extract_parties
from assistant.models import Caller

if TYPE_CHECKING:
    from assistant.listing import DocumentListing
    from assistant.retrieval.store import VectorStore

MAX_CANDIDATES = 12  # each candidate is read in full: bound the cost on a large library


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def related_contracts(listing: DocumentListing, store: VectorStore, caller: Caller, doc: ContractDoc) -> list[ContractDoc]:
    """Readable contracts related to `doc`, most likely first (never `doc` itself)."""
    folder = PurePosixPath(doc.source).parent
    rows = [r for r in contract_rows(listing, caller) if r.source != doc.source and not r.duplicate_of]
    rows.sort(key=lambda r: (PurePosixPath(r.source).parent != folder, r.doc_type != "msa", r.source))
    names = [_key(p.name) for p in extract_parties(doc) if len(_key(p.name)) >= 4]
    found: list[ContractDoc] = []
    for row in rows[:MAX_CANDIDATES]:
        if not names and not (row.doc_type == "msa" and PurePosixPath(row.source).parent == folder):
            continue
        other = load_contract(listing, store, caller, row.source)
        head = _key(other.clean[:6000])
        if not names or any(n in head for n in names):
            found.append(other)
    return found
