"""Hand-built SLA schedules and metrics files for the calculator tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from assistant.contracts.sla_models import ServiceCredit, SlaSchedule, SlaTerm, SourceSpan

OCT = datetime(2025, 10, 1, tzinfo=timezone.utc)


def cite(clause: str, quote: str = "a clause") -> SourceSpan:
    return SourceSpan(chunk_id=f"chunk-{clause}", source="contracts/sow.docx", clause_no=clause, quote=quote)


def term(metric: str = "Email Response Time", target: float = 95.0, seconds: float | None = 86400, basis: str = "monthly email fees",
         percent: float | None = 5.0, escalated: float | None = 10.0, points: float | None = 5.0, comparator: str = ">=") -> SlaTerm:
    credit = ServiceCredit(percent_of_fees=percent, fee_basis=basis, escalated_percent=escalated, escalation_points=points)
    return SlaTerm(metric=metric, target_percent=target, threshold_seconds=seconds, comparator=comparator,
                   threshold="within 24 hours" if seconds else "", credit=credit, citation=cite("7.1", f"{metric} row"))


def schedule(*terms: SlaTerm, cap: float | None = 15.0) -> SlaSchedule:
    return SlaSchedule(contract_source="contracts/sow.docx", terms=list(terms) or [term()], credit_cap_percent=cap,
                       credit_cap_citation=cite("8.2", "cap"), earn_back="met in each of the next 3 months",
                       earn_back_months=3, earn_back_citation=cite("8.4", "earn-back"))


def tickets_csv(path: Path, met: int, missed: int, start: datetime = OCT, step_minutes: int = 40) -> Path:
    """`met` tickets resolved in 5 h, then `missed` resolved in 30 h, created through the month."""
    lines = ["created_at,resolved_at"]
    for i in range(met + missed):
        created = start + timedelta(minutes=step_minutes * i)
        resolved = created + (timedelta(hours=5) if i < met else timedelta(hours=30))
        lines.append(f"{created.isoformat()},{resolved.isoformat()}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def quote_in_chunk(service, citation) -> bool:
    """The citation's quote occurs verbatim (whitespace-insensitively) in the chunk it names."""
    from assistant.answering.units import normalise

    for name in service.store.collection_names():
        for chunk in service.store.get(name, [citation.chunk_id]):
            return normalise(citation.quote) in normalise(chunk.text)
    return False


def markers(markdown: str) -> set[int]:
    import re

    body = markdown.split("\n## Sources", 1)[0]
    return {int(n) for n in re.findall(r"\[(\d{1,3})\]", body)}
