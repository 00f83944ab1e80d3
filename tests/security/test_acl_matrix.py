"""Access control through the service: every role set x every canary, by topic and by token.

A leak is any returned chunk, citation, document row or piece of text that belongs to a collection
the caller's roles may not read. The expected collections are computed here from the test's own
config (tests/security/canaries.py), not from assistant.access.policy, so a bug there can't hide itself.
"""

from __future__ import annotations

from tests.conftest import shared_judge

import json
import logging

import pytest

from assistant.errors import Forbidden
from assistant.models import Caller, SearchFilters
from tests.security.canaries import (
    BY_SOURCE, CANARIES, COLLECTION_ROLES, RESTRICTED, ROLE_SETS, SECRETS, assert_clean, readable, role_label, secrets_in,
)

QUERIES = [(c, kind, text) for c in CANARIES for kind, text in (("token", c.token), ("topic", c.question))]
COUNTS: dict[str, int] = {}


def caller_for(roles: frozenset[str], **extra) -> Caller:
    return Caller(id="acl-" + role_label(roles), roles=roles, surface="internal", **extra)


def count(kind: str, n: int = 1) -> None:
    COUNTS[kind] = COUNTS.get(kind, 0) + n


def check_results(env, results, allowed: set[str], what: str) -> None:
    for r in results:
        assert r.collection in allowed, f"{what}: chunk {r.chunk_id} from {r.collection}"
        assert env.chunk_collection[r.chunk_id] in allowed, f"{what}: store holds {r.chunk_id} in a forbidden collection"
        assert BY_SOURCE[r.source].collection in allowed, f"{what}: {r.source}"


def test_the_policy_agrees_with_the_config_for_every_role_set(canary):
    for roles in ROLE_SETS:
        assert set(canary.service.access.readable(caller_for(roles))) == readable(roles), role_label(roles)
    assert readable(frozenset({"unknown_role"})) == set() and readable(frozenset()) == set()


@pytest.mark.parametrize("roles", ROLE_SETS, ids=role_label)
def test_search_returns_only_readable_collections(canary, roles, caplog):
    caplog.set_level(logging.DEBUG)
    service, caller, allowed = canary.service, caller_for(roles), readable(roles)
    for c, kind, text in QUERIES:
        response = service.search(text, caller, k=8)
        count("service.search")
        what = f"search as {role_label(roles)} for {kind} of {c.source}"
        check_results(canary, response.results, allowed, what)
        assert_clean(response.model_dump_json(), allowed, what)
        if not allowed:
            assert response.results == [], what  # no readable collection: nothing, never "no filter"
        elif kind == "token" and c.collection in allowed:
            # The control: a reader finds the canary by its token, so "no leak" is not "no result".
            assert c.source in {r.source for r in response.results}, what
    assert not secrets_in(caplog.text), "a secret reached the logs"


@pytest.mark.parametrize("roles", ROLE_SETS, ids=role_label)
def test_answers_and_citations_come_only_from_readable_collections(canary, roles, caplog):
    caplog.set_level(logging.DEBUG)
    service, caller, allowed = canary.service, caller_for(roles), readable(roles)
    grounded_own = 0
    for c in CANARIES:
        answer = service.ask(c.question, caller)
        count("service.ask")
        what = f"ask as {role_label(roles)}: {c.question}"
        for cit in answer.citations:
            assert canary.chunk_collection[cit.chunk_id] in allowed, f"{what}: cites {cit.source}"
        assert_clean(answer.model_dump_json(), allowed, what)
        if not allowed:
            assert not answer.grounded and not answer.citations and not answer.closest_sources, what
        elif c.collection in allowed and answer.grounded and c.source in {x.source for x in answer.citations}:
            grounded_own += 1
    readable_docs = sum(1 for c in CANARIES if c.collection in allowed)
    # Many questions a role may read are answered from their own canary (the matrix is not vacuous).
    assert grounded_own >= 0.5 * readable_docs, (grounded_own, readable_docs)
    assert not secrets_in(caplog.text), "a secret reached the logs"


@pytest.mark.parametrize("roles", ROLE_SETS, ids=role_label)
def test_document_listing_is_exactly_the_readable_documents(canary, roles):
    docs = canary.service.documents(caller_for(roles))
    count("service.documents")
    allowed = readable(roles)
    assert {d.source for d in docs} == {c.source for c in CANARIES if c.collection in allowed}
    assert all(d.collection in allowed for d in docs)
    assert not secrets_in(json.dumps([d.model_dump() for d in docs]))


def test_documents_matching_no_rule_are_readable_by_admin_only(canary):
    unmatched = [c for c in CANARIES if c.collection == RESTRICTED]
    assert len(unmatched) == 4 and RESTRICTED not in COLLECTION_ROLES
    admin = caller_for(frozenset({"admin"}))
    for c in unmatched:
        assert c.source in {r.source for r in canary.service.search(c.token, admin).results}
    for roles in ROLE_SETS:
        if "admin" in roles:
            continue
        caller = caller_for(roles)
        for c in unmatched:
            assert c.source not in {r.source for r in canary.service.search(c.question, caller).results}
            count("service.search")


def test_role_unions_read_the_union_and_no_more(canary):
    service = canary.service
    union = caller_for(frozenset({"bpo_agent", "legal"}))
    assert set(service.access.readable(union)) == {"runbooks", "contracts"}
    hr_proc = caller_for(frozenset({"hr_partner", "procurement"}))
    assert set(service.access.readable(hr_proc)) == {"hr", "contracts"}
    for c in CANARIES:
        got = {r.source for r in service.search(c.token, union).results}
        assert (c.source in got) == (c.collection in {"runbooks", "contracts"}), c.source
        got = {r.source for r in service.search(c.token, hr_proc).results}
        assert (c.source in got) == (c.collection in {"hr", "contracts"}), c.source
        count("service.search", 2)


def test_unknown_empty_and_miscased_roles_read_nothing(canary):
    service = canary.service
    for roles in (frozenset({"unknown_role"}), frozenset(), frozenset({""}), frozenset({" "}), frozenset({"Legal"}),
                  frozenset({"ADMIN"}), frozenset({"admin "})):
        caller = caller_for(roles)
        assert service.access.readable(caller) == [], roles
        for c in CANARIES[::5]:
            assert service.search(c.token, caller).results == []
            assert service.search(c.question, caller, filters=SearchFilters(collection=[c.collection])).results == []
            count("service.search", 2)
        assert service.documents(caller) == []


def test_filters_narrow_but_never_widen(canary):
    service = canary.service
    agent = caller_for(frozenset({"bpo_agent"}))
    msa = BY_SOURCE["contracts/acme-msa-termination.md"]
    attempts = [
        SearchFilters(collection=["contracts"]), SearchFilters(collection=["contracts", "hr", RESTRICTED]),
        SearchFilters(source=[msa.source]), SearchFilters(doc_type=["msa", "sow", "dpa", "contract"]),
    ]
    for filters in attempts:
        for text in (msa.token, msa.question):
            response = service.search(text, agent, filters=filters)
            count("service.search")
            check_results(canary, response.results, {"runbooks"}, f"filters {filters}")
            assert not [r for r in response.results if r.collection != "runbooks"]
    legal = caller_for(frozenset({"legal"}))
    got = service.search(msa.token, legal, filters=SearchFilters(collection=["runbooks"])).results
    assert all(r.collection == "runbooks" for r in got)


def test_restrict_to_narrows_roles_and_never_widens_them(canary):
    service = canary.service
    legal_in_runbooks = caller_for(frozenset({"legal"}), restrict_to=frozenset({"runbooks"}))
    agent_asking_for_more = caller_for(frozenset({"bpo_agent"}), restrict_to=frozenset({"contracts", "hr", RESTRICTED}))
    assert service.access.readable(legal_in_runbooks) == ["runbooks"]
    assert service.access.readable(agent_asking_for_more) == []
    for c in CANARIES:
        check_results(canary, service.search(c.token, legal_in_runbooks).results, {"runbooks"}, "restrict_to")
        assert service.search(c.token, agent_asking_for_more).results == []
        count("service.search", 2)


def test_only_admin_may_upload_or_delete(canary, tmp_path):
    service = canary.service
    some_doc = service.documents(caller_for(frozenset({"admin"})))[0]
    for roles in ROLE_SETS:
        if "admin" in roles:
            continue
        caller = caller_for(roles)
        assert not service.access.can_manage(caller)
        with pytest.raises(Forbidden):
            service.upload("runbooks/new-page.md", b"# New page\n\nplain text\n", caller)
        with pytest.raises(Forbidden):
            service.delete_document(some_doc.doc_id, caller)
        with pytest.raises(Forbidden):
            service.ingest(canary.corpus, caller)
    assert service.catalog.get(some_doc.doc_id) is not None
    assert not (service.settings.home / "uploads").exists()


def test_an_upload_lands_in_the_partition_its_name_chooses(canary, tmp_path, embedder):
    """On a private copy of the index: what admin uploads obeys the same rules as ingested files."""
    import shutil

    from assistant.config import load_settings
    from assistant import wiring
    from tests.security.canaries import MemoEmbedder

    home = tmp_path / "home"
    shutil.copytree(canary.service.settings.home, home)
    service = wiring.build(load_settings(canary.config, home=str(home)), embedder=MemoEmbedder(embedder), judge=shared_judge())
    try:
        admin = caller_for(frozenset({"admin"}))
        token = "CANARY-UPLOAD1"
        body = f"# Rider on Early Exit Fees\n\nThe early exit fee is three months of fees. Reference {token}.\n".encode()
        summary = service.upload("contracts/rider-early-exit.md", body, admin)
        assert summary.files[0].status == "indexed"
        legal, agent = caller_for(frozenset({"legal"})), caller_for(frozenset({"bpo_agent"}))
        assert [r.source for r in service.search(token, legal).results][:1] == ["contracts/rider-early-exit.md"]
        assert all(r.collection == "runbooks" for r in service.search(token, agent).results)
        orphan = service.upload("notes/unfiled-memo.md", b"# Unfiled memo\n\nReference CANARY-UPLOAD2.\n", admin)
        assert orphan.files[0].status == "indexed"
        for roles in ROLE_SETS:
            got = {r.source for r in service.search("CANARY-UPLOAD2", caller_for(roles)).results}
            assert ("notes/unfiled-memo.md" in got) == ("admin" in roles), roles
        doc = next(d for d in service.documents(admin) if d.source == "contracts/rider-early-exit.md")
        service.delete_document(doc.doc_id, admin)
        assert "contracts/rider-early-exit.md" not in {r.source for r in service.search(token, legal).results}
    finally:
        service.catalog.close()


def test_the_audit_log_records_who_asked_what_and_which_chunks_without_secrets(canary):
    text = canary.audit_path.read_text(encoding="utf-8")
    assert not secrets_in(text), "the audit log holds an unmasked secret"
    events = [json.loads(line) for line in text.splitlines()]
    reads = [e for e in events if e["action"] in ("search", "ask")]
    assert len(reads) >= 400
    for e in reads:
        assert {"at", "caller", "roles", "surface", "question", "chunk_ids", "grounded"} <= set(e)
        # restrict_to is not recorded; a narrowed caller read less than its roles allow, never more.
        allowed = readable(frozenset(e["roles"]))
        assert all(canary.chunk_collection.get(cid, "?") in allowed for cid in e["chunk_ids"]), e
    asks = [e for e in reads if e["action"] == "ask"]
    assert asks and all(isinstance(e["grounded"], bool) for e in asks)
    # Never document text: no canary body sentence is in the log (questions may name a token).
    for c in CANARIES:
        assert c.body[:60] not in text


def test_ingest_and_query_logs_hold_no_secrets(canary):
    assert canary.ingest_log, "ingest logged nothing at DEBUG: the capture is not working"
    assert not secrets_in("\n".join(canary.ingest_log))


def test_stored_chunks_titles_and_catalog_hold_no_secrets(canary):
    service = canary.service
    for name in service.store.collection_names():
        for chunk in service.store.iter_all(name):
            blob = chunk.text + json.dumps(chunk.meta)
            assert not secrets_in(blob), (name, chunk.meta.get("source"))
    rows = service.catalog.all()
    assert len(rows) == len(CANARIES)
    assert not secrets_in(json.dumps([r.model_dump() for r in rows]))


def test_enough_queries_were_aimed_at_the_canaries():
    """Runs last in this module (pytest keeps file order): the matrix really sent >= 400 queries."""
    total = COUNTS.get("service.search", 0) + COUNTS.get("service.ask", 0)
    if COUNTS.get("service.documents", 0) < len(ROLE_SETS):
        pytest.skip("run the whole module to count")
    print(f"queries through the service: {COUNTS}")
    assert total >= 400, COUNTS
    assert len(SECRETS) == len(CANARIES) >= 30
