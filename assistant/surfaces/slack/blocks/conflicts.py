"""The SOP/contract conflicts reply (`/conflicts`): one section per conflict with both quotes."""

from __future__ import annotations

from assistant.surfaces.slack.blocks import MAX_BLOCKS, document_link, section
from assistant.surfaces.slack.security import escape

KIND_WORDS = {"sop_looser": "SOP looser than the contract", "sop_stricter": "SOP stricter than the contract",
              "different_channel": "different notice channel"}


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
