"""`/key-terms <contract> [as of YYYY-MM-DD]`: the key terms of a contract, privately."""

from __future__ import annotations

from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.contract_terms import post_key_terms
from assistant.surfaces.slack.listeners.ask_command import command_where


def register(app, bot: SlackBot) -> None:
    @app.command("/key-terms")
    def on_key_terms(ack, command: dict, client) -> None:
        ack()
        where = command_where(command)
        bot.submit(client, where, post_key_terms, bot, client, where, command.get("text") or "")
