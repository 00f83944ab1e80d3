"""A small thread-safe mapping whose entries expire and whose size is bounded.

One instance per purpose, owned by the SlackBot (never a module global): channel members, event
ids already seen, answers that buttons refer to, threads the bot is part of.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class TTLCache:
    def __init__(self, ttl_seconds: float, max_items: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl_seconds
        self.max_items = max_items
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            entry = self._items.get(key, _MISSING)
            if entry is _MISSING:
                return default
            expires, value = entry
            if expires <= self._clock():
                del self._items[key]
                return default
            return value

    def set(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._store(key, value)

    def add(self, key: Hashable) -> bool:
        """Remember `key`; True when it was not already present (an atomic check-and-set)."""
        with self._lock:
            entry = self._items.get(key, _MISSING)
            if entry is not _MISSING and entry[0] > self._clock():
                return False
            self._store(key, True)
            return True

    def __contains__(self, key: Hashable) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def _store(self, key: Hashable, value: Any) -> None:
        now = self._clock()
        self._items.pop(key, None)
        self._items[key] = (now + self.ttl, value)
        # Oldest first: drop expired entries, then the oldest live ones beyond the bound.
        while self._items:
            first_key, (expires, _) = next(iter(self._items.items()))
            if expires > now and len(self._items) <= self.max_items:
                break
            del self._items[first_key]
