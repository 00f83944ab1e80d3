"""Bad input never gives a 500: limits, validation, unknown routes, and the error shape."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from tests.http.conftest import MAX_UPLOAD, auth, live_app


def _error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "request_id"} and body["error"]["code"] == code
    assert body["request_id"] == r.headers["x-request-id"]
    return body["error"]


def test_upload_just_over_the_limit_is_413(client):
    files = {"file": ("runbooks/big.md", b"x" * (MAX_UPLOAD + 1), "text/markdown")}
    _error(client.post("/v1/documents", files=files, headers=auth("admin")), 413, "payload_too_large")


def test_upload_declaring_a_huge_body_is_refused_before_reading_it(client):
    files = {"file": ("runbooks/huge.md", b"x" * (8 * MAX_UPLOAD), "text/markdown")}
    _error(client.post("/v1/documents", files=files, headers=auth("admin")), 413, "payload_too_large")


def test_a_chunked_upload_is_cut_off_once_past_the_limit(api):
    boundary = "bpoboundary"
    sent = {"bytes": 0}

    def body():
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"runbooks/s.md\"\r\n"
                "Content-Type: text/markdown\r\n\r\n").encode()
        yield head
        for _ in range(2000):  # 128 MB if the server kept reading
            sent["bytes"] += 65536
            yield b"y" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**auth("admin"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    try:
        r = httpx.post(f"{api}/v1/documents", content=body(), headers=headers, timeout=30)
        _error(r, 413, "payload_too_large")
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
        pass  # the server answered and closed while the client was still sending: also a refusal
    assert sent["bytes"] < 2000 * 65536


def test_an_executable_is_415(client):
    files = {"file": ("tool.exe", b"MZ\x90\x00", "application/octet-stream")}
    _error(client.post("/v1/documents", files=files, headers=auth("admin")), 415, "unsupported_file_type")


def test_an_upload_that_is_not_multipart_is_415(client):
    r = client.post("/v1/documents", content=b"{}", headers={**auth("admin"), "Content-Type": "application/json"})
    _error(r, 415, "unsupported_file_type")


@pytest.mark.parametrize("content_type,body", [
    ("multipart/form-data", b"--x\r\n"),  # no boundary
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--x--\r\n"),
])
def test_a_bad_multipart_body_is_422(client, content_type, body):
    r = client.post("/v1/documents", content=body, headers={**auth("admin"), "Content-Type": content_type})
    _error(r, 422, "invalid_input")


@pytest.mark.parametrize("path,body", [
    ("/v1/ask", {"question": "q" * 4001}),
    ("/v1/ask", {"question": ""}),
    ("/v1/ask", {"question": "ok?", "history": [{"role": "system", "content": "x"}]}),
    ("/v1/ask", {"question": "ok?", "stream": "sometimes"}),
    ("/v1/search", {"query": "refunds", "k": 0}),
    ("/v1/search", {"query": "refunds", "k": 51}),
    ("/v1/search", {"query": "refunds", "k": "five"}),
    ("/v1/search", {"query": "refunds", "top_k": 5}),
    ("/v1/search", {"query": "refunds", "filters": {"doc_type": ["memo"]}}),
    ("/v1/search", {"query": "refunds", "filters": {"owner": ["me"]}}),
    ("/v1/search", {"query": 123}),
    ("/v1/search", {"query": "   "}),
    ("/v1/search", []),
    ("/v1/search", None),
])
def test_invalid_input_is_422(client, path, body):
    error = _error(client.post(path, json=body, headers=auth("admin")), 422, "invalid_input")
    assert "Traceback" not in error["message"]


def test_a_4000_char_question_is_accepted(client):
    r = client.post("/v1/ask", json={"question": "refund " * 571 + "abc"[:4000 - 571 * 7]}, headers=auth("internal"))
    assert r.status_code == 200


def test_an_oversized_json_body_is_413_before_parsing(client):
    body = b'{"query": "' + b"a" * (300 * 1024) + b'"}'
    r = client.post("/v1/search", content=body, headers={**auth("admin"), "Content-Type": "application/json"})
    _error(r, 413, "payload_too_large")


def test_an_oversized_chunked_json_body_is_413(client):
    def body():
        yield b'{"query": "'
        for _ in range(64):
            yield b"a" * 8192
        yield b'"}'

    r = client.post("/v1/search", content=body(), headers={**auth("admin"), "Content-Type": "application/json"})
    _error(r, 413, "payload_too_large")


@pytest.mark.parametrize("raw", [b"{", b'{"query": "x",}', b"\xff\xfe", b'{"query": "x"} trailing',
                                 b'{"query": "\xc3\x28"}', b"\x80abc"])
def test_malformed_json_is_422(client, raw):
    r = client.post("/v1/search", content=raw, headers={**auth("admin"), "Content-Type": "application/json"})
    _error(r, 422, "invalid_input")


def test_unknown_document_is_404(client):
    _error(client.delete("/v1/documents/does-not-exist", headers=auth("admin")), 404, "not_found")


def test_unknown_route_and_wrong_method_keep_the_error_shape(client):
    _error(client.get("/v1/nope", headers=auth("admin")), 404, "not_found")
    _error(client.get("/v1/search", headers=auth("admin")), 405, "method_not_allowed")


class _BrokenSearch:
    """Mixed into the real service: search fails the way a bug would."""

    def search(self, *args, **kwargs):
        raise RuntimeError("secret document text that must not leak")


def test_an_unexpected_exception_is_a_500_without_internals(indexed):
    service = indexed
    broken_cls = dataclasses.make_dataclass("Broken", [], bases=(_BrokenSearch, type(service)))
    broken = broken_cls(**{f.name: getattr(service, f.name) for f in dataclasses.fields(service)})
    with live_app(broken) as server:
        r = httpx.post(f"{server.url}/v1/search", json={"query": "refunds"}, headers=auth("admin"))
    error = _error(r, 500, "internal_error")
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert error["message"]
