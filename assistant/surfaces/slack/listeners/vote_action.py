"""👍 / 👎 on an answer: appended to <home>/feedback.jsonl, thanked privately."""

from __future__ import annotations

import re

from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.feedback import FeedbackEntry
from assistant.surfaces.slack.security import unescape


def action_where(body: dict) -> Where:
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    user = (body.get("user") or {}).get("id", "")
    thread_ts = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    return Where(channel=channel or user, user=user, thread_ts=thread_ts, channel_type="" if channel else "im",
                 response_url=body.get("response_url"))


def register(app, bot: SlackBot) -> None:
    @app.action(re.compile(r"^vote_(up|down)$"))
    def on_vote(ack, body: dict, action: dict, client) -> None:
        ack()
        where = action_where(body)
        bot.submit(client, where, _record, bot, client, where, body, action)


def _record(bot: SlackBot, client, where: Where, body: dict, action: dict) -> None:
    answer_id = action.get("value") or ""
    record = bot.answers.get(answer_id)
    if record is not None:
        question, answer, chunk_ids = record.question, record.answer.answer, record.chunk_ids
    else:  # expired or from before a restart: keep the vote with what the message itself says
        question, answer, chunk_ids = "", unescape((body.get("message") or {}).get("text", "")), []
    vote = "up" if action.get("action_id") == "vote_up" else "down"
    bot.feedback.record(FeedbackEntry(question=question, answer=answer, chunk_ids=chunk_ids, vote=vote,
                                      user=where.user, answer_id=answer_id, channel=where.channel))
    Poster(client).notice(where, "Thanks for the feedback! :pray:")
