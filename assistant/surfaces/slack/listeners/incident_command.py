"""`/rca [title]` and `/escalate [title]`: open the incident form (the draft follows its submission)."""

from __future__ import annotations

import re

from assistant.surfaces.slack.bot import SlackBot, report_failure
from assistant.surfaces.slack.drafting import open_incident_form
from assistant.surfaces.slack.listeners.ask_command import command_where


def register(app, bot: SlackBot) -> None:
    @app.command(re.compile(r"^/(rca|escalate)$"))
    def on_incident_command(ack, command: dict, client) -> None:
        ack()
        kind = command["command"].lstrip("/")
        where = command_where(command)
        try:
            open_incident_form(client, command.get("trigger_id", ""), kind, where, command.get("text") or "")
        except Exception as exc:  # noqa: BLE001 - reported to the user, logged with a reference
            report_failure(client, where, exc)
