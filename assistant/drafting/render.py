"""Templates (prompts/rca.md, prompts/escalation.md), Markdown helpers, and Markdown -> .docx.

A draft template file has a `version:` line and three parts: `---system---` and `---user---`
(the LLM prompt for the prose sections) and `---template---` (a string.Template of the Markdown
draft). The .docx is rendered from the same Markdown, so both files always say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from assistant.answering.citations import clause_label
from assistant.drafting.models import Draft, DraftSection
from assistant.models import Citation
from assistant.prompts import PROMPTS_DIR, Prompt


@dataclass(frozen=True)
class DraftTemplate:
    prompt: Prompt
    template: Template

    @property
    def version(self) -> str:
        return self.prompt.version


def load_template(name: str, folder: Path = PROMPTS_DIR) -> DraftTemplate:
    raw = (folder / f"{name}.md").read_text(encoding="utf-8")
    head, _, rest = raw.partition("\n")
    if not head.startswith("version:"):
        raise ValueError(f"template {name} has no version line")
    rest, _, template = rest.partition("---template---")
    system = rest.split("---system---", 1)[1].split("---user---", 1)[0].strip()
    user = rest.split("---user---", 1)[1].strip()
    return DraftTemplate(Prompt(name, head.split(":", 1)[1].strip(), system, user), Template(template.strip() + "\n"))


# -- Markdown helpers ------------------------------------------------------------------------
def cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or " "


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def citation_list(citations: list[Citation]) -> str:
    if not citations:
        return "No document passages were cited."
    lines = []
    for c in citations:
        where = " > ".join(p for p in (c.section_path,) if p)
        page = f", p. {c.page_start}" if c.page_start else ""
        clause = clause_label(c.clause_no, where or c.title, c.doc_type)
        clause = f", {clause}" if clause else ""
        lines.append(f"[{c.n}] {c.source}{page} — {where or c.title}{clause} (chunk `{c.chunk_id}`): \"{c.quote}\"")
    return "\n\n".join(lines)


_MARKER = re.compile(r"\[\[c:(\d{1,4})\]\]")  # Evidence's internal marker; user text never holds one
_SOURCES = "\x00SOURCES\x00"


def renumber(markdown: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Number citations [n] in reading order; drop the ones the text does not use."""
    known = {c.n for c in citations}
    order: dict[int, int] = {}
    for m in _MARKER.finditer(markdown):
        old = int(m.group(1))
        if old in known and old not in order:
            order[old] = len(order) + 1
    text = _MARKER.sub(lambda m: f"[{order[int(m.group(1))]}]" if int(m.group(1)) in order else "", markdown)
    kept = sorted((c.model_copy(update={"n": order[c.n]}) for c in citations if c.n in order), key=lambda c: c.n)
    return text, kept


def assemble(template: DraftTemplate, values: dict[str, str], citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Fill the template, number the citations in reading order, append the source list."""
    markdown = template.template.substitute({**values, "citations": _SOURCES})
    markdown, kept = renumber(markdown, citations)
    return markdown.replace(_SOURCES, citation_list(kept)), kept


def lower_first(text: str) -> str:
    """'Email support' -> 'email support'; 'SMS support' stays as written."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text


def slug(title: str) -> str:
    title = re.sub(r"^\d+[.)]\s*", "", title)
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def split_sections(markdown: str) -> list[DraftSection]:
    sections, current, body = [], None, []
    for line in markdown.splitlines():
        if line.startswith("## "):
            if current:
                sections.append(DraftSection(key=slug(current), title=current, markdown="\n".join(body).strip()))
            current, body = line[3:].strip(), []
        elif current is not None:
            body.append(line)
    if current:
        sections.append(DraftSection(key=slug(current), title=current, markdown="\n".join(body).strip()))
    return sections


# -- .docx -----------------------------------------------------------------------------------
_INLINE = re.compile(r"(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*)")


def _runs(paragraph, text: str) -> None:
    for piece in _INLINE.split(text.replace("\\|", "|")):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("`") and piece.endswith("`"):
            paragraph.add_run(piece[1:-1]).font.name = "Consolas"
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def to_docx(draft: Draft, path: Path) -> Path:
    """Write the draft's Markdown as a .docx: headings, paragraphs, lists, tables, citation list."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = draft.title[:200]
    doc.core_properties.subject = f"{draft.kind} draft (not sent)"
    lines = draft.markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip() or re.fullmatch(r"-{3,}", line.strip()):
            i += 1
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)", line)
        if heading:
            doc.add_heading(heading.group(2).strip(), level=len(heading.group(1)) - 1 if len(heading.group(1)) > 1 else 0)
        elif line.lstrip().startswith("|"):
            block = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            _add_table(doc, block)
            continue
        elif re.match(r"^\s*[-*]\s+", line):
            _runs(doc.add_paragraph(style="List Bullet"), re.sub(r"^\s*[-*]\s+", "", line))
        elif re.match(r"^\s*\d+\.\s+", line):
            _runs(doc.add_paragraph(style="List Number"), re.sub(r"^\s*\d+\.\s+", "", line))
        elif line.startswith(">"):
            _runs(doc.add_paragraph(style="Quote"), line.lstrip("> "))
        else:
            _runs(doc.add_paragraph(), line.rstrip("\\").rstrip())
        i += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _add_table(doc, block: list[str]) -> None:
    rows = [_table_cells(line) for line in block if not re.fullmatch(r"\s*\|[\s|:\-]+\|?\s*", line)]
    if not rows:
        return
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c in range(width):
            paragraph = table.cell(r, c).paragraphs[0]
            _runs(paragraph, values[c] if c < len(values) else "")
            if r == 0:
                for run in paragraph.runs:
                    run.bold = True


def write_outputs(draft: Draft, out_dir: Path, stem: str | None = None) -> list[Path]:
    """<stem>.md, <stem>.docx and <stem>.json in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or f"{draft.kind}-{slug(draft.title.split(': ', 1)[-1])[:60]}"
    md = out_dir / f"{stem}.md"
    md.write_text(draft.markdown, encoding="utf-8")
    js = out_dir / f"{stem}.json"
    js.write_text(draft.model_dump_json(indent=2), encoding="utf-8")
    return [md, to_docx(draft, out_dir / f"{stem}.docx"), js]
