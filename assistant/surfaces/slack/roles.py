"""Who is asking and who else will read the reply: Slack users and channels -> roles -> collections.

- A user's roles come from `slack.users[user_id]`, else `slack.default_roles`.
- A channel's *scope* is what every member may read: the configured audience
  (`slack.channels[channel_id]`, each role counted as a separate reader) or, when not configured,
  the intersection over the channel's members (`conversations.members`, cached briefly).
  A direct message has no scope beyond the asker's own roles.
- A citation is *restricted* (never posted publicly) when it is a contract (msa/sow/dpa/contract),
  lives in the `contracts` collection, or in a collection not every default role may read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from assistant.models import Caller
from assistant.surfaces.slack.cache import TTLCache

RESTRICTED_DOC_TYPES = frozenset({"msa", "sow", "dpa", "contract"})
RESTRICTED_COLLECTIONS = frozenset({"contracts"})
MEMBER_PAGES = 50  # 50 x 1000 members; a bigger channel is treated as unknown (fail closed)

log = logging.getLogger("assistant.slack")


@dataclass(frozen=True)
class Scope:
    """The caller to retrieve as, or the reason (already safe mrkdwn) they get nothing here."""

    caller: Caller | None
    denial: str | None = None
    narrowed: frozenset[str] = frozenset()  # collections the asker may read but the channel may not


class Audience:
    def __init__(self, settings, access, member_ttl_seconds: float = 60):
        self.slack = settings.slack
        self.access = access
        self._members = TTLCache(member_ttl_seconds, max_items=2_000)

    # -- roles ------------------------------------------------------------------------------
    def user_roles(self, user_id: str, external: bool = False) -> frozenset[str]:
        """Mapped roles, else the default roles - which are for our own workspace's people only."""
        roles = self.slack.users.get(user_id)
        if roles is None:
            roles = [] if external else self.slack.default_roles
        return frozenset(r for r in roles if r)

    def readable(self, roles: Iterable[str]) -> frozenset[str]:
        return frozenset(self.access.readable_by_roles(set(roles)))

    def common_to_each_role(self, roles: Iterable[str]) -> frozenset[str]:
        """Collections every one of `roles` may read on its own (least privilege over an audience)."""
        sets = [self.readable({r}) for r in roles if r]
        return frozenset.intersection(*sets) if sets else frozenset()

    def public_collections(self) -> frozenset[str]:
        return self.common_to_each_role(self.slack.default_roles)

    # -- channels ---------------------------------------------------------------------------
    def channel_scope(self, client, channel: str, asker: str, bot_user_id: str | None, fresh: bool = False) -> frozenset[str] | None:
        """What every member of `channel` may read; None when the members can't be known."""
        configured = self.slack.channels.get(channel)
        if configured is not None:
            return self.common_to_each_role(configured)
        members = self.members(client, channel, fresh)
        if members is None:
            return None
        people = {m for m in members if m and m != bot_user_id} | {asker}
        return frozenset.intersection(*(self.readable(self.user_roles(m)) for m in people))

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
                log.warning("slack_members_truncated channel=%s", channel)
                return None
        except SlackApiError as exc:
            log.warning("slack_members_failed channel=%s error=%s", channel, exc.response.get("error"))
            return None
        members = tuple(found)
        self._members.set(channel, members)
        return members

    # -- the caller for one request ---------------------------------------------------------
    def scope(self, client, *, user: str, channel: str, is_dm: bool, bot_user_id: str | None,
              channel_wide: bool, fresh: bool = False, external: bool = False) -> Scope:
        """`channel_wide`: the reply may be seen by (or shared with) the channel, so narrow to it."""
        roles = self.user_roles(user, external)
        own = self.readable(roles)
        if not own:
            return Scope(None, "You don't have access to any documents yet. Ask an admin to map your Slack account to a role.")
        if is_dm or not channel_wide:
            return Scope(Caller(id=user, roles=roles, surface="slack"))
        shared = self.channel_scope(client, channel, user, bot_user_id, fresh)
        if shared is None:
            return Scope(None, "I can't see who is in this channel, so I can't answer here. Invite me to the channel, or ask me in a DM.")
        if not own & shared:
            return Scope(None, "Not everyone in this channel may read the documents you can. Ask me in a DM instead.")
        caller = Caller(id=user, roles=roles, surface="slack", restrict_to=frozenset(shared))
        return Scope(caller, narrowed=own - shared)

    # -- citations --------------------------------------------------------------------------
    def is_restricted(self, citation, collections: Iterable[str]) -> bool:
        collections = set(collections)
        if citation.doc_type in RESTRICTED_DOC_TYPES or not collections:
            return True  # a citation we can't place is treated as restricted (fail closed)
        public = self.public_collections()
        return any(c in RESTRICTED_COLLECTIONS or c not in public for c in collections)


def is_external(event: dict, home_team: str | None) -> bool:
    """A Slack Connect user: the event names their workspace and it is not the one we serve."""
    team = event.get("user_team")
    return bool(team) and bool(home_team) and team != home_team
