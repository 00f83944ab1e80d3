"""`bpo-assistant`: a thin Typer surface over the service. Exit codes: 0 ok, 1 error, 3 partial ingest.

This package: root.py is the app with its global options and the state every command shares; one
module per command group adds its commands through `register(app)`, called here in the order of
`--help` (indexing: ingest; query: search, ask, chat; documents: documents, delete; audit; serve;
contracts; drafts; scorecard; slack; adapt; sync; conflicts); console.py and progress.py print;
plugins.py finds the groups other packages add (`eval`). `main` maps errors to one line and an
exit code.

At import this package and its command modules load Typer and the standard library only: each
command imports what it needs (the model runtime, Chroma, FastAPI, bolt, the eval harness) in its
body, so `--help`, argument errors and bad input answer at once (tests/cli/test_startup.py keeps
it that way; evals/bench/cli_startup_bench.py measures it).
"""

from __future__ import annotations

import sys

import typer

from assistant.errors import AssistantError, ConfigError
from assistant.surfaces.cli import (adapt, audit, conflicts, contracts, documents, drafts, indexing, query, scorecard, serve,
                                    slack, sync)
from assistant.surfaces.cli.root import EXIT_ERROR, app

# Each command group's module adds its commands to the app, in this order: the order of `--help`.
COMMAND_MODULES = (indexing, query, documents, audit, serve, contracts, drafts, scorecard, slack, adapt, sync, conflicts)
for _module in COMMAND_MODULES:
    _module.register(app)


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
