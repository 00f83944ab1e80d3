"""Metrics history per contract and month, kept in the data home (`<home>/history.sqlite`).

Each loaded row is stored under a key of what it is, not where it stood in the file: a ticket by its
id (else by its times), a KPI figure by metric and day (or month). Loading the same rows again
changes nothing; a row whose key is known but whose figures differ replaces the old one (a
corrected export), and a new month's file adds to what is there. Metric names are stored as the
contract's SLA schedule names them, so the history reads the same whatever the file called them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.contracts.sla_models import SlaSchedule
from assistant.drafting.metrics import BadRow, KpiRow, MetricsData, Ticket
from assistant.drafting.months import shift_month
from assistant.drafting.sla_calc import match_term, ticket_term

_SCHEMA = """
CREATE TABLE IF NOT EXISTS metric_rows (
    contract TEXT NOT NULL,
    row_key TEXT NOT NULL,
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (contract, row_key)
);
CREATE INDEX IF NOT EXISTS metric_rows_month ON metric_rows (contract, month);
"""


class HistoryLoad(BaseModel):
    """What one metrics file added to a contract's history."""

    contract: str
    layout: str
    months: list[str] = Field(default_factory=list)  # the months the file's rows fall in
    rows_read: int = 0
    added: int = 0
    updated: int = 0  # a known row with different figures (a corrected export)
    unchanged: int = 0  # already in the history as they are
    bad_rows: list[BadRow] = Field(default_factory=list)  # unusable rows: counted and listed, never stored
    unmatched: dict[str, int] = Field(default_factory=dict)  # metric name in the file -> rows matching no SLA term


class MetricsHistory:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    # -- loading ----------------------------------------------------------------------------
    def load(self, contract: str, data: MetricsData, schedule: SlaSchedule, ticket_metric: str | None = None) -> HistoryLoad:
        """Add `data` to `contract`'s history (idempotent); rows naming no SLA term are counted, not stored."""
        summary = HistoryLoad(contract=contract, layout=data.layout, rows_read=data.rows_total, bad_rows=list(data.bad_rows))
        records = list(_records(data, schedule, ticket_metric, summary))
        summary.months = sorted({month for _, month, _, _, _ in records})
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._lock:
            known = dict(self._conn.execute("SELECT row_key, payload FROM metric_rows WHERE contract = ?", (contract,)).fetchall())
            fresh, changed = [], []
            for key, month, metric, kind, payload in records:
                if key not in known:
                    fresh.append((contract, key, month, metric, kind, payload, stamp))
                elif known[key] != payload:
                    changed.append((month, metric, kind, payload, stamp, contract, key))
                known[key] = payload  # the same key twice in one file: the last row wins
            self._conn.execute("BEGIN")
            try:
                self._conn.executemany("INSERT OR REPLACE INTO metric_rows VALUES (?, ?, ?, ?, ?, ?, ?)", fresh)
                self._conn.executemany("UPDATE metric_rows SET month = ?, metric = ?, kind = ?, payload = ?, loaded_at = ? "
                                       "WHERE contract = ? AND row_key = ?", changed)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        summary.added, summary.updated = len({r[1] for r in fresh}), len(changed)
        summary.unchanged = len(records) - len(fresh) - len(changed)
        return summary

    # -- reading ----------------------------------------------------------------------------
    def months(self, contract: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute("SELECT DISTINCT month FROM metric_rows WHERE contract = ? ORDER BY month",
                                      (contract,)).fetchall()
        return [r[0] for r in rows]

    def data(self, contract: str, first: str, last: str) -> MetricsData:
        """The stored rows of months `first`..`last` (YYYY-MM, inclusive), as one MetricsData. A
        month either side is read too: a ticket's month is its UTC one, the window's may be local."""
        low, high = shift_month(first, -1), shift_month(last, 1)
        with self._lock:
            rows = self._conn.execute(
                "SELECT kind, metric, payload FROM metric_rows WHERE contract = ? AND month BETWEEN ? AND ? ORDER BY month, row_key",
                (contract, low, high)).fetchall()
        data = MetricsData(layout="tickets" if rows and all(r[0] == "ticket" for r in rows) else "kpi_values")
        for n, (kind, metric, payload) in enumerate(rows, start=1):
            p = json.loads(payload)
            if kind == "ticket":
                data.tickets.append(Ticket(n, datetime.fromisoformat(p["c"]), datetime.fromisoformat(p["r"]) if p["r"] else None,
                                           metric, p.get("id", "")))
            else:
                data.kpis.append(KpiRow(n, date.fromisoformat(p["d"]), metric, p.get("n"), p.get("den"),
                                        Decimal(p["v"]) if p.get("v") is not None else None, monthly=p.get("m", False)))
        data.rows_total = len(rows)
        return data


def _records(data: MetricsData, schedule: SlaSchedule, ticket_metric: str | None, summary: HistoryLoad):
    """(key, month, metric, kind, payload) per usable row, the metric named as the schedule names it."""
    seen: Counter = Counter()
    names: dict[str, str | None] = {}

    def term_name(raw: str) -> str | None:
        if raw not in names:
            term = match_term(raw, schedule.terms) if raw else ticket_term(ticket_metric, schedule)
            names[raw] = term.metric if term else None
        return names[raw]

    for t in data.tickets:
        metric = term_name(t.metric)
        if metric is None:
            summary.unmatched[t.metric] = summary.unmatched.get(t.metric, 0) + 1
            continue
        resolved = t.resolved.isoformat() if t.resolved else ""
        base = f"t|{metric}|id={t.id}" if t.id else f"t|{metric}|{t.created.isoformat()}|{resolved}"
        seen[base] += 1
        key = base if t.id else f"{base}#{seen[base]}"  # identical rows without an id stay distinct
        payload = json.dumps({"c": t.created.isoformat(), "r": resolved, "id": t.id}, sort_keys=True)
        yield key, f"{t.created:%Y-%m}", metric, "ticket", payload
    for k in data.kpis:
        metric = term_name(k.metric)
        if metric is None:
            summary.unmatched[k.metric] = summary.unmatched.get(k.metric, 0) + 1
            continue
        base = f"k|{metric}|{k.day.isoformat()}"
        seen[base] += 1
        payload = json.dumps({"d": k.day.isoformat(), "n": k.numerator, "den": k.denominator,
                              "v": None if k.value is None else str(k.value), "m": k.monthly}, sort_keys=True)
        yield f"{base}#{seen[base]}", f"{k.day:%Y-%m}", metric, "kpi", payload
