"""Key terms of a contract with source spans: parties, dates, term and renewal, notice periods,
liability caps and governing law. Each value cites the chunk it was read from (verbatim quote)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.contracts.document import ContractDoc, sentence_quote
from assistant.contracts.key_dates import DateTerm, extract_agreement_date, extract_effective_date
from assistant.contracts.governing_law import GoverningLaw, extract_governing_law
from assistant.contracts.parties import Party, extract_parties, party_aliases
from assistant.contracts.key_term_length import DurationTerm, TermStatement, extract_term
from assistant.text.quantities import durations, money
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import sentence_spans, squash

PREAMBLE_CHARS = 4000


class NoticePeriod(BaseModel):
    kind: str  # non_renewal | termination_for_convenience | cure_period | termination | change | other
    party: str = ""  # who gives it, when the sentence says ("Customer")
    text: str  # "ninety (90) days"
    days: int | None = None
    business_days: bool = False
    citation: SourceSpan


class LiabilityCap(BaseModel):
    text: str  # the capped amount in words, from the clause
    fee_multiple: float | None = None  # "two (2) times the total Fees" -> 2.0; "the total Fees" -> 1.0
    fee_months: int | None = None  # the look-back period of the fees, in months
    amount: float | None = None
    currency: str | None = None
    citation: SourceSpan


class KeyTerms(BaseModel):
    source: str
    doc_type: str
    title: str = ""
    parties: list[Party] = Field(default_factory=list)
    agreement_date: DateTerm | None = None
    effective_date: DateTerm | None = None
    expiration_date: DateTerm | None = None
    initial_term: DurationTerm | None = None
    renewal_term: DurationTerm | None = None
    indefinite_term: TermStatement | None = None  # "continues until terminated": no fixed end
    notice_periods: list[NoticePeriod] = Field(default_factory=list)
    liability_caps: list[LiabilityCap] = Field(default_factory=list)
    governing_law: GoverningLaw | None = None
    notes: list[str] = Field(default_factory=list)  # what could not be found, said plainly


# -- notice periods -------------------------------------------------------------------------------

_NOTICE = re.compile(r"\bnotic\w*|\bnotif\w*", re.I)


_BEFORE_TERM_END = (r"(?:before|prior\s+to|preceding)\s+(?:the\s+)?(?:(?:end|expir\w*|expiry|anniversary)(?:\s+date)?\s+of\s+(?:the\s+|any\s+|each\s+|its\s+|this\s+)?"
                    r"(?:[\w-]+\s+){0,4}?(?:term|period|agreement|contract|(?:contract|renewal|said|such|then[\s-]current|current)\s+year)|(?:any|each|the)\s+(?:such\s+)?(?:successive|renewal|additional|extension)\s+(?:period|term)|"
                    r"(?:renewal|expiration|expiry)\s+date|anniversary)")
_NON_RENEWAL = re.compile(
    r"non-?renewal|not\s+to\s+(?:renew|extend)|(?:prevent|avoid|stop)\s+(?:the\s+|any\s+|such\s+)?(?:automatic\s+)?(?:renewal|extension)|intention\s+not\s+to|elect\w*\s+not\s+to\s+(?:renew|extend)|"
    r"terminat\w*[^.;]{0,80}\bduring\s+(?:the\s+|any\s+)?(?:extended|renewal|extension)\s+(?:term|period)|"
    r"(?:cancel|terminat\w*)[^.;]{0,60}\bat\s+the\s+(?:end|expiration|expiry)\s+of\s+(?:the\s+|any\s+)?(?:initial|then|current|renewal|such)|"
    + _BEFORE_TERM_END, re.I)
# "... shall renew automatically for one-year terms unless either party gives 60 days' notice"
_AUTO_RENEWAL = re.compile(r"\b(?:renew\w*|(?:automatically\s+)?extended)\b[^.;]{0,200}?\bunless\b[^.;]{0,160}?\b(?:notic|notif)", re.I)


def _notice_kind(sentence: str, before: str) -> str:
    """What a notice period in `sentence` is for; `before` is the text just ahead of the figure."""
    s = sentence.lower()
    if _NON_RENEWAL.search(s) or (_AUTO_RENEWAL.search(s) and not re.search(r"for\s+convenience|without\s+cause|breach", s)):
        return "non_renewal"
    if re.search(r"for\s+convenience|without\s+cause|for\s+any\s+reason", s):
        return "termination_for_convenience"
    if re.search(r"\bcure\b[^,;]{0,60}$", before.lower()):
        return "cure_period"
    if re.search(r"terminat", s):
        return "termination"
    if re.search(r"adjust|increase|change|amend|sub-?processor|cancel", s):
        return "change"
    return "other"


_NOTICE_AFTER = re.compile(r"\s*(?:'s|s'|\u2019s|s\u2019|'|\u2019)?\s*(?:(?:prior|advance|written|formal|express|previous|notice\s+in)\s+)*"
                           r"(?:written\s+)?(?:notice|notification)")
_NOTICE_BEFORE = re.compile(r"(?:notic\w*|notif\w*)\b[^.;]{0,50}?\b(?:of|at\s+least|not\s+less\s+than|no\s+less\s+than|"
                            r"no[t]?\s+later\s+than|no[t]?\s+fewer\s+than|minimum\s+of|within|by)\s+(?:at\s+least\s+|not\s+less\s+than\s+)?$")
_TIMED_BEFORE = re.compile(r"\s*(?:in\s+advance|beforehand|(?:before|prior\s+to|preceding)\s+(?:the\s+|its\s+|such\s+|any\s+|each\s+|this\s+)?"
                           r"(?:end|expir|expiry|anniversary|renewal|commencement|effective|date))")


def _is_notice_period(before: str, after: str, sentence: str) -> bool:
    """Whether a duration is the length of a notice ("ninety (90) days' written notice", "notice of
    at least 90 days", "30 days before the end of the term"), not a period in the same sentence
    ("renew for successive twelve (12) month terms unless ... notice")."""
    if _NOTICE_AFTER.match(after) or _NOTICE_BEFORE.search(before):
        return True
    if _TIMED_BEFORE.match(after) and re.search(r"notic|notif", sentence):
        return True
    return "cure" in sentence and bool(re.search(r"within\s*$|after\s*$", before))


def extract_notice_periods(doc: ContractDoc, aliases: dict[str, str]) -> list[NoticePeriod]:
    out: list[NoticePeriod] = []
    for a, b in sentence_spans(doc.clean):
        sentence = doc.clean[a:b]
        if not _NOTICE.search(sentence) and not re.search(r"\bcure\b", sentence, re.I):
            continue
        for d in durations(doc.clean, a, b):
            if d.unit not in ("day", "business_day", "week", "month", "year"):
                continue
            if not _is_notice_period(doc.clean[max(a, d.start - 60) : d.start].lower(), doc.clean[d.end : min(b, d.end + 60)].lower(),
                                     sentence.lower()):
                continue
            cite = doc.cite(d.start, d.end)
            if cite is None:
                continue
            out.append(NoticePeriod(
                kind=_notice_kind(sentence, doc.clean[max(a, d.start - 80) : d.start]),
                party=_subject_party(sentence, aliases, doc.clean[a : d.start]), text=squash(d.text), days=d.days,
                business_days=d.business, citation=cite.model_copy(update={"quote": sentence_quote(doc, a, b, cite)}),
            ))
    return out


_ACTS = r"(?:(?:may|shall|will|must|can)(?:\s+(?:then|also|only|at\s+any\s+time))?\b|(?:gives?|provides?|serves?|delivers?|sends?)\b)"


def _subject_party(sentence: str, aliases: dict[str, str], before: str = "") -> str:
    """Who gives the notice: the last party named as the subject of a "may"/"shall"/"gives"
    before the period ("... if the Vendor fails ..., the Client may then terminate on fifteen (15)
    days' notice" -> Client), else the first party the sentence names."""
    acting = [(m.start(), a) for a in aliases
              for m in re.finditer(rf"\b{re.escape(a)}\b,?\s+{_ACTS}", before)]
    if acting and not re.search(r"\b(?:either|each)\s+party\s+" + _ACTS, before, re.I):
        return max(acting)[1]
    head = sentence[:120]
    hits = [(head.find(a), a) for a in aliases if re.search(rf"\b{re.escape(a)}\b", head)]
    hits = [h for h in hits if h[0] >= 0]
    if re.match(r"\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:[A-Z][\w ]{0,40}\.\s+)?(?:either|each)\s+party\b", sentence, re.I):
        return "Either Party"
    return min(hits)[1] if hits else ""


# -- liability cap, governing law -----------------------------------------------------------------

_CAP = re.compile(r"\bliab\w*\b[^.]{0,200}?\b(?:shall\s+not|will\s+not|not\s+to|does\s+not|may\s+not)\s+exceed\b|\bliab\w*\b[^.]{0,120}?\blimited\s+to\b", re.I)


def extract_liability_caps(doc: ContractDoc) -> list[LiabilityCap]:
    caps = []
    for a, b in sentence_spans(doc.clean):
        sentence = doc.clean[a:b]
        m = _CAP.search(sentence)
        if not m:
            continue
        tail_start = a + m.end()
        tail = doc.clean[tail_start:b].strip(" :")
        multiple = None
        mm = re.search(r"(?:(\w+)\s*\(\s*(\d+(?:\.\d+)?)\s*\)|(\d+(?:\.\d+)?))\s*(?:times|x)\s+(?:the\s+)?(?:total\s+|aggregate\s+)?(?:fees|charges|amounts)", tail, re.I)
        if mm:
            multiple = float(mm.group(2) or mm.group(3))
        elif re.search(r"\b(?:the\s+)?(?:total\s+|aggregate\s+)?(?:fees|charges|amounts)\s+(?:paid|payable)", tail, re.I):
            multiple = 1.0
        months = None
        for d in durations(tail):
            if d.unit in ("month", "year") and re.search(r"preceding|prior|before|during", tail[d.end : d.end + 40] + tail[max(0, d.start - 30) : d.start], re.I):
                months = int(d.value * (12 if d.unit == "year" else 1))
                break
        amounts = money(tail)
        cite = doc.cite(a, b)
        if cite is None:
            continue
        caps.append(LiabilityCap(
            text=" ".join(tail.split())[:300], fee_multiple=multiple, fee_months=months,
            amount=amounts[0][0] if amounts else None, currency=amounts[0][1] if amounts else None, citation=cite,
        ))
    return caps


# -- all together ---------------------------------------------------------------------------------

def extract_key_terms(doc: ContractDoc) -> KeyTerms:
    terms = KeyTerms(source=doc.source, doc_type=doc.doc_type, title=doc.title)
    terms.parties = extract_parties(doc)
    terms.agreement_date = extract_agreement_date(doc)
    terms.effective_date = extract_effective_date(doc, terms.agreement_date)
    extract_term(doc, terms)
    terms.notice_periods = extract_notice_periods(doc, party_aliases(terms.parties))
    terms.liability_caps = extract_liability_caps(doc)
    terms.governing_law = extract_governing_law(doc)
    for field, label in (("parties", "parties"), ("effective_date", "effective date"), ("governing_law", "governing law"),
                         ("initial_term", "initial term"), ("renewal_term", "renewal term")):
        if not getattr(terms, field):
            terms.notes.append(f"no {label} found in the text")
    return terms
