"""Clause lookup from Slack (`/clause <type>` or "clause <type>" in a DM). The reply is always
private: clauses are contract text."""

from __future__ import annotations

from assistant.surfaces.slack.as_of import split_as_of
from assistant.surfaces.slack.blocks import clause_blocks
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.security import escape

USAGE = ("Usage: `/clause <clause type>`, e.g. `/clause termination for convenience`; "
         "`/clause as of 2025-06-01 termination for convenience` for the terms in force on a date.")


def contract_reader_scope(bot: SlackBot, client, poster: Poster, where: Where):
    """The asker's scope for a private reply of contract content, or None once the denial is posted."""
    # Only the asker ever sees the result (never shared), so their own roles decide, not the channel's.
    scope = bot.scope_for(client, poster, where, channel_wide=False)
    if scope is None:
        return None
    if bot.audience.reads_no_contracts(scope.caller.roles):
        poster.notice(where, ":no_entry: You don't have access to contracts.")
        return None
    return scope


def lookup_clauses(bot: SlackBot, client, where: Where, clause_type: str) -> None:
    poster = Poster(client)
    as_of, clause_type = split_as_of(" ".join((clause_type or "").split()))  # "as of 2025-06-01 ..." (issue 26)
    if not clause_type:
        poster.notice(where, USAGE)
        return
    scope = contract_reader_scope(bot, client, poster, where)
    if scope is None:
        return
    result = bot.service.contracts.lookup(type=clause_type, source=None, k=5, caller=scope.caller, as_of=as_of)
    poster.private(where, clause_blocks(clause_type, result.results, bot.base_url, as_of=as_of),
                   f"Clauses: {escape(clause_type)[:200]}")
