"""One HTTP client for every connector: retries with backoff on 429/5xx and dropped connections
(waiting what Retry-After says), one token refresh on a 401, and errors that never carry a secret.

httpx, not each API's SDK: the three sources get the same retry, timeout and redaction rules, and
the tests drive them against local servers that speak the real HTTP shapes.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from assistant.logs import event_line, logger
from ingest.connectors.base import ApiError, AuthError, ItemError, ItemGone, SourceUnavailable

log = logger("connectors")

_RETRIED = frozenset({429, 500, 502, 503, 504})
_GOOGLE_RATE_REASONS = ("rateLimitExceeded", "userRateLimitExceeded")


class Auth(Protocol):
    description: str  # names the environment variables, never their values

    def headers(self) -> dict[str, str]: ...

    def refresh(self) -> bool:
        """Get a new token; False when these credentials cannot be refreshed (a static API token)."""

    def secrets(self) -> list[str]:
        """Every secret value in play (tokens included), scrubbed from any message we make."""


class ApiClient:
    def __init__(self, name: str, auth: Auth, *, timeout_s: float, max_tries: int, max_wait_s: float,
                 sleep: Callable[[float], None] = time.sleep):
        self.name = name  # the source's name in config, for messages and logs
        self.auth = auth
        self.max_tries = max_tries
        self.max_wait_s = max_wait_s
        self.sleep = sleep  # injectable so tests can see the waits without spending them
        # Redirects are followed (Graph sends file content through a pre-signed URL); httpx drops the
        # Authorization header when a redirect leaves the origin.
        self._http = httpx.Client(timeout=timeout_s, follow_redirects=True)

    def close(self) -> None:
        self._http.close()

    # -- requests -----------------------------------------------------------------------------
    def get_json(self, url: str, params: dict | None = None, what: str = "listing", headers: dict | None = None,
                 item: bool = False) -> dict:
        """`item`: the call is about one item (its body, labels...), so an error fails that item alone."""
        resp = self.request("GET", url, params=params, headers=headers, item=item)
        self.check(resp, what, item=item)
        error = ItemError if item else ApiError
        try:
            data = resp.json()
        except ValueError:
            raise error(f"{self.name}: {what}: the API answered with something that is not JSON") from None
        if not isinstance(data, dict):
            raise error(f"{self.name}: {what}: unexpected answer (a JSON {type(data).__name__})")
        return data

    def download(self, url: str, dest: Path, max_bytes: int, params: dict | None = None, what: str = "content") -> int:
        """Stream a body into `dest`, at most `max_bytes` (more fails the item, nothing half-written
        is left). Returns the byte count."""
        partial = dest.with_name(dest.name + ".part")
        for attempt in range(1, self.max_tries + 1):
            resp = self._send_stream(url, params)
            try:
                if self._should_retry(resp, attempt, item=True):
                    continue
                self.check(resp, what, item=True)
                written = self._write_capped(resp, partial, max_bytes)
            except httpx.TransportError as exc:
                partial.unlink(missing_ok=True)
                if attempt == self.max_tries:
                    raise ItemError(f"download interrupted ({type(exc).__name__})") from None
                self._backoff(attempt, None, "download interrupted")
                continue
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            finally:
                resp.close()
            partial.replace(dest)
            return written
        raise SourceUnavailable(f"{self.name}: {what}: still failing after {self.max_tries} tries")

    @staticmethod
    def _write_capped(resp: httpx.Response, partial: Path, max_bytes: int) -> int:
        written = 0
        with partial.open("wb") as fh:
            for block in resp.iter_bytes(1 << 16):
                written += len(block)
                if written > max_bytes:
                    raise ItemError(f"file is larger than limits.max_file_bytes ({max_bytes} bytes)")
                fh.write(block)
        return written

    def _send_stream(self, url: str, params: dict | None) -> httpx.Response:
        refreshed = False
        for attempt in range(1, self.max_tries + 1):
            try:
                request = self._http.build_request("GET", url, params=params, headers=self.auth.headers())
                resp = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                self._transport_failed(exc, url, attempt)
                continue
            if resp.status_code == 401 and not refreshed:
                resp.close()
                refreshed = self._refresh_after_401()
                continue
            return resp
        raise SourceUnavailable(f"{self.name}: cannot reach {_host(url)} after {self.max_tries} tries")

    def request(self, method: str, url: str, params: dict | None = None, headers: dict | None = None,
                data: dict | None = None, item: bool = False) -> httpx.Response:
        """One call with the retry rules; the caller checks the final status (see `check`)."""
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self._http.request(method, url, params=params, data=data,
                                          headers={**self.auth.headers(), **(headers or {})})
            except httpx.TransportError as exc:
                self._transport_failed(exc, url, attempt)
                continue
            if resp.status_code == 401 and not refreshed:
                refreshed = self._refresh_after_401()
                attempt -= 1  # a refresh is not a failed try
                continue
            if self._should_retry(resp, attempt, item):
                continue
            return resp

    # -- the rules ----------------------------------------------------------------------------
    def _refresh_after_401(self) -> bool:
        log.info(event_line("connector_token_refresh", source=self.name))
        if not self.auth.refresh():
            raise AuthError(f"{self.name}: the API refused the credentials ({self.auth.description}): check them and their permissions")
        return True

    def _should_retry(self, resp: httpx.Response, attempt: int, item: bool = False) -> bool:
        if not _throttled_or_failing(resp):
            return False
        if attempt >= self.max_tries:
            status = resp.status_code
            resp.close()
            throttled = status in (403, 429)
            if item and not throttled:  # one item's server error; a rate limit holds for the whole source
                raise ItemError(f"HTTP {status} on every one of {self.max_tries} tries")
            kind = "rate limited" if throttled else f"HTTP {status}"
            raise SourceUnavailable(f"{self.name}: {kind} on every one of {self.max_tries} tries; try again later")
        wait = retry_after_seconds(resp.headers.get("Retry-After"))
        resp.close()
        self._backoff(attempt, wait, f"HTTP {resp.status_code}")
        return True

    def _transport_failed(self, exc: Exception, url: str, attempt: int) -> None:
        if attempt >= self.max_tries:
            raise SourceUnavailable(f"{self.name}: cannot reach {_host(url)} ({type(exc).__name__}) after {self.max_tries} tries")
        self._backoff(attempt, None, type(exc).__name__)

    def _backoff(self, attempt: int, retry_after: float | None, why: str) -> None:
        # The server's own wait when it names one; else exponential from 1 s with a little jitter
        # so parallel syncs don't return in step.
        wait = retry_after if retry_after is not None else min(2 ** (attempt - 1), 60) * (1 + random.uniform(0, 0.25))
        wait = min(wait, self.max_wait_s)
        log.info(event_line("connector_retry", source=self.name, why=why, attempt=attempt, wait_s=round(wait, 1)))
        self.sleep(wait)

    def check(self, resp: httpx.Response, what: str, item: bool = False) -> None:
        """Raise the typed error for a final non-2xx answer: ItemGone/ItemError for one item's
        content (`item`), ApiError/AuthError for a listing."""
        status = resp.status_code
        if status < 400:
            return
        detail = self.scrub(_api_message(resp))
        resp.close()
        if status == 401:
            raise AuthError(f"{self.name}: the API refused a fresh token ({self.auth.description}){detail}")
        if item:
            if status in (404, 410):
                raise ItemGone(f"{what}: no longer there (HTTP {status})")
            raise ItemError(f"{what}: HTTP {status}{detail}")
        if status == 403:
            raise AuthError(f"{self.name}: access denied to the {what} (HTTP 403){detail}: the credentials "
                            f"({self.auth.description}) lack read permission there")
        raise ApiError(f"{self.name}: {what} failed with HTTP {status}{detail}", status)

    def scrub(self, text: str) -> str:
        for secret in self.auth.secrets():
            if secret:
                text = text.replace(secret, "[secret]")
        return text


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (RFC 9110); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _throttled_or_failing(resp: httpx.Response) -> bool:
    if resp.status_code in _RETRIED:
        return True
    # Google Drive says "rate limit" with a 403 and a reason in the body.
    if resp.status_code == 403 and resp.headers.get("content-type", "").startswith("application/json"):
        resp.read()
        return any(reason in resp.text for reason in _GOOGLE_RATE_REASONS)
    return False


def _api_message(resp: httpx.Response) -> str:
    """The API's own error message (Graph, Google and Confluence each nest it differently), short."""
    try:
        resp.read()
        data = resp.json()
    except Exception:  # noqa: BLE001 - no readable body: the status says enough
        return ""
    message = ""
    if isinstance(data, dict):
        err, errors = data.get("error"), data.get("errors")
        if isinstance(err, dict):  # Graph, Google
            message = err.get("message") or err.get("code") or ""
        elif isinstance(err, str):  # OAuth token endpoints
            message = data.get("error_description") or err
        elif isinstance(errors, list) and errors and isinstance(errors[0], dict):  # Confluence v2
            message = errors[0].get("title") or errors[0].get("code") or ""
        else:  # Confluence v1
            message = data.get("message") or ""
    message = " ".join(str(message).split())[:200]
    return f": {message}" if message else ""


def _host(url: str) -> str:
    return urlsplit(url).netloc or url
