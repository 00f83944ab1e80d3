"""`bpo-assistant conflicts [--source S] [--json]`: SOP/runbook instructions that contradict a
contract as in force. Registered on the main app when assistant.surfaces.cli imports this module."""

from __future__ import annotations

from typing import Optional

import typer

from assistant.surfaces.cli.root import _print_json, _state, json_option, out


def register(app: typer.Typer) -> None:
    app.command()(conflicts)


KIND_WORDS = {"sop_looser": "SOP looser than contract", "sop_stricter": "SOP stricter than contract",
              "different_channel": "different notice channel"}


def conflicts(ctx: typer.Context,
              source: Optional[str] = typer.Option(None, "--source", metavar="S",
                                                   help="only conflicts one side of which is this document (path or file name)"),
              as_json: bool = json_option()):
    """SOP instructions that contradict a contract.

    Time limits, targets, amounts, frequencies and notice channels, both quotes cited; agreeing
    figures are not listed."""
    state = _state(ctx)
    report = state.service.conflicts(state.caller, source=source)
    if as_json:
        _print_json(report)
        return
    print_conflicts(report.conflicts)
    checked = report.checked
    out.print(f"{len(report.conflicts)} conflicts; checked {checked.get('sop_documents', 0)} SOPs/runbooks against "
              f"{checked.get('contracts', 0)} contracts ({checked.get('pairs_agreeing', 0)} matching statements agree)",
              markup=False, highlight=False)


def print_conflicts(items) -> None:
    """One block per conflict: kind, topic, the two quotes with their values."""
    from rich.text import Text

    for n, c in enumerate(items, 1):
        out.print(Text(f"{n}. {KIND_WORDS.get(c.kind, c.kind)}: {c.topic}", style="bold"), highlight=False)
        for item in c.items:
            where = f" clause {item.clause_no}" if item.clause_no else ""
            out.print(Text(f"   {item.source}{where} [{item.value}]: ", style="dim") + Text(" ".join(item.quote.split())[:240]),
                      highlight=False)
        out.print(Text(f"   {c.explanation}"), highlight=False)
