"""Persistent-failure and earn-back clauses, read from a contract's own sentences and table rows.

Counts are read in words or digits ("three (3)", "five", "4"); a persistent failure is either a run
("three consecutive months", "two months in a row") or a count within a period ("five or more months
in any rolling twelve (12) month period", "4 of the last 6 months", "three months in any calendar
year"). Whether the misses must be of the same Service Level comes from the words around the count
("the same Service Level", "any single KPI" -> the same; "one or more Service Levels" -> any), else
a run means the same Service Level and a count within a period means any. The right it gives is read
from the same clause, following a reference ("terminate under Clause 12.4") to the clause it names.
"""

from __future__ import annotations

import re

from assistant.contracts.document import ContractDoc
from assistant.contracts.persistence_models import ContractRight, EarnBackRule, FailureRule, PersistenceTerms
from assistant.text.quantities import durations, words_to_int
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import clause_at, sentence_spans, squash

_WORD_NUMS = (r"twenty[\s-]+(?:one|two|three|four)|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
              r"nineteen|twenty|ten|one|two|three|four|five|six|seven|eight|nine")


def _count(name: str) -> str:
    return (rf"(?:(?P<{name}w>{_WORD_NUMS})\s*\(\s*(?P<{name}p>\d{{1,2}})\s*\)|(?P<{name}d>\d{{1,2}})(?![\d.,%])"
            rf"|(?P<{name}x>{_WORD_NUMS}))")


def _value(m: re.Match, name: str) -> int | None:
    for suffix in ("p", "d"):
        if m.group(name + suffix):
            return int(m.group(name + suffix))
    words = m.group(name + "w") or m.group(name + "x")
    return words_to_int(words) if words else None


_PERIOD = (r"(?:(?:calendar|consecutive|full|monthly|successive)\s+)*(?:months?|measurement\s+(?:periods?|months?|windows?)|"
           r"reporting\s+(?:periods?|months?)|service\s+(?:level\s+)?periods?|review\s+periods?)")
_MORE = r"(?:\(?\s*or\s+more\s*\)?\s+)?"
_AT_LEAST = r"(?P<more_than>more\s+than|in\s+excess\s+of|over)?\s*(?:at\s+least\s+|no\s+(?:fewer|less)\s+than\s+)?"
_RUN = re.compile(
    rf"{_AT_LEAST}{_count('n')}\s+{_MORE}(?:(?:consecutive|successive|sequential)\s+{_PERIOD}"
    rf"|{_PERIOD}\s+(?:in\s+a\s+row|in\s+succession|running|consecutively))", re.I)
_WINDOW = re.compile(
    rf"{_AT_LEAST}{_count('n')}\s+{_MORE}(?P<unit1>{_PERIOD}\s+)?{_MORE}(?:\(?or\s+more\)?\s+)?"
    rf"(?:in|during|within|out\s+of|of)\s+(?:any|the|a|each)\s+(?:(?:last|previous|preceding|prior|most\s+recent|rolling|trailing|"
    rf"consecutive|period\s+of)\s+)*{_count('m')}[\s-]*(?:\(\s*\d+\s*\)[\s-]*)?(?:(?:consecutive|calendar|rolling)\s+)*"
    rf"(?P<unit2>[\s-]*month(?:s|\s+period)?|[\s-]*{_PERIOD})?", re.I)
_WINDOW_FIRST = re.compile(
    rf"(?:in|during|within)\s+any\s+(?:rolling\s+|consecutive\s+)?{_count('m')}[\s-]*(?:\(\s*\d+\s*\)[\s-]*)?month\s+period,?\s+"
    rf"(?:in\s+|on\s+)?{_AT_LEAST}{_count('n')}\s+{_MORE}{_PERIOD}", re.I)
_CALENDAR = re.compile(
    rf"{_AT_LEAST}{_count('n')}\s+{_MORE}(?:{_PERIOD}\s+)?{_MORE}(?:in|during|within)\s+(?:any|a|the\s+same|one|each)\s+"
    r"(?P<span>calendar\s+year|contract\s+year|calendar\s+quarter|quarter|year)\b", re.I)

_FAIL = re.compile(r"\b(?:fail\w*|miss\w*|breach\w*|not\s+(?:achiev|meet|met|attain)\w*|below|default\w*|short\s+of|"
                   r"non-?(?:compliance|performance|achievement))\b", re.I)
_LEVEL = re.compile(r"\b(?:service\s+levels?|slas?|kpis?|key\s+performance\s+indicators?|performance\s+(?:standards?|levels?|"
                    r"metrics?|targets?)|metrics?|targets?|chronic|persistent|repeated?\s+failure)\b", re.I)
_EARN = re.compile(
    r"\bearn(?:ed)?[\s-]?back\b|\breturn(?:ed|s)?\s+(?:the|any|such|that|each)?\s*(?:service\s+)?credits?\b|"
    r"\bcredits?\b[^.;]{0,60}?\b(?:is|are|shall\s+be|will\s+be|be)\s+(?:waived|forgiven|cancell?ed|reversed|refunded|returned|"
    r"reinstated|credited\s+back|repaid|rescinded|voided?)\b|\bwaive[sd]?\s+(?:the|any|such|that)?\s*(?:service\s+)?credits?\b|"
    r"\b(?:forgive|rescind|reverse)\s+(?:the|any|such|that)\s+(?:service\s+)?credit", re.I)
_SAME = re.compile(r"\b(?:the\s+same|a\s+(?:particular|specific|given|single)|any\s+(?:single|one|individual|particular|given|"
                   r"specific)|that|an?\s+individual|each\s+individual)\s+(?:critical\s+)?(?:service\s+level|sla|kpi|metric|"
                   r"performance\s+standard|key\s+performance\s+indicator)\b", re.I)
_ANY = re.compile(r"\b(?:one\s+or\s+more|any\s+(?:of\s+the\s+)?(?:critical\s+)?(?:service\s+levels|slas|kpis|metrics|performance\s+"
                  r"standards)|(?:service\s+levels|slas|kpis|metrics)\s*(?:\(\s*(?:whether\s+)?(?:the\s+same|any)[^)]*\))?|"
                  r"any\s+(?:critical\s+)?(?:service\s+level|sla|kpi|metric)\s*\(?\s*whether\s+or\s+not\s+the\s+same|"
                  r"whether\s+or\s+not\s+the\s+same|not\s+necessarily\s+the\s+same|any\s+combination)", re.I)
_NAMED = re.compile(r"[\"\u201c]([A-Z][A-Za-z0-9 '\-]{2,60}?)[\"\u201d]\s*(?:\)|\s)?\s*(?:shall\s+)?(?:occurs?|means|has|exists|"
                    r"is\s+deemed|will\s+occur)", re.I)
_NAMED_AFTER = re.compile(r"\((?:a|an|the|each|such\s+event)?\s*[,]?\s*[\"\u201c]([A-Z][A-Za-z0-9 '\-]{2,60}?)[\"\u201d]\s*\)")
DEFAULT_NAME = "Persistent failure"
_REFERENCE = re.compile(r"\b(?:clause|section|article|paragraph|para\.)\s+(\d{1,3}(?:\.\d{1,3}){0,3})", re.I)

_RIGHTS = [
    ("termination", re.compile(r"\bterminat\w*\b", re.I)),
    ("step_in", re.compile(r"\bstep[\s-]in\b", re.I)),
    ("remediation_plan", re.compile(r"\b(?:remediation|corrective\s+action|improvement|performance\s+improvement|recovery|"
                                    r"rectification|cure)\s+plan\b", re.I)),
    ("increased_credit", re.compile(r"\b(?:double[sd]?|increase[sd]?|additional|enhanced|multipl\w+)\s+(?:the\s+)?(?:service\s+)?"
                                    r"credits?\b|\bcredits?\s+(?:shall|will)\s+(?:be\s+)?(?:doubled|increased|multiplied)", re.I)),
    ("escalation", re.compile(r"\bescalat\w+\b", re.I)),
    ("material_breach", re.compile(r"\bmaterial\s+breach\b", re.I)),
]
_HOLDER = re.compile(r"\b(?:entitl\w*|allow\w*|permit\w*|enabl\w*)\s+(?:the\s+)?(?P<a>[A-Z][\w]*(?:\s+[A-Z][\w]*)?)\s+to\b|"
                     r"\b(?P<b>(?:the\s+)?[A-Z][\w]*(?:\s+[A-Z][\w]*)?)\s+(?:may|shall\s+(?:be\s+entitled|have\s+the\s+right)|"
                     r"is\s+entitled|will\s+be\s+entitled|has\s+the\s+right|will\s+have\s+the\s+right)\b")
_PHRASE_END = re.compile(r",?\s+(?:provided|if|unless|subject\s+to|where|in\s+which\s+case)\b|[.;](?!\d)|$", re.I)


# -- reading units ---------------------------------------------------------------------------
def _units(doc: ContractDoc) -> list[tuple[int, int]]:
    """Sentences, with each table row (a line of ' | ' cells) as a unit of its own."""
    text = doc.clean
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        piece = text[a:b]
        if " | " not in piece and not piece.lstrip().startswith("|"):
            units.append((a, b))
            continue
        pos = a
        for line in piece.split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                units.append((pos + lead, pos + len(line.rstrip())))
            pos += len(line) + 1
    return units


def _same_clause(doc: ContractDoc, units: list[tuple[int, int]], i: int, limit: int = 3) -> list[tuple[int, int]]:
    """Up to `limit` units after units[i] in the same numbered clause (or, unnumbered, the same paragraph)."""
    clause, out = doc.clause_no_at(units[i][0]), []
    for k in range(i + 1, min(len(units), i + 1 + limit)):
        a, b = units[k]
        if clause:
            same = doc.clause_no_at(a) == clause
        else:  # no numbers: a blank line or a table row ends the paragraph
            same = "\n\n" not in doc.clean[units[k - 1][1] : a].replace(" ", "") and "|" not in doc.clean[a:b]
        if not same:
            break
        out.append((a, b))
    return out


def _cells(text: str) -> str:
    return squash(text.replace("|", " ; ")).strip(" ;")


# -- persistent failure ----------------------------------------------------------------------
def failure_rules(doc: ContractDoc, metrics: list[str] | None = None) -> list[FailureRule]:
    """Every persistent-failure rule in `doc`, in text order, each with the right it gives."""
    rules: list[FailureRule] = []
    units = _units(doc)
    for i, (a, b) in enumerate(units):
        unit = _cells(doc.clean[a:b])
        if _EARN.search(unit) or not _FAIL.search(unit) or not _LEVEL.search(unit) and not _names_metric(unit, metrics):
            continue
        found = _counts(unit)
        if not found:
            continue
        citation = doc.cite(a, b)
        if citation is None:
            continue
        name = _rule_name(doc, a, unit)
        right = _right(doc, units, i, unit, name)
        previous_end = 0
        for start, end, kind, count, window, calendar in found:
            scope, metric, words = _scope(unit[previous_end:end], unit, metrics, kind)
            previous_end = end
            rules.append(FailureRule(
                name=name, kind=kind, count=count, window_months=window, calendar_window=calendar, scope=scope, metric=metric,
                scope_words=words, condition=_condition(kind, count, window, calendar, scope, metric), right=right,
                clause_no=citation.clause_no, citation=citation))
    return rules


def _names_metric(unit: str, metrics: list[str] | None) -> str:
    low = unit.lower()
    for name in sorted(metrics or [], key=len, reverse=True):
        if name and re.search(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])", low):
            return name
    return ""


def _counts(unit: str) -> list[tuple[int, int, str, int, int | None, bool]]:
    """(start, end, kind, count, window months, calendar) for each count of months the unit states."""
    found = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    for m in _WINDOW_FIRST.finditer(unit):
        found.append((m.start(), m.end(), "in_window", _at_least(m), _value(m, "m"), False))
        taken.append(m.span())
    for m in _CALENDAR.finditer(unit):
        if free(m):
            span = m.group("span").lower()
            window = 3 if "quarter" in span else 12
            found.append((m.start(), m.end(), "in_window", _at_least(m), window, span.startswith("calendar") or span == "quarter"))
            taken.append(m.span())
    for m in _WINDOW.finditer(unit):
        n, window = _at_least(m), _value(m, "m")
        # A unit after one of the two counts is what makes "five of any twelve" a count of months.
        if not free(m) or not (m.group("unit1") or m.group("unit2")) or window is None or not n or n > window:
            continue
        found.append((m.start(), m.end(), "in_window", n, window, False))
        taken.append(m.span())
    for m in _RUN.finditer(unit):
        if free(m) and _at_least(m):
            found.append((m.start(), m.end(), "consecutive", _at_least(m), None, False))
            taken.append(m.span())
    return sorted(found)


def _at_least(m: re.Match) -> int:
    n = _value(m, "n") or 0
    return n + 1 if m.group("more_than") else n  # "more than three months": four is the first that counts


def _scope(before: str, unit: str, metrics: list[str] | None, kind: str) -> tuple[str, str, str]:
    named = _names_metric(before, metrics) or _names_metric(unit, metrics)
    same, any_ = _SAME.search(before), _ANY.search(before)
    if same and not (any_ and any_.start() > same.start()):
        return ("named_metric", named, same.group(0)) if named else ("same_metric", "", same.group(0))
    if any_:
        return "any_metric", "", any_.group(0)
    if named:
        return "named_metric", named, named
    # Nothing said: a run of misses is read as one Service Level's, a count in a period as any.
    return ("same_metric", "", "") if kind == "consecutive" else ("any_metric", "", "")


def _condition(kind: str, count: int, window: int | None, calendar: bool, scope: str, metric: str) -> str:
    who = {"same_metric": "the same Service Level", "any_metric": "any Service Level (not necessarily the same)"}.get(scope, metric)
    if kind == "consecutive":
        return f"{who} missed in {count} consecutive months"
    period = ("calendar quarter" if window == 3 else "calendar year") if calendar else f"rolling {window}-month period"
    return f"{who} missed in {count} or more months in any {period}"


def _rule_name(doc: ContractDoc, a: int, unit: str) -> str:
    m = _NAMED.search(unit) or _NAMED_AFTER.search(unit)
    if m:
        return squash(m.group(1))
    if "|" in doc.clean[a : a + 200]:
        first = doc.clean[a:].split("\n", 1)[0].strip().strip("|").split("|")[0].strip()
        if 0 < len(first) <= 60 and not re.search(r"\d", first):
            return first
    mark = clause_at(doc.marks, a)
    return mark.heading if mark and mark.heading else DEFAULT_NAME


# -- the right -------------------------------------------------------------------------------
def _right(doc: ContractDoc, units: list[tuple[int, int]], i: int, unit: str, name: str) -> ContractRight | None:
    """The right in the rule's own unit, else in the next sentences of the same clause; a reference
    to another clause ("terminate under Clause 12.4") is followed there."""
    for a, b in [units[i]] + _same_clause(doc, units, i):
        text = _cells(doc.clean[a:b])
        right = _right_in(text)
        if right is None:
            continue
        right.citation = doc.cite(a, b)
        right.clause_no = right.citation.clause_no if right.citation else ""
        right.material_breach = right.material_breach or bool(re.search(r"(?i)material\s+breach", unit))
        if right.notice or right.notice_days is not None or right.kind not in ("termination", "material_breach"):
            return right
        ref = _REFERENCE.search(text)
        target = referenced_clause(doc, ref.group(1)) if ref else None
        if target is None and name and re.search(r"(?i)\b(?:clause|section|article|under|pursuant\s+to)$", text):
            # The reference's number was lost from the text (a line break the PDF reader dropped): the
            # clause headed with the rule's name and a right ("Termination for Chronic Failure") is meant.
            target = _clause_headed(doc, name, a)
        followed = _right_in(_cells(doc.clean[target[0] : target[1]])) if target else None
        if followed is None:
            return right
        followed.citation = doc.cite(*target)
        followed.clause_no = doc.clause_no_at(target[0]) or (ref.group(1) if ref else "")
        followed.material_breach = right.material_breach
        return followed
    return _right_naming(doc, units, i, name)


def _right_naming(doc: ContractDoc, units: list[tuple[int, int]], i: int, name: str) -> ContractRight | None:
    """No right beside the rule: a sentence elsewhere that names the rule and grants one ("On a
    Persistent Failure the Company may terminate ...")."""
    if not name or name == DEFAULT_NAME:
        return None
    for k, (a, b) in enumerate(units):
        text = _cells(doc.clean[a:b])
        if k == i or name.lower() not in text.lower() or _EARN.search(text):
            continue
        right = _right_in(text)
        if right is not None and right.holder:
            right.citation = doc.cite(a, b)
            right.clause_no = right.citation.clause_no if right.citation else ""
            return right
    return None


def _clause_headed(doc: ContractDoc, name: str, not_at: int) -> tuple[int, int] | None:
    marks = doc.marks
    for k, mark in enumerate(marks):
        if name.lower() in mark.heading.lower() and not mark.start <= not_at < (marks[k + 1].start if k + 1 < len(marks) else 0) \
                and any(p.search(mark.heading) for _, p in _RIGHTS):
            end = marks[k + 1].start if k + 1 < len(marks) else len(doc.clean)
            return mark.start, min(end, mark.start + 1500)
    return None


def referenced_clause(doc: ContractDoc, number: str) -> tuple[int, int] | None:
    """The span of clause `number` (to the next clause marker), when the document has it."""
    marks = doc.marks
    for k, mark in enumerate(marks):
        if mark.number == number:
            end = marks[k + 1].start if k + 1 < len(marks) else len(doc.clean)
            return mark.start, min(end, mark.start + 1500)
    # A number the marker reader did not take (emphasis around it, "**12.4 ...**"): a line that opens with it.
    m = re.search(rf"(?m)^[^\w\n]{{0,4}}{re.escape(number)}(?![\d.])[^\n]*", doc.clean)
    return (m.start(), m.end()) if m else None


def _right_in(text: str) -> ContractRight | None:
    for kind, pattern in _RIGHTS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        # A heading ("Termination for Chronic Failure.") names the right; the sentence with a holder grants it.
        m = next((x for x in matches if _holder(text, x.start())[0]), matches[0])
        end = _PHRASE_END.search(text, m.end())
        stop = end.start() if end else len(text)
        holder, holder_start = _holder(text, m.start())
        if holder_start is not None:  # "the Client may require a remediation plan ...": quoted from the holder on
            phrase = text[holder_start:stop]
        else:  # "entitles Customer to terminate ...", or no holder named
            phrase = (f"{holder} may " if holder else "") + text[m.start() : stop]
        right = ContractRight(kind=kind, text=squash(phrase.strip(" ,")), holder=holder,
                              material_breach=bool(re.search(r"(?i)material\s+breach", text)))
        _notice(text, right)
        return right
    return None


def _holder(text: str, at: int) -> tuple[str, int | None]:
    """Who holds the right named at `at`, and where a "<holder> may ..." phrase starts (None for "entitles X to")."""
    start = max(0, at - 120)
    found = list(_HOLDER.finditer(text, start, at))
    if not found:
        return "", None
    m = found[-1]
    name = (m.group("a") or m.group("b") or "").strip()
    if name.lower() in ("it", "this", "such", "the", "which"):
        return "", None
    return name, (m.start("b") if m.group("b") else None)


_NOTICE_WORDS = re.compile(r"(?i)\s*(?:'|\u2019)?s?\s*(?:prior\s+|advance\s+)?(?:written\s+)?notice")
_EXERCISE_TAIL = re.compile(r"(?i)\s*(?:after|of|following|from)\s+[^,.;]{0,80}")


def _notice(text: str, right: ContractRight) -> None:
    """The notice period ("thirty (30) days' written notice", "immediately by written notice") and any
    period to exercise the right in ("provided the notice is given within ninety (90) days after ...")."""
    if re.search(r"(?i)\bimmediately\b[^.;]{0,40}\bnotice\b|\bwithout\s+(?:any\s+)?(?:prior\s+)?notice\b", text):
        written = " by written notice" if re.search(r"(?i)written\s+notice", text) else ""
        right.notice_days, right.notice = 0, "immediately" + written
    for d in durations(text):
        if d.unit not in ("day", "business_day", "month"):
            continue
        words = _NOTICE_WORDS.match(text, d.end)
        if words and d.unit != "month":
            right.notice_days, right.notice = int(d.value), squash(text[d.start : words.end()])
        elif re.search(r"(?i)\bwithin\s*$", text[max(0, d.start - 30) : d.start]):
            tail = _EXERCISE_TAIL.match(text, d.end)
            if tail:
                right.exercise_within = squash("within " + text[d.start : tail.end()])


# -- root cause analysis ---------------------------------------------------------------------
RCA_WORDS = re.compile(r"(?i)\b(?:root[\s-]cause(?:\s+analys[ie]s)?|RCA)\b")


def rca_business_days(sentence: str) -> int | None:
    """The business days a sentence gives for a root cause analysis ("an RCA within five (5) Business
    Days of any missed Service Level"), or None."""
    if not RCA_WORDS.search(sentence):
        return None
    for d in durations(sentence):
        if d.unit in ("business_day", "day") and re.search(r"(?i)\bwithin\s*$|no\s+later\s+than\s*$", sentence[: d.start]):
            # A calendar-day period is kept as business days only when it says business days.
            return int(d.value) if d.unit == "business_day" else None
    return None


def rca_rule(doc: ContractDoc) -> tuple[int, SourceSpan] | None:
    """The business days the contract gives for an RCA after a missed Service Level, and where."""
    for a, b in _units(doc):
        sentence = _cells(doc.clean[a:b])
        days = rca_business_days(sentence)
        if days is not None and _FAIL.search(sentence):
            citation = doc.cite(a, b)
            if citation is not None:
                return days, citation
    return None


# -- earn-back -------------------------------------------------------------------------------
_EARN_COUNT = re.compile(rf"{_count('n')}\s+(?:(?:following|subsequent|succeeding|next|consecutive|full|calendar)\s+)*{_PERIOD}", re.I)


def earn_back_rule(doc: ContractDoc, failure_names: list[str] | None = None) -> EarnBackRule | None:
    """The first earn-back (or credit waiver) rule in `doc` that says how many months must be met."""
    units = _units(doc)
    for i, (a, b) in enumerate(units):
        unit = _cells(doc.clean[a:b])
        if not _EARN.search(unit):
            continue
        m = _EARN_COUNT.search(unit)
        if m is None or not re.search(r"(?i)\b(?:if|where|provided|when|once|upon|shall|will)\b", unit):
            continue
        citation = doc.cite(a, b)
        if citation is None:
            continue
        # Later sentences of the same clause qualify the rule ("Earn-back does not apply to ...").
        following = [_cells(doc.clean[x:y]) for x, y in _same_clause(doc, units, i)]
        whole = " ".join([unit, *following])
        names = [n for n in (failure_names or []) if n]
        excludes = bool(re.search(r"(?i)\b(?:chronic|persistent|repeat(?:ed)?)\s+(?:service\s+level\s+)?failure", whole)) or any(
            re.search(rf"(?i)(?:not|no)\b[^.]{{0,120}}{re.escape(n)}", whole) for n in names)
        all_levels = bool(re.search(r"(?i)\b(?:all|every|each)\s+(?:of\s+the\s+)?(?:critical\s+)?(?:service\s+levels?|slas?|kpis?)\b",
                                    unit))
        effect = "waived" if re.search(r"(?i)waive|forgive|cancel|rescind|void|not\s+(?:be\s+)?(?:payable|due|owed)", unit) else "returned"
        months = _value(m, "n") or 0
        scope = "all_metrics" if all_levels else "same_metric"
        what = "every Service Level" if all_levels else "the missed Service Level"
        return EarnBackRule(months=months, scope=scope, effect=effect, excludes_persistent=excludes, clause_no=citation.clause_no,
                            condition=f"{what} met in each of the {months} months after the miss: the credit is {effect}",
                            citation=citation)
    return None


def persistence_terms(docs: list[ContractDoc], metrics: list[str] | None = None) -> PersistenceTerms:
    """The persistent-failure rules and the earn-back rule of a contract (`docs[0]`) and the
    agreements it belongs with (the rest, most likely first): each from the first that states it."""
    terms = PersistenceTerms(sources=[d.source for d in docs])
    for doc in docs:
        if not terms.failure_rules:
            terms.failure_rules = failure_rules(doc, metrics)
        if terms.earn_back is None:
            terms.earn_back = earn_back_rule(doc, [r.name for r in terms.failure_rules])
    if not terms.failure_rules:
        terms.notes.append(f"no persistent-failure clause (a count of missed months) was found in {', '.join(terms.sources)}")
    if terms.earn_back is None:
        terms.notes.append("no earn-back clause was found: service credits are treated as final")
    for doc in docs:
        found = rca_rule(doc)
        if found:
            terms.rca_business_days, terms.rca_citation = found
            break
    for rule in terms.failure_rules:
        if rule.right is None:
            terms.notes.append(f"{rule.name} (clause {rule.clause_no or 'unnumbered'}): the clause states no right; read it in full")
    return terms
