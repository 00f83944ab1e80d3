"""The vendor scorecard from Slack (`/scorecard <contract>`): computed from the contract's stored
metrics history, posted only to the asker (it is contract content: targets, credits, rights), with
the trend charts uploaded to their DM."""

from __future__ import annotations

from assistant.logs import event_line, logger
from assistant.surfaces.slack.blocks.scorecard import scorecard_blocks
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.clauses import contract_reader_scope
from assistant.surfaces.slack.security import escape

log = logger("slack")

USAGE = "Usage: `/scorecard <contract>`, e.g. `/scorecard acme-sow.docx` (the metrics history is loaded with the CLI or HTTP API)."
MAX_CHARTS = 4  # the charts of missed metrics first; the rest are in the review pack


def post_scorecard(bot: SlackBot, client, where: Where, contract: str) -> None:
    poster = Poster(client)
    contract = " ".join((contract or "").split())
    if not contract:
        poster.notice(where, USAGE)
        return
    scope = contract_reader_scope(bot, client, poster, where)
    if scope is None:
        return
    card = bot.service.drafts.scorecard(contract, scope.caller)
    uploaded = _upload_charts(client, where.user, card)
    poster.private(where, scorecard_blocks(card, uploaded), f"Scorecard: {escape(card.contract)[:200]}")
    log.info(event_line("slack_scorecard", user=where.user, months=len(card.months), charts=uploaded))


def _upload_charts(client, user: str, card) -> int:
    """The trend charts (missed metrics first) in the user's DM; never in the channel."""
    from assistant.drafting.scorecard_files import charts

    missed = {x.name for m in card.months for x in m.metrics if x.status == "missed"}
    drawn = sorted(charts(card), key=lambda c: c[0] not in missed)[:MAX_CHARTS]
    if not drawn:
        return 0
    try:
        dm = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(channel=dm, initial_comment=f"Trend charts for {card.contract} ({card.period_from} to {card.period_to})",
                               file_uploads=[{"content": png, "filename": name, "title": f"{metric}: actual against target"}
                                             for metric, name, png in drawn])
        return len(drawn)
    except Exception as exc:  # noqa: BLE001 - the private summary is the deliverable; the charts are a convenience
        log.warning(event_line("slack_scorecard_upload_failed", user=user, error=type(exc).__name__))
        return 0
