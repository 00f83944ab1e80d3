"""Web sessions: a signed, random session id in the cookie; who signed in (key label and roles),
the CSRF token and the Ask threads on the server. The API key itself is never kept.

The store is in memory, per process: a restart signs everyone out, and several workers need
sticky sessions (or one worker). Swapping this class for a shared store changes nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from assistant.models import Caller

COOKIE = "bpo_session"
IDLE_SECONDS = 8 * 3600
MAX_AGE_SECONDS = 24 * 3600
MAX_SESSIONS = 10_000  # a flood of sign-ins evicts the oldest sessions instead of growing memory


@dataclass
class Thread:
    """One Ask conversation: its turns (question, answer) in order."""

    id: str
    turns: list = field(default_factory=list)  # assistant.surfaces.web.ask.AskedTurn


@dataclass
class Session:
    id: str
    label: str  # the key's label ("key-3f2a9c1e0b"), what logs and audit show
    roles: frozenset[str]
    csrf: str
    created: float
    seen: float
    threads: dict[str, Thread] = field(default_factory=dict)
    flash: object | None = None  # one message for the next page (e.g. an ingest summary)

    def caller(self) -> Caller:
        return Caller(id=self.label, roles=self.roles, surface="web")


class SessionStore:
    def __init__(self, secret: bytes | None = None, clock=time.time):
        self._secret = secret or secrets.token_bytes(32)
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, label: str, roles: frozenset[str]) -> tuple[Session, str]:
        """A new session and the cookie value that names it."""
        now = self._clock()
        session = Session(secrets.token_urlsafe(24), label, roles, secrets.token_urlsafe(24), now, now)
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions.values(), key=lambda s: s.seen)
                self._sessions.pop(oldest.id, None)
            self._sessions[session.id] = session
        return session, self._sign(session.id)

    def find(self, cookie: str | None) -> Session | None:
        """The live session a cookie value names, or None (unsigned, forged, expired or ended)."""
        sid = self._verified(cookie or "")
        if sid is None:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(sid)
            if session is None:
                return None
            if now - session.seen > IDLE_SECONDS or now - session.created > MAX_AGE_SECONDS:
                self._sessions.pop(sid, None)
                return None
            session.seen = now
            return session

    def end(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session.id, None)

    def _sign(self, sid: str) -> str:
        return f"{sid}.{self._mac(sid)}"

    def _verified(self, cookie: str) -> str | None:
        sid, _, mac = cookie.partition(".")
        if not sid or not mac or len(cookie) > 200:
            return None
        return sid if hmac.compare_digest(mac, self._mac(sid)) else None

    def _mac(self, sid: str) -> str:
        return hmac.new(self._secret, sid.encode("ascii", "replace"), hashlib.sha256).hexdigest()[:32]


def tokens_match(sent: str | None, expected: str) -> bool:
    return bool(sent) and hmac.compare_digest(sent.encode(), expected.encode())
