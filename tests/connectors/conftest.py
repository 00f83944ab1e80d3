"""Connector tests: a real service (Chroma in a temp dir, the real model) syncing from local fake
servers that speak each API's HTTP shapes."""

from __future__ import annotations

import pytest

from tests.conftest import admin

RUNBOOK_ROLES = ["internal", "bpo_agent", "coordinator", "legal"]  # the runbooks partition of config.yaml


def connector_source(name: str, connector: dict, collection: str = "runbooks", roles=None, **extra) -> dict:
    return {"name": name, "collection": collection, "roles": list(RUNBOOK_ROLES if roles is None else roles),
            "connector": connector, **extra}


class Sleeps(list):
    """Stands in for time.sleep: records each wait (so a test sees Retry-After obeyed) without spending it."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def sync(service, sleeps=None, names=None):
    return service.sync(admin(), names, sleep=sleeps if sleeps is not None else Sleeps())


def outcomes(report, status: str) -> list[str]:
    return sorted(i.source for s in report.sources for i in s.items if i.status == status)


def restricted_reasons(report) -> dict[str, str]:
    """source -> why its source system restricts it more than its partition (the summary's list)."""
    return {i.source: i.restricted for s in report.sources for i in s.restricted}


def readable_by(service, role: str, query: str) -> set[str]:
    """The sources of the top five results `role` gets for `query`."""
    from tests.conftest import admin, as_role

    caller = admin() if role == "admin" else as_role(role)
    return {h.source for h in service.search(query, caller, k=5).results}


def catalog_by_source(service) -> dict:
    return {row.source: row for row in service.catalog.all()}
