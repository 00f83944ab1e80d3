"""A question may name the date whose terms apply: "as of 2025-06-01: notice to terminate?" (or
the phrase at the end). The date goes to the service as `as_of`; the rest is the question."""

from __future__ import annotations

import re

_AS_OF = re.compile(r"^\s*as[\s_-]of[\s=:]*(?P<lead>\d{4}-\d{2}-\d{2})\b[\s:,-]*|[\s(,]*\bas[\s_-]of[\s=:]*(?P<tail>\d{4}-\d{2}-\d{2})\)?\s*[?.]?\s*$",
                    re.I)


def split_as_of(text: str) -> tuple[str | None, str]:
    """(the date or None, the question without it)."""
    m = _AS_OF.search(text or "")
    if not m:
        return None, text
    return m.group("lead") or m.group("tail"), (text[: m.start()] + text[m.end() :]).strip()
