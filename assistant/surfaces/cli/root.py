"""The `bpo-assistant` Typer app, its global options (--config, --as) and what every command module
shares: the state those options choose (settings, caller, the service made on first use), the
consoles, exit codes and option makers. The commands live one group per module beside it and are
added by assistant/surfaces/cli/__init__.py (`register(app)`).

Importing this loads Typer and the standard library only (tests/cli/test_startup.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.errors import NothingIndexed
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
