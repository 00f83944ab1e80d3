"""The hostile-input suite of evals/hostile at its CI size: every part must end with 0 failed."""

from __future__ import annotations

import shutil

from evals.hostile import checks
from evals.hostile.run import run
from tests.conftest import SAMPLE

KILL_CORPUS = ["runbooks/refund-exceptions-sop.md", "runbooks/chat-backlog-incident-runbook.md",
               "contracts/northbeam-lumen-msa.pdf"]


def test_the_hostile_suite_at_ci_size_handles_everything(tmp_path):
    small = tmp_path / "kill-corpus"
    for rel in KILL_CORPUS:
        (small / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE / rel, small / rel)
    rows, report = run(tmp_path / "work", "ci", kills=1, clients=2, seconds=5, kill_corpus=small)
    table = checks.summarise(rows)
    assert not [r for r in rows if r.failed], table
    parts = {r.part for r in rows}
    assert parts == {"files", "kill -9", "http", "load", "access", "server"}, table
    assert sum(r.tried for r in rows if r.part == "files") >= 50
    assert report["files"]["report"] and report["live"]["requests"] > 0
