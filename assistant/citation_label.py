"""How a citation names its clause, the same on every surface.

A chunk's ``clause_no`` is a number ("12.2") or a numbered part named by its own word ("Schedule
A", "Exhibit 10.21", "Article IV"). A number reads "clause 12.2"; a named part reads as it is
("clause Exhibit 10.21" would be wrong twice over). Nothing is added when the heading shown next
to it already says it ("12.2 Termination for Convenience", "SCHEDULE A - SERVICE LEVELS").
"""

from __future__ import annotations

import re


def clause_label(clause_no: str, shown: str = "") -> str:
    """'clause 12.2', 'Schedule A', or '' (no clause, or `shown` already names it)."""
    if not clause_no:
        return ""
    # Whole-token match: clause "4" is not named by "14 Term" or "4.1", "Schedule A" is by "SCHEDULE A -".
    if re.search(rf"(?<![\w.]){re.escape(clause_no)}(?!\.?\w)", shown, re.IGNORECASE):
        return ""
    return clause_no if " " in clause_no else f"clause {clause_no}"
