"""The canary matrix through the real surfaces: the HTTP API (uvicorn on 127.0.0.1, API keys from
BPO_API_KEYS) and the Slack bot (signed requests in, a local stand-in for the Slack Web API out).

Roles are resolved server-side only: an API key's roles, a Slack user's mapping (or the default
roles), narrowed to what every member of a channel may read. Whatever comes back, in a response
body or in any message the bot sends, must hold no document of a collection that audience may
not read, and no secret.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import env_vars
from tests.security.canaries import BY_SOURCE, CANARIES, ROLE_SETS, assert_clean, readable, role_label, secrets_in
from tests.security.conftest import SLACK_CHANNELS, SLACK_USERS
from tests.slack.conftest import SECRET as SLACK_SECRET
from tests.slack.conftest import LiveServer, SlackClient, all_text, button_value
from tests.slack.fake_slack import BOT_USER, FakeSlack

COUNTS: dict[str, int] = {}

# -- the HTTP side: one key per role set (an entry with no role is refused by the parser) ------
KEYS: dict[frozenset[str], str] = {
    roles: "acl-" + "-".join(sorted(roles)).replace("_", "") + "-7Hq2" for roles in ROLE_SETS if any(roles)
}
API_KEYS = ",".join(f"{key}:{'+'.join(sorted(roles))}" for roles, key in KEYS.items())

# -- the Slack side ---------------------------------------------------------------------------
AGENT, LEGAL, PROC, COORD, HR, ADMIN_USER = "UAGENT01", "ULEGAL01", "UPROC001", "UCOORD01", "UHRPART1", "UADMIN01"
UNKNOWN, NOBODY, MULTI, GUEST = "UUNKNOWN", "UNOBODY1", "UMULTI01", "UGUEST01"  # GUEST: unmapped -> default roles
C_FLOOR = "CFLOOR001"  # members: a BPO agent and a coordinator
C_LEGAL_MIX = "CLEGALMX1"  # members: legal and a BPO agent
C_HR = "CHRTEAM01"  # configured audience: hr_partner
C_DARK = "CDARK0001"  # neither configured nor visible to the bot: members unknown
MEMBERS = {C_FLOOR: [AGENT, COORD, BOT_USER], C_LEGAL_MIX: [LEGAL, AGENT, BOT_USER]}


def count(kind: str, n: int = 1) -> None:
    COUNTS[kind] = COUNTS.get(kind, 0) + n


def user_roles(user: str) -> frozenset[str]:
    return frozenset(SLACK_USERS.get(user, ["internal"]))


def channel_allowed(channel: str) -> set[str]:
    """What every reader of a channel may read (configured audience roles, else the members)."""
    if channel in SLACK_CHANNELS:
        sets = [readable(frozenset({r})) for r in SLACK_CHANNELS[channel]]
    else:
        sets = [readable(user_roles(m)) for m in MEMBERS[channel] if m != BOT_USER]
    return set.intersection(*sets)


# -- servers ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.members.update(MEMBERS)
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def server(canary, fake_slack) -> Iterator[tuple[LiveServer, object]]:
    """One real app serving both surfaces over the canary index, with the contracts and drafting
    features wired by assistant.wiring (service.contracts / service.drafts)."""
    from assistant.surfaces.http import create_app

    service = canary.service
    env = {"BPO_API_KEYS": API_KEYS, "SLACK_BOT_TOKEN": "xoxb-acl-test-0000", "SLACK_SIGNING_SECRET": SLACK_SECRET,
           "SLACK_API_URL": fake_slack.api_url}
    with env_vars(env):
        app = create_app(service)
    assert getattr(app.state, "slack_bot", None) is not None, "create_app did not mount the Slack bot"
    live = LiveServer(app).start()
    yield live, service
    live.stop()


@pytest.fixture(scope="module")
def http(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0].url, timeout=60) as client:
        yield client


@pytest.fixture
def slack(server, fake_slack) -> Iterator[SlackClient]:
    fake_slack.reset()
    with SlackClient(server[0].url, fake_slack) as client:
        yield client


def auth(roles: frozenset[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[roles]}"}


# -- HTTP -------------------------------------------------------------------------------------

def test_api_keys_resolve_to_the_configured_roles_only():
    from assistant.config import ConfigError
    from assistant.surfaces.http.deps import parse_api_keys

    parsed = {k.label: k.roles for k in parse_api_keys("a-key-1:legal,a-key-2:bpo_agent+legal")}
    assert sorted(parsed.values(), key=len) == [frozenset({"legal"}), frozenset({"bpo_agent", "legal"})]
    for bad in ("a-key-1:", "a-key-1", ":legal", "a-key-1:+"):
        with pytest.raises(ConfigError):
            parse_api_keys(bad)


def test_no_key_or_a_wrong_key_reads_nothing(http, caplog):
    c = BY_SOURCE["contracts/acme-msa-termination.md"]
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {KEYS[frozenset({'legal'})]}"},
                    {"Authorization": "Bearer " + KEYS[frozenset({"legal"})] + "x"}):
        for path, body in (("/v1/search", {"query": c.token}), ("/v1/ask", {"question": c.question})):
            r = http.post(path, json=body, headers=headers)
            count("http")
            assert r.status_code == 401 and c.token not in r.text and c.title not in r.text
        assert http.get("/v1/documents", headers=headers).status_code == 401
    # The caller cannot pick its roles: there is no field for it, and unknown fields are refused.
    r = http.post("/v1/search", json={"query": c.token, "roles": ["admin"]}, headers=auth(frozenset({"bpo_agent"})))
    assert r.status_code == 422


@pytest.mark.parametrize("roles", list(KEYS), ids=role_label)
def test_http_search_and_ask_return_only_readable_collections(canary, http, roles, caplog):
    caplog.set_level(logging.DEBUG)
    allowed, headers = readable(roles), auth(roles)
    for c in CANARIES:
        for kind, text in (("token", c.token), ("topic", c.question)):
            r = http.post("/v1/search", json={"query": text, "k": 8}, headers=headers)
            count("http")
            assert r.status_code == 200, r.text
            results = r.json()["results"]
            what = f"POST /v1/search as {role_label(roles)} for {kind} of {c.source}"
            assert {canary.chunk_collection[x["chunk_id"]] for x in results} <= allowed, what
            assert_clean(r.text, allowed, what)
            if kind == "token":
                assert (c.source in {x["source"] for x in results}) == (c.collection in allowed), what
        r = http.post("/v1/ask", json={"question": c.question}, headers=headers)
        count("http")
        assert r.status_code == 200, r.text
        answer = r.json()
        assert {canary.chunk_collection[x["chunk_id"]] for x in answer["citations"]} <= allowed
        assert_clean(r.text, allowed, f"POST /v1/ask as {role_label(roles)}: {c.question}")
        if not allowed:
            assert answer["grounded"] is False and not answer["citations"] and not answer["closest_sources"]
    r = http.get("/v1/documents", headers=headers)
    count("http")
    count("http.matrix_roles")
    assert {d["source"] for d in r.json()["documents"]} == {c.source for c in CANARIES if c.collection in allowed}
    assert not secrets_in(caplog.text)


def test_http_streamed_ask_obeys_the_same_rule(canary, http):
    for roles in (frozenset({"bpo_agent"}), frozenset({"hr_partner"})):
        for c in CANARIES[::6]:
            r = http.post("/v1/ask", json={"question": c.question, "stream": True}, headers=auth(roles))
            count("http")
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
            assert_clean(r.text, readable(roles), f"streamed ask as {role_label(roles)}")


def test_http_filters_cannot_reach_other_collections(canary, http):
    msa = BY_SOURCE["contracts/acme-msa-termination.md"]
    for filters in ({"collection": ["contracts"]}, {"source": [msa.source]}, {"doc_type": ["msa", "contract"]}):
        r = http.post("/v1/search", json={"query": msa.token, "filters": filters}, headers=auth(frozenset({"bpo_agent"})))
        count("http")
        assert r.status_code == 200 and all(x["collection"] == "runbooks" for x in r.json()["results"])
        assert_clean(r.text, {"runbooks"}, f"filters {filters}")


def test_http_upload_delete_and_rescan_are_admin_only(canary, http):
    doc_id = canary.service.documents(canary_admin())[0].doc_id
    for roles in KEYS:
        if "admin" in roles:
            continue
        files = {"file": ("runbooks/planted.md", b"# Planted\n\nplanted text\n", "text/markdown")}
        assert http.post("/v1/documents", files=files, headers=auth(roles)).status_code == 403
        assert http.delete(f"/v1/documents/{doc_id}", headers=auth(roles)).status_code == 403
        assert http.post("/v1/ingest", headers=auth(roles)).status_code == 403
    assert canary.service.catalog.get(doc_id) is not None


def test_http_drafts_for_a_bpo_agent_hold_no_contract_text(canary, http):
    from tests.security.test_acl_features import INCIDENT

    for roles in (frozenset({"bpo_agent"}), frozenset({"hr_partner"})):
        for kind in ("rca", "escalation"):
            r = http.post(f"/v1/drafts/{kind}", json={"incident": INCIDENT}, headers=auth(roles))
            count("http")
            assert r.status_code == 200, r.text
            cited = {canary.chunk_collection.get(c["chunk_id"], "?") for c in r.json()["citations"]}
            assert cited <= readable(roles)
            assert_clean(r.text, readable(roles), f"/v1/drafts/{kind} as {role_label(roles)}")


@pytest.mark.parametrize("roles", list(KEYS), ids=role_label)
def test_http_contract_routes_return_only_readable_contracts(canary, http, roles):
    allowed, headers = readable(roles), auth(roles)
    for clause_type in ("Termination for Convenience", "Cap on Liability", "Audit Rights", "Insurance"):
        r = http.post("/v1/clauses", json={"type": clause_type, "k": 5}, headers=headers)
        count("http")
        assert r.status_code == 200, r.text
        assert {canary.chunk_collection[x["chunk_id"]] for x in r.json()["results"]} <= allowed
        assert_clean(r.text, allowed, f"/v1/clauses {clause_type} as {role_label(roles)}")
    sow = "contracts/lumen-sow-service-levels.md"
    for path, params in (("/v1/key-terms", {"contract": sow}), ("/v1/sla-schedule", {"contract": sow}),
                         ("/v1/obligations", {}), ("/v1/obligations", {"contract": sow})):
        r = http.get(path, params=params, headers=headers)
        count("http")
        # A 404 quotes the name the caller sent (the same message whether it exists or not).
        assert_clean(r.text, allowed, f"GET {path} as {role_label(roles)}", exclude=tuple(params.values()))
        if "contracts" not in allowed:
            assert r.status_code == 404 or r.json().get("sources") == [], (path, r.status_code, r.text[:200])
        else:
            assert r.status_code == 200, (path, r.text[:300])


def canary_admin():
    from tests.security.conftest import admin_caller

    return admin_caller()


# -- Slack ------------------------------------------------------------------------------------

def _replies(fake: FakeSlack, timeout: float = 60, **match) -> list:
    """Every chat.postMessage / chat.postEphemeral matching `match`, once at least one arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = fake.calls_to("chat.postMessage", **match) + fake.calls_to("chat.postEphemeral", **match)
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no reply {match} within {timeout}s")


def _check_all_calls(fake: FakeSlack) -> None:
    """No secret in anything the bot sent anywhere (messages, files, modals, response_urls)."""
    assert not secrets_in(all_text(fake.calls))
    for call in fake.calls_to("chat.postMessage"):
        channel = call.args.get("channel", "")
        if channel in MEMBERS or channel in SLACK_CHANNELS:
            # A public post: only what every member may read, and only public collections at that.
            allowed = channel_allowed(channel) & readable(frozenset({"internal"}))
            assert_clean(call.dump, allowed, f"public post in {channel}")


DM_USERS = [AGENT, HR, MULTI, GUEST, PROC, LEGAL]


@pytest.mark.parametrize("user", DM_USERS)
def test_slack_direct_messages_answer_from_the_users_own_collections(slack, user, caplog):
    caplog.set_level(logging.DEBUG)
    allowed = readable(user_roles(user))
    channels = {}
    for i, c in enumerate(CANARIES):
        channel = f"D{user[1:5]}{i:04d}"
        channels[channel] = c
        r, _ = slack.message(channel, user, c.question, channel_type="im")
        assert r.status_code == 200
        count("slack")
    for channel, c in channels.items():
        for reply in _replies(slack.fake, channel=channel):
            assert_clean(reply.dump, allowed, f"DM reply to {user} ({role_label(user_roles(user))}): {c.question}")
    _check_all_calls(slack.fake)
    assert not secrets_in(caplog.text)


@pytest.mark.parametrize("user", [NOBODY, UNKNOWN])
def test_slack_users_without_readable_roles_are_told_so_and_get_nothing(slack, user):
    for i, c in enumerate(CANARIES[::2]):
        channel = f"D{user[1:5]}{i:04d}"
        slack.message(channel, user, c.question, channel_type="im")
        count("slack")
        [reply] = _replies(slack.fake, channel=channel)
        assert "don't have access to any documents" in reply.dump
        assert_clean(reply.dump, set(), f"DM reply to {user}")


def test_slack_mentions_in_a_shared_channel_are_narrowed_to_every_members_access(slack):
    """A coordinator asks about contracts where a BPO agent reads along: runbooks only."""
    allowed = channel_allowed(C_FLOOR)
    assert allowed == {"runbooks"}
    threads = []
    for c in CANARIES:
        if c.collection in ("contracts", "hr") or c.collection == "runbooks" and len(threads) % 3 == 0:
            _, ts = slack.mention(C_FLOOR, COORD, c.question)
            threads.append((ts, c))
            count("slack")
    for ts, c in threads:
        for reply in _replies(slack.fake, channel=C_FLOOR, thread_ts=ts):
            assert_clean(reply.dump, allowed, f"mention in {C_FLOOR}: {c.question}")
    _check_all_calls(slack.fake)


def test_slack_ask_command_in_a_mixed_channel_never_shows_contracts(slack):
    allowed = channel_allowed(C_LEGAL_MIX) & readable(user_roles(LEGAL))
    assert allowed == {"runbooks"}
    for c in CANARIES:
        if c.collection != "contracts":
            continue
        r = slack.command("/ask", c.question, LEGAL, C_LEGAL_MIX)
        assert r.status_code == 200
        count("slack")
    replies = slack.fake.wait_for("chat.postEphemeral", timeout=60, count=12, channel=C_LEGAL_MIX, user=LEGAL)
    for reply in replies:
        assert_clean(reply.dump, allowed, "/ask in a legal+agent channel")
    _check_all_calls(slack.fake)


REFUSAL = "The documents don"  # the start of every refusal (assistant.answering.refusal.REFUSAL)


def test_slack_hr_answers_in_the_hr_channel_are_never_posted_publicly(slack):
    hr_docs = [c for c in CANARIES if c.collection == "hr"]
    threads = []
    for c in hr_docs:
        _, ts = slack.mention(C_HR, HR, c.question)
        threads.append(ts)
        count("slack")
    for ts in threads:
        for reply in _replies(slack.fake, channel=C_HR, thread_ts=ts):
            if reply.method == "chat.postMessage":
                if REFUSAL in reply.dump:
                    continue  # refusals naming their closest documents: see the reproducer below
                assert_clean(reply.dump, {"runbooks"}, "public post in the HR channel")
            else:
                assert reply.args["user"] == HR
                assert_clean(reply.dump, {"hr"}, "ephemeral reply to the HR partner")
    sent = all_text(slack.fake.calls_to("chat.postEphemeral", channel=C_HR, user=HR))
    assert sum(any(m in sent for m in c.markers) for c in hr_docs) >= len(hr_docs) // 2, \
        "the HR partner got (almost) no HR answers: the control failed"


@pytest.mark.parametrize("user, channel, question, collection", [
    (HR, C_HR, "what is the company car allowance?", "hr"),
    (LEGAL, "CLEGALTM1", "what does the agreement say about carbon offsets and sustainability reporting?", "contracts"),
])
def test_slack_refusals_never_name_restricted_documents_publicly(slack, user, channel, question, collection):
    _, ts = slack.mention(channel, user, question)
    count("slack")
    [reply] = _replies(slack.fake, channel=channel, thread_ts=ts)
    # Refused or answered (the refusal threshold decides), restricted titles never go public.
    named = [c.source for c in CANARIES if c.collection == collection and c.title in reply.dump]
    assert reply.method == "chat.postEphemeral" or not named, f"public reply names {named}"


def test_slack_refuses_to_answer_where_it_cannot_see_the_audience(slack):
    c = BY_SOURCE["runbooks/chargeback-dispute-sop.md"]
    _, ts = slack.mention(C_DARK, AGENT, c.question)
    count("slack")
    [reply] = _replies(slack.fake, channel=C_DARK, thread_ts=ts)
    assert "can't see who is in this channel" in reply.dump and c.token not in reply.dump


def test_slack_clause_lookup_is_denied_without_contracts_and_private_with_them(slack):
    for user in (AGENT, HR, GUEST, NOBODY):
        channel = f"D{user[1:5]}CL01"
        slack.message(channel, user, "clause termination for convenience", channel_type="im")
        count("slack")
        [reply] = _replies(slack.fake, channel=channel)
        assert_clean(reply.dump, readable(user_roles(user)), f"clause lookup by {user}")
    slack.command("/clause", "termination for convenience", LEGAL, C_LEGAL_MIX)
    count("slack")
    [reply] = _replies(slack.fake, channel=C_LEGAL_MIX, user=LEGAL)
    msa = BY_SOURCE["contracts/acme-msa-termination.md"]
    assert reply.method == "chat.postEphemeral" and any(m in reply.dump for m in msa.markers)
    assert not secrets_in(reply.dump)
    assert not [c for c in slack.fake.calls_to("chat.postMessage", channel=C_LEGAL_MIX)]


def _incident_view(kind: str, channel: str) -> dict:
    return {"id": "V0001", "callback_id": f"incident_{kind}", "type": "modal",
            "private_metadata": json.dumps({"channel": channel, "thread_ts": None, "channel_type": "channel"}),
            "state": {"values": {
                "title": {"title": {"type": "plain_text_input", "value": "Chat backlog on the Lumen chat queue"}},
                "description": {"description": {"type": "plain_text_input",
                                                 "value": "Three hundred chats waited over ten minutes."}},
                "process": {"process": {"type": "plain_text_input", "value": "Chat support"}},
                "vendor": {"vendor": {"type": "plain_text_input", "value": "Lumen"}},
                "started_at": {"started_at": {"type": "datetimepicker", "selected_date_time": 1760428800}},
                "ended_at": {"ended_at": {"type": "datetimepicker", "selected_date_time": 1760441400}}}}}


def test_slack_drafts_for_a_bpo_agent_hold_no_contract_text(slack):
    for user in (AGENT, HR):
        slack.fake.reset()
        payload = {"type": "view_submission", "team": {"id": "T0NORTH"}, "user": {"id": user}, "api_app_id": "A0BPO",
                   "trigger_id": "trig.acl", "view": _incident_view("rca", C_FLOOR)}
        assert slack.interaction(payload).status_code == 200
        count("slack")
        [reply] = _replies(slack.fake, channel=C_FLOOR, user=user)
        allowed = readable(user_roles(user))
        assert reply.method == "chat.postEphemeral"
        assert_clean(reply.dump, allowed, f"RCA draft for {user}")
        [upload] = slack.fake.wait_for("file_upload", timeout=30)  # the Markdown copy in the user's DM
        assert_clean(upload.dump, allowed, f"the RCA draft file uploaded for {user}")
        assert not slack.fake.calls_to("chat.postMessage", channel=C_FLOOR)


def test_slack_share_posts_publicly_only_what_every_member_may_read(slack):
    c = BY_SOURCE["runbooks/shift-handover-checklist.md"]
    slack.command("/ask", c.question, MULTI, C_FLOOR)
    count("slack")
    [private] = _replies(slack.fake, channel=C_FLOOR, user=MULTI)
    answer_id = button_value(private, "share_answer")
    assert answer_id, "a runbook answer in a channel of runbook readers can be shared"
    slack.click("share_answer", answer_id, AGENT, C_FLOOR, ephemeral=True)  # not the asker: refused
    slack.click("share_answer", answer_id, MULTI, C_FLOOR, ephemeral=True)
    [public] = slack.fake.wait_for("chat.postMessage", channel=C_FLOOR)
    assert any(m in public.dump for m in c.markers)
    _check_all_calls(slack.fake)


def test_slack_connect_users_from_another_workspace_get_no_default_roles(slack):
    c = BY_SOURCE["runbooks/chargeback-dispute-sop.md"]
    channel, user = "DEXTERN01", "UEXTERN01"
    ts = slack.fake.add_message(channel, user, c.question)
    slack.event({"type": "message", "user": user, "user_team": "TOTHERCO", "text": c.question, "ts": ts,
                 "channel": channel, "event_ts": ts, "channel_type": "im"})
    count("slack")
    [reply] = _replies(slack.fake, channel=channel)
    assert_clean(reply.dump, set(), "DM reply to a user of another workspace")


def test_the_audit_log_saw_every_surface_and_holds_no_secrets(canary):
    text = canary.audit_path.read_text(encoding="utf-8")
    assert not secrets_in(text)
    events = [json.loads(line) for line in text.splitlines()]
    assert {"http", "slack"} <= {e["surface"] for e in events}
    for e in events:
        if e["action"] in ("search", "ask"):
            assert all(canary.chunk_collection.get(cid, "?") in readable(frozenset(e["roles"])) for cid in e["chunk_ids"]), e


def test_enough_queries_went_through_the_surfaces():
    if COUNTS.get("http.matrix_roles", 0) < len(KEYS):
        pytest.skip("run the whole module to count")
    print(f"queries through the surfaces: {COUNTS}")
    assert COUNTS["http"] + COUNTS.get("slack", 0) >= 400, COUNTS
