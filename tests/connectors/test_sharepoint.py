"""SharePoint (Microsoft Graph delta queries) synced into a real index from a local fake."""

from __future__ import annotations

import io
import json

import pytest

from tests.conftest import admin, as_role
from tests.connectors.conftest import catalog_by_source, connector_source, outcomes, readable_by, restricted_reasons, sync
from tests.connectors.fake_graph import CLIENT_ID, TENANT, FakeGraph

SECRET = "graph-secret~Zt8Q.do-not-log"


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    from docx import Document

    doc = Document()
    for style, text in paragraphs:
        doc.add_heading(text, level=1) if style == "h" else doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


MSA = _docx([("h", "Master Services Agreement"), ("p", "Either party may terminate for convenience on sixty days written notice."),
             ("h", "Service credits"), ("p", "A missed first-response target earns a credit of four percent of the monthly fee.")])
SOW = b"# Statement of Work 7\n\n## Staffing\n\nTwelve agents cover the weekend queue from Friday 18:00 to Monday 06:00.\n"
NOTES = b"Vendor review notes: the quarterly business review is held in the second week of each quarter.\n"


@pytest.fixture
def graph(monkeypatch):
    fake = FakeGraph(SECRET).start()
    monkeypatch.setenv("GRAPH_SECRET", SECRET)
    yield fake
    fake.stop()


def _service(service_factory, fake, **connector):
    block = {"type": "sharepoint", "tenant_id": TENANT, "client_id": CLIENT_ID, "client_secret_env": "GRAPH_SECRET",
             "site": "contoso.sharepoint.com:/sites/Legal", "folder": "Contracts", "graph_url": fake.graph_url,
             "token_url": fake.token_url, **connector}
    return service_factory(sources=[connector_source("legal-sp", block, collection="contracts",
                                                     roles=["legal", "procurement", "coordinator"])])


def _library(fake):
    contracts = fake.folder("Contracts")
    acme = fake.folder("Acme", parent=contracts.id)
    items = {
        "msa": fake.file("Acme MSA.docx", MSA, parent=acme.id),
        "sow": fake.file("SOW 7.md", SOW, parent=acme.id),
        "sheet": fake.file("rates.xlsx", b"PK\x03\x04 not read", parent=acme.id),
        "outside": fake.file("Team lunch.txt", b"Pizza on Friday.", parent=fake.folder("Social").id),
    }
    return contracts, acme, items


def test_first_sync_takes_the_folder_and_reports_what_it_skips(service_factory, graph):
    contracts, acme, items = _library(graph)
    service = _service(service_factory, graph)

    report = sync(service)

    assert report.sources[0].status == "complete"
    assert outcomes(report, "indexed") == ["legal-sp/Acme/Acme MSA.docx", "legal-sp/Acme/SOW 7.md"]
    assert outcomes(report, "skipped") == ["legal-sp/Acme/rates.xlsx"]
    docs = catalog_by_source(service)
    msa = docs["legal-sp/Acme/Acme MSA.docx"]
    assert msa.collection == "contracts" and msa.doc_type == "msa"
    assert msa.url == graph.web_url(items["msa"])
    assert msa.location == "SharePoint contoso.sharepoint.com:/sites/Legal Documents/Contracts/Acme"
    assert "Team lunch.txt" not in " ".join(docs)  # outside the synced folder
    hit = service.search("termination for convenience notice", as_role("legal"), k=1).results[0]
    assert hit.source == "legal-sp/Acme/Acme MSA.docx" and hit.url == graph.web_url(items["msa"])
    assert graph.tokens_issued == 1


def test_delta_brings_only_the_edit_the_delete_and_the_rename(service_factory, graph):
    contracts, acme, items = _library(graph)
    service = _service(service_factory, graph)
    sync(service)
    msa_id = catalog_by_source(service)["legal-sp/Acme/Acme MSA.docx"].doc_id

    graph.update(items["sow"], data=SOW.replace(b"Twelve agents", b"Fifteen agents"))
    graph.update(items["msa"], name="Acme Master Services Agreement.docx")  # renamed, same bytes
    graph.delete(items["sheet"])
    graph.requests.clear()
    report = sync(service)

    src = report.sources[0]
    assert outcomes(report, "indexed") == ["legal-sp/Acme/Acme Master Services Agreement.docx", "legal-sp/Acme/SOW 7.md"]
    assert [r.path for r in graph.seen(r"/content$")] == [f"/v1.0/drives/b!LegalDocsDrive/items/{items['sow'].id}/content"]
    assert src.fetched == 1  # the rename needed no download
    assert len(graph.seen(r"/root/delta$")) == 1 and "token" in graph.seen(r"/root/delta$")[0].query
    docs = catalog_by_source(service)
    assert docs["legal-sp/Acme/Acme Master Services Agreement.docx"].doc_id == msa_id
    assert "legal-sp/Acme/Acme MSA.docx" not in docs
    hit = service.search("how many agents cover the weekend queue", admin(), k=1).results[0]
    assert "Fifteen agents" in hit.text


def test_a_deleted_file_and_a_renamed_folder(service_factory, graph):
    contracts, acme, items = _library(graph)
    service = _service(service_factory, graph)
    sync(service)

    graph.delete(items["sow"])
    graph.update(acme, name="Acme Corp")  # the feed names only the folder
    report = sync(service)

    assert outcomes(report, "removed") == ["legal-sp/Acme/SOW 7.md"]
    assert outcomes(report, "indexed") == ["legal-sp/Acme Corp/Acme MSA.docx"]
    assert report.sources[0].fetched == 0
    assert sorted(catalog_by_source(service)) == ["legal-sp/Acme Corp/Acme MSA.docx"]


def test_files_with_their_own_permissions_are_restricted_and_reported(service_factory, graph):
    contracts, acme, items = _library(graph)
    private = graph.folder("Board", parent=contracts.id, own_permissions=True)
    graph.file("Board minutes.md", b"# Board minutes\n\nThe board approved the vendor exit plan.\n", parent=private.id)
    graph.file("Side letter.md", b"# Side letter\n\nA confidential rebate of two percent applies.\n", parent=acme.id, own_permissions=True)
    service = _service(service_factory, graph)

    report = sync(service)

    assert restricted_reasons(report) == {
        "legal-sp/Board/Board minutes.md": "its folder 'Board' has its own permissions in SharePoint",
        "legal-sp/Acme/Side letter.md": "it has its own permissions in SharePoint (not inherited from the synced folder)"}
    docs = catalog_by_source(service)
    assert docs["legal-sp/Acme/Side letter.md"].collection == "restricted" and docs["legal-sp/Acme/SOW 7.md"].collection == "contracts"
    assert "legal-sp/Acme/Side letter.md" not in readable_by(service, "legal", "confidential rebate")


def test_a_429_storm_is_waited_out_as_retry_after_says(service_factory, graph, sleeps):
    _library(graph)
    graph.fault(r"/root/delta", 429, times=3, retry_after="7")
    graph.fault(r"/content", 503, times=2, retry_after="2")
    service = _service(service_factory, graph)

    report = sync(service, sleeps)

    assert report.sources[0].status == "complete" and len(outcomes(report, "indexed")) == 2
    assert sleeps == [7.0, 7.0, 7.0, 2.0, 2.0]


def test_a_storm_longer_than_the_tries_stops_and_the_next_sync_resumes(service_factory, graph, sleeps):
    _library(graph)
    graph.page_size = 1  # root, three folders, then the files: the storm hits after the first file
    service = _service(service_factory, graph, max_tries=3)
    graph.fault(r"skiptoken=s0:5", 429, times=-1, retry_after="30")

    first = sync(service, sleeps)

    src = first.sources[0]
    assert src.status == "partial" and "rate limited on every one of 3 tries" in src.error
    assert sleeps == [30.0, 30.0]
    indexed_first = outcomes(first, "indexed")
    assert indexed_first  # what came before the storm is indexed and kept
    graph.clear_faults()
    graph.requests.clear()
    second = sync(service)

    assert second.sources[0].status == "complete"
    deltas = [r.target for r in graph.seen(r"/root/delta$")]
    assert deltas[0].endswith("skiptoken=s0:5")  # resumed from the last good page, not from the start
    assert sorted(indexed_first + outcomes(second, "indexed")) == ["legal-sp/Acme/Acme MSA.docx", "legal-sp/Acme/SOW 7.md"]


def test_a_server_error_mid_feed_keeps_the_cursor_of_the_last_good_page(service_factory, graph):
    _library(graph)
    graph.page_size = 2
    service = _service(service_factory, graph, max_tries=2)
    graph.fault(r"skiptoken=s0:4", 500, times=-1)

    first = sync(service)
    assert first.sources[0].status == "partial" and "HTTP 500" in first.sources[0].error
    state = json.loads((service.settings.home / "connectors" / "legal-sp" / "state.json").read_text())
    assert state["cursor"]["next_link"].endswith("skiptoken=s0:4")

    graph.clear_faults()
    assert sync(service).sources[0].status == "complete"
    assert sorted(catalog_by_source(service)) == ["legal-sp/Acme/Acme MSA.docx", "legal-sp/Acme/SOW 7.md"]


def test_an_expired_token_is_refreshed_once(service_factory, graph):
    contracts, acme, items = _library(graph)
    service = _service(service_factory, graph)
    sync(service)

    graph.update(items["sow"], data=SOW + b"\nSaturday staffing is reviewed monthly.\n")
    graph.expire_tokens_after(1)  # mid-sync: the change feed passes, the permissions call gets a 401
    graph.requests.clear()
    report = sync(service)

    assert report.sources[0].status == "complete" and outcomes(report, "indexed") == ["legal-sp/Acme/SOW 7.md"]
    assert graph.tokens_issued == 3  # one per sync, plus one refresh after the 401
    assert len(graph.seen(rf"/items/{items['sow'].id}/permissions$")) == 2  # refused, then retried with the new token


def test_a_token_refused_after_the_refresh_is_a_clear_error(service_factory, graph, monkeypatch):
    _library(graph)
    service = _service(service_factory, graph)
    graph.route("GET", r"/v1.0/sites/([^/]+:/sites/[^/]+)",
                lambda req, path: __import__("tests.connectors.fake_http", fromlist=["Reply"]).Reply(
                    401, {"error": {"code": "InvalidAuthenticationToken", "message": "Lifetime validation failed"}}))
    graph._routes.insert(0, graph._routes.pop())  # the always-401 site look-up wins

    report = sync(service)

    src = report.sources[0]
    assert src.status == "failed"
    assert src.error.startswith("legal-sp: the API refused a fresh token (app ") and "GRAPH_SECRET" in src.error
    assert graph.tokens_issued == 2


def test_a_wrong_client_secret_is_named_not_shown(service_factory, graph, monkeypatch, caplog):
    _library(graph)
    monkeypatch.setenv("GRAPH_SECRET", "wrong-secret-value-xyz")
    caplog.set_level("DEBUG")
    service = _service(service_factory, graph)

    report = sync(service)

    src = report.sources[0]
    assert src.status == "failed"
    assert src.error == f"the token endpoint refused app {CLIENT_ID} with the client secret in GRAPH_SECRET: invalid_client"
    assert "wrong-secret-value-xyz" not in caplog.text + report.model_dump_json()


def test_an_expired_delta_token_enumerates_again_and_drops_what_is_gone(service_factory, graph):
    contracts, acme, items = _library(graph)
    service = _service(service_factory, graph)
    sync(service)
    state = json.loads((service.settings.home / "connectors" / "legal-sp" / "state.json").read_text())
    graph.expired_delta_tokens.add(state["cursor"]["delta_link"].rsplit("token=", 1)[1])
    # Gone while the token was dead: a full enumeration is the only way to notice.
    del graph.items[items["sow"].id]

    report = sync(service)

    assert report.sources[0].status == "complete"
    assert outcomes(report, "removed") == ["legal-sp/Acme/SOW 7.md"]
    assert sorted(catalog_by_source(service)) == ["legal-sp/Acme/Acme MSA.docx"]
