"""The "Share with channel" button on a private answer: posted publicly only if everyone there may read it."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from assistant.surfaces.slack.blocks import answer_blocks, fallback_text
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.listeners.vote_action import action_where


def register(app, bot: SlackBot) -> None:
    @app.action("share_answer")
    def on_share(ack, body: dict, action: dict, context, client) -> None:
        ack()
        where = action_where(body)
        bot.submit(client, where, _share, bot, client, where, action.get("value") or "", context.bot_user_id)


def _share(bot: SlackBot, client, where: Where, answer_id: str, bot_user_id) -> None:
    poster = Poster(client)
    record = bot.answers.get(answer_id)
    if record is None or record.asker != where.user:
        poster.notice(where, "That answer has expired. Ask again and share the new one.")
        return
    if record.restricted:
        poster.notice(where, ":no_entry: This answer cites contracts, so it can't be shared in a channel.")
        return
    # Recheck now (fresh member list): people may have joined since the answer was written.
    shared = bot.channels.channel_scope(client, record.channel, where.user, bot_user_id, fresh=True)
    if shared is None or not record.collections <= shared:
        poster.notice(where, ":no_entry: Not everyone in this channel may read the documents this answer cites, so I won't share it.")
        return
    blocks = answer_blocks(record.answer, answer_id=answer_id, base_url=bot.base_url, question=record.question,
                           asked_by=record.asker)
    target = Where(channel=record.channel, user=where.user, thread_ts=record.thread_ts)
    try:
        poster.public(target, blocks, fallback_text(record.answer.answer))
    except SlackApiError as exc:
        if exc.response.get("error") not in ("not_in_channel", "channel_not_found"):
            raise
        poster.notice(where, "I'm not a member of this channel. Invite me (`/invite @BPO Assistant`) and share again.")
        return
    if where.response_url:
        WebhookClient(where.response_url).send(delete_original=True)  # the private copy is now redundant
