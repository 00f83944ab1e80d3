"""Ingest never reads outside its root, and every entry under it gets an outcome line."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from assistant.models import Caller
from ingest.walk import Walk, walk_root
from tests.conftest import REPO, admin, as_role, write_files

SECRET = "zebracorn-passphrase-7731 lives only outside the ingest root"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file and a folder next to the ingest root, which nothing may index."""
    write_files(tmp_path / "outside", {"secret.txt": SECRET + "\n", "private/notes.md": "# Notes\n\n" + SECRET + "\n"})
    return tmp_path / "outside"


def _corpus(tmp_path) -> Path:
    return write_files(tmp_path / "corpus", {
        "runbooks/refunds.md": "# Refunds\n\nRefunds over 500 dollars need a team lead's approval.\n",
    })


def _outcomes(summary) -> dict[str, tuple[str, str | None]]:
    return {f.source: (f.status, f.reason) for f in summary.files}


def test_symlinks_leaving_the_root_are_refused_with_a_reason_and_never_indexed(service_factory, tmp_path, outside):
    corpus = _corpus(tmp_path)
    (corpus / "runbooks/passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "runbooks/private").symlink_to(outside / "private", target_is_directory=True)
    (corpus / "runbooks/relative.txt").symlink_to(Path("../../outside/secret.txt"))
    svc = service_factory()
    summary = svc.ingest(corpus, admin())
    got = _outcomes(summary)
    for source in ("runbooks/passwd.txt", "runbooks/private", "runbooks/relative.txt"):
        assert got[source] == ("skipped", "symlink leads outside the ingest root"), source
    assert got["runbooks/refunds.md"][0] == "indexed"
    for role in ("admin", "bpo_agent"):
        hits = svc.search("zebracorn passphrase", as_role(role), k=5).results
        assert all("zebracorn" not in h.text for h in hits)
    assert {d.source for d in svc.documents(admin())} == {"runbooks/refunds.md"}


def test_links_inside_the_root_loops_broken_links_and_fifos_each_get_an_outcome(service_factory, tmp_path):
    corpus = _corpus(tmp_path)
    runbooks = corpus / "runbooks"
    (runbooks / "alias.md").symlink_to("refunds.md")  # a link to a file inside the root: read
    (runbooks / "loop-a").symlink_to("loop-b")
    (runbooks / "loop-b").symlink_to("loop-a")
    (runbooks / "gone.md").symlink_to("nowhere.md")
    (runbooks / "self").symlink_to(".", target_is_directory=True)  # a folder link: never followed
    os.mkfifo(runbooks / "pipe.txt")  # opening it would block the ingest forever
    summary = service_factory().ingest(corpus, admin())
    got = _outcomes(summary)
    assert got["runbooks/alias.md"][0] == "indexed"
    assert got["runbooks/loop-a"] == ("skipped", "symlink loop")
    assert got["runbooks/loop-b"] == ("skipped", "symlink loop")
    assert got["runbooks/gone.md"][0] == "skipped" and "broken symlink" in got["runbooks/gone.md"][1]
    assert got["runbooks/self"][0] == "skipped" and "not followed" in got["runbooks/self"][1]
    assert got["runbooks/pipe.txt"] == ("skipped", "not a regular file (FIFO)")
    assert not summary.partial  # nothing failed: each was deliberately not read


def test_every_entry_under_the_root_gets_exactly_one_outcome_line(service_factory, tmp_path, outside):
    corpus = _corpus(tmp_path)
    write_files(corpus, {".hidden/x.md": "# X\n\nhidden\n", "runbooks/notes.xyz": "what is this", "LICENSES/a.txt": "MIT\n"})
    (corpus / "runbooks/out.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(corpus / "fifo")
    # The product excludes only hidden entries by default now (main e7f0eb7): the excluded folder is configured here.
    summary = service_factory(exclude=["**/.*", "LICENSES/**"]).ingest(corpus, admin())
    sources = [f.source for f in summary.files]
    entries = {".hidden", "runbooks/refunds.md", "runbooks/notes.xyz", "LICENSES", "runbooks/out.txt", "fifo"}
    assert sorted(sources) == sorted(entries)  # one line each; an excluded folder is one line
    assert all(f.reason for f in summary.files if f.status in ("skipped", "failed"))


def _walk_as_nobody(root: Path) -> Walk:
    """walk_root where the folder's permissions apply: as root, in a forked child with the
    effective uid of `nobody` (root reads every folder)."""
    if os.geteuid() != 0:
        return walk_root(root, [])
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setegid(65534)
            os.seteuid(65534)
            os.write(write, pickle.dumps(walk_root(root, [])))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def test_an_unreadable_folder_is_reported_as_failed():
    # Directly under the system temp folder: pytest's own temp folders are private to their owner.
    base = Path(tempfile.mkdtemp(prefix="bpo-walk-"))
    try:
        root = write_files(base / "corpus", {"runbooks/a.md": "# A\n\nReadable.\n", "runbooks/locked/b.md": "# B\n\nLocked.\n"})
        for folder in (base, root, root / "runbooks"):
            folder.chmod(0o755)
        (root / "runbooks/a.md").chmod(0o644)
        (root / "runbooks/locked").chmod(0o000)
        walk = _walk_as_nobody(root)
    finally:
        (base / "corpus/runbooks/locked").chmod(0o755)
        shutil.rmtree(base)
    assert [s for s, _ in walk.files] == ["runbooks/a.md"]
    assert [(o.source, o.status, o.reason) for o in walk.outcomes] == [
        ("runbooks/locked", "failed", "folder cannot be read: permission denied")]
    assert walk.unreadable_folders == ["runbooks/locked"]


def test_a_folder_that_cannot_be_listed_keeps_what_was_indexed_from_it(service_factory, tmp_path):
    corpus = write_files(tmp_path / "corpus", {"runbooks/a.md": "# A\n\nAardvark steps.\n",
                                              "runbooks/locked/b.md": "# B\n\nBison steps.\n"})
    svc = service_factory()
    svc.ingest(corpus, admin())
    # The next run could not list runbooks/locked (see the test above for how a walk reports it).
    walk = Walk(files=[("runbooks/a.md", corpus / "runbooks/a.md")], unreadable_folders=["runbooks/locked"])
    walk.outcomes.append(_failed_folder("runbooks/locked"))
    summary = svc.ingestor._run(corpus, walk, None, prune=True)
    assert [f.status for f in summary.files if f.source == "runbooks/locked"] == ["failed"]
    assert "removed" not in {f.status for f in summary.files}
    assert {d.source for d in svc.documents(admin())} == {"runbooks/a.md", "runbooks/locked/b.md"}


def _failed_folder(source: str):
    from assistant.models import FileOutcome

    return FileOutcome(source=source, status="failed", reason="folder cannot be read: permission denied")


def test_an_upload_cannot_write_or_read_through_a_link_out_of_the_uploads_folder(service_factory, outside):
    from assistant.errors import InvalidInput

    svc = service_factory()
    uploads = svc.settings.home / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "runbooks").symlink_to(outside / "private", target_is_directory=True)
    (uploads / "contracts.md").symlink_to(outside / "secret.txt")
    for name in ("runbooks/new.md", "contracts.md"):
        with pytest.raises(InvalidInput, match="leads outside the uploads folder"):
            svc.upload(name, b"# New\n\nUploaded text.\n", admin())
    assert sorted(p.name for p in (outside / "private").iterdir()) == ["notes.md"]
    assert (outside / "secret.txt").read_text().startswith("zebracorn")


# -- any file name --------------------------------------------------------------------------------

def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BPO_ASSISTANT_HOME": str(home), "BPO_ASSISTANT_CONFIG": str(REPO / "config.yaml")}
    return subprocess.run([sys.executable, "-m", "assistant.surfaces.cli", *args], cwd=REPO, env=env,
                          capture_output=True, timeout=300)


def test_the_ingest_json_report_survives_any_file_name(tmp_path):
    corpus = _corpus(tmp_path)
    names = [b"runbooks/caf\xe9-latin1-name.md", b"runbooks/line\nbreak.md", b"runbooks/\xff\xfe.txt"]
    for raw in names:
        with open(os.fsencode(corpus) + b"/" + raw, "wb") as fh:
            fh.write(b"# Odd name\n\nA runbook with an odd file name: escalate to the duty lead.\n")
    run = _cli(tmp_path / "home", "ingest", str(corpus), "--json")
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    report = json.loads(run.stdout)
    got = {f["source"]: f["status"] for f in report["files"]}
    assert got == {"runbooks/refunds.md": "indexed", "runbooks/caf\\xe9-latin1-name.md": "indexed",
                   "runbooks/line\\x0abreak.md": "indexed", "runbooks/\\xff\\xfe.txt": "indexed"}
    again = json.loads(_cli(tmp_path / "home", "ingest", str(corpus), "--json").stdout)
    assert {f["status"] for f in again["files"]} == {"unchanged"}  # the escaped name is stable

