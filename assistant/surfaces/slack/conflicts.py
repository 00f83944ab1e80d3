"""`/conflicts [document]`: SOP/contract conflicts, privately (the quotes are contract text), read
with the asker's own roles: a role that may not read a contract gets none of its lines."""

from __future__ import annotations

from assistant.surfaces.slack.blocks import MAX_BLOCKS, document_link, section
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.security import escape

KIND_WORDS = {"sop_looser": "SOP looser than the contract", "sop_stricter": "SOP stricter than the contract",
              "different_channel": "different notice channel"}


def list_conflicts(bot: SlackBot, client, where: Where, text: str) -> None:
    poster = Poster(client)
    scope = bot.scope_for(client, poster, where, channel_wide=False)
    if scope is None:
        return
    source = " ".join((text or "").split()) or None
    report = bot.service.conflicts(scope.caller, source=source)
    poster.private(where, conflict_blocks(report, bot.base_url), f"{len(report.conflicts)} SOP/contract conflicts")


def conflict_blocks(report, base_url: str | None) -> list[dict]:
    """One section per conflict with both quotes; a plain note when there are none."""
    if not report.conflicts:
        return [section(":white_check_mark: No conflicts between the SOPs and the contracts you can read.", "no_conflicts")]
    blocks = [section(f"*{len(report.conflicts)} SOP/contract conflicts*", "conflicts_head")]
    for n, c in enumerate(report.conflicts[: MAX_BLOCKS - 1], 1):
        lines = [f"*{n}. {KIND_WORDS.get(c.kind, c.kind)}* ({escape(c.topic)})"]
        for item in c.items:
            where = f" clause {escape(item.clause_no)}" if item.clause_no else ""
            quote = escape(" ".join(item.quote.split()))[:600]
            lines.append(f"{document_link(base_url, item.source, item.source)}{where} *{escape(item.value)}*\n>{quote}")
        blocks.append(section("\n".join(lines)[:2900], f"conflict_{n}"))
    return blocks
