"""In server mode the document list comes from the shared Chroma server, not the local catalog:
an API process with its own (empty) data directory lists what another process ingested."""

from __future__ import annotations

from tests.conftest import admin, as_role, build_service, write_files

CORPUS = {
    "runbooks/quokka-handling.md": "# Quokka handling\n\nEscalate every quokka sighting to the duty lead.\n",
    "runbooks/wombat-returns-sop.md": "# Wombat returns\n\nWombat returns need a supervisor code.\n",
    "contracts/acme-msa.md": "# Master Services Agreement\n\n12.2 Either party may terminate on ninety days notice.\n",
}


def _listing(docs) -> set[tuple]:
    return {(d.doc_id, d.source, d.collection, d.doc_type, d.title, d.chunks, d.ingested_at) for d in docs}


def test_a_process_with_another_data_directory_lists_the_servers_documents(tmp_path, embedder, fresh_server):
    ingest = build_service(tmp_path / "home-a", embedder, store=fresh_server.store)
    corpus = write_files(tmp_path / "corpus", CORPUS)
    assert not ingest.ingest(corpus, admin()).partial
    api = build_service(tmp_path / "home-b", embedder, store=fresh_server.store)
    try:
        assert api.catalog.all() == []  # nothing was ingested from this data directory

        listed = api.documents(admin())
        assert _listing(listed) == _listing(ingest.catalog.all()) and len(listed) == 3
        assert {d.root for d in listed} == {""}  # only the ingesting process's catalog knows the root

        # The ingesting process lists the same, with the root its catalog recorded.
        assert _listing(ingest.documents(admin())) == _listing(listed)
        assert {d.root for d in ingest.documents(admin())} == {str(corpus.resolve())}

        # Access still decides: an agent sees the runbooks only, and never a root.
        agent = ingest.documents(as_role("bpo_agent"))
        assert {d.source for d in agent} == {"runbooks/quokka-handling.md", "runbooks/wombat-returns-sop.md"}
        assert {d.root for d in agent} == {""}
        assert {d.source for d in api.documents(as_role("bpo_agent"))} == {d.source for d in agent}
        assert api.documents(as_role()) == []

        # The contract tools find a contract by the same listing, not by the local catalog.
        terms = api.contracts.key_terms("acme-msa.md", as_role("legal"))
        assert terms.source == "contracts/acme-msa.md"
    finally:
        for svc in (ingest, api):
            svc.catalog.close()
