"""`bpo-assistant documents | delete`: what is indexed, and removing one document."""

from __future__ import annotations

import json
import sys

import typer

from assistant.surfaces.cli.root import _state, json_option, out
from assistant.surfaces.cli.console import short_time


def register(app: typer.Typer) -> None:
    app.command()(documents)
    app.command()(delete)


def documents(ctx: typer.Context, as_json: bool = json_option()):
    """What is indexed (and readable by --as ROLE)."""
    state = _state(ctx)
    docs = state.service.documents(state.caller)
    if as_json:
        sys.stdout.write(json.dumps({"documents": [d.model_dump() for d in docs]}) + "\n")
        return
    out.print(_documents_table(docs, out.width))


# Beside a whole doc_id (what `delete` takes, so it never wraps) the four detail columns leave
# the source almost no room below this width (80 when piped): there they go under the source.
_WIDE_DOCUMENTS_TABLE = 110


def _documents_table(docs, width: int):
    from rich.table import Table
    from rich.text import Text

    id_width = max((len(d.doc_id) for d in docs), default=6)
    sources = {d.doc_id: d.source for d in docs}

    def source_cell(d) -> Text:
        cell = Text(d.source)
        if d.duplicate_of in sources:  # results cite the other copy
            cell += Text(f"\ncopy of {sources[d.duplicate_of]}", style="dim")
        if d.relation:
            target = f" {sources[d.amends]} (by {d.link_basis})" if d.amends in sources else ": no indexed document matches"
            cell += Text(f"\n{d.relation.replace('_', ' ')} of{target}", style="dim")
        return cell

    table = Table()
    table.add_column("doc_id", no_wrap=True, min_width=id_width)
    if width < _WIDE_DOCUMENTS_TABLE:
        table.add_column("document", overflow="fold")
        for d in docs:
            details = f"{d.doc_type} · {d.collection} · {d.chunks} chunks · {short_time(d.ingested_at)}"
            table.add_row(d.doc_id, source_cell(d) + Text("\n" + details, style="dim"))
        return table
    table.add_column("source", overflow="fold")
    for col in ("type", "collection", "chunks", "ingested (UTC)"):
        table.add_column(col, no_wrap=True, justify="right" if col == "chunks" else "left")
    for d in docs:
        table.add_row(d.doc_id, source_cell(d), d.doc_type, d.collection, str(d.chunks), short_time(d.ingested_at))
    return table


def delete(ctx: typer.Context,
           document: str = typer.Argument(..., metavar="DOCUMENT", help="its doc_id, source path or (when unique) file name")):
    """Remove one document's chunks from the index."""
    state = _state(ctx)
    info = state.service.delete_named(document, state.caller)
    out.print(f"removed {info.source} ({info.chunks} chunks)", markup=False, highlight=False)
