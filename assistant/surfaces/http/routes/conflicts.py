"""GET /v1/conflicts: SOP and runbook instructions that contradict a contract as in force (issue 26)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.models import ConflictReport
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_responses
from assistant.text_input import CleanStr

router = APIRouter(prefix="/v1", tags=["contracts"], max_body_size=1024)

_EXAMPLE = {"conflicts": [{
    "topic": "respond email receipt", "kind": "sop_looser",
    "items": [{"source": "runbooks/email-sop.md", "doc_type": "sop", "clause_no": "", "section_path": "1. Email",
               "chunk_id": "9a1c", "quote": "Reply to every customer email within 48 hours of receipt.", "value": "48 hours"},
              {"source": "contracts/msa.pdf", "doc_type": "msa", "clause_no": "5.1", "section_path": "5. Service Levels",
               "chunk_id": "77b0", "quote": "Supplier shall respond to customer emails within 24 hours of receipt.", "value": "24 hours"}],
    "explanation": "Email SOP allows 48 hours where the contract promises 24 hours: following the SOP can breach the contract"}],
    "checked": {"sop_documents": 12, "contracts": 4, "pairs_agreeing": 3}}


@router.get("/conflicts", response_model=ConflictReport, summary="SOP/contract conflicts",
            description="What SOPs and runbooks instruct against what contracts promise (as amended today), each conflict "
                        "with both quotes cited. A conflict is listed only when the caller's role may read both documents.",
            responses={200: {"content": {"application/json": {"example": _EXAMPLE}}}, **error_responses(401, 404, 422)})
def conflicts(service: ServiceDep, caller: CallerDep,
              source: Annotated[CleanStr | None, Query(min_length=1, max_length=1000,
                                                       description="only conflicts one side of which is this document")] = None
              ) -> ConflictReport:
    # Sync on purpose: reading every readable chunk blocks, so FastAPI runs this in its threadpool.
    return service.conflicts(caller, source=source)
