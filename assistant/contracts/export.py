"""Obligation register export: CSV, XLSX (openpyxl) and JSON, with readers for the round trip."""

from __future__ import annotations

import csv
import io

from assistant.contracts.obligations import Obligation, ObligationRegister

COLUMNS = [
    "id", "kind", "source", "clause_no", "clause_heading", "page", "obligated_party", "party_term", "counterparty",
    "modal", "action", "deadline", "deadline_days", "deadline_business_days", "recurrence", "trigger", "condition",
    "owner", "due", "status", "notes", "quote", "chunk_id",
]
FILL_IN = ("owner", "due", "status", "notes")  # for legal and procurement to complete; empty when exported
FORMATS = ("csv", "xlsx", "json")
STATUSES = ("Open", "In progress", "Done", "Not applicable")

# The XLSX header a reader sees, and the column's width in characters (long text wraps).
LABELS = {
    "id": ("ID", 18), "kind": ("Kind", 12), "source": ("Contract", 34), "clause_no": ("Clause", 9),
    "clause_heading": ("Clause heading", 24), "page": ("Page", 7), "obligated_party": ("Obligated party", 24),
    "party_term": ("Party as written", 16), "counterparty": ("Owed to", 22), "modal": ("Modal", 10),
    "action": ("Action", 60), "deadline": ("Deadline", 26), "deadline_days": ("Deadline (days)", 10),
    "deadline_business_days": ("Business days", 10), "recurrence": ("Recurrence", 18), "trigger": ("Trigger", 22),
    "condition": ("Condition", 34), "owner": ("Owner", 18), "due": ("Due date", 12), "status": ("Status", 14),
    "notes": ("Notes", 30), "quote": ("Quote", 80), "chunk_id": ("Chunk ID", 18),
}
_WRAP = {"action", "condition", "quote", "clause_heading", "deadline", "notes", "trigger"}


def rows(register: ObligationRegister, include_rights: bool = True) -> list[dict]:
    items = register.obligations + (register.rights if include_rights else [])
    return [_row(o) for o in items]


def _row(o: Obligation) -> dict:
    data = o.model_dump(exclude={"citation"})
    # The quote as a reader wants it: one line, no \xa0 or runs of spaces (the citation keeps it verbatim).
    data["quote"] = " ".join(o.citation.quote.split())
    data["chunk_id"] = o.citation.chunk_id
    return {c: data.get(c) for c in COLUMNS}


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # Spreadsheet formula injection: a cell must never start like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(register: ObligationRegister) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows(register):
        writer.writerow({k: safe_cell(v) for k, v in r.items()})
    return buf.getvalue()


def to_xlsx(register: ObligationRegister) -> bytes:
    """A workbook to work in: readable headers, widths, wrapped text, filters, frozen header, typed
    numbers, a date-formatted due column and a status list."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheets = (("Obligations", register.obligations), ("Rights", register.rights))
    for index, (title, items) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([LABELS[c][0] for c in COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE5F0")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for o in items:
            sheet.append([_typed(c, v) for c, v in _row(o).items()])
        for i, column in enumerate(COLUMNS, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = LABELS[column][1]
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=column in _WRAP, vertical="top")
                if column == "due":
                    cell.number_format = "yyyy-mm-dd"
        last = get_column_letter(len(COLUMNS))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(items) + 1)}"
        sheet.freeze_panes = "A2"
        status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
        status_col = get_column_letter(COLUMNS.index("status") + 1)
        status.add(f"{status_col}2:{status_col}{max(2, len(items) + 200)}")
        sheet.add_data_validation(status)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _typed(column: str, value):
    """Numbers and booleans stay numbers and booleans (so they sort and filter); text is guarded."""
    if value is None:
        return None
    if isinstance(value, bool) or (isinstance(value, (int, float)) and column in ("page", "deadline_days")):
        return value
    return safe_cell(value)


def to_json(register: ObligationRegister) -> str:
    return register.model_dump_json()


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    out = []
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            continue
        keys = {label: key for key, (label, _) in LABELS.items()}
        header = [keys.get(h, h) for h in values[0]]
        out += [{h: ("" if v is None else str(v)) for h, v in zip(header, row)} for row in values[1:]]
    return out


def render(register: ObligationRegister, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(register).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(register)
    if fmt == "json":
        return to_json(register).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
