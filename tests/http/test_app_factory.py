"""create_app wiring: keys read at creation, every area's router, Slack, readiness when not warm."""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

import httpx
import pytest

from assistant.config import ConfigError
from assistant.surfaces import http
from tests.http.conftest import api_keys_env, live_app


def test_keys_are_read_when_the_app_is_created():
    with api_keys_env("first-key:legal"):
        app = http.create_app(SimpleNamespace())
    with api_keys_env("second-key:legal"):
        assert app.state.api_keys.resolve("first-key") is not None
        assert app.state.api_keys.resolve("second-key") is None


def test_a_malformed_key_list_stops_the_app_from_starting():
    with api_keys_env("no-roles-here"), pytest.raises(ConfigError):
        http.create_app(SimpleNamespace())


def test_two_apps_in_one_process_keep_separate_metrics():
    a, b = http.create_app(SimpleNamespace()), http.create_app(SimpleNamespace())
    assert a.state.metrics.registry is not b.state.metrics.registry


def test_every_area_is_served_under_v1_behind_the_key():
    paths = set(http.create_app(SimpleNamespace()).openapi()["paths"])
    assert {"/v1/search", "/v1/ask", "/v1/documents", "/v1/audit", "/v1/clauses", "/v1/obligations", "/v1/key-terms",
            "/v1/sla-schedule", "/v1/drafts/rca", "/v1/drafts/escalation", "/v1/sla", "/healthz"} <= paths


def _fake_slack(monkeypatch) -> list:
    calls = []
    module = types.ModuleType("assistant.surfaces.slack")
    module.mount_slack = lambda app, service: calls.append((app, service))
    monkeypatch.setitem(sys.modules, "assistant.surfaces.slack", module)
    return calls


def test_slack_is_mounted_only_when_its_signing_secret_is_set(monkeypatch):
    calls = _fake_slack(monkeypatch)
    service = SimpleNamespace()
    http.create_app(service)
    assert calls == []
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    app = http.create_app(service)
    assert calls == [(app, service)]


def test_readyz_is_503_until_the_model_is_loaded(tmp_path):
    from assistant.retrieval.embedding import Embedder
    from tests.conftest import build_service

    cold = build_service(tmp_path / "home", Embedder())  # never loaded
    try:
        with live_app(cold) as server:
            r = httpx.get(f"{server.url}/readyz")
            assert httpx.get(f"{server.url}/healthz").status_code == 200
    finally:
        cold.catalog.close()
    assert r.status_code == 503
    assert r.json() == {"ready": False, "checks": {"model_loaded": False, "store_reachable": True}}
