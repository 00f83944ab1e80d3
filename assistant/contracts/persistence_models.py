"""Persistent-failure and earn-back rules as a contract writes them, read for the scorecard.

A persistent-failure rule is a count of missed months ("three consecutive months", "five months in
any rolling twelve", "4 of the last 6 months") and the right it gives; an earn-back rule says when
a service credit is returned or waived ("met in each of the three following months").
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.contracts.sla_models import SourceSpan


class ContractRight(BaseModel):
    """What a persistent failure entitles the client to, in the contract's words."""

    kind: Literal["termination", "step_in", "remediation_plan", "escalation", "increased_credit", "material_breach", "other"]
    text: str  # "Customer may terminate the affected SOW immediately by written notice, without any cure period"
    holder: str = ""  # "Customer", "the Client": who holds the right, when the sentence says
    notice_days: int | None = None  # "thirty (30) days' written notice" -> 30; 0 for "immediately"
    notice: str = ""  # the notice words as written
    exercise_within: str = ""  # "within ninety (90) days after the Chronic Failure occurs"
    material_breach: bool = False  # the failure is declared a material breach
    clause_no: str = ""  # where the right is stated (a referenced clause, when the rule points to one)
    citation: SourceSpan | None = None


class FailureRule(BaseModel):
    name: str  # "Chronic Failure", "Persistent Service Level Failure" (the defined term, else the heading)
    kind: Literal["consecutive", "in_window"]
    count: int  # months missed
    window_months: int | None = None  # the period `count` falls in (in_window only)
    calendar_window: bool = False  # "in any calendar year/quarter": fixed periods, not rolling
    scope: Literal["same_metric", "any_metric", "named_metric"]
    metric: str = ""  # named_metric: the SLA metric the clause names
    condition: str  # the rule in words, built from what was read: "the same Service Level missed in 3 consecutive months"
    scope_words: str = ""  # the words the scope was read from ("the same Service Level")
    right: ContractRight | None = None
    clause_no: str = ""
    citation: SourceSpan


class EarnBackRule(BaseModel):
    months: int  # the following months that must be met
    scope: Literal["same_metric", "all_metrics"] = "same_metric"
    effect: Literal["returned", "waived"] = "returned"
    excludes_persistent: bool = False  # no earn-back for a miss that is part of a persistent failure
    condition: str  # in words: "the missed Service Level met in each of the 3 following months"
    clause_no: str = ""
    citation: SourceSpan


class PersistenceTerms(BaseModel):
    failure_rules: list[FailureRule] = Field(default_factory=list)
    earn_back: EarnBackRule | None = None
    rca_business_days: int | None = None  # an RCA is due this many business days after a missed month
    rca_citation: SourceSpan | None = None
    sources: list[str] = Field(default_factory=list)  # the contracts read (the SOW, then related agreements)
    notes: list[str] = Field(default_factory=list)
