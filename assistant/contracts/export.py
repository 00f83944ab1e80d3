"""Obligation register export: CSV, XLSX (openpyxl) and JSON, with readers for the round trip."""

from __future__ import annotations

import csv
import io

from assistant.contracts.obligations import Obligation, ObligationRegister

COLUMNS = [
    "id", "kind", "source", "clause_no", "clause_heading", "page", "obligated_party", "party_term", "counterparty",
    "modal", "action", "deadline", "deadline_days", "deadline_business_days", "recurrence", "trigger", "condition",
    "quote", "chunk_id",
]
FORMATS = ("csv", "xlsx", "json")


def rows(register: ObligationRegister, include_rights: bool = True) -> list[dict]:
    items = register.obligations + (register.rights if include_rights else [])
    return [_row(o) for o in items]


def _row(o: Obligation) -> dict:
    data = o.model_dump(exclude={"citation"})
    data["quote"] = o.citation.quote
    data["chunk_id"] = o.citation.chunk_id
    return {c: data.get(c) for c in COLUMNS}


def _cell(value) -> str:
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
        writer.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()


def to_xlsx(register: ObligationRegister) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheets = (("Obligations", register.obligations), ("Rights", register.rights))
    for index, (title, items) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append(COLUMNS)
        for o in items:
            sheet.append([_cell(v) for v in _row(o).values()])
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


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
        header = list(values[0])
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
