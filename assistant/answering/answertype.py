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
    FIGURE = "a figure"  # a target or level of any kind: a percentage, a duration, an amount, a count
    DATE = "a date"
    # Facets that are not figures but are just as checkable: a question that asks for a person's
    # name, contact details or which organisation is answered only by text that has one.
    # The topic is often covered without them ("Northbeam's QA specialist runs the calibration"
    # for "what's the QA specialist's name?"): the near miss the relevance scores can't see.
    NAME = "a person's name"
    # Contact details come in three kinds that don't stand in for one another: a passage with the
    # desk's phone number does not answer "what's the desk's email?". CONTACT is a question that
    # asks for any of them ("contact details for the desk").
    EMAIL = "an email address"
    PHONE = "a phone number"
    ADDRESS = "a postal address"
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

# The steps a service level times ("response time", "turnaround time").
_TIMED_STEP = (r"(?:response|resolution|resolve|turnaround|turn-around|handle|handling|processing|wait|waiting|hold|"
               r"answer|answering|reply|acknowledgement|acknowledgment|restoration|recovery|delivery|lead)")
# Specific money and figure nouns: their documents name them ("the deductible is..."). Generic
# ones ("rate", "fee", "cap", "limit", "penalty") are often worded otherwise and are not here.
_NAMED_FIGURES = (r"(deductible|premium|surcharge|commission|quota|allowance|stipend|discount|markup|mark-up|multiplier|"
                  r"variance|royalty|retainer|deposit|per diem|bonus)")
_TIMED_WORDS = frozenset(re.findall(r"[a-z-]+", _TIMED_STEP))
# "what fuel surcharge...", "what's the deductible": group 1 is the figure's noun (asked_quantity).
_NAMED_FIGURE_ASKED = re.compile(rf"\bwhat(?:'s|s| is| are)? (?:the |our |their |a |an )?(?:[a-z-]+ ){{0,2}}{_NAMED_FIGURES}s?\b")
# Question forms, most specific first (the first that matches decides). The facet forms are
# narrow on purpose: only a question that says it wants a name, an email, an address... expects one.
# "what's the (desk's) email / phone / address?": the noun ends the phrase, or a preposition or
# pronoun follows it ("the email for refunds", "the address we send notices to").
_WHATS_THE = r"\b(?:whats|what's|what is|what are|need|got|send me|share) (?:the |their |his |her |our |an? )?(?:\w+ )?(?:\w+'s )?(?:\w+ )?"
_PHRASE_ENDS = r"(?=\s*(?:[?,.!]|$|for\b|of\b|in\b|at\b|on\b|to\b|we\b|i\b|they\b|and\b|or\b|pls\b|please\b))"
_EXPECT: list[tuple[re.Pattern, Kind]] = [
    (re.compile(r"\bby name\b|\bnames? (?:and|&) (?:number|e-?mail|phone|contact)|"
                r"\bnames? of (?:the |our |their )?(?:\w+'s )?(?:\w+ ){0,3}(?:person|manager|director|lead|specialist|"
                r"contact|officer|analyst|controller|owner|rep|representative|coordinator|head|chief|vp|ceo|cfo|cto)\b"),
     Kind.NAME),
    # Either contact kind answers "email or phone", "contact details".
    (re.compile(r"\b(?:e-?mail|phone|number) (?:or|and|/|&) (?:e-?mail|phone|number|address)\b|"
                r"\bcontact (?:details|info|information|particulars)\b"), Kind.CONTACT),
    (re.compile(r"\be-?mail (?:address|addy|id|alias|inbox|contact)(?:es)?\b|"
                r"\b(?:which|what) (?:e-?mail|mailbox|inbox|distribution list)\b(?! (?:subject|template|format|body|text|wording)\b)|"
                rf"{_WHATS_THE}e-?mail{_PHRASE_ENDS}"), Kind.EMAIL),
    (re.compile(r"\b(?:phone|telephone|mobile|cell|contact|fax|hotline|helpline|direct|landline) (?:number|no\.?|#)s?\b|"
                r"\b(?:what|which) (?:number|phone|line) (?:do|does|should|can|to|would|will) (?:i |we |they |you |agents? )?"
                r"(?:call|dial|ring|phone|use|reach)\b|\bnumber (?:to|i can|we can|you can) (?:call|dial|ring)\b|"
                rf"{_WHATS_THE}(?:phone|telephone|mobile|cell){_PHRASE_ENDS}"), Kind.PHONE),
    (re.compile(r"\b(?:street|postal|mailing|office|physical|registered|business|billing|shipping|return|post|"
                r"head office|hq|headquarters) address(?:es)?\b|\baddress (?:of|for) (?:the |their |its |our )?"
                r"(?:\w+ )?(?:office|hq|headquarters|site|warehouse|building|depot|center|centre|premises)\b"), Kind.ADDRESS),
    # A bare "address" is as often an email address as a street in an operations question: any
    # contact kind answers it.
    (re.compile(r"\b(?:what|which) address (?:do|does|should|to|are|is) (?:i |we |they |you )?(?:send|mail|post|ship|courier|deliver|write)\w*\b|"
                rf"{_WHATS_THE}(?<!ip )(?<!mac )(?<!web )(?<!url )(?<!server )(?<!memory )(?<!network )address{_PHRASE_ENDS}"),
     Kind.CONTACT),
    # The organisation noun must head the phrase ("which firm does...", "what courier ships..."), not
    # qualify another ("what insurer rating is required?" asks for a rating).
    (re.compile(r"\b(?:which|what) (?:firm|company|vendor|carrier|courier|insurer|insurance company|bank|auditor|agency|"
                r"supplier|subcontractor|law firm|consultancy)(?:'s)?\s+(?:do|does|did|is|are|was|were|will|would|should|"
                r"can|has|have|handles|runs|audits|provides|ships|delivers|supplies|insures|performs|holds|"
                r"we|they|our)\b"), Kind.ORGANISATION),
    # A percentage the question states ("not 100% sure", "if they hit only 88%") is not one it asks for.
    (re.compile(r"(?<![\d\s])\s*%|^\s*%|(?<!\d)(?<!\d )\bper ?cent(?:age)?s?\b"), Kind.PERCENT),
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
    # A number of time units ("the max number of hours billed", "number of days' notice").
    (re.compile(rf"\bnumber of (?:\w+ )?{_TIME_UNIT}\b"), Kind.DURATION),
    # A named time target: "what's the turnaround time", "initial response time for a SEV-1?",
    # "target time to resolve" (a definition question names no target and asks no "what").
    (re.compile(rf"(?:\bwhat(?:'s|s| is| are) (?:the |our |their |a |an )?(?:\w+ ){{0,3}}{_TIMED_STEP} times?\b|"
                rf"\bwhat (?:\w+ ){{0,2}}{_TIMED_STEP} times? (?:is|are|was|did|do|does|should|will|has|have)\b|"
                rf"\b(?:target|initial|first|max(?:imum)?|min(?:imum)?|average|agreed|expected) (?:\w+ )?{_TIMED_STEP} times?\b|"
                r"\b(?:target|max(?:imum)?|expected) time to (?:resolve|respond|answer|acknowledge|restore|close|fix|reply)\b)"
                r"(?! (?:definition|defined|mean|means|measured|calculated|counted|clock|metric|formula)\b)"),
     Kind.DURATION),
    (re.compile(r"\bdeductible\b"), Kind.MONEY),
    # A figure named by its own noun ("what fuel surcharge...", "what commission rate..."): the
    # quantity rule below checks the passage names it.
    (_NAMED_FIGURE_ASKED, Kind.FIGURE),
    (re.compile(r"\bhow many\b|\bhow much\b|\bwhat (?:is|'s|are) the (?:max(?:imum)?|min(?:imum)?|number of|amount of)\b|"
                r"\b(?:character|word|size|length|file size) limit\b"),
     Kind.COUNT),
    # A figure the asker guesses ("like 4 hrs?", "(1.5x?)", "net 30?"): answered by a figure.
    (re.compile(r"\b(?:like|about|around|roughly|maybe|approx\w*|net)\s+\$?\d[\d.,]*\s*(?:x|%|[a-z]+)?\s*\?|"
                r"\(\s*\$?\d[\d.,]*\s*(?:x|%|[a-z]+)?\s*\?\s*\)"), Kind.FIGURE),
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
    # A figure standing on its own: not the digit of an identifier ("SEV-1", "P2", "v1.4").
    Kind.FIGURE: re.compile(rf"(?<![\w-])\$?\d|\b{_CARDINALS}\b", re.I),
    Kind.DATE: re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|"
                          r"aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|"
                          r"mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I),
    # Bounded parts that start at a boundary: a long run of word characters with no "@" (hostile
    # text) costs one pass, not one per start position.
    Kind.EMAIL: re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{0,200}[a-z]", re.I),
    # A street or postal address: a number and a street word, a PO box, a suite or floor.
    Kind.ADDRESS: re.compile(r"\b\d+[A-Z]?\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|"
                             r"Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Square|Sq|Parkway|Pkwy|Highway|Hwy|Floor|Plaza|Terrace|"
                             r"Circle|Row|Wharf|Quay)\b|\b(?:P\.?\s?O\.? Box|Suite|Floor)\s+\w*\d"),
}
# A phone number: 7 to 15 digits in groups ("+1 (302) 555-0100", "0800 123 4567", "555-0142"), or an
# extension; not a date ("2024-01-15"), a year range, a version or a figure ("1,000.00", "10.0.0.1").
# Groups split by spaces alone ("ISO 27001 2013") count only with a + or (area code), a leading 0,
# or a phone word just before.
_PHONE_CANDIDATE = re.compile(r"(?<![\w.,/$€£-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,5}){1,4}(?![\w.,/-]?\d)")
_NOT_A_PHONE = re.compile(r"^(?:19|20)\d\d[.-]\d\d?[.-]\d\d?$|^\d\d?[.-]\d\d?[.-](?:19|20)?\d\d$|^(?:19|20)\d\d\s?-\s?(?:19|20)\d\d$|^[\d.]+$")
_PHONE_WORD = re.compile(r"\b(?:tel|telephone|phone|call|dial|ring|fax|mobile|cell|hotline|helpline|number|line|on|at)\b[.:#]?\s*$", re.I)
_EXTENSION = re.compile(r"\b(?:ext|extension)\.?\s?\d{2,6}\b", re.I)


def _gives_phone(text: str) -> bool:
    if _EXTENSION.search(text):
        return True
    for m in _PHONE_CANDIDATE.finditer(text):
        number = m.group(0).strip()
        if not 7 <= sum(ch.isdigit() for ch in number) <= 15 or _NOT_A_PHONE.match(number):
            continue
        spaced_only = not re.search(r"[().+-]", number)
        if not spaced_only or number.startswith("0") or _PHONE_WORD.search(text[max(0, m.start() - 20):m.start()]):
            return True
    return False


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
    Kind.PHONE: _gives_phone,
    Kind.CONTACT: lambda text: any(gives(text, kind) for kind in (Kind.EMAIL, Kind.ADDRESS, Kind.PHONE)),  # any kind
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
FACETS = frozenset({Kind.NAME, Kind.EMAIL, Kind.PHONE, Kind.ADDRESS, Kind.CONTACT, Kind.ORGANISATION})


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


# -- the quantity a figure question names --------------------------------------------------------
# "how many QA evaluations...?", "what's the deductible on...?", "what's the turnaround time...?":
# the figure asked for is of a named quantity. A passage that states a figure of the right kind
# but never names that quantity ("the 2-year warranty" for a turnaround time, the insurance limits
# for a deductible) is the near miss the kind check alone lets through.
_QUANTITY_STOP = frozenset("""
of do does did can could is are was were will would should must shall may might the a an more extra total times time
people in on at for to by per each every make makes get gets got have has had we they i you he she it this that there
from with our their its his her before after until when while if than
""".split()) | frozenset(re.findall(r"\w+", _TIME_UNIT.replace("?:", ""))) | frozenset(
    "second minute hour day week month year quarter business calendar working".split())
# Words for the same quantity (general English, both ways).
_SAME_QUANTITY = [frozenset({"notice", "warning", "heads-up"}), frozenset({"agents", "staff", "headcount", "ftes", "people"})]


def asked_quantity(question: str) -> list[str]:
    """The words that name the quantity a figure question asks for ("how many *QA evaluations*",
    "what's the *deductible*", "what's the *turnaround* time"); empty when the form names none.
    Words of two letters or fewer ("QA", "OT") are left out: abbreviations are often spelled out."""
    q = question.lower().replace("’", "'")
    # "how many hours of rest...": the unit counts what follows it.
    m = re.search(rf"\bhow (?:many|much) {_TIME_UNIT} of ([a-z][a-z-]+)", q)
    if m and m.group(1) not in _QUANTITY_STOP:
        return [m.group(1)]
    m = re.search(r"\bhow (?:many|much) (?:more |extra |total )?((?:[a-z][a-z-]+ ?){1,3})", q)
    if m:
        words = []
        for w in m.group(1).split():
            if w in _QUANTITY_STOP:
                break
            words.append(w)
        return [w for w in words if len(w) > 2]
    # "what's the target MTTR in minutes?": the word before the unit asked in.
    m = re.search(rf"\bwhat(?:'s|s| is| are)? (?:the |our |their |[a-z]+'s )?(?:target |average |agreed |max(?:imum)? |min(?:imum)? )?"
                  rf"([a-z][a-z-]+) (?:target |goal )?(?:in |\()(?:business |calendar )?{_TIME_UNIT}\b", q)
    if m and m.group(1) not in _QUANTITY_STOP and m.group(1) not in _TIMED_WORDS | {"time"}:
        return [m.group(1)]
    m = (_NAMED_FIGURE_ASKED.search(q)
         or re.search(rf"\bwhat(?:'s|s| is| are)? (?:the |our |their |a |an )?(?:[a-z-]+ ){{0,2}}({_TIMED_STEP}) times?\b", q))
    return [m.group(1), "time"] if m and m.group(1) in _TIMED_WORDS else [m.group(1)] if m else []


def names_quantity(text: str, words: list[str]) -> bool:
    """Whether `text` names any of the quantity's words (or a word for the same quantity),
    by a common stem: "evals" finds "evaluations", "agents" finds "agent". "time" names nothing
    ("turnaround time" is named by "turnaround")."""
    low = text.lower()
    for w in words:
        if w == "time":
            continue
        forms = {w} | next((group for group in _SAME_QUANTITY if w in group), frozenset())
        if any(_stem(f) in low for f in forms):
            return True
    return False


def _stem(word: str) -> str:
    word = word[:-1] if len(word) > 4 and word.endswith("s") else word
    return word[:6]
