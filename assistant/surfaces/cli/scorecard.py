"""`bpo-assistant scorecard`: the vendor scorecard over a contract's metrics history. Registered on
the main app when assistant.surfaces.cli imports this module."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.surfaces.cli.root import _print_json, _state, err, json_option, out
from assistant.surfaces.cli.drafts import _MAP, _METRIC, fee_values


def register(app: typer.Typer) -> None:
    app.command("scorecard")(scorecard)


def scorecard(ctx: typer.Context,
              contract: str = typer.Option(..., "--contract", metavar="SOURCE", help="the SOW's source path or its file name"),
              metrics: Optional[Path] = typer.Option(None, "--metrics", metavar="FILE",
                                                     help="tickets, daily KPIs or monthly figures (.csv, .xlsx), added to the "
                                                          "contract's history first; without it the history alone is used"),
              first: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM", help="first month shown (default: the history's)"),
              last: Optional[str] = typer.Option(None, "--to", metavar="YYYY-MM", help="last month shown (default: the history's)"),
              as_json: bool = json_option(),
              out_dir: Optional[Path] = typer.Option(None, "--out", metavar="DIR",
                                                     help="write scorecard.md, scorecard.xlsx and a trend chart per metric here"),
              escalate: bool = typer.Option(False, "--escalate",
                                            help="with --out: also write the escalation draft for each persistent failure"),
              mapping: Optional[str] = _MAP, metric: Optional[str] = _METRIC,
              tz: str = typer.Option("UTC", "--timezone", metavar="ZONE", help="zone of naive timestamps and of the months"),
              fees: Optional[str] = typer.Option(None, "--fees", metavar="LINE=AMOUNT,...",
                                                 help="monthly fees, e.g. email=120000,chat=90000,total=318000")):
    """Monthly SLA adherence, credits, persistent failures and earn-back for a vendor review.

    Each figure is cited to its clause; --out writes the review pack."""
    from assistant.drafting.metrics import parse_mapping
    from assistant.drafting.months import check_months

    check_months(from_=first, to=last)  # before the store and the model load
    state = _state(ctx)
    drafts = state.service.drafts
    card = drafts.scorecard(contract, state.caller, metrics, columns=parse_mapping(mapping), metric=metric, first=first,
                            last=last, timezone=tz, fees=fee_values(fees))
    written: list[Path] = []
    if out_dir:
        from assistant.drafting.scorecard_files import write_scorecard

        written = write_scorecard(card, out_dir)
        if escalate:
            written += drafts.scorecard_escalations(card, state.caller, out_dir)
    if as_json:
        _print_json(card)
    else:
        _print_summary(card)
    for path in written:
        err.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)


def _print_summary(card) -> None:
    from rich.table import Table

    from assistant.drafting.scorecard_render import STATUS_WORDS, credit_words, pct, target_words

    loaded = card.history
    if loaded:
        out.print(f"history: {loaded.rows_read} row(s) read, {loaded.added} added, {loaded.updated} updated, "
                  f"{loaded.unchanged} unchanged, {len(loaded.bad_rows)} bad", markup=False)
        for bad in loaded.bad_rows:
            out.print(f"  bad row {bad.row}: {bad.reason}", markup=False)
    table = Table(title=f"Scorecard {card.period_from} to {card.period_to} ({card.contract})")
    for col in ("month", "metric", "target", "actual", "result", "service credit", "clause"):
        table.add_column(col)
    for m in card.months:
        for x in m.metrics:
            table.add_row(m.month, x.name, target_words(x), pct(x.actual), STATUS_WORDS[x.status], credit_words(x),
                          x.citation.clause_no)
    out.print(table)
    for f in card.persistent_failures:
        out.print(f"PERSISTENT FAILURE ({f.rule}, clause {f.clause_no or '-'}): {f.metric} missed in {', '.join(f.months)}; "
                  f"right: {f.right or 'to confirm'}", markup=False)
    for e in card.earn_back:
        out.print(f"earn-back {e.month} {e.metric}: {e.status.replace('_', ' ')} ({e.reason})", markup=False)
    for note in card.notes:
        out.print(f"note: {note}", markup=False)
