"""Tiered service credits: the credit that depends on how far the actual level fell.

Read from a table or from text in any of the usual wordings (a table flattened into a line reads
the same): "99.0% to Target Uptime | 10%", "99.0% - 99.9%: 10%", "under 95.0% 25%", "less than
99.0% but at least 95.0%: 25% of the monthly fees", "if Availability is below 99.9% but at or
above 99.0%, a credit of 10%".
"""

from __future__ import annotations

import re

from assistant.contracts.sla_models import CreditTier

_P = r"(\d{1,3}(?:\.\d+)?)\s*%"
_SEP = (r"[\s|:,;=\u2013\u2014-]*(?:(?:customer\s+(?:receives|will\s+receive|is\s+entitled\s+to)\s+)?(?:a|the)?\s*(?:service\s+)?"
        r"credit\s+(?:of\s+|equal\s+to\s+|is\s+|will\s+be\s+|shall\s+be\s+)?)?")
_RANGE = re.compile(
    rf"(?:(?:from|between)\s+)?{_P}\s*(?:to|-|\u2013|\u2014|and|through)\s*(?:{_P}|(?P<target>(?:the\s+)?target(?:\s+[a-z]+)?))"
    rf"(?:\s*\((?:exclusive|inclusive)\))?{_SEP}{_P}", re.I)
_UNDER = re.compile(rf"(?:under|below|less\s+than|lower\s+than|<)\s*{_P}(?:\s*but\s+(?:at\s+least|at\s+or\s+above|not\s+less\s+than|>=|≥)\s*{_P})?{_SEP}{_P}", re.I)
_PROSE = re.compile(
    rf"(?:below|less\s+than|under)\s+{_P}\s*(?:but|and)\s+(?:at\s+least|at\s+or\s+above|equal\s+to\s+or\s+(?:greater|more)\s+than|not\s+less\s+than)\s+{_P}"
    rf"[^.;%]{{0,60}}?{_P}", re.I)


def credit_tiers(text: str) -> list[CreditTier]:
    """The credit tiers written in `text`, in the order written; [] when there are fewer than two
    (one range with one credit is an ordinary credit, read elsewhere)."""
    tiers: list[tuple[int, CreditTier]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    for m in _PROSE.finditer(text):
        below, at_least, pct = (float(g) for g in m.groups())
        tiers.append((m.start(), CreditTier(at_least=at_least, below=below, percent_of_fees=pct)))
        taken.append(m.span())
    for m in _RANGE.finditer(text):
        if not free(m):
            continue
        low, high, pct = float(m.group(1)), m.group(2), float(m.group(4))
        if high is None and not m.group("target"):
            continue
        upper = float(high) if high is not None else None
        if upper is not None and upper < low:
            low, upper = upper, low
        tiers.append((m.start(), CreditTier(at_least=low, below=upper, below_target=upper is None, percent_of_fees=pct)))
        taken.append(m.span())
    for m in _UNDER.finditer(text):
        if not free(m):
            continue
        tiers.append((m.start(), CreditTier(at_least=float(m.group(2)) if m.group(2) else None, below=float(m.group(1)),
                                            percent_of_fees=float(m.group(3)))))
        taken.append(m.span())
    ordered = [t for _, t in sorted(tiers, key=lambda x: x[0])]
    return ordered if len(ordered) >= 2 else []


def tier_for(tiers: list[CreditTier], actual: float, target: float | None) -> CreditTier | None:
    """The tier an actual level falls in (bounds: at_least inclusive, below exclusive)."""
    for t in tiers:
        upper = target if t.below_target else t.below
        if (t.at_least is None or actual >= t.at_least) and (upper is None or actual < upper):
            return t
    return None
