"""Schemathesis over /openapi.json against a live server: no input may produce a server error.

Each operation gets ~10 generated requests by default (positive and negative data) and 200
under `-m slow`, once as admin and once without a key. POST /v1/ingest is left out of the admin
run: every call re-scans the configured corpus (covered by test_documents); the no-key run
includes it, since it must answer 401 before doing anything.

The cases come from `APIOperation.as_strategy()` driven by Hypothesis directly: schemathesis'
`pytest.from_fixture` loader fails under pytest 9 (it writes `Function._nodeid`).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.http.conftest import KEYS, live_app

OPEN_PATHS = {"/healthz", "/readyz", "/metrics"}
SKIP_AS_ADMIN = {("POST", "/v1/ingest")}
FAST, LONG = 10, 200  # LONG: the hostile-input target, >= 200 examples per operation (-m slow)


def _operations() -> list[tuple[str, str]]:
    # Collection-time list of operations from the same factory (routes do not touch the service).
    from assistant.surfaces.http import create_app

    paths = create_app(SimpleNamespace()).openapi()["paths"]
    return sorted((method.upper(), path) for path, ops in paths.items() for method in ops)


OPERATIONS = _operations()
ADMIN_OPERATIONS = [op for op in OPERATIONS if op not in SKIP_AS_ADMIN]


@pytest.fixture(scope="module")
def api_schema(copy_service):
    # Its own copy of the index: admin fuzzing uploads and deletes.
    with live_app(copy_service()) as server:
        yield schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def _fuzz(api_schema, method: str, path: str, examples: int, check) -> None:
    operation = api_schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=cases)
    def run(case):
        check(case)

    run()


def _as_admin(case) -> None:
    # Negative generation also mangles the security header; the admin run always sends the real key.
    case.headers = {**_without_auth(case.headers), "Authorization": f"Bearer {KEYS['admin']}"}
    response = case.call(timeout=60)
    case.validate_response(response, checks=[not_a_server_error])


def _without_key(case) -> None:
    case.headers = _without_auth(case.headers)
    response = case.call(timeout=60)
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
    if case.path not in OPEN_PATHS:
        assert response.status_code == 401, (case.method, case.path, response.status_code)


def _without_auth(headers: dict | None) -> dict:
    return {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}


@pytest.mark.parametrize("method,path", ADMIN_OPERATIONS)
def test_fuzz_as_admin(api_schema, method, path):
    _fuzz(api_schema, method, path, FAST, _as_admin)


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_fuzz_without_a_key(api_schema, method, path):
    _fuzz(api_schema, method, path, FAST, _without_key)


@pytest.mark.slow
@pytest.mark.parametrize("method,path", ADMIN_OPERATIONS)
def test_fuzz_as_admin_long(api_schema, method, path):
    _fuzz(api_schema, method, path, LONG, _as_admin)


@pytest.mark.slow
@pytest.mark.parametrize("method,path", OPERATIONS)
def test_fuzz_without_a_key_long(api_schema, method, path):
    _fuzz(api_schema, method, path, LONG, _without_key)
