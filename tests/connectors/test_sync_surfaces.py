"""`bpo-assistant sync` and the serve schedule, the connector config, and links in citations."""

from __future__ import annotations

import json
import time

import pytest
import yaml

from assistant.config import load_settings
from assistant.errors import ConfigError
from assistant.models import Citation
from assistant.surfaces.slack.blocks import citation_line
from tests.cli.conftest import run_cli
from tests.conftest import REPO, admin, write_files
from tests.connectors.conftest import connector_source
from tests.connectors.fake_confluence import cloud_wiki

TOKEN = "atl-cli-token-QQ81.never-printed"


@pytest.fixture
def wiki(monkeypatch):
    with cloud_wiki(monkeypatch, TOKEN) as fake:
        fake.add_page("Night shift handover", "<h2>Checklist</h2><p>Hand over open priority-one tickets in person to the next lead.</p>")
        yield fake


def _config(tmp_path, fake, **sync) -> str:
    base = yaml.safe_load((REPO / "config.yaml").read_text())
    base.pop("ingest_paths", None)
    block = {"type": "confluence", "base_url": fake.base_url, "space": fake.space, "user_env": "CONF_USER", "token_env": "CONF_TOKEN"}
    base["sources"].append(connector_source("ops-wiki", block))
    if sync:
        base["sync"] = sync
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(base))
    return str(path)


def test_the_cli_syncs_prints_a_summary_and_never_the_token(tmp_path, wiki, monkeypatch, capsys, caplog):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    config = _config(tmp_path, wiki)
    caplog.set_level("DEBUG")

    code, stdout, stderr = run_cli(monkeypatch, capsys, "--config", config, "sync")

    assert code == 0, stderr
    assert "ops-wiki" in stdout and "complete" in stdout
    code, stdout, stderr = run_cli(monkeypatch, capsys, "--config", config, "sync", "ops-wiki", "--json")
    report = json.loads(stdout)
    assert code == 0 and report["sources"][0]["status"] == "complete"
    assert report["sources"][0]["items"][0]["status"] == "unchanged"
    state = (tmp_path / "home" / "connectors" / "ops-wiki" / "state.json").read_text()
    everything = stdout + stderr + caplog.text + state
    assert TOKEN not in everything

    code, stdout, _ = run_cli(monkeypatch, capsys, "--config", config, "search", "handover of priority-one tickets", "--json")
    hit = json.loads(stdout)["results"][0]
    assert hit["source"] == "ops-wiki/Night shift handover" and hit["url"].startswith(wiki.base_url + "/spaces/OPS/pages/")


def test_the_cli_exits_3_when_an_item_fails_and_names_unknown_sources(tmp_path, wiki, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    wiki.add_page("Empty export", None)
    config = _config(tmp_path, wiki)

    code, stdout, _ = run_cli(monkeypatch, capsys, "--config", config, "sync")
    assert code == 3
    assert "Empty export" in stdout and "no storage-format body" in stdout

    code, _, stderr = run_cli(monkeypatch, capsys, "--config", config, "sync", "sharepoint-legal")
    assert code == 1
    assert stderr.strip() == "error: no connector source named 'sharepoint-legal' (configured: ops-wiki)"


def test_sync_without_connector_sources_says_how_to_add_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    code, _, stderr = run_cli(monkeypatch, capsys, "--config", str(REPO / "config.yaml"), "sync")
    assert code == 1 and "no source in the config has a connector block" in stderr


def test_serve_schedules_syncs_on_the_configured_interval(tmp_path, wiki, service_factory):
    from assistant.surfaces.cli.serve import _sync_schedule

    config = load_settings(_config(tmp_path, wiki, interval_minutes=60), home=str(tmp_path / "home"))
    service = service_factory(home=tmp_path / "home", sources=[r.model_dump(exclude_none=True) for r in config.sources],
                              sync={"interval_minutes": 60})
    schedule = _sync_schedule(service)
    try:
        deadline = time.monotonic() + 60
        while schedule.runs < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        schedule.stop()
    assert schedule.runs == 1  # one at start, the next an hour later
    assert [d.source for d in service.documents(admin())] == ["ops-wiki/Night shift handover"]
    assert _sync_schedule(service_factory(home=tmp_path / "off", sources=[r.model_dump(exclude_none=True) for r in config.sources])) is None


@pytest.mark.parametrize("entry,message", [
    ({"collection": "wiki", "connector": {"type": "confluence", "base_url": "https://x.atlassian.net/wiki", "space": "OPS",
                                          "token_env": "T"}}, "a source with a connector needs a name"),
    ({"name": "sp", "collection": "wiki", "connector": {"type": "sharepoint", "tenant_id": "t", "client_id": "c",
                                                         "client_secret_env": "S", "site": "a:/sites/b", "user": "u@x"}},
     "exactly one of drive_id, site or user"),
    ({"name": "gd", "collection": "wiki", "connector": {"type": "gdrive", "credentials_env": "K"}}, "name a folder_id"),
    ({"name": "x", "collection": "wiki", "connector": {"type": "dropbox"}}, "confluence"),
    ({"name": "c", "collection": "wiki", "connector": {"type": "confluence", "base_url": "https://x/wiki", "space": "OPS",
                                                        "token_env": "has space"}}, "token_env"),
])
def test_connector_config_mistakes_are_one_line_errors(tmp_path, entry, message):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry]}))
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_a_connector_source_matches_its_own_name_by_default():
    settings = load_settings(None, sources=[connector_source("ops-wiki", {
        "type": "confluence", "base_url": "https://acme.atlassian.net/wiki", "space": "OPS", "token_env": "T"})])
    assert settings.sources[0].match == "ops-wiki/**"
    assert [r.name for r in settings.connector_sources] == ["ops-wiki"]


def test_folder_rules_link_files_through_url_base(tmp_path, service_factory):
    corpus = write_files(tmp_path / "kb", {"runbooks/queue-overflow.md": "# Queue overflow\n\nOpen the overflow queue at 200 waiting chats.\n"})
    service = service_factory(sources=[{"match": "runbooks/**", "collection": "runbooks", "roles": ["internal"],
                                        "url_base": "https://kb.example.com/docs/"}])
    service.ingest(corpus, admin())
    hit = service.search("when to open the overflow queue", admin(), k=1).results[0]
    assert hit.url == "https://kb.example.com/docs/runbooks/queue-overflow.md"
    assert service.documents(admin())[0].url == hit.url


def test_slack_links_a_citation_to_its_own_url_before_the_base_url():
    cited = Citation(n=1, chunk_id="c", source="ops-wiki/Night shift handover", quote="q", section_path="", page_start=None,
                     title="Night shift handover", url="https://acme.atlassian.net/wiki/spaces/OPS/pages/1001/Night")
    assert citation_line(cited, "https://docs.example.com") == \
        "[1] <https://acme.atlassian.net/wiki/spaces/OPS/pages/1001/Night|Night shift handover>"
    plain = cited.model_copy(update={"url": ""})
    assert citation_line(plain, "https://docs.example.com") == \
        "[1] <https://docs.example.com/ops-wiki/Night%20shift%20handover|Night shift handover>"
    hostile = cited.model_copy(update={"url": "https://evil.example|<!channel>"})
    assert "<!channel>" not in citation_line(hostile, None)


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "//evil.example/x", "file:///etc/passwd"])
def test_an_item_link_that_is_not_a_web_address_is_dropped(link):
    from ingest.connectors.base import RemoteItem

    item = RemoteItem(id="1", title="Refunds.md", suffix=".md", version="1", url=link)
    assert item.url == ""
    assert RemoteItem(id="1", title="Refunds.md", suffix=".md", version="1", url="https://contoso.sharepoint.com/x").url
