"""Which indexed document each amendment changes, and how the link was made.

At ingest every contract document gets a profile (its parties, its own date, and when it changes
another document, the Relation read by contracts.amendments). After each run `link(rows)` matches
every change document to the document it names: by title, by that document's date and by parties,
and records which of those matched (`link_basis`, e.g. "title+date+parties"), so a user can judge
a link before trusting what it supersedes.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.contracts.amendments import Change, Relation, read_relation
from assistant.text.quantities import dates

VERSION = "1"  # part of the ingest pipeline key: a new reading re-profiles every contract (no re-embedding)

_VERSIONED = re.compile(r"[\s,(-]*\b(?:version|ver\.?|v|rev(?:ision)?\.?)\s*(?P<v>\d+(?:\.\d+)?)\b\)?", re.I)
_NOISE = {"the", "a", "an", "to", "of", "and", "for", "this", "that", "between", "no", "number"}
_CHANGE_KINDS = ("amendment", "addendum", "change_order")


class DocProfile(BaseModel):
    parties: list[str] = Field(default_factory=list)
    dated: str = ""  # ISO: the document's own date (agreement or effective date)
    relation: Relation | None = None


def profile(doc_type: str, title: str, text: str, effective_date: str = "") -> DocProfile:
    """What linking needs to know about one contract document, read from its text."""
    from assistant.contracts.document import ContractDoc
    from assistant.contracts.parties import extract_parties
    from assistant.text.clauses import analysis_text

    head = text[:6000]
    doc = ContractDoc(source="", doc_id="", doc_type=doc_type, title=title, collection="", chunks=[], text=head,
                      clean=analysis_text(head))
    parties = [p.name for p in extract_parties(doc) if p.name and not p.name.startswith("[")]
    own = dates(effective_date) if effective_date else []
    relation = read_relation(title, text) or _new_version(doc_type, title)
    dated = own[0].iso if own else _first_dated(head, relation)
    return DocProfile(parties=parties[:6], dated=dated, relation=relation)


def _new_version(doc_type: str, title: str) -> Relation | None:
    # "Statement of Work No. 4 - Version 2": a later version replaces the earlier one as a whole.
    m = _VERSIONED.search(title or "")
    if doc_type != "sow" or not m or float(m.group("v")) <= 1:
        return None
    stem = (title[: m.start()] + title[m.end() :]).strip(" -,")
    return Relation(kind="sow_version", label=f"version {m.group('v')}", refers_title=stem,
                    changes=[Change(action="restate", target="*", start=0, end=0)])


def _first_dated(head: str, relation: Relation | None) -> str:
    m = re.search(r"\b(?:dated|made\s+(?:on|as\s+of)|entered\s+into\s+(?:on|as\s+of)|effective\s+(?:as\s+of|on))\s+(?:the\s+)?", head, re.I)
    if not m:
        return ""
    when = dates(head, m.end(), min(len(head), m.end() + 40))
    if not when or when[0].start != m.end():
        return ""
    # An amendment's "amends the Agreement dated X" is the other document's date, not its own.
    return "" if relation and when[0].iso == relation.refers_date else when[0].iso


class Link(BaseModel):
    amends: str = ""  # doc_id
    basis: str = ""  # "title+date+parties"; "" when nothing indexed matches


def link(rows: list) -> dict[str, Link]:
    """doc_id -> the document it changes, for every row whose profile has a relation. `rows` need
    doc_id, title, doc_type, ingested_at and a `profile` (DocProfile)."""
    out: dict[str, Link] = {}
    for row in rows:
        relation = row.profile.relation
        if relation is None:
            continue
        scored = [(s, basis, c) for c in rows if c.doc_id != row.doc_id and _may_be_target(c, relation)
                  for s, basis in [_score(row, relation, c)] if s > 0]
        if not scored:
            out[row.doc_id] = Link()
            continue
        best = max(scored, key=lambda t: (t[0], t[2].profile.dated <= (relation.effective or "9999"), t[2].ingested_at))
        out[row.doc_id] = Link(amends=best[2].doc_id, basis=best[1])
    return out


def _may_be_target(candidate, relation: Relation) -> bool:
    other = candidate.profile.relation
    if other is not None and other.kind in _CHANGE_KINDS:
        return False  # amendments amend agreements, not each other
    if relation.kind == "sow_version":
        return candidate.doc_type == "sow" and _version(candidate.title) < _version_label(relation.label)
    return True


def _score(row, relation: Relation, candidate) -> tuple[int, str]:
    matched = []
    if relation.refers_title and _title_matches(relation.refers_title, candidate.title):
        matched.append("title")
    if relation.refers_date and relation.refers_date == candidate.profile.dated:
        matched.append("date")
    shared = _shared_parties(row.profile.parties, candidate.profile.parties)
    if shared and shared >= min(2, len(row.profile.parties)):
        matched.append("parties")
    # A title alone is enough (one MSA per folder is common); parties alone are not (two SOWs of the
    # same parties), nor a date alone.
    if "title" not in matched and not ("date" in matched and "parties" in matched):
        return 0, ""
    weight = {"title": 2, "date": 2, "parties": 1}
    return sum(weight[m] for m in matched), "+".join(matched)


def _key(title: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", _VERSIONED.sub(" ", title.lower()))
    return [w for w in words if w not in _NOISE]


def _title_matches(named: str, title: str) -> bool:
    want, have = _key(named), _key(title)
    if not want:
        return False
    # Every word of the name in order in the title ("Master Services Agreement" in "Amended and
    # Restated Master Services Agreement"); numbers must agree exactly (SOW No. 2 is not SOW No. 12).
    numbers = [w for w in want if w.isdigit()]
    if numbers and numbers != [w for w in have if w.isdigit()]:
        return False
    it = iter(have)
    return all(w in it for w in want)


def _shared_parties(mine: list[str], theirs: list[str]) -> int:
    def first_word(name: str) -> str:
        words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _NOISE]
        return words[0] if words else ""

    return len({first_word(n) for n in mine} & {first_word(n) for n in theirs} - {""})


def _version(title: str) -> float:
    m = _VERSIONED.search(title or "")
    return float(m.group("v")) if m else 1.0


def _version_label(label: str) -> float:
    m = re.search(r"\d+(?:\.\d+)?", label)
    return float(m.group(0)) if m else 1.0


class _Profiled(BaseModel):
    doc_id: str
    title: str
    doc_type: str
    ingested_at: str
    profile: DocProfile


def profiled(rows) -> list[_Profiled]:
    """Catalog rows with their stored profile read back (rows without one are left out)."""
    out = []
    for r in rows:
        if r.profile:
            out.append(_Profiled(doc_id=r.doc_id, title=r.title, doc_type=r.doc_type, ingested_at=r.ingested_at,
                                 profile=DocProfile.model_validate_json(r.profile)))
    return out


def relink(catalog) -> None:
    """Recompute every amendment's link over the whole catalog (a new agreement may be the one an
    older amendment names) and store the ones that changed."""
    rows = catalog.all()
    links = link(profiled(rows))
    wanted = {r.doc_id: (links[r.doc_id].amends, links[r.doc_id].basis) if r.doc_id in links else ("", "") for r in rows}
    catalog.set_links({r.doc_id: wanted[r.doc_id] for r in rows if (r.amends, r.link_basis) != wanted[r.doc_id]})
