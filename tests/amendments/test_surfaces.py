"""Amendments and the conflict check over the CLI (in-process main()), real HTTP on 127.0.0.1 and
the Slack app behind it with signed requests against the local Slack stand-in."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest

from tests.cli.conftest import run_cli
from tests.conftest import build_service
from tests.http.conftest import auth, live_app
from tests.slack.conftest import AGENT, C_OPS, DM_LEGAL, INTERNAL, LEGAL, SLACK_SETTINGS, SlackClient, all_text, serve_slack
from tests.slack.fake_slack import BOT_USER, FakeSlack

MSA = "harbor-quillon-msa.md"


@pytest.fixture(scope="module")
def home(planted, tmp_path_factory):
    target = tmp_path_factory.mktemp("surfaces") / "home"
    shutil.copytree(planted.settings.home, target)
    return target


@pytest.fixture(scope="module")
def copy(home, embedder):
    service = build_service(home, embedder, slack=SLACK_SETTINGS)
    yield service
    service.catalog.close()


# -- CLI ------------------------------------------------------------------------------------------

def test_cli_conflicts_json_has_the_issue_shape(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    code, out, err = run_cli(monkeypatch, capsys, "conflicts", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert len(report["conflicts"]) >= 9
    first = report["conflicts"][0]
    assert {"topic", "kind", "items", "explanation"} <= set(first)
    assert {"source", "clause_no", "quote", "value"} <= set(first["items"][0])


def test_cli_conflicts_for_a_bpo_agent_lists_nothing(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    code, out, _ = run_cli(monkeypatch, capsys, "--as", "bpo_agent", "conflicts", "--source", "calloway-care-sop.md")
    assert code == 0 and out.startswith("0 conflicts")


def test_cli_key_terms_as_of_and_the_amendments_it_applied(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    code, out, err = run_cli(monkeypatch, capsys, "key-terms", MSA, "--as-of", "2026-06-01")
    assert code == 0, err
    flat = " ".join(out.split())  # the terminal wraps long lines
    assert "In force on 2026-06-01:" in flat and "Amendment No. 1 (effective 1 Oct 2025) replaced clause 12.2" in flat
    code, out, _ = run_cli(monkeypatch, capsys, "key-terms", MSA, "--as-of", "2025-06-01", "--json")
    assert json.loads(out)["amendments"] == []


def test_cli_documents_json_shows_the_link(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    _, out, _ = run_cli(monkeypatch, capsys, "documents", "--json")
    docs = {d["source"]: d for d in json.loads(out)["documents"]}
    amendment = docs["contracts/harbor-quillon-amendment-1.docx"]
    assert amendment["amends"] == docs["contracts/" + MSA]["doc_id"] and amendment["link_basis"] == "title+date+parties"


def test_cli_a_bad_as_of_is_one_line(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    code, out, err = run_cli(monkeypatch, capsys, "search", "notice", "--as-of", "2025-02-30")
    assert code == 1 and "as_of must be a date" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# -- HTTP -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(copy):
    with live_app(copy) as server:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            yield client


def test_http_conflicts_by_role(api):
    legal = api.get("/v1/conflicts", headers=auth("legal"))
    assert legal.status_code == 200 and len(legal.json()["conflicts"]) >= 9
    agent = api.get("/v1/conflicts", headers=auth("bpo_agent"))
    assert agent.status_code == 200 and agent.json()["conflicts"] == []
    assert api.get("/v1/conflicts", params={"source": "nope.md"}, headers=auth("legal")).status_code == 404


def test_http_key_terms_and_sla_schedule_take_as_of(api):
    later = api.get("/v1/key-terms", params={"contract": MSA, "as_of": "2026-06-01"}, headers=auth("legal")).json()
    assert later["expiration_date"]["iso"] == "2029-12-31" and later["as_of"] == "2026-06-01"
    sla = api.get("/v1/sla-schedule", params={"contract": MSA, "as_of": "2025-06-01"}, headers=auth("legal")).json()
    assert any(t["target_percent"] == 90.0 for t in sla["terms"]) and sla["amendments"] == []


def test_http_ask_and_search_take_as_of(api):
    question = "How many days of notice does Customer need to give to terminate the Master Services Agreement for convenience?"
    before = api.post("/v1/ask", json={"question": question, "as_of": "2025-06-01"}, headers=auth("legal")).json()
    assert "ninety (90) days" in before["answer"]
    found = api.post("/v1/search", json={"query": "ninety (90) days prior written notice convenience", "as_of": "2026-06-01"},
                     headers=auth("legal")).json()["results"]
    assert any(r["superseded_by"] for r in found)


@pytest.mark.parametrize("body", [{"query": "notice", "as_of": "1 June 2025"}, {"query": "notice", "as_of": "2025-02-30"},
                                  {"query": "notice", "as_of": 20250601}])
def test_http_a_bad_as_of_is_422_never_500(api, body):
    assert api.post("/v1/search", json=body, headers=auth("legal")).status_code == 422


# -- Slack ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def slack(copy):
    fake = FakeSlack().start()
    fake.members.update({C_OPS: [INTERNAL, BOT_USER]})
    try:
        with serve_slack(copy, fake) as server, SlackClient(server.url, fake) as client:
            yield client
    finally:
        fake.stop()


def test_slack_conflicts_are_private_and_follow_the_askers_roles(slack):
    slack.fake.reset()
    slack.command("/conflicts", "", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert reply.block("conflict_1") and "within 48 hours of receipt" in reply.dump
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS)
    slack.command("/conflicts", "", AGENT, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=AGENT)
    assert "No conflicts" in all_text([reply]) and "Supplier shall" not in reply.dump


def test_slack_ask_reads_as_of_from_the_question(slack):
    slack.fake.reset()
    # In a DM the asker's own roles apply (a channel narrows to what all its members may read).
    slack.command("/ask", "as of 2025-06-01: how many days of notice does Customer need to terminate the Master Services "
                          "Agreement for convenience?", LEGAL, DM_LEGAL, channel_name="directmessage")
    [reply] = slack.fake.wait_for("chat.postMessage", channel=DM_LEGAL)
    assert "ninety (90) days" in reply.dump and "thirty (30) days" not in reply.dump


# -- clause look-ups as of a date (CLI, HTTP, Slack) ----------------------------------------------

AMENDMENT_1 = "contracts/harbor-quillon-amendment-1.docx"
TFC = "Termination for Convenience"


def test_cli_clauses_as_of_puts_the_clause_in_force_first(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    code, out, err = run_cli(monkeypatch, capsys, "clauses", "--type", TFC, "--contract", MSA, "--as-of", "2026-06-01", "--json")
    assert code == 0, err
    later = json.loads(out)
    assert later["as_of"] == "2026-06-01" and later["results"][0]["source"] == AMENDMENT_1
    assert "thirty (30) days" in later["results"][0]["text"]
    old = [r for r in later["results"] if "ninety (90) days" in r["text"]]
    assert old and old[0]["superseded_by"].startswith("clause 12.2 replaced by Amendment No. 1")
    labelled = [i for i, r in enumerate(later["results"]) if r["superseded_by"] or r["in_force_from"]]
    assert labelled == list(range(len(later["results"]) - len(labelled), len(later["results"])))  # after everything in force
    code, out, _ = run_cli(monkeypatch, capsys, "clauses", "--type", TFC, "--contract", MSA, "--as-of", "2025-06-01", "--json")
    earlier = json.loads(out)
    assert earlier["results"][0]["source"] == "contracts/" + MSA and not earlier["results"][0]["superseded_by"]
    assert not any(r["superseded_by"] for r in earlier["results"])
    code, out, _ = run_cli(monkeypatch, capsys, "clauses", "--type", TFC, "--contract", MSA, "--as-of", "2026-06-01")
    assert code == 0 and "superseded: clause 12.2 replaced by Amendment No. 1" in " ".join(out.split())


def test_cli_clauses_a_bad_as_of_is_one_line(monkeypatch, capsys, home):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    code, _, err = run_cli(monkeypatch, capsys, "clauses", "--type", TFC, "--as-of", "2026-02-30")
    assert code == 1 and "as_of must be a date" in err and len(err.strip().splitlines()) == 1


def test_http_clauses_take_as_of(api):
    body = {"type": TFC, "source": MSA}
    later = api.post("/v1/clauses", json={**body, "as_of": "2026-06-01"}, headers=auth("legal")).json()
    assert later["results"][0]["source"] == AMENDMENT_1 and any(r["superseded_by"] for r in later["results"])
    earlier = api.post("/v1/clauses", json={**body, "as_of": "2025-06-01"}, headers=auth("legal")).json()
    assert earlier["as_of"] == "2025-06-01" and earlier["results"][0]["source"] == "contracts/" + MSA
    for bad in ("1 June 2025", "2025-02-30", 20250601):
        assert api.post("/v1/clauses", json={**body, "as_of": bad}, headers=auth("legal")).status_code == 422


def test_slack_clause_reads_as_of_and_labels_superseded_text(slack):
    slack.fake.reset()
    slack.command("/clause", "as of 2025-06-01 termination for convenience", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert "in force on 2025-06-01" in reply.block("clause_query")["text"]["text"] and "superseded" not in reply.dump
    slack.fake.reset()
    slack.command("/clause", "termination for convenience", LEGAL, C_OPS)  # today: Amendment No. 1 is in force
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert "superseded: clause 12.2 replaced by Amendment No. 1" in reply.dump
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS)


# -- Slack /key-terms and /sla-schedule ------------------------------------------------------------

def test_slack_key_terms_privately_as_of_a_date(slack):
    slack.fake.reset()
    slack.command("/key-terms", f"{MSA} as of 2026-06-01", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    text = reply.dump
    assert "in force on 2026-06-01" in text and "Amendments in force on 2026-06-01" in text
    assert "Amendment No. 1 (effective 1 Oct 2025) replaced clause 12.2" in text and "31 December 2029" in text
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS)
    slack.fake.reset()
    slack.command("/key-terms", f"as of 2025-06-01 {MSA}", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert "in force on 2025-06-01" in reply.dump and "Amendments in force" not in reply.dump and "1 February 2028" in reply.dump


def test_slack_sla_schedule_privately_as_of_a_date(slack):
    slack.fake.reset()
    slack.command("/sla-schedule", f"{MSA} as of 2026-06-01", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert reply.block("sla_title") and "95%" in reply.dump and "Amendment No. 3" in reply.dump
    slack.fake.reset()
    slack.command("/sla-schedule", f"{MSA} as of 2025-06-01", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert "90%" in reply.dump and "95%" not in reply.dump


@pytest.mark.parametrize("command", ["/key-terms", "/sla-schedule"])
def test_slack_contract_terms_for_a_bpo_agent_and_bad_input(slack, command):
    slack.fake.reset()
    slack.command(command, MSA, AGENT, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=AGENT)
    # As from /clause and /scorecard: a role that reads no contract is told so, and nothing of it is named.
    assert "You don't have access to contracts" in all_text([reply]) and "Supplier" not in reply.dump and MSA not in reply.dump
    slack.fake.reset()
    slack.command(command, "", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert "Usage:" in all_text([reply])
    slack.fake.reset()
    slack.command(command, f"{MSA} as of 2025-02-30", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    assert "as_of must be a date" in all_text([reply]) and "reference" not in all_text([reply])


def test_the_manifest_declares_every_slash_command_the_app_handles():
    from pathlib import Path

    import yaml

    import assistant.surfaces.slack as slack_package

    manifest = yaml.safe_load((Path(slack_package.__file__).parent / "manifest.yaml").read_text(encoding="utf-8"))
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert {"/key-terms", "/sla-schedule", "/clause", "/scorecard", "/conflicts"} <= declared


# -- an upload runs the conflict check ------------------------------------------------------------

# A new SOP for the Calloway account: its email time contradicts the agreement's 24 hours (a pair the
# conflict check already reads in the planted SOP; from this document it is a new conflict).
NIGHT_SHIFT_SOP = """# Night Shift SOP - Calloway Account

Standard operating procedure for the Tessellate night shift on the Calloway account.

## 1. Email

Reply to every customer email within 36 hours of receipt.
"""


def test_http_upload_lists_the_conflicts_it_brought(api):
    upload = {"file": ("runbooks/calloway-night-shift-sop.md", NIGHT_SHIFT_SOP.encode(), "text/markdown")}
    r = api.post("/v1/documents", files=upload, headers=auth("admin"))
    assert r.status_code == 201, r.text
    new = r.json()["new_conflicts"]
    assert len(new) == 1 and new[0]["kind"] == "sop_looser", new
    assert [i["value"] for i in new[0]["items"]] == ["36 hours", "24 hours"]
    assert new[0]["items"][0]["source"].endswith("calloway-night-shift-sop.md")
    again = api.post("/v1/documents", files=upload, headers=auth("admin"))
    assert again.status_code == 201 and again.json()["new_conflicts"] == []  # unchanged: nothing new
