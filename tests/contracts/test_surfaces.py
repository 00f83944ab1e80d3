"""`bpo-assistant clauses/obligations/key-terms/sla-schedule` (CliRunner) and the HTTP routes (a real
server on 127.0.0.1) over the annotated sample."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from assistant.contracts.export import read_csv, read_xlsx
from assistant.surfaces import cli
from assistant.surfaces.cli import root as cli_root
from tests.contracts.conftest import DPA, MSA, SOW
from tests.http.conftest import auth, live_app


@pytest.fixture
def run(contract_service, monkeypatch):
    monkeypatch.setattr(cli_root._State, "service", property(lambda self: contract_service))
    runner = CliRunner()

    def invoke(*args: str, role: str = "legal"):
        return runner.invoke(cli.app, ["--as", role, *args], catch_exceptions=True)

    return invoke


def test_cli_clauses_json(run):
    result = run("clauses", "--type", "Termination For Convenience", "--contract", MSA, "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["found"] is True and body["results"][0]["clause_no"] == "12.2"
    assert isinstance(body["results"][0]["clause_types"], list) and isinstance(body["results"][0]["score"], float)


def test_cli_clauses_not_found_and_text(run):
    result = run("clauses", "--type", "Non-Compete", "--contract", DPA)
    assert result.exit_code == 0 and "not found in this contract" in result.stdout
    result = run("clauses", "--type", "Governing Law", "--contract", "northbeam-lumen-msa.pdf")
    assert result.exit_code == 0 and "clause 21.1" in result.stdout


def test_cli_unknown_type_is_an_error(run):
    result = run("clauses", "--type", "Audit Rihgts")
    assert result.exit_code != 0 and "Audit Rights" in result.exception.message


def test_cli_obligations_csv_and_xlsx_files(run, tmp_path):
    result = run("obligations", "--contract", MSA, "--format", "csv", "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 0, result.output
    rows = read_csv((tmp_path / "o.csv").read_text(encoding="utf-8"))
    assert any(r["clause_no"] == "5.3" and r["party_term"] == "Supplier" for r in rows)
    result = run("obligations", "--contract", MSA, "--format", "xlsx", "--out", str(tmp_path / "o.xlsx"))
    assert result.exit_code == 0, result.output
    assert len(read_xlsx((tmp_path / "o.xlsx").read_bytes())) == len(rows)
    result = run("obligations", "--format", "xlsx")
    assert result.exit_code != 0  # xlsx needs --out


def test_cli_obligations_json_to_stdout_and_key_terms_and_sla(run):
    result = run("obligations", "--contract", SOW, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["obligations"]
    result = run("key-terms", MSA, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["governing_law"]["jurisdiction"] == "State of Delaware"
    result = run("sla-schedule", SOW, "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["terms"]) == 9


def test_cli_obligations_without_a_format_is_a_table_to_read_not_json(run, monkeypatch):
    monkeypatch.setattr(cli_root.out, "width", 100)
    result = run("obligations", "--contract", MSA)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not text.lstrip().startswith("{") and MSA in text and "5.3" in text
    summary = text.strip().splitlines()[-1]
    assert summary.endswith("rights; the full register with quotes: --format csv|xlsx|json") and " obligations and " in summary
    exported = json.loads(run("obligations", "--contract", MSA, "--format", "json").stdout)
    assert summary.startswith(f"{len(exported['obligations'])} obligations and {len(exported['rights'])} rights")
    assert max(len(line) for line in text.splitlines()) <= 100
    assert {o["clause_no"] for o in exported["obligations"]} <= set(text.split())  # every clause is listed
    assert run("obligations", "--out", "o.csv").exit_code != 0  # --out exports: it needs a --format


def test_cli_agent_role_cannot_read_contracts(run):
    result = run("clauses", "--type", "Audit Rights", "--contract", MSA, role="bpo_agent")
    assert result.exit_code != 0 and "no contract named" in result.exception.message


@pytest.fixture(scope="module")
def api(contract_service):
    with live_app(contract_service) as server:
        yield server.url


def test_http_clauses_and_obligations(api):
    with httpx.Client(base_url=api, timeout=120) as client:
        r = client.post("/v1/clauses", json={"type": "Audit Rights", "source": MSA, "k": 2}, headers=auth("legal"))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["found"] and len(body["results"]) <= 2 and body["results"][0]["source"] == MSA
        r = client.post("/v1/clauses", json={"type": "Audit Rights", "extra": 1}, headers=auth("legal"))
        assert r.status_code == 422
        r = client.post("/v1/clauses", json={"type": "Audit Rigts"}, headers=auth("legal"))
        assert r.status_code == 422 and "Audit Rights" in r.json()["error"]["message"]
        r = client.post("/v1/clauses", json={"type": "Audit Rights", "source": MSA}, headers=auth("bpo_agent"))
        assert r.status_code == 404
        r = client.get("/v1/obligations", params={"contract": MSA}, headers=auth("legal"))
        assert r.status_code == 200 and any(o["clause_no"] == "5.3" for o in r.json()["obligations"])
        r = client.get("/v1/obligations", params={"contract": MSA, "format": "csv"}, headers=auth("legal"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv") and "5.3" in r.text
        r = client.get("/v1/obligations", params={"contract": MSA})
        assert r.status_code == 401
        r = client.get("/v1/key-terms", params={"contract": MSA}, headers=auth("legal"))
        assert r.status_code == 200 and r.json()["parties"][0]["name"] == "Northbeam Retail Inc."
        r = client.get("/v1/sla-schedule", params={"contract": SOW}, headers=auth("legal"))
        assert r.status_code == 200 and r.json()["credit_cap_percent"] == 15.0


def test_cli_tables_show_derived_dates_and_sla_credits(run, monkeypatch):
    from assistant.surfaces.cli import contracts as cli_contracts

    monkeypatch.setattr(cli_contracts.out, "width", 300)  # no wrapping inside table cells
    result = run("key-terms", MSA)
    assert result.exit_code == 0 and "effective date" in result.stdout and "State of Delaware" in result.stdout
    result = run("sla-schedule", SOW.rsplit("/", 1)[-1])
    assert result.exit_code == 0, result.output
    assert "Email Response Time" in result.stdout and "5% of monthly email fees" in result.stdout
