"""POST /v1/search: hybrid search over the collections the caller may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import Field, StrictBool, StrictInt

from assistant.errors import MAX_QUESTION_CHARS
from assistant.models import SearchFilters, SearchResponse
from assistant.text_input import ApiRequest
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_responses

# A query is at most 4,000 characters: a body far larger than that is refused before it is parsed.
router = APIRouter(prefix="/v1", tags=["search"], max_body_size=256 * 1024)


class SearchRequest(ApiRequest):
    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="what to look for")
    k: StrictInt | None = Field(default=None, ge=1, le=50, description="how many passages (default: retrieval.k)")
    filters: SearchFilters | None = Field(default=None, description="narrow by doc_type, source or collection")
    rerank: StrictBool | None = Field(default=None, description="re-score the best passages with the passage judge "
                                                          "(better order, ~0.3-0.5 s more; default: judge.rerank_search)")
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                              description="the date whose terms are in force, YYYY-MM-DD (default: today): amendments effective "
                                          "by then apply and superseded text is labelled")


_REQUEST_EXAMPLES = {
    "plain": {"summary": "A question in plain words",
              "value": {"query": "termination for convenience notice", "k": 3}},
    "filtered": {"summary": "Only SOPs",
                 "value": {"query": "chargeback dispute evidence", "k": 5, "filters": {"doc_type": ["sop"]}}},
}
_RESPONSE_EXAMPLE = {"results": [{
    "chunk_id": "c0a1f3e2b4d5", "source": "contracts/northbeam-lumen-msa.pdf",
    "text": "12.2 Termination for Convenience. Either party may terminate this Agreement on ninety (90) days' written notice.",
    "score": 0.0328, "section_path": "12 Term and Termination > 12.2", "page_start": 6, "page_end": 6,
    "char_start": 18211, "char_end": 18342, "doc_type": "msa", "doc_id": "3f2a9c1e", "title": "Master Services Agreement",
    "clause_no": "12.2", "collection": "contracts", "dense_score": 0.61,
}]}


@router.post("/search", response_model=SearchResponse, summary="Search passages",
             description="Best passages for a query, from the collections the caller's role may read "
                         "(an API key whose roles read nothing gets `{\"results\": []}`).",
             responses={200: {"content": {"application/json": {"example": _RESPONSE_EXAMPLE}}},
                        **error_responses(401, 409, 422)})
def search(body: Annotated[SearchRequest, Body(openapi_examples=_REQUEST_EXAMPLES)],
           service: ServiceDep, caller: CallerDep) -> SearchResponse:
    # Sync on purpose: embedding and Chroma block, so FastAPI runs this in its threadpool.
    return service.search(body.query, caller, k=body.k, filters=body.filters, rerank=body.rerank, as_of=body.as_of)
