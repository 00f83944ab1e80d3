"""SLA schedule extraction from a SOW: the service-level table (rows arrive as text lines with
cells joined by " | ") and SLA prose, plus the credit cap and earn-back clauses.

Every term cites the line or sentence it was read from, quoted verbatim from the chunk holding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.contracts.document import ContractDoc
from assistant.text.quantities import durations, money, percents
from assistant.contracts.sla_meaning import blank, direction, threshold_seconds, time_threshold
from assistant.contracts.sla_models import ServiceCredit, SlaSchedule, SlaTerm, SourceSpan, UnknownValue
from assistant.contracts.sla_prose import apply_prose_credits, apply_schedule_window, apply_tiers, field_terms, prose_terms
from assistant.contracts.sla_tiers import credit_tiers
from assistant.text.clauses import sentence_spans, squash

# Header cell -> field. First matching pattern wins; order matters ("service credit" before "service level").
_COLUMNS: list[tuple[str, re.Pattern]] = [
    ("credit", re.compile(r"credit|penalt|fee\s+reduction|at[- ]risk|remed", re.I)),
    ("definition", re.compile(r"definition|description|how\s+measured|calculation|meaning|performance\s+standard", re.I)),
    ("window", re.compile(r"measurement|window|period|frequency", re.I)),
    ("reporting", re.compile(r"report", re.I)),
    ("target", re.compile(r"target|expected|minimum|standard|commitment|threshold|objective|requirement|level\s+required|"
                          r"acceptable\s+quality\s+level|\baql\b", re.I)),
    ("metric", re.compile(r"metric|service\s+level|\bsla\b|\bkpi\b|measure|indicator|name|service|deliverable", re.I)),
]


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
        if re.fullmatch(r"\s*\|?[\s:|-]*-{3,}[\s:|-]*\|?\s*", line):
            continue  # a Markdown table's |---|---| rule
        if " | " in line or line.strip().startswith("|"):
            current.append(_Row(start, end, [c.strip() for c in line.strip().strip("|").split("|")]))
        elif line.strip() and current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _header_map(cells: list[str]) -> dict[str, int]:
    # A header row names its columns in a few words; long cells or figures mean a row of data.
    if any(re.search(r"\d\s*%|[≥≤]", c) or len(c) > 60 for c in cells):
        return {}
    mapping: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for field, pattern in _COLUMNS:
            if field not in mapping and pattern.search(cell):
                mapping[field] = i
                break
    return mapping if "metric" in mapping and ("target" in mapping or "credit" in mapping) else {}


def parse_target(text: str, metric: str = "", context: str = "") -> tuple[float | None, str | None, str]:
    """'≥ 95% of emails answered within 24 hours' -> (95.0, '>=', 'within 24 hours'); the direction
    is None when neither the words nor the metric's meaning give it."""
    pct = percents(text)
    return (pct[0][0] if pct else None), direction(metric, text, context), time_threshold(text)


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
        basis = re.search(r"%\s*(?:\))?\s*of\s+(?:the\s+)?(.+?)(?:;|,\s*(?:or|and)?\s*\d|\s+if\b|\s+for\s+each\b|\s+per\s+(?:failure|incident|occurrence)\b|\.\s|$)", first_clause, re.I)
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
    credit.tiers = credit_tiers(t)
    credit.per_failure = bool(re.search(r"(?i)\bfor\s+each\s+(?:time|failure|incident|occasion|instance|breach|miss)\b|\bper\s+(?:failure|incident|occurrence)\b", t))
    if credit.percent_of_fees is None and credit.amount is None and not credit.tiers:
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
    definition = _cell(row, header, "definition")
    value, comparator, threshold = parse_target(target_text, metric, definition)
    if not threshold and definition:
        threshold = time_threshold(definition, bare=False)  # "within 7 calendar days of the dispute notice"
    credit_text = _cell(row, header, "credit")
    term = SlaTerm(
        metric=metric, definition=definition, target_percent=value, comparator=comparator or ">=", threshold=threshold,
        threshold_seconds=threshold_seconds(threshold) if threshold else None,
        measurement_window=_cell(row, header, "window"), reporting=_cell(row, header, "reporting"),
        credit=parse_credit(credit_text), citation=citation,
    )
    if comparator is None:
        term.unknown.append(UnknownValue(field="comparator", reason="nothing in the text says whether higher or lower is better",
                                         citation=citation))
    if blank(target_text) or (target_text and value is None and not threshold):
        term.unknown.append(UnknownValue(field="target", reason=f"the target {target_text!r} is not a figure", citation=citation))
    if credit_text and term.credit is None and not re.match(r"(?i)\s*(?:none|n/?a|not\s+applicable|-|no\s+credit)\b", credit_text):
        term.unknown.append(UnknownValue(field="credit", reason=f"the credit {credit_text!r} is not a percentage or amount",
                                         citation=citation))
    return term


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


def _merge(terms: list[SlaTerm]) -> list[SlaTerm]:
    """One term per metric: a second statement of the same metric fills what the first left out."""
    out: list[SlaTerm] = []
    for t in terms:
        same = next((o for o in out if _key(o.metric) == _key(t.metric)), None)
        if same is None:
            out.append(t)
            continue
        fields = ["measurement_window", "credit", "definition"]
        if same.target_percent is None and not same.threshold:  # a target stated once, completed elsewhere
            fields += ["target_percent", "threshold", "threshold_seconds", "comparator"]
        for field in fields:
            if not getattr(same, field) and getattr(t, field) or field == "comparator" and "target_percent" in fields:
                setattr(same, field, getattr(t, field))
        known = {"credit"} if same.credit else set()
        if same.target_percent is not None or same.threshold:
            known.add("target")
        same.unknown = [u for u in [*same.unknown, *t.unknown] if u.field not in known]
    return out


def _key(metric: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[a-z0-9]+", metric.lower()) if w not in ("the", "target", "of"))


def extract_sla_schedule(doc: ContractDoc) -> SlaSchedule:
    schedule = SlaSchedule(contract_source=doc.source)
    table_rows = {row.start for rows in _table_blocks(doc.text) for row in rows}
    schedule.terms = _merge(_table_terms(doc) + field_terms(doc) + prose_terms(doc, table_rows))
    apply_tiers(doc, schedule.terms)
    apply_prose_credits(doc, schedule.terms)
    apply_schedule_window(doc, schedule.terms)
    for t in schedule.terms:
        t.unknown = list({(u.field, u.citation.quote if u.citation else ""): u for u in t.unknown}.values())
    _cap(doc, schedule)
    _earn_back(doc, schedule)
    return schedule
