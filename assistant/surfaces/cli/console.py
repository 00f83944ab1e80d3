"""Rich consoles made on first use: importing rich costs time that `--help` and argument errors
don't need, and most commands print through these objects only after their work is done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any


class LazyConsole:
    """Stands in for a `rich.console.Console`; the real one is built by `make` at the first use."""

    def __init__(self, make: Callable[[], Any]):
        self._make = make
        self._console = None
        self._replaced: dict[str, Any] = {}  # settings changed through the proxy, with their first values

    @property
    def console(self):
        if self._console is None:
            self._console = self._make()
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.console, name)

    def __setattr__(self, name: str, value) -> None:
        # Settings such as `width` (tests, wide reports) belong to the console itself.
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        self._replaced.setdefault(name, getattr(self.console, name))
        setattr(self.console, name, value)

    def __delattr__(self, name: str) -> None:
        # Undoing a setting (what monkeypatch does) puts the console's own value back.
        if name not in self._replaced:
            raise AttributeError(name)
        setattr(self.console, name, self._replaced.pop(name))


def terminal(stderr: bool = False) -> LazyConsole:
    def make():
        from rich.console import Console

        return Console(stderr=stderr)

    return LazyConsole(make)


def short_time(iso: str) -> str:
    """'2026-11-24 02:17' (UTC) for a stored ISO time; the seconds and offset only take width."""
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return (parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed).strftime("%Y-%m-%d %H:%M")
