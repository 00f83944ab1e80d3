"""Documents: list (filtered by role), upload one file, delete one, re-scan the configured paths.
Changing the index is admin only (the service decides; the upload route asks it before reading)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from assistant.errors import Forbidden, InvalidInput, PayloadTooLarge, UnsupportedMedia
from assistant.models import DocumentInfo, IngestSummary
from assistant.surfaces.http.deps import CallerDep, MetricsDep, ServiceDep
from assistant.surfaces.http.errors import error_responses
from assistant.text_input import CleanStr, problem

router = APIRouter(prefix="/v1", tags=["documents"])

# Room for the multipart boundaries and part headers around a file of the maximum size.
MULTIPART_OVERHEAD = 16 * 1024


class UnreadableFile(InvalidInput):
    code = "unreadable_file"


class DocumentList(BaseModel):
    documents: list[DocumentInfo]


class IngestRuns(BaseModel):
    runs: list[IngestSummary]


_DOC = {"doc_id": "3f2a9c1e", "source": "contracts/northbeam-lumen-msa.pdf", "root": "/srv/corpus",
        "collection": "contracts", "doc_type": "msa", "title": "Master Services Agreement", "chunks": 41,
        "ingested_at": "2025-03-02T10:15:00+00:00", "effective_date": "March 1, 2025", "version": ""}
_SUMMARY = {"root": "/srv/bpo-assistant/uploads", "chunks_written": 12, "texts_embedded": 12, "seconds": 1.8,
            "files": [{"source": "contracts/acme-msa.pdf", "status": "indexed", "chunks": 12, "embedded": 12, "reason": None}]}
_UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "the document (.pdf, .docx, .md, .txt, .html, ...); its name decides the collection"},
        "path": {"type": "string", "maxLength": 255,
                 "description": "optional relative name to store it under, e.g. contracts/acme-msa.pdf"}}},
    "example": {"path": "contracts/acme-msa.pdf"}}}}


def _json_example(value: object) -> dict:
    return {"content": {"application/json": {"example": value}}}


@router.get("/documents", response_model=DocumentList, summary="List indexed documents", max_body_size=0,
            description="Documents in the collections the caller's role may read.",
            responses={200: _json_example({"documents": [_DOC]}), **error_responses(401)})
def list_documents(service: ServiceDep, caller: CallerDep) -> DocumentList:
    return DocumentList(documents=service.documents(caller))


@router.post("/documents", response_model=IngestSummary, status_code=201, summary="Upload and index one file",
             description="Multipart upload of one file (field `file`); admin only. Stored under the data "
                         "directory's `uploads/` and indexed; a name under `contracts/` or `runbooks/` puts it "
                         "in that collection. Bodies over `max_upload_bytes` are cut off with 413.",
             openapi_extra={"requestBody": _UPLOAD_BODY},
             responses={201: _json_example(_SUMMARY), **error_responses(401, 403, 413, 415, 422)})
async def upload_document(request: Request, service: ServiceDep, caller: CallerDep, metrics: MetricsDep) -> IngestSummary:
    # Ask before reading: a caller who may not upload never makes us read a large body.
    if not service.access.can_manage(caller):
        raise Forbidden("this role may not change the indexed documents")
    name, data = await read_upload(request, service.settings.max_upload_bytes)
    summary = await run_in_threadpool(service.upload, name, data, caller)
    metrics.record_ingest(summary)
    failed = [f for f in summary.files if f.status == "failed"]
    if failed:
        raise UnreadableFile(f"the file could not be read: {failed[0].reason or 'unknown reason'}")
    return summary


@router.delete("/documents/{doc_id}", response_model=DocumentInfo, summary="Remove one document from the index", max_body_size=0,
               responses={200: _json_example(_DOC), **error_responses(401, 403, 404, 422)})
def delete_document(doc_id: Annotated[CleanStr, Path(min_length=1, max_length=200, examples=["3f2a9c1e"])],
                    service: ServiceDep, caller: CallerDep) -> DocumentInfo:
    return service.delete_document(doc_id, caller)


@router.post("/ingest", response_model=IngestRuns, summary="Re-scan the configured ingest paths", max_body_size=0,
             description="Indexes new and changed files under `ingest_paths` (config.yaml), removes deleted ones; "
                         "admin only. Runs to completion before answering.",
             responses={200: _json_example({"runs": [{**_SUMMARY, "root": "/srv/corpus"}]}),
                        **error_responses(401, 403, 422)})
def ingest(service: ServiceDep, caller: CallerDep, metrics: MetricsDep) -> IngestRuns:
    runs = service.ingest_configured(caller)
    for summary in runs:
        metrics.record_ingest(summary)
    return IngestRuns(runs=runs)


# -- reading a bounded multipart body -------------------------------------------------------

async def read_upload(request: Request, limit: int) -> tuple[str, bytes]:
    """(relative name, bytes) of the one uploaded file; stops reading once the body passes the limit."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type and request.headers.get("content-length", "0") in ("", "0"):
        # No body at all is a request that forgot the file (422), not one in the wrong format (415).
        raise InvalidInput("no file: send it as multipart/form-data in a field named 'file'")
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMedia("send the file as multipart/form-data in a field named 'file'")
    cap = limit + MULTIPART_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise PayloadTooLarge(f"the upload is larger than {limit} bytes")
    parser = MultiPartParser(request.headers, _capped(request.stream(), cap, limit), max_files=1, max_fields=4)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InvalidInput(f"bad multipart body: {exc.message}") from None
    try:
        upload, path = form.get("file"), form.get("path")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("the multipart body has no file in a field named 'file'")
        data = await upload.read(limit + 1)
    finally:
        await form.close()
    if len(data) > limit:
        raise PayloadTooLarge(f"the file is larger than {limit} bytes")
    return _stored_name(path, upload.filename), data


def _stored_name(path: object, filename: str | None) -> str:
    name = path if isinstance(path, str) and path.strip() else filename or ""
    if len(name) > 255:
        raise InvalidInput("path is longer than 255 characters")
    if problem(name):
        raise InvalidInput(f"the file name {problem(name)}")
    return name


async def _capped(stream: AsyncIterator[bytes], cap: int, limit: int) -> AsyncIterator[bytes]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > cap:  # raising here stops the parser: the rest of the body is never read
            raise PayloadTooLarge(f"the upload is larger than {limit} bytes")
        yield chunk
