from __future__ import annotations

import json
from datetime import timezone

import pytest

from assistant.drafting.incident import Incident, load_incident, parse_incident
from assistant.errors import InvalidInput
from tests.drafting.conftest import INCIDENT_FILE


def test_the_sample_incident_file_loads():
    inc = load_incident(INCIDENT_FILE)
    assert inc.severity == "SEV-2" and inc.duration_text == "36 h 30 min"
    assert inc.started_at.tzinfo is not None and inc.sla_window.month == "2025-10"
    assert "#nb-care-incidents" in inc.timeline[2].event


def test_json_incident_with_offsets(tmp_path):
    path = tmp_path / "i.json"
    path.write_text(json.dumps({"title": "Chat backlog", "started_at": "2025-10-14T09:00:00+05:30",
                                "ended_at": "2025-10-14T05:00:00Z"}))
    inc = load_incident(path)
    assert inc.started_at.astimezone(timezone.utc).hour == 3 and inc.duration_text == "1 h 30 min"


def test_naive_times_are_rejected_with_the_field_named():
    with pytest.raises(InvalidInput, match="started_at has no time zone"):
        parse_incident({"title": "x", "started_at": "2025-10-14T09:00:00"})


def test_end_before_start_is_rejected():
    with pytest.raises(InvalidInput, match="ended_at is before started_at"):
        parse_incident({"title": "x", "started_at": "2025-10-14T09:00:00Z", "ended_at": "2025-10-14T08:00:00Z"})


def test_unknown_fields_and_factor_categories_are_rejected():
    with pytest.raises(InvalidInput, match="severty"):
        parse_incident({"title": "x", "severty": "SEV-1"})
    with pytest.raises(InvalidInput, match="unknown categories"):
        parse_incident({"title": "x", "contributing_factors": {"weather": ["rain"]}})


def test_bad_yaml_is_one_clear_line(tmp_path):
    path = tmp_path / "i.yaml"
    path.write_text("title: [unclosed\n")
    with pytest.raises(InvalidInput, match="not valid YAML"):
        load_incident(path)


def test_free_text_incident_picks_up_a_date():
    inc = Incident.from_text("chat backlog on 2025-10-14 after the promo email")
    assert inc.started_at.isoformat() == "2025-10-14T00:00:00+00:00" and inc.title.startswith("chat backlog")
