"""Write planted test documents as Markdown, plain text, .docx (python-docx) or .pdf (reportlab)
from one Markdown-ish source: '# ' / '## ' lines are headings, blank lines separate paragraphs."""

from __future__ import annotations

import io
from pathlib import Path


def _blocks(text: str) -> list[tuple[int, str]]:
    """(heading level or 0, text) per paragraph."""
    out = []
    for para in text.strip().split("\n\n"):
        para = para.strip()
        if not para:
            continue
        level = len(para) - len(para.lstrip("#")) if para.startswith("#") else 0
        out.append((level, " ".join(para.lstrip("#").split()) if level else para))
    return out


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for level, body in _blocks(text):
        if level:
            document.add_heading(body, level=min(level, 3))
        else:
            for line in body.split("\n"):
                document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from xml.sax.saxutils import escape

    styles = getSampleStyleSheet()
    story = []
    for level, body in _blocks(text):
        style = styles[f"Heading{min(level, 3)}"] if level else styles["BodyText"]
        story.append(Paragraph(escape(body).replace("\n", "<br/>"), style))
        story.append(Spacer(1, 6))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=letter).build(story)
    return buf.getvalue()


def write(root: Path, rel: str, text: str) -> Path:
    """Write `text` at root/rel in the format its suffix names."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        path.write_bytes(to_docx(text))
    elif suffix == ".pdf":
        path.write_bytes(to_pdf(text))
    else:
        path.write_text(text.strip() + "\n", encoding="utf-8")
    return path
