"""`bpo-assistant documents` and `delete` (CliRunner and main(), over real services), and the
service's resolution of a typed document name: doc_id, source path or unambiguous file name."""

from __future__ import annotations

import json
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from assistant.errors import Forbidden, InvalidInput, NotFound
from assistant.surfaces import cli
from assistant.surfaces.cli import documents as cli_documents
from assistant.surfaces.cli import root as cli_root
from tests.conftest import admin, as_role, write_files

INTAKE = "# Intake\n\nLog every inbound {what} in the intake queue within one hour.\n"
CORPUS = {
    "runbooks/intake.md": INTAKE.format(what="call"),
    "runbooks/archive/intake.md": INTAKE.format(what="letter"),
    "runbooks/escalation-ladder.md": "# Escalation ladder\n\nEscalate a SEV-1 ticket to the duty lead at once.\n",
}


@pytest.fixture
def small_service(service_factory, tmp_path):
    """Two files named intake.md in different folders, one uniquely named file."""
    svc = service_factory()
    summary = svc.ingest(write_files(tmp_path / "corpus", CORPUS), admin())
    assert not summary.partial, summary
    return svc


def _use(monkeypatch, service, width: int | None = None) -> None:
    monkeypatch.setattr(cli_root._State, "service", property(lambda self: service))
    if width is not None:  # what the CLI's console sees: a terminal this wide (80 is also the piped default)
        monkeypatch.setattr(cli_documents, "out", Console(width=width))


def _invoke(*args: str):
    return CliRunner().invoke(cli.app, list(args), catch_exceptions=True)


def _doc_ids(service, **where) -> dict[str, str]:
    return {d.source: d.doc_id for d in service.documents(admin()) if all(getattr(d, k) == v for k, v in where.items())}


# -- documents: the whole doc_id, at any width ---------------------------------------------------

@pytest.mark.parametrize("width", [80, 160])
def test_documents_prints_every_doc_id_and_source_whole(sample_service, monkeypatch, width):
    _use(monkeypatch, sample_service, width)
    result = _invoke("documents")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    docs = sample_service.documents(admin())
    assert len(docs) == 8
    for d in docs:
        # `delete` takes this id: it must be there to copy, on one line, not cut to "8ed881e46c0e…".
        assert any(d.doc_id in line for line in lines), (d.doc_id, result.stdout)
        assert d.source in result.stdout, d.source  # the sample's paths fit whole at both widths
    assert "…" not in result.stdout


def test_documents_json_is_unchanged(sample_service, monkeypatch):
    _use(monkeypatch, sample_service, 80)
    result = _invoke("documents", "--json")
    body = json.loads(result.stdout)["documents"]
    assert {d["doc_id"] for d in body} == {d.doc_id for d in sample_service.documents(admin())}
    assert all(d["ingested_at"].endswith("+00:00") for d in body)  # the short time is only for the table


# -- delete by name: the service ----------------------------------------------------------------

def test_delete_named_takes_a_source_path_a_unique_file_name_or_a_doc_id(small_service):
    ids = _doc_ids(small_service)
    assert small_service.delete_named("runbooks/archive/intake.md", admin()).source == "runbooks/archive/intake.md"
    # With the archived copy gone the file name is unique again, and names the other one.
    assert small_service.delete_named("intake.md", admin()).doc_id == ids["runbooks/intake.md"]
    assert small_service.delete_named(ids["runbooks/escalation-ladder.md"], admin()).source == "runbooks/escalation-ladder.md"
    assert small_service.documents(admin()) == []


def test_delete_named_matches_the_file_name_without_suffix_and_ignores_case(small_service):
    info = small_service.delete_named("Escalation-Ladder", admin())
    assert info.source == "runbooks/escalation-ladder.md"
    assert "runbooks/escalation-ladder.md" not in _doc_ids(small_service)


def test_an_ambiguous_name_lists_the_candidates_and_deletes_nothing(small_service):
    ids = _doc_ids(small_service)
    with pytest.raises(InvalidInput) as caught:
        small_service.delete_named("intake.md", admin())
    message = caught.value.message
    assert "matches 2 documents" in message and "\n" not in message
    for source in ("runbooks/intake.md", "runbooks/archive/intake.md"):
        assert f"{ids[source]} {source}" in message
    assert _doc_ids(small_service) == ids


def test_the_same_path_from_two_roots_is_ambiguous_and_names_the_roots(small_service, tmp_path):
    other = write_files(tmp_path / "other-root", {"runbooks/escalation-ladder.md": "# Ladder\n\nCall the duty lead.\n"})
    assert not small_service.ingest(other, admin()).partial
    with pytest.raises(InvalidInput) as caught:
        small_service.delete_named("runbooks/escalation-ladder.md", admin())
    message = caught.value.message
    assert f"runbooks/escalation-ladder.md (from {other.resolve()})" in message
    assert f"runbooks/escalation-ladder.md (from {(tmp_path / 'corpus').resolve()})" in message


def test_an_unknown_name_is_not_found_and_a_reader_may_not_delete(small_service):
    with pytest.raises(NotFound, match="no document with id or name 'nope.md'"):
        small_service.delete_named("nope.md", admin())
    with pytest.raises(InvalidInput):
        small_service.delete_named("  ", admin())
    # Permission first: an agent learns neither that a name is ambiguous nor that it is unknown.
    for name in ("intake.md", "nope.md", "runbooks/escalation-ladder.md"):
        with pytest.raises(Forbidden):
            small_service.delete_named(name, as_role("bpo_agent"))
    assert len(small_service.documents(admin())) == 3


# -- delete by name: the CLI --------------------------------------------------------------------

def test_cli_delete_takes_a_source_path(small_service, monkeypatch):
    _use(monkeypatch, small_service)
    result = _invoke("delete", "runbooks/escalation-ladder.md")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "removed runbooks/escalation-ladder.md (1 chunks)"
    assert "runbooks/escalation-ladder.md" not in _doc_ids(small_service)


def _main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["bpo-assistant", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


def test_cli_ambiguous_and_unknown_names_are_one_error_line_without_a_traceback(small_service, monkeypatch, capsys):
    _use(monkeypatch, small_service)
    ids = _doc_ids(small_service)
    code, out, err = _main(monkeypatch, capsys, "delete", "intake.md")
    assert code == cli.EXIT_ERROR and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: 'intake.md' matches 2 documents"), err
    assert ids["runbooks/intake.md"] in err and ids["runbooks/archive/intake.md"] in err  # whole, to copy

    code, out, err = _main(monkeypatch, capsys, "delete", "nope.md")
    assert code == cli.EXIT_ERROR and err == "error: no document with id or name 'nope.md'\n"
    assert "Traceback" not in err and _doc_ids(small_service) == ids
