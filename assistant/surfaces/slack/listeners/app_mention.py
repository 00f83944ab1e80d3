"""`@BPO Assistant <question>` in a channel: answered in a thread under the message."""

from __future__ import annotations

from assistant.surfaces.slack.asking import handle_text
from assistant.surfaces.slack.bot import SlackBot, Where
from assistant.surfaces.slack.roles import is_external
from assistant.surfaces.slack.threads import read_thread, strip_mentions


def register(app, bot: SlackBot) -> None:
    @app.event("app_mention")
    def on_app_mention(event: dict, context, client) -> None:
        # Events are acked by bolt before this runs; the answer itself is slow work.
        thread_ts = event.get("thread_ts") or event.get("ts")
        where = Where(channel=event.get("channel", ""), user=event.get("user", ""), thread_ts=thread_ts,
                      channel_type=event.get("channel_type") or "channel",
                      external=is_external(event, context.team_id))
        bot.submit(client, where, _answer, bot, client, where, event, context.bot_user_id, context.bot_id)


def _answer(bot: SlackBot, client, where: Where, event: dict, bot_user_id, bot_id) -> None:
    history = []
    if event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
        history = read_thread(client, where.channel, event["thread_ts"], event.get("ts"), bot_user_id, bot_id).history
    handle_text(bot, client, where, strip_mentions(event.get("text", "")), bot_user_id=bot_user_id, history=history)
