"""RCA and escalation drafts from Slack: a modal collects the incident facts, the service writes the
draft, and the user gets it privately (plus a Markdown file in their DM)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from assistant.logs import event_line, logger
from assistant.errors import InvalidInput
from assistant.surfaces.slack.blocks import draft_blocks, incident_modal
from assistant.surfaces.slack.bot import Poster, SlackBot, Where

log = logger("slack")

FIELDS = ("title", "description", "process", "vendor", "started_at", "ended_at")


def _guess_start(text: str) -> int | None:
    m = re.search(r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?", text or "")
    if not m:
        return None
    try:
        when = datetime.fromisoformat(m.group(1) + "T" + (m.group(2) or "00:00")).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(when.timestamp())


def open_incident_form(client, trigger_id: str, kind: str, where: Where, title: str = "") -> None:
    """Must run within 3 s of the click/command: trigger ids expire."""
    metadata = {"channel": where.channel, "thread_ts": where.thread_ts, "channel_type": where.channel_type}
    client.views_open(trigger_id=trigger_id, view=incident_modal(kind, metadata, title.strip(), _guess_start(title)))


def where_from_metadata(view: dict, user: str) -> Where:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    channel = meta.get("channel") if isinstance(meta, dict) else None
    if not channel:
        return Where(channel=user, user=user, channel_type="im")  # no context: answer in the user's DM
    return Where(channel=channel, user=user, thread_ts=meta.get("thread_ts"), channel_type=meta.get("channel_type") or "")


def form_values(view: dict) -> dict:
    """The submitted fields: strings, or ISO-8601 UTC times for the two date pickers."""
    values = (view.get("state") or {}).get("values") or {}
    out: dict = {}
    for name in FIELDS:
        element = (values.get(name) or {}).get(name) or {}
        if name.endswith("_at"):
            stamp = element.get("selected_date_time")
            out[name] = datetime.fromtimestamp(int(stamp), tz=timezone.utc).isoformat() if stamp else None
        else:
            out[name] = (element.get("value") or "").strip()
    return out


def form_errors(values: dict) -> dict[str, str]:
    errors = {}
    if not values.get("title"):
        errors["title"] = "Give the incident a title."
    if values.get("started_at") and values.get("ended_at") and values["ended_at"] < values["started_at"]:
        errors["ended_at"] = "The end must be after the start."
    return errors


def incident_from_form(values: dict):
    """The drafting feature's Incident model (raises InvalidInput with a one-line reason)."""
    from assistant.drafting.incident import parse_incident  # another feature: imported only when drafting

    return parse_incident({k: v for k, v in values.items() if v not in (None, "")})


def write_draft(bot: SlackBot, client, where: Where, kind: str, values: dict) -> None:
    poster = Poster(client)
    # Drafts go only to the asker (ephemeral / DM, never shared): their own roles decide.
    scope = bot.scope_for(client, poster, where, channel_wide=False)
    if scope is None:
        return
    incident = incident_from_form(values)
    drafts = bot.service.drafts
    result = drafts.rca(incident, scope.caller) if kind == "rca" else drafts.escalation(incident, scope.caller)
    markdown = result.markdown
    if not markdown.strip():
        raise InvalidInput("the draft came back empty")
    uploaded = _upload(client, where.user, kind, values.get("title") or kind, markdown)
    poster.private(where, draft_blocks(kind, values.get("title") or "", markdown, uploaded), f"{kind.upper()} draft")
    log.info(event_line("slack_draft", kind=kind, user=where.user, uploaded=uploaded))


def _upload(client, user: str, kind: str, title: str, markdown: str) -> bool:
    """A Markdown copy in the user's DM (never in the channel: drafts cite contract terms)."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "incident"
    try:
        dm = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(channel=dm, content=markdown, filename=f"{kind}-{slug}.md", title=f"{kind.upper()} draft: {title[:150]}")
        return True
    except Exception as exc:  # noqa: BLE001 - the private message is the deliverable; the file is a convenience
        log.warning(event_line("slack_draft_upload_failed", user=user, kind=kind, error=type(exc).__name__))
        return False
