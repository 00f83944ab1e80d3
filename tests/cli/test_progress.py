"""Progress: every step of an ingest that can take a while says what it is doing."""

from __future__ import annotations

from assistant.retrieval.embedding import Embedder
from assistant import wiring
from assistant.surfaces.cli.progress import STEPS
from ingest.pipeline import STEP_EVENTS
from tests.cli.conftest import run_cli
from tests.conftest import admin, make_settings, write_files

DOCS = {
    "runbooks/lunch.md": "# Canteen\n\nThe canteen opens at noon on weekdays and closes at three.\n",
    "runbooks/parking.md": "# Parking\n\nVisitors park on level two; badges are issued at the front desk.\n",
}


def test_every_pipeline_step_has_words_for_a_person():
    assert set(STEP_EVENTS) == set(STEPS)


def test_an_ingest_reports_its_steps_in_order_with_the_model_load_before_embedding(tmp_path):
    fresh = Embedder.from_settings(make_settings(tmp_path / "home").embedding)  # not loaded yet
    service = wiring.build(make_settings(tmp_path / "home"), embedder=fresh)
    events: list[tuple[str, int]] = []
    try:
        service.ingest(write_files(tmp_path / "docs", DOCS), admin(), progress=lambda e, n: events.append((e, n)))
    finally:
        service.catalog.close()
    steps = [e for e in events if e[0] in STEP_EVENTS]
    names = [name for name, _ in steps]
    assert names == ["parsing", "loading", "embedding", "writing", "keyword-index"], steps
    assert steps[0][1] == 2 and steps[2][1] == steps[3][1] > 0  # files to parse; chunks embedded = written


def test_a_model_not_yet_exported_is_announced_as_the_export(tmp_path, monkeypatch):
    monkeypatch.delenv("BPO_ASSISTANT_MODEL_CACHE", raising=False)
    settings = make_settings(tmp_path / "home").embedding
    assert Embedder.from_settings(settings, cache_dir=tmp_path / "empty-cache").needs_export()
    assert not Embedder.from_settings(settings.model_copy(update={"backend": "torch"}), cache_dir=tmp_path).needs_export()


def test_the_cli_prints_each_step_when_stderr_is_not_a_terminal(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    code, out, err = run_cli(monkeypatch, capsys, "ingest", str(write_files(tmp_path / "docs", DOCS)))
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("ingest: ")]
    assert lines[0] == "ingest: parsing files"
    assert any(line.startswith("ingest: embedding ") and line.endswith(" chunks") for line in lines), lines
    assert any(line.startswith("ingest: writing ") for line in lines)
    assert lines[-1] == "ingest: updating the keyword index of 1 collection(s)"


def test_json_output_keeps_stderr_quiet_off_a_terminal(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    code, out, err = run_cli(monkeypatch, capsys, "ingest", str(write_files(tmp_path / "docs", DOCS)), "--json")
    assert code == 0 and out.startswith("{") and "ingest: " not in err
