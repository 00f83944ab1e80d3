"""POST /v1/drafts/rca, POST /v1/drafts/escalation, POST /v1/sla: drafts and the SLA calculator.

Drafts are returned as JSON (Markdown, sections, citations, SLA figures); nothing is sent.
"""

from __future__ import annotations

from fastapi import APIRouter

from assistant.drafting.incident import SlaWindow
from assistant.drafting.metrics import MetricsText
from assistant.drafting.models import Draft, DraftRequest, SlaRequest
from assistant.drafting.sla_calc import SlaReport
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_responses

# An incident is a few KB and a month of tickets a few MB at most: larger bodies are refused unread
# (a 10 MB incident used to take three minutes of any key's time).
router = APIRouter(prefix="/v1", tags=["drafts"], max_body_size=4 * 1024 * 1024)


def _text(csv_text: str | None) -> MetricsText | None:
    return None if csv_text is None else MetricsText(csv_text)


@router.post("/drafts/rca", response_model=Draft, summary="Draft a root cause analysis",
             description="A cited RCA draft from an incident and, optionally, ticket or KPI metrics as CSV text.",
             responses=error_responses(401, 404, 422, 502))
def draft_rca(body: DraftRequest, service: ServiceDep, caller: CallerDep) -> Draft:
    # Sync on purpose: retrieval and embedding block, so FastAPI runs this in its threadpool.
    return service.drafts.rca(body.incident, caller, metrics=_text(body.metrics_csv))


@router.post("/drafts/escalation", response_model=Draft, summary="Draft a vendor escalation email",
             description="A cited escalation email draft addressed per the escalation matrix and the contract.",
             responses=error_responses(401, 404, 422, 502))
def draft_escalation(body: DraftRequest, service: ServiceDep, caller: CallerDep) -> Draft:
    return service.drafts.escalation(body.incident, caller, metrics=_text(body.metrics_csv))


@router.post("/sla", response_model=SlaReport, summary="SLA adherence and service credits",
             description="Adherence per metric for the window, service credits, the credit cap and earn-back, each "
                         "cited to its clause. `actual`, `target` and `miss_points` are percentages (units: percent).",
             responses=error_responses(401, 404, 422))
def sla(body: SlaRequest, service: ServiceDep, caller: CallerDep) -> SlaReport:
    window = SlaWindow(month=body.month, timezone=body.timezone) if body.month else SlaWindow(timezone=body.timezone)
    return service.drafts.sla(body.contract, MetricsText(body.metrics_csv), caller, columns=body.columns, metric=body.metric,
                                window=window, timezone=body.timezone, fees=body.monthly_fees)
