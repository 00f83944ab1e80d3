"""Happy paths of every read route on a real server over the indexed sample."""

from __future__ import annotations

import json
import logging

from tests.http.conftest import auth, wait_for_log_line


def test_healthz_needs_no_key(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_reports_model_and_store(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {"ready": True, "checks": {"model_loaded": True, "store_reachable": True}}


def test_search_returns_the_cli_result_shape(client):
    r = client.post("/v1/search", json={"query": "termination for convenience notice", "k": 3}, headers=auth("legal"))
    assert r.status_code == 200
    results = r.json()["results"]
    assert 1 <= len(results) <= 3
    assert any(r["source"].startswith("contracts/") for r in results)  # ranking itself is retrieval's to test
    for key in ("chunk_id", "source", "text", "score", "section_path", "page_start", "page_end",
                "char_start", "char_end", "doc_type"):
        assert key in results[0]


def test_search_filters_narrow_the_results(client):
    body = {"query": "refund exception approval", "k": 10, "filters": {"doc_type": ["sop"]}}
    results = client.post("/v1/search", json=body, headers=auth("admin")).json()["results"]
    assert results and {r["doc_type"] for r in results} == {"sop"}


def test_ask_returns_a_cited_answer(client):
    body = {"question": "What service credit applies when the email response SLA is missed?"}
    r = client.post("/v1/ask", json=body, headers=auth("legal"))
    assert r.status_code == 200
    answer = r.json()
    assert answer["grounded"] is True and answer["citations"]
    assert {"chunk_id", "source", "quote", "section_path", "page_start"} <= set(answer["citations"][0])


def test_ask_with_history_rewrites_the_follow_up(client):
    body = {"question": "what about for VIP customers?",
            "history": [{"role": "user", "content": "What is the refund exception process?"},
                        {"role": "assistant", "content": "Agents open a refund exception ticket."}]}
    r = client.post("/v1/ask", json=body, headers=auth("internal"))
    assert r.status_code == 200 and "answer" in r.json()


def test_ask_stream_without_an_llm_is_one_answer_event(client):
    body = {"question": "How is a chat backlog incident escalated?", "stream": True}
    r = client.post("/v1/ask", json=body, headers=auth("internal"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(r.text)
    assert [e for e, _ in events] == ["answer"]
    assert "grounded" in events[0][1]


def test_accept_event_stream_also_asks_for_a_stream(client):
    headers = {**auth("internal"), "Accept": "text/event-stream"}
    r = client.post("/v1/ask", json={"question": "How is a chat backlog incident escalated?"}, headers=headers)
    assert [e for e, _ in parse_sse(r.text)] == ["answer"]


def test_documents_lists_what_the_role_may_read(client):
    everything = client.get("/v1/documents", headers=auth("admin")).json()["documents"]
    runbooks = client.get("/v1/documents", headers=auth("bpo_agent")).json()["documents"]
    assert len(everything) == 8
    assert runbooks and {d["collection"] for d in runbooks} == {"runbooks"}
    assert client.get("/v1/documents", headers=auth("nobody")).json() == {"documents": []}


def test_request_id_is_echoed_when_sane_and_generated_otherwise(client):
    mine = client.get("/healthz", headers={"X-Request-ID": "trace-42.a_b"})
    assert mine.headers["x-request-id"] == "trace-42.a_b"
    odd = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces" + "x" * 200})
    assert odd.headers["x-request-id"] != "bad id" and len(odd.headers["x-request-id"]) == 32


def test_one_structured_log_line_per_request_without_text_or_keys(client, caplog):
    with caplog.at_level(logging.INFO, logger="bpo.http"):
        r = client.post("/v1/search", json={"query": "chargeback evidence deadline"}, headers=auth("internal"))
        line = wait_for_log_line(caplog, r.headers["x-request-id"])
    assert line["route"] == "/v1/search" and line["status"] == 200 and line["method"] == "POST"
    assert line["caller"].startswith("key-") and isinstance(line["ms"], float)
    raw = " ".join(rec.getMessage() for rec in caplog.records)
    assert "chargeback" not in raw and "int-4a6c8e1b3d5f7a9c" not in raw


def test_metrics_count_requests_by_route_template(client):
    client.delete("/v1/documents/no-such-doc", headers=auth("admin"))
    text = client.get("/metrics").text
    assert 'bpo_http_requests_total{method="DELETE",route="/v1/documents/{doc_id}",status="404"}' in text
    assert "bpo_http_request_duration_seconds_bucket" in text
    assert "no-such-doc" not in text


def test_openapi_documents_bearer_auth_and_examples(client):
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"]}
    ours = {"/healthz", "/readyz", "/metrics", "/v1/search", "/v1/ask", "/v1/documents", "/v1/documents/{doc_id}", "/v1/ingest"}
    assert ours <= set(schema["paths"])
    for path in ours:
        for method, op in schema["paths"][path].items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert any("example" in c or "examples" in c for c in ok["content"].values()), (method, path)
            if "requestBody" in op:
                assert any("example" in c or "examples" in c for c in op["requestBody"]["content"].values()), (method, path)
            assert ("security" in op) == path.startswith("/v1/"), (method, path)
    assert client.get("/docs").status_code == 200


def test_plain_starlette_routes_are_labelled_by_their_path(client):
    client.get("/openapi.json")
    assert 'route="/openapi.json",status="200"' in client.get("/metrics").text


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events
