"""Regenerate the sample corpus's PDF and DOCX files from the Markdown sources in samples/src/.

Usage:
    python samples/build.py            # rebuild every generated file under samples/corpus/
    python samples/build.py --check    # also verify the eval questions' must_contain phrases

Each source file starts with a small front-matter block (``output``, ``title``, ``author``,
``subject``, optional ``date`` and, for PDFs, ``footer``). The body uses a deliberately small Markdown subset:
``#``/``##``/``###`` headings, paragraphs, ``- `` bullets, ``1. `` numbered steps, pipe tables
and ``**bold**``. Output is byte-for-byte deterministic so rebuilding never shows up as a diff.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.oxml import OxmlElement
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

SAMPLES = Path(__file__).resolve().parent
SRC = SAMPLES / "src"
CORPUS = SAMPLES / "corpus"
QUESTIONS = SAMPLES.parent / "evals" / "questions" / "process_questions_sample.jsonl"

# Fixed timestamps: the default document date (front matter ``date`` overrides it for DOCX
# metadata), and the earliest date a zip entry can carry.
DOC_DATE = dt.datetime(2025, 3, 1, 9, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

BOLD = re.compile(r"\*\*(.+?)\*\*")
NUMBERED = re.compile(r"^\d+\.\s+")


# ---------------------------------------------------------------- parsing


@dataclass
class Block:
    kind: str  # heading | para | bullets | numbered | table
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    meta: dict[str, str]
    blocks: list[Block]


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    if text.startswith("---\n"):
        header, text = text[4:].split("\n---\n", 1)
        for line in header.splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    return Source(meta, parse_blocks(text))


def parse_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        blocks.extend(parse_chunk(lines))
    return blocks


def parse_chunk(lines: list[str]) -> list[Block]:
    first = lines[0]
    if first.startswith("#"):
        hashes, _, title = first.partition(" ")
        rest = parse_chunk(lines[1:]) if len(lines) > 1 else []
        return [Block("heading", title.strip(), level=len(hashes)), *rest]
    if first.startswith("|"):
        rows = [split_row(line) for line in lines if not re.fullmatch(r"[|\-: ]+", line)]
        return [Block("table", rows=rows)]
    if first.startswith("- "):
        return [Block("bullets", items=[line[2:].strip() for line in lines])]
    if NUMBERED.match(first):
        return [Block("numbered", items=[NUMBERED.sub("", line) for line in lines])]
    return [Block("para", " ".join(lines))]


def split_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def plain(text: str) -> str:
    return BOLD.sub(r"\1", text)


# ---------------------------------------------------------------- PDF


def pdf_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6)
    return {
        "h1": ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=16,
                             leading=20, spaceAfter=12),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=11.5,
                             leading=15, spaceBefore=8, spaceAfter=5, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName="Helvetica-Bold", fontSize=10.5,
                             spaceBefore=6, spaceAfter=4, keepWithNext=1),
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=18, firstLineIndent=-12),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=8.5,
                               leading=10.5, spaceAfter=0),
    }


def pdf_markup(text: str) -> str:
    return BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def pdf_flowables(blocks: list[Block], styles: dict[str, ParagraphStyle]) -> list:
    flow: list = []
    for block in blocks:
        if block.kind == "heading":
            flow.append(Paragraph(pdf_markup(block.text), styles[f"h{min(block.level, 3)}"]))
        elif block.kind == "para":
            flow.append(Paragraph(pdf_markup(block.text), styles["body"]))
        elif block.kind in ("bullets", "numbered"):
            for n, item in enumerate(block.items, 1):
                label = f"{n}." if block.kind == "numbered" else "-"
                flow.append(Paragraph(f"{label} {pdf_markup(item)}", styles["item"]))
        elif block.kind == "table":
            flow.extend([pdf_table(block.rows, styles), Spacer(1, 8)])
    return flow


def pdf_table(rows: list[list[str]], styles: dict[str, ParagraphStyle]) -> Table:
    cells = [[Paragraph(pdf_markup(c), styles["head" if r == 0 else "cell"]) for c in row]
             for r, row in enumerate(rows)]
    table = Table(cells, colWidths=column_widths(rows), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def column_widths(rows: list[list[str]], total: float = 6.5 * inch) -> list[float]:
    # Share the frame width by each column's longest cell, clamped so no column is starved.
    weights = [min(60, max(12, max(len(row[c]) for row in rows))) for c in range(len(rows[0]))]
    return [total * w / sum(weights) for w in weights]


def build_pdf(source: Source, out: Path) -> None:
    meta = source.meta
    footer = meta.get("footer", "")

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, 0.6 * inch, footer)
        canvas.drawRightString(LETTER[0] - inch, 0.6 * inch, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(out), pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
        bottomMargin=inch, title=meta["title"], author=meta["author"],
        subject=meta.get("subject", ""), creator="samples/build.py", invariant=1,
    )
    story = pdf_flowables(source.blocks, pdf_styles())
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)


# ---------------------------------------------------------------- DOCX


def add_runs(paragraph, text: str) -> None:
    # Split on **bold** markers; odd-indexed parts are the bold ones.
    for i, part in enumerate(BOLD.split(text)):
        if part:
            paragraph.add_run(part).bold = bool(i % 2)


def restart_numbering(document) -> int:
    """Create a fresh numbering instance for "List Number" so each list starts at 1."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = next(
        num.find(qn("w:abstractNumId")).get(qn("w:val"))
        for num in numbering.findall(qn("w:num")) if num.get(qn("w:numId")) == str(style_num)
    )
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(qn("w:val"), abstract_id)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.extend([abstract, override])
    numbering.append(num)
    return new_id


def set_num_id(paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def docx_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]), style="Table Grid")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            paragraph = table.cell(r, c).paragraphs[0]
            add_runs(paragraph, f"**{text}**" if r == 0 else text)
            for run in paragraph.runs:
                run.font.size = Pt(9)
    document.add_paragraph()


def docx_blocks(document, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(plain(block.text), level=min(block.level, 3))
        elif block.kind == "para":
            add_runs(document.add_paragraph(), block.text)
        elif block.kind == "bullets":
            for item in block.items:
                add_runs(document.add_paragraph(style="List Bullet"), item)
        elif block.kind == "numbered":
            num_id = restart_numbering(document)
            for item in block.items:
                paragraph = document.add_paragraph(style="List Number")
                set_num_id(paragraph, num_id)
                add_runs(paragraph, item)
        elif block.kind == "table":
            docx_table(document, block.rows)


def set_core_properties(document, meta: dict[str, str]) -> None:
    props = document.core_properties
    props.title = meta["title"]
    props.author = meta["author"]
    props.subject = meta.get("subject", "")
    props.last_modified_by = meta["author"]
    date = dt.datetime.fromisoformat(meta["date"]) if "date" in meta else DOC_DATE
    props.created = date
    props.modified = date
    props.revision = 1
    props.comments = "Fictional sample document generated by samples/build.py"


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed entry timestamps so identical content gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def build_docx(source: Source, out: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)
    docx_blocks(document, source.blocks)
    set_core_properties(document, source.meta)
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(normalize_zip(buffer.getvalue()))


# ---------------------------------------------------------------- checking


def extract_text(path: Path) -> str:
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts.extend(cell.text for row in table.rows for cell in row.cells)
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


def normalize(text: str) -> str:
    return " ".join(text.lower().split())


def check_questions(path: Path) -> int:
    """Each must_contain phrase must survive extraction of its source and appear in no other file."""
    texts = {p.relative_to(CORPUS).as_posix(): normalize(extract_text(p))
             for p in sorted(CORPUS.rglob("*")) if p.is_file()}
    questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    failures = 0
    for q in questions:
        phrase = normalize(q["must_contain"])
        others = [name for name, text in texts.items() if phrase in text and name != q["source"]]
        if phrase not in texts.get(q["source"], ""):
            status = "MISS"
        elif others:
            status = f"DUP (also in {', '.join(others)})"
        else:
            status = "ok"
        failures += status != "ok"
        print(f"{status} {q['id']} {q['source']}: {q['must_contain']!r}")
    print(f"{failures} of {len(questions)} phrases missing or not unique to their source")
    return failures


# ---------------------------------------------------------------- main


def build_all() -> None:
    for path in sorted(SRC.glob("*.md")):
        source = read_source(path)
        out = CORPUS / source.meta["output"]
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix == ".pdf":
            build_pdf(source, out)
        elif out.suffix == ".docx":
            build_docx(source, out)
        else:
            raise ValueError(f"{path.name}: unsupported output type {out.suffix}")
        print(f"built {out.relative_to(SAMPLES)} ({out.stat().st_size:,} bytes)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help=f"verify must_contain phrases in {QUESTIONS.relative_to(SAMPLES.parent)}")
    args = parser.parse_args()
    build_all()
    if args.check:
        return 1 if check_questions(QUESTIONS) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
