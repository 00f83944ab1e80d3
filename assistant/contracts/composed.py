"""A contract as in force: the amended document's text with each change in force applied.

Built from slices of stored chunks (the base's unchanged parts, each amendment's new wording), so
the existing extractors (key terms, SLA schedule, obligations) run unchanged and every figure they
report is still cited to a chunk with a verbatim quote: a replaced clause's figure cites the
amendment that replaced it.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.contracts.document import ContractDoc, StoredPiece
from assistant.contracts.in_force import Supersession, human_date
from assistant.contracts.in_force_answers import describe
from assistant.contracts.key_dates import DateTerm
from assistant.contracts.key_terms import KeyTerms
from assistant.text.quantities import dates
from assistant.contracts.sla_models import SlaSchedule, SourceSpan


class ComposedDoc(ContractDoc):
    """Pieces come from several documents: a citation names the one its piece came from."""

    def cite(self, start: int, end: int) -> SourceSpan | None:
        span = super().cite(start, end)
        piece = self.chunk_for(start, end)
        if span is not None and piece is not None:
            span.source = piece.meta.get("source", span.source)
        return span


class AppliedChange(BaseModel):
    amendment: str  # its source path
    label: str  # "Amendment No. 1"
    effective: str = ""  # ISO
    action: str  # replace_clause | delete_clause | add_clause | replace_figure | replace_schedule | extend_term | restate
    target: str = ""
    summary: str  # "30 days, since Amendment No. 1 (effective 1 Oct 2025) replaced clause 12.2's 90 days"
    citation: SourceSpan | None = None
    replaced: SourceSpan | None = None  # the amended document's words this change superseded (none for an addition or restatement)


class KeyTermsInForce(KeyTerms):
    as_of: str = ""
    amendments: list[AppliedChange] = Field(default_factory=list)
    may_change: list[str] = Field(default_factory=list)  # changes in force not tied to one clause: not applied, and why


class SlaScheduleInForce(SlaSchedule):
    as_of: str = ""
    amendments: list[AppliedChange] = Field(default_factory=list)
    may_change: list[str] = Field(default_factory=list)  # changes in force not tied to one clause: not applied, and why


def compose(base: ContractDoc, now: list[Supersession]) -> ContractDoc:
    """`base` with the supersessions in force on it applied (the latest change to a span wins)."""
    mine = [s for s in now if s.base.doc_id == base.doc_id and s.change.action not in ("restate", "extend_term")]
    if not mine:
        return base
    latest: dict[tuple[int, int], Supersession] = {}
    for s in sorted(mine, key=lambda s: s.effective or ""):
        latest[(s.start, s.end)] = s
    segments: list[tuple[list[StoredPiece], int]] = []  # (pieces, blank lines before them)
    cursor = 0
    for (start, end), s in sorted(latest.items()):
        if start < cursor:
            continue  # overlaps a change already applied: the earlier span's reading stands
        inline = s.change.action == "replace_figure"
        segments.append((_slices(base, cursor, start), 0))
        segments.append((_slices(s.amendment, *s.new_span) if s.change.action != "delete_clause" else [], 0 if inline else 2))
        cursor = end
        if not inline:
            segments.append(([], 2))
    segments.append((_slices(base, cursor, len(base.text)), 0))
    return _assemble(base, segments)


def _slices(doc: ContractDoc, start: int, end: int) -> list[StoredPiece]:
    out = []
    for c in sorted(doc.chunks, key=lambda c: c.start):
        a, b = max(start, c.start), min(end, c.end)
        if a < b:
            out.append(StoredPiece(c.id, c.text[a - c.start : b - c.start], dict(c.meta)))
    return out


def _assemble(base: ContractDoc, segments: list[tuple[list[StoredPiece], int]]) -> ContractDoc:
    pieces: list[StoredPiece] = []
    pos = 0
    for seg, gap in segments:
        pos += gap
        for p in seg:
            pieces.append(StoredPiece(p.id, p.text, {**p.meta, "char_start": pos, "char_end": pos + len(p.text), "ordinal": len(pieces)}))
            pos += len(p.text)
    if not pieces:
        return base
    doc = ComposedDoc.from_chunks(pieces)
    doc.source, doc.doc_id, doc.title, doc.doc_type = base.source, base.doc_id, base.title, base.doc_type
    return doc


def applied_changes(base: ContractDoc, now: list[Supersession]) -> list[AppliedChange]:
    out = []
    for s in sorted((s for s in now if s.base.doc_id == base.doc_id), key=lambda s: s.effective or ""):
        a, b = s.change.start, s.change.end
        out.append(AppliedChange(amendment=s.amendment.source, label=s.label, effective=s.effective, action=s.change.action,
                                 target=s.change.target, summary=describe(s), citation=s.amendment.cite(a, b) if b > a else None,
                                 replaced=s.base.cite(*s.hide) if s.end > s.start and s.change.action != "restate" else None))
    return out


def extend_term(terms: KeyTerms, base: ContractDoc, now: list[Supersession]) -> None:
    """An extension in force sets the expiration date it states, cited to the amendment."""
    for s in sorted((s for s in now if s.base.doc_id == base.doc_id and s.change.action == "extend_term"),
                    key=lambda s: s.effective or ""):
        found = dates(s.change.new_text)
        cite = s.amendment.cite(*s.new_span)
        if found and cite is not None:
            before = terms.expiration_date.text if terms.expiration_date else "the earlier end"
            terms.expiration_date = DateTerm(text=found[0].text, iso=found[0].iso, citation=cite,
                                             basis=f"extended by {s.label}" + (f" (effective {human_date(s.effective)})" if s.effective else "")
                                             + f", replacing {before}")


def _in_force_for(service, caller, base: ContractDoc, as_of: str | None) -> tuple[str, list[Supersession]]:
    from assistant.contracts.in_force import as_of_date

    day = as_of_date(as_of)
    now, _ = service.in_force.for_date(service.access.readable(caller), day)
    return day, [s for s in now if s.base.doc_id == base.doc_id]


def _may_change(service, caller, base: ContractDoc, day: str) -> list[str]:
    return [u.what() for u in service.in_force.unlinked(service.access.readable(caller)) if u.base.doc_id == base.doc_id and u.in_force(day)]


def key_terms_in_force(service, caller, base: ContractDoc, as_of: str | None) -> KeyTermsInForce:
    """Key terms of `base` as amended on `as_of` (today by default)."""
    from assistant.contracts.key_terms import extract_key_terms

    day, now = _in_force_for(service, caller, base, as_of)
    terms = extract_key_terms(compose(base, now))
    extend_term(terms, base, now)
    out = KeyTermsInForce(**terms.model_dump(), as_of=day, amendments=applied_changes(base, now),
                          may_change=_may_change(service, caller, base, day))
    out.notes += [f"superseded as a whole: {c.summary}" for c in out.amendments if c.action == "restate"]
    return out


def sla_schedule_in_force(service, caller, base: ContractDoc, as_of: str | None) -> SlaScheduleInForce:
    """The SLA schedule of `base` as amended on `as_of` (today by default)."""
    from assistant.contracts.sla import extract_sla_schedule

    day, now = _in_force_for(service, caller, base, as_of)
    schedule = extract_sla_schedule(compose(base, now))
    return SlaScheduleInForce(**schedule.model_dump(), as_of=day, amendments=applied_changes(base, now),
                              may_change=_may_change(service, caller, base, day))
