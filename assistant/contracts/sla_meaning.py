"""What a service-level target means: the figure, which way it is compared, and any time threshold.

The direction of the comparison comes from the words, never from where a number stands: an
explicit "at least" / "no more than" wins; otherwise the metric's meaning decides (uptime,
accuracy, satisfaction: higher is better; response time, handle time, abandonment, errors,
downtime: lower is better). A percentage of items handled "within 60 seconds" is a share that
should be high, whatever the metric is called. A direction nothing supports is reported unknown.
"""

from __future__ import annotations

import re

from assistant.text.quantities import durations, percents
from assistant.text.clauses import squash

_AT_MOST = re.compile(r"≤|<=|\bno\s+more\s+than\b|\bnot\s+(?:to\s+)?(?:more|greater|exceed\w*|longer)\b|\bat\s+most\b|\bmaximum\b|"
                      r"\bless\s+than\s+or\s+equal|\bor\s+(?:less|lower|fewer|shorter|better)\b|\bbelow\b|\bunder\b|\bless\s+than\b|"
                      r"\bfewer\s+than\b|\bshall\s+not\s+exceed\b|\bup\s+to\b|\bcap(?:ped)?\s+at\b", re.I)
_AT_LEAST = re.compile(r"≥|>=|\bat\s+least\b|\bminimum\b|\bno\s+(?:less|fewer)\s+than\b|\bnot\s+less\s+than\b|\bor\s+(?:more|higher|greater)\b|"
                       r"\bexceed\w*\b|\bmore\s+than\b|\bgreater\s+than\b|\babove\b", re.I)
_STRICT_LOW = re.compile(r"(?<![≤<])<(?!=)|\bless\s+than\b(?!\s+or\s+equal)|\bunder\b|\bfewer\s+than\b|\bbelow\b", re.I)
_STRICT_HIGH = re.compile(r"(?<![≥>])>(?!=)|\bmore\s+than\b|\bgreater\s+than\b|\bexceed\w*\b|\babove\b", re.I)

HIGHER_IS_BETTER = re.compile(
    r"\b(?:uptime|availab\w*|accura\w*|quality|satisf\w*|csat|nps|net\s+promoter|first\s+(?:contact|call)\s+resolution|fcr|"
    r"resolution\s+rate|service\s+level|answered|on[- ]time|timeliness|complian\w*|adherence|completion|success|"
    r"retention|occupancy|productivity|throughput|coverage|schedule\s+adherence|qa\s+score|score)\b", re.I)
LOWER_IS_BETTER = re.compile(
    r"\b(?:response\s+time|resolution\s+time|time\s+to\s+(?:respond|resolve|restore|answer|repair|acknowledge)|handle\s+time|"
    r"handling\s+time|aht|speed\s+of\s+answer|asa|abandon\w*|error\w*|defect\w*|downtime|latency|backlog|turnaround|tat|"
    r"mttr|mean\s+time|delay\w*|complaints?|escalations?|attrition|outages?|incidents?|failures?|re-?opens?|repeat\s+calls?|"
    r"wait\s+time|queue\s+time|processing\s+time|response|resolution)\b", re.I)
_WITHIN = re.compile(
    r"\bwithin\s+(?:\d+(?:\.\d+)?|[a-z-]+\s*\(\s*\d+\s*\))\s*(?:business\s+|calendar\s+|working\s+)?(?:seconds?|minutes?|hours?|days?)\b", re.I)


def direction(metric: str, target_text: str, context: str = "") -> str | None:
    """'>=' or '<=' (or strict '>'/'<') for a target, or None when nothing says which way."""
    text = target_text or ""
    pct = percents(text)
    if _AT_MOST.search(text) and not (pct and _WITHIN.search(text) and not re.search(r"≤|<=|no\s+more\s+than", text)):
        return "<" if _STRICT_LOW.search(text) and not re.search(r"or\s+(?:less|lower)|≤|<=|or\s+equal", text, re.I) else "<="
    if _AT_LEAST.search(text):
        return ">" if _STRICT_HIGH.search(text) and not re.search(r"or\s+(?:more|higher)|≥|>=|or\s+equal", text, re.I) else ">="
    if pct and _WITHIN.search(f"{text} {context}"):
        return ">="  # a share of items handled within a time: the higher the better
    # A time with no share ("Target Response Time: 4 hours") is a maximum; a rate is judged by its name.
    name = f"{metric} {context}"
    if not pct and durations(text) and LOWER_IS_BETTER.search(name):
        return "<="
    lower, higher = LOWER_IS_BETTER.search(metric), HIGHER_IS_BETTER.search(metric)
    if lower and not higher:
        return "<="
    if higher and not lower:
        return ">="
    if lower and higher:
        # "First Contact Resolution" is one name (higher is better); in "Email Response Service Level" or
        # "Response Time Compliance" the last words say what is measured.
        if higher.start() <= lower.start() and lower.end() <= higher.end():
            return ">="
        return "<=" if lower.start() > higher.start() else ">="
    if LOWER_IS_BETTER.search(context) and not HIGHER_IS_BETTER.search(context):
        return "<="
    if HIGHER_IS_BETTER.search(context):
        return ">="
    return None


def time_threshold(text: str, bare: bool = True) -> str:
    """'≥ 95% of emails answered within 24 hours' -> 'within 24 hours'; with `bare`, a time alone
    ('Target Response Time: 4 hours') -> '4 hours'."""
    m = _WITHIN.search(text or "")
    if m:
        return squash(m.group(0))
    if not bare:
        return ""
    found = [d for d in durations(text or "") if d.unit in ("second", "minute", "hour", "day", "business_day", "week")]
    return squash(found[0].text) if found and not percents(text) else ""


def threshold_seconds(threshold: str) -> float | None:
    """Seconds for 'within 60 seconds' / '24 hours' / '7 calendar days'; None for business days (not a fixed span)."""
    ds = durations(threshold)
    if not ds or ds[0].business:
        return None
    return ds[0].seconds


_BLANK = re.compile(r"\[\s*(?:_+|#|\s*)\s*\]|\{[a-z_]+\}|_{3,}|\bTBD\b|\bTBC\b|\bto\s+be\s+(?:agreed|confirmed|determined)\b|\[\s*\*+\s*\]", re.I)


def blank(text: str) -> str:
    """The blank or placeholder in a value ("[__]%", "{uptime}", "TBD"), or ''."""
    m = _BLANK.search(text or "")
    return m.group(0) if m else ""
