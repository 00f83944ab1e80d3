"""Errors that teach: one line naming what was wrong, the value given and what is allowed."""

from __future__ import annotations

import shutil

import pytest
import yaml

from assistant.config import load_settings
from assistant.errors import ConfigError, NothingIndexed
from tests.cli.conftest import run_cli
from tests.conftest import REPO, admin, write_files

DOC_TYPES = ("runbook", "sop", "msa", "sow", "dpa", "contract", "other")


def one_error_line(code: int, out: str, err: str) -> str:
    assert code == 1 and out == "", (code, out, err)
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("args, unknown", [
    (("--as", "legall", "documents"), "legall"),
    (("--as", "superuser", "ask", "who approves a refund?"), "superuser"),
    (("--as", "legal,procurment", "search", "audit rights"), "procurment"),
])
def test_an_unknown_role_is_an_error_naming_the_known_roles(sample_home, monkeypatch, capsys, args, unknown):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(sample_home))
    err = one_error_line(*run_cli(monkeypatch, capsys, *args))
    assert err == (f"error: unknown role {unknown} (known roles: admin, bpo_agent, coordinator, internal, legal, "
                   "procurement)\n")


def test_a_known_role_still_answers(sample_home, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(sample_home))
    code, out, err = run_cli(monkeypatch, capsys, "--as", "bpo_agent", "documents", "--json")
    assert code == 0 and '"source": "runbooks/' in out and "contracts/" not in out


def test_ingesting_a_missing_path_is_an_error_not_a_partial_ingest(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    err = one_error_line(*run_cli(monkeypatch, capsys, "ingest", str(tmp_path / "no-such-folder")))
    assert "no-such-folder does not exist" in err
    assert not (tmp_path / "home").exists()


def test_a_bad_document_type_names_the_value_and_every_allowed_one(sample_home, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(sample_home))
    err = one_error_line(*run_cli(monkeypatch, capsys, "search", "refund", "--doc-type", "sopp"))
    assert "--doc-type" in err and "'sopp'" in err and all(t in err for t in DOC_TYPES), err


def test_an_option_out_of_range_names_the_value_and_the_range(monkeypatch, capsys):
    err = one_error_line(*run_cli(monkeypatch, capsys, "search", "refund", "--k", "0"))
    assert "--k" in err and "greater than or equal to 1" in err and "got '0'" in err, err


def test_a_missing_argument_says_which_and_where_to_read_more(monkeypatch, capsys):
    err = one_error_line(*run_cli(monkeypatch, capsys, "ask"))
    assert "QUESTION" in err and "bpo-assistant ask --help" in err


@pytest.mark.parametrize("section, key, value, allowed", [
    ("answering", "min_dense_score", 3.8, "less than or equal to 1"),
    ("answering", "min_dense_score", -0.2, "greater than or equal to 0"),
    ("answering", "max_citations", 0, "greater than or equal to 1"),
    ("retrieval", "dense_weight", -1, "greater than or equal to 0"),
    ("retrieval", "lexical_weight", 25, "less than or equal to 10"),
    ("retrieval", "exact_reference_boost", 0.5, "greater than or equal to 1"),
    ("retrieval", "doc_weight", 11, "less than or equal to 10"),
    ("retrieval", "route_margin", 0.8, "greater than or equal to 1"),
    ("retrieval", "rrf_k", 0, "greater than or equal to 1"),
    ("llm", "temperature", 3, "less than or equal to 2"),
])
def test_thresholds_outside_their_range_are_refused_with_setting_value_and_range(tmp_path, section, key, value, allowed):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({section: {key: value}}), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    message = str(exc.value)
    assert f"{section}.{key} = {value!r}: Input should be {allowed}" in message and "\n" not in message, message


def test_both_retrieval_weights_at_zero_are_refused(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"retrieval": {"dense_weight": 0, "lexical_weight": 0}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="nothing would rank"):
        load_settings(path)


def test_a_misspelt_setting_lists_the_settings_of_its_section(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"answering": {"min_score": 0.4}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"answering\.min_score: unknown setting \(known here: min_dense_score, "):
        load_settings(path)


def test_a_bad_config_is_one_error_line_on_the_cli(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"answering": {"min_dense_score": 3.8}}), encoding="utf-8")
    err = one_error_line(*run_cli(monkeypatch, capsys, "--config", str(path), "ask", "who approves refunds?"))
    assert "answering.min_dense_score = 3.8" in err


def test_the_shipped_config_is_inside_every_range():
    load_settings(REPO / "config.yaml")  # raises if a shipped value left its documented range


# -- an empty or misplaced data home ------------------------------------------------------------

def test_an_empty_index_says_nothing_is_indexed_yet(service_factory):
    service = service_factory()
    for call in (lambda: service.ask("who approves a refund over 500 dollars?", admin()),
                 lambda: service.search("refund approval", admin())):
        with pytest.raises(NothingIndexed) as exc:
            call()
        assert exc.value.message == "nothing is indexed yet: run `bpo-assistant ingest PATH`"


def test_once_something_is_indexed_a_question_it_does_not_cover_is_a_refusal_not_that_error(service_factory, tmp_path):
    service = service_factory()
    write_files(tmp_path / "docs", {"runbooks/lunch.md": "# Canteen\n\nThe canteen opens at noon on weekdays.\n"})
    service.ingest(tmp_path / "docs", admin())
    assert service.ask("What is the corporate tax rate in Peru?", admin()).grounded is False


def test_a_config_elsewhere_names_the_home_it_looked_in_and_makes_none(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(REPO / "config.yaml", elsewhere / "config.yaml")
    for args in (("ask", "who approves a refund?"), ("documents",), ("search", "refund")):
        err = one_error_line(*run_cli(monkeypatch, capsys, "--config", str(elsewhere / "config.yaml"), *args))
        assert err == (f"error: nothing is indexed yet in {elsewhere / '.bpo-assistant'} (the data home, beside "
                       f"{elsewhere / 'config.yaml'}): run `bpo-assistant ingest PATH`\n")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["config.yaml"]


def test_the_environment_home_is_named_as_such(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    err = one_error_line(*run_cli(monkeypatch, capsys, "documents"))
    assert f"in {tmp_path / 'home'} (the data home, set by BPO_ASSISTANT_HOME)" in err


def test_ingest_into_a_new_home_says_which_home_it_made(tmp_path, monkeypatch, capsys):
    write_files(tmp_path / "docs", {"runbooks/lunch.md": "# Canteen\n\nThe canteen opens at noon on weekdays.\n"})
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(tmp_path / "home"))
    code, out, err = run_cli(monkeypatch, capsys, "ingest", str(tmp_path / "docs"))
    assert code == 0, err
    assert f"data home: {tmp_path / 'home'} (new; set by BPO_ASSISTANT_HOME)" in err
    assert str(tmp_path / "home") in " ".join(out.split())  # the summary names it too
    code, out, err = run_cli(monkeypatch, capsys, "ingest", str(tmp_path / "docs"))
    assert code == 0 and "data home:" not in err  # only a new home is announced


def test_an_existing_but_empty_home_is_named_too(service_factory, tmp_path, monkeypatch, capsys):
    home = tmp_path / "empty-home"
    service_factory(home)  # a data home that exists, with nothing in it
    monkeypatch.setenv("BPO_ASSISTANT_HOME", str(home))
    err = one_error_line(*run_cli(monkeypatch, capsys, "ask", "who approves a refund?"))
    assert err == (f"error: nothing is indexed yet in {home} (the data home, set by BPO_ASSISTANT_HOME): "
                   "run `bpo-assistant ingest PATH`\n")
    code, out, _ = run_cli(monkeypatch, capsys, "documents", "--json")
    assert code == 0 and out.strip() == '{"documents": []}'  # a listing of nothing is still a listing
