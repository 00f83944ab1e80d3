"""`bpo-assistant`: a thin Typer surface over the service. Exit codes: 0 ok, 1 error, 3 partial ingest.

This package: the app, its global options and the core commands (ingest, search, ask, chat,
documents, delete, audit, serve) here; one module per other command group (contracts, drafts,
scorecard, slack, adapt, sync, conflicts); console.py and progress.py print; plugins.py finds the
groups other packages add (`eval`).

At import this module and the command modules it registers load Typer and the standard library
only: each command imports what it needs (the model runtime, Chroma, FastAPI, bolt, the eval
harness) in its body, so `--help`, argument errors and bad input answer at once
(tests/cli/test_startup.py keeps it that way; evals/bench/cli_startup_bench.py measures it).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from assistant.errors import AssistantError, ConfigError, NothingIndexed, clean_question
from assistant.surfaces.cli.console import terminal
from assistant.surfaces.cli.plugins import PluginGroup

# Plain help (no rich panels): it prints no `<bool>` type column and doesn't import rich.
APP_OPTIONS = {"add_completion": False, "no_args_is_help": True, "rich_markup_mode": None}
# PluginGroup: command groups other packages add (`eval`, from the evals package) join on use.
app = typer.Typer(help="BPO Assistant: cited answers over runbooks, SOPs and contracts.", cls=PluginGroup,
                  **APP_OPTIONS)
out = terminal()
err = terminal(stderr=True)

EXIT_ERROR = 1
EXIT_PARTIAL = 3
JSON_HELP = "print one JSON object instead of text"


def json_option() -> bool:
    return typer.Option(False, "--json", help=JSON_HELP)


def as_of_option() -> Optional[str]:
    return typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                        help="the date whose terms are in force (amendments effective by then apply; default: today)")


# Commands that may start a new data home (the others report a missing one), commands that embed
# (their model loads in the background while Chroma opens), and commands that answer from the
# index (on an empty one they say so, naming the data home, before doing anything else).
_CREATES_HOME = frozenset({"ingest", "serve", "slack", "sync"})
_EMBEDS = frozenset({"ingest", "sync", "serve", "slack", "search", "ask", "chat", "clauses", "draft"})
_ANSWERS = frozenset({"search", "ask", "chat", "clauses", "obligations", "key-terms", "sla-schedule", "sla", "draft", "scorecard",
                      "adapt", "conflicts"})


class _State:
    """What the global options chose; settings, caller and service are made on first use."""

    def __init__(self, config: Optional[Path], role: Optional[str], command: Optional[str] = None):
        self.config = config
        self.role = role
        self.command = command
        self._service = None
        self._settings = None
        self._caller = None

    @property
    def settings(self):
        if self._settings is None:
            from assistant.config import load_settings

            self._settings = load_settings(self.config)
        return self._settings

    @property
    def caller(self):
        """The --as roles as a Caller; an unknown role is an error naming the known ones."""
        if self._caller is None:
            from assistant.access.policy import AccessPolicy
            from assistant.config import ADMIN_ROLE
            from assistant.models import Caller

            text = ADMIN_ROLE if self.role is None else self.role
            roles = frozenset(r.strip() for r in text.split(",") if r.strip())
            AccessPolicy(self.settings).check_roles(roles)
            self._caller = Caller(id="cli", roles=roles, surface="cli")
        return self._caller

    @property
    def service(self):
        """The service over the data home. Only ingest and serve start a new home (and say so): for
        any other command a missing one is reported with where it was looked for, never made
        empty beside a --config file."""
        if self._service is None:
            self.caller  # noqa: B018 - an unknown --as fails before anything is loaded
            settings = self.settings
            where = f" in {settings.home} (the data home, {settings.home_origin})"
            if settings.store.mode == "embedded" and not (settings.home / "chroma").is_dir():
                if self.command not in _CREATES_HOME:
                    raise NothingIndexed(where)
                err.print(f"data home: {settings.home} (new; {settings.home_origin})", markup=False, highlight=False,
                          soft_wrap=True)
            from assistant.retrieval.embedding import Embedder
            from assistant import wiring

            embedder = Embedder.from_settings(settings.embedding, cache_dir=settings.home / "models")
            if self.command in _EMBEDS:
                embedder.load_in_background()
            service = wiring.build(settings, embedder=embedder)
            if self.command in _ANSWERS:
                service.require_indexed(where)
            self._service = service
        return self._service


def _state(ctx: typer.Context) -> _State:
    return ctx.obj


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE",
                                          help="config.yaml (default: $BPO_ASSISTANT_CONFIG or ./config.yaml)"),
    as_role: Optional[str] = typer.Option(None, "--as", metavar="ROLE",
                                          help="act as this role (comma-separate several); local use defaults to admin"),
):
    ctx.obj = _State(config, as_role, ctx.invoked_subcommand)


def _print_json(model) -> None:
    sys.stdout.write((model.model_dump_json() if hasattr(model, "model_dump_json") else json.dumps(model)) + "\n")


@app.command()
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
        _ingest_table(summary, service.settings.home)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


def _ingest_table(summary, home: Path) -> None:
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


def _filters(doc_type: list[str] | None, source: list[str] | None, collection: list[str] | None):
    if not (doc_type or source or collection):
        return None
    from assistant.models import SearchFilters

    return SearchFilters(doc_type=doc_type or None, source=source or None, collection=collection or None)


# The CLI's own copy of models.DocType (this module must not import pydantic models at start-up);
# tests/cli/test_startup.py checks the two agree.
DOC_TYPES = ("runbook", "sop", "msa", "sow", "dpa", "contract", "other")


def _doc_types(values: Optional[list[str]]) -> Optional[list[str]]:
    for value in values or ():
        if value not in DOC_TYPES:
            raise typer.BadParameter(f"{value!r} is not a document type (one of: {', '.join(DOC_TYPES)})")
    return values


@app.command()
def search(ctx: typer.Context, query: str = typer.Argument(..., metavar="QUERY", help="what to look for"),
           k: int = typer.Option(8, "--k", min=1, max=50, metavar="K", help="how many passages"),
           as_json: bool = json_option(),
           doc_type: Optional[list[str]] = typer.Option(None, "--doc-type", metavar="TYPE", callback=_doc_types,
                                                        help=f"only this document type ({'|'.join(DOC_TYPES)}); repeatable"),
           source: Optional[list[str]] = typer.Option(None, "--source", metavar="PATH",
                                                      help="only this document (its path as indexed); repeatable"),
           collection: Optional[list[str]] = typer.Option(None, "--collection", metavar="NAME",
                                                          help="only this collection; repeatable"),
           rerank: Optional[bool] = typer.Option(None, "--rerank/--no-rerank",
                                                 help="re-score the best passages with the passage judge (slower, better "
                                                      "order; default: judge.rerank_search)"),
           as_of: Optional[str] = as_of_option()):
    """Hybrid search: the best passages with section and page."""
    from rich.markup import escape
    from rich.text import Text

    query = clean_question(query, "query")
    state = _state(ctx)
    response = state.service.search(query, state.caller, k=k, filters=_filters(doc_type, source, collection), rerank=rerank,
                                     as_of=as_of)
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
        if r.superseded_by or r.in_force_from:  # never shown as if current
            label = f"superseded: {r.superseded_by}" if r.superseded_by else f"not in force until {r.in_force_from}"
            out.print(Text("   " + label, style="yellow"), highlight=False)


def _print_answer(answer) -> None:
    from rich.text import Text

    from assistant.answering.citations import clause_label

    out.print(answer.answer, markup=False)
    if not answer.grounded:
        out.print("[yellow](not grounded in the documents)[/yellow]")
    for c in answer.citations:
        clause = clause_label(c.clause_no, c.section_path, c.doc_type)
        where = ", ".join(p for p in (c.section_path, clause, f"p.{c.page_start}" if c.page_start else "") if p)
        # Document text is not Rich markup: a heading such as "[/b] Annex" must print as it is.
        line = f"[{c.n}] {c.title or c.source}" + (f" — {where}" if where else "") + f" ({c.url or c.source})"
        out.print(Text(line, style="dim"), highlight=False)


@app.command()
def ask(ctx: typer.Context, question: str = typer.Argument(..., metavar="QUESTION", help="the question, in your words"),
        as_json: bool = json_option(), as_of: Optional[str] = as_of_option()):
    """A cited answer, or "the documents don't cover this"."""
    question = clean_question(question)  # an empty question fails before any model loads
    state = _state(ctx)
    answer = state.service.ask(question, state.caller, as_of=as_of)
    if as_json:
        _print_json(answer)
    else:
        _print_answer(answer)


@app.command()
def chat(ctx: typer.Context):
    """Ask interactively, with follow-ups (Ctrl-D to leave).

    The history is kept for this session."""
    from assistant.models import Turn

    state = _state(ctx)
    service = state.service
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
            answer = service.ask(question, state.caller, history=history)
        except AssistantError as exc:
            err.print(f"error: {exc.message}", markup=False, highlight=False)
            continue
        _print_answer(answer)
        history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


@app.command()
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
            details = f"{d.doc_type} · {d.collection} · {d.chunks} chunks · {_short_time(d.ingested_at)}"
            table.add_row(d.doc_id, source_cell(d) + Text("\n" + details, style="dim"))
        return table
    table.add_column("source", overflow="fold")
    for col in ("type", "collection", "chunks", "ingested (UTC)"):
        table.add_column(col, no_wrap=True, justify="right" if col == "chunks" else "left")
    for d in docs:
        table.add_row(d.doc_id, source_cell(d), d.doc_type, d.collection, str(d.chunks), _short_time(d.ingested_at))
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
           document: str = typer.Argument(..., metavar="DOCUMENT", help="its doc_id, source path or (when unique) file name")):
    """Remove one document's chunks from the index."""
    state = _state(ctx)
    info = state.service.delete_named(document, state.caller)
    out.print(f"removed {info.source} ({info.chunks} chunks)", markup=False, highlight=False)


@app.command()
def audit(ctx: typer.Context,
          since: str = typer.Option("1d", "--since", metavar="WHEN", help="ISO time or a span like 30m, 12h, 7d"),
          as_json: bool = json_option()):
    """The audit log: who asked what, as which role (admin sees all, others their own).

    Also which chunks came back and whether the answer was grounded."""
    from assistant.audit import parse_since

    state = _state(ctx)
    events = state.service.audit_events(state.caller, parse_since(since))
    if as_json:
        sys.stdout.write(json.dumps({"events": [e.model_dump() for e in events]}) + "\n")
        return
    out.print(_audit_table(events, out.width))


# Eight columns fit side by side only on a wide terminal; below this who asked and what came back
# go on a second line under the question, so nothing is cut to a few characters at 80 columns.
_WIDE_AUDIT_TABLE = 140


def _audit_table(events, width: int):
    from rich.table import Table
    from rich.text import Text

    table = Table()
    if width < _WIDE_AUDIT_TABLE:
        table.add_column("at (UTC)", no_wrap=True)
        table.add_column("action", no_wrap=True)
        table.add_column("question / who, result", overflow="fold")
        for e in events:
            result = f"{len(e.chunk_ids)} chunks" + ("" if e.grounded is None else f", grounded: {_yes_no(e.grounded)}")
            who = f"{e.caller} ({','.join(e.roles) or 'no role'}) via {e.surface} · {result}"
            table.add_row(_short_time(e.at), e.action, Text(e.question[:300] or e.detail) + Text("\n" + who, style="dim"))
        return table
    for col in ("at (UTC)", "action", "caller", "roles", "surface", "question", "chunks", "grounded"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(_short_time(e.at), e.action, e.caller, ",".join(e.roles), e.surface, Text(e.question[:300] or e.detail),
                      str(len(e.chunk_ids)), "" if e.grounded is None else _yes_no(e.grounded))
    return table


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


@app.command()
def serve(ctx: typer.Context, host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="address to listen on"),
          port: int = typer.Option(8000, "--port", min=1, max=65535, metavar="PORT", help="port to listen on"),
          ingest_first: Optional[Path] = typer.Option(None, "--ingest", metavar="PATH", help="index this folder before serving")):
    """Serve the HTTP API (and Slack's HTTP endpoint).

    Runs uvicorn; the Slack endpoint is mounted when Slack is configured. Without BPO_API_KEYS a
    local admin key is made on the first start and printed once."""
    import uvicorn

    from ingest.locks import claim_embedded_home, release_embedded_home
    from assistant.surfaces.http import create_app
    from assistant.surfaces.http.deps import KeyRing
    from assistant.surfaces.local_key import api_keys_for_serving

    state = _state(ctx)
    service = state.service
    if ingest_first:
        from assistant.config import ADMIN_ROLE
        from assistant.models import Caller
        from assistant.surfaces.cli.progress import ingest_progress

        with ingest_progress(err.console) as progress:
            summary = service.ingest(ingest_first, Caller(id="serve", roles=frozenset({ADMIN_ROLE}), surface="cli"),
                                     progress=progress)
        _ingest_table(summary, service.settings.home)
    keys = api_keys_for_serving(KeyRing.configured(), service.settings.home, f"http://{host}:{port}", out.console)
    err.print("loading the embedding model...", markup=False, highlight=False)
    service.warm_up()
    # Claimed as the server before the schedule's first sync can claim it as a sync (the app's
    # lifespan claims it again, re-entrantly): another process is told a server holds it.
    embedded = service.settings.store.mode == "embedded"
    if embedded:
        claim_embedded_home(service.settings.home, "server")
    schedule = _sync_schedule(service)
    try:
        uvicorn.run(create_app(service, keys=keys), host=host, port=port, log_level="info",
                    access_log=False)  # the app logs one structured line per request
    finally:
        if schedule is not None:
            schedule.stop()
        if embedded:
            release_embedded_home(service.settings.home)


def _sync_schedule(service):
    """The connector sync every sync.interval_minutes while serving (off at 0, the default)."""
    minutes = service.settings.sync.interval_minutes
    if not minutes or not service.settings.connector_sources:
        return None
    from assistant.config import ADMIN_ROLE
    from assistant.models import Caller
    from ingest.connectors.schedule import SyncSchedule

    caller = Caller(id="sync-schedule", roles=frozenset({ADMIN_ROLE}), surface="internal")
    err.print(f"syncing {len(service.settings.connector_sources)} connector source(s) every {minutes:g} min", markup=False,
              highlight=False)
    return SyncSchedule(lambda: service.sync(caller), minutes * 60).start()


def _register_command_modules() -> None:
    """Each area's commands live in their own module and add themselves to `app` as it imports
    them (they import `app` from here, so they are imported after it exists)."""
    # In this order: it is the order of `--help`.
    import assistant.surfaces.cli.contracts  # noqa: F401
    import assistant.surfaces.cli.drafts  # noqa: F401
    import assistant.surfaces.cli.scorecard  # noqa: F401
    import assistant.surfaces.cli.slack  # noqa: F401
    import assistant.surfaces.cli.adapt  # noqa: F401
    import assistant.surfaces.cli.sync  # noqa: F401
    import assistant.surfaces.cli.conflicts  # noqa: F401


_register_command_modules()


def main() -> None:
    try:
        # Without standalone mode click *returns* a command's typer.Exit code instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except (AssistantError, ConfigError) as exc:
        _fail(getattr(exc, "message", str(exc)))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except (KeyboardInterrupt, typer.Abort):
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: a missing argument, a bad option value
        _fail(usage_message(exc))
    except Exception as exc:  # the unexpected: one line, no traceback
        if type(exc).__name__ == "ValidationError":  # pydantic's, without importing it here
            from assistant.errors import validation_message

            _fail(validation_message(exc))
        _fail(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


def usage_message(exc: typer.TyperException) -> str:
    """Click's message for a usage error with the value given (Typer validates with pydantic and
    keeps its error as the cause) and where to read more."""
    message = exc.format_message().replace("Value error, ", "").rstrip(".")
    cause = exc.__cause__
    problems = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if problems and "input" in problems[0]:
        message += f" (got {problems[0]['input']!r})"
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f"; see `{ctx.command_path} --help`"
    return message


def _fail(message: str) -> None:
    # One line, never wrapped at the console width: it may list doc_ids to copy.
    sys.stderr.write(f"error: {' '.join(message.split())}\n")
    sys.exit(EXIT_ERROR)

