"""Key terms and SLA schedules from Slack (`/key-terms <contract>`, `/sla-schedule <contract>`,
either with "as of YYYY-MM-DD" for the terms in force on a date). The reply is always private: it
quotes contract text. A role that reads no contract gets the same "You don't have access to
contracts." as from `/clause` and `/scorecard`; otherwise which contracts the asker may read is the
service's decision: a name they can't read gets the same "no contract named ..." as a name that
doesn't exist."""

from __future__ import annotations

from assistant.logs import event_line, logger
from assistant.surfaces.slack.as_of import split_as_of
from assistant.surfaces.slack.blocks.contract_terms import key_terms_blocks, sla_schedule_blocks
from assistant.surfaces.slack.bot import Poster, SlackBot, Where
from assistant.surfaces.slack.clauses import contract_reader_scope
from assistant.surfaces.slack.security import escape

log = logger("slack")

KEY_TERMS_USAGE = ("Usage: `/key-terms <contract>`, e.g. `/key-terms acme-msa.pdf`; add `as of 2025-06-01` for the terms "
                   "in force on that date.")
SLA_USAGE = ("Usage: `/sla-schedule <SOW>`, e.g. `/sla-schedule acme-sow.docx`; add `as of 2025-06-01` for the service "
             "levels in force on that date.")


def post_key_terms(bot: SlackBot, client, where: Where, text: str) -> None:
    asked = _asked(bot, client, where, text, KEY_TERMS_USAGE)
    if asked is None:
        return
    poster, contract, as_of, caller = asked
    terms = bot.service.contracts.key_terms(contract, caller, as_of=as_of)
    poster.private(where, key_terms_blocks(terms), f"Key terms: {escape(terms.source)[:200]}")
    log.info(event_line("slack_key_terms", user=where.user, amendments=len(terms.amendments)))


def post_sla_schedule(bot: SlackBot, client, where: Where, text: str) -> None:
    asked = _asked(bot, client, where, text, SLA_USAGE)
    if asked is None:
        return
    poster, contract, as_of, caller = asked
    schedule = bot.service.contracts.sla_schedule(contract, caller, as_of=as_of)
    poster.private(where, sla_schedule_blocks(schedule), f"SLA schedule: {escape(schedule.contract_source)[:200]}")
    log.info(event_line("slack_sla_schedule", user=where.user, terms=len(schedule.terms), amendments=len(schedule.amendments)))


def _asked(bot: SlackBot, client, where: Where, text: str, usage: str):
    """(poster, contract, as_of, caller) for a private reply; None once the usage or a refusal is posted."""
    poster = Poster(client)
    found = _request(poster, where, text, usage)
    if found is None:
        return None
    scope = contract_reader_scope(bot, client, poster, where)  # private reply: the asker's own roles
    if scope is None:
        return None
    return poster, found[0], found[1], scope.caller


def _request(poster: Poster, where: Where, text: str, usage: str) -> tuple[str, str | None] | None:
    """(contract name, as_of) from the command text; None once the usage is posted."""
    as_of, contract = split_as_of(" ".join((text or "").split()))
    contract = contract.strip(" :,")
    if not contract:
        poster.notice(where, usage)
        return None
    return contract, as_of
