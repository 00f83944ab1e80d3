"""The CLI commands (Typer's CliRunner) and the HTTP routes (a real server on 127.0.0.1) over the sample."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from assistant.drafting.api import DraftingService
from assistant.drafting.metrics import MetricsError
from assistant.surfaces import cli
from assistant.surfaces.cli import root as cli_root
from assistant.surfaces.cli import drafts as cli_drafts
from tests.drafting.conftest import DATA, INCIDENT_FILE, SOW
from tests.drafting.helpers import tickets_csv

KEYS = {"coordinator": "coo-3e5a7c9b1d2f4a6c", "bpo_agent": "agt-5c7e9a1b3d2f4c6e"}


@pytest.fixture
def run(drafting_service, monkeypatch):
    """Invoke the real CLI app with its service replaced by the ingested sample."""
    monkeypatch.setattr(cli_root._State, "service", property(lambda self: drafting_service))
    runner = CliRunner()

    def invoke(*args: str, role: str = "coordinator"):
        return runner.invoke(cli.app, ["--as", role, *args], catch_exceptions=True)

    return invoke


def test_cli_draft_escalation_writes_markdown_docx_and_json(run, tmp_path):
    metrics = tickets_csv(tmp_path / "t.csv", 930, 70)
    result = run("draft", "escalation", "--incident", str(INCIDENT_FILE), "--metrics", str(metrics), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    written = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert written == [".docx", ".json", ".md"]
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    assert "**To:** Priya Raman" in md and "## Slack summary" in md


def test_cli_draft_rca_json_with_a_column_map(run, tmp_path):
    metrics = tmp_path / "export.csv"
    metrics.write_text("Opened,Closed\n2025-10-02T08:00:00Z,2025-10-02T09:00:00Z\n2025-10-03T08:00:00Z,2025-10-05T09:00:00Z\n")
    result = run("draft", "rca", "--incident", str(INCIDENT_FILE), "--metrics", str(metrics),
                 "--map", "created_at=Opened,resolved_at=Closed", "--json")
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert draft["kind"] == "rca" and draft["sla"][0]["actual"] == 50.0 and draft["sla"][0]["met"] is False


def test_cli_sla_json_shape(run, tmp_path):
    result = run("sla", "--contract", SOW, "--metrics", str(DATA / "tickets-october-2025.csv"), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["units"] == "percent"
    (r,) = body["results"]
    assert (r["metric"], r["target"], r["actual"], r["met"], r["credit"]) == ("Email Response Time", 95.0, 96.0, True, None)
    assert r["citation"]["source"] == SOW


def test_cli_sla_table(run, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_drafts.out, "width", 250)  # no wrapping inside table cells
    result = run("sla", "--contract", SOW, "--metrics", str(tickets_csv(tmp_path / "t.csv", 880, 120)))
    assert result.exit_code == 0, result.output
    assert "Email Response Time" in result.stdout and "10% of monthly email fees" in result.stdout


def test_cli_garbage_metrics_is_an_error_listing_rows(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("created_at,resolved_at\n2025-10-02T00:00:00Z,2025-10-02T01:00:00Z\nnot a date,x\n")
    result = run("sla", "--contract", SOW, "--metrics", str(bad))
    assert isinstance(result.exception, MetricsError)  # main() turns it into one line and exit code 1
    assert "row 3: created_at 'not a date' is not an ISO 8601 time" in result.exception.message


def test_cli_uses_the_wired_drafting_service(run, drafting_service, monkeypatch, tmp_path):
    calls = []

    class Recording(DraftingService):
        def escalation(self, incident, caller, metrics=None):
            calls.append(caller.roles)
            return super().escalation(incident, caller, metrics)

    wired = drafting_service.drafts
    monkeypatch.setattr(drafting_service, "drafts", Recording(wired.sources, wired.trail, wired.history_path))
    result = run("draft", "escalation", "--incident", str(INCIDENT_FILE), role="bpo_agent")
    assert result.exit_code == 0 and calls == [frozenset({"bpo_agent"})]
    assert "Contract terms (SLA targets" in result.stdout


@pytest.fixture(scope="module")
def api(drafting_service):
    from tests.http.conftest import live_app

    with live_app(drafting_service, keys=",".join(f"{k}:{role}" for role, k in KEYS.items())) as server:
        yield server.url


def post(api: str, path: str, body: dict, role: str = "coordinator") -> httpx.Response:
    with httpx.Client(base_url=api, timeout=120) as client:
        return client.post(path, json=body, headers={"Authorization": f"Bearer {KEYS[role]}"})


def incident_json() -> dict:
    import yaml

    return json.loads(json.dumps(yaml.safe_load(INCIDENT_FILE.read_text()), default=str))


def test_http_escalation_draft(api, tmp_path):
    csv_text = tickets_csv(tmp_path / "t.csv", 960, 40).read_text()
    r = post(api, "/v1/drafts/escalation", {"incident": incident_json(), "metrics_csv": csv_text})
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["kind"] == "escalation" and draft["email"]["to"][0].startswith("Aisha Okonjo")
    assert draft["sla"][0]["actual"] == 96.0 and draft["citations"] and draft["markdown"].startswith("# Escalation email")


def test_http_rca_draft_for_a_bpo_agent_has_no_contract_terms(api):
    r = post(api, "/v1/drafts/rca", {"incident": incident_json()}, role="bpo_agent")
    assert r.status_code == 200, r.text
    assert all(c["source"].startswith("runbooks/") for c in r.json()["citations"])


def test_http_sla_and_its_errors(api, tmp_path):
    csv_text = tickets_csv(tmp_path / "t.csv", 960, 40).read_text()
    r = post(api, "/v1/sla", {"contract": SOW, "metrics_csv": csv_text, "month": "2025-10"})
    assert r.status_code == 200, r.text
    assert r.json()["units"] == "percent" and r.json()["results"][0]["met"] is True
    garbage = "created_at,resolved_at\n2025-10-02T00:00:00Z,2025-10-02T01:00:00Z\nnope,nope\n"
    bad = post(api, "/v1/sla", {"contract": SOW, "metrics_csv": garbage})
    assert bad.status_code == 422 and "row 3" in bad.json()["error"]["message"]
    assert post(api, "/v1/sla", {"contract": SOW, "metrics_csv": csv_text}, role="bpo_agent").status_code == 404


def test_http_metrics_text_is_never_read_as_a_server_path(api):
    r = post(api, "/v1/sla", {"contract": SOW, "metrics_csv": str(INCIDENT_FILE)})
    assert r.status_code == 422 and "email-backlog" not in r.json()["error"]["message"].replace(str(INCIDENT_FILE), "")


def test_cli_sla_takes_a_bare_file_name_like_the_other_contract_commands(run):
    result = run("sla", "--contract", SOW.rsplit("/", 1)[-1], "--metrics", str(DATA / "tickets-october-2025.csv"), "--json")
    assert result.exit_code == 0, result.output
    (r,) = json.loads(result.stdout)["results"]
    assert r["citation"]["source"] == SOW and r["period"] == "2025-10"
