"""One listener per module; each exposes `register(app, bot)`."""

from __future__ import annotations

from assistant.surfaces.slack.listeners import (
    app_mention, ask_command, clause_command, conflicts_command, incident_command, incident_form_button,
    incident_submission, key_terms_command, message, scorecard_command, share_action, sla_schedule_command, vote_action,
)

ALL = (app_mention, message, ask_command, clause_command, conflicts_command, incident_command, incident_form_button,
       incident_submission, scorecard_command, key_terms_command, sla_schedule_command, vote_action, share_action)


def register_all(app, bot) -> None:
    for module in ALL:
        module.register(app, bot)
