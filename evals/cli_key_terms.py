"""`bpo-assistant eval key-terms CORPUS`: key terms scored against CUAD's expert answers, per field,
for the dev and the held-out half of the contracts, with every miss listed."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from evals.cli import CorpusArg, HomeOpt, JsonOpt, SaveOpt, SkipOpt, _f, _require, _run_and_report, out


def print_key_terms(rep: dict) -> None:
    from rich.table import Table  # only when printing: the CLI starts without rich

    sizes = rep["split_sizes"]
    table = Table(title=f"Key terms vs CUAD answers ({rep['contracts']} contracts: dev {sizes['dev']}, "
                        f"held-out {sizes['held_out']})")
    for col in ("field", "CUAD category", "dev", "held-out", "all", "target", "met (all)"):
        table.add_column(col, justify="left" if col in ("field", "CUAD category") else "right")
    for field, row in rep["fields"]["all"].items():
        cells = []
        for split in ("dev", "held_out", "all"):
            f = rep["fields"][split][field]
            cells.append(f"{_f(f['accuracy'])} ({f['correct']}/{f['scored']})")
        met = "-" if row["met"] is None else ("[green]yes[/green]" if row["met"] else "[red]no[/red]")
        table.add_row(field, row["category"], *cells, _f(row["target"], 2), met)
    out.print(table)
    if rep["misses"]:
        misses = Table(title=f"Misses ({len(rep['misses'])})")
        for col in ("field", "split", "contract", "CUAD", "extracted"):
            misses.add_column(col)
        for m in rep["misses"]:
            misses.add_row(m["field"], m["split"], Path(m["contract"]).name[:45], m["gold"][:60], m["predicted"][:70])
        out.print(misses)
    for f in rep["failed"]:
        out.print(f"[red]failed[/red] {f['contract']}: {f['error']}", highlight=False)


def key_terms_cmd(ctx: typer.Context, corpus: Path = CorpusArg,
                  limit: Optional[int] = typer.Option(None, "--limit", min=1, help="first N contracts only"),
                  home: Optional[Path] = HomeOpt, as_json: bool = JsonOpt, skip_ingest: bool = SkipOpt,
                  save: Optional[Path] = SaveOpt):
    """Key terms (parties, dates, term, renewal, renewal notice, governing law) against CUAD's answers."""
    from evals import key_terms

    _require(corpus / key_terms.ANNOTATIONS_FILE, "CUAD annotations")
    _run_and_report(ctx, corpus, home, as_json, skip_ingest, save,
                    lambda run: key_terms.run_key_terms(run, limit), print_key_terms)
