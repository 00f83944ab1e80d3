"""Slash commands, DM text commands, the incident modal, and failures reported to the user, through
the service's real contracts and drafting features (access control included)."""

from __future__ import annotations

import json

import pytest

from assistant.service import AssistantService
from tests.slack.conftest import (
    AGENT, C_OPS, COORD, DM_LEGAL, INTERNAL, LEGAL, SlackClient, all_text, serve_slack, variant,
)


class FailingService(AssistantService):
    def ask(self, *args, **kwargs):
        raise RuntimeError("boom at /srv/secret/path")


@pytest.fixture
def with_features(slack_server, slack_service, fake_slack):
    """The real service's contracts and drafting features, as wired by assistant.wiring."""
    fake_slack.reset()
    with SlackClient(slack_server.url, fake_slack) as client:
        yield client, slack_service


def _events(service, action: str) -> list:
    return [e for e in service.audit.read() if e.action == action]


# -- /clause ----------------------------------------------------------------------------------

def test_clause_command_returns_clauses_privately(with_features):
    slack, service = with_features
    before = len(_events(service, "clauses"))
    slack.command("/clause", "termination for convenience", LEGAL, C_OPS)
    [reply] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=LEGAL)
    [lookup] = _events(service, "clauses")[before:]  # the real contract service, as the asker
    assert (lookup.caller, lookup.surface, lookup.question) == (LEGAL, "slack", "Termination for Convenience")
    assert "northbeam-lumen-msa.pdf" in reply.dump and reply.block("clause_1")
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS)


def test_clause_command_for_a_role_without_contracts_is_denied_explicitly(with_features):
    slack, service = with_features
    before = len(_events(service, "clauses"))
    slack.command("/clause", "limitation of liability", AGENT, C_OPS)
    [notice] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=AGENT)
    assert "You don't have access to contracts" in all_text([notice])
    assert len(_events(service, "clauses")) == before  # denied before any lookup


def test_clause_as_text_in_a_dm(with_features):
    slack, _ = with_features
    slack.message(DM_LEGAL, LEGAL, "clause termination for convenience", channel_type="im")
    [reply] = slack.fake.wait_for("chat.postMessage", channel=DM_LEGAL)
    assert reply.block("clause_query") and "northbeam-lumen-msa.pdf" in reply.dump


# -- /rca and /escalate -----------------------------------------------------------------------

def _submission(view: dict, user: str, values: dict) -> dict:
    state = {name: {name: value} for name, value in values.items()}
    return {"type": "view_submission", "team": {"id": "T0NORTH"}, "user": {"id": user}, "api_app_id": "A0BPO",
            "trigger_id": "trig.view", "view": {**view, "id": "V0001", "state": {"values": state}}}


def _form(title: str, description: str, started: int, ended: int | None = None) -> dict:
    values = {"title": {"type": "plain_text_input", "value": title},
              "description": {"type": "plain_text_input", "value": description},
              "process": {"type": "plain_text_input", "value": "Chat support"},
              "vendor": {"type": "plain_text_input", "value": "Lumen BPO Services"},
              "started_at": {"type": "datetimepicker", "selected_date_time": started},
              "ended_at": {"type": "datetimepicker", "selected_date_time": ended}}
    return values


def test_rca_opens_the_incident_form_and_the_submission_posts_the_draft_privately(with_features):
    slack, service = with_features
    r = slack.command("/rca", "chat backlog 2025-10-14", COORD, C_OPS)
    assert r.status_code == 200
    [opened] = slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"].startswith("trig.") and view["callback_id"] == "incident_rca"
    assert {b["block_id"] for b in view["blocks"]} >= {"title", "description", "process", "vendor", "started_at", "ended_at"}
    assert json.loads(view["private_metadata"])["channel"] == C_OPS

    started = 1760428800  # 2025-10-14T08:00:00Z
    r = slack.interaction(_submission(view, COORD, _form("Chat backlog", "Queue over 400 <!channel>", started, started + 5400)))
    assert r.status_code == 200 and r.text in ("", "null")
    [draft] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=COORD)
    [written] = [e for e in service.audit.read() if e.action == "draft_rca" and e.question == "Chat backlog"][-1:]
    assert (written.caller, written.surface) == (COORD, "slack")  # the real drafting service, as the asker
    text = all_text([draft])
    assert "Chat backlog" in text and "Lumen BPO Services" in text and "&lt;!channel&gt;" in text
    assert "<!channel>" not in text
    upload = slack.fake.wait_for("file_upload")[0]
    assert "Chat backlog" in upload.args["content"] and "2025-10-14" in upload.args["content"]
    assert slack.fake.calls_to("files.completeUploadExternal")
    assert not slack.fake.calls_to("chat.postMessage", channel=C_OPS)


def test_incident_form_errors_are_shown_in_the_form(with_features):
    slack, service = with_features
    slack.command("/escalate", "", COORD, C_OPS)
    [opened] = slack.fake.wait_for("views.open")
    started = 1760428800
    r = slack.interaction(_submission(opened.args["view"], COORD, _form("FCR miss", "below target", started, started - 60)))
    assert r.status_code == 200
    assert r.json() == {"response_action": "errors", "errors": {"ended_at": "The end must be after the start."}}


def test_escalate_as_text_in_a_dm_offers_the_form(with_features):
    slack, _ = with_features
    slack.message(DM_LEGAL, LEGAL, "escalate missed FCR SLA for October", channel_type="im")
    [offer] = slack.fake.wait_for("chat.postMessage", channel=DM_LEGAL)
    button = offer.block("open_form")["elements"][0]
    slack.click("open_incident_form", button["value"], LEGAL, DM_LEGAL)
    [opened] = slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "incident_escalate"
    assert view["blocks"][0]["element"]["initial_value"] == "missed FCR SLA for October"


# -- failures ---------------------------------------------------------------------------------

def test_an_exception_becomes_a_private_message_with_a_reference(slack_service, fake_slack):
    with serve_slack(variant(slack_service, cls=FailingService), fake_slack) as server, SlackClient(server.url, fake_slack) as slack:
        fake_slack.reset()
        r, ts = slack.mention(C_OPS, INTERNAL, "anything at all?")
        assert r.status_code == 200
        [notice] = fake_slack.wait_for("chat.postEphemeral", channel=C_OPS, user=INTERNAL)
        text = all_text([notice])
        assert "Sorry, something went wrong (reference " in text and notice.args["thread_ts"] == ts
        assert "boom" not in text and "Traceback" not in text and "/srv/secret" not in text


def test_invalid_input_is_explained_not_hidden(slack):
    slack.command("/ask", "x" * 4100, INTERNAL, C_OPS)
    [notice] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=INTERNAL)
    assert "longer than 4000 characters" in all_text([notice])


def test_empty_ask_gets_help(slack):
    slack.command("/ask", "", INTERNAL, C_OPS)
    [notice] = slack.fake.wait_for("chat.postEphemeral", channel=C_OPS, user=INTERNAL)
    assert "/clause" in all_text([notice])
