"""Slack fixtures: the real FastAPI app (create_app) served by uvicorn on 127.0.0.1, a fake Slack
Web API on another local port, and correctly signed requests sent with httpx.

The sample corpus (plus one runbook full of Slack control sequences) is embedded once per package.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import itertools
import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import httpx
import pytest

from tests.conftest import admin, build_service, env_vars
from tests.http.conftest import LiveServer as HttpLiveServer
from tests.slack.fake_slack import BOT_USER, TEAM, FakeSlack

SECRET = "8f14e45fceea167a5a36dedd4bea2543"
BOT_TOKEN = "xoxb-test-0000-northbeam"

LEGAL, AGENT, INTERNAL, COORD, NOBODY = "ULEGAL01", "UAGENT01", "UINTERN1", "UCOORD01", "UNOBODY1"
C_LEGAL = "CLEGAL001"  # configured audience: legal
C_OPS = "COPS00001"  # members: internal staff only
C_MIXED = "CMIXED001"  # members: legal + a BPO agent
DM_LEGAL = "DLEGAL001"
DM_INTERNAL = "DINTERN01"

SLACK_SETTINGS = {
    "users": {LEGAL: ["legal"], AGENT: ["bpo_agent"], INTERNAL: ["internal"], COORD: ["coordinator"], NOBODY: []},
    "channels": {C_LEGAL: ["legal"]},
    "default_roles": ["internal"],
    "document_base_url": "https://docs.northbeam.example/kb",
}

BROADCAST_RUNBOOK = """# Broadcast Etiquette Runbook

## Announcing a floor-wide outage

When the whole contact floor is down, the shift lead posts <!channel> in #floor-ops and pings <@U123>
for the on-call roster. Never send <http://evil.example|the status page> links from personal accounts.
"""


# -- servers ------------------------------------------------------------------------------------

class LiveServer(HttpLiveServer):
    """The HTTP suite's uvicorn-on-127.0.0.1:0 server; stopping it also stops the Slack bot's workers."""

    def __init__(self, app):
        super().__init__(app)
        self.app = app

    def stop(self) -> None:
        super().stop()
        bot = getattr(self.app.state, "slack_bot", None)
        if bot is not None:
            bot.close()


def slack_env(api_url: str):
    return env_vars({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url, "BPO_API_KEYS": ""})


@contextmanager
def serve_slack(service, fake: FakeSlack) -> Iterator[LiveServer]:
    """The real HTTP app (create_app mounts Slack because SLACK_SIGNING_SECRET is set)."""
    from assistant.surfaces.http import create_app

    with slack_env(fake.api_url):
        app = create_app(service)
    assert getattr(app.state, "slack_bot", None) is not None, "create_app did not mount the Slack bot"
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


def variant(service, **attrs):
    """The same service (same store, same index) with some attributes replaced: a subclass instance,
    so the real code path runs; used for slow or failing asks."""
    cls = attrs.pop("cls", None) or type(service)
    copy = cls(**{f.name: getattr(service, f.name) for f in dataclasses.fields(service) if f.init})
    for name, value in attrs.items():
        setattr(copy, name, value)
    return copy


# -- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="package")
def slack_service(sample_service, tmp_path_factory, embedder):
    """A copy of the session's indexed sample (no re-embedding) plus one runbook full of Slack
    control sequences, with the Slack user/channel mapping of these tests."""
    root = tmp_path_factory.mktemp("slack")
    shutil.copytree(sample_service.settings.home, root / "home")
    extra = root / "extra"
    (extra / "runbooks").mkdir(parents=True)
    (extra / "runbooks" / "broadcast-etiquette-runbook.md").write_text(BROADCAST_RUNBOOK, encoding="utf-8")
    service = build_service(root / "home", embedder, slack=SLACK_SETTINGS)
    summary = service.ingest(extra, admin())
    assert not summary.partial and summary.count("indexed") == 1, summary
    yield service
    service.catalog.close()


@pytest.fixture(scope="package")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.members.update({C_OPS: [INTERNAL, "UINTERN2", BOT_USER], C_MIXED: [LEGAL, AGENT, BOT_USER]})
    yield fake
    fake.stop()


@pytest.fixture(scope="package")
def slack_server(slack_service, fake_slack) -> Iterator[LiveServer]:
    with serve_slack(slack_service, fake_slack) as server:
        yield server


@pytest.fixture
def slack(slack_server, fake_slack) -> Iterator["SlackClient"]:
    fake_slack.reset()
    with SlackClient(slack_server.url, fake_slack) as client:
        yield client


# -- signed requests ----------------------------------------------------------------------------

def sign(body: bytes, ts: int | str | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if ts is None else ts)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


_ids = itertools.count(1)


class SlackClient:
    """Sends what Slack would send to /slack/events, signed; `fake` is the Web API stand-in."""

    def __init__(self, base_url: str, fake: FakeSlack):
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.fake = fake

    def __enter__(self) -> "SlackClient":
        return self

    def __exit__(self, *exc) -> None:
        self.http.close()

    def post(self, body: bytes, content_type: str, extra_headers: dict | None = None, headers: dict | None = None) -> httpx.Response:
        sent = {"Content-Type": content_type, **(sign(body) if headers is None else headers), **(extra_headers or {})}
        return self.http.post("/slack/events", content=body, headers=sent)

    def event(self, event: dict, event_id: str | None = None, retry: int | None = None) -> httpx.Response:
        body = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0BPO", "type": "event_callback",
                "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(json.dumps(body).encode(), "application/json", extra)

    def mention(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> tuple[httpx.Response, str]:
        ts = self.fake.add_message(channel, user, f"<@{BOT_USER}> {text}", thread_ts=thread_ts)
        event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts, "channel": channel,
                 "event_ts": ts, **({"thread_ts": thread_ts} if thread_ts else {})}
        return self.event(event), ts

    def message(self, channel: str, user: str, text: str, channel_type: str, thread_ts: str | None = None) -> tuple[httpx.Response, str]:
        ts = self.fake.add_message(channel, user, text, thread_ts=thread_ts)
        event = {"type": "message", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts,
                 "channel_type": channel_type, **({"thread_ts": thread_ts} if thread_ts else {})}
        return self.event(event), ts

    def command(self, command: str, text: str, user: str, channel: str, channel_name: str = "ops") -> httpx.Response:
        form = {"token": "legacy", "team_id": TEAM, "channel_id": channel, "channel_name": channel_name, "user_id": user,
                "command": command, "text": text, "trigger_id": f"trig.{next(_ids)}",
                "response_url": f"{self.fake.root}/response/{next(_ids)}", "api_app_id": "A0BPO"}
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, user: str, channel: str, thread_ts: str | None = None,
              ephemeral: bool = False) -> httpx.Response:
        container = {"type": "message", "channel_id": channel, "is_ephemeral": ephemeral, "message_ts": self.fake.next_ts()}
        if thread_ts:
            container["thread_ts"] = thread_ts
        payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": "A0BPO",
                   "container": container, "channel": {"id": channel}, "trigger_id": f"trig.{next(_ids)}",
                   "response_url": f"{self.fake.root}/response/{next(_ids)}",
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "answer_actions", "value": value,
                                "action_ts": str(time.time())}]}
        return self.interaction(payload)


def all_text(calls) -> str:
    return "\n".join(c.dump for c in calls)


def button_value(call, action_id: str) -> str | None:
    block = call.block("answer_actions") or {}
    return next((e["value"] for e in block.get("elements", []) if e.get("action_id") == action_id), None)
