"""Metrics files for the SLA calculator: ticket exports or daily KPI rows, CSV or XLSX.

Layouts (column names are matched case-insensitively; others are mapped with `columns`):
- tickets: `created_at`, `resolved_at` (ISO 8601), optional `metric`, `id`. An empty
  `resolved_at` is an open ticket.
- daily KPI counts: `date`, `metric`, `numerator`, `denominator`.
- daily KPI values: `date`, `metric`, `value` (a percentage: 96.5 or "96.5%").
- monthly aggregates, long: `month` (2025-07, "July 2025", "Jul 2025") in place of `date`, with
  `metric` and `value` or `numerator`/`denominator`.
- monthly (or daily) aggregates, wide: `month` or `date` and one column per metric holding its value;
  each filled cell is a record (a bad cell is reported by its row and column).

Timestamps are normalised to UTC; a naive timestamp is read in the file's `timezone` (UTC unless
configured). Row numbers are the spreadsheet's: the header is row 1. Rows that cannot be used
are skipped and reported; when more than `max_bad_fraction` of the rows are bad the whole file
is refused with an error listing them, because the figures would not be trustworthy.
"""

from __future__ import annotations

import csv
import io
import re
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
CANONICAL = ("created_at", "resolved_at", "metric", "id", "date", "month", "numerator", "denominator", "value")


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
    id: str = ""  # the ticket's own id, when the file has one (history keeps one row per id)


@dataclass
class KpiRow:
    row: int
    day: date
    metric: str
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None  # percent
    monthly: bool = False  # a month's figure (the file has a month column), not a day's


@dataclass
class MetricsData:
    layout: str  # "tickets" | "kpi_counts" | "kpi_values" | "kpi_wide"
    tickets: list[Ticket] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    rows_total: int = 0
    naive_rows: int = 0  # timestamps without a zone, read in `timezone`
    timezone: str = "UTC"
    columns: list[str] = field(default_factory=list)


# Said in the errors that name missing columns: how each surface maps other column names (the
# web app and Slack take the canonical names only).
MAP_HINT = "map other names: the CLI's --map created_at=Opened,resolved_at=Closed, the API's \"columns\" field"


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
                               f"columns are: {', '.join(header)} ({MAP_HINT})")
        return "tickets"
    if "date" in cols and "month" in cols:
        raise MetricsError("the metrics file has both a date and a month column: keep one")
    if "month" in cols:
        cols["date"] = cols.pop("month")  # a month column is read as the date of the month's figure
    if "date" in cols and not any(c in cols for c in ("metric", "numerator", "denominator", "value")):
        if len(header) < 2:
            raise MetricsError(f"the metrics file has a {cols['date']} column but no metric columns")
        return "kpi_wide"
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
                       f"columns are: {', '.join(header) or '(none)'}; {MAP_HINT}")


def parse_metrics(source: Path | str | list[dict], mapping: dict[str, str] | None = None, tz: str = "UTC",
                  max_bad_fraction: float = DEFAULT_MAX_BAD_FRACTION) -> MetricsData:
    """Read and validate a metrics file. Raises MetricsError naming missing columns or bad rows."""
    header, rows = read_rows(source)
    cols = _resolve_columns(header, {k.lower(): v for k, v in (mapping or {}).items()})
    monthly = "month" in cols  # read before _layout files the month column under "date"
    layout = _layout(cols, header)
    zone = _zone(tz)
    data = MetricsData(layout=layout, timezone=tz, columns=header)
    for number, raw in rows:
        if all(_blank(v) for v in raw.values()):
            continue  # blank spreadsheet rows are not data
        values = {canon: raw.get(column) for canon, column in cols.items()}
        records = _wide_records(raw, cols) if layout == "kpi_wide" else [("", values)]
        for label, record in records:
            data.rows_total += 1
            try:
                if layout == "tickets":
                    data.tickets.append(_ticket(number, record, zone, data))
                else:
                    data.kpis.append(_kpi(number, record, "kpi_values" if layout == "kpi_wide" else layout, monthly))
            except _RowError as exc:
                data.bad_rows.append(BadRow(row=number, reason=f"{label}: {exc}" if label else str(exc)))
            except (ValueError, OverflowError, TypeError) as exc:  # e.g. a year-1 time shifted out of range
                data.bad_rows.append(BadRow(row=number, reason=f"unusable value ({type(exc).__name__})"))
    _check_bad_rows(data, max_bad_fraction)
    return data


def _wide_records(raw: dict, cols: dict[str, str]) -> list[tuple[str, dict]]:
    """One record per filled metric cell of a wide row (`month | Metric A | Metric B`)."""
    known = set(cols.values())  # the month/date column (and an id column, if mapped) are not metrics
    return [(column, {"date": raw.get(cols["date"]), "metric": column, "value": value})
            for column, value in raw.items() if column not in known and not _blank(value) and not _NOT_REPORTED.fullmatch(str(value))]


# A wide sheet marks a figure that was not reported; that cell is "no data" for the month, not a bad row.
_NOT_REPORTED = re.compile(r"\s*(?:n/?a|-+|\u2014|\u2013|not\s+(?:reported|measured|applicable))\s*", re.I)


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
    metric, ident = values.get("metric"), values.get("id")
    return Ticket(number, created, resolved, "" if _blank(metric) else str(metric).strip(), "" if _blank(ident) else str(ident).strip())


_MONTH_NAMES = {name.lower(): i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], 1)}
_MONTH = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})|(?P<m2>\d{1,2})[-/.](?P<y2>\d{4})|(?P<name>[A-Za-z]{3,9})\.?[\s\-/']*(?P<y3>\d{4})")


def _month_day(text: str) -> date | None:
    """The first day of a month written as 2025-07, 2025/07, 07/2025, July 2025, Jul-2025."""
    m = _MONTH.fullmatch(text)
    if m is None:
        return None
    if m.group("name"):
        name = m.group("name").lower()
        month = next((i for full, i in _MONTH_NAMES.items() if full.startswith(name) and len(name) >= 3), None)
        year = int(m.group("y3"))
    else:
        month, year = int(m.group("m") or m.group("m2")), int(m.group("y") or m.group("y2"))
    if month is None or not 1 <= month <= 12 or not 1971 <= year <= 2200:
        raise _RowError(f"month {text[:40]!r} is not a month")
    return date(year, month, 1)


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise _RowError("date is empty")
    month = _month_day(text)
    if month is not None:
        return month
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


def _kpi(number: int, values: dict, layout: str, monthly: bool = False) -> KpiRow:
    raw_day = values.get("date")
    day = _day(raw_day)
    monthly = monthly or (isinstance(raw_day, str) and _month_day(raw_day.strip()) is not None)
    metric = values.get("metric")
    if _blank(metric):
        raise _RowError("metric is empty")
    if monthly and day.day != 1:
        raise _RowError(f"month {str(values.get('date'))[:40]!r} is a day, not a month")
    row = KpiRow(number, day.replace(day=1) if monthly else day, str(metric).strip(), monthly=monthly)
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
