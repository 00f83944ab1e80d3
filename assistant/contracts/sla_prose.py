"""Service levels written outside a table: numbered prose clauses, order-form fields, credit
clauses that name their metric, tiered credit tables and a schedule-wide measurement window.

A schedule often puts the metric and target in one place and the window, the credit, the cap and
the earn-back in others: each is read where it is written and cited there.
"""

from __future__ import annotations

import re

from assistant.contracts.document import ContractDoc
from assistant.text.quantities import money, percents
from assistant.contracts.sla_meaning import blank, direction, threshold_seconds, time_threshold
from assistant.contracts.sla_models import ServiceCredit, SlaTerm, UnknownValue
from assistant.contracts.sla_tiers import credit_tiers
from assistant.text.clauses import sentence_spans, squash

_METRIC_WORDS = (r"uptime|availability|response\s+time|resolution\s+time|time\s+to\s+(?:respond|resolve|restore)|speed\s+of\s+answer|"
                 r"handle\s+time|abandon\w*(?:\s+rate)?|accuracy|quality(?:\s+score)?|first\s+(?:contact|call)\s+resolution|"
                 r"satisfaction|csat|service\s+level|turnaround(?:\s+time)?|error\s+rate|backlog|latency|processing\s+time")
# "Target Uptime: 99.9%", "Availability Commitment - 99.5% per calendar month", "| Target Response Time | 4 hours |"
_FIELD = re.compile(rf"(?im)(?:^|(?<=\]\s)|(?<=\|\s)|(?<=\t))[ \t|*\-\u2022\[\]()x]*(?P<label>(?:(?:target|committed|guaranteed|minimum|maximum)\s+)?"
                    rf"(?:[A-Z][\w/&-]*\s+){{0,3}}?(?:{_METRIC_WORDS})(?:\s+(?:target|commitment|sla|objective|level))?)"
                    rf"\s*(?:[:=]|\s[\u2013\u2014-]\s)\s*(?P<value>[^\n|]{{1,160}})")
_LABEL_NOISE = re.compile(r"(?i)\b(?:target|committed|guaranteed|minimum|maximum|commitment|sla|objective)\b")


def _metric_from_label(label: str) -> str:
    name = squash(_LABEL_NOISE.sub(" ", label)).strip(" -:")
    return name[:1].upper() + name[1:] if name else squash(label)


def field_terms(doc: ContractDoc) -> list[SlaTerm]:
    """Order-form and schedule fields, one metric per line."""
    terms = []
    for m in _FIELD.finditer(doc.clean):
        # A field's value ends where the next sentence begins ("99.9% The Uptime Credit will be ...").
        value = re.split(r"(?<=[%\w}\]])\s+(?=[A-Z][a-z])|\.\s", m.group("value").strip(), maxsplit=1)[0]
        label = squash(m.group("label"))
        if re.search(r"(?i)\bcredit\b", label) or not (percents(value) or time_threshold(value) or blank(value)):
            continue
        cite = doc.cite(m.start("label"), m.start("value") + len(value))
        if cite is None:
            continue
        metric = _metric_from_label(label)
        term = SlaTerm(metric=metric, citation=cite)
        placeholder = blank(value)
        if placeholder and not re.search(r"\d", _BLANKS.sub("", value)):
            # A blank is a service level left to fill in only under a service-level label ("Target Uptime:
            # [__]%"), not any form field whose label happens to name a quality ("Ensuring data quality: {...}").
            if not _SLA_LABEL.search(label):
                continue
            term.unknown.append(UnknownValue(field="target", reason=f"the value is left blank ({placeholder})", citation=cite))
            term.comparator = direction(metric, "", label) or term.comparator
        else:
            _set_target(term, value, context=label)
        terms.append(term)
    return terms


_SLA_LABEL = re.compile(r"(?i)\b(?:target|committed|guaranteed|commitment|sla|service\s+level|uptime|availability|"
                        r"response\s+time|resolution\s+time)\b")
_BLANKS = re.compile(r"\[[^\]]*\]|\{[^}]*\}|_+")


def _set_target(term: SlaTerm, value: str, context: str = "") -> None:
    pct = percents(value)
    term.target_percent = pct[0][0] if pct else None
    term.threshold = time_threshold(value)
    term.threshold_seconds = threshold_seconds(term.threshold) if term.threshold else None
    way = direction(term.metric, value, context)
    if way is None:
        term.unknown.append(UnknownValue(field="comparator", reason="nothing in the text says whether higher or lower is better",
                                         citation=term.citation))
    else:
        term.comparator = way
    window = _WINDOW.search(value)
    if window:
        term.measurement_window = _window_name(window)


# -- prose service levels ---------------------------------------------------------------------

_PROSE_SLA = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?\s*%|\b[a-z-]+\s+percent\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))[^.;]{0,120}?"
    r"(?:\bwithin\s+[^.;]{1,40}?(?:seconds?|minutes?|hours?|days?)\b|\b(?:availab|uptime|response|resolution|accuracy|answer|abandon|satisfaction|quality))"
    r"|\b(?:availab\w*|uptime)\b[^.;%]{0,60}?\d+(?:\.\d+)?\s*%",  # "will be available 99.95% of the time"
    re.I)
_PROSE_CUE = re.compile(r"\b(?:service\s+levels?|sla|shall\s+(?:achieve|meet|maintain|answer|respond|resolve|process|ensure)|"
                        r"availability|uptime|will\s+be\s+available|target)\b", re.I)
_TIMED_CUE = re.compile(r"\b(?:respond|response|resolve|resolution|restore|acknowledg\w*)\b[^.;]{0,80}\bwithin\s+[^.;]{1,30}?"
                        r"\b(?:minutes?|hours?|business\s+days?)\b", re.I)
_SLA_CONTEXT = re.compile(r"(?i)service\s+level|\bsla\b|severity|priority|incident|support|response\s+time")
_WINDOW = re.compile(r"\b(?:per|each|every|in\s+any|over\s+(?:each|a|the|any)|during\s+(?:each|any|a|the))\s+(calendar\s+month|month|"
                     r"calendar\s+quarter|quarter|week|day|year|contract\s+year)\b|\b(monthly|quarterly|weekly|daily|annually)\b", re.I)


def _window_name(m: re.Match) -> str:
    word = (m.group(1) or m.group(2)).lower()
    return {"monthly": "month", "quarterly": "quarter", "weekly": "week", "daily": "day", "annually": "year"}.get(word, word)


def prose_terms(doc: ContractDoc, skip: set[int]) -> list[SlaTerm]:
    """Service levels stated in sentences ("3.1 Email Response Time. Supplier shall respond to 95%
    of emails within 24 hours, measured monthly.")."""
    terms = []
    for a, b in sentence_spans(doc.clean):
        sentence = doc.clean[a:b]
        if " | " in sentence or any(a <= r < b for r in skip) or _FIELD.search(sentence):
            continue
        share = _PROSE_SLA.search(sentence) and _PROSE_CUE.search(sentence)
        timed = _TIMED_CUE.search(sentence) and _SLA_CONTEXT.search(sentence + " " + doc.clause_heading_at(a))
        if not (share or timed) or _is_credit_sentence(sentence) or re.search(r"(?i)\b(?:fees?|invoice|pay)\b", sentence):
            continue
        cite = doc.cite(a, b)
        if cite is None:
            continue
        heading = doc.clause_heading_at(a)
        metric = heading if heading and re.search(_METRIC_WORDS, heading, re.I) else _metric_phrase(sentence) or heading
        term = SlaTerm(metric=metric or squash(sentence)[:60], citation=cite)
        _set_target(term, sentence, context=heading)
        terms.append(term)
    return terms


def _metric_phrase(sentence: str) -> str:
    m = re.search(rf"\b((?:[A-Z][\w-]*\s+){{0,3}}(?i:{_METRIC_WORDS}))\b", sentence)
    return squash(m.group(1)) if m else ""


# -- credits written apart from the targets ---------------------------------------------------

_CREDIT_WORDS = re.compile(r"\b(?:credit\w*|fee\s+reduction|rebate|reduce\s+(?:the\s+)?(?:monthly\s+)?(?:fees?|charges?|invoice))\b", re.I)
_ALL_LEVELS = re.compile(r"\b(?:each|any|every|a)\s+(?:other\s+)?(?:missed\s+|applicable\s+)?(?:service\s+levels?|sla|kpi|metric)\b|"
                         r"\bservice\s+levels?\s+(?:is|are)\s+(?:missed|not\s+met)", re.I)


_NO_CREDIT = re.compile(r"(?i)\bno\s+(?:service\s+)?credits?\b|\bnot\s+(?:subject\s+to|eligible\s+for)\s+(?:service\s+)?credits?|"
                        r"\bcredits?\s+(?:do|does|shall|will)\s+not\s+apply|\breported\s+only\b")


def _is_credit_sentence(sentence: str) -> bool:
    if _NO_CREDIT.search(sentence):
        return False
    return bool(_CREDIT_WORDS.search(sentence)) and bool(re.search(r"\bfails?\b|\bmiss\w*|\bnot\s+(?:met|meet|achieve)|\bbelow\b|"
                                                                    r"\bcredit\s+will\s+be\b|\bcredit\s+(?:is|of|equal)", sentence, re.I))


def names_metric(sentence: str, metric: str) -> bool:
    words = [w for w in re.findall(r"[a-z0-9]+", metric.lower()) if w not in ("the", "of", "and", "rate", "time", "level")]
    low = sentence.lower()
    return bool(words) and all(re.search(rf"\b{re.escape(w)}", low) for w in words)


def apply_prose_credits(doc: ContractDoc, terms: list[SlaTerm]) -> None:
    """"If Supplier fails to meet the Email Response Time service level in any month, Supplier
    shall credit the Client 5% of the monthly service fees": the credit of the metric it names, or
    of every metric without one when it speaks of "any Service Level"."""
    for a, b in sentence_spans(doc.clean):
        sentence = doc.clean[a:b]
        if " | " in sentence or not _is_credit_sentence(sentence) or re.search(r"(?i)\b(?:total|aggregate|cap|exceed)\b", sentence):
            continue
        anchors = {i: at for i, t in enumerate(terms)
                   if (at := _credit_anchor(sentence, t.metric, [o.metric for o in terms if o is not t])) is not None}
        named = [terms[i] for i in anchors]
        targets = named or ([t for t in terms if t.credit is None] if _ALL_LEVELS.search(sentence) else [])
        cite = doc.cite(a, b)
        for t in targets:
            anchor = anchors.get(terms.index(t))
            credit = _credit_in(sentence[anchor:] if anchor is not None else sentence)
            if credit is None and (not named or _REFERS_ELSEWHERE.search(sentence)):
                continue  # "the Service Credit is the percentage shown in the table": stated elsewhere
            if t.credit is not None and (t.credit.percent_of_fees is not None or t.credit.amount is not None or t.credit.tiers):
                continue  # the schedule's own credit for this metric stands
            if credit is None:
                t.unknown.append(UnknownValue(field="credit", reason="the credit clause states no percentage or amount", citation=cite))
            else:
                t.credit = credit.model_copy(update={"citation": cite,
                                                     "tiers": (t.credit.tiers if t.credit else []) or credit.tiers})


_REFERS_ELSEWHERE = re.compile(r"(?i)\b(?:shown|set\s+out|set\s+forth|specified|stated|listed|described)\s+in\s+(?:the\s+)?"
                               r"(?:table|schedule|exhibit|annex|appendix|attachment)")


def _credit_anchor(sentence: str, metric: str, others: list[str]) -> int | None:
    """Where the credit wording about this metric is: its name must stand near it ("The Response
    Time Credit will be 5%", "fails to meet the Email Response Time service level ... credit"), not
    somewhere else in a long flattened paragraph. None when the sentence is not about the metric."""
    if not names_metric(sentence, metric):
        return None
    words = re.findall(r"[a-z0-9]+", metric.lower())
    mentions = [m.end() for m in re.finditer(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", sentence.lower())]
    # "The Uptime Credit will be ...": a credit word right after another metric's name is that metric's.
    credits = [c.start() for c in _CREDIT_WORDS.finditer(sentence)
               if not any(names_metric(sentence[max(0, c.start() - 30) : c.start()], o) for o in others)]
    pairs = [(abs(c - a), c) for a in mentions for c in credits]
    near = min(pairs, default=None)
    return near[1] if near and near[0] <= 160 else None


def _credit_in(sentence: str) -> ServiceCredit | None:
    word = _CREDIT_WORDS.search(sentence)
    if word and percents(sentence[word.start():]):
        sentence = sentence[word.start():]  # the figure that follows the credit wording
    sentence = re.split(r"(?<=[.;])\s", sentence, maxsplit=1)[0]
    pct = [p for p in percents(sentence) if not re.search(r"(?i)(?:below|under|less\s+than|of\s+(?:the\s+)?\w+\s+within)\s*$",
                                                          sentence[max(0, p[1] - 20) : p[1]])]
    amounts = money(sentence)
    if not pct and not amounts:
        return None
    credit = ServiceCredit(per_failure=bool(re.search(r"(?i)\bfor\s+each\s+(?:time|failure|incident|occasion|instance|breach)\b", sentence)))
    if pct:
        credit.percent_of_fees = pct[-1][0] if len(pct) > 1 and re.search(r"(?i)%\s+of\s+(?:the\s+)?\w+", sentence[pct[-1][1]:pct[-1][2] + 12]) \
            and not re.search(r"(?i)%\s+of\s+(?:the\s+)?(?:monthly|fees|charges)", sentence[pct[0][1]:pct[0][2] + 20]) else pct[0][0]
        basis = re.search(r"%\s*\)?\s*of\s+(?:the\s+)?(.+?)(?:\s+for\s+each\b|\s+(?:if|where|when|in\s+respect)\b|[;.,]|$)",
                          sentence[[p for p in pct if p[0] == credit.percent_of_fees][0][1]:], re.I)
        if basis:
            credit.fee_basis = squash(basis.group(1))
    elif amounts:
        credit.amount, credit.currency = amounts[0][0], amounts[0][1]
    return credit


def apply_tiers(doc: ContractDoc, terms: list[SlaTerm]) -> None:
    """A tiered credit table goes to the metric named just before it ("The Uptime Credit will be
    calculated as outlined in the table below:") or, if only one metric has a percentage target,
    to that one."""
    text = doc.clean
    for block_start, block_end in _blocks(text):
        tiers = credit_tiers(text[block_start:block_end])
        if not tiers:
            continue
        first = re.search(r"\d+(?:\.\d+)?\s*%\s*(?:to|-|\u2013)|(?:under|below|less\s+than)\s+\d", text[block_start:block_end], re.I)
        at = block_start + (first.start() if first else 0)
        lead = text[max(0, at - 400) : at]
        named = sorted((_last_mention(lead, t.metric), i) for i, t in enumerate(terms) if names_metric(lead, t.metric))
        pct_terms = [t for t in terms if t.target_percent is not None or any(u.field == "target" for u in t.unknown)]
        target = terms[named[-1][1]] if named else (pct_terms[0] if len(pct_terms) == 1 else None)
        if target is None:
            continue
        cite = doc.cite(block_start, block_end)
        credit = target.credit or ServiceCredit(fee_basis=_tier_basis(text[max(0, block_start - 400) : block_end]))
        target.credit = credit.model_copy(update={"tiers": tiers, "citation": credit.citation or cite})


def _last_mention(text: str, metric: str) -> int:
    words = [w for w in re.findall(r"[a-z0-9]+", metric.lower()) if w not in ("the", "of", "and", "rate", "time", "level")]
    return max((text.lower().rfind(w) for w in words), default=-1)


def _tier_basis(text: str) -> str:
    m = re.search(r"(?i)percentage\s+of\s+(?:the\s+)?((?:monthly\s+)?[\w ]{0,40}?fees?)\b", text)
    return squash(m.group(1)) if m else "monthly fees"


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs (a table's consecutive rows count as one paragraph)."""
    out, start = [], 0
    for m in re.finditer(r"\n[ \t]*\n", text):
        if text[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def apply_schedule_window(doc: ContractDoc, terms: list[SlaTerm]) -> None:
    """"All Service Levels are measured over each calendar month": the window of every metric that
    does not state its own."""
    for a, b in sentence_spans(doc.clean):
        sentence = doc.clean[a:b]
        if not re.search(r"(?i)\b(?:service\s+levels?|slas?|metrics?|kpis?)\b[^.;]{0,80}\b(?:measured|calculated|assessed|reported|"
                         r"determined)\b", sentence):
            continue
        window = _WINDOW.search(sentence)
        if not window:
            continue
        cite = doc.cite(a, b)
        for t in terms:
            if not t.measurement_window:
                t.measurement_window, t.window_citation = _window_name(window), cite
        return
