"""Access control beyond search/ask: drafts, clause lookup and contract reading, the CLI's role
resolution, config discovery, redaction at ingest, and the audit log's handling of questions.

Tests marked xfail(strict=True) pin a known gap (issue 7) with its fix described in the reason:
once the fix lands they pass, strict xfail turns that into a failure, and the mark comes off.
"""

from __future__ import annotations

from tests.conftest import shared_judge

import json
import logging

import pytest
import yaml

from assistant.audit import AuditLog
from assistant.config import ConfigError, RedactionSettings, load_settings
from assistant.errors import NotFound
from assistant.models import Caller
from assistant.text.redaction import redact
from tests.security.canaries import BY_SOURCE, CANARIES, ROLE_SETS, assert_clean, readable, role_label, secrets_in

ISSUE_CONFIG = {"sources": [
    {"match": "contracts/**", "collection": "contracts", "roles": ["legal", "procurement", "coordinator"]},
    {"match": "runbooks/**", "collection": "runbooks", "roles": ["internal", "bpo_agent", "coordinator", "legal"]},
]}
INCIDENT = {
    "title": "Chat backlog on the Lumen chat queue", "process": "Chat support", "vendor": "Lumen",
    "description": "More than three hundred chats waited over ten minutes; service level missed for the month.",
    "started_at": "2025-10-14T08:00:00Z", "ended_at": "2025-10-14T11:30:00Z", "severity": "SEV-2",
    "sla_metric": "Call Answer",
}


def as_roles(*roles: str, surface: str = "internal") -> Caller:
    return Caller(id="acl-" + "+".join(roles), roles=frozenset(roles), surface=surface)


def chunk_collections(env, citations) -> set[str]:
    return {env.chunk_collection.get(c.chunk_id, "?") for c in citations}


# -- drafts (gap c) ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def drafts(canary):
    return canary.service.drafts


@pytest.mark.parametrize("roles", [("bpo_agent",), ("internal",), ("hr_partner",), ("unknown_role",), ()],
                         ids=lambda r: "+".join(r) or "<none>")
def test_drafts_for_roles_without_contracts_never_quote_them(canary, drafts, roles):
    allowed = readable(frozenset(roles))
    for kind in ("rca", "escalation"):
        draft = getattr(drafts, kind)(INCIDENT, as_roles(*roles))
        assert chunk_collections(canary, draft.citations) <= allowed, (kind, [c.source for c in draft.citations])
        assert_clean(draft.model_dump_json(), allowed, f"{kind} draft as {roles}")
        assert any("not available to this role" in w for w in draft.warnings), draft.warnings


def test_a_coordinator_draft_does_use_the_contract(canary, drafts):
    """The control for the test above: the same incident, a role that reads contracts."""
    draft = drafts.rca(INCIDENT, as_roles("coordinator"))
    assert not any("not available to this role" in w for w in draft.warnings), draft.warnings
    assert "contracts/lumen-sow-service-levels.md" in draft.markdown  # the SOW was found and read
    assert chunk_collections(canary, draft.citations) <= readable(frozenset({"coordinator"}))
    assert not secrets_in(draft.model_dump_json())


def test_a_draft_naming_a_contract_the_role_cannot_read_says_so_without_quoting_it(canary, drafts):
    msa = BY_SOURCE["contracts/lumen-sow-service-levels.md"]
    draft = drafts.rca({**INCIDENT, "contract": msa.source}, as_roles("bpo_agent"))
    assert chunk_collections(canary, draft.citations) <= {"runbooks"}
    assert msa.token not in draft.markdown and msa.title not in draft.markdown


# -- clause lookup and contract reading (gap d) ------------------------------------------------

@pytest.fixture(scope="module")
def contracts(canary):
    return canary.service.contracts


@pytest.mark.parametrize("roles", ROLE_SETS, ids=role_label)
def test_clause_lookup_returns_only_readable_contracts(canary, contracts, roles):
    allowed = readable(roles)
    for clause_type in ("Termination for Convenience", "Cap on Liability", "Audit Rights", "Insurance"):
        result = contracts.lookup(type=clause_type, caller=Caller(id="acl", roles=roles), k=5)
        assert {r.collection for r in result.results} <= allowed
        assert chunk_collections(canary, result.results) <= allowed
        assert_clean(result.model_dump_json(), allowed, f"clause {clause_type} as {role_label(roles)}")
        if "contracts" not in allowed:
            assert not result.found and result.results == []


def test_clause_lookup_finds_the_clause_for_legal(contracts):
    result = contracts.lookup(type="Termination for Convenience", caller=as_roles("legal"), k=5)
    assert result.found and result.results[0].source == "contracts/acme-msa-termination.md"


@pytest.mark.parametrize("roles", [("bpo_agent",), ("hr_partner",), ("internal",), ("unknown_role",), ()],
                         ids=lambda r: "+".join(r) or "<none>")
def test_contract_reading_is_not_found_for_roles_without_contracts(contracts, roles):
    caller = as_roles(*roles)
    source = "contracts/lumen-sow-service-levels.md"
    messages = []
    for name in (source, "lumen-sow-service-levels.md", "contracts/does-not-exist.md"):
        for read in (contracts.key_terms, contracts.sla_schedule):
            with pytest.raises(NotFound) as exc:
                read(name, caller)
            messages.append(exc.value.message.replace(name, "<name>"))
        with pytest.raises(NotFound):
            contracts.lookup(type="Service Credits", caller=caller, source=name)
    # The same message for "exists but not yours" and "does not exist": no existence oracle.
    assert len(set(messages)) == 1, messages
    register = contracts.obligations(caller)
    assert register.sources == [] and register.obligations == []


def test_legal_reads_the_contract_the_agent_cannot(contracts):
    terms = contracts.key_terms("contracts/acme-msa-termination.md", as_roles("legal"))
    assert "acme-msa-termination" in terms.model_dump_json()


# -- the CLI: --config, --as, default admin, audit --since --------------------------------------

def _cli(args: list[str], monkeypatch, canary) -> str:
    from typer.testing import CliRunner

    from assistant.surfaces import cli

    # The CLI builds its own service; it gets the session's (memoised) model instead of loading a second.
    monkeypatch.setattr("assistant.retrieval.embedding.Embedder.from_settings", classmethod(lambda cls, *a, **k: canary.service.embedder))
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(canary.service.settings.home))
    result = CliRunner().invoke(cli.app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("role", ["bpo_agent", "legal", "hr_partner", "bpo_agent,legal", ""])
def test_cli_as_role_reads_only_that_roles_collections(canary, monkeypatch, role):
    roles = frozenset(r for r in role.split(",") if r)
    allowed = readable(roles)
    for c in CANARIES[::4]:
        out = _cli(["--config", str(canary.config), "--as", role, "search", c.token, "--json"], monkeypatch, canary)
        results = json.loads(out)["results"]
        assert {canary.chunk_collection[r["chunk_id"]] for r in results} <= allowed
        assert_clean(out, allowed, f"cli search as {role!r}")
        assert (c.source in {r["source"] for r in results}) == (c.collection in allowed)
    docs = json.loads(_cli(["--config", str(canary.config), "--as", role, "documents", "--json"], monkeypatch, canary))
    sources = {d["source"] for d in (docs["documents"] if isinstance(docs, dict) else docs)}
    assert sources == {c.source for c in CANARIES if c.collection in allowed}


@pytest.mark.parametrize("role", ["unknown_role", "bpo_agent,legall"])
def test_cli_unknown_role_is_an_error_naming_the_known_roles_not_an_empty_result(canary, monkeypatch, role):
    from typer.testing import CliRunner

    from assistant.errors import InvalidInput
    from assistant.surfaces import cli

    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(canary.service.settings.home))
    result = CliRunner().invoke(cli.app, ["--config", str(canary.config), "--as", role, "search", CANARIES[0].token, "--json"])
    assert result.exit_code != 0 and result.stdout == "" and isinstance(result.exception, InvalidInput)
    unknown = role.split(",")[-1]
    assert str(result.exception).startswith(f"unknown role {unknown} (known roles: admin, bpo_agent, coordinator, hr_partner,")


def test_cli_defaults_to_admin_and_finds_config_through_the_environment(canary, monkeypatch):
    monkeypatch.setenv("BPO_ASSISTANT_CONFIG", str(canary.config))
    orphan = BY_SOURCE["litigation-hold-notice.md"]
    out = _cli(["search", orphan.token, "--json"], monkeypatch, canary)
    assert orphan.source in {r["source"] for r in json.loads(out)["results"]}
    assert not secrets_in(out)


def test_cli_audit_prints_recent_events_without_secrets(canary, monkeypatch):
    out = _cli(["--config", str(canary.config), "audit", "--since", "1h", "--json"], monkeypatch, canary)
    events = json.loads(out)["events"]
    assert events and {"caller", "roles", "surface", "question", "chunk_ids", "grounded"} <= set(events[0])
    assert {e["surface"] for e in events} >= {"internal", "cli"}
    assert not secrets_in(out)


# -- config ------------------------------------------------------------------------------------

def test_the_minimal_config_from_the_issue_works_and_denies_by_default(tmp_path, monkeypatch):
    from assistant.access.policy import AccessPolicy

    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(ISSUE_CONFIG), encoding="utf-8")
    monkeypatch.setenv("BPO_ASSISTANT_CONFIG", str(path))
    settings = load_settings()
    assert settings.collections == {"contracts": ["legal", "procurement", "coordinator"],
                                    "runbooks": ["internal", "bpo_agent", "coordinator", "legal"]}
    policy = AccessPolicy(settings, known_collections=lambda: ["contracts", "runbooks", "restricted"])
    expect = {"bpo_agent": ["runbooks"], "internal": ["runbooks"], "legal": ["contracts", "runbooks"],
              "procurement": ["contracts"], "coordinator": ["contracts", "runbooks"], "hr_partner": [],
              "unknown_role": [], "": [], "admin": ["contracts", "restricted", "runbooks"]}
    for role, collections in expect.items():
        assert policy.readable(Caller(roles=frozenset({role}))) == collections, role
    assert policy.readable(Caller(roles=frozenset())) == []
    assert load_settings(path).collections == settings.collections  # --config finds the same file


def test_two_rules_giving_one_collection_different_readers_are_refused(tmp_path):
    path = tmp_path / "config.yaml"
    rules = ISSUE_CONFIG["sources"] + [{"match": "templates/**", "collection": "contracts", "roles": ["bpo_agent"]}]
    path.write_text(yaml.safe_dump({"sources": rules}), encoding="utf-8")
    with pytest.raises(ConfigError, match="different roles"):
        load_settings(path)


def test_a_rule_cannot_name_the_deny_by_default_collection(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"sources": [{"match": "misc/**", "collection": "restricted", "roles": ["bpo_agent"]}]}))
    with pytest.raises(ConfigError):
        load_settings(path)


# -- redaction ---------------------------------------------------------------------------------

def test_redaction_masks_every_canary_secret_and_keeps_the_rest():
    for c in CANARIES:
        text, n = redact(c.markdown(), RedactionSettings())
        assert n >= 1 and c.secret not in text and c.token in text and len(text) == len(c.markdown())


def test_emails_and_phones_are_masked_only_when_configured():
    line = "Escalate to duty.manager@lumen.example or +44 20 7946 0958."
    kept, _ = redact(line, RedactionSettings())
    assert "duty.manager@lumen.example" in kept and "7946 0958" in kept
    masked, n = redact(line, RedactionSettings(emails=True, phones=True))
    assert n == 2 and "duty.manager" not in masked and "7946" not in masked


def _tiny_service(tmp_path, embedder, files: dict[str, str], **overrides):
    from assistant import wiring
    from tests.security.canaries import MemoEmbedder, write_config

    corpus = tmp_path / "corpus"
    for rel, text in files.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(text, encoding="utf-8")
    config = write_config(tmp_path / "config.yaml")
    service = wiring.build(load_settings(config, home=str(tmp_path / "home"), **overrides),
                                     embedder=MemoEmbedder(embedder), judge=shared_judge())
    summary = service.ingest(corpus, as_roles("admin"))
    assert summary.count("indexed") == len(files), summary
    return service


def test_ingest_masks_emails_when_configured(tmp_path, embedder):
    service = _tiny_service(tmp_path, embedder, {"runbooks/duty-rota.md": "# Duty Rota\n\nPage the duty manager at "
                            "duty.manager@lumen.example when the queue breaches.\n"}, redaction={"emails": True})
    try:
        texts = [c.text for c in service.store.iter_all("runbooks")]
        assert texts and not any("duty.manager@lumen.example" in t for t in texts)
    finally:
        service.catalog.close()


def test_a_secret_in_a_document_title_is_masked_too(tmp_path, embedder):
    secret = "ghp_" + "Q7wErTy9" * 5
    service = _tiny_service(tmp_path, embedder, {"runbooks/deploy-key.md": f"# Rotating deploy key {secret}\n\n"
                            "Rotate the IVR deploy key every quarter and record it in the change log.\n"})
    try:
        blob = service.search("rotate the IVR deploy key", as_roles("bpo_agent")).model_dump_json()
        blob += json.dumps([d.model_dump() for d in service.documents(as_roles("admin"))])
        assert secret not in blob
    finally:
        service.catalog.close()


# -- the audit log (gap a) ---------------------------------------------------------------------

def _audited_into(service, path, monkeypatch):
    """The same service, its one audit trail (search, ask and every feature) writing to `path`."""
    log = AuditLog(path)
    monkeypatch.setattr(service.trail, "log", log)
    monkeypatch.setattr(service, "audit", log)
    return service


def test_audit_events_carry_caller_role_surface_question_and_chunk_ids(canary, tmp_path, monkeypatch):
    service = _audited_into(canary.service, tmp_path / "audit.jsonl", monkeypatch)
    c = BY_SOURCE["runbooks/chargeback-dispute-sop.md"]
    got = service.search(c.question, as_roles("bpo_agent", surface="http"))
    answer = service.ask(c.question, as_roles("bpo_agent", surface="slack"))
    events = service.audit.read()
    assert [e.action for e in events] == ["search", "ask"]
    assert events[0].roles == ["bpo_agent"] and events[0].surface == "http" and events[0].question == c.question
    assert events[0].chunk_ids == [r.chunk_id for r in got.results]
    assert events[1].chunk_ids == [x.chunk_id for x in answer.citations] and events[1].grounded == answer.grounded
    text = (tmp_path / "audit.jsonl").read_text()
    assert c.body[:60] not in text  # ids, never the document text


def test_a_secret_pasted_into_a_question_never_reaches_the_audit_log(canary, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    service = _audited_into(canary.service, tmp_path / "audit.jsonl", monkeypatch)
    pasted = "sk-live-" + "Zq8Xw2" * 5
    service.search(f"the chargeback connector rejects api_key = {pasted}, why?", as_roles("bpo_agent"))
    service.ask(f"why does password: Hunter2Hunter2 fail with {pasted}?", as_roles("bpo_agent"))
    text = (tmp_path / "audit.jsonl").read_text()
    assert len(text.splitlines()) == 2 and "chargeback connector" in text
    assert pasted not in text and "Hunter2Hunter2" not in text
    assert pasted not in caplog.text
