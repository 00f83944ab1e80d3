"""Who else reads a reply, and what it may show them.

- A person's roles come from `slack.users[id]`, else `slack.default_roles` (our own workspace's
  people only: someone from another workspace gets none).
- An audience's *scope* is what every reader may read: each configured role counted as a separate
  reader (least privilege), or the intersection over the people who will see the reply.
- A citation is *restricted* (never shown to a wider audience) when it is a contract, lives in a
  collection that holds contracts, or in a collection not every default role may read. Which
  collections hold contracts is read from the index, so no collection name is special. An answer
  is restricted when a citation is, or when, refusing, it names a restricted document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from assistant.access.policy import AccessPolicy
from assistant.config import Settings
from assistant.models import CONTRACT_DOC_TYPES


class Denied(str, Enum):
    """Why a request gets nothing (each surface words it)."""

    NO_ROLES = "no_roles"  # the asker's roles read no collection
    AUDIENCE_UNKNOWN = "audience_unknown"  # a reply for a channel whose members can't be known
    NOTHING_SHARED = "nothing_shared"  # the channel's members share nothing the asker may read


@dataclass(frozen=True)
class ReplyScope:
    """What one reply may draw on: `readable` (the asker's collections, narrowed to the audience's
    when `restrict_to` is set), or why there is nothing (`denied`)."""

    roles: frozenset[str]
    denied: Denied | None = None
    restrict_to: frozenset[str] | None = None
    narrowed: frozenset[str] = frozenset()  # collections the asker may read but the audience may not


class Audience:
    def __init__(self, settings: Settings, policy: AccessPolicy,
                 contract_collections: Callable[[], Iterable[str]] = frozenset):
        self.people = settings.slack  # the roles of people, defaults and configured channel audiences
        self.policy = policy
        self._contract_collections = contract_collections

    # -- roles ------------------------------------------------------------------------------
    def user_roles(self, user_id: str, external: bool = False) -> frozenset[str]:
        """Mapped roles, else the default roles - which are for our own workspace's people only."""
        roles = self.people.users.get(user_id)
        if roles is None:
            roles = [] if external else self.people.default_roles
        return frozenset(r for r in roles if r)

    def readable(self, roles: Iterable[str]) -> frozenset[str]:
        return frozenset(self.policy.readable_by_roles(set(roles)))

    def common_to_each_role(self, roles: Iterable[str]) -> frozenset[str]:
        """Collections every one of `roles` may read on its own (least privilege over an audience)."""
        sets = [self.readable({r}) for r in roles if r]
        return frozenset.intersection(*sets) if sets else frozenset()

    def public_collections(self) -> frozenset[str]:
        return self.common_to_each_role(self.people.default_roles)

    # -- audiences --------------------------------------------------------------------------
    def reply_scope(self, roles: frozenset[str], audience: Callable[[], frozenset[str] | None] | None) -> ReplyScope:
        """The scope of a reply to someone with `roles`. `audience`: None for a reply only they see
        (their own roles decide); else what every other reader may read, asked only when needed
        (None when the readers can't be known: then nothing, never a guess)."""
        own = self.readable(roles)
        if not own:
            return ReplyScope(roles, Denied.NO_ROLES)
        if audience is None:
            return ReplyScope(roles)
        shared = audience()
        if shared is None:
            return ReplyScope(roles, Denied.AUDIENCE_UNKNOWN)
        if not own & shared:
            return ReplyScope(roles, Denied.NOTHING_SHARED)
        return ReplyScope(roles, restrict_to=frozenset(shared), narrowed=own - shared)

    def configured_scope(self, channel: str) -> frozenset[str] | None:
        """The scope of a channel whose audience is configured; None when it is not."""
        configured = self.people.channels.get(channel)
        return None if configured is None else self.common_to_each_role(configured)

    def shared_by(self, people: Iterable[str]) -> frozenset[str]:
        """What every one of `people` may read (at least one person)."""
        return frozenset.intersection(*(self.readable(self.user_roles(p)) for p in people))

    # -- citations --------------------------------------------------------------------------
    def contract_collections(self) -> frozenset[str]:
        return frozenset(self._contract_collections())

    def reads_no_contracts(self, roles: Iterable[str]) -> bool:
        """Contracts are indexed and `roles` may read none of the collections holding them."""
        holding = self.contract_collections()
        return bool(holding) and not self.readable(roles) & holding

    def is_restricted(self, citation, collections: Iterable[str]) -> bool:
        collections = set(collections)
        if citation.doc_type in CONTRACT_DOC_TYPES or not collections:
            return True  # a citation we can't place is treated as restricted (fail closed)
        public = self.public_collections()
        holding = self.contract_collections()
        return any(c in holding or c not in public for c in collections)

    def restricts_answer(self, answer, readable_documents: Callable[[], Iterable]) -> bool:
        """Whether `answer` must stay with its asker: it cites a restricted passage, or it is a
        refusal naming its closest documents and one of them is restricted (naming a contract is
        as sensitive as citing it). `readable_documents`: the asker's documents (DocumentInfo),
        listed only for a refusal that names some."""
        # A citation without a collection can't be placed: is_restricted treats it as restricted.
        if any(self.is_restricted(c, {c.collection} - {""}) for c in answer.citations):
            return True
        if answer.grounded or not answer.closest_sources:
            return False
        named = [d for d in readable_documents() if d.title in answer.closest_sources]
        return not named or any(self.is_restricted(d, {d.collection}) for d in named)
