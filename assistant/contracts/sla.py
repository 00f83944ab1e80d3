"""SLA schedule extraction from a SOW: the service-level table (rows arrive as text lines with
cells joined by " | ") and SLA prose, plus the credit cap and earn-back clauses.

Every term cites the line or sentence it was read from, quoted verbatim from the chunk holding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.contracts.document import ContractDoc
from assistant.contracts.quantities import durations, money, percents
from assistant.contracts.sla_models import ServiceCredit, SlaSchedule, SlaTerm, SourceSpan
from assistant.contracts.text import sentence_spans, squash

# Header cell -> field. First matching pattern wins; order matters ("service credit" before "service level").
_COLUMNS: list[tuple[str, re.Pattern]] = [
    ("credit", re.compile(r"credit|penalt|fee\s+reduction|at[- ]risk|remed", re.I)),
    ("definition", re.compile(r"definition|description|how\s+measured|calculation|meaning", re.I)),
    ("window", re.compile(r"measurement|window|period|frequency", re.I)),
    ("reporting", re.compile(r"report", re.I)),
    ("target", re.compile(r"target|expected|minimum|standard|commitment|threshold|objective|requirement|level\s+required", re.I)),
    ("metric", re.compile(r"metric|service\s+level|\bsla\b|\bkpi\b|measure|indicator|name|service", re.I)),
]
_TIME_PHRASE = re.compile(
    r"\bwithin\s+(?:\d+(?:\.\d+)?|[a-z-]+\s*\(\s*\d+\s*\))\s*(?:business\s+|calendar\s+|working\s+)?(?:seconds?|minutes?|hours?|days?)\b", re.I
)


@dataclass
class _Row:
    start: int
    end: int
    cells: list[str]


def _table_blocks(text: str) -> list[list[_Row]]:
    """Consecutive ' | ' lines (blank lines between rows allowed) as tables of rows."""
    tables: list[list[_Row]] = []
    current: list[_Row] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if " | " in line:
            current.append(_Row(start, end, [c.strip() for c in line.split(" | ")]))
        elif line.strip() and current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _header_map(cells: list[str]) -> dict[str, int]:
    if any(re.search(r"\d\s*%|[≥≤]", c) for c in cells):
        return {}
    mapping: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for field, pattern in _COLUMNS:
            if field not in mapping and pattern.search(cell):
                mapping[field] = i
                break
    return mapping if "metric" in mapping and ("target" in mapping or "credit" in mapping) else {}


def parse_target(text: str) -> tuple[float | None, str, str]:
    """'≥ 95% of emails answered within 24 hours' -> (95.0, '>=', 'within 24 hours')."""
    value = None
    pct = percents(text)
    if pct:
        value = pct[0][0]
    t = text.lower()
    if re.search(r"≤|<=|no\s+more\s+than|not\s+(?:more|greater)\s+than|at\s+most|maximum|less\s+than\s+or\s+equal|or\s+less|or\s+lower|below", t):
        comparator = "<="
    elif re.search(r"(?<![≤<])<(?!=)|\bless\s+than\b|\bunder\b", t):
        comparator = "<"
    elif re.search(r"(?<![≥>])>(?!=)|\bmore\s+than\b|\bgreater\s+than\b|\bexceed", t):
        comparator = ">"
    else:
        comparator = ">="
    m = _TIME_PHRASE.search(text)
    return value, comparator, (squash(m.group(0)) if m else "")


def threshold_seconds(threshold: str) -> float | None:
    """Seconds for 'within 60 seconds' / '24 hours' / '7 calendar days'; None for business days (not a fixed span)."""
    ds = durations(threshold)
    if not ds:
        return None
    d = ds[0]
    if d.business:
        return None
    return d.seconds


def parse_credit(text: str) -> ServiceCredit | None:
    """'5% of monthly email fees; 10% if missed by more than 5 percentage points' -> ServiceCredit."""
    t = squash(text)
    if not t or re.match(r"(?i)(?:none|n/?a|not\s+applicable|-|no\s+credit)\b", t):
        return None
    credit = ServiceCredit()
    pcts = percents(t)
    first_clause = re.split(r";|\.\s", t, maxsplit=1)[0]
    if pcts and pcts[0][1] < len(first_clause):
        credit.percent_of_fees = pcts[0][0]
        basis = re.search(r"%\s*(?:\))?\s*of\s+(?:the\s+)?(.+?)(?:;|,\s*(?:or|and)?\s*\d|\s+if\b|\.\s|$)", first_clause, re.I)
        if basis:
            credit.fee_basis = basis.group(1).strip().rstrip(".")
    amounts = money(first_clause)
    if amounts:
        credit.amount, credit.currency = amounts[0][0], amounts[0][1]
    esc = re.search(
        r"(\d+(?:\.\d+)?)\s*%[^;]*?\bif\b[^;]*?\b(?:missed|below|short|fails?)\b[^;]*?\bby\s+more\s+than\s+(\d+(?:\.\d+)?)\s*(?:percentage\s+points?|%|points?)",
        t, re.I,
    )
    if esc:
        credit.escalated_percent = float(esc.group(1))
        credit.escalation_points = float(esc.group(2))
    if credit.percent_of_fees is None and credit.amount is None:
        return None
    return credit


def _table_terms(doc: ContractDoc) -> list[SlaTerm]:
    terms: list[SlaTerm] = []
    for rows in _table_blocks(doc.text):
        header = _header_map(rows[0].cells)
        if not header:
            continue
        for row in rows[1:]:
            term = _row_term(doc, row, header)
            if term:
                terms.append(term)
    return terms


def _cell(row: _Row, header: dict[str, int], field: str) -> str:
    i = header.get(field)
    return row.cells[i].strip() if i is not None and i < len(row.cells) else ""


def _row_term(doc: ContractDoc, row: _Row, header: dict[str, int]) -> SlaTerm | None:
    metric = _cell(row, header, "metric")
    target_text = _cell(row, header, "target")
    if not metric or not (target_text or _cell(row, header, "credit")):
        return None
    citation = doc.cite(row.start, row.end)
    if citation is None:
        return None
    value, comparator, threshold = parse_target(target_text)
    definition = _cell(row, header, "definition")
    if not threshold and definition:
        threshold = parse_target(definition)[2]  # "within 7 calendar days of the dispute notice"
    return SlaTerm(
        metric=metric, definition=definition, target_percent=value, comparator=comparator, threshold=threshold,
        threshold_seconds=threshold_seconds(threshold) if threshold else None,
        measurement_window=_cell(row, header, "window"), reporting=_cell(row, header, "reporting"),
        credit=parse_credit(_cell(row, header, "credit")), citation=citation,
    )


# -- prose ----------------------------------------------------------------------------------------

_PROSE_SLA = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?\s*%|\b[a-z-]+\s+percent\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))[^.;]{0,120}?"
    r"(?:\bwithin\s+[^.;]{1,40}?(?:seconds?|minutes?|hours?|days?)\b|\b(?:availab|uptime|response|resolution|accuracy|answer|abandon|satisfaction|quality))",
    re.I,
)
_PROSE_CUE = re.compile(r"\b(?:service\s+levels?|sla|shall\s+(?:achieve|meet|maintain|answer|respond|resolve|process)|availability|uptime)\b", re.I)


def _prose_terms(doc: ContractDoc, table_rows: set[int]) -> list[SlaTerm]:
    terms = []
    for a, b in sentence_spans(doc.text):
        sentence = doc.text[a:b]
        if " | " in sentence or any(a <= r < b for r in table_rows):
            continue
        if not (_PROSE_SLA.search(sentence) and _PROSE_CUE.search(sentence)):
            continue
        if re.search(r"\bcredit|\bfees?\b", sentence, re.I) and not re.search(r"within|availab|uptime", sentence, re.I):
            continue  # a credit or fee sentence, not a service level
        citation = doc.cite(a, b)
        if citation is None:
            continue
        value, comparator, threshold = parse_target(sentence)
        metric = doc.clause_heading_at(a) or _metric_phrase(sentence)
        window = re.search(r"\b(?:per|each|every|in\s+any|measured\s+(?:over\s+(?:each|a|the)\s+)?)\s*(calendar\s+month|month|quarter|week|day|year)\b", sentence, re.I)
        terms.append(SlaTerm(
            metric=metric, target_percent=value, comparator=comparator, threshold=threshold,
            threshold_seconds=threshold_seconds(threshold) if threshold else None,
            measurement_window=squash(window.group(1)) if window else "", citation=citation,
        ))
    return terms


def _metric_phrase(sentence: str) -> str:
    m = re.search(r"\b((?:[A-Z][a-z]+\s+){0,3}(?:Availability|Uptime|Response\s+Time|Resolution\s+Time|Service\s+Level|Accuracy|Speed\s+of\s+Answer|Abandonment\s+Rate))\b", sentence)
    return m.group(1) if m else squash(sentence)[:60]


# -- cap and earn-back ----------------------------------------------------------------------------

_CAP = re.compile(r"\b(?:total|aggregate|maximum|all)\b[^.]{0,40}\bservice\s+credits?\b[^.]{0,120}?\b(?:exceed|capped\s+at|limited\s+to|more\s+than)\b|\bcredit\s+cap\b|\bat[- ]risk\s+amount\b", re.I)
_EARN_BACK = re.compile(r"\bearn[- ]?back\b|\breturn\s+the\s+service\s+credit", re.I)


def _cap(doc: ContractDoc, schedule: SlaSchedule) -> None:
    for a, b in sentence_spans(doc.text):
        sentence = doc.text[a:b]
        if not _CAP.search(sentence):
            continue
        pct = percents(sentence)
        if not pct:
            continue
        schedule.credit_cap_percent = pct[-1][0] if len(pct) > 1 and not re.search(r"exceed", sentence[: pct[0][1]], re.I) else pct[0][0]
        schedule.credit_cap_citation = _sentence_cite(doc, a, b)
        return


def _earn_back(doc: ContractDoc, schedule: SlaSchedule) -> None:
    spans = [(a, b) for a, b in sentence_spans(doc.text) if _EARN_BACK.search(doc.text[a:b]) and " | " not in doc.text[a:b]]
    # The rule itself is the sentence that says when a credit is returned, not a heading or a passing mention.
    rules = [(a, b) for a, b in spans if re.search(r"\bif\b|\bwhere\b|\bprovided\b|\bshall\b", doc.text[a:b], re.I)]
    if not rules:
        return
    a, b = rules[0]
    # Later sentences of the same clause that qualify the rule ("Earn-back does not apply to ...").
    clause = doc.clause_no_at(a)
    for a2, b2 in spans:
        if a2 > b and doc.clause_no_at(a2) == clause and doc.chunk_for(a, b2) is doc.chunk_for(a, b):
            b = b2
    schedule.earn_back = squash(doc.text[a:b])
    schedule.earn_back_citation = _sentence_cite(doc, a, b)
    for d in durations(doc.text, a, b):
        if d.unit == "month":
            schedule.earn_back_months = int(d.value)
            break


def _sentence_cite(doc: ContractDoc, a: int, b: int) -> SourceSpan | None:
    return doc.cite(a, b)


def extract_sla_schedule(doc: ContractDoc) -> SlaSchedule:
    schedule = SlaSchedule(contract_source=doc.source)
    schedule.terms = _table_terms(doc)
    table_rows = {row.start for rows in _table_blocks(doc.text) for row in rows}
    schedule.terms += _prose_terms(doc, table_rows)
    _cap(doc, schedule)
    _earn_back(doc, schedule)
    return schedule
