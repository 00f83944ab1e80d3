"""A connector sync runs the conflict check like `ingest` does (issue 26): an SOP page synced from a
local fake Confluence that contradicts an indexed contract is listed in the sync report and the
CLI summary; a sync that changes nothing lists nothing."""

from __future__ import annotations

import json

import pytest

from tests.amendments.sync_conflict_docs import AGREEMENT, SOP_PAGE
from tests.cli.conftest import run_cli
from tests.conftest import write_files
from tests.connectors.fake_confluence import cloud_wiki
from tests.connectors.test_sync_surfaces import _config

TOKEN = "atl-cli-token-QQ81.never-printed"


@pytest.fixture
def wiki(monkeypatch):
    with cloud_wiki(monkeypatch, TOKEN) as fake:
        yield fake


def test_a_sync_lists_the_conflicts_it_brought(tmp_path, wiki, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    config = _config(tmp_path, wiki)
    corpus = write_files(tmp_path / "corpus", {"contracts/harbor-data-agreement.md": AGREEMENT})
    code, _, err = run_cli(monkeypatch, capsys, "--config", config, "ingest", str(corpus))
    assert code == 0, err

    wiki.add_page("Harbor offboarding", SOP_PAGE, labels=["sop"])
    code, out, err = run_cli(monkeypatch, capsys, "--config", config, "sync")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "New SOP/contract conflicts: 1" in flat and "twenty (20) business days" in flat and "ten (10) business days" in flat

    code, out, _ = run_cli(monkeypatch, capsys, "--config", config, "sync", "--json")
    report = json.loads(out)
    assert code == 0 and report["new_conflicts"] == [] and report["sources"][0]["items"][0]["status"] == "unchanged"
