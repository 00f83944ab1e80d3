"""The server-side session store: signed ids, expiry, ending, bounded size."""

from __future__ import annotations

from assistant.surfaces.web import sessions as mod
from assistant.surfaces.web.sessions import SessionStore


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def test_a_cookie_finds_its_session_and_only_its_own():
    store = SessionStore()
    session, cookie = store.create("key-abc", frozenset({"legal"}))
    assert store.find(cookie) is session and session.caller().roles == {"legal"}
    sid, mac = cookie.split(".")
    altered = mac[:-1] + ("1" if mac[-1] == "0" else "0")  # one character off (a fixed "0" was the mac 1 in 16)
    assert store.find(sid) is None and store.find(f"{sid}.{altered}") is None and store.find("") is None
    # A cookie signed by another server (another secret) names nothing here.
    assert SessionStore().find(cookie) is None


def test_idle_and_old_sessions_expire_and_ended_ones_are_gone():
    clock = Clock()
    store = SessionStore(clock=clock)
    _, cookie = store.create("key-abc", frozenset({"legal"}))
    clock.now += mod.IDLE_SECONDS - 10
    assert store.find(cookie) is not None  # use keeps it alive
    clock.now += mod.IDLE_SECONDS + 1
    assert store.find(cookie) is None
    session, cookie = store.create("key-abc", frozenset({"legal"}))
    for _ in range(4):
        clock.now += mod.IDLE_SECONDS - 10
        store.find(cookie)
    assert store.find(cookie) is None  # past the absolute limit, however active
    session, cookie = store.create("key-abc", frozenset({"legal"}))
    store.end(session)
    assert store.find(cookie) is None


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(mod, "MAX_SESSIONS", 3)
    clock = Clock()
    store = SessionStore(clock=clock)
    cookies = []
    for _ in range(4):
        clock.now += 1
        cookies.append(store.create("k", frozenset({"legal"}))[1])
    assert store.find(cookies[0]) is None and all(store.find(c) for c in cookies[1:])
