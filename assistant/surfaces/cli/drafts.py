"""`bpo-assistant draft rca|escalation` and `bpo-assistant sla`: the `draft` group and the SLA
calculator, added to the main app by `register(app)`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import typer

from assistant.errors import InvalidInput
from assistant.surfaces.cli.root import APP_OPTIONS, _print_json, _state, err, json_option, out


def register(app: typer.Typer) -> None:
    app.add_typer(draft_app, name="draft")
    app.command("sla")(sla)


draft_app = typer.Typer(help="Draft RCA reports and vendor escalations (never sent).", **APP_OPTIONS)


def _incident_with_options(path: Path, mapping: Optional[str], metric: Optional[str], month: Optional[str]):
    from assistant.drafting.incident import MetricsMapping, SlaWindow, load_incident
    from assistant.drafting.metrics import parse_mapping

    incident = load_incident(path)
    updates = {}
    if mapping:
        base = incident.metrics.model_dump() if incident.metrics else {}
        base["columns"] = {**base.get("columns", {}), **parse_mapping(mapping)}
        updates["metrics"] = MetricsMapping.model_validate(base)
    if metric:
        updates["sla_metric"] = metric
    if month:
        updates["sla_window"] = SlaWindow(month=month)
    return incident.model_copy(update=updates) if updates else incident


def _draft(ctx: typer.Context, kind: str, incident: Path, metrics: Optional[Path], out_dir: Optional[Path],
           as_json: bool, mapping: Optional[str], metric: Optional[str], month: Optional[str]) -> None:
    from assistant.drafting.render import write_outputs

    state = _state(ctx)
    inc = _incident_with_options(incident, mapping, metric, month)
    drafts = state.service.drafts
    draft = (drafts.rca if kind == "rca" else drafts.escalation)(inc, state.caller, metrics=metrics)
    if out_dir:
        paths = write_outputs(draft, out_dir)
        if not as_json:
            for p in paths:
                out.print(f"wrote {p}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        _print_json(draft)
    elif not out_dir:
        out.print(draft.markdown, markup=False, highlight=False)
    for warning in draft.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)


_INCIDENT = typer.Option(..., "--incident", metavar="FILE", help="incident file (.json, .yaml)")
_METRICS = typer.Option(None, "--metrics", metavar="FILE", help="tickets or daily KPI rows (.csv, .xlsx)")
_OUT = typer.Option(None, "--out", metavar="DIR", help="write <kind>-<title>.md, .docx and .json into this folder")
_MAP = typer.Option(None, "--map", metavar="COLUMNS", help="column mapping, e.g. created_at=Opened,resolved_at=Closed")
_METRIC = typer.Option(None, "--metric", metavar="NAME", help="the SLA metric the data measures, e.g. 'Email Response Time'")
_MONTH = typer.Option(None, "--month", metavar="YYYY-MM", help="measurement window (UTC); default: the incident's, else the data's")


@draft_app.command("rca")
def draft_rca(ctx: typer.Context, incident: Path = _INCIDENT, metrics: Optional[Path] = _METRICS,
              out_dir: Optional[Path] = _OUT, as_json: bool = json_option(),
              mapping: Optional[str] = _MAP, metric: Optional[str] = _METRIC, month: Optional[str] = _MONTH):
    """A root cause analysis draft with SLA figures, runbook comparison and citations."""
    _draft(ctx, "rca", incident, metrics, out_dir, as_json, mapping, metric, month)


@draft_app.command("escalation")
def draft_escalation(ctx: typer.Context, incident: Path = _INCIDENT, metrics: Optional[Path] = _METRICS,
                     out_dir: Optional[Path] = _OUT, as_json: bool = json_option(),
                     mapping: Optional[str] = _MAP, metric: Optional[str] = _METRIC, month: Optional[str] = _MONTH):
    """A vendor escalation email draft addressed per the escalation matrix, plus a Slack summary."""
    _draft(ctx, "escalation", incident, metrics, out_dir, as_json, mapping, metric, month)


def fee_values(text: Optional[str]) -> dict[str, float]:
    """`email=120000,total=318000` -> {"email": 120000.0, "total": 318000.0}."""
    fees = {}
    for part in (text or "").split(","):
        if part.strip():
            key, sep, value = part.partition("=")
            if not sep:
                raise InvalidInput(f"--fees: expected LINE=AMOUNT pairs, got {part.strip()!r}")
            try:
                fees[key.strip()] = float(value.strip())
            except ValueError:
                raise InvalidInput("--fees: amounts must be numbers") from None
            if not math.isfinite(fees[key.strip()]) or fees[key.strip()] < 0:
                raise InvalidInput("--fees: amounts must be finite, non-negative numbers")
    return fees


def sla(ctx: typer.Context, contract: str = typer.Option(..., "--contract", metavar="SOW", help="the SOW's source path or its file name"),
        metrics: Path = typer.Option(..., "--metrics", metavar="FILE", help="tickets or daily KPI rows (.csv, .xlsx)"),
        as_json: bool = json_option(), mapping: Optional[str] = _MAP, metric: Optional[str] = _METRIC,
        month: Optional[str] = _MONTH,
        tz: str = typer.Option("UTC", "--timezone", metavar="ZONE", help="zone of naive timestamps and of the window"),
        fees: Optional[str] = typer.Option(None, "--fees", metavar="LINE=AMOUNT,...",
                                           help="monthly fees, e.g. email=120000,chat=90000,total=318000")):
    """SLA adherence and service credits, each cited.

    Per metric, with the credit cap and earn-back, each cited to its clause."""
    from rich.table import Table

    from assistant.drafting.incident import SlaWindow
    from assistant.drafting.metrics import parse_mapping
    from assistant.drafting.sla_text import actual_text, credit_text, outcome_text, target_text

    state = _state(ctx)
    window = SlaWindow(month=month, timezone=tz) if month else SlaWindow(timezone=tz)
    report = state.service.drafts.sla(contract, metrics, state.caller, columns=parse_mapping(mapping), metric=metric,
                                        window=window, timezone=tz, fees=fee_values(fees))
    if as_json:
        _print_json(report)
        return
    table = Table(title=f"SLA adherence, {report.window_label or 'no data'} ({report.contract_source})")
    for col in ("month", "metric", "target", "actual", "result", "service credit", "clause"):
        table.add_column(col)
    for r in report.results:
        clause = r.citation.clause_no or r.citation.section_path.split(" > ")[-1]
        table.add_row(r.period or "-", r.metric, target_text(r.comparator, r.target), actual_text(r), outcome_text(r),
                      credit_text(r), clause)
    out.print(table)
    for period, cap in zip(report.periods if len(report.caps) > 1 else [""], report.caps):
        month = f" ({period})" if period else ""
        out.print(f"Credit cap{month}: {cap.cap_percent:g}% of total monthly fees; {cap.explanation}.", markup=False)
    if report.earn_back:
        out.print(f"Earn-back: {report.earn_back}", markup=False)
    for b in report.skipped_rows:
        out.print(f"skipped row {b.row}: {b.reason}", markup=False)
    for note in report.notes:
        out.print(f"note: {note}", markup=False)
    out.print(report.rounding, markup=False)
