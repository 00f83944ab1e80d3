"""The scorecard's files: a trend chart per metric (PNG), the workbook (one sheet per view, typed,
filtered) and the Markdown review pack beside them. matplotlib and openpyxl are imported only here,
when files are written, so commands that print a scorecard start fast."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from assistant.contracts.export import safe_cell
from assistant.drafting.scorecard_models import Scorecard
from assistant.drafting.scorecard_render import STATUS_WORDS, EARN_BACK_WORDS, render_markdown

_MET, _MISSED, _TARGET = "#2b6cb0", "#c53030", "#4a5568"


def chart_name(metric: str) -> str:
    return "trend-" + (re.sub(r"[^a-z0-9]+", "-", metric.lower()).strip("-")[:60] or "metric") + ".png"


def charted_metrics(card: Scorecard) -> list[str]:
    """Metrics with at least one measured month in the period (a chart of nothing helps no one)."""
    return list(dict.fromkeys(x.name for m in card.months for x in m.metrics if x.actual is not None))


def trend_chart(card: Scorecard, metric: str) -> bytes:
    """A PNG: the monthly actual (missed months in red), the target as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")  # no display here or on a server
    from matplotlib.figure import Figure

    months = [m.month for m in card.months]
    points = [next((x for x in m.metrics if x.name == metric), None) for m in card.months]
    actual = [p.actual if p and p.actual is not None else float("nan") for p in points]
    target = next((p for p in points if p and p.target is not None), None)
    fig = Figure(figsize=(8, 4.2), dpi=110)
    ax = fig.add_subplot()
    xs = list(range(len(months)))  # positions, so a month without data keeps its place on the axis
    ax.plot(xs, actual, color=_MET, marker="o", linewidth=2, label="actual")
    missed = [(i, p.actual) for i, p in enumerate(points) if p and p.status == "missed"]
    if missed:
        ax.scatter([i for i, _ in missed], [v for _, v in missed], color=_MISSED, s=70, zorder=3, label="missed")
    for i, value in enumerate(actual):
        if value == value:  # not NaN
            ax.annotate(f"{value:.1f}%", (i, value), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8)
        else:
            ax.annotate("no data", (i, 0.04), xycoords=("data", "axes fraction"), ha="center", fontsize=8, color=_TARGET)
    ax.set_xticks(xs, months)
    ax.set_xlim(-0.5, len(months) - 0.5)
    if target is not None:
        sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(target.comparator, "")
        ax.axhline(target.target, color=_TARGET, linestyle="--", linewidth=1.5, label=f"target {sign} {target.target:g}%")
    values = [v for v in actual if v == v] + ([target.target] if target else [])
    low, high = (min(values), max(values)) if values else (0.0, 100.0)
    pad = max(2.0, (high - low) * 0.25)
    ax.set_ylim(max(0.0, low - pad), min(100.0, high + pad) if high <= 100 else high + pad)
    ax.set_ylabel("percent")
    ax.set_title(f"{metric}: monthly actual against target", fontsize=11)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="best", fontsize=8, frameon=False)
    if len(months) > 8:
        ax.tick_params(axis="x", rotation=45)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.2 if len(months) > 8 else 0.12)  # tight_layout costs a third of the drawing
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def charts(card: Scorecard) -> list[tuple[str, str, bytes]]:
    """(metric, file name, PNG) for every charted metric."""
    return [(name, chart_name(name), trend_chart(card, name)) for name in charted_metrics(card)]


def write_scorecard(card: Scorecard, out_dir: Path) -> list[Path]:
    """scorecard.md, scorecard.xlsx, a trend-<metric>.png per metric and an escalation incident file
    per persistent failure, in `out_dir`."""
    import yaml

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    drawn = charts(card)
    for _, name, png in drawn:
        (out_dir / name).write_bytes(png)
        written.append(out_dir / name)
    xlsx = out_dir / "scorecard.xlsx"
    xlsx.write_bytes(to_xlsx(card))
    md = out_dir / "scorecard.md"
    md.write_text(render_markdown(card, [(metric, name) for metric, name, _ in drawn]), encoding="utf-8")
    for f in card.persistent_failures:
        if f.escalation:
            path = out_dir / f.escalation.incident_file
            path.write_text(yaml.safe_dump(f.escalation.incident, sort_keys=False, allow_unicode=True), encoding="utf-8")
            written.append(path)
    return [md, xlsx, *written]


# -- the workbook ----------------------------------------------------------------------------
def _month_date(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def _views(card: Scorecard) -> list[tuple[str, list[str], list[list]]]:
    monthly = [[_month_date(m.month), x.name, x.actual, x.target, x.comparator, STATUS_WORDS[x.status], x.credit_pct,
                x.credit_amount, x.currency or "", x.fee_basis, x.citation.clause_no, x.citation.source, x.basis]
               for m in card.months for x in m.metrics]
    names = list(dict.fromkeys(x.name for m in card.months for x in m.metrics))
    trend = [[name, *[next((x.actual for x in m.metrics if x.name == name), None) for m in card.months]] for name in names]
    misses = [row for row in monthly if row[5] == "MISSED"]
    failures = [[f.rule, f.metric, f.triggered_in, ", ".join(f.months), f.condition, f.clause_no, f.right,
                 f.right_detail.notice if f.right_detail else "", f.citation.source, " ".join(f.citation.quote.split())]
                for f in card.persistent_failures]
    earn = [[_month_date(e.month), e.metric, e.credit_pct, e.credit_amount, EARN_BACK_WORDS[e.status], e.reason] for e in card.earn_back]
    caps = [[_month_date(m.month), m.cap.cap_percent, m.cap.credits_percent_sum, m.cap.applies, m.cap.payable_amount, m.cap.explanation]
            for m in card.months if m.cap]
    rcas = [[r.metric, _month_date(r.month), date.fromisoformat(r.due), r.citation.clause_no, r.citation.source] for r in card.rcas]
    return [
        ("Monthly", ["Month", "Metric", "Actual %", "Target %", "Comparator", "Result", "Credit %", "Credit amount", "Currency",
                     "Fee basis", "Clause", "Source", "Measured as"], monthly),
        ("Trend", ["Metric", *[m.month for m in card.months]], trend),
        ("Misses", ["Month", "Metric", "Actual %", "Target %", "Comparator", "Result", "Credit %", "Credit amount", "Currency",
                    "Fee basis", "Clause", "Source", "Measured as"], misses),
        ("Persistent failures", ["Rule", "Metric", "Triggered in", "Months", "Condition", "Clause", "Right", "Notice", "Source",
                                 "Clause text"], failures),
        ("Earn-back", ["Month of miss", "Metric", "Credit %", "Credit amount", "Status", "Why"], earn),
        ("Credit cap", ["Month", "Cap %", "Credits % (summed)", "Cap bites", "Payable amount", "Detail"], caps),
        ("RCAs due", ["Metric", "Month missed", "RCA due", "Clause", "Source"], rcas),
    ]


def to_xlsx(card: Scorecard) -> bytes:
    """One sheet per view: numbers as numbers (percent columns shown with %), months and due dates
    as dates, bold frozen headers and a filter on every sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    for index, (title, header, rows) in enumerate(_views(card)):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(header)
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE5F0")
        for row in rows:
            sheet.append([v if isinstance(v, (int, float, date, bool)) or v is None else safe_cell(v) for v in row])
        for i, name in enumerate(header, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = 12 if re.fullmatch(r"\d{4}-\d{2}", name) else min(48, max(12, len(name) + 4))
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(vertical="top", wrap_text=len(str(cell.value or "")) > 40)
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd" if name in ("RCA due",) else "yyyy-mm"
                elif isinstance(cell.value, float) and ("%" in name or title == "Trend" and i > 1):
                    cell.number_format = '0.00"%"'  # percent numbers (96.0 is 96%), not fractions
                elif isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
        sheet.freeze_panes = "B2" if title == "Trend" else "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
