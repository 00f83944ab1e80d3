"""SLA terms as extracted from a SOW (contract intelligence) and consumed by the SLA calculator
(drafting). Percentages are stated as percent numbers (95.0 means 95%), never fractions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SourceSpan(BaseModel):
    """Where a figure came from: enough to cite it."""

    chunk_id: str
    source: str
    section_path: str = ""
    clause_no: str = ""
    page_start: int | None = None
    quote: str  # the exact text the figure was read from (a substring of the chunk text)


class CreditTier(BaseModel):
    """One row of a tiered credit table: the credit when `at_least <= actual < below`."""

    at_least: float | None = None  # None: no lower bound ("under 99.0%")
    below: float | None = None  # None: no upper bound
    below_target: bool = False  # the upper bound is the target itself ("99.0% to Target Uptime")
    percent_of_fees: float


class UnknownValue(BaseModel):
    """A schedule value the contract states but that can't be read as a figure: reported, never guessed."""

    field: str  # target | credit | window | comparator
    reason: str  # "the template's blank [__]% was not filled in"
    citation: SourceSpan | None = None


class ServiceCredit(BaseModel):
    percent_of_fees: float | None = None  # e.g. 5.0 (% of the monthly fees of `fee_basis`)
    amount: float | None = None  # a fixed amount, when the contract states one
    currency: str | None = None
    fee_basis: str = ""  # e.g. "monthly email fees"
    escalated_percent: float | None = None  # e.g. 10.0 when missed by more than `escalation_points`
    escalation_points: float | None = None  # e.g. 5.0 percentage points
    tiers: list[CreditTier] = Field(default_factory=list)  # a credit that depends on the actual level
    per_failure: bool = False  # "for each time Provider fails to meet ...": per missed event, not per month
    citation: SourceSpan | None = None  # where the credit is stated, when not with the target


class SlaTerm(BaseModel):
    metric: str  # e.g. "Email Response Time"
    definition: str = ""
    target_percent: float | None = None  # e.g. 95.0 (share of items meeting the threshold)
    comparator: Literal[">=", "<=", ">", "<"] = ">="
    threshold: str = ""  # e.g. "within 24 hours", "within 60 seconds"
    threshold_seconds: float | None = None  # the time threshold normalised, when there is one
    measurement_window: str = ""  # e.g. "calendar month"
    reporting: str = ""
    credit: ServiceCredit | None = None
    citation: SourceSpan
    window_citation: SourceSpan | None = None  # where the window is stated, when not with the target
    unknown: list[UnknownValue] = Field(default_factory=list)


class SlaSchedule(BaseModel):
    contract_source: str
    terms: list[SlaTerm] = Field(default_factory=list)
    credit_cap_percent: float | None = None  # e.g. 15.0 (% of monthly fees, all credits together)
    credit_cap_citation: SourceSpan | None = None
    earn_back: str = ""  # the earn-back rule in words
    earn_back_months: int | None = None
    earn_back_citation: SourceSpan | None = None
