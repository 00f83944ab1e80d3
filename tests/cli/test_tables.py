"""Tables a person reads at a normal terminal width: nothing cut to a few characters."""

from __future__ import annotations

from rich.console import Console

from assistant.audit import AuditEvent
from assistant.surfaces.cli.audit import _audit_table

QUESTION = "Which service credit applies when the email response SLA is missed twice in the same quarter by Lumen?"


def render(table, width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(table)
    return console.export_text()


def flat(text: str) -> str:
    """The table's words in reading order, without its borders (a wrapped cell reads on)."""
    return " ".join(text.translate({ord(c): " " for c in "│┃"}).split())


def events() -> list[AuditEvent]:
    return [
        AuditEvent(at="2026-11-24T02:17:31.123+00:00", action="ask", caller="key-3f2a9c1e5b", roles=["coordinator", "legal"],
                   surface="http", question=QUESTION, chunk_ids=["a" * 32, "b" * 32], grounded=True),
        AuditEvent(at="2026-11-24T02:18:00.000+00:00", action="ingest", caller="cli", roles=["admin"], surface="cli",
                   detail="root=samples/corpus indexed=8 failed=0"),
    ]


def test_audit_at_80_columns_keeps_every_value_whole():
    text = render(_audit_table(events(), 80), 80)
    assert max(len(line) for line in text.splitlines()) <= 80
    words = flat(text)
    for value in (QUESTION, "key-3f2a9c1e5b (coordinator,legal) via http · 2 chunks, grounded: yes", "2026-11-24 02:17",
                  "root=samples/corpus indexed=8 failed=0", "cli (admin) via cli"):
        assert value in words, value
    assert "…" not in text


def test_audit_on_a_wide_terminal_is_one_row_per_event():
    text = render(_audit_table(events(), 260), 260)
    rows = [line for line in text.splitlines() if "2026-11-24" in line]
    assert len(rows) == 2 and QUESTION in rows[0] and "coordinator,legal" in rows[0] and "yes" in rows[0]
