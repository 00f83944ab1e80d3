"""Shared pieces of the HTTP surface: API-key auth, the service/caller dependencies and per-app
metrics (the error shape and its status table: errors.py).

Route modules import `ServiceDep`, `CallerDep`, `MetricsDep` from here and `error_responses` from
errors.py; nothing in this file holds a client or a model.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CollectorRegistry, Counter, Histogram

from assistant.config import API_KEYS_ENV, ConfigError, environment
from assistant.models import Caller, IngestSummary
from assistant.service import AssistantService
from assistant.surfaces.http.errors import Unauthorized


# -- API keys -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ApiKey:
    digest: bytes  # sha256 of the key: the key itself is not kept in memory longer than parsing
    label: str  # what logs, audit and Caller.id show: a hash prefix, never the key
    roles: frozenset[str]


class KeyRing:
    """API key -> roles, from `BPO_API_KEYS="key1:role1,key2:role1+role2"`."""

    def __init__(self, keys: list[ApiKey]):
        self.keys = keys

    @classmethod
    def parse(cls, raw: str) -> "KeyRing":
        return cls(parse_api_keys(raw))

    @classmethod
    def configured(cls) -> "KeyRing":
        """The keys BPO_API_KEYS holds now (read when an app is made, not at import)."""
        return cls.parse(environment().api_keys.get_secret_value())

    def resolve_header(self, authorization: str | None) -> ApiKey | None:
        """The key behind an `Authorization: Bearer <key>` header value, or None."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        return self.resolve(token) if scheme.lower() == "bearer" and token else None

    def resolve(self, presented: str) -> ApiKey | None:
        digest = key_digest(presented)
        match = None
        for key in self.keys:  # no early exit: the time taken does not reveal which key matched
            if hmac.compare_digest(key.digest, digest):
                match = key
        return match


def key_digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def parse_api_keys(raw: str) -> list[ApiKey]:
    """Messages never quote an entry: it contains the key."""
    keys: dict[bytes, ApiKey] = {}
    for n, entry in enumerate((e.strip() for e in raw.split(",")), 1):
        if not entry:
            continue
        key, sep, role_text = entry.rpartition(":")
        key = key.strip()
        roles = frozenset(r.strip() for r in role_text.split("+") if r.strip())
        if not sep or not key or not roles:
            raise ConfigError(f"{API_KEYS_ENV}: entry {n} is not key:role[+role]")
        digest = key_digest(key)
        if digest in keys:
            raise ConfigError(f"{API_KEYS_ENV}: entry {n} repeats an earlier key")
        keys[digest] = ApiKey(digest, "key-" + digest.hex()[:10], roles)
    return list(keys.values())


# -- dependencies ---------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth",
                     description="An API key from BPO_API_KEYS, sent as `Authorization: Bearer <key>`.")


async def get_service(request: Request) -> AssistantService:
    return request.app.state.service


async def get_caller(request: Request,
                     credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    key = getattr(request.state, "api_key", None)  # already resolved by the /v1 gate in create_app
    if key is None and credentials is not None:
        key = request.app.state.api_keys.resolve(credentials.credentials)
    if key is None:
        raise Unauthorized("missing or invalid API key")
    request.state.caller_id = key.label  # for the per-request log line
    return Caller(id=key.label, roles=key.roles, surface="http")


async def get_metrics(request: Request) -> "HttpMetrics":
    return request.app.state.metrics


ServiceDep = Annotated[AssistantService, Depends(get_service)]
CallerDep = Annotated[Caller, Depends(get_caller)]


# -- metrics --------------------------------------------------------------------------------

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class HttpMetrics:
    """Prometheus metrics on a registry owned by one app (several apps in a process never clash)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter("bpo_http_requests", "HTTP requests by route template and status",
                                labels, registry=self.registry)
        self.latency = Histogram("bpo_http_request_duration_seconds", "HTTP request latency",
                                 labels, buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.ingest_files = Counter("bpo_ingest_files", "Files seen by HTTP-triggered ingest runs, by outcome",
                                    ["status"], registry=self.registry)
        self.chunks_written = Counter("bpo_ingest_chunks_written", "Chunks embedded and written by ingest runs",
                                      registry=self.registry)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def record_ingest(self, summary: IngestSummary) -> None:
        for outcome in summary.files:
            self.ingest_files.labels(outcome.status).inc()
        self.chunks_written.inc(summary.chunks_written)


MetricsDep = Annotated[HttpMetrics, Depends(get_metrics)]
