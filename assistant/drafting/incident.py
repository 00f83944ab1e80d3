"""The incident a draft is written about: a pydantic model, loaded from JSON or YAML.

Times must carry a time zone (`Z` or an offset such as `+05:30`): a naive time in an incident
file is rejected, because guessing the zone of a hand-written time is how timelines go wrong.
(Ticket exports are different: naive timestamps in a metrics file are read in the file's
configured zone, UTC by default; see metrics.py.)
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import InvalidInput

MAX_INCIDENT_BYTES = 1_000_000
FACTOR_CATEGORIES = ("people", "process", "technology", "vendor")
MIN_YEAR, MAX_YEAR = 1971, 2200


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} has no time zone: add 'Z' (UTC) or an offset such as +05:30")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"{field} must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TimelineEntry(_Model):
    at: datetime
    event: str = Field(min_length=1, max_length=2000)
    by: str = ""

    @field_validator("at")
    @classmethod
    def _tz(cls, v: datetime) -> datetime:
        return _aware(v, "timeline.at")


class ActionItem(_Model):
    action: str = Field(min_length=1, max_length=2000)
    kind: Literal["corrective", "preventive"] = "corrective"
    owner: str = ""
    due: date | None = None
    status: str = ""


class MetricsMapping(_Model):
    """How to read a metrics file whose columns are not the default names."""

    columns: dict[str, str] = Field(default_factory=dict)  # canonical name -> column in the file
    metric: str | None = None  # the SLA metric a tickets file measures (default: the email response metric)
    timezone: str = "UTC"  # zone for naive timestamps in the file


class SlaWindow(_Model):
    """The measurement window. `month` (YYYY-MM) or `start`/`end`; boundaries in `timezone`."""

    month: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    start: datetime | None = None
    end: datetime | None = None
    timezone: str = "UTC"

    @field_validator("start", "end")
    @classmethod
    def _range(cls, v, info):
        if v is not None and not MIN_YEAR <= v.year <= MAX_YEAR:
            raise ValueError(f"{info.field_name} must be between {MIN_YEAR} and {MAX_YEAR}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "SlaWindow":
        if self.month and (self.start or self.end):
            raise ValueError("give either month or start/end, not both")
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end")
        if self.start and self.end and self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Incident(_Model):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    process: str = ""  # e.g. "Email support"
    vendor: str = ""  # e.g. "Lumen BPO Services"
    client: str = ""
    severity: str = ""  # e.g. "SEV-2", as declared
    started_at: datetime | None = None
    ended_at: datetime | None = None
    detected_at: datetime | None = None
    affected_volume: int | None = Field(default=None, ge=0)
    affected_unit: str = "contacts"
    customer_impact: str = ""
    business_impact: str = ""
    # Caps: every entry is embedded to match runbook steps, so the lists bound a draft's time
    # (an incident of 1,500 entries took five minutes of any key's time).
    timeline: list[TimelineEntry] = Field(default_factory=list, max_length=100)
    actions_taken: list[str] = Field(default_factory=list, max_length=50)
    suspected_cause: str = ""
    whys: list[str] = Field(default_factory=list, max_length=10)  # known answers to the "5 whys", in order
    contributing_factors: dict[str, list[str]] = Field(default_factory=dict, max_length=10)  # people/process/technology/vendor
    corrective_actions: list[ActionItem] = Field(default_factory=list, max_length=50)
    contract: str | None = None  # source of the SOW (path relative to the ingested root)
    sla_metric: str | None = None  # the SLA the incident touches, e.g. "Email Response Time"
    sla_window: SlaWindow | None = None
    metrics: MetricsMapping | None = None
    monthly_fees: dict[str, Decimal] = Field(default_factory=dict)  # e.g. {email: 120000, total: 318000}
    currency: str = "USD"
    prepared_by: str = ""

    @field_validator("started_at", "ended_at", "detected_at")
    @classmethod
    def _tz(cls, v, info):
        return _aware(v, info.field_name)

    @field_validator("monthly_fees")
    @classmethod
    def _fees(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        bad = sorted(k for k, amount in v.items() if not amount.is_finite() or amount < 0)
        if bad:
            raise ValueError(f"fees must be finite, non-negative amounts: {bad}")
        return v

    @field_validator("contributing_factors")
    @classmethod
    def _categories(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(v) - set(FACTOR_CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; use {list(FACTOR_CATEGORIES)}")
        return v

    @model_validator(mode="after")
    def _order(self) -> "Incident":
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        return self

    # -- derived ---------------------------------------------------------------------------
    @property
    def duration_text(self) -> str:
        if not (self.started_at and self.ended_at):
            return ""
        minutes = int((self.ended_at - self.started_at).total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes:02d} min"

    def sorted_timeline(self) -> list[TimelineEntry]:
        return sorted(self.timeline, key=lambda t: t.at)

    def factual_statements(self) -> list[str]:
        """Everything the coordinator told us happened (actions and timeline events)."""
        return [a for a in self.actions_taken] + [t.event for t in self.timeline]

    @classmethod
    def from_text(cls, text: str) -> "Incident":
        """A minimal incident from one line of free text (Slack `/rca chat backlog 2025-10-14`)."""
        text = " ".join((text or "").split())
        if not text:
            raise InvalidInput("describe the incident, e.g. 'chat backlog on 2025-10-14'")
        started = None
        m = re.search(r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", text)
        if m:
            try:
                started = datetime.fromisoformat(m.group(1) + "T" + (m.group(2) or "00:00")).replace(tzinfo=timezone.utc)
            except ValueError:
                started = None
        return cls(title=text[:120], description=text, started_at=started)


def parse_incident(data: dict | Incident) -> Incident:
    if isinstance(data, Incident):
        return data
    if not isinstance(data, dict):
        raise InvalidInput("the incident must be a JSON/YAML object")
    try:
        return Incident.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("incident: " + validation_summary(exc)) from None


def validation_summary(exc: ValidationError, limit: int = 4) -> str:
    """One line naming each invalid field, for CLI/HTTP/Slack messages."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def load_incident(path: Path | str) -> Incident:
    """An incident from a .json, .yaml or .yml file."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"incident file not found: {path}")
    if path.stat().st_size > MAX_INCIDENT_BYTES:
        raise InvalidInput(f"incident file is larger than {MAX_INCIDENT_BYTES} bytes")
    raw = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"incident file {path.name} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
                           f"{str(exc).splitlines()[0]}") from None
    return parse_incident(data)
