"""`/ask <question>`: a private answer (with "Share with channel") scoped to the channel's audience."""

from __future__ import annotations

from assistant.surfaces.slack.asking import answer_question
from assistant.surfaces.slack.bot import SlackBot, Where
from assistant.surfaces.slack.security import escape


def command_where(command: dict) -> Where:
    name = command.get("channel_name") or ""
    channel_type = "im" if name == "directmessage" else ("mpim" if name.startswith("mpdm-") else "")
    return Where(channel=command.get("channel_id", ""), user=command.get("user_id", ""),
                 channel_type=channel_type, response_url=command.get("response_url"))


def register(app, bot: SlackBot) -> None:
    @app.command("/ask")
    def on_ask(ack, command: dict, context, client) -> None:
        question = (command.get("text") or "").strip()
        if question:
            ack(text=f":mag: Looking that up: {escape(question)[:300]}")
        else:
            ack()
        where = command_where(command)
        bot.submit(client, where, answer_question, bot, client, where, question,
                   bot_user_id=context.bot_user_id, ephemeral=True)
