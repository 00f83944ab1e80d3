"""`/conflicts [document]`: SOP/contract conflicts, privately (the quotes are contract text), read
with the asker's own roles: a role that may not read a contract gets none of its lines."""

from __future__ import annotations

from assistant.surfaces.slack.blocks.conflicts import conflict_blocks
from assistant.surfaces.slack.bot import Poster, SlackBot, Where


def list_conflicts(bot: SlackBot, client, where: Where, text: str) -> None:
    poster = Poster(client)
    scope = bot.scope_for(client, poster, where, channel_wide=False)
    if scope is None:
        return
    source = " ".join((text or "").split()) or None
    report = bot.service.conflicts(scope.caller, source=source)
    poster.private(where, conflict_blocks(report, bot.base_url), f"{len(report.conflicts)} SOP/contract conflicts")
