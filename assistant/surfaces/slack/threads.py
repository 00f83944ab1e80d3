"""Conversation threads: the earlier turns of a thread (`conversations.replies`) as `Turn`s, and
whether the bot takes part in it (it answered there, or someone mentioned it there)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import Turn
from assistant.surfaces.slack.security import unescape

MAX_TURNS = 12
MAX_TURN_CHARS = 4000
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True)
class Thread:
    history: list[Turn]
    bot_participates: bool


def strip_mentions(text: str) -> str:
    return " ".join(_MENTION.sub(" ", text or "").split())


def _ts(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_thread(client, channel: str, thread_ts: str, before_ts: str | None, bot_user_id: str | None,
                bot_id: str | None) -> Thread:
    """Turns strictly before `before_ts` (the message being answered), oldest first."""
    resp = client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
    turns: list[Turn] = []
    participates = False
    limit = _ts(before_ts) if before_ts else float("inf")
    for message in resp.get("messages") or []:
        raw = message.get("text") or ""
        from_bot = bool((bot_user_id and message.get("user") == bot_user_id) or (bot_id and message.get("bot_id") == bot_id))
        if from_bot or (bot_user_id and f"<@{bot_user_id}" in raw):
            participates = True
        if _ts(message.get("ts")) >= limit:
            continue
        if message.get("bot_id") and not from_bot:
            continue  # other bots' messages are not part of the conversation with us
        content = unescape(strip_mentions(raw))[:MAX_TURN_CHARS]
        if content:
            turns.append(Turn(role="assistant" if from_bot else "user", content=content))
    return Thread(history=turns[-MAX_TURNS:], bot_participates=participates)
