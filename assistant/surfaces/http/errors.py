"""The HTTP API's one error shape (`{"error": {"code", "message"}, "request_id"}`), the one table
from core errors to statuses, and their OpenAPI examples."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant import errors
from assistant.errors import AssistantError
from ingest.locks import HomeInUse, IngestBusy
from assistant.retrieval.store import StoreOutOfDate


class Unauthorized(AssistantError):
    code = "unauthorized"


# -- the error shape and the one status table ------------------------------------------------

# Looked up along the exception's MRO, so a new subclass of a core error gets its parent's status.
ERROR_STATUS: dict[type[AssistantError], int] = {
    AssistantError: 400,
    errors.InvalidInput: 422,
    Unauthorized: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.NothingIndexed: 409,  # the state of the store, not the request, is what is wrong
    errors.PayloadTooLarge: 413,
    errors.UnsupportedMedia: 415,
    errors.UpstreamError: 502,
    errors.UpstreamTimeout: 504,
    IngestBusy: 409,
    HomeInUse: 409,
    StoreOutOfDate: 503,
}


def status_for(exc: AssistantError) -> int:
    for cls in type(exc).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail
    request_id: str


def request_id_of(request: Request) -> str:
    return getattr(request.state, "request_id", "") or "-"


def error_body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}, "request_id": request_id}


def error_response(status: int, code: str, message: str, request_id: str,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    if status == 413:
        # Otherwise the server drains the rest of an oversized body to keep the connection alive.
        headers = {**(headers or {}), "Connection": "close"}
    return JSONResponse(error_body(code, message, request_id), status_code=status, headers=dict(headers or {}))


_ERROR_EXAMPLES = {
    401: ("unauthorized", "missing or invalid API key"),
    403: ("forbidden", "this role may not change the indexed documents"),
    404: ("not_found", "no document with id 3f2a9c1e"),
    409: ("nothing_indexed", "nothing is indexed yet: run `bpo-assistant ingest PATH`"),
    413: ("payload_too_large", "the file is larger than 20971520 bytes"),
    415: ("unsupported_file_type", "unsupported file type: .exe"),
    422: ("invalid_input", "body.k: Input should be less than or equal to 50"),
    502: ("llm_unavailable", "the language model did not answer (APIConnectionError)"),
    504: ("llm_timeout", "the language model did not answer in time"),
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries (schema + example) for the given error statuses."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        code, message = _ERROR_EXAMPLES[status]
        example = error_body(code, message, "9b1f0c2d4e6a48d3")
        out[status] = {"model": ErrorBody, "description": code.replace("_", " "),
                       "content": {"application/json": {"example": example}}}
    return out
