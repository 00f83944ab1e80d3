"""Confluence (Cloud REST v2 and Data Center v1) synced into a real index from a local fake."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from ingest.locks import HomeInUse

from tests.conftest import REPO, admin
from tests.connectors.conftest import catalog_by_source, connector_source, outcomes, readable_by, restricted_reasons, sync
from tests.connectors.fake_confluence import FakeConfluence, cloud_wiki

TOKEN = "atl-token-7Q2xVb91-do-not-log"

OUTAGE = """<h1>Payment gateway outage</h1>
<p>Use this runbook when card authorisations fail for more than five minutes across regions.</p>
<h2>Triage</h2>
<ol><li>Check the processor status page and the decline-rate dashboard.</li>
<li>Page the payments on-call engineer if the decline rate is above 15 percent.</li></ol>
<h2>Severity matrix</h2>
<table><tbody><tr><th>Decline rate</th><th>Severity</th><th>Update cadence</th></tr>
<tr><td>above 40 percent</td><td>SEV1</td><td>every 15 minutes</td></tr>
<tr><td>15 to 40 percent</td><td>SEV2</td><td>every 30 minutes</td></tr></tbody></table>
<ac:structured-macro ac:name="warning"><ac:rich-text-body><p>Never switch processors without the treasury lead's approval.</p></ac:rich-text-body></ac:structured-macro>"""

CHARGEBACK = """<p>Chargeback disputes are answered within seven calendar days of the bank's notice.</p>
<h2>Evidence pack</h2><ul><li>Order confirmation e-mail</li><li>Delivery scan with the courier's timestamp</li></ul>
<p>See <ac:link><ri:page ri:content-title="Payment gateway outage" /></ac:link> when disputes spike after an outage.</p>"""

SECTIONS = {
    "Intake": "Warehouse returns arrive at dock four between six and ten in the morning. Each parcel is scanned against the "
              "return authorisation number, weighed, and photographed on the inspection table before anyone opens it. Parcels "
              "without an authorisation number are set aside on the red shelf and reported to the returns desk supervisor.",
    "Inspection": "Inspectors grade each returned item A, B or C. Grade A items are sealed, unused and resellable at full "
                  "price; grade B items are opened but complete and go to the outlet channel; grade C items are damaged and "
                  "are recycled through the certified partner. Every grade is recorded in the warehouse system with a photo.",
    "Refund release": "Refunds for grade A and grade B returns are released within two business days of inspection. Grade C "
                      "returns are refunded only after the quality lead confirms the damage was caused in transit, and the "
                      "customer is told the outcome by e-mail with the inspection photos attached.",
}


def _sections_body(overrides: dict[str, str] | None = None) -> str:
    parts = {**SECTIONS, **(overrides or {})}
    return "".join(f"<h2>{title}</h2><p>{text}</p>" for title, text in parts.items())


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for i, line in enumerate(lines):
        pdf.drawString(72, 780 - 18 * i, line)
    pdf.save()
    return buf.getvalue()


@pytest.fixture
def cloud(monkeypatch):
    with cloud_wiki(monkeypatch, TOKEN) as fake:
        yield fake


def _service(service_factory, fake, settings: dict | None = None, **connector):
    block = {"type": "confluence", "base_url": fake.base_url, "flavor": fake.flavor, "space": fake.space,
             "token_env": "CONF_TOKEN", **({"user_env": "CONF_USER"} if fake.flavor == "cloud" else {}), **connector}
    return service_factory(sources=[connector_source("ops-wiki", block)], **(settings or {}))


def test_first_sync_indexes_pages_attachments_labels_and_links(service_factory, cloud):
    outage = cloud.add_page("Payment gateway outage", OUTAGE)
    disputes = cloud.add_page("Chargeback disputes", CHARGEBACK, parent=outage, labels=["sop", "payments"])
    cloud.attach(disputes, "dispute-letter-template.pdf", _pdf(["Dispute letter template", "Quote the acquirer reference number."]),
                 "application/pdf")
    cloud.attach(disputes, "screenshot.png", b"\x89PNG not a document", "image/png")
    service = _service(service_factory, cloud)

    report = sync(service)

    src = report.sources[0]
    assert src.status == "complete" and src.error is None
    assert outcomes(report, "indexed") == [
        "ops-wiki/Payment gateway outage",
        "ops-wiki/Payment gateway outage/Chargeback disputes",
        "ops-wiki/Payment gateway outage/Chargeback disputes/dispute-letter-template.pdf",
    ]
    docs = catalog_by_source(service)
    page = docs["ops-wiki/Payment gateway outage/Chargeback disputes"]
    assert page.doc_type == "sop"  # the label names the type
    assert page.labels == "payments,sop" and page.collection == "runbooks"
    assert page.url == cloud.base_url + cloud.webui(disputes)
    assert page.location == "Confluence space OPS/Payment gateway outage" and page.source_version == "1"
    hits = service.search("decline rate above 40 percent severity", admin(), k=3).results
    table_hit = next(h for h in hits if h.source == "ops-wiki/Payment gateway outage")
    assert "SEV1" in table_hit.text and "Severity matrix" in table_hit.section_path  # headings and table rows kept
    assert table_hit.url == cloud.base_url + cloud.webui(outage)
    assert service.search("acquirer reference number dispute letter", admin(), k=1).results[0].source.endswith(".pdf")
    # A link to another page reads as its title; the code-free storage markup never reaches the text.
    linked = service.search("disputes spike after an outage", admin(), k=1).results[0]
    assert "Payment gateway outage" in linked.text and "ri:page" not in linked.text


def test_an_answer_cites_the_page_by_its_link(service_factory, cloud):
    outage = cloud.add_page("Payment gateway outage", OUTAGE)
    service = _service(service_factory, cloud)
    sync(service)
    answer = service.ask("Who must approve switching payment processors?", admin())
    assert answer.grounded
    assert answer.citations[0].url == cloud.base_url + cloud.webui(outage)


def test_an_edit_reembeds_only_the_changed_chunk_of_the_changed_page(service_factory, cloud):
    returns = cloud.add_page("Warehouse returns", _sections_body())
    cloud.add_page("Payment gateway outage", OUTAGE)
    service = _service(service_factory, cloud)
    first = sync(service).sources[0]
    chunks_before = next(i.chunks for i in first.items if i.source == "ops-wiki/Warehouse returns")
    assert chunks_before >= 3

    cloud.edit(returns, _sections_body({"Refund release": SECTIONS["Refund release"].replace("two business days", "five business days")}))
    cloud.requests.clear()
    second = sync(service).sources[0]

    assert outcomes_of(second, "indexed") == ["ops-wiki/Warehouse returns"]
    assert outcomes_of(second, "unchanged") == ["ops-wiki/Payment gateway outage"]
    assert second.texts_embedded == 1  # one section changed: one chunk embedded, the others kept
    assert [r.path for r in cloud.seen(r"/api/v2/pages/\d+$")] == [f"/wiki/api/v2/pages/{returns.id}"]  # one body fetched
    hit = service.search("how long until refunds are released after inspection", admin(), k=1).results[0]
    assert "five business days" in hit.text

    third = sync(service).sources[0]
    assert third.texts_embedded == 0 and third.fetched == 0 and not outcomes_of(third, "indexed")


def outcomes_of(source_report, status: str) -> list[str]:
    return sorted(i.source for i in source_report.items if i.status == status)


def test_a_deleted_page_and_its_attachment_leave_the_index(service_factory, cloud):
    keep = cloud.add_page("Payment gateway outage", OUTAGE)
    gone = cloud.add_page("Chargeback disputes", CHARGEBACK, parent=keep)
    cloud.attach(gone, "evidence-checklist.pdf", _pdf(["Evidence checklist for disputes"]), "application/pdf")
    service = _service(service_factory, cloud)
    sync(service)
    mirror = service.settings.home / "connectors" / "ops-wiki" / "files"
    assert len(list(mirror.iterdir())) == 3

    del cloud.pages[gone.id]
    report = sync(service)

    assert outcomes(report, "removed") == ["ops-wiki/Payment gateway outage/Chargeback disputes",
                                           "ops-wiki/Payment gateway outage/Chargeback disputes/evidence-checklist.pdf"]
    assert list(catalog_by_source(service)) == ["ops-wiki/Payment gateway outage"]
    assert all(h.source == "ops-wiki/Payment gateway outage" for h in service.search("chargeback evidence pack", admin(), k=5).results)
    assert len(list(mirror.iterdir())) == 1


def test_a_renamed_page_is_relabelled_not_duplicated(service_factory, cloud):
    page = cloud.add_page("Chargeback disputes", CHARGEBACK)
    service = _service(service_factory, cloud)
    sync(service)
    doc_id = catalog_by_source(service)["ops-wiki/Chargeback disputes"].doc_id

    cloud.edit(page, title="Card dispute handling")
    sync(service)

    rows = service.catalog.all()
    assert [(r.doc_id, r.source) for r in rows] == [(doc_id, "ops-wiki/Card dispute handling")]
    hits = service.search("chargeback disputes answered within seven calendar days", admin(), k=5).results
    assert {h.source for h in hits} == {"ops-wiki/Card dispute handling"}
    assert all(h.title == "Card dispute handling" for h in hits)


def test_a_restricted_page_and_its_children_go_to_the_restricted_partition(service_factory, cloud):
    cloud.add_page("Payment gateway outage", OUTAGE)
    legal = cloud.add_page("Processor contract notes", "<p>The processor may terminate on ninety days notice.</p>", restricted=True)
    child = cloud.add_page("Fee schedule", "<p>Interchange plus 0.4 percent per card transaction.</p>", parent=legal)
    service = _service(service_factory, cloud)

    report = sync(service)

    fee = "ops-wiki/Processor contract notes/Fee schedule"
    assert restricted_reasons(report) == {"ops-wiki/Processor contract notes": "this page has read restrictions",
                                          fee: "its ancestor page 'Processor contract notes' has read restrictions"}
    docs = catalog_by_source(service)
    assert docs[fee].collection == "restricted" and docs["ops-wiki/Payment gateway outage"].collection == "runbooks"
    assert fee not in readable_by(service, "bpo_agent", "interchange fee per card transaction")
    assert fee in readable_by(service, "admin", "interchange fee per card transaction")

    legal.restricted = False  # lifted without an edit: the next sync widens it back to the configured partition
    sync(service)
    assert catalog_by_source(service)["ops-wiki/Processor contract notes/Fee schedule"].collection == "runbooks"
    assert child.version == 1


def test_listing_follows_the_cursor_across_pages(service_factory, cloud):
    for n in range(7):
        cloud.add_page(f"Shift handover {n}", f"<p>Handover checklist number {n}: confirm queue depth and open incidents.</p>")
    service = _service(service_factory, cloud, page_size=3)

    report = sync(service)

    assert len(outcomes(report, "indexed")) == 7
    listings = cloud.seen(r"/api/v2/spaces/\d+/pages$")
    assert len(listings) == 3 and "cursor" in listings[1].query and "cursor" in listings[2].query


def test_a_malformed_page_fails_alone_and_is_retried(service_factory, cloud):
    cloud.add_page("Payment gateway outage", OUTAGE)
    broken = cloud.add_page("Broken export", None)  # no storage body at all
    empty = cloud.add_page("Only a table of contents", '<ac:structured-macro ac:name="toc"/>')
    service = _service(service_factory, cloud)

    report = sync(service)

    failed = {i.source: i.reason for i in report.sources[0].items if i.status == "failed"}
    assert set(failed) == {"ops-wiki/Broken export", "ops-wiki/Only a table of contents"}
    assert "no storage-format body" in failed["ops-wiki/Broken export"]
    assert outcomes(report, "indexed") == ["ops-wiki/Payment gateway outage"]
    assert report.partial and report.sources[0].status == "complete"

    broken.body = "<p>Restored: the export now carries the escalation contacts.</p>"  # fixed without a new version
    del cloud.pages[empty.id]
    again = sync(service)
    assert outcomes(again, "indexed") == ["ops-wiki/Broken export"]
    assert not again.partial


def test_an_attachment_the_server_keeps_failing_fails_alone(service_factory, cloud, sleeps):
    page = cloud.add_page("Chargeback disputes", CHARGEBACK)
    cloud.attach(page, "bank-codes.pdf", _pdf(["Reason code 4837: no cardholder authorisation"]), "application/pdf")
    cloud.fault(r"/download/attachments/", 502, times=-1)
    service = _service(service_factory, cloud, max_tries=3)

    report = sync(service, sleeps)

    failed = {i.source: i.reason for i in report.sources[0].items if i.status == "failed"}
    assert failed == {"ops-wiki/Chargeback disputes/bank-codes.pdf": "HTTP 502 on every one of 3 tries"}
    assert outcomes(report, "indexed") == ["ops-wiki/Chargeback disputes"]
    assert report.sources[0].status == "complete" and len(sleeps) == 2  # backed off between the tries

    cloud.clear_faults()
    assert outcomes(sync(service, sleeps), "indexed") == ["ops-wiki/Chargeback disputes/bank-codes.pdf"]


def test_a_rejected_token_is_a_clear_error_and_keeps_the_index(service_factory, cloud, monkeypatch, caplog):
    cloud.add_page("Payment gateway outage", OUTAGE)
    service = _service(service_factory, cloud)
    sync(service)

    monkeypatch.setenv("CONF_TOKEN", "revoked-token-value-123")
    caplog.set_level("DEBUG")
    report = sync(service)

    src = report.sources[0]
    assert src.status == "failed"
    assert "CONF_TOKEN" in src.error and "refused" in src.error
    assert "revoked-token-value-123" not in src.error + caplog.text + report.model_dump_json()
    assert list(catalog_by_source(service)) == ["ops-wiki/Payment gateway outage"]


def test_a_missing_credential_names_the_variable(service_factory, cloud, monkeypatch):
    monkeypatch.delenv("CONF_TOKEN")
    service = _service(service_factory, cloud)
    report = sync(service)
    assert report.sources[0].status == "failed"
    assert report.sources[0].error == "environment variable CONF_TOKEN is not set (it holds the Confluence API token)"
    assert cloud.requests == []


def test_data_center_v1_pages_restrictions_labels_attachments(service_factory, monkeypatch):
    fake = FakeConfluence("datacenter", token=TOKEN).start()
    try:
        monkeypatch.setenv("CONF_TOKEN", TOKEN)
        outage = fake.add_page("Payment gateway outage", OUTAGE, labels=["runbook"])
        vault = fake.add_page("Treasury", "<p>Treasury contacts for processor switches.</p>", restricted=True)
        fake.add_page("Bank holidays", "<p>Settlement is delayed on bank holidays in every region.</p>", parent=vault)
        fake.attach(outage, "outage-comms-template.pdf", _pdf(["Customer notice for a payment outage"]), "application/pdf")
        for n in range(3):
            fake.add_page(f"Regional contact {n}", f"<p>Region {n} escalation desk phone rota.</p>")
        service = _service(service_factory, fake, page_size=2)

        report = sync(service)

        assert report.sources[0].status == "complete"
        assert len(outcomes(report, "indexed")) == 7
        docs = catalog_by_source(service)
        assert docs["ops-wiki/Treasury/Bank holidays"].collection == "restricted"
        assert docs["ops-wiki/Payment gateway outage"].doc_type == "runbook"
        assert docs["ops-wiki/Payment gateway outage"].url == fake.base_url + fake.webui(outage)
        assert docs["ops-wiki/Payment gateway outage/outage-comms-template.pdf"].chunks >= 1
        assert len(fake.seen(r"/confluence/rest/api/content$")) == 3  # six pages, start/limit pages of two
    finally:
        fake.stop()


def test_page_bodies_are_parsed_in_the_parse_child_under_the_limits(service_factory, cloud):
    cloud.add_page("Payment gateway outage", OUTAGE)
    cloud.add_page("Nested export", "<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000)
    cloud.add_page("Policy dump", "<p>" + "Chargebacks are answered within seven days. " * 400 + "</p>")
    service = _service(service_factory, cloud, settings={"limits": {"max_document_chars": 10_000}})

    report = sync(service)

    failed = {i.source: i.reason for i in report.sources[0].items if i.status == "failed"}
    assert set(failed) == {"ops-wiki/Nested export", "ops-wiki/Policy dump"}
    assert "nesting too deep" in failed["ops-wiki/Nested export"]  # a recursion in this process stopped the whole source
    assert "limits.max_document_chars" in failed["ops-wiki/Policy dump"]
    assert outcomes(report, "indexed") == ["ops-wiki/Payment gateway outage"]
    assert report.sources[0].status == "complete"


def test_a_sync_into_a_home_another_process_writes_is_refused_before_fetching(service_factory, cloud, tmp_path):
    from tests.hostile.test_single_writer import _CLAIM

    cloud.add_page("Payment gateway outage", OUTAGE)
    service = _service(service_factory, cloud)
    holder = subprocess.Popen([sys.executable, "-c", _CLAIM, str(service.settings.home)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(HomeInUse, match=rf"ingest \(pid {holder.pid} since"):
            sync(service)
        assert not cloud.requests and not (service.settings.home / "connectors").exists()
    finally:
        holder.kill()
        holder.wait()
    assert outcomes(sync(service), "indexed") == ["ops-wiki/Payment gateway outage"]  # the kernel freed the lock
