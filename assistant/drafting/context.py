"""What a draft is built from: the incident, the SLA figures and the retrieved runbook and
contract passages, gathered once through the shared read path with the caller's access rights."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.contracts.persistence import rca_business_days
from assistant.contracts.sla_models import SlaSchedule, SlaTerm
from assistant.drafting.evidence import Evidence, find_sentence, sentences_of
from assistant.drafting.incident import Incident
from assistant.drafting.metrics import MetricsData, parse_metrics
from assistant.drafting.sla_calc import SlaReport, calculate, match_term
from assistant.errors import AssistantError
from assistant.models import Caller, SearchResult

if TYPE_CHECKING:
    from assistant.answering.pipeline import Answerer
    from assistant.contracts.api import ContractService
    from assistant.retrieval.embedding import Embedder
    from assistant.reading import Reader

CONTRACT_UNAVAILABLE = ("Contract terms (SLA targets, service credits, notice and governance clauses) are not available "
                        "to this role; a coordinator or legal colleague needs to complete those parts.")
RUNBOOK_TYPES = ["runbook", "sop"]


@dataclass
class DraftContext:
    incident: Incident
    caller: Caller
    evidence: Evidence
    contract_source: str | None = None
    contract_available: bool = False
    schedule: SlaSchedule | None = None
    report: SlaReport | None = None
    term: SlaTerm | None = None  # the SLA the incident touches (its figure or, without metrics, its target)
    runbook_source: str | None = None  # the runbook the steps were taken from
    unavailable: str = CONTRACT_UNAVAILABLE  # what the draft says in place of contract terms
    warnings: list[str] = field(default_factory=list)
    contracts: ContractService | None = None  # clause lookups by type

    @property
    def missed(self):
        return self.report.missed if self.report else []

    def contract_search(self, query: str, k: int = 4, doc_types: list[str] | None = None,
                        own_contract: bool = False) -> list[SearchResult]:
        if not self.contract_available:
            return []
        sources = [self.contract_source] if own_contract and self.contract_source else None
        return self.evidence.search(query, k=k, doc_types=doc_types, sources=sources)


@dataclass(frozen=True)
class DraftSources:
    """What a draft reads: the shared read path (so the caller's access applies), the contract
    service, the embedding model (runbook steps against the incident's statements) and the
    answerer (optional LLM prose under the answers' citation checks)."""

    reader: Reader
    contracts: ContractService
    embedder: Embedder
    answerer: Answerer


def gather(sources: DraftSources, incident: Incident, caller: Caller, metrics=None) -> DraftContext:
    data = load_metrics(metrics, incident) if metrics is not None else None  # a bad file fails before any search
    contracts = sources.contracts
    ctx = DraftContext(incident, caller, Evidence(sources.reader, caller), contracts=contracts)
    ctx.contract_source = _contract_source(ctx)
    if ctx.contract_source is None:
        ctx.warnings.append(ctx.unavailable)
    else:
        ctx.contract_available = True
        ctx.schedule = _schedule(ctx, contracts)
    if ctx.schedule is not None:
        if data is not None:
            only = [incident.sla_metric] if incident.sla_metric else None
            ticket_metric = incident.sla_metric or (incident.metrics.metric if incident.metrics else None)
            ctx.report = calculate(ctx.schedule, data, incident.sla_window, ticket_metric=ticket_metric,
                                   fees=incident.monthly_fees, currency=incident.currency, only_metrics=only)
        ctx.term = _incident_term(ctx)
    elif data is not None:
        ctx.warnings.append("A metrics file was given, but without the contract's SLA schedule no adherence was computed.")
    return ctx


def load_metrics(metrics, incident: Incident) -> MetricsData:
    if isinstance(metrics, MetricsData):
        return metrics
    mapping = incident.metrics.columns if incident.metrics else {}
    tz = incident.metrics.timezone if incident.metrics else "UTC"
    source = Path(metrics) if isinstance(metrics, Path) else metrics
    return parse_metrics(source, mapping, tz)


def _contract_source(ctx: DraftContext) -> str | None:
    """The SOW named by the incident, else the best-matching SOW the caller can read."""
    inc = ctx.incident
    if inc.contract:
        probe = ctx.evidence.search(f"service levels service credits {inc.process}", k=1, sources=[inc.contract])
        if probe:
            return inc.contract
    found = ctx.evidence.search(f"service level schedule service credits {inc.vendor} {inc.process}", k=1, doc_types=["sow"])
    if inc.contract and found:
        # Contracts are readable, just not this one: say so rather than blame the role.
        ctx.unavailable = (f"The contract {inc.contract!r} named in the incident is not among the indexed documents; "
                           "contract terms (SLA targets, service credits, notice clauses) are to confirm.")
        return None
    return found[0].source if found else None


def _schedule(ctx: DraftContext, contracts) -> SlaSchedule | None:
    try:
        schedule = contracts.sla_schedule(ctx.contract_source, ctx.caller)
    except AssistantError as exc:
        ctx.warnings.append(f"The SLA schedule of {ctx.contract_source} could not be read: {exc.message}")
        return None
    if schedule is None or not schedule.terms:
        ctx.warnings.append(f"No SLA table was found in {ctx.contract_source}; SLA figures are to confirm.")
        return None
    return schedule


def _incident_term(ctx: DraftContext) -> SlaTerm | None:
    inc, schedule = ctx.incident, ctx.schedule
    if inc.sla_metric:
        term = match_term(inc.sla_metric, schedule.terms)
        if term is None:
            ctx.warnings.append(f"The SLA schedule has no metric matching {inc.sla_metric!r}.")
        return term
    if ctx.report and ctx.report.results:
        missed = ctx.report.missed
        return match_term((missed or ctx.report.results)[0].metric, schedule.terms)
    text = f"{inc.process} {inc.title}".lower()
    for term in schedule.terms:
        first = re.findall(r"[a-z]+", term.metric.lower())[:1]
        if first and first[0] in text:
            return term
    return None


# -- contract passages used by both drafts ---------------------------------------------------
def _rca_clauses(ctx: DraftContext) -> list[SearchResult]:
    return ctx.contract_search("root cause analysis within business days of any SLA miss shall describe corrective action plan",
                               k=4, own_contract=True)


def rca_deadline(ctx: DraftContext) -> tuple[SearchResult, str, int] | None:
    """The contract sentence setting the RCA delivery period, and its number of business days
    ("a root cause analysis within five (5) Business Days of any missed Service Level")."""
    sev1 = ctx.incident.severity.strip().upper().replace(" ", "-") == "SEV-1"
    found = []
    for r in _rca_clauses(ctx):
        for sentence in sentences_of(r):
            days = rca_business_days(sentence)
            if days is not None:
                found.append((r, sentence, days))
    if sev1 and not ctx.missed:
        sev = [f for f in found if re.search(r"(?i)\bSEV-?1\b|severity\s*1", f[1])]
        found = sev or found
    return found[0] if found else None


def rca_contents(ctx: DraftContext) -> tuple[SearchResult, str] | None:
    results = _rca_clauses(ctx)
    found = find_sentence(results, r"root cause analysis shall (?:describe|include)")
    return (found[0], found[1]) if found else None


def long_date(day: date, weekday: bool = True) -> str:
    """'Friday 7 November 2025' (no platform-specific strftime flags)."""
    return (f"{day:%A} " if weekday else "") + f"{day.day} {day:%B %Y}"


def add_business_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def deadline_basis(ctx: DraftContext) -> tuple[date | None, str]:
    """The day the RCA clock starts: the end of the missed window, else the incident's end."""
    if ctx.missed and ctx.report and ctx.report.window_end:
        last = (ctx.report.window_end - timedelta(seconds=1)).date()
        return last, f"the measurement window closed on {long_date(last, weekday=False)}"
    if ctx.incident.ended_at:
        day = ctx.incident.ended_at.date()
        return day, f"the incident ended on {long_date(day, weekday=False)}"
    return None, ""
