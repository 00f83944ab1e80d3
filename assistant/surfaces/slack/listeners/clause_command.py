"""`/clause <type>`: the matching contract clauses, privately."""

from __future__ import annotations

from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.clauses import lookup_clauses
from assistant.surfaces.slack.listeners.ask_command import command_where


def register(app, bot: SlackBot) -> None:
    @app.command("/clause")
    def on_clause(ack, command: dict, client) -> None:
        ack()
        where = command_where(command)
        bot.submit(client, where, lookup_clauses, bot, client, where, command.get("text") or "")
