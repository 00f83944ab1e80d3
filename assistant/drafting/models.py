"""Pydantic types of the drafting feature that cross a boundary (CLI --json, HTTP, Slack)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from assistant.drafting.incident import Incident
from assistant.drafting.sla_calc import SlaReport, SlaResult
from assistant.models import Citation
from assistant.text_input import ApiRequest


def _check_fees(fees: dict[str, float]) -> dict[str, float]:
    if any(not math.isfinite(x) or x < 0 for x in fees.values()):
        raise ValueError("fees must be finite, non-negative amounts")
    return fees


# Monthly fees by service line ("email", "total"): numbers only (true is not 1), finite and not negative.
MonthlyFees = Annotated[dict[str, Annotated[float, Field(strict=True)]], Field(max_length=50), AfterValidator(_check_fees)]


class DraftSection(BaseModel):
    key: str  # slug of the heading, e.g. "sla-impact"
    title: str
    markdown: str


class EmailHeader(BaseModel):
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    subject: str = ""
    channel: str = ""


class Draft(BaseModel):
    kind: Literal["rca", "escalation"]
    title: str
    markdown: str
    sections: list[DraftSection]
    citations: list[Citation]
    sla: list[SlaResult] = Field(default_factory=list)
    sla_report: SlaReport | None = None
    warnings: list[str] = Field(default_factory=list)
    email: EmailHeader | None = None  # escalation drafts only
    slack_summary: str = ""  # at most three lines
    mode: Literal["template", "llm"] = "template"
    template_version: str = ""
    generated_at: datetime
    sent: Literal[False] = False  # drafts are never sent anywhere


class DraftRequest(ApiRequest):
    """HTTP body of POST /v1/drafts/rca and /v1/drafts/escalation."""

    incident: Incident
    metrics_csv: str | None = Field(default=None, max_length=20_000_000)


class SlaRequest(ApiRequest):
    """HTTP body of POST /v1/sla."""

    contract: str = Field(min_length=1, max_length=1000)
    metrics_csv: str = Field(min_length=1, max_length=20_000_000)
    columns: dict[str, str] = Field(default_factory=dict)
    metric: str | None = None
    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    timezone: str = "UTC"
    monthly_fees: MonthlyFees = Field(default_factory=dict)
