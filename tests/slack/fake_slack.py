"""A local stand-in for the Slack Web API (and response_url / file upload URLs).

It records every call and answers with plausible JSON; `conversations.replies` returns the messages
the bot posted plus any the test added, so thread follow-ups go through the real code path.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0NORTH"


@dataclass
class Call:
    method: str
    args: dict
    token: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def dump(self) -> str:
        return json.dumps(self.args, ensure_ascii=False)

    @property
    def blocks(self) -> list[dict]:
        blocks = self.args.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    def block(self, block_id: str) -> dict | None:
        return next((b for b in self.blocks if b.get("block_id") == block_id), None)


class FakeSlack:
    def __init__(self):
        self.calls: list[Call] = []
        self.members: dict[str, list[str]] = {}
        self.messages: list[dict] = []
        self.not_in: set[str] = set()  # channels the bot is not a member of (posting there fails)
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.root + "/api/"

    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test helpers -------------------------------------------------------------------------
    def next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def add_message(self, channel: str, user: str, text: str, ts: str | None = None, thread_ts: str | None = None) -> str:
        ts = ts or self.next_ts()
        with self._cond:
            self.messages.append({"channel": channel, "user": user, "text": text, "ts": ts, "thread_ts": thread_ts})
        return ts

    def calls_to(self, method: str, **match) -> list[Call]:
        with self._cond:
            calls = [c for c in self.calls if c.method == method]
        return [c for c in calls if all(c.args.get(k) == v for k, v in match.items())]

    def wait_for(self, method: str, timeout: float = 20, count: int = 1, **match) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method and all(c.args.get(k) == v for k, v in match.items())]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {method} {match} within {timeout}s; calls: {[c.method for c in self.calls]}")
                self._cond.wait(remaining)

    def reset(self) -> None:
        with self._cond:
            self.calls.clear()

    # -- the API ------------------------------------------------------------------------------
    def _record(self, method: str, args: dict, token: str) -> None:
        with self._cond:
            self.calls.append(Call(method, args, token))
            self._cond.notify_all()

    def _answer(self, method: str, args: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "url": "https://northbeam.slack.com/", "team": "Northbeam", "user": "bpo-assistant",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method in ("chat.postMessage", "chat.postEphemeral") and args.get("channel") in self.not_in:
            return {"ok": False, "error": "not_in_channel"}
        if method == "chat.postMessage":
            ts = self.next_ts()
            message = {"channel": args.get("channel"), "user": BOT_USER, "bot_id": BOT_ID, "text": args.get("text", ""),
                       "ts": ts, "thread_ts": args.get("thread_ts")}
            with self._cond:
                self.messages.append(message)
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "conversations.members":
            members = self.members.get(args.get("channel"))
            if members is None:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
        if method == "conversations.replies":
            ts = args.get("ts")
            with self._cond:
                thread = [m for m in self.messages if m["channel"] == args.get("channel") and (m["ts"] == ts or m["thread_ts"] == ts)]
            return {"ok": True, "messages": sorted(thread, key=lambda m: float(m["ts"])), "has_more": False}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))[1:]}}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0001"}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": self.root + "/upload/F0001", "file_id": "F0001"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F0001", "title": "draft"}]}
        if method == "files.info":
            return {"ok": True, "file": {"id": "F0001"}}
        return {"ok": True}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                args = dict(parse_qsl(url.query, keep_blank_values=True))
                if "json" in (self.headers.get("content-type") or ""):
                    args.update(json.loads(raw or b"{}"))
                elif raw and not url.path.startswith("/upload/"):
                    args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                token = (self.headers.get("authorization") or "").removeprefix("Bearer ")
                if url.path.startswith("/api/"):
                    method = url.path.removeprefix("/api/")
                    fake._record(method, args, token)
                    self._reply(200, json.dumps(fake._answer(method, args)), "application/json")
                elif url.path.startswith("/response/"):
                    fake._record("response_url", json.loads(raw or b"{}"), token)
                    self._reply(200, "ok", "text/plain")
                elif url.path.startswith("/upload/"):
                    fake._record("file_upload", {"bytes": len(raw), "content": raw.decode("utf-8", "replace")}, token)
                    self._reply(200, "OK - %d" % len(raw), "text/plain")
                else:
                    self._reply(404, "not found", "text/plain")

            def _reply(self, status: int, body: str, content_type: str) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _serve
            do_POST = _serve

        return Handler
