"""Caller -> the collections they may read. Deny by default: no role, no collections.

This is the only place that decides visibility; retrieval asks it for the collection list and
queries nothing else, so both the dense and the lexical side see only allowed chunks.
"""

from __future__ import annotations

from assistant.config import ADMIN_ROLE, Settings
from assistant.errors import InvalidInput
from assistant.models import Caller


class AccessPolicy:
    def __init__(self, settings: Settings, known_collections=lambda: []):
        self.settings = settings
        self._known = known_collections  # collections that exist in the store (for admin)

    def readable(self, caller: Caller) -> list[str]:
        roles = {r for r in caller.roles if r}
        if not roles:
            return []
        if ADMIN_ROLE in roles:
            allowed = set(self.every_collection())
        else:
            allowed = {c for c, readers in self.settings.collections.items() if roles & set(readers)}
        if caller.restrict_to is not None:
            allowed &= set(caller.restrict_to)
        return sorted(allowed)

    def readable_by_roles(self, roles: set[str]) -> list[str]:
        return self.readable(Caller(roles=frozenset(roles)))

    def limited(self, caller: Caller) -> bool:
        """Whether some collection is closed to the caller (a refusal then says the answer may be
        in documents outside their access)."""
        return bool(set(self.every_collection()) - set(self.readable(caller)))

    def every_collection(self) -> list[str]:
        """The configured collections and those that exist in the store (admin reads them all)."""
        return sorted(set(self.settings.collections) | set(self._known()))

    def can_read(self, caller: Caller, collection: str) -> bool:
        return collection in self.readable(caller)

    def can_manage(self, caller: Caller) -> bool:
        """Uploading, deleting and re-scanning change what everyone sees: admin only."""
        return ADMIN_ROLE in caller.roles

    def known_roles(self) -> set[str]:
        roles = {ADMIN_ROLE}
        for allowed in self.settings.collections.values():
            roles.update(allowed)
        return roles

    def check_roles(self, roles) -> None:
        """InvalidInput naming the known roles when a role is unknown: a misspelt role would
        otherwise read nothing and look like an empty index."""
        known = self.known_roles()
        unknown = sorted(r for r in roles if r and r not in known)
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise InvalidInput(f"unknown role{plural} {', '.join(unknown)} (known roles: {', '.join(sorted(known))})")
