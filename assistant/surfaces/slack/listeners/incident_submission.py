"""Submission of the incident form: validate in the ack (errors show in the form), then draft."""

from __future__ import annotations

import re

from assistant.errors import InvalidInput
from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.drafting import form_errors, form_values, incident_from_form, where_from_metadata, write_draft


def register(app, bot: SlackBot) -> None:
    @app.view(re.compile(r"^incident_(rca|escalate)$"))
    def on_incident_submitted(ack, body: dict, view: dict, client) -> None:
        values = form_values(view)
        errors = form_errors(values)
        if not errors:
            try:
                incident_from_form(values)
            except InvalidInput as exc:
                errors = {"description": exc.message[:150]}
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        kind = view["callback_id"].removeprefix("incident_")
        where = where_from_metadata(view, body.get("user", {}).get("id", ""))
        bot.submit(client, where, write_draft, bot, client, where, kind, values)
