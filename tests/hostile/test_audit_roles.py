"""The audit log obeys roles on every surface that shows it: admin reads all, others their own."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest
from typer.testing import CliRunner

from assistant.surfaces.cli import app
from tests.conftest import REPO, build_service
from tests.http.conftest import KEYS, auth, live_app

CONTRACT_QUESTION = "What is the termination for convenience notice period in the MSA?"
RUNBOOK_QUESTION = "Who approves a refund exception?"


@pytest.fixture(scope="module")
def home(sample_service, tmp_path_factory):
    target = tmp_path_factory.mktemp("audit") / "home"
    shutil.copytree(sample_service.settings.home, target)
    (target / "audit.jsonl").unlink(missing_ok=True)
    return target


def cli(home, *args):
    result = CliRunner().invoke(app, ["--config", str(REPO / "config.yaml"), *args], env={"BPO_ASSISTANT_HOME": str(home)},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def asked(home):
    cli(home, "--as", "legal", "ask", CONTRACT_QUESTION, "--json")
    cli(home, "--as", "bpo_agent", "ask", RUNBOOK_QUESTION, "--json")
    return home


def _events(home, role: str) -> list[dict]:
    return json.loads(cli(home, "--as", role, "audit", "--json"))["events"]


def test_cli_audit_shows_an_admin_every_event(asked):
    assert {e["question"] for e in _events(asked, "admin")} >= {CONTRACT_QUESTION, RUNBOOK_QUESTION}


def test_cli_audit_shows_anyone_else_only_their_own_events(asked):
    legal_chunks = {c for e in _events(asked, "admin") if e["roles"] == ["legal"] for c in e["chunk_ids"]}
    assert legal_chunks  # the legal answer cited contract chunks
    agent = _events(asked, "bpo_agent")
    assert [e["question"] for e in agent] == [RUNBOOK_QUESTION]
    assert not legal_chunks & {c for e in agent for c in e["chunk_ids"]}
    assert [e["question"] for e in _events(asked, "legal")] == [CONTRACT_QUESTION]


@pytest.mark.parametrize("role", ["", "internal"])
def test_cli_audit_shows_a_role_without_events_nothing(asked, role):
    assert _events(asked, role) == []


def test_cli_audit_as_an_unknown_role_is_refused_and_shows_nothing(asked):
    result = CliRunner().invoke(app, ["--config", str(REPO / "config.yaml"), "--as", "no_such_role", "audit", "--json"],
                                env={"BPO_ASSISTANT_HOME": str(asked)})
    assert result.exit_code != 0 and CONTRACT_QUESTION not in result.output


def test_http_audit_gives_each_key_its_own_events_and_an_admin_all(sample_service, embedder, tmp_path):
    shutil.copytree(sample_service.settings.home, tmp_path / "home")
    (tmp_path / "home/audit.jsonl").unlink(missing_ok=True)
    svc = build_service(tmp_path / "home", embedder)
    with live_app(svc) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.post("/v1/ask", json={"question": CONTRACT_QUESTION}, headers=auth("legal")).status_code == 200
        assert http.post("/v1/search", json={"query": RUNBOOK_QUESTION}, headers=auth("bpo_agent")).status_code == 200
        seen = {role: http.get("/v1/audit", headers=auth(role)).json()["events"] for role in ("admin", "legal", "bpo_agent", "nobody")}
        assert http.get("/v1/audit").status_code == 401
        assert http.get("/v1/audit", params={"since": "yesterday"}, headers=auth("admin")).status_code == 422
    assert {e["question"] for e in seen["admin"]} >= {CONTRACT_QUESTION, RUNBOOK_QUESTION}
    assert [e["question"] for e in seen["legal"]] == [CONTRACT_QUESTION]
    assert [e["question"] for e in seen["bpo_agent"]] == [RUNBOOK_QUESTION]
    assert seen["nobody"] == []
    assert KEYS["legal"] not in json.dumps(seen)  # callers are key labels, never keys
    svc.catalog.close()
