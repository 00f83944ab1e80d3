"""Plain messages: every direct message, and follow-ups in a thread the bot takes part in."""

from __future__ import annotations


from slack_sdk.errors import SlackApiError

from assistant.logs import event_line, logger
from assistant.surfaces.slack.asking import handle_text
from assistant.surfaces.slack.bot import SlackBot, Where
from assistant.surfaces.slack.roles import is_external
from assistant.surfaces.slack.text_commands import addressed_to_someone_else
from assistant.surfaces.slack.threads import read_thread, strip_mentions

log = logger("slack")

HANDLED_SUBTYPES = (None, "thread_broadcast")


def register(app, bot: SlackBot) -> None:
    @app.event("message")
    def on_message(event: dict, context, client) -> None:
        if event.get("subtype") not in HANDLED_SUBTYPES or event.get("bot_id") or not event.get("user"):
            return  # edits, joins, other bots (and ourselves): never answered
        bot_user_id = context.bot_user_id
        channel_type = event.get("channel_type") or ""
        is_dm = channel_type == "im"
        in_thread = bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
        if not is_dm and (not in_thread or (bot_user_id and f"<@{bot_user_id}" in event.get("text", ""))):
            return  # a channel message outside a thread, or a mention (the app_mention listener answers it)
        where = Where(channel=event.get("channel", ""), user=event["user"], thread_ts=event.get("thread_ts"),
                      channel_type=channel_type, external=is_external(event, context.team_id))
        bot.submit(client, where, _answer, bot, client, where, event, bot_user_id, context.bot_id, is_dm)


def _answer(bot: SlackBot, client, where: Where, event: dict, bot_user_id, bot_id, is_dm: bool) -> None:
    history = []
    text = event.get("text", "")
    if where.thread_ts:
        known = (where.channel, where.thread_ts) in bot.threads
        if not is_dm and addressed_to_someone_else(text, bot_user_id):
            return
        try:
            thread = read_thread(client, where.channel, where.thread_ts, event.get("ts"), bot_user_id, bot_id)
        except SlackApiError as exc:
            if is_dm or known:
                raise  # a conversation with us: the user is told
            log.warning(event_line("slack_thread_unreadable", channel=where.channel, error=exc.response.get("error")))
            return  # a thread we can't read and never answered in: not ours
        if not is_dm and not (thread.bot_participates or known):
            return  # someone else's thread: not ours to join
        history = thread.history
    handle_text(bot, client, where, strip_mentions(text), bot_user_id=bot_user_id, history=history)
