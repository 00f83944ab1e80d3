"""Contract commands: `clauses`, `obligations`, `key-terms`, `sla-schedule` (`sla`, the SLA
calculator, is drafting's). Registered on the main app when assistant.surfaces.cli imports this module."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from assistant.citation_label import clause_label
from assistant.drafting.sla_calc import credit_rule
from assistant.errors import InvalidInput
from assistant.surfaces.cli import _print_json, _state, app, out


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
def clauses(ctx: typer.Context, type_: str = typer.Option(..., "--type", help='clause type, e.g. "Termination for Convenience"'),
            contract: Optional[str] = typer.Option(None, "--contract", help="one contract (its path or file name)"),
            k: int = typer.Option(5, "--k", min=1, max=50), as_json: bool = typer.Option(False, "--json")):
    """Find a clause type in one contract or across every contract you can read."""
    state = _state(ctx)
    result = _state(ctx).service.contracts.lookup(type_, state.caller, source=contract, k=k)
    if as_json:
        _print_json(result)
        return
    if not result.found:
        out.print(result.message, markup=False)
        return
    for i, hit in enumerate(result.results, 1):
        where = " ".join(x for x in (clause_label(hit.clause_no, hit.clause_heading), hit.clause_heading,
                                     f"p.{hit.page_start}" if hit.page_start else "") if x)
        out.print(f"[bold]{i}. {escape(hit.source)}[/bold] [dim]{escape(where)} score {hit.score:.2f}[/dim]", highlight=False)
        out.print("   " + " ".join(hit.quote.split())[:500], markup=False)


@app.command()
def obligations(ctx: typer.Context, contract: Optional[str] = typer.Option(None, "--contract", help="one contract (default: all)"),
                fmt: ExportFormat = typer.Option(ExportFormat.json, "--format", help="csv | xlsx | json"),
                out_file: Optional[Path] = typer.Option(None, "--out", help="write here instead of stdout (required for xlsx)")):
    """The obligation register (obligations, prohibitions and rights with deadlines and clause refs)."""
    from assistant.contracts.export import render

    if fmt == ExportFormat.xlsx and out_file is None:
        raise InvalidInput("--format xlsx needs --out FILE")
    register = _state(ctx).service.contracts.obligations(_state(ctx).caller, source=contract)
    data = render(register, fmt.value)
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_bytes(data)
        out.print(f"wrote {len(register.obligations)} obligations and {len(register.rights)} rights to {out_file}", markup=False)
    else:
        sys.stdout.write(data.decode("utf-8") + ("" if data.endswith(b"\n") else "\n"))


@app.command("key-terms")
def key_terms(ctx: typer.Context, contract: str = typer.Argument(..., help="the contract (its path or file name)"),
              as_json: bool = typer.Option(False, "--json")):
    """Parties, dates, term and renewal, notice periods, liability caps and governing law, with sources."""
    terms = _state(ctx).service.contracts.key_terms(contract, _state(ctx).caller)
    if as_json:
        _print_json(terms)
        return
    table = Table(title=f"Key terms: {terms.source}")
    for col in ("term", "value", "clause", "quote"):
        table.add_column(col)
    for p in terms.parties:
        table.add_row("party", f"{p.name} ({', '.join(p.defined_as)})", "", _q(p.citation))
    for label, item in (("agreement date", terms.agreement_date), ("effective date", terms.effective_date),
                        ("expiration date", terms.expiration_date)):
        if item:
            basis = f" ({item.basis})" if item.basis else ""
            table.add_row(label, f"{item.text} {item.iso}".strip() + basis, item.citation.clause_no, _q(item.citation))
    if terms.indefinite_term:
        table.add_row("term", "no fixed end", terms.indefinite_term.citation.clause_no, _q(terms.indefinite_term.citation))
    for label, item in (("initial term", terms.initial_term), ("renewal term", terms.renewal_term)):
        if item:
            table.add_row(label, f"{item.text} ({item.days} days)", item.citation.clause_no, _q(item.citation))
    for n in terms.notice_periods:
        unit = "business days" if n.business_days else "days"
        table.add_row(f"notice: {n.kind}", f"{n.days} {unit} {n.party}".strip(), n.citation.clause_no, _q(n.citation))
    for cap in terms.liability_caps:
        table.add_row("liability cap", cap.text[:80], cap.citation.clause_no, _q(cap.citation))
    if terms.governing_law:
        table.add_row("governing law", terms.governing_law.jurisdiction, terms.governing_law.citation.clause_no,
                      _q(terms.governing_law.citation))
    out.print(table)
    for note in terms.notes:
        out.print(f"[dim]{note}[/dim]")


@app.command("sla-schedule")
def sla_schedule(ctx: typer.Context, contract: str = typer.Argument(..., help="the SOW (its path or file name)"),
        as_json: bool = typer.Option(False, "--json")):
    """The SLA schedule of a SOW: metrics, targets, windows, service credits, credit cap, earn-back."""
    schedule = _state(ctx).service.contracts.sla_schedule(contract, _state(ctx).caller)
    if as_json:
        _print_json(schedule)
        return
    table = Table(title=f"SLA schedule: {schedule.contract_source}")
    for col in ("metric", "target", "window", "credit", "clause", "unknown"):
        table.add_column(col)
    for t in schedule.terms:
        if t.target_percent is not None:
            target = f"{t.comparator} {t.target_percent:g}% {t.threshold}".strip()
        else:
            target = f"{t.comparator} {t.threshold}" if t.threshold else ""
        unknown = "; ".join(f"{u.field}: {u.reason}" for u in t.unknown)
        table.add_row(t.metric, target, t.measurement_window, credit_rule(t.credit) if t.credit else "",
                      t.citation.clause_no, unknown)
    out.print(table)
    if schedule.credit_cap_percent is not None:
        out.print(f"credit cap: {schedule.credit_cap_percent:g}% of monthly fees", markup=False)
    if schedule.earn_back:
        out.print(f"earn-back: {schedule.earn_back}", markup=False)
    if not schedule.terms:
        out.print("No service-level table or SLA sentences found in this document.")


def _q(citation) -> str:
    return " ".join(citation.quote.split())[:90] if citation else ""
