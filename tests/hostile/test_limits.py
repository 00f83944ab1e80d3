"""Resource limits: a file over one fails alone, with the limit named, and the batch goes on."""

from __future__ import annotations

import pytest

from assistant.config import MiB, LimitsSettings
from evals.hostile import files as hostile
from ingest.limits import LimitExceeded
from ingest.loaders import load_document
from tests.conftest import admin, write_files

CONTROL = {"runbooks/refunds.md": "# Refunds\n\nRefunds over 500 dollars need a team lead's approval.\n"}


def _ingest(service_factory, corpus, **limits):
    svc = service_factory(limits=limits)
    summary = svc.ingest(corpus, admin())
    return svc, {f.source: (f.status, f.reason or "") for f in summary.files}


def test_a_docx_zip_bomb_fails_alone_on_the_member_limit(service_factory, tmp_path):
    corpus = write_files(tmp_path / "corpus", CONTROL)
    hostile.docx_bomb(corpus / "runbooks/bomb.docx", 8 * MiB)
    svc, got = _ingest(service_factory, corpus, max_archive_member_bytes=2 * MiB)
    assert got["runbooks/bomb.docx"][0] == "failed"
    assert "limits.max_archive_member_bytes" in got["runbooks/bomb.docx"][1]
    assert got["runbooks/refunds.md"][0] == "indexed"
    assert svc.search("refund approval", admin(), k=1).results[0].source == "runbooks/refunds.md"


def test_zip_headers_that_understate_the_inflated_size_do_not_get_the_bomb_through(tmp_path):
    bomb = hostile.docx_lying_sizes(tmp_path / "lies.docx", 8 * MiB, claimed_bytes=1000)
    import zipfile

    assert zipfile.ZipFile(bomb).getinfo("word/document.xml").file_size == 1000  # the headers lie
    with pytest.raises(Exception) as caught:
        load_document(bomb, LimitsSettings(max_archive_member_bytes=2 * MiB))
    assert "max_archive_member_bytes" in str(caught.value) or "not a valid .docx" in str(caught.value)


def test_the_total_inflated_size_of_an_archive_is_capped(tmp_path):
    bomb = hostile.docx_bomb(tmp_path / "bomb.docx", 3 * MiB)
    with pytest.raises(LimitExceeded, match="limits.max_archive_total_bytes"):
        load_document(bomb, LimitsSettings(max_archive_member_bytes=8 * MiB, max_archive_total_bytes=2 * MiB))
    assert load_document(bomb, LimitsSettings(max_archive_member_bytes=8 * MiB)).text  # within the limits it loads


def test_pages_sharing_one_large_stream_are_charged_for_every_page(tmp_path):
    shared = hostile.pdf_shared_stream(tmp_path / "shared.pdf", pages=16, stream_bytes=128 * 1024)
    with pytest.raises(LimitExceeded, match="limits.max_pdf_inflated_bytes"):
        load_document(shared, LimitsSettings(max_pdf_inflated_bytes=MiB))  # 16 x 128 KB of parsing
    single = hostile.pdf_shared_stream(tmp_path / "single.pdf", pages=1, stream_bytes=128 * 1024)
    assert load_document(single, LimitsSettings(max_pdf_inflated_bytes=MiB)).text


def test_a_pdf_over_the_page_limit_fails_before_its_text_is_extracted(tmp_path):
    pdf = hostile.pdf_pages(tmp_path / "long.pdf", pages=5)
    with pytest.raises(LimitExceeded, match=r"limits.max_pdf_pages \(5 > 3 pages\)"):
        load_document(pdf, LimitsSettings(max_pdf_pages=3))


def test_file_size_and_document_length_limits_fail_the_file_alone(service_factory, tmp_path):
    corpus = write_files(tmp_path / "corpus", {
        **CONTROL,
        "runbooks/big.txt": "Escalate to the duty lead. " * 200,  # 5,400 bytes
        "runbooks/long.md": "# Long\n\n" + "Refund steps follow the policy.\n" * 60,  # about 1,900 characters
    })
    _, got = _ingest(service_factory, corpus, max_file_bytes=4096, max_document_chars=1500)
    assert got["runbooks/big.txt"][0] == "failed" and "limits.max_file_bytes" in got["runbooks/big.txt"][1]
    assert got["runbooks/long.md"][0] == "failed" and "limits.max_document_chars" in got["runbooks/long.md"][1]
    assert got["runbooks/refunds.md"][0] == "indexed"


def test_a_file_over_the_time_budget_fails_alone_and_the_lock_is_released(service_factory, tmp_path):
    corpus = write_files(tmp_path / "corpus", CONTROL)
    hostile.pdf_shared_stream(corpus / "runbooks/slow.pdf", pages=1, stream_bytes=2 * MiB)  # seconds of pypdf
    hostile.unbroken_text(corpus / "runbooks/unbroken.txt", 3_000_000)  # quick to load, seconds to chunk
    write_files(corpus, {"runbooks/zz-after.md": "# After\n\nThe file after the slow ones is indexed too.\n"})
    svc, got = _ingest(service_factory, corpus, file_timeout_s=1)
    assert got["runbooks/slow.pdf"] == ("failed", "took longer than limits.file_timeout_s (1 s)")
    # Loading it may take the second already on a busy machine; if not, chunking does.
    assert got["runbooks/unbroken.txt"][0] == "failed"
    assert got["runbooks/unbroken.txt"][1].startswith("took longer than limits.file_timeout_s")
    assert got["runbooks/refunds.md"][0] == got["runbooks/zz-after.md"][0] == "indexed"
    again = svc.ingest(corpus, admin())  # the lock was released; the failed files are tried again
    assert {f.source for f in again.files if f.status == "failed"} == {"runbooks/slow.pdf", "runbooks/unbroken.txt"}


def test_a_parser_over_its_memory_cap_fails_the_file_not_the_process(service_factory, tmp_path):
    corpus = write_files(tmp_path / "corpus", CONTROL)
    hostile.docx_bomb(corpus / "runbooks/bomb.docx", 150 * MiB)  # within the archive limits set below
    write_files(corpus, {"runbooks/zz-after.md": "# After\n\nIndexed after the bomb.\n"})
    _, got = _ingest(service_factory, corpus, max_archive_member_bytes=512 * MiB, max_archive_total_bytes=512 * MiB,
                     parse_memory_bytes=256 * MiB)
    status, reason = got["runbooks/bomb.docx"]
    assert status == "failed" and "limits.parse_memory_bytes" in reason
    assert got["runbooks/refunds.md"][0] == got["runbooks/zz-after.md"][0] == "indexed"


def test_a_slow_parser_start_up_is_not_charged_to_the_file(tmp_path, monkeypatch):
    # On a busy machine a fresh parse worker can take seconds to start and import its parsers; the
    # file it then reads (e.g. the one after a killed file) used to fail its time budget for that.
    from assistant.config import RedactionSettings
    from ingest.parse_worker import ParseWorker

    slow = tmp_path / "slow-start"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text("import time\ntime.sleep(2.5)\n")
    monkeypatch.setenv("PYTHONPATH", str(slow))
    (tmp_path / "a.txt").write_text("A short runbook line.\n")
    with ParseWorker(LimitsSettings(file_timeout_s=1), RedactionSettings()) as parser:
        parsed = parser.parse(tmp_path / "a.txt", str(tmp_path))
    assert "short runbook" in parsed.text
