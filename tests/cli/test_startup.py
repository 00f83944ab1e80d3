"""Start-up: `--help`, argument errors and bad input answer before anything heavy is imported, and
the service builds only the parts a command uses (evals/bench/cli_startup_bench.py times it)."""

from __future__ import annotations

import json
import typing

import pytest
from typer.testing import CliRunner

from tests.cli.conftest import HEAVY, probe
from tests.conftest import REPO

NOT_THERE = "/nonexistent/bpo-assistant-test-folder"


@pytest.mark.parametrize("args", [
    ["--help"], ["search", "--help"], ["draft", "rca", "--help"], ["eval", "process", "--help"], ["obligations", "--help"],
    ["scorecard", "--help"],
], ids=" ".join)
def test_help_imports_nothing_heavy(args):
    result = probe(*args)
    assert result.code == 0 and "Usage: bpo-assistant" in result.stdout
    # `eval` is the evals package's own command group (evals/cli.py): its help loads that module, never the harness.
    heavy = [m for m in result.heavy() if not (args[0] == "eval" and m == "evals")]
    evals_loaded = sorted(m for m in result.modules if m.split(".")[0] == "evals")
    assert evals_loaded == ([] if args[0] != "eval" else ["evals", "evals.cli", "evals.cli_key_terms"])
    # Not even the settings: help needs Typer alone (which parses options with pydantic).
    assert heavy == [] and "yaml" not in result.modules and "assistant.config" not in result.modules


@pytest.mark.parametrize("args", [
    ["ask"],  # a missing argument
    ["search", "--k", "0", "q"],  # out of range
    ["search", "refund", "--doc-type", "sopp"],  # not a document type
    ["obligations", "--format", "pdf"],
    ["ask", "   "],  # an empty question: refused before any model loads
    ["--as", "legall", "documents"],  # an unknown role: refused before the store opens
    ["ingest", NOT_THERE],
    ["scorecard", "--contract", "sow.docx", "--from", "July"],  # not a month: refused before the store opens
], ids=" ".join)
def test_argument_errors_and_bad_input_fail_before_anything_heavy_loads(args, tmp_path):
    result = probe(*args, env={"BPO_ASSISTANT_HOME": str(tmp_path / "home")})
    assert result.code == 1, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.heavy() == []
    assert not (tmp_path / "home").exists()


def test_a_read_command_on_a_missing_home_fails_before_chroma_loads(tmp_path):
    result = probe("ask", "how do I escalate a chargeback?", env={"BPO_ASSISTANT_HOME": str(tmp_path / "home")})
    assert result.code == 1 and "nothing is indexed yet" in result.stderr
    assert result.heavy() == []


def test_listing_documents_loads_no_model_and_none_of_the_unused_service_parts(sample_home):
    result = probe("documents", "--json", env={"BPO_ASSISTANT_HOME": str(sample_home)})
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["documents"]
    for unused in ("onnxruntime", "torch", "assistant.answering.pipeline", "assistant.contracts.classify", "ingest.pipeline",
                   "assistant.drafting.api", "fastapi", "evals"):
        assert unused not in result.modules, unused


def test_ask_builds_the_answer_path_only(sample_home):
    result = probe("ask", "How much notice to terminate the MSA for convenience?", "--json",
                   env={"BPO_ASSISTANT_HOME": str(sample_home)})
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["grounded"] is True
    # The clause taxonomy, the ingest pipeline, drafting and the HTTP/Slack stacks stay unloaded.
    for unused in ("assistant.contracts.classify", "ingest.pipeline", "assistant.drafting.api", "fastapi",
                   "slack_bolt", "evals", "torch"):
        assert unused not in result.modules, unused


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_option_has_a_description_and_help_shows_no_type_noise():
    import typer.main

    from assistant.surfaces.cli import app

    runner = CliRunner()
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"bpo-assistant {' '.join(path)} {param.opts[0]} has no description"
        text = runner.invoke(app, [*path, "--help"]).output
        assert "Usage:" in text and "<bool>" not in text, (path, text)


def test_the_cli_document_types_are_the_models():
    from assistant.models import DocType
    from assistant.surfaces.cli.query import DOC_TYPES

    assert DOC_TYPES == typing.get_args(DocType)


def test_the_bench_script_runs_its_commands_through_the_console_entry():
    # The benchmark times what users run; python -m would import the CLI module twice.
    text = (REPO / "evals" / "bench" / "cli_startup_bench.py").read_text(encoding="utf-8")
    assert "from assistant.surfaces.cli import main" in text and all(h not in text for h in HEAVY[:3])


def test_python_dash_m_runs_the_same_cli(tmp_path):
    # `python -m assistant.surfaces.cli` used to fail on a circular import of the command modules
    # (the hostile suite and scripts run it that way).
    import subprocess
    import sys

    env = {"BPO_ASSISTANT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    shown = subprocess.run([sys.executable, "-m", "assistant.surfaces.cli", "eval", "--help"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and "process" in shown.stdout, shown.stderr
    missing = subprocess.run([sys.executable, "-m", "assistant.surfaces.cli", "ingest", NOT_THERE], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and missing.stderr.startswith("error: "), missing.stderr
