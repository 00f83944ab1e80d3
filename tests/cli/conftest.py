"""CLI fixtures: the real `main()` (what the console script runs) in-process, and in a fresh
interpreter when what a command imports is the point."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.answering.conftest import copy_home
from tests.conftest import REPO

# What only a command that needs it may import: the model runtime, Chroma, the HTTP and Slack
# stacks, the eval harness, numpy and BM25 (both arrive with the store), LangChain, rich.
HEAVY = ("torch", "sentence_transformers", "transformers", "onnxruntime", "chromadb", "fastapi", "starlette",
         "uvicorn", "slack_bolt", "slack_sdk", "evals", "numpy", "bm25s", "langchain", "langchain_core", "rich")

_PROBE = r"""
import sys
sys.argv = ["bpo-assistant", *sys.argv[1:]]
code = 0
try:
    from assistant.surfaces.cli import main
    main()
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\nEXIT=%s\nMODULES=%s\n" % (code, ",".join(sorted(sys.modules))))
"""


class Probe:
    def __init__(self, done: subprocess.CompletedProcess):
        head, _, tail = done.stderr.rpartition("\nEXIT=")
        code, _, modules = tail.partition("\nMODULES=")
        self.code = int(code) if code.strip().lstrip("-").isdigit() else code
        self.stdout = done.stdout
        self.stderr = head
        self.modules = set(modules.strip().split(","))

    def heavy(self) -> list[str]:
        return sorted({m.split(".")[0] for m in self.modules} & set(HEAVY))


def probe(*args: str, env: dict[str, str] | None = None, cwd=REPO) -> Probe:
    """`bpo-assistant ARGS` in a fresh interpreter: exit code, output and every module it imported."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("BPO_ASSISTANT_HOME", "BPO_ASSISTANT_CONFIG")}
    full_env.update(env or {})
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=300)
    return Probe(done)


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """`main()` with these arguments: (exit code, stdout, stderr) as a user sees them."""
    from assistant.surfaces import cli

    monkeypatch.setattr(sys, "argv", ["bpo-assistant", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="package")
def sample_home(sample_service, tmp_path_factory):
    """A private copy of the indexed sample's data home."""
    return copy_home(sample_service, tmp_path_factory.mktemp("cli-sample") / "home")
