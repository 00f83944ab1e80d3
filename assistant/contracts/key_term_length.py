"""How long a contract runs: the initial term, its start and end, renewals, or no fixed end.

Read from the sentences that speak of the term ("This Agreement shall commence on the Effective
Date and continue for three (3) years", "Term: twelve (12) months from the date of the
Agreement", "shall terminate on the third anniversary of the Effective Date", "shall expire
December 31, 2023", "shall continue until terminated"). A renewal clause in the same sentence
gives the renewal term, never the initial one. When the contract states a start and a length but
no end date, the end is computed (basis says so) and cites the term sentence.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from pydantic import BaseModel

from assistant.contracts.document import ContractDoc
from assistant.contracts.key_dates import DateTerm, _sentence_cite
from assistant.text.quantities import Duration, dates, durations, words_to_int
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import sentence_spans, squash


class DurationTerm(BaseModel):
    text: str  # "one (1) year"
    value: float
    unit: str  # day | business_day | week | month | year
    days: int | None = None  # normalised: 30 days a month, 365 a year; business days stay business days
    business_days: bool = False
    citation: SourceSpan


class TermStatement(BaseModel):
    """A term with no fixed end ("shall continue until terminated", "perpetual")."""

    text: str
    citation: SourceSpan


_SUBJECT = re.compile(r"\b(?:this\s+(?:\w+\s+){0,4}?agreement|the\s+[\"\u201c]?(?:initial\s+)?term|term\s+of\s+this|the\s+agreement|"
                      r"this\s+contract|the\s+contract|initial\s+term|engagement|consultation\s+period|employment)\b", re.I)
_RUNS = re.compile(r"\b(?:commenc\w*|continu\w*|remain\w*|in\s+(?:full\s+)?(?:force|effect)|expir\w*|terminat\w*|end(?:s|ing)?\b|"
                   r"be\s+for|is\s+for|valid|extend\w*|runs?\b|last\w*|period|term)\b", re.I)
_OFF_TOPIC = re.compile(r"\b(?:warrant\w*|licen[cs]e\s+(?:fee|period)|payment|invoice|confidential\w*|surviv\w*|notice\s+period|"
                        r"non-?compet\w*|solicit\w*)\b", re.I)
_RENEWAL_CUE = re.compile(r"\b(?:renew\w*|option\s+to\s+extend|extended\s+(?:to|for|until)|"
                          r"automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend)\w*|successive|additional\s+(?:term|period|one|two|\d)|"
                          r"further\s+(?:term|period)|extension\s+term|thereafter\s+(?:for|on|from))\b", re.I)
_NOTICE_NEAR = re.compile(r"^[^.;]{0,30}?\b(?:notice|prior|in\s+advance|before|after\s+(?:receipt|written))\b", re.I)
_LENGTH_LEAD = re.compile(r"(?:\bfor|\bof|\bis|\bbe|:|\bbe\s+valid\s+for)\s+(?:an?\s+(?:initial\s+)?(?:term|period)\s+of\s+|the\s+period\s+of\s+)?"
                          r"(?:approximately\s+|about\s+|up\s+to\s+)?$", re.I)
_END_LEAD = re.compile(r"\b(?:expir\w*|terminat\w*|end(?:s|ing)?|until|through|thru|to)\b(?:\s+\w+ly)?(?:\s+(?:on|at\s+midnight\s+on))?"
                       r"\s*(?:the\s+)?$", re.I)
_START_LEAD = re.compile(r"\b(?:commenc\w*|begin\w*|start\w*|effective|from)\b(?:\s+(?:on|as\s+of|upon|from))?\s*$", re.I)
_ORDINAL_YEARS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                  "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20}
_ANNIVERSARY = re.compile(r"\b(?P<n>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|"
                          r"\d{1,2}(?:st|nd|rd|th)|[a-z]+[\s-]year|\d{1,2}[\s-]year)(?:\s*\(\d{1,2}(?:st|nd|rd|th)?\))?\s+anniversary\s+of\b", re.I)
_INDEFINITE = re.compile(r"\b(?:indefinite(?:ly)?|perpetu\w*|in\s+perpetuity|(?:unless\s+and\s+)?until\s+(?:it\s+is\s+|this\s+agreement\s+is\s+)?"
                         r"(?:terminated|termination|either\s+party\s+(?:gives|terminates))|no\s+fixed\s+(?:term|duration))\b", re.I)
_HEADING_TERM = re.compile(r"\b(?:term|duration|period\s+of\s+(?:the\s+)?agreement|commencement)\b", re.I)


def _term_sentences(doc: ContractDoc) -> list[tuple[int, int]]:
    """Sentences about how long the contract runs, best first: those naming the initial term,
    then those in a clause headed "Term"/"Duration", then the rest in text order."""
    found = []
    for a, b in sentence_spans(doc.clean):
        s = doc.clean[a:b]
        initial = re.search(r"\binitial\s+term\b", s, re.I)
        # A long sentence can name the initial term late ("... as follows: The Initial Term ... is").
        head = s[max(0, initial.start() - 150):] if initial else s[:160]
        if not (_SUBJECT.search(head) and _RUNS.search(s)) and not re.match(r"\s*(?:\d[\d.]*\s*)?(?:initial\s+)?term\s*[:.-]", s, re.I):
            continue
        if _OFF_TOPIC.search(head) and not re.search(r"initial\s+term", s, re.I):
            continue
        heading = doc.clause_heading_at(a)
        rank = 0 if initial else (1 if _HEADING_TERM.search(heading or "") else 2)
        found.append((rank, a + (max(0, initial.start() - 150) if initial else 0), b))
    return [(a, b) for _, a, b in sorted(found)]


def _initial_part(doc: ContractDoc, a: int, b: int) -> int:
    """Where the renewal part of a term sentence begins (the initial term is read before it)."""
    m = _RENEWAL_CUE.search(doc.clean, a, b)
    return m.start() if m else b


def _length_in(doc: ContractDoc, a: int, b: int) -> Duration | None:
    for d in durations(doc.clean, a, b):
        if d.unit not in ("year", "month", "week", "day") or (d.unit in ("day", "week") and (d.days or 0) < 28):
            continue
        if _NOTICE_NEAR.search(doc.clean[d.end : d.end + 60]):
            continue
        if _LENGTH_LEAD.search(doc.clean[max(a, d.start - 60) : d.start]):
            return d
        # "shall terminate five (5) years after the Effective Date"
        if _END_LEAD.search(doc.clean[max(a, d.start - 40) : d.start]) and re.match(r"\s+(?:after|from|following)\b",
                                                                                   doc.clean[d.end : d.end + 12]):
            return d
    return None


def _anniversary_in(doc: ContractDoc, a: int, b: int) -> Duration | None:
    m = _ANNIVERSARY.search(doc.clean, a, b)
    if not m or not _END_LEAD.search(doc.clean[max(a, m.start() - 40) : m.start()]):
        return None
    raw = m.group("n").lower()
    n = _ORDINAL_YEARS.get(raw)
    if n is None:
        digits = re.match(r"\d+", raw)
        n = int(digits.group(0)) if digits else words_to_int(re.split(r"[\s-]year", raw)[0])
    return Duration(float(n), "year", m.group(0), m.start(), m.end()) if n else None


def _dated(doc: ContractDoc, a: int, b: int, lead: re.Pattern):
    for d in dates(doc.clean, a, b):
        if d.iso and lead.search(doc.clean[max(a, d.start - 40) : d.start]):
            return d
    return None


def _add_length(start: date, d: Duration) -> date | None:
    if d.unit in ("day", "week"):
        return date.fromordinal(start.toordinal() + int(d.days or 0))
    months = int(round(d.value * (12 if d.unit == "year" else 1))) if d.unit in ("month", "year") else None
    if months is None:
        return None
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# What a term can run from that is the contract's own start: its effective or signing date.
_RUNS_FROM = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:from|after|following|commencing|beginning|starting)\b(?:\s+(?:on|with|from|upon))?\s+"
                        r"(?:the\s+)?(?P<what>[^.;,]{0,80})", re.I)
_OWN_START = re.compile(r"[\"\u201c]?(?:effective|commencement|start(?:ing)?|execution|signature|contract|agreement|initial\s+term)[\"\u201d]?\s+date"
                        r"|date\s+(?:hereof|of\s+(?:this|the)\s+(?:agreement|contract)|of\s+(?:its\s+|the\s+)?(?:last\s+|final\s+)?"
                        r"(?:execution|signature|signing)|(?:first\s+)?(?:above\s+)?(?:written|set\s+forth|stated)|(?:on|upon)\s+which)"
                        r"|^(?:execution|signing|signature|today|now|hereof|that\s+date|such\s+date)\b", re.I)


def _runs_from_an_event(after: str) -> bool:
    """The length is counted from something other than the contract's own start ("ten (10) years
    from the date of first commercial sale"), so no end date can be computed from the start."""
    m = _RUNS_FROM.match(after)
    if not m:
        return False
    return _not_own_start(m.group("what"))


def _not_own_start(what: str) -> bool:
    return not (_OWN_START.search(what) or dates(what))


def _duration_term(doc: ContractDoc, d: Duration, sentence: tuple[int, int]) -> DurationTerm | None:
    cite = _sentence_cite(doc, d.start, d.end) or doc.cite(*sentence)
    if cite is None:
        return None
    return DurationTerm(text=squash(d.text), value=d.value, unit=d.unit, days=d.days, business_days=d.business, citation=cite)


def extract_term(doc: ContractDoc, terms) -> None:
    """Fill terms.initial_term, expiration_date, indefinite_term (and renewal_term, below)."""
    start_default = next((t for t in (terms.effective_date, terms.agreement_date) if t and t.iso), None)
    for a, b in _term_sentences(doc):
        cut = _initial_part(doc, a, b)
        length = _length_in(doc, a, cut) or _anniversary_in(doc, a, cut)
        end = _dated(doc, a, cut, _END_LEAD)
        if length is None and end is None:
            if terms.indefinite_term is None and _INDEFINITE.search(doc.clean, a, cut):
                cite = doc.cite(a, b)
                if cite:
                    terms.indefinite_term = TermStatement(text=squash(doc.clean[a:b])[:200], citation=cite)
                    break
            continue
        terms.indefinite_term = None
        if length is not None:
            terms.initial_term = _duration_term(doc, length, (a, b))
        if end is not None:
            terms.expiration_date = DateTerm(text=squash(end.text), iso=end.iso, citation=_sentence_cite(doc, end.start, end.end))
        elif length is not None:
            begun = _dated(doc, a, cut, _START_LEAD)
            counted_from = doc.clean[length.end : cut]
            anniversary = length.text.lower().endswith(" of")  # "the third anniversary of ..."
            if begun is None and (_runs_from_an_event(counted_from) or (  # "... of the Launch Date"
                    anniversary and _not_own_start(re.split(r"[.;,]", counted_from)[0][:80]))):
                break  # "ten years from the first commercial sale": the end is not a calendar date yet
            start_iso = begun.iso if begun else (start_default.iso if start_default else "")
            finish = _add_length(date.fromisoformat(start_iso), length) if start_iso else None
            cite = _sentence_cite(doc, length.start, length.end)
            if finish and cite:
                start_text = squash(begun.text) if begun else f"the {'effective' if start_default is terms.effective_date else 'agreement'} date"
                terms.expiration_date = DateTerm(text=finish.strftime("%B %-d, %Y"), iso=finish.isoformat(),
                                                 basis=f"{squash(length.text)} {'' if anniversary else 'from '}{start_text}",
                                                 citation=cite)
        break
    extract_renewal(doc, terms)


# -- renewal --------------------------------------------------------------------------------

_RENEWAL_SENTENCE = re.compile(r"\b(?:renew\w*|extend\w*|extension)\b", re.I)
_RENEWAL_KIND = re.compile(r"automatic|successive|additional|further|renewal\s+(?:term|period)|option\s+to|tacit|"
                           r"(?:year|month)[\s-]to[\s-](?:year|month)|consecutive|another|renew\w*\s+(?:annually|yearly|monthly)", re.I)
_RENEWAL_OFF_TOPIC = re.compile(r"\b(?:warrant\w*|confidential\w*|non-?compet\w*|solicit\w*)\b", re.I)
_NOTICE_RIGHT_AFTER = re.compile(r"\s*(?:'s|s'|\u2019s|s\u2019|'|\u2019)?\s*(?:(?:prior|advance|written)\s+)*notice", re.I)
_EACH_PERIOD = re.compile(r"\b(?:each|every|from)\s+(?P<u>year|month)\b(?:\s+to\s+(?:year|month))?|\b(?P<u2>year|month)[\s-]to[\s-](?:year|month)\b|"
                          r"\b(?P<u3>annual)(?:ly)?\b", re.I)


def extract_renewal(doc: ContractDoc, terms) -> None:
    for a, b in sentence_spans(doc.clean):
        sentence = doc.clean[a:b]
        m = _RENEWAL_SENTENCE.search(sentence)
        if not m or not _RENEWAL_KIND.search(sentence) or _RENEWAL_OFF_TOPIC.search(sentence[:120]):
            continue
        start = a + m.start()
        for d in durations(doc.clean, start, b):
            # "for one (1) year by written notice" is a renewal of a year; "sixty (60) days' notice" is no renewal.
            if d.unit in ("year", "month") and not _NOTICE_RIGHT_AFTER.match(doc.clean[d.end : d.end + 40]):
                terms.renewal_term = _duration_term(doc, d, (a, b))
                return
        each = _EACH_PERIOD.search(doc.clean, start, b)
        if each:
            unit = "year" if (each.group("u3") or "").lower() == "annual" else (each.group("u") or each.group("u2")).lower()
            period = Duration(1.0, unit, each.group(0), each.start(), each.end())
            terms.renewal_term = _duration_term(doc, period, (a, b))
            return
