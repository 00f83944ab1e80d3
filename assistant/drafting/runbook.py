"""What the runbook says should have happened, compared with what the incident report says did.

Steps are the instruction lines of the most relevant runbook's retrieved sections (quoted
verbatim and cited). A step counts as "recorded" when an action or timeline entry of the incident
is close to it: cosine similarity of the embeddings blended with word-stem overlap. The match is
a hint for the reviewer, so the draft labels it as automatic and to confirm; a step with no
match is process drift to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.drafting.context import RUNBOOK_TYPES, DraftContext
from assistant.drafting.evidence import clean, lines_of, table_rows
from assistant.models import SearchResult

MATCH_THRESHOLD = 0.5
_NOT_STEPS = re.compile(r"purpose|scope|overview|introduction|contents|references|glossary|definitions", re.IGNORECASE)
_DEFINITIONS = re.compile(r"severity levels|severity definitions", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*]\s+|\d{1,2}[.)]\s+)")
MAX_STEPS = 16
_STOP = frozenset("the a an of to and or for in on at by is are be with from that this as it its into onto than unless "
                  "who when then each any all per".split())


@dataclass
class Step:
    result: SearchResult
    quote: str  # verbatim line of the chunk
    section: str
    match: str = ""  # the incident statement that matches it, if any
    score: float = 0.0
    display: str = ""  # a table row read with its header, when the step is a row

    @property
    def text(self) -> str:
        return self.display or clean(self.quote)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9#-]+", text.lower()) if len(w) >= 3 and w not in _STOP}


def _is_step(line: str, heading: str) -> bool:
    if line.startswith(("#", ">", "|")) or line.count("|") >= 2:
        return False
    if clean(line).lower() == heading.lower() or re.fullmatch(r"[\d.]+\s+.{0,60}", line) and len(line.split()) <= 6:
        return False
    return len(clean(line).split()) >= 5


def runbook_steps(ctx: DraftContext) -> list[Step]:
    inc = ctx.incident
    query = f"{inc.title}. {inc.process} incident response procedure steps detect stabilize recover"
    results = ctx.evidence.search(query, k=8, doc_types=RUNBOOK_TYPES)
    if not results:
        return []
    source = results[0].source  # the one runbook that fits best; mixing runbooks muddles the comparison
    ctx.runbook_source = source
    sections = {r.section_path for r in results if r.source == source}
    # The relevant sections whole: a long procedure spans several chunks, not all of them ranked.
    whole = ctx.evidence.search(query, k=20, sources=[source])
    chunks = {r.chunk_id: r for r in results + whole if r.source == source and r.section_path in sections}
    chunks = sorted(chunks.values(), key=lambda r: r.char_start)
    severity = inc.severity.strip().upper().replace(" ", "-")
    steps: list[Step] = []
    for r in chunks:
        heading = r.section_path.split(" > ")[-1] if r.section_path else ""
        if _NOT_STEPS.search(heading):
            continue
        lines = [line for line in lines_of(r) if _is_step(line, heading)]
        listed = [line for line in lines if _LIST_ITEM.match(line)]
        for line in listed or lines:  # in a Markdown procedure the list items are the steps
            if severity and _other_severity(line, severity):
                continue
            steps.append(Step(r, _quote(line), heading))
    steps = severity_rows(ctx, source) + steps
    return steps[:MAX_STEPS]


def _other_severity(line: str, severity: str) -> bool:
    """'For SEV-1, open the bridge' does not apply to a SEV-2 (a SEV-1 aside later in a step does)."""
    opening = " ".join(clean(line).split()[:8])
    named = {m.upper() for m in re.findall(r"SEV-\d", opening, re.IGNORECASE)}
    return bool(named) and severity not in named


def severity_rows(ctx: DraftContext, source: str) -> list[Step]:
    """Table rows for the declared severity (who to page, update cadence...), read with their header."""
    severity = ctx.incident.severity.strip().upper().replace(" ", "-")
    if not re.fullmatch(r"SEV-\d", severity):
        return []
    results = ctx.evidence.pool(source)  # the runbook's tables were retrieved with its sections
    headers: dict[str, list[str]] = {}
    for r in results:
        for _, cells in table_rows(r):
            if cells and cells[0].lower() in ("severity", "level", "sev"):
                headers[r.section_path] = cells
    steps = []
    for r in results:
        heading = r.section_path.split(" > ")[-1] if r.section_path else ""
        if _DEFINITIONS.search(heading):
            continue  # the definition row is quoted in the summary
        for line, cells in table_rows(r):
            if cells and cells[0].upper().replace(" ", "") == severity:
                header = headers.get(r.section_path, [])
                pairs = [f"{h}: {c}" if h else c for h, c in zip(header[1:] + [""] * len(cells), cells[1:]) if c]
                steps.append(Step(r, line, heading, display=f"For {severity}: " + "; ".join(pairs)))
    return steps


def _quote(line: str) -> str:
    # Drop a leading list marker; the rest is still a verbatim slice of the chunk.
    return re.sub(r"^\s*(?:[-*]\s+|\d{1,2}[.)]\s+)", "", line).strip()


def match_steps(steps: list[Step], statements: list[str], embedder) -> None:
    if not steps or not statements:
        return
    cos = np.zeros((len(steps), len(statements)))
    if embedder is not None:
        vectors = embedder.embed([s.text for s in steps] + statements)
        cos = vectors[: len(steps)] @ vectors[len(steps):].T
    for i, step in enumerate(steps):
        stems = _stems(step.text)
        best, best_j = -1.0, -1
        for j, statement in enumerate(statements):
            words = _stems(statement)
            overlap = len(stems & words) / max(1, len(words))
            score = 0.6 * float(cos[i, j]) + 0.4 * overlap
            if score > best:
                best, best_j = score, j
        if best >= MATCH_THRESHOLD:
            step.match, step.score = statements[best_j], best
