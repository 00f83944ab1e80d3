"""Metrics files for the SLA calculator: ticket exports or daily KPI rows, CSV or XLSX.

Layouts (column names are matched case-insensitively; others are mapped with `columns`):
- tickets: `created_at`, `resolved_at` (ISO 8601), optional `metric`, `id`. An empty
  `resolved_at` is an open ticket.
- daily KPI counts: `date`, `metric`, `numerator`, `denominator`.
- daily KPI values: `date`, `metric`, `value` (a percentage: 96.5 or "96.5%").

Timestamps are normalised to UTC; a naive timestamp is read in the file's `timezone` (UTC unless
configured). Row numbers are the spreadsheet's: the header is row 1. Rows that cannot be used
are skipped and reported; when more than `max_bad_fraction` of the rows are bad the whole file
is refused with an error listing them, because the figures would not be trustworthy.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from assistant.errors import InvalidInput

MAX_METRICS_BYTES = 50_000_000
DEFAULT_MAX_BAD_FRACTION = 0.05
TICKET_COLUMNS = ("created_at", "resolved_at")
KPI_COUNT_COLUMNS = ("date", "metric", "numerator", "denominator")
KPI_VALUE_COLUMNS = ("date", "metric", "value")
CANONICAL = ("created_at", "resolved_at", "metric", "id", "date", "numerator", "denominator", "value")


class MetricsText(str):
    """CSV text that must never be taken for a file path (e.g. a request body)."""


class MetricsError(InvalidInput):
    """The metrics file can't be used (missing columns, too many bad rows, unreadable)."""

    def __init__(self, message: str, bad_rows: list["BadRow"] | None = None):
        super().__init__(message)
        self.bad_rows = bad_rows or []


class BadRow(BaseModel):
    row: int
    reason: str


@dataclass
class Ticket:
    row: int
    created: datetime  # UTC
    resolved: datetime | None  # UTC; None = still open
    metric: str = ""


@dataclass
class KpiRow:
    row: int
    day: date
    metric: str
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None  # percent


@dataclass
class MetricsData:
    layout: str  # "tickets" | "kpi_counts" | "kpi_values"
    tickets: list[Ticket] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    rows_total: int = 0
    naive_rows: int = 0  # timestamps without a zone, read in `timezone`
    timezone: str = "UTC"
    columns: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------
def parse_mapping(text: str | None) -> dict[str, str]:
    """`created_at=Opened,resolved_at=Closed` -> {"created_at": "Opened", ...}."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, column = part.partition("=")
        key = key.strip().lower()
        if not sep or not column.strip():
            raise InvalidInput(f"--map: expected NAME=COLUMN pairs, got {part.strip()!r}")
        if key not in CANONICAL:
            raise InvalidInput(f"--map: unknown name {key!r}; use one of {', '.join(CANONICAL)}")
        mapping[key] = column.strip()
    return mapping


def read_rows(source: Path | str | list[dict]) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(row_number, {column: value})]) from a path, CSV text or a list of dicts."""
    if isinstance(source, list):
        header = list(dict.fromkeys(k for row in source for k in row))
        return header, [(i, dict(row)) for i, row in enumerate(source, start=2)]
    if isinstance(source, Path):
        if not source.is_file():
            raise MetricsError(f"metrics file not found: {source}")
        if source.stat().st_size > MAX_METRICS_BYTES:
            raise MetricsError(f"metrics file is larger than {MAX_METRICS_BYTES} bytes")
        if source.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(source)
        if source.suffix.lower() not in (".csv", ".tsv", ".txt"):
            raise MetricsError(f"unsupported metrics file type {source.suffix or '(none)'}: use .csv or .xlsx")
        try:
            text = source.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise MetricsError(f"metrics file {source.name} is not UTF-8 text") from None
        return _read_csv_text(text)
    return _read_csv_text(str(source).lstrip("\ufeff"))


def _read_csv_text(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    if not text.strip():
        raise MetricsError("the metrics file is empty")
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        header = [h.strip() for h in next(reader)]
        for row in reader:
            # csv's line_num counts physical lines; the spreadsheet row is header + records read.
            number = len(rows) + 2
            rows.append((number, {header[i] if i < len(header) else f"column {i + 1}": v for i, v in enumerate(row)}))
    except csv.Error as exc:
        raise MetricsError(f"the metrics file is not readable CSV near row {len(rows) + 2}: {exc}") from None
    return header, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many types for a damaged file
        raise MetricsError(f"metrics file {path.name} is not a readable .xlsx ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header_row = next(it, None)
        if not header_row:
            raise MetricsError("the metrics file is empty")
        header = [str(h).strip() if h is not None else f"column {i + 1}" for i, h in enumerate(header_row)]
        rows = [(n, dict(zip(header, values))) for n, values in enumerate(it, start=2)]
    finally:
        book.close()
    return header, rows


# -- parsing ---------------------------------------------------------------------------------
def _zone(name: str):
    if name.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError for paths, null bytes, ...
        raise InvalidInput(f"unknown time zone {name!r} (use an IANA name such as America/Los_Angeles)") from None


def _resolve_columns(header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    by_lower = {h.strip().lower(): h for h in header}
    resolved: dict[str, str] = {}
    for canon, column in mapping.items():
        if column.strip().lower() not in by_lower:
            raise MetricsError(f"mapped column {column!r} (for {canon}) is not in the metrics file; "
                               f"columns are: {', '.join(header)}")
        resolved[canon] = by_lower[column.strip().lower()]
    for canon in CANONICAL:
        if canon not in resolved and canon in by_lower:
            resolved[canon] = by_lower[canon]
    return resolved


def _layout(cols: dict[str, str], header: list[str]) -> str:
    if "created_at" in cols or "resolved_at" in cols:
        missing = [c for c in TICKET_COLUMNS if c not in cols]
        if missing:
            raise MetricsError(f"the tickets file is missing column(s): {', '.join(missing)}; "
                               f"columns are: {', '.join(header)} (map other names with --map created_at=...,resolved_at=...)")
        return "tickets"
    if "date" in cols or "metric" in cols or "numerator" in cols or "value" in cols:
        if all(c in cols for c in KPI_COUNT_COLUMNS):
            return "kpi_counts"
        if all(c in cols for c in KPI_VALUE_COLUMNS):
            return "kpi_values"
        wanted = [c for c in ("date", "metric") if c not in cols]
        if "value" not in cols:
            wanted += [c for c in ("numerator", "denominator") if c not in cols] + (["value"] if "numerator" not in cols else [])
        raise MetricsError(f"the KPI file is missing column(s): {', '.join(wanted)} (expected date, metric and "
                           f"numerator+denominator or value); columns are: {', '.join(header)}")
    raise MetricsError("the metrics file is missing columns: expected created_at, resolved_at (tickets) or "
                       "date, metric, numerator, denominator | value (daily KPIs); "
                       f"columns are: {', '.join(header) or '(none)'}; "
                       "map other names with --map created_at=Opened,resolved_at=Closed")


def parse_metrics(source: Path | str | list[dict], mapping: dict[str, str] | None = None, tz: str = "UTC",
                  max_bad_fraction: float = DEFAULT_MAX_BAD_FRACTION) -> MetricsData:
    """Read and validate a metrics file. Raises MetricsError naming missing columns or bad rows."""
    header, rows = read_rows(source)
    cols = _resolve_columns(header, {k.lower(): v for k, v in (mapping or {}).items()})
    layout = _layout(cols, header)
    zone = _zone(tz)
    data = MetricsData(layout=layout, timezone=tz, columns=header)
    for number, raw in rows:
        values = {canon: raw.get(column) for canon, column in cols.items()}
        if all(_blank(v) for v in raw.values()):
            continue  # blank spreadsheet rows are not data
        data.rows_total += 1
        try:
            if layout == "tickets":
                data.tickets.append(_ticket(number, values, zone, data))
            else:
                data.kpis.append(_kpi(number, values, layout))
        except _RowError as exc:
            data.bad_rows.append(BadRow(row=number, reason=str(exc)))
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. a year-1 time shifted out of range
            data.bad_rows.append(BadRow(row=number, reason=f"unusable value ({type(exc).__name__})"))
    _check_bad_rows(data, max_bad_fraction)
    return data


def _check_bad_rows(data: MetricsData, max_bad_fraction: float) -> None:
    if data.rows_total == 0:
        return  # an empty file is "no data", reported per metric, not an error
    bad = len(data.bad_rows)
    if bad and Decimal(bad) / Decimal(data.rows_total) > Decimal(str(max_bad_fraction)):
        listed = "; ".join(f"row {b.row}: {b.reason}" for b in data.bad_rows[:15])
        more = f"; and {bad - 15} more" if bad > 15 else ""
        raise MetricsError(f"{bad} of {data.rows_total} rows in the metrics file can't be used (more than "
                           f"{max_bad_fraction:.0%} of rows): {listed}{more}", bad_rows=data.bad_rows)


class _RowError(ValueError):
    pass


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _timestamp(value, name: str, zone, data: MetricsData, required: bool = True) -> datetime | None:
    if _blank(value):
        if required:
            raise _RowError(f"{name} is empty")
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise _RowError(f"{name} {text[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        data.naive_rows += 1
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(timezone.utc)


def _ticket(number: int, values: dict, zone, data: MetricsData) -> Ticket:
    created = _timestamp(values.get("created_at"), "created_at", zone, data)
    resolved = _timestamp(values.get("resolved_at"), "resolved_at", zone, data, required=False)
    if resolved is not None and resolved < created:
        raise _RowError("resolved_at is before created_at")
    metric = values.get("metric")
    return Ticket(number, created, resolved, "" if _blank(metric) else str(metric).strip())


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise _RowError("date is empty")
    try:
        return date.fromisoformat(text[:10]) if len(text) > 10 and text[10] in "T " else date.fromisoformat(text)
    except ValueError:
        raise _RowError(f"date {text[:40]!r} is not an ISO 8601 date") from None


def _count(value, name: str) -> int:
    if _blank(value):
        raise _RowError(f"{name} is empty")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise _RowError(f"{name} {str(value)[:40]!r} is not a number") from None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise _RowError(f"{name} {str(value)[:40]!r} is not a whole, non-negative count")
    return int(number)


def _kpi(number: int, values: dict, layout: str) -> KpiRow:
    day = _day(values.get("date"))
    metric = values.get("metric")
    if _blank(metric):
        raise _RowError("metric is empty")
    row = KpiRow(number, day, str(metric).strip())
    if layout == "kpi_counts":
        row.numerator = _count(values.get("numerator"), "numerator")
        row.denominator = _count(values.get("denominator"), "denominator")
        if row.numerator > row.denominator:
            raise _RowError("numerator is larger than denominator")
    else:
        text = "" if values.get("value") is None else str(values.get("value")).strip().rstrip("%").strip()
        if not text:
            raise _RowError("value is empty")
        try:
            row.value = Decimal(text)
        except InvalidOperation:
            raise _RowError(f"value {str(values.get('value'))[:40]!r} is not a number") from None
        if not row.value.is_finite() or not Decimal(0) <= row.value <= Decimal(100):
            raise _RowError(f"value {text!r} is not a percentage between 0 and 100")
    return row


def metric_names(data: MetricsData) -> Iterable[str]:
    seen = dict.fromkeys((t.metric for t in data.tickets if t.metric), None)
    seen.update(dict.fromkeys((k.metric for k in data.kpis), None))
    return list(seen)
