"""The ingest lock: two ingests never interleave their writes to one store; and the embedded
store's writer claim: one process at a time writes an embedded data directory.

Embedded mode: an exclusive OS file lock on `<home>/ingest.lock` (the kernel releases it when
the holder dies, even by SIGKILL). Server mode: a lease record in the tiny Chroma collection
`bpo__locks`, visible to ingest processes on every machine, renewed by a background thread and
expiring after `ttl_s` without renewal, so a crashed ingest's lease lapses on its own.

A second ingest does not queue behind the first: it fails at once with `IngestBusy`, whose
message names the holder (a scheduled run simply tries again next time; an HTTP caller gets a
clear error instead of a request that hangs for minutes). Pass `wait_s` to wait instead.

Lease protocol (Chroma has no compare-and-swap, but `add` of an existing id is ignored, so the
first writer of an id wins): lease records are numbered slots `ingest.<n>`. To acquire, read the
highest slot; if it is held and unexpired, the lock is busy; otherwise add slot n+1, read back,
and hold it only if it is ours *and* still the highest slot. Release marks the slot expired
(slots are never reused, so a slow contender that read an old maximum cannot win a stale slot).
Expiry compares wall clocks: the machines need NTP-synchronised time (seconds of skew are fine
against the default 60 s TTL).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.logs import event_line, logger
from assistant.errors import AssistantError

log = logger("locks")

LOCKS_COLLECTION = "bpo__locks"
INGEST = "ingest"
DEFAULT_TTL_S = 60.0


class IngestBusy(AssistantError):
    """Another ingest holds the lock (HTTP: 409)."""

    code = "ingest_busy"


def _holder() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def _busy(holder: dict) -> IngestBusy:
    who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')} since {holder.get('since', '?')}"
    return IngestBusy(f"another ingest is running ({who}); try again when it has finished")


# -- embedded mode: a file lock ------------------------------------------------------------------

@contextmanager
def file_lock(home: Path, wait_s: float = 0.0):
    from filelock import FileLock, Timeout

    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(home / "ingest.lock"))
    owner = home / "ingest.lock.json"
    try:
        lock.acquire(timeout=wait_s)
    except Timeout:
        try:
            holder = json.loads(owner.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            holder = {}
        raise _busy(holder) from None
    try:
        owner.write_text(json.dumps(_holder()), encoding="utf-8")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()


# -- server mode: a lease in Chroma -------------------------------------------------------------

# What the lease collection is created with (its metadata only labels it).
LEASE_METADATA = {"purpose": "bpo-assistant leases"}
# opener(name, metadata) -> a Chroma collection that never embeds text (the records carry only
# metadata): VectorStore.records_collection, passed in so ingest does not reach into the store module.
RecordsOpener = Callable[[str, dict], Any]


class ChromaLease:
    def __init__(self, open_records: RecordsOpener, name: str = INGEST, ttl_s: float = DEFAULT_TTL_S):
        self.open_records = open_records
        self.name = name
        self.ttl_s = ttl_s
        self.owner = uuid.uuid4().hex
        self.slot_id: str | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _collection(self):
        # l2 space and a 1-d dummy vector: the records carry only metadata.
        return self.open_records(LOCKS_COLLECTION, LEASE_METADATA)

    def _slots(self, col) -> list[tuple[int, str, dict]]:
        got = col.get(where={"lock": self.name}, include=["metadatas"])
        return sorted((int(m["slot"]), i, m) for i, m in zip(got["ids"], got["metadatas"]))

    def try_acquire(self) -> dict | None:
        """None when acquired, else the current holder's details."""
        col = self._collection()
        slots = self._slots(col)
        top = slots[-1] if slots else None
        if top and top[2]["expires_at"] > time.time() and top[2]["owner"] != self.owner:
            return top[2]
        n = top[0] + 1 if top else 0
        slot_id = f"{self.name}.{n}"
        meta = {"lock": self.name, "slot": n, "owner": self.owner, "expires_at": time.time() + self.ttl_s, **_holder()}
        col.add(ids=[slot_id], embeddings=[[1.0]], metadatas=[meta])
        slots = self._slots(col)
        top = slots[-1]
        if top[1] != slot_id or top[2]["owner"] != self.owner:
            return top[2]  # lost the race: someone else wrote this slot or a later one first
        self.slot_id = slot_id
        stale = [i for s, i, _ in slots if s < n]
        if stale:
            col.delete(ids=stale)
        return None

    def acquire(self, wait_s: float = 0.0) -> None:
        deadline = time.monotonic() + wait_s
        while True:
            holder = self.try_acquire()
            if holder is None:
                break
            if time.monotonic() >= deadline:
                raise _busy(holder)
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_loop, name="ingest-lease", daemon=True)
        self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.ttl_s / 3):
            try:
                self._write_expiry(time.time() + self.ttl_s)
            except Exception as exc:  # the server is briefly unreachable: the next renewal may succeed
                log.warning(event_line("lease_renew_failed", lock=self.name, error=type(exc).__name__))

    def _write_expiry(self, expires_at: float) -> None:
        col = self._collection()
        got = col.get(ids=[self.slot_id], include=["metadatas"])
        if not got["ids"]:
            return
        meta = dict(got["metadatas"][0])
        meta["expires_at"] = expires_at
        col.update(ids=[self.slot_id], metadatas=[meta])

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        if self.slot_id is not None:
            try:
                self._write_expiry(0.0)
            except Exception as exc:  # it lapses by itself after ttl_s
                log.warning(event_line("lease_release_failed", lock=self.name, error=type(exc).__name__))
            self.slot_id = None


@contextmanager
def chroma_lease(open_records: RecordsOpener, name: str = INGEST, ttl_s: float = DEFAULT_TTL_S, wait_s: float = 0.0):
    lease = ChromaLease(open_records, name, ttl_s)
    lease.acquire(wait_s)
    try:
        yield lease
    finally:
        lease.release()


# -- embedded mode: one writing process --------------------------------------------------------

class HomeInUse(AssistantError):
    """Another process writes this embedded data directory (HTTP: 409; CLI: exit 1)."""

    code = "home_in_use"


@dataclass
class _Claim:
    fd: int
    purpose: str
    count: int = 0


_claims: dict[str, _Claim] = {}
_claims_guard = threading.Lock()
WRITER_LOCK = "embedded-writer.lock"


def claim_embedded_home(home: Path, purpose: str) -> None:
    """Make this process the one that writes the embedded store in `home` (re-entrant within the
    process; HomeInUse when another process holds it).

    Embedded Chroma keeps each collection's vector index in the memory of the process that opened
    it: a second process writing the same directory leaves the first one serving an index that
    lacks the new chunks ("Error finding id" on a filtered search) until it restarts. So a server
    claims its home for as long as it runs and an ingest for as long as it runs; a CLI ingest
    into a home a running server holds is refused, naming the server. Readers need no claim.
    """
    import fcntl

    key = os.path.realpath(home)
    with _claims_guard:
        claim = _claims.get(key)
        if claim is None:
            Path(home).mkdir(parents=True, exist_ok=True)
            fd = os.open(os.path.join(key, WRITER_LOCK), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_holder(fd)
                os.close(fd)
                raise _in_use(key, holder) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({**_holder(), "purpose": purpose}).encode(), 0)
            claim = _claims[key] = _Claim(fd, purpose)
        claim.count += 1


def release_embedded_home(home: Path) -> None:
    import fcntl

    key = os.path.realpath(home)
    with _claims_guard:
        claim = _claims.get(key)
        if claim is None:
            return
        claim.count -= 1
        if claim.count <= 0:
            del _claims[key]
            os.ftruncate(claim.fd, 0)
            fcntl.flock(claim.fd, fcntl.LOCK_UN)
            os.close(claim.fd)


@contextmanager
def embedded_writer(home: Path, purpose: str):
    claim_embedded_home(home, purpose)
    try:
        yield
    finally:
        release_embedded_home(home)


def _read_holder(fd: int) -> dict:
    try:
        return json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}


def _in_use(home: str, holder: dict) -> HomeInUse:
    who = f"{holder.get('purpose', 'another process')} (pid {holder.get('pid', '?')} since {holder.get('since', '?')})"
    advice = ("ingest through it (POST /v1/ingest, POST /v1/documents) or stop it first"
              if holder.get("purpose") == "server" else "try again when it has finished")
    return HomeInUse(f"the data directory {home} is being written by {who}: {advice}; embedded Chroma takes one "
                     f"writing process (store.mode: server takes several)")


# -- the one entry point ------------------------------------------------------------------------

@contextmanager
def ingest_lock(settings, store, wait_s: float = 0.0):
    """Held around a whole ingest run; raises IngestBusy when another run holds it (and, embedded,
    HomeInUse when another process is the store's writer)."""
    if settings.store.mode == "server":
        with chroma_lease(store.records_collection, wait_s=wait_s):
            yield
    else:
        with embedded_writer(Path(settings.home), "ingest"), file_lock(Path(settings.home), wait_s=wait_s):
            yield
