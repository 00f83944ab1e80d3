"""Every client mistake is a 4xx: strict types, text that is not text, bodies over a cap."""

from __future__ import annotations

import pytest

from tests.conftest import admin
from tests.http.conftest import auth
from tests.http.test_limits import _error

SURROGATE = "\ud800"


def _raw_json(text: str) -> bytes:
    # json.dumps would escape a lone surrogate the same way a hostile client does: "\\ud800".
    import json

    return json.dumps(text).encode("ascii")


@pytest.mark.parametrize("path,template", [
    ("/v1/search", '{"query": "refunds", "filters": {"source": [%s]}}'),
    ("/v1/ask", '{"question": "who approves refunds?", "filters": {"source": [%s]}}'),
    ("/v1/search", '{"query": %s}'),
    ("/v1/ask", '{"question": %s}'),
    ("/v1/ask", '{"question": "and for VIP?", "history": [{"role": "user", "content": %s}]}'),
    ("/v1/clauses", '{"type": %s}'),
    ("/v1/search", '{"query": "refunds", "filters": {"collection": [%s]}}'),
    ("/v1/scorecard", '{"contract": %s}'),
    ("/v1/scorecard", '{"contract": "sow.docx", "columns": {"month": %s}}'),
])
@pytest.mark.parametrize("bad", [SURROGATE, "refund\u0000s", "x\u001b[31m", "\udcff"])
def test_lone_surrogates_and_control_characters_are_422_not_500(client, path, template, bad):
    body = (template % _raw_json(bad).decode()).encode()
    r = client.post(path, content=body, headers={**auth("admin"), "Content-Type": "application/json"})
    error = _error(r, 422, "invalid_input")
    assert ("surrogate" in error["message"]) or ("control character" in error["message"])


def test_tabs_and_line_breaks_are_text(client):
    r = client.post("/v1/search", json={"query": "refund\texceptions\r\nfor VIP customers"}, headers=auth("admin"))
    assert r.status_code == 200


@pytest.mark.parametrize("path,body", [
    ("/v1/search", {"query": "refunds", "k": True}),
    ("/v1/search", {"query": "refunds", "k": "3"}),
    ("/v1/search", {"query": "refunds", "k": 3.0}),
    ("/v1/ask", {"question": "who approves refunds?", "stream": "yes"}),
    ("/v1/ask", {"question": "who approves refunds?", "stream": 1}),
    ("/v1/clauses", {"type": "Termination For Convenience", "k": True}),
    ("/v1/scorecard", {"contract": "contracts/northbeam-lumen-sow-customer-care.docx", "charts": "yes"}),
    ("/v1/scorecard", {"contract": "contracts/northbeam-lumen-sow-customer-care.docx", "monthly_fees": {"total": True}}),
])
def test_booleans_and_integers_are_strict(client, path, body):
    _error(client.post(path, json=body, headers=auth("admin")), 422, "invalid_input")


@pytest.mark.parametrize("params", [{"contract": "msa\u0000.pdf"}, {"contract": "msa\u001b.pdf"}])
def test_query_parameters_are_checked_too(client, params):
    _error(client.get("/v1/key-terms", params=params, headers=auth("legal")), 422, "invalid_input")


def test_an_incident_past_the_drafting_cap_is_413_for_any_key(client):
    body = b'{"incident": {"title": "Backlog", "description": "' + b"x" * (5 * 1024 * 1024) + b'"}}'
    for role in ("bpo_agent", "admin"):
        r = client.post("/v1/drafts/rca", content=body, headers={**auth(role), "Content-Type": "application/json"})
        _error(r, 413, "payload_too_large")


def _operations(client) -> list[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return sorted((method.upper(), path.replace("{doc_id}", "x")) for path, ops in paths.items() for method in ops)


def test_every_route_refuses_a_body_over_its_cap(client):
    body = b"{" + b" " * (5 * 1024 * 1024) + b"}"
    refused = {}
    for method, path in _operations(client):
        r = client.request(method, path, content=body, headers={**auth("admin"), "Content-Type": "application/json"})
        refused[(method, path)] = r.status_code
    # The upload route checks the media type before it reads a byte; every other route the size.
    assert refused.pop(("POST", "/v1/documents")) == 415
    assert set(refused.values()) == {413}, refused


def test_the_cli_and_slack_path_refuse_text_that_is_not_text_in_the_core(sample_service):
    from assistant.errors import InvalidInput
    from assistant.models import SearchFilters

    with pytest.raises(InvalidInput, match="lone surrogate"):
        sample_service.search("refund\udcff", admin())  # a byte that is not UTF-8 on a command line
    with pytest.raises(InvalidInput, match="control character"):
        sample_service.search("refunds", admin(), filters=SearchFilters(source=["a\u0000b"]))


def test_an_incident_is_bounded_in_entries_not_only_in_bytes(client):
    timeline = [{"at": "2025-10-01T10:00:00Z", "event": "Queue grew"}] * 101  # every entry is embedded
    r = client.post("/v1/drafts/rca", json={"incident": {"title": "Backlog", "timeline": timeline}}, headers=auth("bpo_agent"))
    _error(r, 422, "invalid_input")
