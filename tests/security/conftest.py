"""The canary corpus, ingested once for every security test (service, HTTP and Slack alike).

The service is built the production way: a config.yaml on disk read by `load_settings`, then
`assistant.wiring.build`. The embedder is the session's real model behind a per-text memo, so the
same question asked by a dozen role sets is encoded once.
"""

from __future__ import annotations

from tests.conftest import shared_judge

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.models import Caller
from tests.security.canaries import CANARIES, MemoEmbedder, write_config, write_corpus

# Slack users and channels of the surface tests (user id -> roles; channel id -> audience roles).
SLACK_USERS = {
    "UAGENT01": ["bpo_agent"], "ULEGAL01": ["legal"], "UPROC001": ["procurement"], "UCOORD01": ["coordinator"],
    "UHRPART1": ["hr_partner"], "UADMIN01": ["admin"], "UUNKNOWN": ["unknown_role"], "UNOBODY1": [],
    "UMULTI01": ["bpo_agent", "legal"],
}
SLACK_CHANNELS = {"CHRTEAM01": ["hr_partner"], "CLEGALTM1": ["legal", "procurement"]}
SLACK_SETTINGS = {"users": SLACK_USERS, "channels": SLACK_CHANNELS, "default_roles": ["internal"]}


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(f"{record.name} {record.getMessage()}")
        except Exception:  # noqa: BLE001 - a record that can't format is not our concern here
            self.lines.append(f"{record.name} {record.msg!r}")


@dataclass
class CanaryEnv:
    service: object
    root: Path
    corpus: Path
    config: Path
    chunk_collection: dict[str, str]  # chunk id -> the collection the store holds it in
    ingest_log: list[str] = field(default_factory=list)

    @property
    def audit_path(self) -> Path:
        return self.service.audit.path


def admin_caller() -> Caller:
    return Caller(id="acl-admin", roles=frozenset({"admin"}), surface="internal")


@pytest.fixture(scope="package")
def canary(tmp_path_factory, embedder) -> CanaryEnv:
    from assistant.config import load_settings
    from assistant import wiring

    root = tmp_path_factory.mktemp("acl")
    corpus = write_corpus(root / "corpus")
    config = write_config(root / "config.yaml", slack=SLACK_SETTINGS)
    settings = load_settings(config, home=str(root / "home"))
    service = wiring.build(settings, embedder=MemoEmbedder(embedder), judge=shared_judge())

    # Everything logged during ingest (any logger, DEBUG) is kept: secrets must not be in it.
    records = _Records()
    logger = logging.getLogger()
    old_level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.DEBUG)
    try:
        summary = service.ingest(corpus, admin_caller())
    finally:
        logger.removeHandler(records)
        logger.setLevel(old_level)
    assert not summary.partial and summary.count("indexed") == len(CANARIES), summary

    service.embedder.warm([c.token for c in CANARIES] + [c.question for c in CANARIES])
    chunk_collection = {}
    for name in service.store.collection_names():
        for chunk in service.store.iter_all(name, include_text=False):
            chunk_collection[chunk.id] = name
    yield CanaryEnv(service, root, corpus, config, chunk_collection, records.lines)
    service.catalog.close()
