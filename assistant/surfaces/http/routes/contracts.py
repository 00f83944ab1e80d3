"""Contract intelligence over HTTP: POST /v1/clauses, GET /v1/obligations, GET /v1/key-terms,
GET /v1/sla-schedule. Thin: validation here, everything else in assistant.contracts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field, StrictInt

from assistant.contracts.api import ClauseLookup
from assistant.contracts.composed import KeyTermsInForce, SlaScheduleInForce
from assistant.contracts.obligations import ObligationRegister
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_responses
from assistant.text_input import ApiRequest, CleanStr

router = APIRouter(prefix="/v1", tags=["contracts"], max_body_size=64 * 1024)
# ?as_of=YYYY-MM-DD: the terms in force on that date (amendments effective by then applied).
AsOf = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD; default: today")]

_MEDIA = {"csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ClauseRequest(ApiRequest):
    type: str = Field(min_length=1, max_length=200, description='a clause type, e.g. "Termination for Convenience"')
    source: str | None = Field(default=None, min_length=1, max_length=1000, description="one contract (path or file name)")
    k: StrictInt = Field(default=5, ge=1, le=50)
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                              description="YYYY-MM-DD: rank the clauses in force on that date (default: today)")


@router.post("/clauses", response_model=ClauseLookup, summary="Find a clause type",
             description="The clauses of a type in one contract (`source`) or across every contract the caller may "
                         "read, best first; `found: false` when nothing scores above the threshold.",
             responses=error_responses(401, 404, 422))
def clauses(body: ClauseRequest, service: ServiceDep, caller: CallerDep) -> ClauseLookup:
    # Sync on purpose: embedding and Chroma block, so FastAPI runs this in its threadpool.
    return service.contracts.lookup(body.type, caller, source=body.source, k=body.k, as_of=body.as_of)


@router.get("/obligations", response_model=ObligationRegister, summary="The obligation register",
            description="Obligations, prohibitions and rights with party, action, deadline, clause and page. "
                        "`format=csv` or `format=xlsx` returns a file instead of JSON.",
            responses=error_responses(401, 404, 422))
def obligations(service: ServiceDep, caller: CallerDep,
                contract: Annotated[CleanStr | None, Query(min_length=1, max_length=1000)] = None,
                format: Literal["json", "csv", "xlsx"] = Query(default="json")):  # noqa: A002
    register = service.contracts.obligations(caller, source=contract)
    if format == "json":
        return register
    from assistant.contracts.export import render

    return Response(render(register, format), media_type=_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="obligations.{format}"'})


@router.get("/key-terms", response_model=KeyTermsInForce, summary="Key terms of a contract",
            responses=error_responses(401, 404, 422))
def key_terms(service: ServiceDep, caller: CallerDep,
              contract: Annotated[CleanStr, Query(min_length=1, max_length=1000)], as_of: AsOf = None) -> KeyTermsInForce:
    return service.contracts.key_terms(contract, caller, as_of=as_of)


@router.get("/sla-schedule", response_model=SlaScheduleInForce, summary="SLA schedule of a SOW",
            responses=error_responses(401, 404, 422))
def sla_schedule(service: ServiceDep, caller: CallerDep,
                 contract: Annotated[CleanStr, Query(min_length=1, max_length=1000)], as_of: AsOf = None) -> SlaScheduleInForce:
    return service.contracts.sla_schedule(contract, caller, as_of=as_of)
