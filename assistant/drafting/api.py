"""DraftingService: RCA drafts, escalation email drafts and the SLA calculator. Every document
read goes through the shared read path (`Reader.search(..., caller)`) or the contract service with
the same caller, so a role that can't read contracts gets drafts that say
so instead of quoting them. Drafts are returned, never sent.
"""

from __future__ import annotations

from pathlib import Path

from assistant.audit import AuditTrail
from assistant.contracts.document import resolve_source
from assistant.drafting.context import DraftSources
from assistant.drafting.escalation import build_escalation
from assistant.drafting.history import MetricsHistory
from assistant.drafting.incident import Incident, SlaWindow, parse_incident
from assistant.drafting.metrics import MetricsData, MetricsText, parse_metrics
from assistant.drafting.models import Draft
from assistant.drafting.rca import build_rca
from assistant.drafting.render import write_outputs
from assistant.drafting.scorecard import build_scorecard, failure_findings
from assistant.drafting.months import check_months
from assistant.drafting.scorecard_models import Scorecard
from assistant.drafting.sla_calc import SlaReport, calculate
from assistant.errors import InvalidInput, NotFound
from assistant.models import Caller

MetricsInput = Path | str | list[dict] | MetricsData | None


class DraftingService:
    def __init__(self, sources: DraftSources, trail: AuditTrail, history_path: Path,
                 history: MetricsHistory | None = None):
        self.sources = sources
        # The SLA table and clause citations come from the contract service.
        self.contracts = sources.contracts
        self.trail = trail
        self.history_path = history_path
        self._history = history  # opened on first use: only the scorecard reads or writes it

    # -- drafts -----------------------------------------------------------------------------
    def rca(self, incident: Incident | dict | str, caller: Caller, metrics: MetricsInput = None) -> Draft:
        incident = self._incident(incident)
        draft = build_rca(self.sources, incident, caller, _metrics_arg(metrics))
        self._audit("draft_rca", caller, incident.title, draft)
        return draft

    def escalation(self, incident: Incident | dict | str, caller: Caller, metrics: MetricsInput = None,
                   findings: list | None = None) -> Draft:
        incident = self._incident(incident)
        draft = build_escalation(self.sources, incident, caller, _metrics_arg(metrics), findings)
        self._audit("draft_escalation", caller, incident.title, draft)
        return draft

    # -- the calculator alone ---------------------------------------------------------------
    def sla(self, contract: str, metrics_path_or_rows: MetricsInput, caller: Caller, *, columns: dict | None = None,
            metric: str | None = None, window: SlaWindow | None = None, timezone: str = "UTC",
            fees: dict | None = None, currency: str = "USD") -> SlaReport:
        """Adherence, credits, cap and earn-back for `contract` over the metrics in the window."""
        contract, schedule = self._schedule(contract, caller)
        if metrics_path_or_rows is None:
            raise InvalidInput("a metrics file is needed")
        data = _parsed(metrics_path_or_rows, columns, timezone)
        report = calculate(schedule, data, window, ticket_metric=metric, fees=fees, currency=currency)
        self._audit("sla", caller, contract, None)
        return report

    # -- the scorecard over the metrics history ---------------------------------------------
    @property
    def history(self) -> MetricsHistory:
        if self._history is None:
            self._history = MetricsHistory(self.history_path)
        return self._history

    def scorecard(self, contract: str, caller: Caller, metrics: MetricsInput = None, *, columns: dict | None = None,
                  metric: str | None = None, first: str | None = None, last: str | None = None, timezone: str = "UTC",
                  fees: dict | None = None, currency: str = "USD") -> Scorecard:
        """Per month and metric adherence and credits for `contract`, with persistent failures and
        earn-back from its clauses. `metrics`, when given, is added to the stored history first."""
        check_months(from_=first, to=last)
        contract, schedule = self._schedule(contract, caller)
        loaded = None
        if metrics is not None:
            data = _parsed(metrics, columns, timezone)
            if not data.rows_total:
                raise InvalidInput("the metrics file has no rows: nothing to add to the history")
            loaded = self.history.load(contract, data, schedule, metric)
        terms = self.contracts.persistence_terms(contract, caller, [t.metric for t in schedule.terms])
        card = build_scorecard(schedule, terms, self.history, first=first, last=last, tz=timezone, fees=fees,
                               currency=currency, loaded=loaded)
        self._audit("scorecard", caller, contract, None)
        return card

    def scorecard_escalations(self, card: Scorecard, caller: Caller, out_dir: Path) -> list[Path]:
        """The escalation draft (.md, .docx, .json) for each persistent failure of `card`, written
        to `out_dir`, with the failure, its clause and the right stated first and cited."""
        written: list[Path] = []
        for failure in card.persistent_failures:
            offer = failure.escalation
            if offer is None:
                continue
            data = self.history.data(card.contract, offer.month, offer.month)
            draft = self.escalation(offer.incident, caller, metrics=data, findings=failure_findings(failure))
            written += write_outputs(draft, out_dir, stem=offer.incident_file.removesuffix(".yaml"))
        return written

    def _schedule(self, contract: str, caller: Caller):
        if not (contract or "").strip():
            raise InvalidInput("name the contract (its source path, e.g. contracts/sow.docx, or its file name)")
        # The same naming as key-terms, sla-schedule and obligations: a path, or a unique file name.
        contract = resolve_source(self.sources.reader.listing, caller, contract)
        schedule = self.contracts.sla_schedule(contract, caller)
        if schedule is None or not schedule.terms:
            raise NotFound(f"no SLA table was found in {contract}")
        return contract, schedule

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _incident(incident) -> Incident:
        if isinstance(incident, str):
            return Incident.from_text(incident)
        return parse_incident(incident)

    def _audit(self, action: str, caller: Caller, subject: str, draft: Draft | None) -> None:
        self.trail.record(action, caller, subject, [c.chunk_id for c in draft.citations] if draft else [])


def _parsed(metrics: MetricsInput, columns: dict | None, timezone: str) -> MetricsData:
    return metrics if isinstance(metrics, MetricsData) else parse_metrics(_metrics_arg(metrics), columns or {}, timezone)


def _metrics_arg(metrics: MetricsInput):
    """A one-line str is a path; CSV text always has a header line and rows. MetricsText is
    always text: request bodies must not name files on the server."""
    if isinstance(metrics, str) and not isinstance(metrics, MetricsText) and "\n" not in metrics.strip():
        return Path(metrics.strip())
    return metrics
