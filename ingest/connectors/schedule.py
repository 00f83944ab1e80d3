"""The scheduled sync of `bpo-assistant serve`: a background thread that syncs every connector
source at start and then every `sync.interval_minutes`. A run that fails (a source down, the
ingest lock held by an upload) is logged and simply tried again at the next tick."""

from __future__ import annotations

import threading
from collections.abc import Callable
from assistant.logs import event_line, logger


log = logger("sync")


class SyncSchedule:
    def __init__(self, run: Callable[[], object], interval_s: float):
        self._run = run
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sync-schedule", daemon=True)
        self.runs = 0

    def start(self) -> "SyncSchedule":
        self._thread.start()
        return self

    def stop(self, wait_s: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(wait_s)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                report = self._run()
                partial = getattr(report, "partial", False)
                log.info(event_line("scheduled_sync", status="partial" if partial else "complete",
                                    new_conflicts=len(getattr(report, "new_conflicts", []))))
            except Exception as exc:  # noqa: BLE001 - the schedule outlives one bad run
                log.warning(event_line("scheduled_sync", status="failed", error=type(exc).__name__))
            self.runs += 1
            self._stop.wait(self.interval_s)
