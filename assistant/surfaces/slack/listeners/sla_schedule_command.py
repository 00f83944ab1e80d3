"""`/sla-schedule <contract> [as of YYYY-MM-DD]`: the SLA schedule of a SOW, privately."""

from __future__ import annotations

from assistant.surfaces.slack.bot import SlackBot
from assistant.surfaces.slack.contract_terms import post_sla_schedule
from assistant.surfaces.slack.listeners.ask_command import command_where


def register(app, bot: SlackBot) -> None:
    @app.command("/sla-schedule")
    def on_sla_schedule(ack, command: dict, client) -> None:
        ack()
        where = command_where(command)
        bot.submit(client, where, post_sla_schedule, bot, client, where, command.get("text") or "")
