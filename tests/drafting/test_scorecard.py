"""The scorecard end to end on contracts of our own (real Chroma, the real model): history loaded
from two files of different shapes, per-month figures and credits, the master agreement's
persistent-failure rule and the SOW's credit waiver applied, the review pack, the CLI, HTTP and
Slack surfaces, and the escalation draft a persistent failure offers."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from assistant.drafting.metrics import MetricsText
from assistant.errors import InvalidInput, NotFound
from tests.conftest import admin, as_role, build_service, write_files
from tests.drafting.helpers import quote_in_chunk
from tests.drafting.scorecard_data import FEES, FILES, SOW_SOURCE, TICKET_MAP, WIDE, tickets_csv

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def service(tmp_path_factory, embedder):
    root = write_files(tmp_path_factory.mktemp("scorecard-docs"), FILES)
    svc = build_service(tmp_path_factory.mktemp("scorecard-home"), embedder)
    summary = svc.ingest(root, admin())
    assert not summary.partial and summary.count("indexed") == 3, summary
    yield svc
    svc.catalog.close()


@pytest.fixture(scope="module")
def card(service):
    coordinator = as_role("coordinator")
    first = service.drafts.scorecard("meridian-harbor-sow-claims-intake.md", coordinator, MetricsText(tickets_csv()),
                                     columns=TICKET_MAP, fees=FEES)
    assert (first.history.added, first.history.bad_rows) == (600, [])
    return service.drafts.scorecard(SOW_SOURCE, coordinator, MetricsText(WIDE), columns={"month": "Month"}, fees=FEES)


def metric(card, month: str, name: str):
    return next(x for m in card.months if m.month == month for x in m.metrics if x.name == name)


def test_each_month_has_every_metric_with_actual_target_result_and_credit(card):
    assert [m.month for m in card.months] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    feb = metric(card, "2025-02", "Claim Acknowledgement Time")
    assert (feb.actual, feb.target, feb.met, feb.status, feb.credit_pct, feb.credit_amount) == (88.0, 92.0, False, "missed", 4.0, 2000.0)
    assert feb.citation.clause_no == "4.1" and "Claim Acknowledgement Time" in feb.citation.quote
    apr = metric(card, "2025-04", "Call Abandonment")
    assert (apr.actual, apr.comparator, apr.status, apr.credit_amount) == (7.2, "<=", "missed", 600.0)
    assert metric(card, "2025-06", "Call Abandonment").status == "no_data"
    assert metric(card, "2025-03", "Data Entry Accuracy").basis == "the month's reported value"
    feb_cap = next(m.cap for m in card.months if m.month == "2025-02")
    assert feb_cap.cap_percent == 10.0 and feb_cap.applies is False and feb_cap.citation.clause_no == "4.2"


def test_the_master_agreements_persistent_failure_rule_is_applied(card, service):
    assert card.related_contracts == ["contracts/meridian-harbor-master-agreement.md"]  # not the unrelated agreement
    [failure] = card.persistent_failures
    assert (failure.metric, failure.months, failure.triggered_in) == ("Claim Acknowledgement Time", ["2025-02", "2025-03"], "2025-03")
    assert failure.rule == "Persistent Service Failure" and failure.clause_no == "11.2"
    assert failure.right_detail.notice_days == 30 and failure.right_detail.clause_no == "11.3"
    assert failure.right.startswith("the Client may terminate this Agreement")
    assert quote_in_chunk(service, failure.citation) and quote_in_chunk(service, failure.right_detail.citation)
    offer = failure.escalation
    assert offer.incident["sla_metric"] == "Claim Acknowledgement Time" and offer.incident["contract"] == SOW_SOURCE
    assert offer.month == "2025-03" and "draft escalation" in offer.command


def test_credits_are_waived_pending_or_final_as_the_sows_clause_says(card):
    status = {(e.month, e.metric): e.status for e in card.earn_back}
    assert status == {
        ("2025-02", "Claim Acknowledgement Time"): "final",  # missed again in March
        ("2025-03", "Claim Acknowledgement Time"): "earned_back",  # April and May met
        ("2025-03", "Data Entry Accuracy"): "earned_back",
        ("2025-04", "Call Abandonment"): "pending",  # June not reported
    }
    assert card.earn_back_rule.effect == "waived" and card.earn_back_rule.months == 2
    rcas = {(r.month, r.metric): r.due for r in card.rcas}
    assert rcas[("2025-04", "Call Abandonment")] == "2025-05-05"  # three business days after 30 April


def test_reloading_is_idempotent_and_from_to_narrow_the_view(service, card):
    again = service.drafts.scorecard(SOW_SOURCE, admin(), MetricsText(WIDE), columns={"month": "Month"}, first="2025-03",
                                     last="2025-04", fees=FEES)
    assert (again.history.added, again.history.updated, again.history.unchanged) == (0, 0, 11)
    assert [m.month for m in again.months] == ["2025-03", "2025-04"]
    # The run that makes the failure starts before --from: it is still found (triggered in March).
    assert [f.triggered_in for f in again.persistent_failures] == ["2025-03"]
    assert again.model_dump()["months"] == [m.model_dump() for m in card.months[2:4]]
    events = [e for e in service.audit.read() if e.action == "scorecard"]
    assert events and events[-1].caller == "test" and events[-1].question == SOW_SOURCE  # who, when and which contract


def test_contract_content_is_refused_to_a_bpo_agent_and_bad_input_is_one_line(service, card):
    with pytest.raises(NotFound):
        service.drafts.scorecard(SOW_SOURCE, as_role("bpo_agent"))
    with pytest.raises(InvalidInput, match="not a month"):
        service.drafts.scorecard(SOW_SOURCE, admin(), first="2025-13")
    with pytest.raises(InvalidInput, match="after --to"):
        service.drafts.scorecard(SOW_SOURCE, admin(), first="2025-05", last="2025-02")
    with pytest.raises(NotFound, match="no SLA table"):
        service.drafts.scorecard("contracts/meridian-harbor-master-agreement.md", admin())


def test_a_contract_without_history_says_how_to_load_one(service, tmp_path):
    from assistant.contracts.persistence_models import PersistenceTerms
    from assistant.drafting.history import MetricsHistory
    from assistant.drafting.scorecard import build_scorecard

    empty = MetricsHistory(tmp_path / "history.sqlite")
    schedule = service.contracts.sla_schedule(SOW_SOURCE, admin())
    with pytest.raises(InvalidInput, match=r"no metrics history for .*: load a metrics file"):
        build_scorecard(schedule, PersistenceTerms(), empty)
    empty.close()


def test_the_review_pack_files(card, tmp_path):
    from openpyxl import load_workbook

    from assistant.drafting.scorecard_files import write_scorecard

    paths = write_scorecard(card, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == sorted(["scorecard.md", "scorecard.xlsx", "trend-claim-acknowledgement-time.png",
                            "trend-data-entry-accuracy.png", "trend-call-abandonment.png",
                            "escalation-persistent-service-failure-claim-acknowledgement-time-2025-03.yaml"])
    assert all((tmp_path / n).read_bytes()[:8] == PNG for n in names if n.endswith(".png"))
    md = (tmp_path / "scorecard.md").read_text(encoding="utf-8")
    for heading in ("## Persistent-failure warnings", "## Trend: actual against target", "## Misses and service credits",
                    "## Earn-back", "## Root cause analyses due", "## Charts", "## Sources"):
        assert heading in md
    assert "Persistent Service Failure" in md and "thirty (30) days' written notice" in md
    assert "88.00% **MISSED**" in md and "![Claim Acknowledgement Time" in md
    book = load_workbook(tmp_path / "scorecard.xlsx")
    assert book.sheetnames == ["Monthly", "Trend", "Misses", "Persistent failures", "Earn-back", "Credit cap", "RCAs due"]
    monthly = book["Monthly"]
    assert monthly.auto_filter.ref == f"A1:M{1 + 6 * 3}" and monthly.freeze_panes == "A2"
    row = next(r for r in monthly.iter_rows(min_row=2, values_only=True) if r[1] == "Claim Acknowledgement Time"
               and r[0].month == 2)
    assert (row[2], row[3], row[5], row[6], row[7]) == (88.0, 92.0, "MISSED", 4.0, 2000.0)
    assert monthly["C2"].number_format == '0.00"%"'


def test_the_escalation_draft_states_the_failure_and_the_right_with_citations(service, card, tmp_path):
    written = service.drafts.scorecard_escalations(card, as_role("coordinator"), tmp_path)
    md = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "Persistent Service Failure under clause 11.2" in md
    assert "the Client may terminate this Agreement" in md and "notice: thirty (30) days' written notice" in md
    draft = json.loads(next(p for p in written if p.suffix == ".json").read_text(encoding="utf-8"))
    assert any(c["clause_no"] == "11.2" for c in draft["citations"])
    assert draft["sla_report"]["window_label"] == "March 2025"


def test_cli_json_shape_and_out(service, card, monkeypatch, capsys, tmp_path):
    from tests.cli.conftest import run_cli

    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(service.settings.home))
    code, out, err = run_cli(monkeypatch, capsys, "--as", "coordinator", "scorecard", "--contract",
                             "meridian-harbor-sow-claims-intake.md", "--to", "2025-04", "--json", "--out", str(tmp_path / "pack"))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"contract", "months", "persistent_failures", "earn_back", "notes"}
    first = data["months"][0]["metrics"][0]
    assert set(first) >= {"name", "actual", "target", "met", "credit_pct", "credit_amount", "citation"}
    assert data["persistent_failures"][0]["clause_no"] == "11.2" and data["persistent_failures"][0]["months"] == ["2025-02", "2025-03"]
    assert (tmp_path / "pack" / "scorecard.xlsx").is_file() and "wrote" in err
    code, out, err = run_cli(monkeypatch, capsys, "--as", "bpo_agent", "scorecard", "--contract", SOW_SOURCE)
    assert code == 1 and err.startswith("error: no contract named") and len(err.strip().splitlines()) == 1
    code, out, err = run_cli(monkeypatch, capsys, "scorecard", "--contract", SOW_SOURCE, "--from", "July")
    assert code == 1 and "--from 'July' is not a month" in err


def test_http_scorecard_with_charts_attached(service, card):
    from tests.http.conftest import live_app

    keys = "coord-key-0001:coordinator,agent-key-0001:bpo_agent"
    with live_app(service, keys=keys) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        coordinator = {"Authorization": "Bearer coord-key-0001"}
        r = client.post("/v1/scorecard", json={"contract": SOW_SOURCE, "from": "2025-02", "to": "2025-04",
                                               "monthly_fees": FEES}, headers=coordinator)
        assert r.status_code == 200, r.text
        body = r.json()
        assert [m["month"] for m in body["months"]] == ["2025-02", "2025-03", "2025-04"]
        assert body["persistent_failures"][0]["rule"] == "Persistent Service Failure"
        charts = {c["metric"]: c for c in body["charts"]}
        assert base64.b64decode(charts["Claim Acknowledgement Time"]["png_base64"])[:8] == PNG
        r = client.post("/v1/scorecard", json={"contract": SOW_SOURCE, "charts": False}, headers=coordinator)
        assert r.status_code == 200 and r.json()["charts"] == []
        assert client.post("/v1/scorecard", json={"contract": SOW_SOURCE}, headers={"Authorization": "Bearer agent-key-0001"}
                           ).status_code == 404
        for bad in ({"contract": SOW_SOURCE, "from": "2025-13"}, {"contract": SOW_SOURCE, "charts": "yes"},
                    {"contract": SOW_SOURCE, "metrics_csv": "month,metric,value\n"}, {"contract": SOW_SOURCE, "extra": 1},
                    {"contract": SOW_SOURCE, "monthly_fees": {"total": -1}}):
            r = client.post("/v1/scorecard", json=bad, headers=coordinator)
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input", (bad, r.text)


def test_slack_scorecard_posts_privately_and_uploads_charts_to_the_askers_dm(service, card, embedder, tmp_path):
    import shutil

    from tests.slack.conftest import COORD, SlackClient, serve_slack
    from tests.slack.fake_slack import FakeSlack

    shutil.copytree(service.settings.home, tmp_path / "home")  # a second service may not share a home with the first
    slack_service = build_service(tmp_path / "home", embedder, slack={"users": {COORD: ["coordinator"], "UAGENT99": ["bpo_agent"]},
                                                                        "default_roles": ["internal"]})
    fake = FakeSlack().start()
    try:
        with serve_slack(slack_service, fake) as server, SlackClient(server.url, fake) as slack:
            assert slack.command("/scorecard", "meridian-harbor-sow-claims-intake.md", COORD, "COPS00009").status_code == 200
            [reply] = fake.wait_for("chat.postEphemeral", timeout=120, user=COORD)
            assert reply.block("scorecard_failure_0") and "Persistent Service Failure" in reply.dump
            assert "2025-06" in reply.dump and reply.block("scorecard_note")
            assert fake.wait_for("files.getUploadURLExternal", count=3)
            [done] = fake.wait_for("files.completeUploadExternal")
            assert done.args["channel_id"] == "D" + COORD[1:]  # the asker's DM, never the channel
            assert not fake.calls_to("chat.postMessage", channel="COPS00009")
            fake.reset()
            slack.command("/scorecard", SOW_SOURCE, "UAGENT99", "COPS00009")
            [notice] = fake.wait_for("chat.postEphemeral", timeout=60, user="UAGENT99")
            assert "access to contracts" in notice.dump and not fake.calls_to("files.getUploadURLExternal")
            fake.reset()
            slack.command("/scorecard", "", COORD, "COPS00009")
            [usage] = fake.wait_for("chat.postEphemeral", timeout=60, user=COORD)
            assert "Usage: `/scorecard" in usage.dump
    finally:
        fake.stop()
        slack_service.catalog.close()
