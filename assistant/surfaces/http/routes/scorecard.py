"""POST /v1/scorecard: the vendor scorecard over a contract's metrics history, with each metric's
trend chart as a PNG attachment (base64) in the JSON. Thin: everything else is in assistant.drafting."""

from __future__ import annotations

import base64

from fastapi import APIRouter

from assistant.drafting.metrics import MetricsText
from assistant.drafting.scorecard_models import ScorecardChart, ScorecardRequest, ScorecardResponse
from assistant.surfaces.http.deps import CallerDep, ServiceDep
from assistant.surfaces.http.errors import error_responses

# Six months of a busy queue's tickets are ~3 MB of CSV; a larger body is refused unread.
router = APIRouter(prefix="/v1", tags=["scorecard"], max_body_size=4 * 1024 * 1024)


@router.post("/scorecard", response_model=ScorecardResponse, summary="Vendor scorecard",
             description="Per month and metric: actual, target, met/missed/no data, credit (percent and amount when "
                         "`monthly_fees` are given) and the monthly cap, each cited; persistent failures and earn-back "
                         "from the contract's own clauses. `metrics_csv`, when given, is added to the contract's stored "
                         "history first (reloading the same rows changes nothing). Percentages are percent numbers.",
             responses=error_responses(401, 404, 413, 422))
def scorecard(body: ScorecardRequest, service: ServiceDep, caller: CallerDep) -> ScorecardResponse:
    # Sync on purpose: Chroma reads and chart drawing block, so FastAPI runs this in its threadpool.
    metrics = MetricsText(body.metrics_csv) if body.metrics_csv is not None else None
    card = service.drafts.scorecard(body.contract, caller, metrics, columns=body.columns, metric=body.metric,
                                    first=body.from_month, last=body.to_month, timezone=body.timezone,
                                    fees=body.monthly_fees, currency=body.currency)
    response = ScorecardResponse(**card.model_dump())
    if body.charts:
        from assistant.drafting.scorecard_files import charts

        response.charts = [ScorecardChart(metric=metric, filename=name, png_base64=base64.b64encode(png).decode("ascii"))
                           for metric, name, png in charts(card)]
    return response
