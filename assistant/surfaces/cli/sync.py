"""`bpo-assistant sync [SOURCE]`: index what changed in the connector sources (Confluence,
SharePoint / OneDrive, Google Drive) since the last sync, with progress and a summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Optional

import typer

from assistant.surfaces.cli.root import EXIT_PARTIAL, _state, err, json_option, out
from assistant.surfaces.cli.progress import STEPS


def register(app: typer.Typer) -> None:
    app.command()(sync)


def sync(ctx: typer.Context,
         source: Optional[list[str]] = typer.Argument(None, metavar="SOURCE",
                                                      help="the sources to sync, by name (default: every source with a connector)"),
         as_json: bool = json_option()):
    """Sync connector sources (Confluence, SharePoint/OneDrive, Google Drive).

    Fetches what is new or changed since the last sync, removes what was deleted, and indexes it
    like `ingest` does. Exit code 3 when a source stopped early or an item failed."""
    state = _state(ctx)
    service = state.service
    with sync_progress(err.console, quiet=as_json) as progress:
        report = service.sync(state.caller, list(source or []), progress=progress)
    if as_json:
        sys.stdout.write(report.model_dump_json() + "\n")
    else:
        _summary(report)
    if report.partial:
        raise typer.Exit(EXIT_PARTIAL)


def _summary(report) -> None:
    from rich.table import Table

    # Three columns fit any terminal; the counts fold instead of squeezing the source's name.
    table = Table(title="Sync")
    table.add_column("source", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("items", overflow="fold")
    for s in report.sources:
        counts = [f"{s.count(k)} {k}" for k in ("indexed", "unchanged", "removed", "skipped", "failed")]
        counts += [f"{len(s.restricted)} restricted", f"{s.fetched} fetched", f"{s.chunks_written} chunks written", f"{s.seconds:.1f} s"]
        table.add_row(f"{s.name} ({s.connector})", s.status, " · ".join(counts))
    out.print(table)
    # One line per problem, never wrapped: a name or reason to copy stays whole.
    for s in report.sources:
        if s.error:
            _line(f"{s.name}: {s.error}")
        for i in s.items:
            if i.status == "failed":
                _line(f"failed: {i.source}: {i.reason} (what was indexed from it before is kept; tried again next sync)")
        for i in s.restricted:
            _line(f"restricted at the source, indexed for admins only: {i.source}: {i.restricted}")
    if report.new_conflicts:  # issue 26: SOP/contract conflicts this sync brought, as after an ingest
        from assistant.surfaces.cli.conflicts import print_conflicts

        _line(f"New SOP/contract conflicts: {len(report.new_conflicts)} (all: bpo-assistant conflicts)")
        print_conflicts(report.new_conflicts)


def _line(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


SyncProgress = Callable[[str, str, int], None]


@contextmanager
def sync_progress(console, quiet: bool = False) -> Iterator[SyncProgress]:
    """A bar per source in a terminal (items fetched, files indexed, chunks embedded, the step under
    way); one line per source and step otherwise; nothing with --json off a terminal."""
    if console.is_terminal:
        with _bars(console) as progress:
            yield progress
    elif quiet:
        yield lambda name, event, n: None
    else:
        yield _lines()


@contextmanager
def _bars(console) -> Iterator[SyncProgress]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("[bold]{task.fields[name]}"), TextColumn("{task.fields[fetched]} fetched"),
               TextColumn("{task.fields[files]} indexed"), TextColumn("{task.fields[chunks]} chunks"),
               TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(name: str, event: str, n: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task("listing changes", total=None, name=name, fetched=0, files=0, chunks=0)
            task = tasks[name]
            fields = bar.tasks[task].fields
            if event == "fetched":
                bar.update(task, fetched=fields["fetched"] + n, description="fetching changed items")
            elif event == "file":
                bar.update(task, files=fields["files"] + n)
            elif event == "chunks":
                bar.update(task, chunks=fields["chunks"] + n)
            elif event in STEPS:
                bar.update(task, description=STEPS[event].format(n=n))

        yield progress


def _lines() -> SyncProgress:
    last: dict[str, str] = {}

    def progress(name: str, event: str, n: int) -> None:
        line = "listing changes" if event == "start" else STEPS.get(event, "").format(n=n)
        if line and last.get(name) != line:
            last[name] = line
            sys.stderr.write(f"sync {name}: {line}\n")
            sys.stderr.flush()

    return progress
