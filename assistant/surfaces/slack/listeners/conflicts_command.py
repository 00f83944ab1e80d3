"""`/conflicts [document]`: SOP/contract conflicts, privately."""

from __future__ import annotations

from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.conflicts import list_conflicts
from assistant.surfaces.slack.listeners.ask_command import command_where


def register(app, bot: SlackBot) -> None:
    @app.command("/conflicts")
    def on_conflicts(ack, command: dict, client) -> None:
        ack()
        where = command_where(command)
        bot.submit(client, where, list_conflicts, bot, client, where, command.get("text") or "")
