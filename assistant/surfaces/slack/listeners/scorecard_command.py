"""`/scorecard <contract>`: the vendor scorecard summary privately, its charts in the asker's DM."""

from __future__ import annotations

from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.listeners.ask_command import command_where
from assistant.surfaces.slack.scorecard import post_scorecard


def register(app, bot: SlackBot) -> None:
    @app.command("/scorecard")
    def on_scorecard(ack, command: dict, client) -> None:
        ack()
        where = command_where(command)
        bot.submit(client, where, post_scorecard, bot, client, where, command.get("text") or "")
