"""Streaming answers and provider failures, with a LangChain fake chat model as the configured LLM."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.answering.pipeline import Answerer
from tests.http.conftest import auth, live_app
from tests.http.test_routes import parse_sse

QUESTION = {"question": "How much notice is needed to terminate the MSA for convenience?"}
REPLY = "Either party may terminate for convenience on written notice [1]."


class _DownModel(FakeListChatModel):
    """A provider that is unreachable: every call fails like a connection error would."""

    def _call(self, *args, **kwargs):
        raise ConnectionError("provider unreachable")

    def _stream(self, *args, **kwargs):
        raise ConnectionError("provider unreachable")


def _with_llm(service, chat_model):
    return dataclasses.replace(service, answerer=Answerer(service.settings, chat_model, service.embedder))


@pytest.fixture(scope="module")
def llm_api(indexed):
    with live_app(_with_llm(indexed, FakeListChatModel(responses=[REPLY]))) as server:
        yield server.url


@pytest.fixture(scope="module")
def down_api(indexed):
    with live_app(_with_llm(indexed, _DownModel(responses=["unused"]))) as server:
        yield server.url


def test_with_an_llm_deltas_stream_then_the_verified_answer(llm_api):
    r = httpx.post(f"{llm_api}/v1/ask", json={**QUESTION, "stream": True}, headers=auth("legal"), timeout=60)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(r.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "answer" and kinds.count("answer") == 1 and kinds.count("delta") >= 2
    assert "".join(data["text"] for kind, data in events if kind == "delta") == REPLY
    final = events[-1][1]
    assert final["mode"] == "llm" and final["grounded"] is True and final["citations"]


def test_with_an_llm_a_plain_request_gets_json(llm_api):
    r = httpx.post(f"{llm_api}/v1/ask", json=QUESTION, headers=auth("legal"), timeout=60)
    assert r.status_code == 200 and r.json()["mode"] == "llm"


def test_stream_input_errors_are_plain_json_before_the_stream_starts(llm_api):
    r = httpx.post(f"{llm_api}/v1/ask", json={"question": "   ", "stream": True}, headers=auth("legal"), timeout=60)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"


def test_a_failing_provider_is_502(down_api):
    r = httpx.post(f"{down_api}/v1/ask", json=QUESTION, headers=auth("legal"), timeout=60)
    assert r.status_code == 502 and r.json()["error"]["code"] == "llm_unavailable"
    assert "unreachable" not in r.text  # the provider's own message stays in the server


def test_a_provider_down_before_streaming_is_a_plain_502(down_api):
    r = httpx.post(f"{down_api}/v1/ask", json={**QUESTION, "stream": True}, headers=auth("legal"), timeout=60)
    assert r.status_code == 502 and r.json()["error"]["code"] == "llm_unavailable"


def test_a_provider_failing_mid_stream_ends_with_an_error_event(indexed):
    flaky = FakeListChatModel(responses=[REPLY], error_on_chunk_number=5)
    with live_app(_with_llm(indexed, flaky)) as server:
        r = httpx.post(f"{server.url}/v1/ask", json={**QUESTION, "stream": True}, headers=auth("legal"), timeout=60)
    assert r.status_code == 200
    events = parse_sse(r.text)
    assert [k for k, _ in events[:-1]] == ["delta"] * 5
    kind, data = events[-1]
    assert kind == "error" and data["error"]["code"] == "llm_unavailable" and data["status"] == 502
    assert data["request_id"] == r.headers["x-request-id"]
