"""The vendor scorecard reply (`/scorecard`): the latest month per metric, misses and credits,
persistent failures, earn-back."""

from __future__ import annotations

from assistant.surfaces.slack.blocks import MAX_BLOCKS, context, section
from assistant.surfaces.slack.security import escape


def scorecard_blocks(card, charts: int = 0) -> list[dict]:
    """The summary: the latest month per metric, misses and credits, persistent failures, earn-back."""
    from assistant.drafting.scorecard_render import STATUS_WORDS, credit_words, pct, target_words

    blocks = [section(f"*Scorecard {card.period_from} to {card.period_to}:* {escape(card.contract)}", "scorecard_title")]
    latest = card.months[-1]
    lines = [f"• {escape(x.name)}: {pct(x.actual)} vs {escape(target_words(x))}: *{STATUS_WORDS[x.status]}*"
             for x in latest.metrics if x.status != "no_data"]
    blocks.append(section((f"*{latest.month}*\n" + ("\n".join(lines) or "no data this month"))[:2900], "scorecard_latest"))
    misses = [f"• {m.month} {escape(x.name)}: {pct(x.actual)}; credit {escape(credit_words(x))}"
              for m in card.months for x in m.metrics if x.status == "missed"]
    if misses:
        blocks.append(section("*Misses and credits*\n" + "\n".join(misses)[:2900], "scorecard_misses"))
    for i, f in enumerate(card.persistent_failures[:5]):
        clause = f"clause {f.clause_no}" if f.clause_no else "the contract"
        blocks.append(section(f":rotating_light: *{escape(f.rule)}* ({escape(clause)}): {escape(f.metric)} missed in "
                              f"{', '.join(f.months)}. Right: {escape(f.right or 'to confirm')}", f"scorecard_failure_{i}"))
    if card.earn_back:
        counts = {s: sum(1 for e in card.earn_back if e.status == s) for s in ("earned_back", "pending", "final")}
        blocks.append(section("*Earn-back:* " + ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n), "scorecard_earn_back"))
    note = "Only you can see this scorecard."
    if charts:
        note += f" {charts} trend chart(s) are in your DMs."
    note += " The full review pack: `bpo-assistant scorecard --contract ... --out DIR`."
    blocks.append(context(note, "scorecard_note"))
    return blocks[:MAX_BLOCKS]
