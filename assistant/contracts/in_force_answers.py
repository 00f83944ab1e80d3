"""Search results and answers under the terms in force (see contracts.in_force).

- `label`: a result whose text an amendment in force superseded says so (`superseded_by`); a
  passage of an amendment not yet in force says from when (`in_force_from`). Both stay searchable.
- `evidence`: what answering may read: superseded text held back (a chunk mostly superseded is
  left out, a part of one is blanked, offsets kept), and the amending passage placed where the text
  it replaced ranked, so an answer quotes the terms in force.
- `explain`: one cited sentence saying what changed, put before a grounded answer that relied on it.
"""

from __future__ import annotations

from assistant.contracts.document import StoredPiece
from assistant.contracts.in_force import Supersession, Unlinked, human_date
from assistant.text.quantities import durations, money, percents
from assistant.models import Answer, Citation, SearchResult

_MOSTLY = 0.6  # share of a chunk superseded above which answering doesn't see it at all
_MAX_NOTES = 2
_NEAR_TOP = 2  # a superseded passage ranked this high (0-based) was part of the answer's question


def _overlap(r: SearchResult, doc_id: str, span: tuple[int, int]) -> tuple[int, int] | None:
    if r.doc_id != doc_id:
        return None
    a, b = max(span[0], r.char_start), min(span[1], r.char_end)
    return (a, b) if a < b else None


def label(results: list[SearchResult], now: list[Supersession], pending: list[Supersession]) -> None:
    """Mark superseded text and not-yet-effective amendments in place."""
    for r in results:
        hits = [s for s in now if _overlap(r, s.base.doc_id, (s.start, s.end))]
        if hits:
            r.superseded_by = "; ".join(dict.fromkeys(s.what() for s in hits))
        later = [s for s in pending if _overlap(r, s.amendment.doc_id, _whole(s))]
        if later and not hits:
            r.in_force_from = min(s.effective for s in later)


def _whole(s: Supersession) -> tuple[int, int]:
    """The amendment's instruction and new wording together."""
    a, b = s.new_span
    return min(a, s.change.start), max(b, s.change.end)


def evidence(results: list[SearchResult], now: list[Supersession], pending: list[Supersession],
             unlinked: list[Unlinked] = ()) -> tuple[list[SearchResult], list[tuple[Supersession | Unlinked, int]]]:
    """(the passages answering may use, the supersessions they were adjusted for with the best
    rank of a passage each one superseded, and the changes not applied (`unlinked`, in force) whose
    amendment or amended document was retrieved, with the best rank of such a passage)."""
    out: list[SearchResult] = []
    applied: dict[Supersession, int] = {}
    seen = {r.chunk_id for r in results}
    for rank, r in enumerate(results):
        hits = [s for s in now if _overlap(r, s.base.doc_id, s.hide)]
        spans = [_overlap(r, s.base.doc_id, s.hide) for s in hits]
        spans += [_overlap(r, s.amendment.doc_id, _whole(s)) for s in pending if _overlap(r, s.amendment.doc_id, _whole(s))]
        for s in hits:
            for piece in _amending_pieces(s):
                if piece.id not in seen:
                    seen.add(piece.id)
                    out.append(SearchResult.from_stored(piece.id, piece.text, piece.meta, piece.meta.get("collection", ""), r.score))
            applied.setdefault(s, rank)
        if not spans:
            out.append(r)
            continue
        covered = sum(b - a for a, b in _merged(spans))
        if covered < _MOSTLY * max(1, r.char_end - r.char_start):
            out.append(r.model_copy(update={"text": _blanked(r, spans)}))
    for rank, r in enumerate(results):
        for u in unlinked:
            if r.doc_id in (u.base.doc_id, u.amendment.doc_id):
                applied.setdefault(u, rank)
    return out, list(applied.items())


def _amending_pieces(s: Supersession) -> list[StoredPiece]:
    a, b = s.new_span
    if b <= a:
        return []
    piece = s.amendment.chunk_for(a, b)
    return [piece] if piece is not None else []


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _blanked(r: SearchResult, spans: list[tuple[int, int]]) -> str:
    # Same length, line breaks kept: offsets and quote positions stay true for the rest.
    chars = list(r.text)
    for a, b in spans:
        for i in range(a - r.char_start, b - r.char_start):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# -- saying what changed -----------------------------------------------------------------------

def describe(s: Supersession, question: str = "") -> str:
    """ "30 days, since Amendment No. 1 (effective 1 Oct 2025) replaced clause 12.2's 90 days" """
    c = s.change
    since = f"{s.label}" + (f" (effective {human_date(s.effective)})" if s.effective else "")
    where = c.target if c.target[:1].isalpha() else f"clause {c.target}"
    if c.action == "restate":
        return f"{s.amendment.title or s.label} restates {s.base.title}, whose earlier text is superseded"
    if c.action == "delete_clause":
        return f"{where} of {s.base.title} no longer applies: {since} deleted it"
    if c.action == "add_clause":
        return f"{since} added {where} to {s.base.title}"
    new_text = s.amendment.text[slice(*s.new_span)]
    pair = _changed_figure(s.old_text, new_text, question)
    if c.action == "replace_figure":
        pair = pair or (c.old_text, c.new_text)
    if c.action == "extend_term":
        target = f"{where}'s" if c.target else "the"
        return f"the term now runs {_to_words(c.new_text)}, since {since} extended {target} term of {s.base.title}"
    if pair:
        return f"{pair[1]}, since {since} replaced {where}'s {pair[0]} in {s.base.title}"
    return f"{where} of {s.base.title} reads as {since} replaced it"


def _to_words(what: str) -> str:
    return what if what.lower().startswith(("until", "to ", "through", "by ", "for ")) else f"until {what}"


def _figures(text: str) -> dict[str, list[tuple[float, str]]]:
    return {
        "duration": [(d.seconds or (d.days or 0) * 86400, d.text) for d in durations(text)],
        "percent": [(v, text[a:b]) for v, a, b in percents(text)],
        "money": [(v, text[a:b]) for v, _, a, b in money(text)],
    }


def _changed_figure(old: str, new: str, question: str) -> tuple[str, str] | None:
    """The first figure of the kind the question asks about that the change altered (old, new)."""
    before, after = _figures(old), _figures(new)
    q = question.lower()
    order = ["percent", "money", "duration"] if any(w in q for w in ("%", "percent", "credit", "uptime", "rate")) else \
        ["money", "duration", "percent"] if any(w in q for w in ("$", "fee", "amount", "cap", "price")) else ["duration", "percent", "money"]
    for kind in order:
        for (v_old, t_old), (v_new, t_new) in zip(before[kind], after[kind]):
            if v_old != v_new:
                return " ".join(t_old.split()), " ".join(t_new.split())
    return None


def explain(answer: Answer, evidence_used: list[SearchResult], applied: list[tuple[Supersession, int]], as_of: str,
            question: str) -> Answer:
    """The answer with a first sentence saying which amendment it follows, cited to that amendment."""
    if not answer.grounded or not applied:
        return answer
    cited = {c.chunk_id for c in answer.citations}
    by_id = {r.chunk_id: r for r in evidence_used}
    answer = _may_change(answer, by_id, [(u, rank) for u, rank in applied if isinstance(u, Unlinked)], question)
    applied = [(s, rank) for s, rank in applied if isinstance(s, Supersession)]
    # A change is worth saying when the answer quotes its amending passage, or when the text it
    # superseded ranked near the top and the answer relies on that document (or it ranked first).
    quoted = [s for s, _ in applied if any(p.id in cited for p in _amending_pieces(s))]
    bases = {by_id[c].doc_id for c in cited if c in by_id}
    around = [s for s, rank in sorted(applied, key=lambda t: t[1])
              if s not in quoted and (rank == 0 or (rank <= _NEAR_TOP and s.base.doc_id in bases))]
    ranked = quoted + around
    citations = list(answer.citations)
    notes = []
    for s in ranked[:_MAX_NOTES]:
        pieces = _amending_pieces(s)
        if not pieces:
            continue
        n = next((c.n for c in citations if c.chunk_id == pieces[0].id), None)
        if n is None:
            n = max((c.n for c in citations), default=0) + 1
            citations.append(_citation(n, pieces[0], s, by_id.get(pieces[0].id)))
        notes.append(f"{_capital(describe(s, question))} [{n}].")
    if not notes:
        return answer
    lead = f"In force on {human_date(as_of)}: " + " ".join(notes)
    return answer.model_copy(update={"answer": lead + "\n\n" + answer.answer, "citations": citations})


def _may_change(answer: Answer, by_id: dict[str, SearchResult], found: list[tuple[Unlinked, int]], question: str) -> Answer:
    """A change that was not applied (it names no clause, and no single clause clearly matches) is
    said, cited to the amendment, when the answer relies on the document it amends and the change
    is about what was asked: the answer may not be the terms in force, and the reader decides."""
    from assistant.contracts.topic_link import stems

    asked = stems(question)
    bases = {by_id[c.chunk_id].doc_id for c in answer.citations if c.chunk_id in by_id}
    citations = list(answer.citations)
    notes = []
    for u, _ in sorted(found, key=lambda t: t[1]):
        about = stems(u.change.topic or u.change.new_text)
        if not (u.base.doc_id in bases or u.amendment.doc_id in bases) or not (about & asked):
            continue
        piece = u.amendment.chunk_for(u.change.start, max(u.change.start + 1, u.change.end))
        if piece is None:
            continue
        n = next((c.n for c in citations if c.chunk_id == piece.id), None)
        if n is None:
            n = max((c.n for c in citations), default=0) + 1
            quote = piece.text[max(0, u.change.start - piece.start) : max(0, u.change.end - piece.start)].strip() or piece.text.strip()
            m = piece.meta
            citations.append(Citation(n=n, chunk_id=piece.id, source=m.get("source", ""), quote=quote,
                                      section_path=m.get("section_path", ""), page_start=m.get("page_start"), title=m.get("title", ""),
                                      clause_no="", doc_type=m.get("doc_type"), collection=m.get("collection", "")))
        notes.append(f"Note: {u.what()} [{n}].")
        if len(notes) >= _MAX_NOTES:
            break
    if not notes:
        return answer
    return answer.model_copy(update={"answer": answer.answer + "\n\n" + " ".join(notes), "citations": citations})


def _citation(n: int, piece: StoredPiece, s: Supersession, result: SearchResult | None) -> Citation:
    a, b = s.change.start, s.change.end
    if not (piece.start <= a and b <= piece.end):
        a, b = max(s.new_span[0], piece.start), min(s.new_span[1], piece.end)
    quote = piece.text[a - piece.start : b - piece.start].strip() or piece.text.strip()
    m = piece.meta
    return Citation(n=n, chunk_id=piece.id, source=m.get("source", ""), quote=quote,
                    section_path=result.section_path if result else m.get("section_path", ""), page_start=m.get("page_start"),
                    title=m.get("title", ""), clause_no="", doc_type=m.get("doc_type"), collection=m.get("collection", ""))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def in_force_first(hits: list[SearchResult], now: list[Supersession], pending: list[Supersession]) -> list[SearchResult]:
    """A ranked list (clause look-up) with each superseded hit's amending passage in its place and
    the superseded hit labelled and moved after everything in force."""
    label(hits, now, pending)
    current: list[SearchResult] = []
    seen = {h.chunk_id for h in hits}
    for hit in hits:
        if hit.superseded_by or hit.in_force_from:
            for s in (s for s in now if _overlap(hit, s.base.doc_id, s.hide)):
                for piece in _amending_pieces(s):
                    if piece.id not in seen:
                        seen.add(piece.id)
                        current.append(type(hit).from_stored(piece.id, piece.text, piece.meta, piece.meta.get("collection", ""),
                                                             hit.score, **_extra(hit)))
            continue
        current.append(hit)
    return current + [h for h in hits if h.superseded_by or h.in_force_from]


def _extra(hit: SearchResult) -> dict:
    # A subclass's own fields (a ClauseHit's clause types and scores) carry over to its replacement.
    base = set(SearchResult.model_fields)
    return {k: getattr(hit, k) for k in type(hit).model_fields if k not in base and k not in ("quote", "clause_heading")}
