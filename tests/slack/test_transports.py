"""Socket Mode and the `bpo-assistant slack` command; the same listeners as HTTP mode."""

from __future__ import annotations

import time

import pytest
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest
from typer.testing import CliRunner

from assistant.config import ConfigError
from assistant.surfaces.slack import build_slack_app
from tests.slack.conftest import BOT_TOKEN, C_OPS, INTERNAL
from tests.slack.fake_slack import BOT_USER, TEAM


@pytest.fixture
def socket_bot(slack_service, fake_slack):
    fake_slack.reset()
    bot = build_slack_app(slack_service, token=BOT_TOKEN, api_url=fake_slack.api_url)  # no signing secret needed
    yield bot
    bot.close()


def _envelope(event: dict, event_id: str) -> SocketModeRequest:
    payload = {"team_id": TEAM, "api_app_id": "A0BPO", "type": "event_callback", "event_id": event_id,
               "event_time": int(time.time()), "event": event, "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}
    return SocketModeRequest(type="events_api", envelope_id=f"env-{event_id}", payload=payload)


def test_socket_mode_dispatch_answers_a_dm_and_drops_a_redelivery(socket_bot, fake_slack):
    ts = fake_slack.add_message("DSOCKET01", INTERNAL, "How are chat quality evaluations scored?")
    event = {"type": "message", "channel_type": "im", "channel": "DSOCKET01", "user": INTERNAL,
             "text": "How are chat quality evaluations scored?", "ts": ts, "event_ts": ts}
    assert run_bolt_app(socket_bot.app, _envelope(event, "EvSock01")).status == 200
    assert run_bolt_app(socket_bot.app, _envelope(event, "EvSock01")).status == 200
    [reply] = fake_slack.wait_for("chat.postMessage", channel="DSOCKET01")
    assert reply.block("sources")
    time.sleep(0.5)
    assert len(fake_slack.calls_to("chat.postMessage", channel="DSOCKET01")) == 1


def test_a_mention_in_a_thread_is_answered_once_although_slack_sends_two_events(slack):
    _, parent = slack.mention(C_OPS, INTERNAL, "Who approves a refund exception for a VIP customer?")
    slack.fake.wait_for("chat.postMessage", channel=C_OPS, thread_ts=parent)
    # One message, two events: app_mention and message (message.channels subscription).
    text = f"<@{BOT_USER}> and above 500 dollars?"
    ts = slack.fake.add_message(C_OPS, INTERNAL, text, thread_ts=parent)
    base = {"user": INTERNAL, "text": text, "ts": ts, "channel": C_OPS, "event_ts": ts, "thread_ts": parent}
    slack.event({"type": "app_mention", **base})
    slack.event({"type": "message", "channel_type": "channel", **base})
    slack.fake.wait_for("chat.postMessage", channel=C_OPS, thread_ts=parent, count=2)
    time.sleep(1.0)
    assert len(slack.fake.calls_to("chat.postMessage", channel=C_OPS, thread_ts=parent)) == 2


def test_slack_command_needs_an_app_token(monkeypatch):
    from assistant.surfaces.cli import app

    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["slack"])
    assert isinstance(result.exception, ConfigError) and "SLACK_APP_TOKEN" in str(result.exception)


def test_the_bot_needs_a_bot_token(slack_service):
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        build_slack_app(slack_service)
