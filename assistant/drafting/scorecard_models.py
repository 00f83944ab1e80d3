"""Pydantic types of the vendor scorecard (CLI --json, HTTP, Slack). Percentages are percent
numbers (96.0 means 96%), months are YYYY-MM."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from assistant.contracts.persistence_models import ContractRight, EarnBackRule, FailureRule
from assistant.contracts.sla_models import SourceSpan
from assistant.drafting.history import HistoryLoad
from assistant.drafting.models import MonthlyFees
from assistant.drafting.months import MONTH_PATTERN
from assistant.drafting.sla_calc import CapResult, Status
from assistant.text_input import ApiRequest



class ScorecardMetric(BaseModel):
    name: str
    actual: float | None  # percent, rounded half-up to 2 dp; None = no data
    target: float | None
    comparator: str = ">="
    met: bool | None  # None: no data, or no numeric target
    status: Status
    credit_pct: float | None = None  # percent of `fee_basis`
    credit_amount: float | None = None  # when the fees are known
    currency: str | None = None
    fee_basis: str = ""
    basis: str = ""  # how `actual` was measured
    citation: SourceSpan  # the SLA term
    credit_citation: SourceSpan | None = None  # where the credit is stated, when not with the target
    notes: list[str] = Field(default_factory=list)


class ScorecardMonth(BaseModel):
    month: str
    metrics: list[ScorecardMetric]
    cap: CapResult | None = None  # the monthly credit cap, and whether it bit


class PersistentFailure(BaseModel):
    metric: str  # the SLA metric, or "any Service Level" for a rule on misses of any kind
    months: list[str]  # the missed months that make up the failure
    triggered_in: str  # the month the rule's count was reached
    rule: str  # the contract's name for it: "Chronic Failure"
    condition: str  # "the same Service Level missed in 3 consecutive months"
    clause_no: str
    right: str  # "Customer may terminate the affected SOW immediately by written notice ..."
    right_detail: ContractRight | None = None
    citation: SourceSpan  # the persistent-failure clause
    escalation: "EscalationOffer | None" = None


class EscalationOffer(BaseModel):
    """A ready-to-draft escalation for a persistent failure (`bpo-assistant draft escalation`)."""

    title: str
    metric: str
    month: str  # the trigger month: the window the draft's SLA figures come from
    incident_file: str  # the name `scorecard --out` writes the incident under
    command: str  # the CLI command that writes the draft from it
    incident: dict  # the incident file's content (the draft's input)


class EarnBackItem(BaseModel):
    metric: str
    month: str  # the month of the miss the credit is for
    credit_pct: float | None = None
    credit_amount: float | None = None
    currency: str | None = None
    status: Literal["earned_back", "pending", "final"]
    reason: str  # "met in 2025-08, 2025-09 and 2025-10" / "missed again in 2025-09" / "2 of 3 months still to come"
    months: list[str] = Field(default_factory=list)  # the months the rule looks at
    citation: SourceSpan | None = None  # the earn-back clause


class RcaDue(BaseModel):
    metric: str
    month: str
    due: str  # ISO date
    rule: str  # "within five (5) Business Days of any missed Service Level"
    citation: SourceSpan


class Scorecard(BaseModel):
    contract: str
    related_contracts: list[str] = Field(default_factory=list)  # agreements read for persistence and earn-back clauses
    period_from: str
    period_to: str
    months: list[ScorecardMonth]
    persistent_failures: list[PersistentFailure] = Field(default_factory=list)
    earn_back: list[EarnBackItem] = Field(default_factory=list)
    rcas: list[RcaDue] = Field(default_factory=list)
    failure_rules: list[FailureRule] = Field(default_factory=list)
    earn_back_rule: EarnBackRule | None = None
    history: HistoryLoad | None = None  # what this request's metrics file added
    history_months: list[str] = Field(default_factory=list)  # every month the contract's history holds
    units: Literal["percent"] = "percent"
    notes: list[str] = Field(default_factory=list)


class ScorecardRequest(ApiRequest):
    """HTTP body of POST /v1/scorecard. Without `metrics_csv` the stored history is used."""

    contract: str = Field(min_length=1, max_length=1000)
    metrics_csv: str | None = Field(default=None, min_length=1, max_length=3_000_000)
    columns: dict[str, str] = Field(default_factory=dict, max_length=20)
    metric: str | None = Field(default=None, max_length=200)
    from_month: str | None = Field(default=None, alias="from", pattern=MONTH_PATTERN)
    to_month: str | None = Field(default=None, alias="to", pattern=MONTH_PATTERN)
    timezone: str = Field(default="UTC", max_length=64)
    monthly_fees: MonthlyFees = Field(default_factory=dict)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    charts: StrictBool = True  # each metric's trend chart as a base64 PNG in the response

    model_config = {**ApiRequest.model_config, "populate_by_name": True}


class ScorecardChart(BaseModel):
    metric: str
    filename: str  # "trend-email-response-time.png"
    media_type: Literal["image/png"] = "image/png"
    png_base64: str


class ScorecardResponse(Scorecard):
    charts: list[ScorecardChart] = Field(default_factory=list)


PersistentFailure.model_rebuild()
