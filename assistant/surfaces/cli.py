"""`bpo-assistant`: a thin Typer surface over the service. Exit codes: 0 ok, 1 error, 3 partial ingest."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from assistant.citation_label import clause_label
from assistant.config import ADMIN_ROLE, ConfigError, load_settings
from assistant.errors import AssistantError
from assistant.models import Caller, DocumentInfo, SearchFilters, Turn

app = typer.Typer(add_completion=False, no_args_is_help=True, help="BPO Assistant: cited answers over runbooks, SOPs and contracts.")
out = Console()
err = Console(stderr=True)

EXIT_ERROR = 1
EXIT_PARTIAL = 3


class _State:
    def __init__(self, config: Optional[Path], role: str):
        self.config = config
        self.role = role
        self._service = None
        self._settings = None

    @property
    def settings(self):
        if self._settings is None:
            self._settings = load_settings(self.config)
        return self._settings

    @property
    def service(self):
        if self._service is None:
            from assistant.service import AssistantService

            self._service = AssistantService.build(self.settings)
        return self._service

    @property
    def caller(self) -> Caller:
        roles = frozenset(r.strip() for r in self.role.split(",") if r.strip())
        return Caller(id="cli", roles=roles, surface="cli")


def _state(ctx: typer.Context) -> _State:
    return ctx.obj


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(None, "--config", help="config.yaml (default: $BPO_ASSISTANT_CONFIG or ./config.yaml)"),
    as_role: str = typer.Option(ADMIN_ROLE, "--as", help="act as this role (comma-separate several); local use defaults to admin"),
):
    ctx.obj = _State(config, as_role)


def _print_json(model) -> None:
    sys.stdout.write((model.model_dump_json() if hasattr(model, "model_dump_json") else json.dumps(model)) + "\n")


@app.command()
def ingest(ctx: typer.Context, path: Path = typer.Argument(..., help="folder (recursive) or file to index"),
           as_json: bool = typer.Option(False, "--json")):
    """Index a folder: new and changed files are embedded, unchanged skipped, deleted removed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    state = _state(ctx)
    service = state.service
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[chunks]} chunks"),
                  TimeElapsedColumn(), console=err, disable=as_json or not err.is_terminal, transient=True) as bar:
        task = bar.add_task("files", total=None, chunks=0)

        def progress(event: str, n: int) -> None:
            if event == "total":
                bar.update(task, total=n)
            elif event == "file":
                bar.advance(task, n)
            elif event == "chunks":
                bar.update(task, chunks=bar.tasks[0].fields["chunks"] + n)

        summary = service.ingest(path, state.caller, progress=progress)
    if as_json:
        _print_json(summary)
    else:
        _ingest_table(summary)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


def _ingest_table(summary) -> None:
    table = Table(title=f"Ingest of {summary.root}")
    for col in ("files", "indexed", "unchanged", "removed", "failed", "chunks written", "texts embedded", "seconds"):
        table.add_column(col, justify="right")
    table.add_row(str(len(summary.files)), str(summary.count("indexed")), str(summary.count("unchanged")),
                  str(summary.count("removed")), str(summary.count("failed")), str(summary.chunks_written),
                  str(summary.texts_embedded), f"{summary.seconds:.1f}")
    out.print(table)
    failed = [f for f in summary.files if f.status == "failed"]
    if failed:
        ft = Table(title="Failed files (nothing previously indexed from them was removed)")
        ft.add_column("file")
        ft.add_column("reason")
        for f in failed:
            ft.add_row(f.source, f.reason or "")
        out.print(ft)


def _filters(doc_type: list[str] | None, source: list[str] | None, collection: list[str] | None) -> SearchFilters | None:
    if not (doc_type or source or collection):
        return None
    return SearchFilters(doc_type=doc_type or None, source=source or None, collection=collection or None)


@app.command()
def search(ctx: typer.Context, query: str, k: int = typer.Option(8, "--k", min=1, max=50),
           as_json: bool = typer.Option(False, "--json"),
           doc_type: Optional[list[str]] = typer.Option(None, "--doc-type"),
           source: Optional[list[str]] = typer.Option(None, "--source"),
           collection: Optional[list[str]] = typer.Option(None, "--collection")):
    """Hybrid search; prints the best passages with their section and page."""
    state = _state(ctx)
    response = state.service.search(query, state.caller, k=k, filters=_filters(doc_type, source, collection))
    if as_json:
        _print_json(response)
        return
    if not response.results:
        out.print("No matching passages.")
    for i, r in enumerate(response.results, 1):
        where = " > ".join(p for p in (r.section_path,) if p)
        page = f" p.{r.page_start}" if r.page_start else ""
        out.print(f"[bold]{i}. {escape(r.title)}[/bold] [dim]{escape(r.source)}{page}[/dim]\n   {escape(where)}")
        out.print("   " + " ".join(r.text.split())[:300], markup=False)


def _print_answer(answer) -> None:
    out.print(answer.answer, markup=False)
    if not answer.grounded:
        out.print("[yellow](not grounded in the documents)[/yellow]")
    for c in answer.citations:
        clause = clause_label(c.clause_no, c.section_path, c.doc_type)
        where = ", ".join(p for p in (c.section_path, clause, f"p.{c.page_start}" if c.page_start else "") if p)
        # Document text is not Rich markup: a heading such as "[/b] Annex" must print as it is.
        line = f"[{c.n}] {c.title or c.source}" + (f" — {where}" if where else "") + f" ({c.source})"
        out.print(Text(line, style="dim"), highlight=False)


@app.command()
def ask(ctx: typer.Context, question: str, as_json: bool = typer.Option(False, "--json")):
    """A short answer with numbered citations, or "the documents don't cover this"."""
    state = _state(ctx)
    answer = state.service.ask(question, state.caller)
    if as_json:
        _print_json(answer)
    else:
        _print_answer(answer)


@app.command()
def chat(ctx: typer.Context):
    """Interactive questions with follow-ups (history kept for this session). Ctrl-D to leave."""
    state = _state(ctx)
    history: list[Turn] = []
    while True:
        try:
            question = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if not question:
            continue
        try:
            answer = state.service.ask(question, state.caller, history=history)
        except AssistantError as exc:
            err.print(f"error: {exc.message}")
            continue
        _print_answer(answer)
        history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


@app.command()
def documents(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")):
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


def _documents_table(docs: list[DocumentInfo], width: int) -> Table:
    id_width = max((len(d.doc_id) for d in docs), default=6)
    table = Table()
    table.add_column("doc_id", no_wrap=True, min_width=id_width)
    if width < _WIDE_DOCUMENTS_TABLE:
        table.add_column("document", overflow="fold")
        for d in docs:
            details = f"{d.doc_type} · {d.collection} · {d.chunks} chunks · {_short_time(d.ingested_at)}"
            table.add_row(d.doc_id, Text(d.source) + Text("\n" + details, style="dim"))
        return table
    table.add_column("source", overflow="fold")
    for col in ("type", "collection", "chunks", "ingested (UTC)"):
        table.add_column(col, no_wrap=True, justify="right" if col == "chunks" else "left")
    for d in docs:
        table.add_row(d.doc_id, Text(d.source), d.doc_type, d.collection, str(d.chunks), _short_time(d.ingested_at))
    return table


def _short_time(iso: str) -> str:
    """'2026-11-24 02:17' (UTC) for a stored ISO time; the seconds and offset only take width."""
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return (parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed).strftime("%Y-%m-%d %H:%M")


@app.command()
def delete(ctx: typer.Context,
           document: str = typer.Argument(..., help="its doc_id, source path or (when unique) file name")):
    """Remove one document's chunks from the index."""
    state = _state(ctx)
    info = state.service.delete_named(document, state.caller)
    out.print(f"removed {info.source} ({info.chunks} chunks)", markup=False, highlight=False)


@app.command()
def audit(ctx: typer.Context, since: str = typer.Option("1d", "--since", help="ISO time or a span like 30m, 12h, 7d"),
          as_json: bool = typer.Option(False, "--json")):
    """Print the audit log (who asked what, as which role, which chunks came back)."""
    state = _state(ctx)
    start = _parse_since(since)
    events = state.service.audit.read(start)
    if as_json:
        sys.stdout.write(json.dumps({"events": [e.model_dump() for e in events]}) + "\n")
        return
    table = Table()
    for col in ("at", "action", "caller", "roles", "surface", "question", "chunks", "grounded"):
        table.add_column(col)
    for e in events:
        table.add_row(e.at, e.action, e.caller, ",".join(e.roles), e.surface, e.question[:60], str(len(e.chunk_ids)),
                      "" if e.grounded is None else str(e.grounded))
    out.print(table)


def _parse_since(value: str) -> datetime:
    units = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    if value and value[-1] in units and value[:-1].isdigit():
        return datetime.now(timezone.utc) - timedelta(**{units[value[-1]]: int(value[:-1])})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise AssistantError(f"--since: expected an ISO time or a span like 12h, got {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@app.command()
def serve(ctx: typer.Context, host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port"),
          ingest_first: Optional[Path] = typer.Option(None, "--ingest", help="index this folder before serving")):
    """Run the HTTP API (and the Slack HTTP endpoint when Slack is configured) with uvicorn."""
    import uvicorn

    from assistant.surfaces.http import create_app

    state = _state(ctx)
    service = state.service
    if ingest_first:
        summary = service.ingest(ingest_first, Caller(id="serve", roles=frozenset({ADMIN_ROLE}), surface="cli"))
        _ingest_table(summary)
    service.warm_up()
    uvicorn.run(create_app(service), host=host, port=port, log_level="info", access_log=False)  # the app logs one structured line per request


def _register_command_modules() -> None:
    """Commands of other features live in their own modules and register on `app` when imported."""
    import importlib

    for name in ("cli_eval", "cli_eval_contracts", "cli_contracts", "cli_drafts", "cli_slack", "cli_adapt"):
        try:
            importlib.import_module(f"assistant.surfaces.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"assistant.surfaces.{name}":
                raise


_register_command_modules()


def main() -> None:
    try:
        # Without standalone mode click *returns* a command's typer.Exit code instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except (AssistantError, ConfigError) as exc:
        # One line, never wrapped at the console width: it may list doc_ids to copy.
        err.print(f"error: {getattr(exc, 'message', str(exc))}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_ERROR)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # click usage errors and the unexpected: one line, no traceback
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        err.print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", markup=False)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
