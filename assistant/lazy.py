"""Parts of an object made on first use: a command that never embeds never loads the clause
taxonomy, the ingest pipeline or the drafting templates."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Parts(dict[str, Callable[[], object]]):
    """Part name -> the factory that makes it (given by the composition root, assistant.wiring)."""


class LazyPart:
    """A data descriptor: reading `obj.name` the first time calls `obj.parts[name]()` once (under
    a lock shared by the object's parts, as HTTP requests run in threads); assigning sets the part.

    As the default of a dataclass field (`field(default=LazyPart())`) it stays an `__init__`
    argument, so `dataclasses.replace(obj, name=part)` works: None (or no value) means "make it".
    """

    _lock = threading.RLock()  # re-entrant: making one part may read another

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        made = obj.__dict__
        if self.name not in made:
            with self._lock:
                if self.name not in made:
                    made[self.name] = obj.parts[self.name]()
        return made[self.name]

    def __set__(self, obj, value) -> None:
        if value is None or value is self:  # the field's default: made on first use
            obj.__dict__.pop(self.name, None)
        else:
            obj.__dict__[self.name] = value
