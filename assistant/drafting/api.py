"""DraftingService: RCA drafts, escalation email drafts and the SLA calculator. Every document
read goes through the shared read path (`Reader.search(..., caller)`) or the contract service with
the same caller, so a role that can't read contracts gets drafts that say so instead of quoting
them. Drafts are returned, never sent.
"""

from __future__ import annotations

from pathlib import Path

from assistant.audit import AuditTrail
from assistant.contracts.document import resolve_source
from assistant.drafting.context import DraftSources
from assistant.drafting.escalation import build_escalation
from assistant.drafting.incident import Incident, SlaWindow, parse_incident
from assistant.drafting.metrics import MetricsData, MetricsText, parse_metrics
from assistant.drafting.models import Draft
from assistant.drafting.rca import build_rca
from assistant.drafting.sla_calc import SlaReport, calculate
from assistant.errors import InvalidInput, NotFound
from assistant.models import Caller

MetricsInput = Path | str | list[dict] | MetricsData | None


class DraftingService:
    def __init__(self, sources: DraftSources, trail: AuditTrail):
        self.sources = sources
        # The SLA table and clause citations come from the contract service.
        self.contracts = sources.contracts
        self.trail = trail

    # -- drafts -----------------------------------------------------------------------------
    def rca(self, incident: Incident | dict | str, caller: Caller, metrics: MetricsInput = None) -> Draft:
        incident = self._incident(incident)
        draft = build_rca(self.sources, incident, caller, _metrics_arg(metrics))
        self._audit("draft_rca", caller, incident.title, draft)
        return draft

    def escalation(self, incident: Incident | dict | str, caller: Caller, metrics: MetricsInput = None) -> Draft:
        incident = self._incident(incident)
        draft = build_escalation(self.sources, incident, caller, _metrics_arg(metrics))
        self._audit("draft_escalation", caller, incident.title, draft)
        return draft

    # -- the calculator alone ---------------------------------------------------------------
    def sla(self, contract: str, metrics_path_or_rows: MetricsInput, caller: Caller, *, columns: dict | None = None,
            metric: str | None = None, window: SlaWindow | None = None, timezone: str = "UTC",
            fees: dict | None = None, currency: str = "USD") -> SlaReport:
        """Adherence, credits, cap and earn-back for `contract` over the metrics in the window."""
        if not (contract or "").strip():
            raise InvalidInput("name the contract (its source path, e.g. contracts/sow.docx, or its file name)")
        # The same naming as key-terms, sla-schedule and obligations: a path, or a unique file name.
        contract = resolve_source(self.sources.reader.listing, caller, contract)
        schedule = self.contracts.sla_schedule(contract, caller)
        if schedule is None or not schedule.terms:
            raise NotFound(f"no SLA table was found in {contract}")
        if metrics_path_or_rows is None:
            raise InvalidInput("a metrics file is needed")
        data = metrics_path_or_rows if isinstance(metrics_path_or_rows, MetricsData) else \
            parse_metrics(_metrics_arg(metrics_path_or_rows), columns or {}, timezone)
        report = calculate(schedule, data, window, ticket_metric=metric, fees=fees, currency=currency)
        self._audit("sla", caller, contract, None)
        return report

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _incident(incident) -> Incident:
        if isinstance(incident, str):
            return Incident.from_text(incident)
        return parse_incident(incident)

    def _audit(self, action: str, caller: Caller, subject: str, draft: Draft | None) -> None:
        self.trail.record(action, caller, subject, [c.chunk_id for c in draft.citations] if draft else [])


def _metrics_arg(metrics: MetricsInput):
    """A one-line str is a path; CSV text always has a header line and rows. MetricsText is
    always text: request bodies must not name files on the server."""
    if isinstance(metrics, str) and not isinstance(metrics, MetricsText) and "\n" not in metrics.strip():
        return Path(metrics.strip())
    return metrics
