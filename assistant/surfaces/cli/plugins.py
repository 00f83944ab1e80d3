"""Command groups that other installed packages add to `bpo-assistant` (entry point group
`bpo_assistant.cli`, name -> a Typer app), so the product never imports them itself.

`bpo-assistant eval ...` is one: the evals package's own app (evals/cli.py), declared in
pyproject.toml and present whenever the project is installed from its source tree. A group is
imported only when one of its commands runs or its help is asked for: the top-level --help lists
it by name without importing it (start-up stays light, tests/cli/test_startup.py).
"""

from __future__ import annotations

import functools

import click
import typer
from typer.core import TyperGroup

from assistant.errors import ConfigError

ENTRY_POINT_GROUP = "bpo_assistant.cli"


@functools.cache
def plugin_entry_points() -> dict:
    """name -> importlib.metadata.EntryPoint, read from the installed packages' metadata once.

    Every copy of a distribution's metadata is read, not only the first one found (what
    `entry_points()` does): in a source checkout a stale `bpo_assistant.egg-info` beside the code
    comes first on sys.path and would hide the installed metadata that declares the groups."""
    from importlib.metadata import distributions

    found: dict = {}
    for dist in distributions():
        for ep in dist.entry_points:
            if ep.group == ENTRY_POINT_GROUP:
                found.setdefault(ep.name, ep)
    return found


class PluginGroup(TyperGroup):
    """The root command: its own commands, then one group per entry point, loaded on use."""

    _listing = False  # True while the top-level help lists the commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        own = super().list_commands(ctx)
        return own + [name for name in plugin_entry_points() if name not in own]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        entry = plugin_entry_points().get(name) if command is None else None
        if entry is None:
            return command
        package = entry.value.split(":")[0].split(".")[0]
        if self._listing:  # a name and a line of help, without importing the package
            return click.Group(name, help=f"Commands from the {package} package (`{name} --help`).")
        return load_plugin(name, entry, package)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


def load_plugin(name: str, entry, package: str) -> click.Command:
    try:
        loaded = entry.load()
    except ImportError as exc:
        return _unavailable(name, package, exc)
    command = typer.main.get_group(loaded) if isinstance(loaded, typer.Typer) else loaded
    command.name = name
    return command


def _unavailable(name: str, package: str, exc: ImportError) -> click.Command:
    """A command that says, as one error line, why `name` cannot run here (whatever its arguments)."""

    def fail() -> None:
        raise ConfigError(f"`bpo-assistant {name}` needs the {package} package, which cannot be imported here "
                          f"({exc}): install the project from its source tree (pip install -e .)")

    return click.Command(name, callback=fail, add_help_option=False,
                         context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
