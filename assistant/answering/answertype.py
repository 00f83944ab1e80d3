"""What kind of answer a question asks for, and whether a passage gives that kind at all.

"How many days' notice...?" is answered only by a sentence that states a duration; "what uptime
percentage...?" only by one that states a percentage. An extractive answer that quotes the closest
sentence about uptime without a figure reads as grounded and is not an answer. So the offline
answerer prefers sentences of the expected kind and refuses when none of the evidence has one
(the documents talk about the topic but don't give the figure). The same holds for a few facets
that are not figures: a question that says it wants a person's name, contact details or which
organisation is answered only by text that has one. Deliberately coarse: a question form
that is not recognised expects nothing, which is the old behaviour.

Also here: requests that are not questions about documents at all (write a poem, translate,
live prices). Retrieval always finds *something* for them; no passage can answer them.
"""

from __future__ import annotations

import re
from enum import Enum


class Kind(str, Enum):
    PERCENT = "a percentage"
    MONEY = "an amount of money"
    DURATION = "a time or duration"
    FREQUENCY = "a frequency"
    COUNT = "a number"
    DATE = "a date"
    # Facets that are not figures but are just as checkable: a question that asks for a person's
    # name, contact details or which organisation is answered only by text that has one.
    # The topic is often covered without them ("Northbeam's QA specialist runs the calibration"
    # for "what's the QA specialist's name?"): the near miss the relevance scores can't see.
    NAME = "a person's name"
    CONTACT = "contact details"
    ORGANISATION = "the name of an organisation"


_TIME_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|quarters?)"
# Spelled-out numbers and their values (answering compares figures across forms with them).
CARDINAL_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
CARDINAL_WORDS |= {w: str(10 * i) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)}
ORDINAL_WORDS = {w: str(i) for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
# Words that state a count; ordinals don't ("the first time").
_CARDINALS = "(?:" + "|".join([*CARDINAL_WORDS, "hundred", "thousand", "million", "dozen", "single", "both", "couple",
                               "half"]) + ")"

# A stated duration: a quantity of a time unit ("2 business days", "forty-eight (48) hours", "a full
# week"), a clock time, or a word that is one ("immediately"). A bare "the day" is not.
_DURATION = (rf"\b(?:\d+(?:[.,]\d+)?\)?|{_CARDINALS}|an?|few|several)[\s-]+(?:\w+[\s-]+)?{_TIME_UNIT}\b|"
             rf"\b\d{{1,2}}(?::\d\d)?\s?(?:am|pm)\b|\b(?:immediately|promptly|without (?:undue )?delay|same day|"
             rf"overnight|asap|as soon as possible)\b")

# Question forms, most specific first (the first that matches decides). The facet forms are
# narrow on purpose: only a question that says it wants a name, an email, an address... expects one.
_EXPECT: list[tuple[re.Pattern, Kind]] = [
    (re.compile(r"\b(?:e-?mail address|phone number|telephone number|mobile number|contact number|fax number|"
                r"(?:street|postal|mailing|office|physical) address)(?:es)?\b|"
                r"\b(?:whats|what's|what is) (?:the |their |his |her |our )?(?:\w+ )?(?:\w+'s )?(?:\w+ )?(?:e-?mail|address|phone)\b"
                r"(?=\s*(?:[?,.]|$|for\b|of\b|in\b|at\b|on\b|to\b|we\b|i\b|they\b|and\b))"),
     Kind.CONTACT),
    (re.compile(r"\bby name\b|\bnames? (?:and|&) (?:number|e-?mail|phone|contact)|"
                r"\bnames? of (?:the |our |their )?(?:\w+'s )?(?:\w+ ){0,3}(?:person|manager|director|lead|specialist|"
                r"contact|officer|analyst|controller|owner|rep|representative|coordinator|head|chief|vp|ceo|cfo|cto)\b"),
     Kind.NAME),
    # The organisation noun must head the phrase ("which firm does...", "what courier ships..."), not
    # qualify another ("what insurer rating is required?" asks for a rating).
    (re.compile(r"\b(?:which|what) (?:firm|company|vendor|carrier|courier|insurer|insurance company|bank|auditor|agency|"
                r"supplier|subcontractor|law firm|consultancy)(?:'s)?\s+(?:do|does|did|is|are|was|were|will|would|should|"
                r"can|has|have|handles|runs|audits|provides|ships|delivers|supplies|insures|performs|holds|"
                r"we|they|our)\b"), Kind.ORGANISATION),
    (re.compile(r"%|\bpercent(?:age)?s?\b"), Kind.PERCENT),
    # A past event ("when did the MSA take effect?") is dated; "when should we escalate?" is a condition.
    (re.compile(r"\bwhen (?:was|were|did)\b|\b(?:what|which|on what) (?:date|year)\b"), Kind.DATE),
    (re.compile(rf"\bhow (?:long|soon|quickly|fast|late|early)\b|\bhow many (?:\w+ )?{_TIME_UNIT}\b|\bwhat time\b|"
                rf"\bhow much (?:notice|warning|time|lead time|advance)\b|\bwithin how\b|\bby when\b"), Kind.DURATION),
    (re.compile(r"\bhow often\b|\bhow frequently\b|\bhow many times\b"), Kind.FREQUENCY),
    # A unit named in the question ("the target MTTR in minutes", "response time (hours)").
    (re.compile(rf"\bin {_TIME_UNIT}\b|\({_TIME_UNIT}\)"), Kind.DURATION),
    (re.compile(r"\b(?:in|how many) (?:dollars|euros|pounds|usd|eur|gbp)\b|\bdollar (?:amount|cap|value|limit|figure)\b"),
     Kind.MONEY),
    (re.compile(r"\bhow much (?:\w+ ){0,3}(?:cost|costs|pay|paid|charge[sd]?|bill(?:ed)?|owe[sd]?|fees?|money)\b|"
                r"\b(?:price|pricing|fee|fees|hourly rate|bill rate|per-minute rate|per-hour rate|stipend|salary|"
                r"wage|bonus|payout|reimburse\w*) (?:is|are|do|does|for|of)\b"), Kind.MONEY),
    (re.compile(r"\bhow many\b|\bhow much\b|\bwhat (?:is|'s|are) the (?:max(?:imum)?|min(?:imum)?|number of|amount of)\b"),
     Kind.COUNT),
]

_GIVES: dict[Kind, re.Pattern] = {
    Kind.PERCENT: re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage points?\b", re.I),
    Kind.MONEY: re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|cad|aud|inr|php|dollars?|euros?|pounds?)\b|"
                           r"\b(?:usd|eur|gbp|cad|aud|inr|php)\s?\d|\b(?:fees?|amounts?|charges?|price)\b[^.]{0,60}\d", re.I),
    Kind.DURATION: re.compile(_DURATION, re.I),
    Kind.FREQUENCY: re.compile(rf"\b(?:hourly|daily|weekly|fortnightly|monthly|quarterly|annually|yearly|once|twice|"
                               rf"thrice|cadence|(?:bi|semi-?)\w+(?:ly|al))\b|\b\d+ times\b|"
                               rf"\b(?:every|per|each|a) (?:\w+ ){{0,2}}{_TIME_UNIT}\b|{_DURATION}", re.I),
    Kind.COUNT: re.compile(rf"\d|\b{_CARDINALS}\b|\b(?:a|an) (?:single|pair)\b", re.I),
    Kind.DATE: re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|"
                          r"aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|"
                          r"mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I),
    # An email, a phone number (7+ digits with separators), a street or postal address.
    Kind.CONTACT: re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\(?\d[\d\s().-]{5,}\d|\b\d+\s+(?:[A-Z][a-z]+\s+){1,3}"
                             r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Square|"
                             r"Sq|Parkway|Pkwy|Highway|Hwy|Floor)\b|\b(?:P\.?\s?O\.? Box|Suite|Floor)\s+\w+"),
}

# Title-cased words that name roles, teams, documents and contracts' defined terms, not people or
# firms ("Finance Controller", "Incident Commander", "Business Days"): text whose capitalised pairs
# all contain one of these names no one.
_ROLE_WORDS = frozenset("""
account accounts agent agents analyst assistant associate board care center centre chief coach command commander
communications compliance contact controller coordinator customer data delivery department deputy desk director
escalation executive finance general head historian human incident lead leader legal level liaison management manager
monitoring officer operations owner partner payments people president principal processing product program project
quality real resources retail risk sales scribe security senior service services shift site specialist staff
supervisor support team technical time trainer vendor vice workforce
agreement annex appendix breach business change clause confidential continuity credit credits data date day days
disaster effective exhibit fees force information law laws level levels majeure measures order parties party personal
plan processor protection recovery request schedule section statement supplier term terms work
""".split())
_CAPITALISED_PAIR = re.compile(r"(?<![.!?:;]\s)(?<!^)\b([A-Z][a-z'’]+)\s+(?:[A-Z]\.\s+)?([A-Z][a-z'’]+)\b")
_ORGANISATION = re.compile(r"\b[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*,?\s+(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|"
                           r"Company|Co|GmbH|plc|LLP|LP|Group|S\.A|AG|B\.V|Pty)\b\.?|\b[A-Z][a-z]+[A-Z]\w+\b")


def _names_a_person(text: str) -> bool:
    for m in _CAPITALISED_PAIR.finditer(text):
        first, last = (w.lower().rstrip("'’s") for w in m.groups())
        if first not in _ROLE_WORDS and last not in _ROLE_WORDS:
            return True
    return bool(re.search(r"\b(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+[A-Z]", text))


_GIVES_BY_RULE = {
    Kind.NAME: _names_a_person,
    Kind.ORGANISATION: lambda text: bool(_ORGANISATION.search(text)) or _names_a_person(text),
}

# Requests no document passage can satisfy, whatever retrieval returns for them.
_CURRENCY = r"(?:usd|eur|gbp|cad|aud|inr|php|jpy|yen|dollars?|euros?|pounds?|pesos?|rupees?)"
_LANGUAGE = (r"(?:english|spanish|french|german|italian|portuguese|dutch|polish|russian|arabic|hebrew|hindi|"
             r"tagalog|filipino|japanese|chinese|mandarin|cantonese|korean|vietnamese|thai|indonesian|malay|turkish)")
_NOT_A_DOCUMENT_QUESTION = re.compile(
    r"\b(?:write|compose|make up|tell|give) (?:me |us )?(?:a |an |some )?(?:short |funny )?"
    r"(?:poem|haiku|limerick|song|joke|story|rap|riddle)s?\b|"
    rf"\btranslate\b|\bhow (?:do|would|does) (?:you|i|we|one) say\b.{{1,60}}\bin {_LANGUAGE}\b|"
    rf"\b(?:what(?:'s| is)|convert) \d[\d,.]* ?{_CURRENCY} (?:in|to|into) {_CURRENCY}\b|"
    r"\bcurrent (?:exchange rate|stock price|share price|weather)\b|\bweather (?:in|today|tomorrow)\b", re.I)


# Not a facet: codes. A code can be a plain word ("wrap code: billing"), so a passage without an
# identifier may still state it (and no dev near miss was refused by it: RESULTS run 14).
FACETS = frozenset({Kind.NAME, Kind.CONTACT, Kind.ORGANISATION})


def expected(question: str, facets: bool = True) -> Kind | None:
    """The kind of figure (or facet) the question asks for, if its form says so. `facets=False`:
    figures only, as before the facet kinds (evals/answerability.py measures what they change)."""
    q = question.lower().replace("’", "'")
    for pattern, kind in _EXPECT:
        if (facets or kind not in FACETS) and pattern.search(q):
            return kind
    return None


def gives(text: str, kind: Kind) -> bool:
    """Whether `text` states something of `kind` (a figure with a unit, a frequency word, ...)."""
    rule = _GIVES_BY_RULE.get(kind)
    return rule(text) if rule is not None else bool(_GIVES[kind].search(text))


def not_a_document_question(question: str) -> bool:
    """Creative writing, translation, live data: outside what documents can answer."""
    return bool(_NOT_A_DOCUMENT_QUESTION.search(question))
