"""Request authenticity at /slack/events: 200 or 401 only, decided before bolt parses anything;
replays processed once."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from tests.slack.conftest import C_OPS, INTERNAL, SECRET, sign

CHALLENGE = json.dumps({"token": "legacy", "challenge": "c-7d2f", "type": "url_verification"}).encode()
BIG = urlencode({"filler": "a" * (1024 * 1024)}).encode()


def _headers(body: bytes, **changes) -> dict[str, str]:
    headers = sign(body)
    for name, value in changes.items():
        key = {"ts": "X-Slack-Request-Timestamp", "sig": "X-Slack-Signature"}[name]
        if value is None:
            headers.pop(key)
        else:
            headers[key] = value
    return headers


MATRIX = [
    # (name, body sent, headers, expected status)
    ("valid", CHALLENGE, lambda: sign(CHALLENGE), 200),
    ("ts +301 s", CHALLENGE, lambda: sign(CHALLENGE, int(time.time()) + 301), 401),
    ("ts -301 s", CHALLENGE, lambda: sign(CHALLENGE, int(time.time()) - 301), 401),
    ("non-numeric ts", CHALLENGE, lambda: _headers(CHALLENGE, ts="yesterday"), 401),
    ("float ts", CHALLENGE, lambda: _headers(CHALLENGE, ts=f"{time.time():.3f}"), 401),
    ("huge ts", CHALLENGE, lambda: _headers(CHALLENGE, ts="9" * 40), 401),
    ("missing ts", CHALLENGE, lambda: _headers(CHALLENGE, ts=None), 401),
    ("missing signature", CHALLENGE, lambda: _headers(CHALLENGE, sig=None), 401),
    ("missing both", CHALLENGE, lambda: {}, 401),
    ("bad signature", CHALLENGE, lambda: _headers(CHALLENGE, sig="v0=" + "0" * 64), 401),
    ("non-ascii signature", CHALLENGE, lambda: _headers(CHALLENGE, sig="v0=ünïcode".encode("latin-1")), 401),
    ("wrong secret", CHALLENGE, lambda: sign(CHALLENGE, secret="not-" + SECRET), 401),
    ("tampered body", CHALLENGE.replace(b"c-7d2f", b"c-evil"), lambda: sign(CHALLENGE), 401),
    ("empty body, signed", b"", lambda: sign(b""), 200),
    ("empty body, unsigned", b"", lambda: {}, 401),
    ("1 MB body, signed", BIG, lambda: sign(BIG), 200),
    ("1 MB body, bad signature", BIG, lambda: sign(BIG[:-1]), 401),
]


@pytest.mark.parametrize("name,body,headers,expected", MATRIX, ids=[m[0] for m in MATRIX])
def test_signature_matrix_answers_only_200_or_401(slack, name, body, headers, expected):
    r = slack.post(body, "application/json" if body.startswith(b"{") else "application/x-www-form-urlencoded",
                   headers=headers())
    assert r.status_code == expected, (name, r.status_code, r.text)
    if name == "valid":
        assert r.json() == {"challenge": "c-7d2f"}


def test_rejected_requests_never_reach_a_listener(slack):
    body = json.dumps({"type": "event_callback", "event_id": "EvForged01", "event": {
        "type": "message", "channel_type": "im", "channel": "DFORGED01", "user": INTERNAL, "text": "hello", "ts": "1.1"}}).encode()
    r = slack.post(body, "application/json", headers=sign(body, int(time.time()) - 3600))
    assert r.status_code == 401
    time.sleep(0.5)
    assert not slack.fake.calls_to("chat.postMessage", channel="DFORGED01")


def test_signed_but_malformed_json_is_400_not_500(slack):
    body = b'{"type": "event_callback", "event": '
    r = slack.post(body, "application/json")
    assert r.status_code == 400


def test_a_retried_event_is_processed_once(slack):
    text = "<@UBOT> What is the escalation path for a SEV-1 chat backlog?"
    ts = slack.fake.add_message(C_OPS, INTERNAL, text)
    event = {"type": "app_mention", "user": INTERNAL, "text": text, "ts": ts, "channel": C_OPS, "event_ts": ts}
    first = slack.event(event, event_id="EvReplay0001")
    retry = slack.event(event, event_id="EvReplay0001", retry=1)
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.headers.get("x-slack-no-retry") == "1"
    slack.fake.wait_for("chat.postMessage", channel=C_OPS, thread_ts=ts)
    time.sleep(1.0)  # give a duplicate the chance to show up
    assert len(slack.fake.calls_to("chat.postMessage", channel=C_OPS, thread_ts=ts)) == 1
