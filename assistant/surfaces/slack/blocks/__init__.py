"""Block Kit builders: pure functions from our models to Slack JSON. Every Slack message is built
in this package: here the shared pieces, answers, clauses, drafts and the incident form; beside
it one module per other reply (contract_terms.py, scorecard.py, conflicts.py).

Every string that comes from a document, a model or a user goes through `escape` (or `mrkdwn`)
here, so no caller has to remember it. Limits honoured: section text <= 3000 chars, <= 50 blocks,
button values <= 2000 chars, modal titles <= 24 chars.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote

from assistant.answering.citations import clause_label
from assistant.surfaces.slack.security import escape

SECTION_LIMIT = 2900
MAX_BLOCKS = 50
FALLBACK_LIMIT = 3000
INCIDENT_KINDS = {"rca": "RCA", "escalate": "escalation"}
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


# -- primitives -------------------------------------------------------------------------------

def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def plain(text: str, emoji: bool = True) -> dict:
    return {"type": "plain_text", "text": text, "emoji": emoji}


def section(text: str, block_id: str | None = None) -> dict:
    block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str, block_id: str | None = None) -> dict:
    block = {"type": "context", "elements": [mrkdwn(text)]}
    if block_id:
        block["block_id"] = block_id
    return block


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {"type": "button", "text": plain(text), "action_id": action_id, "value": value[:2000]}
    if style:
        element["style"] = style
    return element


def user_mention(user_id: str) -> str:
    """A mention of a Slack user id that came from Slack itself (never from text)."""
    return f"<@{user_id}>" if _USER_ID.match(user_id or "") else "someone"


def chunks_of(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split text at paragraph, line or sentence ends so each piece fits in one section block."""
    pieces, rest = [], text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(". ", 0, limit) + 1)
        if cut <= limit // 3:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def escaped_sections(text: str, block_id: str, max_blocks: int = 30) -> list[dict]:
    # Escape before splitting would break entities at a cut; split the raw text with headroom instead.
    parts = chunks_of(text, SECTION_LIMIT - 400)
    blocks = [section(escape(part)[:3000], f"{block_id}_{i}" if i else block_id) for i, part in enumerate(parts)]
    return blocks[:max_blocks]


def fallback_text(text: str) -> str:
    return escape(text)[:FALLBACK_LIMIT]


# -- answers ----------------------------------------------------------------------------------

def document_link(base_url: str | None, source: str, label: str, url: str = "") -> str:
    """`<url|label>` with the document's own link (a synced page or file, a folder rule's url_base),
    else `<base/source|label>` when slack.document_base_url is set, else the escaped label in bold."""
    label = escape(label).replace("|", "¦") or "document"
    if url and _LINKABLE.match(url):
        return f"<{url}|{label}>"
    if not base_url or not _LINKABLE.match(base_url):
        return f"*{label}*"
    url = base_url.rstrip("/") + "/" + quote(source, safe="/")
    return f"<{url}|{label}>"


_LINKABLE = re.compile(r"^https?://[^\s<>|]+$")  # nothing that could close or split Slack's <url|label>


def citation_line(citation, base_url: str | None) -> str:
    parts = []
    if citation.section_path:
        parts.append(escape(citation.section_path))
    clause = clause_label(citation.clause_no, citation.section_path or "", citation.doc_type)
    if clause:
        parts.append(escape(clause))
    if citation.page_start:
        parts.append(f"p. {citation.page_start}")
    where = " — " + " · ".join(parts) if parts else ""
    link = document_link(base_url, citation.source, citation.title or citation.source, getattr(citation, "url", ""))
    return f"[{citation.n}] {link}{where}"


def sources_block(citations: Iterable, base_url: str | None) -> dict:
    lines = [citation_line(c, base_url) for c in citations]
    text = "*Sources*\n" + "\n".join(lines)
    return section(text[:3000], "sources")


def no_sources_warning(closest: list[str]) -> dict:
    text = ":warning: *No sources:* this is not grounded in the documents, so don't rely on it."
    if closest:
        text += " Closest documents: " + "; ".join(escape(t) for t in closest[:3]) + "."
    return section(text, "no_sources_warning")


def feedback_actions(answer_id: str, shareable: bool) -> dict:
    elements = [button("👍", "vote_up", answer_id), button("👎", "vote_down", answer_id)]
    if shareable:
        elements.append(button("Share with channel", "share_answer", answer_id, style="primary"))
    return {"type": "actions", "block_id": "answer_actions", "elements": elements}


def answer_blocks(answer, *, answer_id: str, base_url: str | None = None, shareable: bool = False,
                  question: str | None = None, asked_by: str | None = None, notes: Iterable[str] = ()) -> list[dict]:
    """The answer, its sources (or a no-sources warning), notes, and the feedback/share buttons."""
    blocks: list[dict] = []
    if question:
        who = f"{user_mention(asked_by)} asked" if asked_by else "You asked"
        blocks.append(context(f"{who}: {escape(question)[:2500]}", "question"))
    blocks += escaped_sections(answer.answer, "answer", max_blocks=MAX_BLOCKS - 6)
    if answer.citations:
        blocks.append(sources_block(answer.citations, base_url))
    if not answer.grounded or not answer.citations:
        blocks.append(no_sources_warning(list(answer.closest_sources)))
    note_lines = [n for n in notes if n]
    if note_lines:
        blocks.append(context("\n".join(note_lines)[:3000], "notes"))
    blocks.append(feedback_actions(answer_id, shareable))
    return blocks


# -- notices, help and errors -----------------------------------------------------------------

def notice_blocks(text: str) -> list[dict]:
    """A one-section message; `text` must already be safe mrkdwn (escape user/model parts first)."""
    return [section(text[:3000], "notice")]


def error_text(reference: str) -> str:
    return f":x: Sorry, something went wrong (reference {escape(reference)})."


HELP_TEXT = (
    "*Ask me about runbooks, SOPs and contracts.*\n"
    "• Mention me in a channel, DM me, or use `/ask <question>` — I answer with sources.\n"
    "• `/clause <type>` (or `clause <type>` in a DM) — e.g. `clause termination for convenience`.\n"
    "• `/key-terms <contract>` and `/sla-schedule <SOW>` — add `as of 2025-06-01` for the terms in force on a date.\n"
    "• `/rca <title>` and `/escalate <title>` (or `rca …` / `escalate …` in a DM) — draft an RCA or "
    "a vendor escalation from the incident facts.\n"
    "Answers that cite contracts are shown only to you."
)


# -- clauses ----------------------------------------------------------------------------------

def _field(item, *names: str, default=""):
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value not in (None, ""):
            return value
    return default


def clause_blocks(clause_type: str, items: list, base_url: str | None, as_of: str | None = None) -> list[dict]:
    when = f" in force on {escape(as_of)}" if as_of else ""
    blocks = [section(f"*Clauses matching* “{escape(clause_type)[:200]}”{when}", "clause_query")]
    if not items:
        blocks.append(section(":warning: No matching clause was found in the contracts you can read.", "no_clauses"))
        return blocks
    for i, item in enumerate(items[:10], 1):
        title = _field(item, "title", "document", "source", default="document")
        source = _field(item, "source", default="")
        heading = _field(item, "heading", "section_path", default="")
        number = _field(item, "clause_no", "number", default="")
        page = _field(item, "page_start", "page", default="")
        text = _field(item, "text", "quote", "clause_text", default="")
        where = " · ".join(escape(p) for p in (clause_label(str(number), str(heading)), heading, f"p. {page}" if page else "") if p)
        link = document_link(base_url, str(source), str(title), str(_field(item, "url", default="")))
        head = f"*{i}.* {link}" + (f" — {where}" if where else "")
        # Text an amendment replaced (or one not yet in force) is never shown as if current (issue 26).
        superseded, pending = _field(item, "superseded_by"), _field(item, "in_force_from")
        if superseded:
            head += f"\n:warning: _superseded: {escape(str(superseded))[:400]}_"
        elif pending:
            head += f"\n:hourglass: _not in force until {escape(str(pending))}_"
        body = escape(" ".join(str(text).split()))[:1800]
        blocks.append(section(f"{head}\n>{body}" if body else head, f"clause_{i}"))
    return blocks[:MAX_BLOCKS]


# -- incidents and drafts ---------------------------------------------------------------------

def _input(block_id: str, label: str, element: dict, optional: bool = False, hint: str | None = None) -> dict:
    block = {"type": "input", "block_id": block_id, "label": plain(label), "element": {**element, "action_id": block_id},
             "optional": optional}
    if hint:
        block["hint"] = plain(hint)
    return block


def incident_modal(kind: str, metadata: dict, title: str = "", started_at: int | None = None) -> dict:
    """The form collecting incident facts for `/rca` and `/escalate`."""
    started = {"type": "datetimepicker"}
    if started_at:
        started["initial_date_time"] = int(started_at)
    title_el = {"type": "plain_text_input", "max_length": 300}
    if title:
        title_el["initial_value"] = title[:300]
    return {
        "type": "modal",
        "callback_id": f"incident_{kind}",
        "title": plain(f"Draft an {INCIDENT_KINDS[kind]}"[:24]),
        "submit": plain("Draft"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(metadata)[:3000],
        "blocks": [
            _input("title", "Title", title_el),
            _input("description", "What happened", {"type": "plain_text_input", "multiline": True, "max_length": 3000}),
            _input("process", "Process", {"type": "plain_text_input", "max_length": 200}, optional=True,
                   hint="e.g. Chat support, Email support"),
            _input("vendor", "Vendor", {"type": "plain_text_input", "max_length": 200}, optional=True),
            _input("started_at", "Started at", started),
            _input("ended_at", "Ended at", {"type": "datetimepicker"}, optional=True, hint="leave empty if still ongoing"),
        ],
    }


def open_form_blocks(kind: str, title: str) -> list[dict]:
    label = "Open the RCA form" if kind == "rca" else "Open the escalation form"
    value = json.dumps({"kind": kind, "title": title[:300]})
    return [
        section(f"I'll draft an {INCIDENT_KINDS[kind]} from the incident facts. Fill in the form:", "open_form_intro"),
        {"type": "actions", "block_id": "open_form", "elements": [button(label, "open_incident_form", value, style="primary")]},
    ]


_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.M)
_MD_BULLET = re.compile(r"^(\s*)[-*]\s+", re.M)


def markdown_to_mrkdwn(markdown: str) -> str:
    """Escape, then map the Markdown our drafts use (headings, bold, bullets). Links stay literal text."""
    text = escape(markdown)
    text = _MD_HEADING.sub(lambda m: f"*{m.group(1)}*", text)
    text = _MD_BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    return _MD_BOLD.sub(lambda m: f"*{m.group(1)}*", text)


def draft_blocks(kind: str, title: str, markdown: str, uploaded: bool = False) -> list[dict]:
    head = f"*{INCIDENT_KINDS[kind].capitalize()} draft:* {escape(title)[:200]}"
    note = "Only you can see this draft. Review every cited figure before sending it."
    if uploaded:
        note += " A Markdown copy is in your DMs."
    blocks = [section(head, "draft_title"), context(note, "draft_note")]
    for i, part in enumerate(chunks_of(markdown, SECTION_LIMIT - 600)):
        blocks.append(section(markdown_to_mrkdwn(part)[:3000], f"draft_{i}"))
    return blocks[:MAX_BLOCKS]
