"""The scorecard on a contract page: its months as table rows and each metric's trend as an inline
SVG. Pure functions over assistant.drafting's Scorecard; no HTML is built here (the template
escapes every piece, coordinates included).

Why an inline SVG and not the PNG of scorecard_files.trend_chart: the page is drawn from the one
scorecard it has just computed, so a chart costs no second request (a PNG URL would have to compute
the scorecard again, or keep it on the server between requests) and no matplotlib (~0.2 s a chart).
It scales to a phone's width, its words are text a screen reader reads (title and description), the
numbers are also in the table beside it, and it needs nothing the strict CSP forbids: presentation
attributes only, no inline style or script.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.drafting.scorecard_models import Scorecard, ScorecardMetric

STATUS_LABELS = {"met": "Met", "missed": "Missed", "no_data": "No data", "no_target": "No target"}
_SIGN = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}

# Chart geometry (viewBox units; the SVG scales to its container's width).
WIDTH, HEIGHT = 520, 250
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 24, 40


@dataclass
class Cell:
    metric: str
    actual: str
    target: str
    status: str
    status_label: str
    credit: str
    notes: list[str]
    citation: object  # SourceSpan: the SLA term
    credit_citation: object | None


@dataclass
class MonthRows:
    month: str
    cells: list[Cell]
    cap: str = ""  # the credit cap, when the month's credits reach it


@dataclass
class Point:
    x: float
    y: float
    label: str  # "2025-05: 90.2% (missed)"
    value: str
    missed: bool


@dataclass
class Chart:
    metric: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    line: str = ""  # polyline points of the measured months
    points: list[Point] = field(default_factory=list)
    target_y: float | None = None
    target_label: str = ""
    ticks_x: list[tuple[float, str]] = field(default_factory=list)  # (x, month)
    ticks_y: list[tuple[float, str]] = field(default_factory=list)  # (y, "95%")
    no_data: list[float] = field(default_factory=list)  # x of months without a figure
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def target_text(m: ScorecardMetric) -> str:
    return "" if m.target is None else f"{_SIGN.get(m.comparator, m.comparator)} {percent(m.target)}"


def credit_text(m: ScorecardMetric) -> str:
    if m.status != "missed":
        return ""
    parts = []
    if m.credit_pct is not None:
        parts.append(f"{percent(m.credit_pct)} of {m.fee_basis or 'fees'}")
    if m.credit_amount is not None:
        parts.append(f"{m.currency or ''} {m.credit_amount:,.2f}".strip())
    return " = ".join(parts)


def month_rows(card: Scorecard) -> list[MonthRows]:
    rows = []
    for month in card.months:
        cells = [Cell(m.name, percent(m.actual) or "—", target_text(m) or "—", m.status, STATUS_LABELS.get(m.status, m.status),
                      credit_text(m), list(m.notes), m.citation, m.credit_citation) for m in month.metrics]
        cap = month.cap.explanation if month.cap is not None and month.cap.applies else ""
        rows.append(MonthRows(month.month, cells, cap))
    return rows


def charts(card: Scorecard) -> list[Chart]:
    """One chart per metric measured at least once in the period."""
    names = list(dict.fromkeys(x.name for m in card.months for x in m.metrics if x.actual is not None))
    return [_chart(card, name) for name in names]


def _chart(card: Scorecard, metric: str) -> Chart:
    months = [m.month for m in card.months]
    found = [next((x for x in m.metrics if x.name == metric), None) for m in card.months]
    values = [f.actual for f in found if f is not None and f.actual is not None]
    target = next((f for f in found if f is not None and f.target is not None), None)
    scale = values + ([target.target] if target else [])
    low, high = min(scale), max(scale)
    pad = max(1.0, (high - low) * 0.2)
    low, high = max(0.0, low - pad), (min(100.0, high + pad) if high <= 100 else high + pad)
    if high - low < 1e-9:
        high = low + 1
    chart = Chart(metric, f"{metric}: monthly actual against target", "")
    span_x = chart.plot_right - chart.plot_left
    step = span_x / max(1, len(months))

    def x_of(i: int) -> float:
        return round(chart.plot_left + step * (i + 0.5), 1)

    def y_of(v: float) -> float:
        return round(chart.plot_bottom - (v - low) / (high - low) * (chart.plot_bottom - chart.plot_top), 1)

    said = []
    for i, (month, f) in enumerate(zip(months, found)):
        if f is None or f.actual is None:
            chart.no_data.append(x_of(i))
            said.append(f"{month}: no data")
            continue
        words = STATUS_LABELS.get(f.status, f.status).lower()
        chart.points.append(Point(x_of(i), y_of(f.actual), f"{month}: {percent(f.actual)} ({words})", percent(f.actual),
                                  f.status == "missed"))
        said.append(f"{month}: {percent(f.actual)} {words}")
    chart.line = " ".join(f"{p.x},{p.y}" for p in chart.points)
    every = max(1, -(-len(months) // 8))  # at most about eight month labels on the axis
    chart.ticks_x = [(x_of(i), m) for i, m in enumerate(months) if i % every == 0]
    chart.ticks_y = [(y_of(v), percent(round(v, 1))) for v in (low, (low + high) / 2, high)]
    if target is not None:
        chart.target_y = y_of(target.target)
        chart.target_label = f"target {target_text(target)}"
    chart.description = (f"Target {target_text(target)}. " if target else "") + "; ".join(said) + "."
    return chart
