"""Statements with a figure someone must meet, read from SOP, runbook or contract text: a time
limit ("within 48 hours"), a percentage target ("85% of calls"), an amount limit ("refunds over
USD 100"), a frequency ("a weekly calibration session") or a notice channel ("notify by phone").

Each `Claim` keeps the words it is about (its topic) so that an SOP's claim can be paired with the
contract claim on the same obligation, and which way is stricter (`bound`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.quantities import durations, money, percents
from assistant.text.clauses import sentence_spans

Dim = str  # "time" | "percent" | "money" | "frequency" | "channel"

# Words too common in SOPs and contracts to say what an obligation is about.
_GENERIC = set("""
the and for with within shall must will may should can could would any all each every per after before from that this than
least more less most days day hours hour minutes minute mins seconds second weeks week months month years year business
calendar working time times percent customer customers client clients supplier suppliers provider providers vendor vendors
party parties agreement contract service services sow msa team lead are is be been being has have had its their our your
not no other such which where when then there into upon under over also only including include includes use used using made
make new number total following below above set out in on of to by at as an or a it if us we you they them he she his her
who whom what how why same date dates period periods case cases level levels target targets applicable following provided
pursuant accordance herein hereof hereunder thereof section clause schedule exhibit annex appendix page document sop runbook
procedure step steps process ensure required require requires requirement make sure agent agents staff note always never
first second third one two three four five six seven eight nine ten twelve twenty thirty forty fifty sixty ninety hundred
""".split())
_WORD = re.compile(r"[a-z][a-z-]{2,}")

_TIME_LEAD = re.compile(r"(?:within|no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|at\s+most|up\s+to|maximum\s+of|"
                        r"in\s+under|in\s+less\s+than|less\s+than|under|inside\s+of|by\s+the\s+end\s+of|at\s+least|no\s+less\s+than|"
                        r"not\s+less\s+than|minimum\s+of|in|every|after)\s+(?:the\s+)?(?:first\s+)?$", re.I)
_NOTICE_AFTER = re.compile(r"^\s*(?:'s|s'|\u2019s|s\u2019|')?\s*(?:prior\s+|advance\s+|written\s+)*notice", re.I)
_AT_LEAST = re.compile(r"(?:at\s+least|no\s+less\s+than|not\s+less\s+than|minimum(?:\s+of)?|or\s+more|or\s+higher|or\s+above|"
                       r"\u2265|>=)", re.I)
_AT_MOST = re.compile(r"(?:no\s+more\s+than|not\s+(?:to\s+)?exceed\w*|at\s+most|maximum(?:\s+of)?|up\s+to|less\s+than|below|under|"
                      r"or\s+less|or\s+lower|or\s+fewer|\u2264|<=|over|above|exceed\w*|more\s+than|greater\s+than|in\s+excess\s+of)", re.I)
_LOWER_IS_BETTER = re.compile(r"abandon|error|defect|attrition|downtime|complaint|escalation\s+rate|repeat|backlog|churn|"
                              r"failure|outage|late|breach|turnover|absentee", re.I)
_FREQ = {
    r"daily|every\s+(?:business\s+)?day|each\s+(?:business\s+)?day|once\s+(?:a|per)\s+day|per\s+day": 260.0,
    r"twice\s+(?:a|per)\s+week": 104.0,
    r"weekly|every\s+week|each\s+week|once\s+(?:a|per)\s+week|per\s+week": 52.0,
    r"fortnightly|bi-?weekly|every\s+(?:two|2)\s+weeks": 26.0,
    r"monthly|every\s+month|each\s+(?:calendar\s+)?month|once\s+(?:a|per)\s+month|per\s+month": 12.0,
    r"quarterly|every\s+quarter|each\s+quarter|once\s+(?:a|per)\s+quarter|every\s+(?:three|3)\s+months": 4.0,
    r"semi-?annual(?:ly)?|twice\s+(?:a|per)\s+year|every\s+(?:six|6)\s+months": 2.0,
    r"annual(?:ly)?|yearly|every\s+year|each\s+(?:calendar\s+)?year|once\s+(?:a|per)\s+(?:calendar\s+)?year": 1.0,
}
_FREQ_RE = re.compile("|".join(f"(?P<f{i}>\\b(?:{p})\\b)" for i, p in enumerate(_FREQ)), re.I)
_FREQ_VALUES = list(_FREQ.values())
# A frequency binds an activity ("weekly calibration", "audit ... once per year"), not a fee or a measurement window.
_ACTIVITY = re.compile(r"\b(?:report\w*|review\w*|audit\w*|test\w*|train\w*|meet\w*|calibrat\w*|refresh\w*|backup\w*|back\s+up|"
                       r"reconcil\w*|scorecard\w*|summary|summaries|inspect\w*|drill\w*|survey\w*|check\w*|rotat\w*|update\w*)\b", re.I)
_NOT_ACTIVITY = re.compile(r"\b(?:fees?|invoic\w*|charges?|measured|calculated|price|payment|paid|rent|salary)\b", re.I)
_CHANNELS = {
    "phone": r"by\s+(?:tele)?phone|phone\s+call|call\s+(?:the|their)|verbally|orally|by\s+voice",
    "chat": r"\bslack\b|\bteams\b|instant\s+messag\w*|\bby\s+chat\b|\bsms\b|text\s+message",
    "email": r"e-?mail",
    "mail": r"registered\s+(?:mail|post)|certified\s+mail|courier|first\s+class\s+(?:mail|post)|by\s+post\b|by\s+hand",
    "written": r"in\s+writing|written\s+notice|writing",
    "portal": r"(?:service|support|ticket\w*|customer)\s+portal|ticketing\s+system|service\s+desk\s+ticket",
}
_CHANNEL_RE = {k: re.compile(v, re.I) for k, v in _CHANNELS.items()}
_NOTIFY = re.compile(r"\b(?:notif\w*|notice|inform\w*|escalat\w*|alert\w*|report\w*|communicat\w*|tell|contact)\b", re.I)


@dataclass(frozen=True)
class Claim:
    dim: Dim
    value: float  # seconds, percent, amount, times per year; 0 for a channel
    text: str  # the figure as written
    bound: str  # "max": the figure is a ceiling (a time limit, a limit); "min": a floor (a target, notice)
    start: int  # the sentence in the analysed text
    end: int
    topic: frozenset[str]
    channels: frozenset[str] = frozenset()
    # The words just before the figure in its own clause (a table cell, the part between
    # semicolons): what must happen ("deliver a root cause analysis within ..."); and the event a
    # time runs from ("within 2 hours after invoking the BCP" -> invok, bcp). Paired claims must
    # share these too, or two rules in one table row or sentence get mixed up.
    head: frozenset[str] = frozenset()
    event: frozenset[str] = frozenset()


# Words SOPs and contracts use for the same act ("reply" in the SOP, "respond" in the contract).
_SAME_ACT = {"reply": "respond", "repli": "respond", "response": "respond", "answer": "respond",
             "notification": "notify", "notifi": "notify", "inform": "notify",
             "erase": "delete", "purge": "delete", "destroy": "delete", "deletion": "delete",
             "consent": "approv", "approval": "approv", "approve": "approv", "authoris": "approv", "authoriz": "approv"}


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return _SAME_ACT.get(word, word)


def topic_words(sentence: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(sentence.lower()) if w not in _GENERIC and stem(w) not in _GENERIC)


def claims(text: str, start: int = 0, end: int | None = None) -> list[Claim]:
    """Every claim in text[start:end], sentence by sentence."""
    out: list[Claim] = []
    for a, b in sentence_spans(text, start, end):
        sentence = text[a:b]
        if len(sentence) > 1200:
            continue  # a table flattened into one "sentence": its figures are not one obligation
        # Figures first with cheap looks (the figure readers cost ~1 ms a sentence on long text);
        # the topic only for a sentence that has one. The topic is filled in afterwards.
        found = _times(sentence, a, b, _NONE) if _HAS_UNIT.search(sentence) else []
        found += _percents(sentence, a, b, _NONE) if _HAS_PERCENT.search(sentence) else []
        found += _amounts(sentence, a, b, _NONE) + _channel(sentence, a, b, _NONE)
        found += _frequencies(sentence, a, b, _NONE) if _HAS_FREQ.search(sentence) else []
        if not found:
            continue
        topic = topic_words(sentence)
        if len(topic) >= 2:
            out += [_with_context(c, sentence, topic) for c in found]
    return out


_NONE: frozenset[str] = frozenset()
_HEAD_CHARS = 60
_HAS_UNIT = re.compile(r"(?:second|minute|min|hour|hr|day|week|month|year|quarter)s?\b", re.I)
_HAS_PERCENT = re.compile(r"%|percent", re.I)
_HAS_FREQ = re.compile(r"daily|weekly|monthly|quarterly|annual|yearly|every|each|once|twice|per\b|fortnight", re.I)
_CLAUSE_CUT = re.compile(r"\||;|\n")
_EVENT = re.compile(r"[^.;|\n]{0,12}?\b(?:after|of|from|following)\s+(?P<event>[^.;,|\n]{3,60})", re.I)


def _with_context(c: Claim, sentence: str, topic: frozenset[str]) -> Claim:
    from dataclasses import replace

    c = replace(c, topic=topic | (c.topic - _NONE))
    at = sentence.find(c.text)
    if at < 0 or c.dim == "channel":
        return replace(c, head=c.topic)
    cuts = [0] + [m.end() for m in _CLAUSE_CUT.finditer(sentence)] + [len(sentence)]
    lo = max(x for x in cuts if x <= at)
    event = _EVENT.match(sentence, at + len(c.text))
    return replace(c, head=topic_words(sentence[max(lo, at - _HEAD_CHARS) : at]),
                   event=topic_words(event.group("event")) if event else frozenset())


def _times(s: str, a: int, b: int, topic) -> list[Claim]:
    out = []
    for d in durations(s):
        if d.seconds is None and d.unit not in ("month", "year"):
            continue
        before, after = s[max(0, d.start - 30) : d.start], s[d.end : d.end + 40]
        notice = bool(_NOTICE_AFTER.match(after))
        if not (notice or _TIME_LEAD.search(before)):
            continue
        seconds = d.seconds if d.seconds is not None else (d.days or 0) * 86400
        bound = "min" if notice or _AT_LEAST.search(before[-25:]) else "max"
        out.append(Claim("time", float(seconds), " ".join(d.text.split()), bound, a, b, topic))
    return out


def _percents(s: str, a: int, b: int, topic) -> list[Claim]:
    out = []
    for value, ps, pe in percents(s):
        near = s[max(0, ps - 30) : pe + 30]
        if _AT_LEAST.search(near):
            bound = "min"
        elif re.search(r"no\s+more\s+than|not\s+exceed|at\s+most|below|under|less\s+than|or\s+less|maximum", near, re.I):
            bound = "max"
        else:
            bound = "max" if _LOWER_IS_BETTER.search(s) else "min"
        out.append(Claim("percent", value, s[ps:pe], bound, a, b, topic))
    return out


def _amounts(s: str, a: int, b: int, topic) -> list[Claim]:
    out = []
    for amount, currency, ms, me in money(s):
        before = s[max(0, ms - 30) : ms]
        bound = "min" if _AT_LEAST.search(before) else "max"
        out.append(Claim("money", amount, f"{s[ms:me]}", bound, a, b, topic | {currency.lower()}))
    return out


def _frequencies(s: str, a: int, b: int, topic) -> list[Claim]:
    out = []
    for m in _FREQ_RE.finditer(s):
        around = s[max(0, m.start() - 60) : m.end() + 60]
        if not _ACTIVITY.search(around) or _NOT_ACTIVITY.search(s[max(0, m.start() - 25) : m.end() + 25]):
            continue
        index = int(next(k for k, v in m.groupdict().items() if v)[1:])
        out.append(Claim("frequency", _FREQ_VALUES[index], m.group(0), "min", a, b, topic))
    return out


def _channel(s: str, a: int, b: int, topic) -> list[Claim]:
    if not _NOTIFY.search(s):
        return []
    found = frozenset(k for k, r in _CHANNEL_RE.items() if r.search(s))
    if not found:
        return []
    return [Claim("channel", 0.0, ", ".join(sorted(found)), "", a, b, topic, channels=found)]
