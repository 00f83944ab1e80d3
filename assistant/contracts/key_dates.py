"""The agreement date and the effective date of a contract, read as a lawyer reads them.

The agreement date is the date the contract is dated: in its opening words ("made this 27th day
of March, 2017", "dated as of 09/24/2018", a "Date:" line under the title), else the date of the
last signature. The effective date is the one the contract says it takes effect: stated outright
("effective as from 1 January 2009", "(the "Effective Date")", "commence upon April 1, 1999"), or
by reference ("effective as of the date first written above" -> the agreement date; "the date of
signed acceptance" -> the last signature). A contract "made as of" a date is, by that wording,
effective from it. Every value cites the words it was read from; `basis` says how it was derived
when the date itself is written elsewhere.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.contracts.document import ContractDoc
from assistant.text.quantities import DateMention, dates
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import sentence_spans, squash

PREAMBLE_CHARS = 4000


class DateTerm(BaseModel):
    text: str  # as written: "March 1, 2025"
    iso: str = ""  # "2025-03-01" when it is a calendar date
    basis: str = ""  # how it follows from the contract when not stated in place: "the date first written above"
    citation: SourceSpan


# Words just before a date that make it the contract's own date.
_DATED_CUE = re.compile(r"(?:\bdated|\bas\s+of|\bmade|\bentered\s+into|\bexecuted|\bthis|\bon|\bdate\s*:|\beffective)"
                        r"[^.;]{0,40}$", re.I)
# "... pursuant to the Master Agreement dated ..." names another document's date.
_OTHER_DOCUMENT = re.compile(r"\b(?:pursuant\s+to|under|amend\w*|supplement\w*|referred\s+to\s+in|defined\s+in|that\s+certain|"
                             r"(?:to|of|in|with|by)\s+(?:the|an?|that)\s+[\w\s-]{0,60}?(?:agreement|amendment|plan|lease|note|order|letter))"
                             r"\b[^.;]{0,60}?\b(?:dated|of)\s*$", re.I)
_PREAMBLE_END = re.compile(r"\b(?:WHEREAS|RECITALS|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|NOW,?\s+THEREFORE)\b|"
                           r"\n\s*(?:ARTICLE\s+(?:1|I)\b|1\.\s+[A-Z]|Section\s+1\b)")


def preamble_end(doc: ContractDoc) -> int:
    """Where the opening words end: the recitals or the first clause (at most PREAMBLE_CHARS)."""
    m = _PREAMBLE_END.search(doc.clean, 80, PREAMBLE_CHARS)
    first_clause = next((mark.start for mark in doc.marks if 80 <= mark.start), PREAMBLE_CHARS)
    return min(m.start() if m else PREAMBLE_CHARS, first_clause, len(doc.clean))


def _sentence_cite(doc: ContractDoc, start: int, end: int) -> SourceSpan | None:
    """A citation of the sentence holding text[start:end] (clipped to one chunk, verbatim)."""
    span = next(((a, b) for a, b in sentence_spans(doc.clean, max(0, start - 600), min(len(doc.clean), end + 600))
                 if a <= start < b), (start, end))
    cite = doc.cite(span[0], max(span[1], end))
    if cite is None or squash(doc.text[start:end]) not in squash(cite.quote):
        return doc.cite(start, end)
    return cite


def _term(doc: ContractDoc, d: DateMention, basis: str = "", cite_span: tuple[int, int] | None = None) -> DateTerm | None:
    a, b = cite_span or (d.start, d.end)
    cite = _sentence_cite(doc, a, b)
    return None if cite is None else DateTerm(text=squash(d.text), iso=d.iso, basis=basis, citation=cite)


def _own_date(doc: ContractDoc, d: DateMention) -> bool:
    before = doc.clean[max(0, d.start - 120) : d.start]
    return bool(_DATED_CUE.search(before)) and not _OTHER_DOCUMENT.search(before)


def _on_its_own_line(doc: ContractDoc, d: DateMention) -> bool:
    line_start = doc.clean.rfind("\n", 0, d.start) + 1
    line_end = doc.clean.find("\n", d.end)
    line = doc.clean[line_start : line_end if line_end >= 0 else len(doc.clean)]
    return bool(re.fullmatch(r"\s*(?:dated?\s*:?\s*)?" + re.escape(doc.clean[d.start : d.end]) + r"\s*", line, re.I))


# The opening sentence of a contract: "This Agreement ... is made / entered into / dated ...".
OPENING_SENTENCE = re.compile(r"\b(?:this|the)\b[^.;]{0,160}?\b(?:agreement|contract|amendment|addendum|order)\b[^.;]{0,200}?"
                      r"\b(?:made|entered|dated|executed|effective|signed|concluded)\b", re.I)


def preamble_date(doc: ContractDoc) -> tuple[DateMention, bool] | None:
    """The date the opening words give the contract, and whether it is written "as of" (which makes
    it the effective date too)."""
    end = preamble_end(doc)
    signed = {d.start for d in signature_dates(doc)}
    candidates = [d for d in dates(doc.clean, 0, end, partial=True)
                  if (_own_date(doc, d) or _on_its_own_line(doc, d)) and d.start not in signed]
    if not candidates:
        # A table of contents can come first: the opening sentence is then further on.
        for m in OPENING_SENTENCE.finditer(doc.clean, 0, min(len(doc.clean), 3 * PREAMBLE_CHARS)):
            candidates = [d for d in dates(doc.clean, m.start(), min(len(doc.clean), m.end() + 300), partial=True)
                          if _own_date(doc, d) and d.start not in signed]
            if candidates:
                break
    if not candidates:
        return None
    # A full date beats one written without its day ("September 2018" on a cover, then "made on 25
    # September 2018"); a date left blank is the answer only when nothing fuller is written.
    d = next((c for c in candidates if c.iso), candidates[0])
    before = doc.clean[max(0, d.start - 60) : d.start]
    return d, bool(re.search(r"\b(?:as\s+of|effective)\b", before, re.I))


_SIGNATURE_AREA = re.compile(r"\bIN\s+WITNESS\s+WHEREOF\b|\bBy\s*:\s*|\bSignature\s*:|/s/", re.I)


def signature_dates(doc: ContractDoc) -> list[DateMention]:
    """Dates written with the signatures ("Date: 3-14-18" under "By: /s/ ...", "Hamburg, November
    19, 2012" above them), in text order; a line of prose there is not a signature date."""
    out: dict[int, DateMention] = {}
    for m in _SIGNATURE_AREA.finditer(doc.clean):
        for d in dates(doc.clean, max(0, m.start() - 300), min(len(doc.clean), m.end() + 700)):
            line_start = doc.clean.rfind("\n", 0, d.start) + 1
            line_end = doc.clean.find("\n", d.end)
            line = doc.clean[line_start : line_end if line_end >= 0 else len(doc.clean)]
            # A line of prose is no signature date, unless it is the testimonium's own date ("IN WITNESS
            # WHEREOF, the parties have executed this Agreement as of March 5, 1998").
            prose = len(re.findall(r"[a-z]{3,}", line)) > 10 and not re.search(r"\bdated?\s*:", line, re.I) and not (
                re.search(r"(?i)in\s+witness\s+whereof", doc.clean[max(0, d.start - 250) : d.start])
                and re.search(r"(?i)\b(?:as\s+of|on|this|dated)\b[^.;]{0,30}$", doc.clean[max(0, d.start - 40) : d.start]))
            if d.iso and not prose:
                out[d.start] = d
    return [out[k] for k in sorted(out)]


def extract_agreement_date(doc: ContractDoc) -> DateTerm | None:
    found = preamble_date(doc)
    if found:
        return _term(doc, found[0])
    signed = [d for d in signature_dates(doc) if d.iso]
    if signed:
        last = max(signed, key=lambda d: (d.iso, d.start))
        return _term(doc, last, basis="the date of the last signature")
    return None


# -- effective date -------------------------------------------------------------------------

_EFFECTIVE_DEFINED_AFTER = re.compile(r"^[^.;]{0,60}?\(\s*(?:the\s+|hereinafter\s+(?:the\s+)?|herein\s+)?"
                                      r"[\"\u201c](?:Effective|Commencement|Start)\s+Date[\"\u201d]", re.I)
_EFFECTIVE_BEFORE = re.compile(
    r"(?:\beffective\s+(?:as\s+(?:of|from)|on|from|beginning(?:\s+on)?|starting(?:\s+on)?|commencing(?:\s+on)?|the|this)"
    r"|\b(?:takes?|taking)\s+effect\s+(?:on|as\s+(?:of|from)|from)|\bwith\s+effect\s+(?:from|as\s+of|on)"
    r"|\b(?:comes?|enters?|entered|came)\s+into\s+(?:force|effect)\s+(?:on|as\s+(?:of|from)|from)"
    r"|[\"\u201c]?(?:Effective|Commencement)\s+Date[\"\u201d]?\s*(?:\)\s*)?(?:of\s+this\s+(?:agreement|contract)\s+)?(?:means|shall\s+mean|is|shall\s+be|will\s+be|:|of)"
    r"|\b(?:term|agreement)\b[^.;]{0,80}\b(?:commence|begin|start)s?\w*\s+(?:on|upon|as\s+of|from|with\s+effect\s+from))"
    r"\s*(?:the\s+|this\s+)?$", re.I)
_REFERS_TO_DATED = re.compile(
    r"\b(?:effective|commenc\w*|begin\w*|start\w*|enter\w*\s+into)\b[^.;]{0,80}?\b(?:as\s+of|from|on|upon)\s+the\s+date\s+"
    r"(?:first\s+)?(?:above\s+|hereinabove\s+|set\s+forth\s+above\s+|written\s+above\s+)?"
    r"(?:written|set\s+(?:forth|out)|stated|mentioned|hereof|of\s+this\s+agreement|appearing)"
    r"|\b(?:effective|commenc\w*|begin\w*)\b[^.;]{0,40}?\b(?:as\s+of|from|on)\s+the\s+date\s+hereof", re.I)
_REFERS_TO_SIGNING = re.compile(
    r"\b(?:effective|commenc\w*|begin\w*|entered\s+into)\b[^.;]{0,80}?\b(?:date\s+of\s+(?:the\s+)?(?:last|final|later)?\s*(?:signature|execution|signed\s+acceptance)"
    r"|date\s+(?:on\s+which|when)\s+[^.;]{0,40}\b(?:signed|executed)|date\s+noted\s+below|later\s+of\s+the\s+dates?\s+[^.;]{0,30}sign|upon\s+(?:its\s+)?(?:execution|signature|signing)|dates?\s+(?:shown|written|set\s+out)\s+(?:by|with|beside|below)\s+the\s+signatures?)", re.I)


def _stated_effective(doc: ContractDoc) -> tuple[int, DateTerm] | None:
    found = dates(doc.clean, partial=True)
    for d, nxt in zip(found, [*found[1:], None]):
        after = doc.clean[d.end : min(d.end + 120, nxt.start if nxt else len(doc.clean))]
        before = doc.clean[max(0, d.start - 160) : d.start]
        if _EFFECTIVE_DEFINED_AFTER.search(after) or _EFFECTIVE_BEFORE.search(before):
            term = _term(doc, d)
            if term:
                return d.start, term
    return None


def _referred_effective(doc: ContractDoc, agreement: DateTerm | None) -> tuple[int, DateTerm] | None:
    """'effective as of the date first written above' -> the agreement date; 'the later of the
    dates shown by the signatures' -> the last signature date."""
    m = _REFERS_TO_DATED.search(doc.clean)
    if m and agreement is not None:
        cite = _sentence_cite(doc, m.start(), m.end()) or agreement.citation
        return m.start(), agreement.model_copy(update={"basis": "effective as of the date the agreement is dated",
                                                       "citation": cite})
    m = _REFERS_TO_SIGNING.search(doc.clean)
    signed = [d for d in signature_dates(doc) if d.iso] if m else []
    if m and signed:
        last = max(signed, key=lambda d: (d.iso, d.start))
        term = _term(doc, last, basis="effective on signature: " + squash(m.group(0)))
        return (m.start(), term) if term else None
    return None


_EFFECTIVE_ON_EVENT = re.compile(
    r"\b(?:agreement|contract)\b[^.;]{0,60}?\b(?:(?:shall|will)\s+(?:become|be)\s+effective|(?:shall\s+|will\s+)?takes?\s+effect|is\s+effective|"
    r"(?:shall\s+|will\s+)?(?:enter|come)\s+into\s+(?:force|effect))\s+(?:upon|on|as\s+of|at)\s+(?:the\s+)?"
    r"(?P<event>(?:date\s+(?:of|on\s+which|when)\s+|)(?:completion|closing|consummation|receipt|approval|satisfaction|"
    r"fulfil\w*|occurrence|issuance|funding|listing|registration|acceptance|launch|go-live)\b[^.;]{0,80})", re.I)


def extract_effective_date(doc: ContractDoc, agreement: DateTerm | None) -> DateTerm | None:
    # The first statement in the text wins: the body comes before exhibits with their own dates.
    found = [c for c in (_stated_effective(doc), _referred_effective(doc, agreement)) if c]
    if found:
        return min(found, key=lambda c: c[0])[1]
    event = _EFFECTIVE_ON_EVENT.search(doc.clean)
    cite = _sentence_cite(doc, event.start(), event.end()) if event else None
    if event and cite:
        # "effective upon the Closing": the date depends on an event, not on the calendar.
        return DateTerm(text=squash(event.group("event")), basis="effective on an event, not a calendar date", citation=cite)
    if agreement is not None:
        # No effective date stated: a contract takes effect when made, on the date it is dated.
        basis = ("the agreement is made as of this date" if (preamble_date(doc) or (None, False))[1]
                 else "no separate effective date is stated: effective when made")
        return agreement.model_copy(update={"basis": basis})
    return None
