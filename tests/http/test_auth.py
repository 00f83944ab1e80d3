"""Who may call what: no key, a bad key, and each role."""

from __future__ import annotations

import pytest

from tests.http.conftest import KEYS, MULTI_KEY, auth

QUERY = {"query": "termination for convenience notice", "k": 8}
V1_CALLS = [
    ("POST", "/v1/search", QUERY),
    ("POST", "/v1/ask", {"question": "What is the notice period?"}),
    ("GET", "/v1/documents", None),
    ("POST", "/v1/documents", None),
    ("DELETE", "/v1/documents/abc", None),
    ("POST", "/v1/ingest", None),
]


def _call(client, method, path, body, headers):
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("method,path,body", V1_CALLS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-key"}, {"Authorization": "Basic YWRtaW46YWRtaW4="},
                                     {"Authorization": f"Bearer {KEYS['admin']}x"}, {"Authorization": KEYS["admin"]}])
def test_every_v1_route_refuses_a_missing_or_bad_key(client, method, path, body, headers):
    r = _call(client, method, path, body, headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.json()["request_id"] == r.headers["x-request-id"]
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/openapi.json"])
def test_health_and_metrics_need_no_key(client, path):
    assert client.get(path).status_code == 200


def _sources(client, role_headers):
    r = client.post("/v1/search", json=QUERY, headers=role_headers)
    assert r.status_code == 200
    return [x["source"] for x in r.json()["results"]]


def test_bpo_agent_gets_runbooks_only(client):
    sources = _sources(client, auth("bpo_agent"))
    assert sources and all(s.startswith("runbooks/") for s in sources)


def test_legal_gets_contract_results(client):
    sources = _sources(client, auth("legal"))
    assert any(s.startswith("contracts/") for s in sources)


def test_internal_gets_runbooks_only(client):
    sources = _sources(client, auth("internal"))
    assert sources and all(s.startswith("runbooks/") for s in sources)


def test_admin_reads_everything(client):
    sources = _sources(client, auth("admin"))
    assert any(s.startswith("contracts/") for s in sources)


def test_a_role_no_collection_lists_gets_nothing(client):
    r = client.post("/v1/search", json=QUERY, headers=auth("nobody"))
    assert r.status_code == 200 and r.json() == {"results": []}


def test_a_key_with_several_roles_reads_the_union(client):
    sources = _sources(client, {"Authorization": f"Bearer {MULTI_KEY}"})
    assert any(s.startswith("contracts/") for s in sources)


def test_ask_for_a_bpo_agent_never_cites_a_contract(client):
    body = {"question": "How much notice is needed to terminate the MSA for convenience?"}
    answer = client.post("/v1/ask", json=body, headers=auth("bpo_agent")).json()
    assert all(c["source"].startswith("runbooks/") for c in answer["citations"])


@pytest.mark.parametrize("role", ["legal", "bpo_agent", "internal", "nobody"])
@pytest.mark.parametrize("method,path", [("POST", "/v1/documents"), ("DELETE", "/v1/documents/abc"), ("POST", "/v1/ingest")])
def test_changing_the_index_is_admin_only(client, role, method, path):
    files = {"file": ("runbooks/x.md", b"# x\n\nhello", "text/markdown")} if path == "/v1/documents" and method == "POST" else None
    r = client.request(method, path, headers=auth(role), files=files)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
