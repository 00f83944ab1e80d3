"""Upload, search, delete and re-scan through HTTP, on a server with its own copy of the index."""

from __future__ import annotations

import io
import subprocess
import sys

import httpx
import pytest

from tests.conftest import REPO
from tests.http.conftest import auth, live_app

QUERY = "quarterly kumquat inventory audit by the vendor"


@pytest.fixture(scope="module")
def writable(copy_service):
    with live_app(copy_service()) as server:
        with httpx.Client(base_url=server.url, timeout=120) as c:
            yield c


def _pdf(*lines: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    y = 780
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


CONTRACT = _pdf("Acme Kumquat Services Agreement", "7 Audits",
                "7.1 Kumquat Audit. The Vendor shall complete a quarterly kumquat inventory audit",
                "and deliver the audit report to the Client within ten (10) business days.")


def _sources(client, role: str) -> list[str]:
    r = client.post("/v1/search", json={"query": QUERY, "k": 5}, headers=auth(role))
    assert r.status_code == 200
    return [x["source"] for x in r.json()["results"]]


def test_upload_search_delete_round_trip(writable):
    files = {"file": ("contracts/acme-kumquat-msa.pdf", CONTRACT, "application/pdf")}
    r = writable.post("/v1/documents", files=files, headers=auth("admin"))
    assert r.status_code == 201, r.text
    summary = r.json()
    assert [f["status"] for f in summary["files"]] == ["indexed"] and summary["chunks_written"] >= 1

    assert "contracts/acme-kumquat-msa.pdf" in _sources(writable, "legal"), _sources(writable, "legal")
    assert "contracts/acme-kumquat-msa.pdf" not in _sources(writable, "bpo_agent")  # a contract: not for agents

    docs = writable.get("/v1/documents", headers=auth("legal")).json()["documents"]
    doc = next(d for d in docs if d["source"] == "contracts/acme-kumquat-msa.pdf")
    assert doc["collection"] == "contracts"

    r = writable.delete(f"/v1/documents/{doc['doc_id']}", headers=auth("admin"))
    assert r.status_code == 200 and r.json()["doc_id"] == doc["doc_id"]
    assert "contracts/acme-kumquat-msa.pdf" not in _sources(writable, "legal")
    assert writable.delete(f"/v1/documents/{doc['doc_id']}", headers=auth("admin")).status_code == 404


def test_the_path_field_names_the_stored_file(writable):
    files = {"file": ("notes.md", b"# Pineapple Escalation\n\nPage the pineapple duty lead within 5 minutes.\n", "text/markdown")}
    r = writable.post("/v1/documents", files=files, data={"path": "runbooks/pineapple-escalation.md"}, headers=auth("admin"))
    assert r.status_code == 201, r.text
    results = writable.post("/v1/search", json={"query": "pineapple duty lead", "k": 3}, headers=auth("bpo_agent")).json()["results"]
    assert results[0]["source"] == "runbooks/pineapple-escalation.md"


def test_an_unreadable_pdf_is_422_and_not_kept(writable):
    files = {"file": ("contracts/broken.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf")}
    r = writable.post("/v1/documents", files=files, headers=auth("admin"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "unreadable_file"
    sources = [d["source"] for d in writable.get("/v1/documents", headers=auth("admin")).json()["documents"]]
    assert "contracts/broken.pdf" not in sources


def test_ingest_rescans_the_configured_paths(writable):
    r = writable.post("/v1/ingest", headers=auth("admin"))
    assert r.status_code == 200, r.text
    runs = r.json()["runs"]
    assert len(runs) == 1 and {f["status"] for f in runs[0]["files"]} == {"unchanged"}
    assert runs[0]["chunks_written"] == 0


def test_ingest_counters_appear_in_metrics(writable):
    files = {"file": ("runbooks/counted.md", b"# Counted\n\nThe mango rota is posted every Monday.\n", "text/markdown")}
    assert writable.post("/v1/documents", files=files, headers=auth("admin")).status_code == 201
    assert writable.post("/v1/ingest", headers=auth("admin")).status_code == 200
    text = writable.get("/metrics").text
    assert _sample(text, 'bpo_ingest_files_total{status="indexed"}') >= 1
    assert _sample(text, 'bpo_ingest_files_total{status="unchanged"}') >= 8
    assert _sample(text, "bpo_ingest_chunks_written_total") >= 1


def _sample(metrics_text: str, name: str) -> float:
    line = next(l for l in metrics_text.splitlines() if l.startswith(name + " "))
    return float(line.rsplit(" ", 1)[1])


def test_only_those_who_manage_documents_see_the_server_folder(writable):
    admin_docs = writable.get("/v1/documents", headers=auth("admin")).json()["documents"]
    assert admin_docs and all(d["root"] for d in admin_docs)
    legal_docs = writable.get("/v1/documents", headers=auth("legal")).json()["documents"]
    assert legal_docs and all(d["root"] == "" for d in legal_docs)


# Holds the data directory's ingest lock the way a cron `bpo-assistant ingest` would.
_HOLD_LOCK = ("import sys,time; from pathlib import Path; from ingest.locks import file_lock\n"
              "with file_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n")


def test_an_upload_during_another_ingest_is_409_and_keeps_the_earlier_file(copy_service):
    svc = copy_service()
    name = "runbooks/papaya-rota.md"
    first = b"# Papaya Rota\n\nThe papaya rota is posted every Friday by the floor lead.\n"
    with live_app(svc) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        r = client.post("/v1/documents", files={"file": (name, first, "text/markdown")}, headers=auth("admin"))
        assert r.status_code == 201, r.text
        holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(svc.settings.home)], cwd=REPO,
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "held"
            second = b"# Papaya Rota\n\nThe papaya rota moved to Mondays.\n"
            r = client.post("/v1/documents", files={"file": (name, second, "text/markdown")}, headers=auth("admin"))
            assert r.status_code == 409, r.text
            assert r.json()["error"]["code"] == "ingest_busy" and "another ingest is running" in r.json()["error"]["message"]
            assert client.post("/v1/ingest", headers=auth("admin")).status_code == 409
        finally:
            holder.kill()
            holder.wait()
        # The upload that could not be indexed did not replace the file the index describes.
        assert (svc.settings.home / "uploads" / name).read_bytes() == first
        results = client.post("/v1/search", json={"query": "when is the papaya rota posted", "k": 3},
                              headers=auth("internal")).json()["results"]
        assert results[0]["source"] == name and "Friday" in results[0]["text"]
