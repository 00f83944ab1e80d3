"""Liveness, readiness and Prometheus metrics: no auth, so probes and scrapers need no key."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from assistant.surfaces.http.deps import MetricsDep, ServiceDep

router = APIRouter(tags=["health"], max_body_size=0)  # GETs: a body is a mistake


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, bool]


_READY = {"ready": True, "checks": {"model_loaded": True, "store_reachable": True}}
_NOT_READY = {"ready": False, "checks": {"model_loaded": False, "store_reachable": True}}
_METRICS_EXAMPLE = ('# TYPE bpo_http_requests_total counter\n'
                    'bpo_http_requests_total{method="POST",route="/v1/search",status="200"} 42.0\n')


@router.get("/healthz", response_model=Health, summary="Liveness: the process answers",
            responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}})
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, summary="Readiness: model loaded and store reachable",
            responses={200: {"content": {"application/json": {"example": _READY}}},
                       503: {"model": Readiness, "description": "not ready",
                             "content": {"application/json": {"example": _NOT_READY}}}})
def readyz(service: ServiceDep) -> JSONResponse:
    checks = service.readiness()  # a store heartbeat may block: sync route, runs in the threadpool
    ready = all(checks.values())
    return JSONResponse(Readiness(ready=ready, checks=checks).model_dump(), status_code=200 if ready else 503)


@router.get("/metrics", summary="Prometheus metrics (text exposition format)", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}, "example": _METRICS_EXAMPLE}},
                             "description": "Prometheus text format"}})
async def metrics(metrics: MetricsDep) -> Response:
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
