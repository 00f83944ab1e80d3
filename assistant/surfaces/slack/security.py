"""Request authenticity, replay protection and output escaping for the Slack surface.

- `signature_problem` checks Slack's v0 signature *before* bolt parses anything: bolt answers 500
  to a non-numeric timestamp, and nothing unauthenticated should reach the parser at all.
- `EventDeduper` drops a second delivery of the same `event_id` (Slack retries slow acks).
- `escape` is applied to every piece of model or document text we post, so a passage or an answer
  cannot broadcast (`<!channel>`), ping (`<@U123>`) or disguise a link (`<http://evil|click>`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from slack_bolt.response import BoltResponse

from assistant.surfaces.slack.cache import TTLCache

MAX_SKEW_SECONDS = 300  # Slack's own window: 5 minutes either way
_TIMESTAMP_DIGITS = 12


def escape(text: object) -> str:
    """Slack's escaping rules: only &, < and > are control characters in message text."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return (text or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def signature_problem(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> str | None:
    """None when the request is signed by Slack within the time window; else a short reason (for logs)."""
    if not secret:
        return "no signing secret configured"
    timestamp = (headers.get("x-slack-request-timestamp") or "").strip()
    signature = (headers.get("x-slack-signature") or "").strip()
    if not timestamp or not signature:
        return "missing signature headers"
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > _TIMESTAMP_DIGITS:
        return "non-numeric timestamp"
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        return "stale timestamp"
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
        return "bad signature"
    return None


class EventDeduper:
    """Remembers Events API `event_id`s for a while; a retry of one already seen is acked and dropped."""

    def __init__(self, ttl_seconds: float = 3600, max_items: int = 50_000):
        self._seen = TTLCache(ttl_seconds, max_items)

    def first_time(self, event_id: str) -> bool:
        return self._seen.add(event_id)

    def middleware(self, body: dict, next, logger) -> BoltResponse | None:  # noqa: A002 - bolt's name
        """A bolt global middleware (HTTP and Socket Mode alike)."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id and not self.first_time(event_id):
            logger.info("slack_event_duplicate event_id=%s", event_id)
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return next()
