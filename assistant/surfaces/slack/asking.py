"""Answering a question in Slack: scope the caller to the audience, ask the service, and post the
answer publicly (threaded) or privately, depending on what it cites and how it was asked."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.logs import event_line, logger
from assistant.models import Answer, Turn
from assistant.surfaces.slack.as_of import split_as_of
from assistant.surfaces.slack.answers import AnswerRecord
from assistant.surfaces.slack.blocks import HELP_TEXT, answer_blocks, fallback_text, notice_blocks, open_form_blocks
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.clauses import lookup_clauses
from assistant.surfaces.slack.roles import Scope
from assistant.surfaces.slack.text_commands import parse

log = logger("slack")

PRIVATE_NOTE = ":lock: Only you can see this answer: it cites documents that are not for everyone in this channel."
NARROWED_NOTE = ("Answered only from documents everyone in this channel may read ({}). "
                 "Ask me in a DM for an answer from all the documents you can read.")


def answer_question(bot: SlackBot, client, where: Where, question: str, *, bot_user_id: str | None,
                    history: Sequence[Turn] = (), ephemeral: bool = False) -> None:
    """`ephemeral`: a slash command (the reply is private and may be shared); else a public reply
    in the thread unless it cites restricted documents."""
    poster = Poster(client)
    question = (question or "").strip()
    if not question:
        poster.notice(where, HELP_TEXT)
        return
    scope = bot.scope_for(client, poster, where, channel_wide=True, bot_user_id=bot_user_id)
    if scope is None:
        return
    as_of, question = split_as_of(question)  # "as of 2025-06-01: ..." (issue 26)
    answer = bot.service.ask(question, scope.caller, history=list(history), as_of=as_of)
    publish_answer(bot, poster, where, question, answer, scope, ephemeral)


def publish_answer(bot: SlackBot, poster: Poster, where: Where, question: str, answer: Answer, scope: Scope,
                   ephemeral: bool) -> None:
    """Publicly in the thread, or privately when it cites restricted documents or came from a slash command."""
    restricted = bot.audience.restricts_answer(answer, lambda: bot.service.documents(scope.caller))
    private = (restricted or ephemeral) and not where.is_dm
    record = AnswerRecord(question=question, answer=answer, asker=where.user, channel=where.channel,
                          thread_ts=where.thread_ts, collections=frozenset(c.collection for c in answer.citations if c.collection), restricted=restricted)
    answer_id = bot.answers.put(record)
    notes = []
    if restricted and not where.is_dm:
        notes.append(PRIVATE_NOTE)
    if scope.narrowed:
        notes.append(NARROWED_NOTE.format(", ".join(sorted(scope.caller.restrict_to or ()))))
    blocks = answer_blocks(answer, answer_id=answer_id, base_url=bot.base_url, shareable=private and not restricted,
                           question=question if ephemeral else None, notes=notes)
    log.info(event_line("slack_answer", channel=where.channel, user=where.user, grounded=answer.grounded,
                   citations=len(answer.citations), private=private))
    if private:
        poster.private(where, blocks, fallback_text(answer.answer))
        return
    poster.public(where, blocks, fallback_text(answer.answer))
    if where.thread_ts:
        bot.threads.set((where.channel, where.thread_ts), True)


def handle_text(bot: SlackBot, client, where: Where, text: str, *, bot_user_id: str | None,
                history: Sequence[Turn] = ()) -> None:
    """A DM or a mention: route text commands, answer everything else."""
    command = parse(text)
    if command.kind == "help":
        Poster(client).private(where, notice_blocks(HELP_TEXT), "How to use BPO Assistant")
    elif command.kind == "clause":
        lookup_clauses(bot, client, where, command.arg)
    elif command.kind in ("rca", "escalate"):
        Poster(client).private(where, open_form_blocks(command.kind, command.arg), "Open the incident form")
    else:
        answer_question(bot, client, where, command.arg, bot_user_id=bot_user_id, history=history)
