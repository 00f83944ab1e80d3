"""`bpo-assistant eval key-terms`: CUAD-style answers scored per field, with misses listed."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from assistant.surfaces.cli import app
from evals import key_terms as kt
from tests.conftest import SAMPLE

MSA = "contracts/northbeam-lumen-msa.pdf"


def test_gold_dates_with_blanks_and_two_digit_years():
    assert kt.parse_gold_date("10/1/99") == kt.GoldDate(1999, 10, 1)
    assert kt.parse_gold_date("04/[]/2005") == kt.GoldDate(2005, 4, None)
    assert kt.parse_gold_date("[]/[]/2012").matches("", "as of , 2012")
    assert not kt.parse_gold_date("[]/[]/2012").matches("", "as of , 2013")
    assert kt.parse_gold_date("3/1/20").matches("2020-03-01") and not kt.parse_gold_date("3/1/20").matches("2020-01-03")
    assert kt.parse_gold_date("perpetual") is None


def test_durations_compare_by_length_not_by_wording():
    assert kt.same_duration(kt.parse_gold_duration("successive 1 year"), 12, "month")
    assert kt.same_duration(kt.parse_gold_duration("3 Months"), 90, "day")
    assert not kt.same_duration(kt.parse_gold_duration("6 weeks"), 6, "month")
    assert not kt.same_duration(kt.parse_gold_duration("5 business days"), 5, "day")


def test_governing_law_and_parties_matching():
    assert kt.law_matches("New York", "State of New York") and kt.law_matches("Massachusetts; Netherlands", "Netherlands")
    assert not kt.law_matches("New York", "State of New Jersey")
    gold = kt.parse_gold_parties('A Corp. ("A"); B Ltd ("B"); A and B (individually, a "Party"; collectively, the "Parties")')
    assert [g.name for g in gold] == ["A Corp.", "B Ltd"]
    assert kt.party_found(gold[1], [{"name": "B Limited", "defined_as": []}])
    assert kt.party_found(kt.GoldParty("[]", ("Licensee",)), [{"name": "[blank]", "defined_as": ["Licensee"]}])


def test_expiration_from_start_and_initial_term():
    terms = {"effective_date": {"iso": "2005-03-01"}, "initial_term": {"value": 1.0, "unit": "year"}}
    assert kt.score_field("expiration", "3/1/06", terms)[0] and kt.score_field("expiration", "2/28/06", terms)[0]
    assert not kt.score_field("expiration", "3/1/07", terms)[0]
    assert kt.score_field("expiration", "perpetual", {"indefinite_term": {"text": "until terminated"}})[0]


def test_split_is_fixed_by_the_file_name():
    names = [f"contracts/contract-{i}.txt" for i in range(200)]
    assert [kt.split_of(n) for n in names] == [kt.split_of("elsewhere/" + n.split("/")[1]) for n in names]
    assert 60 < sum(kt.split_of(n) == "dev" for n in names) < 140


@pytest.fixture(scope="module")
def annotated_sample(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("kt-sample") / "corpus"
    shutil.copytree(SAMPLE, corpus)
    (corpus / "annotations").mkdir()
    answers = {"Parties": 'Northbeam Retail Inc. ("Customer"); Lumen BPO Services Ltd. ("Supplier")',
               "Effective Date": "3/1/25", "Expiration Date": "2/29/28", "Renewal Term": "successive 1 year",
               "Notice Period To Terminate Renewal": "120 days", "Governing Law": "Delaware",
               "Agreement Date": "1/1/19"}  # a wrong answer: the eval must list it as a miss
    data = {"contracts": [{"contract_file": MSA, "annotations": [
        {"category": k, "answer": v, "spans": []} for k, v in answers.items()]}]}
    (corpus / kt.ANNOTATIONS_FILE).write_text(json.dumps(data), encoding="utf-8")
    return corpus


def test_eval_key_terms_scores_each_field_and_lists_misses(annotated_sample, tmp_path, one_model):
    result = CliRunner().invoke(app, ["eval", "key-terms", str(annotated_sample), "--home", str(tmp_path / "home"), "--json"])
    assert result.exit_code == 0, result.output
    rep = json.loads(result.stdout.strip().splitlines()[-1])
    split = kt.split_of(MSA)
    fields = rep["fields"][split]
    assert rep["contracts"] == 1 and rep["split_sizes"][split] == 1
    for name in ("parties", "effective_date", "expiration", "renewal_term", "renewal_notice", "governing_law"):
        assert (fields[name]["correct"], fields[name]["scored"]) == (1, 1), name
    assert fields["agreement_date"]["accuracy"] == 0.0
    (miss,) = rep["misses"]
    assert (miss["field"], miss["gold"], miss["contract"]) == ("agreement_date", "1/1/19", MSA)
    assert rep["fields"]["all"]["governing_law"]["target"] == 0.95


def test_eval_key_terms_prints_a_table(annotated_sample, tmp_path, one_model):
    result = CliRunner().invoke(app, ["eval", "key-terms", str(annotated_sample), "--home", str(tmp_path / "home")])
    assert result.exit_code == 0, result.output
    assert "Key terms vs CUAD answers" in result.output and "agreement_date" in result.output


def test_eval_key_terms_without_annotations_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(app, ["eval", "key-terms", str(tmp_path)])
    assert result.exit_code != 0 and "CUAD annotations not found" in str(result.exception)


def test_the_products_default_excludes_only_hidden_files_and_the_evals_add_their_corpus_extras(tmp_path):
    from assistant.config import Settings
    from evals.harness import EVAL_CORPUS_EXCLUDE, load_eval_settings

    assert Settings().exclude == ["**/.*"]  # a user's "annotations/" or "LICENSES/" folder is content like any other
    settings = load_eval_settings(home=tmp_path)
    assert settings.exclude[: len(EVAL_CORPUS_EXCLUDE)] == EVAL_CORPUS_EXCLUDE and "**/.*" in settings.exclude
