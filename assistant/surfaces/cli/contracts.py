"""Contract commands: `clauses`, `obligations`, `key-terms`, `sla-schedule` (`sla`, the SLA
calculator, is drafting's). Registered on the main app when assistant.surfaces.cli imports this module."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from assistant.errors import InvalidInput
from assistant.surfaces.cli.root import _print_json, _state, as_of_option, json_option, out


def register(app: typer.Typer) -> None:
    app.command()(clauses)
    app.command()(obligations)
    app.command("key-terms")(key_terms)
    app.command("sla-schedule")(sla_schedule)


CONTRACT_HELP = "the contract (its path as indexed, or its file name)"


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def clauses(ctx: typer.Context,
            type_: str = typer.Option(..., "--type", metavar="TYPE", help='clause type, e.g. "Termination for Convenience"'),
            contract: Optional[str] = typer.Option(None, "--contract", metavar="CONTRACT", help=f"only {CONTRACT_HELP}"),
            k: int = typer.Option(5, "--k", min=1, max=50, metavar="K", help="how many clauses"), as_json: bool = json_option(),
            as_of: Optional[str] = as_of_option()):
    """Find a clause type in one contract or in all of them.

    "All of them" means every contract you can read. A clause an amendment in force replaced comes
    after the amending one, labelled superseded."""
    from rich.markup import escape

    from assistant.answering.citations import clause_label

    state = _state(ctx)
    result = state.service.contracts.lookup(type_, state.caller, source=contract, k=k, as_of=as_of)
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
        if hit.superseded_by or hit.in_force_from:  # never shown as if current (issue 26)
            out.print("   " + (f"superseded: {hit.superseded_by}" if hit.superseded_by else f"not in force until {hit.in_force_from}"),
                      markup=False, highlight=False)
        out.print("   " + " ".join(hit.quote.split())[:500], markup=False)


def obligations(ctx: typer.Context,
                contract: Optional[str] = typer.Option(None, "--contract", metavar="CONTRACT",
                                                       help=f"only {CONTRACT_HELP} (default: every contract you can read)"),
                fmt: Optional[ExportFormat] = typer.Option(None, "--format", metavar="csv|xlsx|json",
                                                           help="export the whole register (default: a table to read)"),
                out_file: Optional[Path] = typer.Option(None, "--out", metavar="FILE",
                                                        help="write the export here instead of stdout (required for xlsx)")):
    """The obligation register: who must do what, by when.

    Obligations, prohibitions and rights with deadlines and clause numbers: a table to read, or the
    whole register with quotes as CSV, XLSX or JSON (--format)."""
    from assistant.contracts.export import render

    if fmt == ExportFormat.xlsx and out_file is None:
        raise InvalidInput("--format xlsx needs --out FILE")
    if fmt is None and out_file is not None:
        raise InvalidInput("--out needs --format csv|xlsx|json")
    state = _state(ctx)
    register = state.service.contracts.obligations(state.caller, source=contract)
    if fmt is None:
        _print_register(register)
        return
    data = render(register, fmt.value)
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_bytes(data)
        out.print(f"wrote {len(register.obligations)} obligations and {len(register.rights)} rights to {out_file}", markup=False)
    else:
        sys.stdout.write(data.decode("utf-8") + ("" if data.endswith(b"\n") else "\n"))


# The action as written, cut here: the export (--format) has every field and the whole quote.
_ACTION_CHARS = 120
_KIND = {"obligation": "must", "prohibition": "must not", "right": "may"}


def _print_register(register) -> None:
    """The register as one table per contract: clause, who, must/must not/may, what, when."""
    from rich.table import Table

    items = register.obligations + register.rights
    for source in dict.fromkeys(o.source for o in items):
        table = Table(title=source, title_justify="left")
        table.add_column("clause", no_wrap=True)
        table.add_column("who", max_width=16, overflow="fold")
        table.add_column("", no_wrap=True)  # must / must not / may
        table.add_column("what", ratio=1, overflow="fold")  # takes the width the others leave
        table.add_column("when", max_width=18, overflow="fold")
        for o in (o for o in items if o.source == source):
            action = o.action if len(o.action) <= _ACTION_CHARS else o.action[: _ACTION_CHARS - 1] + "…"
            when = "; ".join(x for x in (o.deadline, o.recurrence, o.trigger) if x)
            table.add_row(o.clause_no, o.obligated_party or o.party_term, _KIND.get(o.kind, o.kind), action, when)
        out.print(table)
    for note in register.notes:
        out.print(f"note: {note}", markup=False, highlight=False)
    out.print(f"{len(register.obligations)} obligations and {len(register.rights)} rights; the full register with quotes: "
              "--format csv|xlsx|json", markup=False, highlight=False)


def key_terms(ctx: typer.Context, contract: str = typer.Argument(..., metavar="CONTRACT", help=CONTRACT_HELP),
              as_json: bool = json_option(), as_of: Optional[str] = as_of_option()):
    """Parties, dates, renewal, notice, caps, governing law.

    Each with the clause it comes from, as amended on --as-of (today by default)."""
    from rich.table import Table

    terms = _state(ctx).service.contracts.key_terms(contract, _state(ctx).caller, as_of=as_of)
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
    _print_amendments(terms)
    for note in terms.notes:
        out.print(f"[dim]{note}[/dim]")


def sla_schedule(ctx: typer.Context, contract: str = typer.Argument(..., metavar="SOW", help="the SOW (its path as indexed, or its file name)"),
                 as_json: bool = json_option(), as_of: Optional[str] = as_of_option()):
    """A SOW's SLA table: targets, windows, credits.

    Metrics, targets, measurement windows, service credits, the credit cap and earn-back, as
    amended on --as-of (today by default)."""
    from rich.table import Table

    from assistant.drafting.sla_calc import credit_rule

    schedule = _state(ctx).service.contracts.sla_schedule(contract, _state(ctx).caller, as_of=as_of)
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
    _print_amendments(schedule)
    if not schedule.terms:
        out.print("No service-level table or SLA sentences found in this document.")


def _print_amendments(result) -> None:
    """What the amendments in force changed (KeyTermsInForce / SlaScheduleInForce)."""
    changes = getattr(result, "amendments", [])
    if changes:
        out.print(f"In force on {result.as_of}:", markup=False)
    for c in changes:
        out.print(f"  {c.summary} ({c.amendment})", markup=False, highlight=False)
    for text in getattr(result, "may_change", []):  # not applied: no single clause clearly meant
        out.print(f"  {text}", markup=False, highlight=False)


def _q(citation) -> str:
    return " ".join(citation.quote.split())[:90] if citation else ""
