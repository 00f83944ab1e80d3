"""The terms in force on a date: which stored text each amendment supersedes, from when.

`InForce` (one per service, `service.in_force`) turns the catalog's links (contracts.relations) and
each amendment's changes (contracts.amendments) into `Supersession`s: a span of the amended
document's text, the amendment that replaced, deleted or extended it, and the date from which it
applies. For a date it then
- labels search results whose text is superseded (or an amendment not yet in force),
- gives answering its evidence: superseded text held back, the amending passage put in its place,
- says what changed ("30 days, since Amendment No. 1 (effective 1 Oct 2025) replaced clause 12.2's 90 days"),
- composes a contract as in force (contracts.composed) for key terms and SLA schedules.
Only documents the caller may read take part: an amendment a role can't read changes nothing for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from assistant.contracts.amendments import Change, Relation
from assistant.contracts.document import ContractDoc, StoredPiece
from assistant.contracts.relations import DocProfile
from assistant.text.clauses import sentence_spans

if TYPE_CHECKING:
    from ingest.catalog import Catalog
    from assistant.retrieval.store import VectorStore

_TERM_HEADING = re.compile(r"\b(?:term|duration)\b(?!\s*(?:ination|s\b))", re.I)


@dataclass(eq=False)  # identity: the same change found twice is one change
class Supersession:
    base: ContractDoc  # the document whose text is superseded
    start: int  # the span of `base.text` it supersedes (start == end: nothing, an addition)
    end: int
    amendment: ContractDoc  # the document that made the change
    label: str  # "Amendment No. 1"
    effective: str  # ISO, "" when the amendment states no date (in force as soon as it is indexed)
    change: Change
    old_text: str = ""  # what the superseded span said, shortened
    # What answering must not read: the span, or for a figure the whole sentence around it (half a
    # sentence with its figure gone would read as a different rule).
    hidden: tuple[int, int] | None = None

    @property
    def hide(self) -> tuple[int, int]:
        return self.hidden or (self.start, self.end)

    @property
    def new_span(self) -> tuple[int, int]:
        c = self.change
        return (c.new_start, c.new_end) if c.new_end > c.new_start else (c.start, c.end)

    def in_force(self, as_of: str) -> bool:
        return not self.effective or self.effective <= as_of

    def what(self) -> str:
        """The change in a few words, for labels: "clause 12.2 replaced by Amendment No. 1 (effective 1 Oct 2025)"."""
        c = self.change
        where = c.target if c.target.lower().startswith(("schedule", "exhibit", "annex", "appendix", "attachment")) else f"clause {c.target}"
        verb = {"replace_clause": "replaced", "delete_clause": "deleted", "add_clause": "added", "replace_figure": "amended",
                "replace_schedule": "replaced", "extend_term": "extended", "restate": "superseded"}[c.action]
        subject = "the whole document" if c.action == "restate" else ("the term" if c.action == "extend_term" and not c.target else where)
        return f"{subject} {verb} by {self.label} ({self.amendment.source}{_effective_words(self.effective)})"


@dataclass(eq=False)
class Unlinked:
    """A change that could not be tied to one place in the amended document: not applied, and said
    so ("may change ...") wherever the amendment or the document it amends is shown."""

    base: ContractDoc
    amendment: ContractDoc
    label: str
    effective: str
    change: Change
    reason: str  # "2 clauses could be meant (clause 12.1, clause 14.2)"

    def in_force(self, as_of: str) -> bool:
        return not self.effective or self.effective <= as_of

    def what(self) -> str:
        """ "Amendment No. 2 (effective 1 Jan 2026) may change the notice period ... of Master Services
        Agreement; not applied: 2 clauses could be meant (...)" """
        c = self.change
        if c.topic:
            about = f"the section headed \u201c{c.topic}\u201d" if c.topic_is_heading else f"\u201c{c.topic}\u201d"
        else:
            about = c.target if c.target[:1].isalpha() else (f"clause {c.target}" if c.target else "the term")
        figure = f" (to {c.new_text})" if c.action == "replace_figure" and c.new_text else ""
        since = f" (effective {human_date(self.effective)})" if self.effective else ""
        return f"{self.label}{since} may change {about}{figure} of {self.base.title or self.base.source}; not applied: {self.reason}"


@dataclass
class _Snapshot:
    key: tuple
    supersessions: list[Supersession] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)


class InForce:
    def __init__(self, catalog: Catalog, store: VectorStore):
        self.catalog = catalog
        self.store = store
        self._snapshot: _Snapshot | None = None

    # -- building ---------------------------------------------------------------------------
    def supersessions(self, collections: list[str]) -> list[Supersession]:
        """Every change whose amendment and amended document lie in `collections` (any date)."""
        rows = self.catalog.amendment_links(collections)
        linked = [r for r in rows if r.amends and r.profile]
        if not linked:
            return []
        by_id = {r.doc_id: r for r in rows}
        key = tuple(sorted((r.doc_id, r.ingested_at, r.amends) for r in linked)) + tuple(
            sorted((r.amends, by_id[r.amends].ingested_at) for r in linked if r.amends in by_id))
        if self._snapshot is None or self._snapshot.key != key:
            snapshot = _Snapshot(key)
            snapshot.supersessions = self._build(linked, by_id, snapshot.unlinked)
            self._snapshot = snapshot
        return self._snapshot.supersessions

    def unlinked(self, collections: list[str]) -> list[Unlinked]:
        """The changes of amendments in `collections` not tied to one place of the document they amend."""
        self.supersessions(collections)
        snapshot = self._snapshot
        if snapshot is None or not snapshot.unlinked:
            return []  # the usual case, and every search asks: no second catalog read
        # Both ends of an unlinked change are amendment-linked rows: no need to read the whole catalog.
        readable = {r.doc_id for r in self.catalog.amendment_links(collections)}
        return [u for u in snapshot.unlinked if u.base.doc_id in readable and u.amendment.doc_id in readable]

    def _build(self, linked: list, by_id: dict, unlinked: list[Unlinked]) -> list[Supersession]:
        docs: dict[str, ContractDoc] = {}
        out: list[Supersession] = []
        for row in linked:
            base_row = by_id.get(row.amends)
            if base_row is None:
                continue  # the amended document is not readable here
            relation = DocProfile.model_validate_json(row.profile).relation
            if relation is None:
                continue
            base = docs.get(base_row.doc_id) or docs.setdefault(base_row.doc_id, self._load(base_row))
            amendment = docs.get(row.doc_id) or docs.setdefault(row.doc_id, self._load(row))
            if base is None or amendment is None:
                continue
            effective = relation.effective or DocProfile.model_validate_json(row.profile).dated
            for change in relation.changes:
                found = resolve(base, change)
                if isinstance(found, str):
                    unlinked.append(Unlinked(base, amendment, _label(relation, amendment), change.effective or effective, change, found))
                    continue
                span, change = found
                hidden = _sentence_around(base, span) if change.action == "replace_figure" else None
                out.append(Supersession(base, span[0], span[1], amendment, _label(relation, amendment), change.effective or effective,
                                        change, old_text=_short(base.text[slice(*(hidden or span))]), hidden=hidden))
        return _chained(out)

    def _load(self, row) -> ContractDoc | None:
        chunks = [StoredPiece(c.id, c.text, c.meta) for c in self.store.get_where(row.collection, {"doc_id": row.doc_id})]
        return ContractDoc.from_chunks(chunks) if chunks else None

    # -- for a date ---------------------------------------------------------------------------
    def for_date(self, collections: list[str], as_of: str) -> tuple[list[Supersession], list[Supersession]]:
        """(in force, not yet in force) on `as_of` (ISO), latest change last."""
        every = self.supersessions(collections)
        now = [s for s in every if s.in_force(as_of)]
        return _drop_overridden(now), [s for s in every if not s.in_force(as_of)]


def as_of_date(value: str | None) -> str:
    """The ISO date asked about: today when none is given; InvalidInput for one that isn't a date."""
    from assistant.errors import InvalidInput

    if value is None or not str(value).strip():
        return date.today().isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"as_of must be a date as YYYY-MM-DD, not {str(value)[:40]!r}") from None


def resolve(base: ContractDoc, change: Change) -> tuple[tuple[int, int], Change] | str:
    """(the span a change supersedes, the change with the clause it was tied to), or why it can't
    be tied to one place. A change that names no clause number (or a schedule not found by its
    number) is tied by its topic, only when exactly one clause clearly matches (contracts.topic_link)."""
    from assistant.contracts.topic_link import Miss, find_target

    by_number = change.target and not (change.action == "replace_figure" and change.topic)
    span = locate(base, change) if by_number or change.action in ("extend_term", "restate") else None
    if span is not None:
        return span, change
    if change.topic and change.action not in ("extend_term", "restate", "add_clause"):
        hit = find_target(base, change)
        if isinstance(hit, Miss):
            return hit.reason
        where = hit.unit.number or hit.unit.heading
        target = hit.unit.heading if change.action == "replace_schedule" and hit.unit.heading else where
        return (hit.start, hit.end), change.model_copy(update={"target": target, "old_text": hit.old_text or change.old_text})
    if change.action == "extend_term" and not change.target:
        return f"no clause of {base.title or base.source} is headed as its term"
    where = change.target if change.target[:1].isalpha() else f"clause {change.target}"
    return f"{where} is not in {base.title or base.source}" if change.target else "it names no clause"


def locate(base: ContractDoc, change: Change) -> tuple[int, int] | None:
    """The span of the amended document's text a change supersedes; None when its target isn't there."""
    if change.action == "restate":
        return 0, len(base.text)
    if change.action == "replace_schedule":
        return _schedule_span(base, change.target)
    if change.action == "extend_term":
        span = clause_span(base, change.target) if change.target else _term_clause(base)
        return _first_sentence_with_date(base, span) if span else None
    span = clause_span(base, change.target)
    if change.action == "add_clause":
        return None if span else _insertion_point(base, change.target)
    if span is None:
        return _figure_span(base, (0, len(base.text)), change.old_text) if change.action == "replace_figure" else None
    if change.action == "replace_figure":
        return _figure_span(base, span, change.old_text)
    return span


def clause_span(doc: ContractDoc, number: str) -> tuple[int, int] | None:
    """Clause `number` from its marker to the next clause that is not inside it."""
    if not number:
        return None
    marks = doc.marks
    for i, mark in enumerate(marks):
        if mark.number != number:
            continue
        nxt = next((m for m in marks[i + 1 :] if not m.number.startswith(number + ".")), None)
        end = nxt.start if nxt else len(doc.text)
        heading = re.compile(r"^[^\S\n]*[#*]*[^\S\n]*(?:schedule|exhibit|annex|appendix|attachment)\s+\w+|^[^\S\n]*#", re.I | re.M)
        later = heading.search(doc.text, mark.body_start, end)
        return mark.start, (later.start() if later else end)
    return None


def _schedule_span(doc: ContractDoc, name: str) -> tuple[int, int] | None:
    word, _, ident = name.partition(" ")
    heading = re.compile(rf"^[^\S\n]*[#*]*[^\S\n]*{word}\s+{re.escape(ident)}\b[^\n]{{0,100}}$", re.I | re.M)
    found = list(heading.finditer(doc.text))
    if not found:
        return None
    start = found[-1].start()  # the schedule itself, not a contents line or a mention up front
    nxt = re.compile(r"^[^\S\n]*[#*]*[^\S\n]*(?:schedule|exhibit|annex|appendix|attachment)\s+\w+\b|^[^\S\n]*in\s+witness", re.I | re.M)
    later = nxt.search(doc.text, found[-1].end())
    return start, (later.start() if later else len(doc.text))


def _term_clause(doc: ContractDoc) -> tuple[int, int] | None:
    for mark in doc.marks:
        if mark.heading and _TERM_HEADING.search(mark.heading) and "terminat" not in mark.heading.lower():
            return clause_span(doc, mark.number)
    return None


def _first_sentence_with_date(doc: ContractDoc, span: tuple[int, int]) -> tuple[int, int]:
    from assistant.text.quantities import dates, durations

    for a, b in sentence_spans(doc.clean[: span[1]]):
        if a < span[0]:
            continue
        if dates(doc.clean, a, b) or any(d.unit in ("year", "month") for d in durations(doc.clean, a, b)):
            return a, b
    return span


def _sentence_around(doc: ContractDoc, span: tuple[int, int]) -> tuple[int, int]:
    for a, b in sentence_spans(doc.clean[: min(len(doc.clean), span[1] + 2000)]):
        if a <= span[0] and span[1] <= b:
            return a, b
    return span


def _figure_span(doc: ContractDoc, span: tuple[int, int], old: str) -> tuple[int, int] | None:
    words = re.findall(r"\w+", old)
    if not words:
        return None
    pattern = re.compile(r"\W{1,4}".join(map(re.escape, words)), re.I)
    m = pattern.search(doc.clean, span[0], span[1]) or pattern.search(doc.clean)
    return (m.start(), m.end()) if m else None


def _insertion_point(doc: ContractDoc, number: str) -> tuple[int, int] | None:
    # A new clause 9.6 goes after 9.5 (or after the last clause of 9): where its text is placed
    # when the contract is composed. It supersedes nothing.
    parent = number.rsplit(".", 1)[0] if "." in number else ""
    siblings = [m for m in doc.marks if parent and (m.number == parent or m.number.startswith(parent + "."))]
    if not siblings:
        return len(doc.text), len(doc.text)
    last = clause_span(doc, siblings[-1].number)
    return (last[1], last[1]) if last else None


def _chained(found: list[Supersession]) -> list[Supersession]:
    """A later change to the same clause also supersedes the earlier amendment's wording of it; a
    restatement supersedes the amendments of the document it restates that took effect before it."""
    out = list(found)
    by_target: dict[tuple[str, str], list[Supersession]] = {}
    for s in found:
        if s.change.action != "restate":
            by_target.setdefault((s.base.doc_id, s.change.target or s.change.action), []).append(s)
    for group in by_target.values():
        group.sort(key=lambda s: s.effective or "")
        for earlier, later in zip(group, group[1:]):
            a, b = earlier.new_span
            out.append(Supersession(earlier.amendment, a, b, later.amendment, later.label, later.effective, later.change,
                                    old_text=_short(earlier.amendment.text[a:b])))
    for r in [s for s in found if s.change.action == "restate"]:
        for s in found:
            if s.base.doc_id == r.base.doc_id and s is not r and (s.effective or "") <= (r.effective or "9999"):
                out.append(Supersession(s.amendment, 0, len(s.amendment.text), r.amendment, r.label, r.effective, r.change,
                                        old_text=_short(s.amendment.text)))
    return out


def _drop_overridden(found: list[Supersession]) -> list[Supersession]:
    # In force on the date: when a later change to the same clause is in force too, the earlier
    # one's base supersession stays (the base text is superseded either way), but the latest tells.
    return sorted(found, key=lambda s: (s.effective or "", s.label))


def _label(relation: Relation, amendment: ContractDoc) -> str:
    return relation.label if relation.kind not in ("restatement", "sow_version") else (amendment.title or relation.label)


def _effective_words(iso: str) -> str:
    return f", effective {human_date(iso)}" if iso else ""


def human_date(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%b %Y}"


def _short(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"
