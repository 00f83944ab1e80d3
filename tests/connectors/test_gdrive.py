"""Google Drive (v3 changes API, Docs exported as DOCX, shared drives) synced from a local fake."""

from __future__ import annotations

import io
import json
import secrets

import pytest

from tests.conftest import admin, as_role
from tests.connectors.conftest import catalog_by_source, connector_source, outcomes, restricted_reasons, sync
from tests.connectors.fake_drive import DOCX, FOLDER, GDOC, GSHEET, FakeDrive

ROOT = "rootFolder01"
EMAIL = "bpo-sync@ops-project.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def rsa_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return key, pem


def _docx(paragraphs: list[str], heading: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(heading, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.drawString(72, 780, text)
    pdf.save()
    return buf.getvalue()


@pytest.fixture
def drive(rsa_key, monkeypatch, tmp_path):
    key, pem = rsa_key
    fake = FakeDrive(key.public_key(), EMAIL).start()
    info = {"type": "service_account", "project_id": "ops-project", "private_key_id": "k1", "private_key": pem,
            "client_email": EMAIL, "client_id": "1234567890", "token_uri": fake.token_uri}
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps(info))
    monkeypatch.setenv("GDRIVE_KEY", str(key_file))  # the path form; the JSON form is tested below
    fake.key_info = info
    yield fake
    fake.stop()


def _service(service_factory, fake, settings: dict | None = None, **connector):
    block = {"type": "gdrive", "credentials_env": "GDRIVE_KEY", "folder_id": ROOT, "api_url": fake.url, **connector}
    return service_factory(sources=[connector_source("team-drive", block)], **(settings or {}))


def _tree(fake):
    fake.add("Operations", FOLDER, "")  # the shared root's own parent is outside the tree
    fake.files["rootFolder01"] = fake.files.pop(next(iter(fake.files)))
    fake.files["rootFolder01"].id = ROOT
    docs = {
        "handbook": fake.add("Agent handbook", GDOC, ROOT, _docx(["Agents greet customers within ten seconds of a chat opening.",
                                                                   "Hold times above two minutes need a supervisor check-in."], "Agent handbook")),
        "pdf": fake.add("Escalation poster.pdf", "application/pdf", ROOT, _pdf("Escalate abusive callers to the duty manager at once.")),
        "sheet": fake.add("Rota", GSHEET, ROOT),
    }
    hr = fake.add("HR cases", FOLDER, ROOT, limited=True)
    docs["hr"] = fake.add("Grievance steps.md", "text/markdown", hr.id, b"# Grievance steps\n\nGrievances are heard within five days.\n")
    docs["outside"] = fake.add("Elsewhere.md", "text/markdown", "someOtherFolder", b"# Elsewhere\n\nNot in the synced folder.\n")
    return hr, docs


def test_first_sync_exports_docs_and_restricts_limited_folders(service_factory, drive):
    hr, docs = _tree(drive)
    service = _service(service_factory, drive)

    report = sync(service)

    src = report.sources[0]
    assert src.status == "complete"
    assert outcomes(report, "indexed") == ["team-drive/Agent handbook.docx", "team-drive/Escalation poster.pdf",
                                           "team-drive/HR cases/Grievance steps.md"]
    assert outcomes(report, "skipped") == ["team-drive/Rota"]
    assert restricted_reasons(report) == {
        "team-drive/HR cases/Grievance steps.md": "its folder 'HR cases' has limited access in Google Drive"}
    docs_by_source = catalog_by_source(service)
    assert docs_by_source["team-drive/HR cases/Grievance steps.md"].collection == "restricted"
    handbook = docs_by_source["team-drive/Agent handbook.docx"]
    assert handbook.url == drive.link(docs["handbook"]) and handbook.collection == "runbooks"
    hit = service.search("how fast must agents greet a chat customer", as_role("bpo_agent"), k=1).results[0]
    assert hit.source == "team-drive/Agent handbook.docx" and "ten seconds" in hit.text
    exports = drive.seen(r"/export$")
    assert [r.query["mimeType"] for r in exports] == [DOCX]
    assert drive.tokens_issued == 1 and drive.subjects == [None]


def test_the_change_feed_brings_edits_removals_renames_and_moves(service_factory, drive):
    hr, docs = _tree(drive)
    extra = drive.add("Refund limits.md", "text/markdown", ROOT, b"# Refund limits\n\nAgents may refund up to 50 dollars.\n")
    drive.page_size = 2  # listings and change pages of two: nextPageToken is followed
    service = _service(service_factory, drive)
    first = sync(service)
    assert len(outcomes(first, "indexed")) == 4 and len(drive.seen(r"/drive/v3/files$")) == 4  # 3 pages of the root, 1 of HR
    handbook_id = catalog_by_source(service)["team-drive/Agent handbook.docx"].doc_id

    drive.update(docs["handbook"], name="Agent handbook 2026", data=_docx(
        ["Agents greet customers within five seconds of a chat opening.", "Hold times above two minutes need a supervisor check-in."],
        "Agent handbook"))
    drive.remove(docs["pdf"])
    drive.update(extra, parent="someOtherFolder")  # moved out of the synced folder
    drive.requests.clear()
    report = sync(service)

    assert outcomes(report, "indexed") == ["team-drive/Agent handbook 2026.docx"]
    assert outcomes(report, "removed") == ["team-drive/Escalation poster.pdf", "team-drive/Refund limits.md"]
    assert len(drive.seen(r"/drive/v3/changes$")) == 2 and not drive.seen(r"/drive/v3/files$")  # no listing: the feed
    rows = catalog_by_source(service)
    assert rows["team-drive/Agent handbook 2026.docx"].doc_id == handbook_id
    assert sorted(rows) == ["team-drive/Agent handbook 2026.docx", "team-drive/HR cases/Grievance steps.md"]
    assert "five seconds" in service.search("how fast must agents greet a chat customer", admin(), k=1).results[0].text


def test_a_shared_drive_is_read_with_all_drives_support(service_factory, drive, monkeypatch):
    monkeypatch.setenv("GDRIVE_KEY", json.dumps(drive.key_info))  # the key itself in the variable
    drive.add("Shared SOP.md", "text/markdown", "sharedDrive9", b"# Shared SOP\n\nNight shift closes tickets older than a week.\n",
              shared_drive="sharedDrive9")
    service = _service(service_factory, drive, folder_id=None, drive_id="sharedDrive9", subject="ops.lead@example.com")

    report = sync(service)

    assert outcomes(report, "indexed") == ["team-drive/Shared SOP.md"]
    listing = drive.seen(r"/drive/v3/files$")[0].query
    assert listing["supportsAllDrives"] == "true" and listing["corpora"] == "drive" and listing["driveId"] == "sharedDrive9"
    assert drive.subjects == ["ops.lead@example.com"]


def test_a_broken_export_fails_alone(service_factory, drive):
    hr, docs = _tree(drive)
    drive.update(docs["handbook"], data=b"this is not a zip file")
    service = _service(service_factory, drive)

    report = sync(service)

    failed = {i.source: i.reason for i in report.sources[0].items if i.status == "failed"}
    assert list(failed) == ["team-drive/Agent handbook.docx"] and failed["team-drive/Agent handbook.docx"]
    assert "team-drive/Escalation poster.pdf" in outcomes(report, "indexed")
    assert report.partial


def test_an_expired_token_is_refreshed_and_a_bad_key_is_named(service_factory, drive, monkeypatch, rsa_key, caplog):
    hr, docs = _tree(drive)
    service = _service(service_factory, drive)
    sync(service)
    drive.update(docs["pdf"], data=_pdf("Escalate abusive callers to the duty manager within one minute."))
    drive.valid_tokens.clear()  # tokens issued so far are dead; the next sync's first token too, once issued
    original = drive._token

    def token_then_expire(req):
        reply = original(req)
        if drive.tokens_issued == 2:
            drive.valid_tokens.clear()
        return reply

    drive._routes[0] = ("POST", drive._routes[0][1], token_then_expire)
    report = sync(service)
    assert report.sources[0].status == "complete" and outcomes(report, "indexed") == ["team-drive/Escalation poster.pdf"]
    assert drive.tokens_issued == 3

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    monkeypatch.setenv("GDRIVE_KEY", json.dumps({**drive.key_info, "private_key": other}))
    caplog.set_level("DEBUG")
    failed = sync(service)
    src = failed.sources[0]
    assert src.status == "failed"
    assert src.error == "Google refused the service account in GDRIVE_KEY: invalid_grant"
    body = other.split("-----")[2].strip().splitlines()[1]
    assert body not in caplog.text + failed.model_dump_json()


def test_synced_files_meet_the_ingest_limits_each_failing_alone(service_factory, drive):
    hr, docs = _tree(drive)
    mib = 1024 * 1024
    # A Word file of a few KiB whose body part inflates to 2 MiB, past a 1 MiB member limit.
    bomb = drive.add("Refund matrix.docx", DOCX, ROOT, _docx(["refund escalation step " * (2 * mib // 23)], "Refund matrix"))
    big = drive.add("Scanned contract.pdf", "application/pdf", ROOT, b"%PDF-1.4\n" + b"0" * (80 * 1024))
    # An export larger than the limit (its size is not listed: the download stops at the cap).
    drive.update(docs["handbook"], data=_docx(["Agents greet customers within ten seconds."] +
                                              [secrets.token_hex(500) for _ in range(200)], "Agent handbook"))
    assert len(bomb.data) < 64 * 1024 < len(docs["handbook"].data)
    service = _service(service_factory, drive, settings={"limits": {"max_file_bytes": 64 * 1024, "max_archive_member_bytes": mib}})

    report = sync(service)

    failed = {i.source: i.reason for i in report.sources[0].items if i.status == "failed"}
    assert set(failed) == {"team-drive/Refund matrix.docx", "team-drive/Scanned contract.pdf", "team-drive/Agent handbook.docx"}
    assert "limits.max_archive_member_bytes" in failed["team-drive/Refund matrix.docx"]  # in the parse child, like any file
    assert failed["team-drive/Scanned contract.pdf"] == f"file is larger than limits.max_file_bytes ({len(big.data)} > 65536 bytes)"
    assert failed["team-drive/Agent handbook.docx"] == "file is larger than limits.max_file_bytes (65536 bytes)"  # export streamed
    assert not drive.seen(rf"/files/{big.id}$")  # its listed size was enough: never downloaded
    assert outcomes(report, "indexed") == ["team-drive/Escalation poster.pdf", "team-drive/HR cases/Grievance steps.md"]
    assert report.sources[0].status == "complete"
    assert not list((service.settings.home / "connectors" / "team-drive" / "files").glob("*.part"))
