"""`bpo-assistant audit`: who asked what, as which role."""

from __future__ import annotations

import json
import sys

import typer

from assistant.surfaces.cli.root import _state, json_option, out
from assistant.surfaces.cli.console import short_time


def register(app: typer.Typer) -> None:
    app.command()(audit)


def audit(ctx: typer.Context,
          since: str = typer.Option("1d", "--since", metavar="WHEN", help="ISO time or a span like 30m, 12h, 7d"),
          as_json: bool = json_option()):
    """The audit log: who asked what, as which role (admin sees all, others their own).

    Also which chunks came back and whether the answer was grounded."""
    from assistant.audit import parse_since

    state = _state(ctx)
    events = state.service.audit_events(state.caller, parse_since(since))
    if as_json:
        sys.stdout.write(json.dumps({"events": [e.model_dump() for e in events]}) + "\n")
        return
    out.print(_audit_table(events, out.width))


# Eight columns fit side by side only on a wide terminal; below this who asked and what came back
# go on a second line under the question, so nothing is cut to a few characters at 80 columns.
_WIDE_AUDIT_TABLE = 140


def _audit_table(events, width: int):
    from rich.table import Table
    from rich.text import Text

    table = Table()
    if width < _WIDE_AUDIT_TABLE:
        table.add_column("at (UTC)", no_wrap=True)
        table.add_column("action", no_wrap=True)
        table.add_column("question / who, result", overflow="fold")
        for e in events:
            result = f"{len(e.chunk_ids)} chunks" + ("" if e.grounded is None else f", grounded: {_yes_no(e.grounded)}")
            who = f"{e.caller} ({','.join(e.roles) or 'no role'}) via {e.surface} · {result}"
            table.add_row(short_time(e.at), e.action, Text(e.question[:300] or e.detail) + Text("\n" + who, style="dim"))
        return table
    for col in ("at (UTC)", "action", "caller", "roles", "surface", "question", "chunks", "grounded"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(short_time(e.at), e.action, e.caller, ",".join(e.roles), e.surface, Text(e.question[:300] or e.detail),
                      str(len(e.chunk_ids)), "" if e.grounded is None else _yes_no(e.grounded))
    return table


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
