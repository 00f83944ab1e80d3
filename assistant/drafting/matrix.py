"""Reading an escalation matrix and escalation triggers out of retrieved runbook chunks.

A matrix table has rows `Level | Role | Name | Email | Phone | Response time` (a header row names
the columns when the chunk holds it; tables split across chunks keep the document's column
order). Trigger tables have rows `Situation | Start at | Escalate to next level if`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafting.evidence import table_rows
from assistant.models import SearchResult

MATRIX_COLUMNS = ("level", "role", "name", "email", "phone", "response time")
_LEVEL = re.compile(r"^level\s*(\d+)$", re.IGNORECASE)


@dataclass
class Contact:
    level: int
    role: str
    name: str
    email: str
    phone: str
    response_time: str
    table: str  # the section the table sits in, e.g. "2. Lumen Escalation Levels"
    result: SearchResult
    line: str  # the verbatim table row (the quote to cite)

    @property
    def label(self) -> str:
        return f"Level {self.level}"


@dataclass
class Trigger:
    situation: str
    start_at: str
    escalate_if: str
    result: SearchResult
    line: str


def _header_index(cells: list[str]) -> dict[str, int] | None:
    lowered = [c.lower() for c in cells]
    if "level" in lowered and "role" in lowered:
        return {name: lowered.index(name) for name in MATRIX_COLUMNS if name in lowered}
    return None


def parse_contacts(results: list[SearchResult]) -> list[Contact]:
    headers: dict[tuple[str, str], dict[str, int]] = {}
    contacts: list[Contact] = []
    seen: set[tuple[str, int, str]] = set()
    # Chunks holding the header row first, so split tables get their column order.
    for r in sorted(results, key=lambda r: (r.doc_id, r.section_path, r.char_start)):
        key = (r.doc_id or r.source, r.section_path)
        for line, cells in table_rows(r):
            header = _header_index(cells)
            if header:
                headers[key] = header
                continue
            m = _LEVEL.match(cells[0]) if cells else None
            if not m or len(cells) < 5:
                continue
            idx = headers.get(key) or {name: i for i, name in enumerate(MATRIX_COLUMNS)}
            get = lambda name: cells[idx[name]] if name in idx and idx[name] < len(cells) else ""  # noqa: E731
            table = r.section_path.split(" > ")[-1] if r.section_path else r.title
            if (key[0], int(m.group(1)), table) in seen:
                continue
            seen.add((key[0], int(m.group(1)), table))
            contacts.append(Contact(int(m.group(1)), get("role"), get("name"), get("email"), get("phone"),
                                    get("response time"), table, r, line))
    return contacts


def vendor_contacts(contacts: list[Contact], vendor: str, client: str = "") -> list[Contact]:
    """The vendor's own escalation levels: the table whose heading names the vendor."""
    tables: dict[str, list[Contact]] = {}
    for c in contacts:
        tables.setdefault(c.table, []).append(c)
    words = [w for w in re.findall(r"[a-z0-9]+", vendor.lower()) if len(w) > 2 and w not in ("bpo", "services", "ltd", "inc")]
    client_words = [w for w in re.findall(r"[a-z0-9]+", client.lower()) if len(w) > 2]
    for table, rows in tables.items():
        if words and any(w in table.lower() for w in words):
            return sorted(rows, key=lambda c: c.level)
    for table, rows in tables.items():
        if not (client_words and any(w in table.lower() for w in client_words)):
            return sorted(rows, key=lambda c: c.level)
    return []


def parse_triggers(results: list[SearchResult]) -> list[Trigger]:
    triggers, seen = [], set()
    for r in results:
        for line, cells in table_rows(r):
            if len(cells) != 3 or cells[0].lower() == "situation" or line in seen:
                continue
            if "level" not in cells[1].lower() and "contact" not in cells[1].lower():
                continue
            seen.add(line)
            triggers.append(Trigger(cells[0], cells[1], cells[2], r, line))
    return triggers


def trigger_for(triggers: list[Trigger], severity: str, sla_missed: bool) -> Trigger | None:
    sev = severity.strip().upper().replace(" ", "-")
    if sev:
        for t in triggers:
            if sev in t.situation.upper().replace(" ", "-"):
                return t
    if sla_missed:
        for t in triggers:
            if "sla" in t.situation.lower():
                return t
    return None


def start_level(trigger: Trigger) -> int | None:
    m = re.search(r"level\s*(\d+)", trigger.start_at, re.IGNORECASE)
    return int(m.group(1)) if m else None


def hours_limit(trigger: Trigger) -> float | None:
    """'Not downgraded within 4 hours' / 'incident lasts more than 2 hours' -> the longest such limit."""
    found = [float(h) for h in re.findall(r"(\d+(?:\.\d+)?)\s*hours?", trigger.escalate_if, re.IGNORECASE)]
    return max(found) if found else None
