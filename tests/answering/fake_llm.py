"""A small OpenAI-compatible chat server for tests: real HTTP on 127.0.0.1, replies scripted per test.

It implements POST /v1/chat/completions in the OpenAI JSON shape, both the plain reply and
`"stream": true` server-sent chunks ending with `data: [DONE]`, and records every request it
received. The service talks to it through the real LangChain ChatOpenAI client, configured only
through settings (`llm.provider: openai_compatible`, `llm.base_url`).

Script replies with `server.script(item, ...)`: each request takes the next item, in order. An
item is a string (the reply text), a `Reply` (status code, delay), or a callable that gets the
request body (a dict) and returns either. A request with nothing left to take gets HTTP 599 and
is counted in `unexpected`, so a test that makes more calls than it scripted fails loudly.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DOC_BLOCK = re.compile(r'<document index="(\d+)"([^\n]*)>\n(.*?)\n</document>', re.S)  # attributes may hold ">"


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (a slow provider)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    def content(self, role: str) -> str:
        return "\n".join(_text(m.get("content")) for m in self.messages if m.get("role") == role)

    @property
    def system(self) -> str:
        return self.content("system")

    @property
    def user(self) -> str:
        return self.content("user")

    @property
    def is_rewrite(self) -> bool:
        return "Rewrite the user's last message" in self.system

    def documents(self) -> list[tuple[int, str, str]]:
        """(index, attributes, body) of each evidence block in the user message."""
        return [(int(n), attrs, body) for n, attrs, body in DOC_BLOCK.findall(self.user)]


def _text(content) -> str:
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content or "")


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.unexpected = 0
        self.errors: list[str] = []  # a scripted callable that raised (its reply was HTTP 599)
        self._script: deque = deque()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self  # type: ignore[attr-defined]
        self.base_url = "http://127.0.0.1:%d/v1" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    # -- scripting ---------------------------------------------------------------------------
    def script(self, *items) -> "FakeOpenAI":
        """Replace the script and forget what was recorded (one call per test)."""
        with self._lock:
            self._script = deque(items)
            self.requests = []
            self.unexpected = 0
            self.errors = []
        return self

    @property
    def remaining(self) -> int:
        return len(self._script)

    def _next(self, body: dict) -> Reply | None:
        with self._lock:
            item = self._script.popleft() if self._script else None
            if item is None:
                self.unexpected += 1
                return None
        if callable(item):
            try:
                item = item(body)
            except Exception as exc:  # a failed check inside the script: told to the test, not lost in a thread
                self.errors.append(f"{type(exc).__name__}: {exc}")
                return Reply(f"script failed: {exc}", status=599)
        return item if isinstance(item, Reply) else Reply(str(item))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; a stream ends when the socket closes

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        fake: FakeOpenAI = self.server.fake  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._json(400, {"error": {"message": "bad JSON", "type": "invalid_request_error"}})
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
        with fake._lock:
            fake.requests.append(Recorded(self.path, dict(self.headers.items()), body))
        reply = fake._next(body)
        if reply is None:
            return self._json(599, {"error": {"message": "no scripted reply left", "type": "test_error"}})
        if reply.status == 599:
            return self._json(599, {"error": {"message": reply.content, "type": "test_error"}})
        if reply.delay:
            time.sleep(reply.delay)
        try:
            if reply.status != 200:
                return self._json(reply.status, {"error": {"message": "upstream exploded", "type": "server_error"}})
            if body.get("stream"):
                return self._stream(body, reply.content)
            self._json(200, {
                "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            })
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to answer

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict, content: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        pieces = re.findall(r"\S+\s*", content) or [""]
        for i, piece in enumerate(pieces):
            delta = {"content": piece} if i else {"role": "assistant", "content": piece}
            self._chunk(body, delta, None)
        self._chunk(body, {}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _chunk(self, body: dict, delta: dict, finish: str | None) -> None:
        chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": body.get("model", "fake"),
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}
        self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
        self.wfile.flush()
