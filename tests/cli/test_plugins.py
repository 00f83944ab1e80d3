"""`bpo-assistant eval ...` comes from the evals package through an entry point: the product never
imports evals, and says in one line when the package a command group needs is not there."""

from __future__ import annotations

import re
from importlib.metadata import EntryPoint

from assistant.surfaces.cli import plugins as cli_plugins
from tests.cli.conftest import probe, run_cli
from tests.conftest import REPO


def test_no_product_module_imports_the_eval_harness():
    importing = re.compile(r"^\s*(from|import)\s+evals\b", re.M)
    offenders = [str(p.relative_to(REPO)) for p in (REPO / "assistant").rglob("*.py")
                 if importing.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_eval_group_is_declared_as_an_entry_point_and_loads_on_use():
    entry = cli_plugins.plugin_entry_points()["eval"]
    assert entry.value == "evals.cli:eval_app"
    result = probe("eval", "--help")
    assert result.code == 0 and "Measure retrieval and answer quality" in result.stdout
    assert "key-terms" in result.stdout and "answers" in result.stdout


def test_the_top_level_help_lists_the_group_without_importing_it():
    result = probe("--help")
    assert result.code == 0 and re.search(r"^\s+eval\s+Commands from the evals package", result.stdout, re.M)
    assert not any(m == "evals" or m.startswith("evals.") for m in result.modules)


def test_a_group_whose_package_is_missing_says_so_in_one_line(monkeypatch, capsys):
    missing = EntryPoint(name="eval", value="evals_not_installed.cli:eval_app", group=cli_plugins.ENTRY_POINT_GROUP)
    monkeypatch.setattr(cli_plugins, "plugin_entry_points", lambda: {"eval": missing})
    code, out, err = run_cli(monkeypatch, capsys, "eval", "process", "samples/corpus")
    assert code == 1 and out == ""
    assert err.startswith("error: `bpo-assistant eval` needs the evals_not_installed package") and err.count("\n") == 1
    assert "pip install -e ." in err
