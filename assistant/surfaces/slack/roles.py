"""Who is asking and who else will read the reply, in Slack: a channel's scope is its configured
audience or, when not configured, what every member (`conversations.members`, cached briefly) may
read. A direct message has no scope beyond the asker's own roles. The rules (roles of a person,
least privilege, restricted citations) are assistant.access.audience's.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from assistant.logs import event_line, logger
from assistant.access.audience import Audience, Denied
from assistant.models import Caller
from assistant.surfaces.slack.cache import TTLCache

MEMBER_PAGES = 50  # 50 x 1000 members; a bigger channel is treated as unknown (fail closed)

log = logger("slack")


# How Slack words each reason access.audience gives for answering nothing here.
DENIALS = {
    Denied.NO_ROLES: "You don't have access to any documents yet. Ask an admin to map your Slack account to a role.",
    Denied.AUDIENCE_UNKNOWN: "I can't see who is in this channel, so I can't answer here. Invite me to the channel, or ask me in a DM.",
    Denied.NOTHING_SHARED: "Not everyone in this channel may read the documents you can. Ask me in a DM instead.",
}


@dataclass(frozen=True)
class Scope:
    """The caller to retrieve as, or the reason (already safe mrkdwn) they get nothing here."""

    caller: Caller | None
    denial: str | None = None
    narrowed: frozenset[str] = frozenset()  # collections the asker may read but the channel may not


class ChannelAudience:
    """A channel's members as Slack lists them (cached briefly), and the scope of one request;
    the rules themselves are assistant.access.audience's."""

    def __init__(self, rules: Audience, member_ttl_seconds: float = 60):
        self.rules = rules
        self._members = TTLCache(member_ttl_seconds, max_items=2_000)

    # -- channels ---------------------------------------------------------------------------
    def channel_scope(self, client, channel: str, asker: str, bot_user_id: str | None, fresh: bool = False) -> frozenset[str] | None:
        """What every member of `channel` may read; None when the members can't be known."""
        configured = self.rules.configured_scope(channel)
        if configured is not None:
            return configured
        members = self.members(client, channel, fresh)
        if members is None:
            return None
        people = {m for m in members if m and m != bot_user_id} | {asker}
        return self.rules.shared_by(people)

    def members(self, client, channel: str, fresh: bool = False) -> tuple[str, ...] | None:
        cached = None if fresh else self._members.get(channel)
        if cached is not None:
            return cached
        found: list[str] = []
        cursor = None
        try:
            for _ in range(MEMBER_PAGES):
                page = client.conversations_members(channel=channel, limit=1000, cursor=cursor)
                found += page.get("members") or []
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
            else:
                log.warning(event_line("slack_members_truncated", channel=channel))
                return None
        except SlackApiError as exc:
            log.warning(event_line("slack_members_failed", channel=channel, error=exc.response.get("error")))
            return None
        members = tuple(found)
        self._members.set(channel, members)
        return members

    # -- the caller for one request ---------------------------------------------------------
    def scope(self, client, *, user: str, channel: str, is_dm: bool, bot_user_id: str | None,
              channel_wide: bool, fresh: bool = False, external: bool = False) -> Scope:
        """`channel_wide`: the reply may be seen by (or shared with) the channel, so narrow to it.
        What the reply may draw on is decided by assistant.access.audience; this words a denial."""
        roles = self.rules.user_roles(user, external)
        private = is_dm or not channel_wide
        audience = None if private else (lambda: self.channel_scope(client, channel, user, bot_user_id, fresh))
        decided = self.rules.reply_scope(roles, audience)
        if decided.denied is not None:
            return Scope(None, DENIALS[decided.denied])
        return Scope(Caller(id=user, roles=roles, surface="slack", restrict_to=decided.restrict_to),
                     narrowed=decided.narrowed)


def is_external(event: dict, home_team: str | None) -> bool:
    """A Slack Connect user: the event names their workspace and it is not the one we serve."""
    team = event.get("user_team")
    return bool(team) and bool(home_team) and team != home_team
