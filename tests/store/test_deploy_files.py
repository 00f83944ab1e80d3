"""deploy/: the compose file is well-formed and its config is one the product accepts."""

from __future__ import annotations

import yaml

from assistant.config import load_settings
from tests.conftest import REPO


def test_compose_file_parses_and_wires_the_three_processes():
    compose = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"chroma", "api", "ingest"}
    assert services["chroma"]["command"][:2] == ["run", "--path"] and "ports" not in services["chroma"]
    assert "assistant.surfaces.http:create_app_from_env" in services["api"]["command"]
    assert services["api"]["environment"]["ANONYMIZED_TELEMETRY"] == "False"
    assert services["api"]["volumes"][0] == services["ingest"]["volumes"][0]  # one shared home


def test_deploy_config_is_valid_and_in_server_mode(tmp_path):
    settings = load_settings(REPO / "deploy" / "config.yaml", home=str(tmp_path))
    assert settings.store.mode == "server" and settings.store.host == "chroma"
    assert settings.collections == load_settings(REPO / "config.yaml", home=str(tmp_path)).collections
