"""`bpo-assistant ingest PATH`: index a folder or a file, and the summary table it prints (serve
--ingest prints it too)."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.errors import AssistantError
from assistant.surfaces.cli.root import EXIT_PARTIAL, _print_json, _state, err, json_option, out


def register(app: typer.Typer) -> None:
    app.command()(ingest)


def ingest(ctx: typer.Context, path: Path = typer.Argument(..., metavar="PATH", help="folder (recursive) or file to index"),
           as_json: bool = json_option()):
    """Index a folder (recursively) or one file.

    New and changed files are embedded, unchanged ones skipped, deleted ones removed."""
    from assistant.surfaces.cli.progress import ingest_progress

    if not path.exists():
        raise AssistantError(f"{path} does not exist (give a folder or a file to index)")
    state = _state(ctx)
    service = state.service
    with ingest_progress(err.console, quiet=as_json) as progress:
        summary = service.ingest(path, state.caller, progress=progress)
    if as_json:
        _print_json(summary)
    else:
        ingest_table(summary, service.settings.home)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


def ingest_table(summary, home: Path) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Ingest of {summary.root} into {home}")
    for col in ("files", "indexed", "unchanged", "removed", "skipped", "failed", "chunks written", "texts embedded", "seconds"):
        table.add_column(col, justify="right")
    table.add_row(str(len(summary.files)), str(summary.count("indexed")), str(summary.count("unchanged")),
                  str(summary.count("removed")), str(summary.count("skipped")), str(summary.count("failed")),
                  str(summary.chunks_written), str(summary.texts_embedded), f"{summary.seconds:.1f}")
    out.print(table)
    for status, title in (("skipped", "Skipped (not read)"),
                          ("failed", "Failed files (nothing previously indexed from them was removed)")):
        rows = [f for f in summary.files if f.status == status]
        if rows:
            listing = Table(title=title)
            listing.add_column("file")
            listing.add_column("reason")
            for f in rows:
                listing.add_row(Text(f.source), Text(f.reason or ""))  # names are not Rich markup
            out.print(listing)
    if summary.new_conflicts:  # issue 26: SOP/contract conflicts this ingest brought
        from assistant.surfaces.cli.conflicts import print_conflicts

        out.print(f"New SOP/contract conflicts: {len(summary.new_conflicts)} (all: bpo-assistant conflicts)", markup=False)
        print_conflicts(summary.new_conflicts)
