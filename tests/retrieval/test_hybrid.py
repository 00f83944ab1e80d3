"""Hybrid retrieval (assistant/retrieval/: hybrid.py, lexical.py, routing.py) on real small indexes:
real Chroma in temp dirs, the session's real embedding model, real BM25 (corpora: conftest.py)."""

from __future__ import annotations

import pytest

from assistant.retrieval.routing import MIN_PROFILES_FOR_NAMING, NAMING_MAX_DF, NAMING_SPREAD_FACTOR, name_tokens, residual_query
from assistant.retrieval.lexical import LexicalIndex, Tokenizer
from assistant.models import SearchFilters, shown_section_path
from assistant.retrieval.hybrid import Retriever, _where
from tests.conftest import admin, as_role, write_files
from tests.retrieval.conftest import (
    AGREEMENTS, EVERYDAY_OPENING_DOC, EVERYDAY_TEXT_DOCS, FUSION_RETRIEVAL, LOWERCASE_TOPIC_DOC, agreement_source,
    indexed_corpus, invented_word, parties,
)

ALL = ["contracts", "restricted", "runbooks"]  # every collection of the mixed corpus (admin reads all)
MSA = "contracts/northwind-msa.md"
DPA = "contracts/contoso-dpa.md"
SOW = "contracts/fabrikam-sow.md"
ACCESS = "runbooks/account-access-runbook.md"
PRINTER_QUERY = "the floor printer is out of toner"


def candidates(indexed, query: str, collections=ALL, filters: SearchFilters | None = None):
    """(dense ids, lexical ids) exactly as Retriever.search builds its two candidate lists."""
    r, cfg = indexed.retriever, indexed.retriever.settings.retrieval
    doc_types = list(filters.doc_type) if filters and filters.doc_type else None
    sources = list(filters.source) if filters and filters.source else None
    dense = r._dense(r.embedder.embed_query(query), collections, cfg.dense_candidates, _where(filters))
    lexical = r._lexical(query, collections, cfg.lexical_candidates, doc_types, sources)
    return [c.id for c, _ in dense], [cid for cid, _, _ in lexical]


def retriever_with(indexed, **retrieval) -> Retriever:
    """A Retriever over the same store and BM25 indexes with some retrieval settings changed."""
    svc = indexed.service
    cfg = svc.settings.retrieval.model_copy(update=retrieval)
    return Retriever(svc.settings.model_copy(update={"retrieval": cfg}), svc.embedder, svc.store, svc.lexical)


def indexed_text(chunk) -> str:
    """What BM25 indexes for a chunk (retrieval.LexicalIndexes._build): title, section path, body."""
    m = chunk.meta
    return f"{m.get('title', '')}\n{m.get('section_path', '')}\n{chunk.text}"


def ids(results) -> list[str]:
    return [r.chunk_id for r in results]


# ============================================================================================
# 1. Fusion
# ============================================================================================

def test_a_clause_number_finds_its_clause_first_though_the_model_cannot_tell(mixed):
    """'Section 14.3' means nothing to the embedding model (the clause is far down the dense list),
    but "14.3" is one BM25 token: fused, the clause is rank 1."""
    holdback = mixed.the_chunk(MSA, "14.3 Holdback")
    # Candidate lists long enough to hold the whole (small) corpus on the dense side.
    r = retriever_with(mixed, dense_candidates=60, lexical_candidates=60)
    query = "Section 14.3"
    dense = [c.id for c, _ in r._dense(r.embedder.embed_query(query), ALL, 60, None)]
    lexical = [cid for cid, _, _ in r._lexical(query, ALL, 60, None, None)]
    assert dense.index(holdback) >= 5, "precondition: the wording is not semantically close"
    assert lexical[0] == holdback
    assert ids(r.search(query, ALL, 5))[0] == holdback


def test_a_lexical_only_exact_match_outranks_the_dense_best_guess(mixed):
    """Plain RRF ties BM25's rank 1 with the dense rank 1; a query citing an exact reference
    weighs the lexical list up (retrieval.exact_reference_boost), so the cited clause wins."""
    holdback = mixed.the_chunk(MSA, "14.3 Holdback")
    dense, lexical = candidates(mixed, "Section 14.3")
    assert lexical == [holdback] and holdback not in dense  # precondition: lexical-only
    assert ids(mixed.retriever.search("Section 14.3", ALL, 5))[0] == holdback


@pytest.mark.parametrize(("query", "source", "section"), [
    ("Holdback Amount", MSA, "14.3 Holdback"),  # a defined term
    ("KB0042137", ACCESS, "Desktop client error"),  # an error code
])
def test_an_exact_rare_term_finds_its_chunk_first(mixed, query, source, section):
    target = mixed.the_chunk(source, section)
    _, lexical = candidates(mixed, query)
    assert lexical[0] == target
    assert ids(mixed.retriever.search(query, ALL, 5))[0] == target


def test_a_paraphrase_with_no_shared_words_is_found_by_the_dense_side(mixed):
    query = "somebody cannot remember how to get into their computer"
    target = mixed.the_chunk(ACCESS, "Lost credentials")
    tok = mixed.service.lexical.tokenizer
    assert not set(tok(query)) & set(tok(indexed_text(mixed.chunks[target]))), "precondition: no shared keyword"
    dense, lexical = candidates(mixed, query)
    assert target not in lexical and dense[0] == target
    assert ids(mixed.retriever.search(query, ALL, 5))[0] == target


def test_the_fused_list_keeps_lexical_only_and_dense_only_candidates(mixed):
    query = "Section 14.3"
    holdback = mixed.the_chunk(MSA, "14.3 Holdback")
    dense, lexical = candidates(mixed, query)
    assert len(dense) == mixed.retriever.settings.retrieval.dense_candidates < len(mixed.chunks)
    lexical_only, dense_only = set(lexical) - set(dense), set(dense) - set(lexical)
    assert lexical_only == {holdback}
    fused = ids(mixed.retriever.search(query, ALL, 5))
    assert holdback in fused
    assert dense[0] in dense_only and dense[0] in fused
    assert len(set(fused) & dense_only) == 4  # everything else in the top 5 came from the dense side


# ============================================================================================
# 2. Filters go into retrieval, not after the cut
# ============================================================================================

@pytest.mark.parametrize(("filters", "k", "expected"), [
    (SearchFilters(source=[DPA]), 3, {DPA}),
    (SearchFilters(doc_type=["sow"]), 3, {SOW}),
    (SearchFilters(collection=["contracts"]), 4, {MSA, DPA, SOW}),
    (SearchFilters(collection=["contracts"], doc_type=["msa"]), 4, {MSA}),
])
def test_a_filter_returns_k_results_from_documents_the_unfiltered_candidates_never_held(mixed, filters, k, expected):
    dense, lexical = candidates(mixed, PRINTER_QUERY)
    # Precondition: not just outside the top k - outside both candidate lists, so filtering those
    # lists (or the fused top k) afterwards would return nothing.
    assert not {mixed.chunks[c].meta["source"] for c in dense + lexical} & expected
    got = mixed.service.search(PRINTER_QUERY, admin(), k=k, filters=filters).results
    assert len(got) == k
    assert {r.source for r in got} <= expected
    assert len(set(ids(got))) == k


def test_a_filter_on_a_small_document_returns_all_it_has(mixed):
    got = mixed.service.search(PRINTER_QUERY, admin(), k=5, filters=SearchFilters(source=["hr/salary-bands.md"])).results
    assert sorted(ids(got)) == sorted(mixed.ids_of("hr/salary-bands.md"))
    assert len(got) == 2


@pytest.mark.parametrize("filters", [
    SearchFilters(source=["runbooks/no-such-runbook.md"]),
    SearchFilters(doc_type=["contract"]),  # a type no document of this corpus has
    SearchFilters(collection=["no-such-collection"]),
    SearchFilters(collection=[]),
    SearchFilters(doc_type=["sop"], source=[DPA]),  # filters combine with AND
    SearchFilters(source=[]),  # an empty allow-list allows nothing, never "no filter"
    SearchFilters(doc_type=[]),
], ids=["unknown-source", "absent-doc-type", "unknown-collection", "empty-collection", "contradictory",
        "empty-source", "empty-doc-type"])
def test_an_empty_or_unknown_filter_returns_nothing_not_everything(mixed, filters):
    # The printer runbook matches this query on both sides: an ignored filter would show it.
    assert mixed.service.search(PRINTER_QUERY, admin(), k=5, filters=filters).results == []


def test_a_filter_never_opens_a_collection_the_caller_cannot_read(mixed):
    holdback = mixed.the_chunk(MSA, "14.3 Holdback")
    agent = as_role("bpo_agent")  # reads runbooks only
    assert mixed.service.search("Holdback Amount", admin(), k=3).results[0].chunk_id == holdback  # it is there
    assert mixed.service.search("Holdback Amount", agent, k=5, filters=SearchFilters(collection=["contracts"])).results == []
    assert mixed.service.search("Holdback Amount", agent, k=5, filters=SearchFilters(source=[MSA])).results == []
    assert mixed.service.search("Holdback Amount", agent, k=5, filters=SearchFilters(doc_type=["msa"])).results == []
    both = mixed.service.search("Holdback Amount", agent, k=5, filters=SearchFilters(collection=["contracts", "runbooks"])).results
    assert len(both) == 5 and {r.collection for r in both} == {"runbooks"}
    legal = as_role("legal")  # contracts + runbooks, never the restricted hr file
    assert mixed.service.search("salary bands", legal, k=5, filters=SearchFilters(collection=["restricted"])).results == []
    assert mixed.service.search("salary bands", legal, k=5, filters=SearchFilters(source=["hr/salary-bands.md"])).results == []
    assert {r.source for r in mixed.service.search("salary bands", admin(), k=2).results} == {"hr/salary-bands.md"}


# ============================================================================================
# 3. BM25 kept in step with ingest (and across restarts)
# ============================================================================================

def _runbook(title: str, *sections: tuple[str, str]) -> str:
    return f"# {title}\n\n" + "\n".join(f"## {h}\n{body}\n" for h, body in sections)


STEADY = "runbooks/steady-runbook.md"
CHANGED = "runbooks/changed-runbook.md"
DELETED = "runbooks/deleted-runbook.md"
OTHER = "runbooks/other-runbook.md"
STEADY_TEXT = _runbook("Badge Printer Runbook",
                       ("Jammed card", "Open the side panel and pull the jammed badge card out gently."),
                       ("Ribbon", "Replace the colour ribbon when the preview shows pale stripes."))
CHANGED_SAME_SECTION = ("Scope", "This runbook covers the headset stock kept in the floor cupboard.")
CHANGED_V1 = _runbook("Headset Runbook", CHANGED_SAME_SECTION,
                      ("Ordering", "Order new headsets from Quillonex through the purchasing portal."))
CHANGED_V2 = _runbook("Headset Runbook", CHANGED_SAME_SECTION,
                      ("Ordering", "Order new headsets from Marblefinch through the purchasing portal."))
DELETED_TEXT = _runbook("Parking Runbook",
                        ("Visitor spaces", "Visitors park in the Grobnitz garage, level minus one."),
                        ("Permits", "Staff permits are renewed every January at reception."))
OTHER_TEXT = _runbook("Coffee Machine Runbook",
                      ("Descaling", "Run the descaling programme every Friday after the late shift."))


def test_bm25_follows_changed_and_deleted_files_and_survives_a_restart(tmp_path, service_factory):
    root = write_files(tmp_path / "corpus", {STEADY: STEADY_TEXT, CHANGED: CHANGED_V1, DELETED: DELETED_TEXT,
                                              OTHER: OTHER_TEXT})
    home = tmp_path / "home"
    svc = service_factory(home)
    assert not svc.ingest(root, admin()).partial

    def chunk_ids(service, source):
        return {c.id for c in service.store.iter_all("runbooks") if c.meta["source"] == source}

    def lexical_sources(service, query):
        hits = service.retriever._lexical(query, ["runbooks"], 10, None, None)
        by_id = {c.id: c.meta["source"] for c in service.store.iter_all("runbooks")}
        return [by_id.get(cid, f"<not in chroma: {cid}>") for cid, _, _ in hits]

    def fused_sources(service, query):
        return [r.source for r in service.search(query, admin(), k=5).results]

    steady_before, changed_before = chunk_ids(svc, STEADY), chunk_ids(svc, CHANGED)
    assert lexical_sources(svc, "Grobnitz") == [DELETED] and fused_sources(svc, "Grobnitz")[0] == DELETED
    assert lexical_sources(svc, "Quillonex") == [CHANGED]
    assert lexical_sources(svc, "Marblefinch") == []

    (root / CHANGED).write_text(CHANGED_V2, encoding="utf-8")
    (root / DELETED).unlink()
    summary = svc.ingest(root, admin())
    assert {f.source: f.status for f in summary.files} == {
        STEADY: "unchanged", CHANGED: "indexed", DELETED: "removed", OTHER: "unchanged"}

    # The deleted file is gone from BM25 and from the fused list.
    assert lexical_sources(svc, "Grobnitz") == []
    assert DELETED not in fused_sources(svc, "Grobnitz garage visitor parking")
    # The changed file: its new term is found first, its old term no longer.
    assert lexical_sources(svc, "Marblefinch") == [CHANGED]
    assert fused_sources(svc, "Marblefinch")[0] == CHANGED
    assert lexical_sources(svc, "Quillonex") == []
    # Unchanged text keeps its chunk ids (nothing re-embedded): the whole steady file, and the
    # unedited section of the changed one.
    assert chunk_ids(svc, STEADY) == steady_before
    changed_after = chunk_ids(svc, CHANGED)
    assert len(changed_after & changed_before) == 1 and len(changed_after - changed_before) == 1
    generation = svc.lexical.get("runbooks").current_generation()

    # A new process over the same data dir: the BM25 index is read from disk, not rebuilt.
    restarted = service_factory(home)
    assert lexical_sources(restarted, "Marblefinch") == [CHANGED]
    assert fused_sources(restarted, "Marblefinch")[0] == CHANGED
    assert lexical_sources(restarted, "Grobnitz") == []
    assert restarted.lexical.get("runbooks").current_generation() == generation


# ============================================================================================
# 4. Document routing
# ============================================================================================

def _termination_query(j: int) -> str:
    provider, client = parties(j)
    return f"Under the agreement between {provider} and {client}, how many days' notice does a termination for convenience need?"


def test_the_routing_corpus_is_big_enough_to_name_documents(agreements):
    prof = agreements.retriever.router._profiles("contracts")
    assert len(prof.sources) == AGREEMENTS >= MIN_PROFILES_FOR_NAMING
    words = [invented_word(i) for i in range(4 * AGREEMENTS)]
    tok = agreements.service.lexical.tokenizer
    assert len({tok(w)[0] for w in words}) == len(words)  # every invented party word is its own token


@pytest.mark.parametrize("j", [3, 11, 19])
def test_a_query_naming_the_parties_routes_to_their_agreement(agreements, j):
    tok = agreements.service.lexical.tokenizer
    provider, client = parties(j)
    routed = agreements.retriever.router.route(_termination_query(j), ["contracts"], n=3)
    assert routed[0].source == agreement_source(j)
    # Exactly the invented names identify it: not "agreement", "notice" or "termination".
    assert routed[0].naming_tokens == frozenset(tok(f"{provider} {client}"))
    assert all(not d.naming_tokens for d in routed[1:])
    assert len(routed[0].naming_tokens) >= agreements.retriever.settings.retrieval.route_min_naming


@pytest.mark.parametrize("j", [3, 13, 19])
def test_the_answer_inside_a_named_agreement_ranks_in_the_top_3(agreements, j):
    termination = agreements.the_chunk(agreement_source(j), "5. Termination")
    query = _termination_query(j)
    # Precondition: among 22 near-identical termination clauses, the same query without document
    # routing (route_docs=0) does not bring this one into the top 3.
    assert termination not in ids(retriever_with(agreements, route_docs=0).search(query, ["contracts"], 8))[:3]
    top3 = ids(agreements.retriever.search(query, ["contracts"], 8))[:3]
    assert termination in top3


def _rare_in_profile(router, source: str, tokens: set[str]) -> int:
    """Assert that `tokens` are in `source`'s profile and rare among profiles; return the rarity limit."""
    prof = router._profiles("contracts")
    limit = max(1, int(NAMING_MAX_DF * len(prof.sources)))
    i = prof.sources.index(source)
    assert all(t in prof.tokens[i] and prof.df[t] <= limit for t in tokens)
    return limit


def test_everyday_words_rare_among_openings_but_common_in_text_name_no_document(agreements):
    """'minutes' and 'total' are in the opening chunks of one agreement only (rare among profiles)
    but in the service-level text of many: they must not count as naming that agreement."""
    router, tok = agreements.retriever.router, agreements.service.lexical.tokenizer
    query = "How many minutes in total?"
    everyday = {"minut", "total"}
    assert everyday <= set(tok(query))
    opening_doc = agreement_source(EVERYDAY_OPENING_DOC)
    # Preconditions: by profile rarity alone (the old rule) these words would name the document...
    limit = _rare_in_profile(router, opening_doc, everyday)
    # ...but across all chunk text they are spread over many documents.
    spread = agreements.service.lexical.get("contracts").document_counts(everyday)
    assert spread == {t: len(EVERYDAY_TEXT_DOCS) + 1 for t in everyday}
    assert min(spread.values()) > NAMING_SPREAD_FACTOR * limit

    routed = router.route(query, ["contracts"], n=3)
    assert routed and routed[0].source == opening_doc  # the profile BM25 still ranks it first...
    assert all(d.naming_tokens == frozenset() for d in routed)  # ...but nothing is named
    # So search is not pulled into that one agreement: the service-level clauses of many answer.
    got = agreements.retriever.search(query, ["contracts"], 8)
    assert got[0].source != opening_doc
    assert len({r.source for r in got}) >= 6
    assert all(r.section_path.endswith("3. Service Levels") for r in got[:5])


def test_party_names_still_name_a_document_alongside_everyday_words(agreements):
    tok = agreements.service.lexical.tokenizer
    provider, client = parties(EVERYDAY_OPENING_DOC)
    query = f"How many minutes of training in total are given under the agreement between {provider} and {client}?"
    routed = agreements.retriever.router.route(query, ["contracts"], n=3)
    assert routed[0].source == agreement_source(EVERYDAY_OPENING_DOC)
    # "train" is in this one document's text only: it names it too; "minut"/"total" do not.
    assert routed[0].naming_tokens == frozenset(tok(f"{provider} {client}")) | {"train"}
    services = agreements.the_chunk(agreement_source(EVERYDAY_OPENING_DOC), "2. Services")
    assert services in ids(agreements.retriever.search(query, ["contracts"], 8))[:3]
    # The search inside the agreement drops only the names: "training" is what is asked about.
    assert routed[0].name_tokens == frozenset(tok(f"{provider} {client}"))
    residual = residual_query(query, routed[0].name_tokens, tok)
    assert "training" in residual and provider.split()[0] not in residual and client.split()[0] not in residual


def test_rare_topic_words_written_in_lower_case_name_no_document(agreements):
    """Two words that only one agreement's opening uses ("triaged", "fortnight") but always in lower
    case are a topic, not a name: the query is not routed into that agreement (a runbook question
    about "on-call load and pain" was pulled into the one page that opens with those words)."""
    router, tok = agreements.retriever.router, agreements.service.lexical.tokenizer
    query = "Within how many fortnights must a triaged complaint be closed?"
    topic = {"fortnight", "triag"}
    assert topic <= set(tok(query))
    doc = agreement_source(LOWERCASE_TOPIC_DOC)
    # Preconditions: rare among profiles and across all text, so rarity alone would name the document.
    _rare_in_profile(router, doc, topic)
    assert agreements.service.lexical.get("contracts").document_counts(topic) == {t: 1 for t in topic}
    assert len(topic) >= agreements.retriever.settings.retrieval.route_min_naming

    routed = router.route(query, ["contracts"], n=3)
    assert routed[0].source == doc  # the profile BM25 ranks it first...
    assert routed[0].naming_tokens == frozenset() and routed[0].name_tokens == frozenset()  # ...but it is not named
    services = agreements.the_chunk(doc, "2. Services")
    assert services == ids(agreements.retriever.search(query, ["contracts"], 8))[0]  # found as a topic


@pytest.mark.parametrize(("text", "names"), [
    ('This Agreement is made between Deltathree, Inc. and PrimeCall ("PrimeCall").', {"agreement", "deltathre", "inc", "primecal"}),
    # A word the text also writes in lower case is an everyday word there, whatever its headings say.
    ("## Load and Pain\nOn-call load is expected; anything over it is on-call pain.", set()),
    ("Rubicon Software Group plc and the plc's auditors", {"rubicon", "softwar", "group"}),
    ("RUBICON SOFTWARE GROUP PLC", {"rubicon", "softwar", "group", "plc"}),  # all capitals: all names
    ("the 2023 pricing annex, section 4.2", set()),  # numbers are never names
])
def test_name_tokens_are_the_words_a_text_writes_only_capitalised(text, names):
    assert name_tokens(text, Tokenizer()) == names


# ============================================================================================
# 5. LexicalIndex.document_counts
# ============================================================================================

def test_document_counts_counts_distinct_sources_per_token(tmp_path):
    tok = Tokenizer()
    index = LexicalIndex(tmp_path / "bm25", tok)
    assert index.document_counts({"alpha"}) == {"alpha": 0}  # nothing built yet
    rows = [
        ("a1", "alpha beta", "runbook", "a.md"),
        ("a2", "alpha gamma", "runbook", "a.md"),
        ("a3", "alpha", "runbook", "a.md"),
        ("b1", "beta delta", "sop", "b.md"),
        ("c1", "epsilon", "sop", "c.md"),
    ]
    with index.build_lock():
        index.build(rows)
    counts = index.document_counts({"alpha", "beta", "gamma", "epsilon", "zeta"})
    assert counts == {"alpha": 1, "beta": 2, "gamma": 1, "epsilon": 1, "zeta": 0}
    # Tokens are the tokenizer's (stemmed) tokens: "runs" and "running" are one token "run".
    with index.build_lock():
        index.build(rows + [("c2", "running late", "sop", "c.md"), ("d1", "runs alpha", "other", "d.md")])
    assert index.document_counts({"run", "alpha", "late"}) == {"run": 2, "alpha": 2, "late": 1}
    # A new generation is read by another instance over the same folder as well.
    again = LexicalIndex(tmp_path / "bm25", tok)
    assert again.document_counts({"alpha", "beta"}) == {"alpha": 2, "beta": 2}


def test_document_counts_on_the_routing_corpus(agreements):
    tok = agreements.service.lexical.tokenizer
    party = tok(parties(7)[0])[0]
    counts = agreements.service.lexical.get("contracts").document_counts({party, "notic", "minut", "nosuchtoken"})
    assert counts == {party: 1, "notic": AGREEMENTS, "minut": len(EVERYDAY_TEXT_DOCS) + 1, "nosuchtoken": 0}


@pytest.mark.parametrize(("query", "exact"), [
    ("Section 14.3", True), ("what does clause 12.2 say?", True), ("article iv", True),
    ("status of KB0042137", True), ('"liquidated damages"', True),
    # Not references: a clause *type*, a severity name, a year, plain words.
    ("Is there an anti-assignment clause in this contract?", False), ("how do I handle a SEV-2", False),
    ("the 2023 pricing annex", False), ("who picks the scribe", False),
])
def test_what_counts_as_an_exact_reference(query, exact):
    from assistant.retrieval.hybrid import cites_exact_reference

    assert cites_exact_reference(query) is exact


def test_an_exact_rrf_tie_goes_to_the_list_that_preferred_its_pick_by_more(mixed):
    """Dense rank 1 + BM25 rank 2 ties BM25 rank 1 + dense rank 2 in plain RRF; the raw scores
    break the tie (a tiny term that never reorders distinct RRF sums)."""
    from assistant.retrieval.hybrid import _Hit

    r = mixed.retriever
    rrf_k = r.settings.retrieval.rrf_k
    close, clear = type("C", (), {"id": "a", "distance": 0.50})(), type("C", (), {"id": "b", "distance": 0.52})()
    hits: dict[str, _Hit] = {}
    r._add_ranked(hits, [(close, "x"), (clear, "x")], 1.0, dense=True)  # dense: a barely ahead of b
    r._add_ranked(hits, [("b", 9.0, "x"), ("a", 2.0, "x")], 1.0)  # BM25: b far ahead of a
    assert abs((hits["a"].score - hits["b"].score)) < 1e-4  # plain RRF alone would be an exact tie
    assert hits["b"].score > hits["a"].score
    plain = 1 / (rrf_k + 1) + 1 / (rrf_k + 2)
    for hit in hits.values():  # the term stays below the gap between adjacent ranks in 60 candidates
        assert 0 < hit.score - plain < 1 / ((rrf_k + 60) * (rrf_k + 61))


# ============================================================================================
# 6. Identifiers: alert names written as one word, asked about in words
# ============================================================================================

ALERT_DOCS = {
    "runbooks/alerts/DialerTrunkSaturated.md": """# DialerTrunkSaturated

## Meaning
Every outbound line of the dialer is in use for longer than ten minutes.

## Mitigation
Pause the lowest-priority campaign and ask the carrier for burst lines.
""",
    "runbooks/alerts/DialerTrunkFlapping.md": """# DialerTrunkFlapping

## Meaning
The dialer keeps losing and regaining its connection to the carrier.

## Mitigation
Fail over to the backup carrier and open a ticket with the primary one.
""",
    "runbooks/alerts/WallboardStale.md": """# WallboardStale

## Meaning
The floor wallboard has not refreshed its queue figures for five minutes.

## Mitigation
Restart the wallboard feed service.
""",
}


def test_tokenizer_splits_identifiers_on_the_document_side_only():
    tok = Tokenizer()
    assert tok("NodeNetworkInterfaceFlapping") == ["nodenetworkinterfaceflap"]
    assert tok("NodeNetworkInterfaceFlapping", split_identifiers=True) == [
        "nodenetworkinterfaceflap", "node", "network", "interfac", "flap"]
    # An acronym run before a capitalised word is one part; digits, plain words and clause numbers are untouched.
    assert tok("CPUThrottlingHigh", split_identifiers=True) == ["cputhrottlinghigh", "cpu", "throttl", "high"]
    assert tok("Section 12.2 of the Agreement", split_identifiers=True) == tok("Section 12.2 of the Agreement") == [
        "section", "12.2", "agreement"]
    # Stopword parts are dropped, the whole identifier never is.
    assert tok("ShouldBeOnCall", split_identifiers=True) == ["shouldbeoncal", "should", "call"]


@pytest.fixture(scope="module")
def alerts(tmp_path_factory, embedder):
    yield from indexed_corpus(tmp_path_factory, embedder, "alerts", ALERT_DOCS, retrieval=FUSION_RETRIEVAL)


def test_an_alert_described_in_words_finds_its_mitigation_section(alerts):
    # "Pause the lowest-priority campaign..." never says what it mitigates: only the heading path
    # (DialerTrunkSaturated > Mitigation) does, as one word.
    query = "the dialer trunk is saturated - what's the mitigation?"
    mitigation = alerts.the_chunk("runbooks/alerts/DialerTrunkSaturated.md", "Mitigation")
    lexical = [cid for cid, _, _ in alerts.retriever._lexical(query, ["runbooks"], 8, None, None)]
    assert lexical[0] == mitigation
    assert mitigation in ids(alerts.retriever.search(query, ["runbooks"], 3))


def test_an_identifier_in_the_question_still_matches_whole(alerts):
    query = "WallboardStale fired, what now?"
    lexical = [cid for cid, _, _ in alerts.retriever._lexical(query, ["runbooks"], 8, None, None)]
    assert {alerts.chunks[c].meta["source"] for c in lexical[:2]} == {"runbooks/alerts/WallboardStale.md"}


@pytest.mark.parametrize(
    "stored,title,shown",
    [
        ("Refund Exceptions SOP > 5. Procedure > 5.1 Handling the Request", "Refund Exceptions SOP",
         "5. Procedure > 5.1 Handling the Request"),
        ("Statement of Work No. 1: Customer Care > 8. Service Credits", "Statement of Work No. 1 - Customer Care",
         "8. Service Credits"),  # same words, other punctuation
        ("Refund Exceptions SOP", "Refund Exceptions SOP", ""),
        ("12. Term and Termination > 12.2", "Master Services Agreement", "12. Term and Termination > 12.2"),
        ("Incident Response > Incident Response Roles", "Incident Response", "Incident Response Roles"),
        ("", "Anything", ""),
    ],
)
def test_a_shown_section_path_leaves_out_the_title_at_its_head(stored, title, shown):
    assert shown_section_path(stored, title) == shown


def test_search_results_do_not_repeat_the_title_in_the_section_path(sample_service):
    # The sample SOP's first heading is its title: stored in the path (BM25 indexes it), not shown.
    results = sample_service.search("refund above my approval limit: submit an approval request", admin()).results
    sop = [r for r in results if r.source == "runbooks/refund-exceptions-sop.md"]
    assert sop and all(r.section_path and not r.section_path.startswith("Refund Exceptions SOP") for r in sop)
    (stored,) = sample_service.store.get(sop[0].collection, [sop[0].chunk_id])
    assert stored.meta["section_path"] == f"Refund Exceptions SOP > {sop[0].section_path}"
