"""A small threaded HTTP server on 127.0.0.1:0 for the connector fakes: routes by method and path
pattern, records every request, and injects the faults real APIs produce (429 storms with
Retry-After, 5xx, dropped tokens) so the connectors are tested through real HTTP."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    target: str = ""  # path and query as sent

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict | list | str = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    pattern: re.Pattern
    status: int
    times: int  # how many matching requests get it (-1: every one)
    headers: dict[str, str]
    body: dict


class FakeServer:
    def __init__(self):
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self._routes: list[tuple[str, re.Pattern, callable]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "FakeServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def route(self, method: str, pattern: str, handler) -> None:
        self._routes.append((method, re.compile(pattern + r"\Z"), handler))

    def fault(self, pattern: str, status: int, times: int = 1, retry_after: str | None = None, body: dict | None = None) -> None:
        """The next `times` requests (-1: all) whose path and query match `pattern` get `status` (and Retry-After)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.faults.append(Fault(re.compile(pattern), status, times, headers, body or {"error": {"code": "fault", "message": "injected"}}))

    def seen(self, pattern: str, method: str = "GET") -> list[Request]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    # -- the server --------------------------------------------------------------------------
    def _dispatch(self, req: Request) -> Reply:
        with self._lock:
            self.requests.append(req)
            for fault in self.faults:
                if fault.times != 0 and fault.pattern.search(req.target):
                    fault.times -= 1 if fault.times > 0 else 0
                    return Reply(fault.status, fault.body, dict(fault.headers))
        for method, pattern, handler in self._routes:
            match = pattern.match(req.path)
            if method == req.method and match:
                return handler(req, *match.groups())
        return Reply(404, {"error": {"code": "itemNotFound", "message": f"no route {req.path}"}})

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _handle(self, method: str):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(method, parts.path, {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                              {k.lower(): v for k, v in self.headers.items()}, body, self.path)
                reply = fake._dispatch(req)
                data = reply.body
                ctype = reply.headers.pop("Content-Type", None)
                if isinstance(data, (dict, list)):
                    data, ctype = json.dumps(data).encode(), ctype or "application/json"
                elif isinstance(data, str):
                    data = data.encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", ctype or "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        return Handler


def bearer(req: Request) -> str:
    value = req.headers.get("authorization", "")
    return value[7:] if value.startswith("Bearer ") else ""
