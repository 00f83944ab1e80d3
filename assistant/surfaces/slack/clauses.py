"""Clause lookup from Slack (`/clause <type>` or "clause <type>" in a DM). The reply is always
private: clauses are contract text. Needs `service.contracts` (the contracts feature)."""

from __future__ import annotations

from assistant.surfaces.slack.blocks import clause_blocks
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.roles import RESTRICTED_COLLECTIONS
from assistant.surfaces.slack.security import escape

USAGE = "Usage: `/clause <clause type>`, e.g. `/clause termination for convenience`."


def _items(result) -> list:
    if result is None:
        return []
    if isinstance(result, (list, tuple)):
        return list(result)
    for name in ("clauses", "results", "items"):
        value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
        if value is not None:
            return list(value)
    return []


def contract_reader_scope(bot: SlackBot, client, poster: Poster, where: Where):
    """The asker's scope for a private reply of contract content, or None once the denial is posted."""
    # Only the asker ever sees the result (never shared), so their own roles decide, not the channel's.
    scope = bot.scope_for(client, poster, where, channel_wide=False)
    if scope is None:
        return None
    configured = set(bot.settings.collections) & RESTRICTED_COLLECTIONS
    if configured and not bot.audience.readable(scope.caller.roles) & configured:
        poster.notice(where, ":no_entry: You don't have access to contracts.")
        return None
    return scope


def lookup_clauses(bot: SlackBot, client, where: Where, clause_type: str) -> None:
    poster = Poster(client)
    contracts = getattr(bot.service, "contracts", None)
    if contracts is None:
        poster.notice(where, ":construction: Clause lookup isn't available on this server yet.")
        return
    clause_type = " ".join((clause_type or "").split())
    if not clause_type:
        poster.notice(where, USAGE)
        return
    scope = contract_reader_scope(bot, client, poster, where)
    if scope is None:
        return
    result = contracts.lookup(type=clause_type, source=None, k=5, caller=scope.caller)
    poster.private(where, clause_blocks(clause_type, _items(result), bot.base_url), f"Clauses: {escape(clause_type)[:200]}")
