"""The "Open the RCA/escalation form" button sent in reply to "rca …" / "escalate …" as text."""

from __future__ import annotations

import json

from assistant.surfaces.slack.bot import SlackBot, report_failure
from assistant.surfaces.slack.drafting import open_incident_form
from assistant.surfaces.slack.listeners.vote_action import action_where


def register(app, bot: SlackBot) -> None:
    @app.action("open_incident_form")
    def on_open_form(ack, body: dict, action: dict, client) -> None:
        ack()
        where = action_where(body)
        try:
            value = json.loads(action.get("value") or "{}")
            kind = value.get("kind") if value.get("kind") in ("rca", "escalate") else "rca"
            open_incident_form(client, body.get("trigger_id", ""), kind, where, str(value.get("title") or ""))
        except Exception as exc:  # noqa: BLE001 - reported to the user, logged with a reference
            report_failure(client, where, exc)
