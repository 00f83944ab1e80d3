from __future__ import annotations

import csv
import re

import pytest

from assistant.contracts.taxonomy import Calibration, Taxonomy
from assistant.errors import InvalidInput
from tests.conftest import SHARED, needs_shared


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.load()


def test_taxonomy_is_versioned_and_every_cue_compiles(taxonomy):
    assert taxonomy.version
    for cat in taxonomy.categories:
        assert cat.description and cat.cues, cat.name
        for pattern, weight in cat.cues + cat.heading_cues:
            re.compile(pattern)
            assert weight > 0


def test_names_are_unique_and_bpo_categories_are_present(taxonomy):
    names = [c.name.lower() for c in taxonomy.categories]
    assert len(names) == len(set(names))
    for name in ("Service Levels", "Service Credits", "Step-In Rights", "Business Continuity", "Staff Transfer",
                 "Exit Assistance", "Governance", "Termination for Cause", "Key Personnel"):
        assert taxonomy.get(name) is not None


@needs_shared
def test_cuad_names_are_spelled_as_in_cuads_csv(taxonomy):
    with (SHARED / "annotations" / "cuad_category_descriptions.csv").open(encoding="utf-8-sig") as fh:
        csv_names = {row[0].replace("Category:", "").strip() for row in csv.reader(fh)}
    for cat in taxonomy.categories:
        if cat.source == "cuad":
            assert cat.name in csv_names, cat.name


def test_resolution_is_case_insensitive_and_knows_aliases(taxonomy):
    assert taxonomy.resolve("termination FOR convenience").name == "Termination for Convenience"
    assert taxonomy.resolve("Cap On Liability").name == "Cap on Liability"
    assert taxonomy.resolve("TUPE").name == "Staff Transfer"
    assert taxonomy.resolve("sla").name == "Service Levels"


def test_unknown_type_is_invalid_input_listing_close_matches(taxonomy):
    with pytest.raises(InvalidInput) as exc:
        taxonomy.resolve("Termination for Convenence")
    assert "Termination for Convenience" in exc.value.message
    with pytest.raises(InvalidInput):
        taxonomy.resolve("")


def test_calibration_covers_the_feature_layout():
    cal = Calibration.load()
    assert len(cal.shared.lexical) == 5 and len(cal.shared.vectors) == 6
    assert 0 < cal.store_threshold < 1 and 0 <= cal.found_threshold < 1
