"""Loading a metrics file into a contract's history from its page (POST /contracts/{doc_id}/metrics).

The file goes through the same bounded multipart reader as a document upload, capped like
POST /v1/scorecard's body, then to `service.drafts.scorecard` exactly as the API's `metrics_csv`
does (the rows are added to the stored history; the same rows twice change nothing). What happened
is shown once on the contract page: a one-line message, never a traceback.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from assistant.drafting.history import HistoryLoad
from assistant.drafting.metrics import MetricsText
from assistant.errors import AssistantError, InvalidInput
from assistant.models import DocumentInfo
from assistant.surfaces.http.routes.documents import read_upload
from assistant.surfaces.web.sessions import Session

METRICS_BYTES = 4 * 1024 * 1024  # as POST /v1/scorecard's body: six months of a busy queue's tickets


@dataclass
class MetricsOutcome:
    """What the last metrics file did, for the next view of the contract's page."""

    doc_id: str
    file_name: str
    message: str
    error: bool = False
    load: HistoryLoad | None = None
    unmatched: list[tuple[str, int]] = field(default_factory=list)


def take_outcome(session: Session, doc_id: str) -> MetricsOutcome | None:
    """The outcome waiting for this contract's page, shown once."""
    outcome = session.flash
    if isinstance(outcome, MetricsOutcome) and outcome.doc_id == doc_id:
        session.flash = None
        return outcome
    return None


async def load(request: Request, session: Session, doc: DocumentInfo) -> None:
    service, caller = request.app.state.service, session.caller()
    name = ""
    try:
        name, data = await read_upload(request, METRICS_BYTES)
        metrics, cleanup = _metrics_input(name, data)
        try:
            card = await run_in_threadpool(service.drafts.scorecard, doc.source, caller, metrics)
        finally:
            cleanup()
    except AssistantError as exc:
        session.flash = MetricsOutcome(doc.doc_id, name, _one_line(exc.message), error=True)
        return
    loaded = card.history
    session.flash = MetricsOutcome(doc.doc_id, name, _summary(loaded), load=loaded,
                                   unmatched=sorted(loaded.unmatched.items()) if loaded else [])


def _metrics_input(name: str, data: bytes):
    """CSV text as MetricsText (never a path); an .xlsx through a private temporary file."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        folder = tempfile.TemporaryDirectory(prefix="bpo-metrics-")
        path = Path(folder.name) / "metrics.xlsx"
        path.write_bytes(data)
        return path, folder.cleanup
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the metrics file is not UTF-8 CSV text or an .xlsx workbook") from None
    if not text.strip():
        raise InvalidInput("the metrics file is empty")
    return MetricsText(text if "\n" in text.strip() else text + "\n"), lambda: None


def _summary(loaded: HistoryLoad | None) -> str:
    if loaded is None:
        return "Loaded."
    months = f" for {loaded.months[0]} to {loaded.months[-1]}" if loaded.months else ""
    return (f"Loaded {loaded.rows_read} record(s){months}: {loaded.added} added, {loaded.updated} updated, "
            f"{loaded.unchanged} already in the history" + (f", {len(loaded.bad_rows)} unusable" if loaded.bad_rows else "") + ".")


def _one_line(message: str) -> str:
    line = " ".join((message or "the metrics file could not be read").split())
    return line if len(line) <= 300 else line[:297] + "…"
