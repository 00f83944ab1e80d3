"""Integration: real Chroma in a temp dir, the real packaged model, the bundled sample corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.metadata import title_for
from tests.conftest import SHARED, admin, needs_shared

MSA = "contracts/northbeam-lumen-msa.pdf"


def _all_chunks(service) -> dict[str, dict]:
    out = {}
    for name in service.store.collection_names():
        for c in service.store.iter_all(name):
            out[c.id] = {"text": c.text, **c.meta}
    return out


def test_sample_ingests_every_file_with_metadata(sample_service):
    docs = {d.source: d for d in sample_service.documents(admin())}
    assert len(docs) == 8
    assert docs[MSA].doc_type == "msa"
    assert docs["contracts/northbeam-lumen-sow-customer-care.docx"].doc_type == "sow"
    assert docs["contracts/northbeam-lumen-dpa.pdf"].doc_type == "dpa"
    assert docs["runbooks/refund-exceptions-sop.md"].doc_type == "sop"
    assert docs["runbooks/chat-backlog-incident-runbook.md"].doc_type == "runbook"
    assert docs[MSA].effective_date.startswith("March 1")
    assert docs[MSA].collection == "contracts"
    assert docs["runbooks/escalation-matrix.docx"].collection == "runbooks"


def test_chunk_offsets_point_into_the_source_text(sample_service):
    md = Path(__file__).resolve().parents[1] / "samples/corpus/runbooks/refund-exceptions-sop.md"
    text = md.read_text(encoding="utf-8")
    chunks = [c for c in _all_chunks(sample_service).values() if c["source"] == "runbooks/refund-exceptions-sop.md"]
    assert len(chunks) > 3
    for c in chunks:
        assert text[c["char_start"] : c["char_end"]] == c["text"]


def test_pdf_chunks_carry_page_numbers_and_clause_numbers(sample_service):
    chunks = [c for c in _all_chunks(sample_service).values() if c["source"] == MSA]
    assert all(c.get("page_start") for c in chunks)
    assert max(c["page_end"] for c in chunks) >= 5
    convenience = [c for c in chunks if "Termination for Convenience" in c["text"]]
    assert convenience and convenience[0]["clause_no"] == "12.2"
    assert "Term and Termination" in convenience[0]["section_path"]


def test_pdf_chunks_across_a_page_break_read_on_and_know_where_each_page_starts(sample_service):
    from ingest.loaders import load_document

    sample = Path(__file__).resolve().parents[1] / "samples/corpus"
    for source in (MSA, "contracts/northbeam-lumen-dpa.pdf"):
        doc = load_document(sample / source)
        chunks = [c for c in _all_chunks(sample_service).values() if c["source"] == source]
        across = [c for c in chunks if c["page_end"] > c["page_start"]]
        assert across, source  # both sample PDFs have clauses that run onto the next page
        for c in chunks:
            # The running header ("Northbeam / Lumen ... - Confidential") and "Page N" are page
            # furniture: blanked, so quotes read on across the break; offsets are unchanged.
            assert "- Confidential" not in c["text"] and "\nPage " not in c["text"]
            assert doc.text[c["char_start"] : c["char_end"]] == c["text"]
            breaks = [int(b) for b in c["page_breaks"].split(",") if b]
            assert len(breaks) == c["page_end"] - c["page_start"]
            for n, offset in enumerate(breaks, start=1):
                assert c["char_start"] < offset < c["char_end"]
                assert doc.page_at(offset) == c["page_start"] + n


def test_a_quote_after_a_page_break_inside_a_chunk_cites_the_later_page(sample_service):
    from assistant.contracts.document import load_contract

    contract = load_contract(sample_service.listing, sample_service.store, admin(), "contracts/northbeam-lumen-dpa.pdf")
    chunk = next(c for c in contract.chunks if c.meta["page_end"] > c.meta["page_start"])
    first_break = int(chunk.meta["page_breaks"].split(",")[0])
    assert contract.page_at(first_break - 1) == chunk.meta["page_start"]
    assert contract.page_at(first_break + 1) == chunk.meta["page_start"] + 1


def test_every_chunk_fits_the_model_window(sample_service, embedder):
    for c in _all_chunks(sample_service).values():
        header = " > ".join(p for p in (c["title"], c["section_path"]) if p)
        assert embedder.count_tokens(header + "\n" + c["text"]) <= embedder.max_seq_length


@pytest.mark.parametrize(
    "question,source,phrase",
    [
        ("how much notice does the customer need to end the MSA for convenience?", MSA, "ninety (90) days"),
        ("who approves a refund above 5000 dollars?", "runbooks/refund-exceptions-sop.md", "5,000"),
        ("how often do we send status updates during a SEV-1 chat backlog?", "runbooks/chat-backlog-incident-runbook.md", "30 minutes"),
        ("within how many hours must the vendor report a personal data breach?", "contracts/northbeam-lumen-dpa.pdf", "(48) hours"),
        ("what is the email response time target in the SOW?", "contracts/northbeam-lumen-sow-customer-care.docx", "24 hours"),
    ],
)
def test_search_returns_the_expected_document_first_and_its_section_in_the_top_5(sample_service, question, source, phrase):
    results = sample_service.search(question, admin(), k=5).results
    assert results[0].source == source, [r.source for r in results]
    assert any(phrase in r.text for r in results if r.source == source)


def test_reingest_of_unchanged_files_embeds_nothing(service_factory, sample_copy):
    svc = service_factory()
    first = svc.ingest(sample_copy, admin())
    before = _all_chunks(svc)
    again = svc.ingest(sample_copy, admin())
    assert first.chunks_written == len(before) > 0
    assert again.chunks_written == 0 and again.texts_embedded == 0
    assert again.count("unchanged") == len(again.files) == 8
    assert _all_chunks(svc) == before


def test_editing_one_file_changes_only_its_chunks(service_factory, sample_copy):
    svc = service_factory()
    svc.ingest(sample_copy, admin())
    before = _all_chunks(svc)
    target = sample_copy / "runbooks/quality-monitoring-sop.md"
    target.write_text(target.read_text(encoding="utf-8") + "\n\n## Appendix\n\nCalibration notes are kept for 18 months.\n", encoding="utf-8")
    summary = svc.ingest(sample_copy, admin())
    after = _all_chunks(svc)
    assert summary.count("indexed") == 1 and summary.count("unchanged") == 7
    assert 1 <= summary.texts_embedded <= 2  # only the new/changed tail is embedded
    others_before = {k: v for k, v in before.items() if v["source"] != "runbooks/quality-monitoring-sop.md"}
    others_after = {k: v for k, v in after.items() if v["source"] != "runbooks/quality-monitoring-sop.md"}
    assert others_before == others_after
    hits = svc.search("how long are calibration notes kept", admin(), k=3).results
    assert "18 months" in hits[0].text


def test_deleting_a_file_removes_its_chunks(service_factory, sample_copy):
    svc = service_factory()
    svc.ingest(sample_copy, admin())
    (sample_copy / "contracts/northbeam-lumen-dpa.pdf").unlink()
    summary = svc.ingest(sample_copy, admin())
    assert [f.source for f in summary.files if f.status == "removed"] == ["contracts/northbeam-lumen-dpa.pdf"]
    assert not [c for c in _all_chunks(svc).values() if c["source"] == "contracts/northbeam-lumen-dpa.pdf"]
    results = svc.search("personal data breach notification 48 hours sub-processor", admin(), k=8).results
    assert all(r.source != "contracts/northbeam-lumen-dpa.pdf" for r in results)
    assert all(d.source != "contracts/northbeam-lumen-dpa.pdf" for d in svc.documents(admin()))


class _CrashingEmbedder:
    """The real model, but the process 'dies' on the second batch (as a kill -9 would)."""

    def __init__(self, real):
        self.real = real
        self.calls = 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def embed(self, texts):
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt("simulated crash")
        return self.real.embed(texts)


def test_interrupted_run_rerun_to_completion_leaves_exactly_the_right_chunks(tmp_path, embedder, sample_copy):
    from tests.conftest import build_service

    reference = build_service(tmp_path / "clean", embedder)
    reference.ingest(sample_copy, admin())
    expected = _all_chunks(reference)

    crashing = build_service(tmp_path / "crash", _CrashingEmbedder(embedder))
    crashing.ingestor.batch_chunks = 32  # several batches, so some documents commit before the crash
    with pytest.raises(KeyboardInterrupt):
        crashing.ingest(sample_copy, admin())
    resumed = build_service(tmp_path / "crash", embedder)
    summary = resumed.ingest(sample_copy, admin())
    assert not summary.partial
    got = _all_chunks(resumed)
    strip = lambda d: {k: {f: v for f, v in m.items() if f != "ingested_at"} for k, m in d.items()}
    assert strip(got) == strip(expected)


def _write_bad_files(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\x01")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "notes.xyz").write_text("what is this", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 r\xe9sum\xe9: refunds over \xa3100 need approval.".encode("latin-1"))
    return {"empty.pdf": "empty", "corrupt.pdf": "", "binary.txt": "binary", "notes.xyz": "unsupported"}


def test_bad_files_are_reported_and_the_rest_is_indexed(service_factory, sample_copy):
    svc = service_factory()
    expected = _write_bad_files(sample_copy / "runbooks" / "bad")
    summary = svc.ingest(sample_copy, admin())
    failed = {Path(f.source).name: f.reason for f in summary.files if f.status == "failed"}
    assert set(failed) == set(expected)
    for name, word in expected.items():
        assert failed[name] and "\n" not in failed[name]
        assert word in failed[name].lower()
    assert summary.partial
    assert summary.count("indexed") == 9  # the 8 sample files + the latin-1 text


def test_a_file_that_turns_corrupt_keeps_its_previous_chunks(service_factory, sample_copy):
    svc = service_factory()
    svc.ingest(sample_copy, admin())
    msa = sample_copy / MSA
    msa.write_bytes(msa.read_bytes()[: len(msa.read_bytes()) // 3])  # truncated by a bad copy
    summary = svc.ingest(sample_copy, admin())
    assert [f.source for f in summary.files if f.status == "failed"] == [MSA]
    hits = svc.search("termination for convenience ninety days", admin(), k=3).results
    assert hits[0].source == MSA


def test_missing_path_is_a_failed_run_not_a_crash(service_factory, tmp_path):
    summary = service_factory().ingest(tmp_path / "nope", admin())
    assert summary.partial and summary.files[0].reason == "path does not exist"


def test_nothing_reaches_the_network(service_factory, sample_copy, monkeypatch):
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("/"):
            raise AssertionError(f"network access to {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    svc = service_factory()
    svc.ingest(sample_copy, admin())
    assert svc.search("refund approval", admin(), k=3).results
    assert svc.ask("who approves refunds over 5000 dollars?", admin()).answer


@needs_shared
def test_shared_corpus_mix_indexes_and_finds_sections(service_factory, tmp_path):
    corpus = tmp_path / "mix"
    picks = [
        "contracts/pdf/NETZEEINC_11_14_2002-EX-10.3-MAINTENANCE AGREEMENT.pdf",
        "contracts/pdf/DYNTEKINC_07_30_1999-EX-10-ONLINE HOSTING AGREEMENT.pdf",
        "templates/common-paper/docx/common-paper-data-processing-agreement.docx",
        "templates/bonterms/bonterms-professional-services-agreement-cover-page.docx",
    ]
    runbooks = sorted((SHARED / "runbooks/pagerduty/incident-response-docs").rglob("*.md"))[:5]
    for rel in picks + [str(p.relative_to(SHARED)) for p in runbooks]:
        dst = corpus / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHARED / rel, dst)
    svc = service_factory()
    summary = svc.ingest(corpus, admin())
    assert summary.count("indexed") == len(picks) + len(runbooks), summary
    docs = {d.source: d for d in svc.documents(admin())}
    assert docs[picks[0]].doc_type in {"contract", "msa"}
    again = svc.ingest(corpus, admin())
    assert again.texts_embedded == 0
    hits = svc.search("sub-processor notice and objection", admin(), k=5).results
    assert any(h.source == picks[2] for h in hits)


@pytest.mark.parametrize("parsed,path,expected", [
    (None, "runbooks/pagerduty/resources/anti_patterns.md", "Anti patterns"),  # as MkDocs titles a page
    ("", "runbooks/during-an-incident.md", "During an incident"),
    (None, "contracts/BANGIINC_05_25_2005-EX-10-Premium Managed Hosting Agreement.txt",
     "BANGIINC 05 25 2005 EX 10 Premium Managed Hosting Agreement"),  # capitals are the author's: kept
    ("  Refund   Exceptions SOP ", "runbooks/x.md", "Refund Exceptions SOP"),
])
def test_a_title_from_the_file_name_reads_as_a_title(parsed, path, expected):
    assert title_for(parsed, path) == expected
