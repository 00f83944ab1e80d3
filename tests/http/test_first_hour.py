"""What a new user meets first on the HTTP side: an API that answers out of the box (a local admin
key when none is configured), refusals logged under their route, and errors that say what to do."""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time

import httpx

from tests.conftest import REPO, env_vars
from tests.http.conftest import API_KEYS, auth, live_app, wait_for_log_line


# -- refusals are logged and counted under their route ------------------------------------------

def test_a_request_without_a_key_is_logged_and_counted_under_its_route(client, caplog):
    with caplog.at_level(logging.INFO, logger="bpo.http"):
        refused = client.delete("/v1/documents/3f2a9c1e")
        searched = client.post("/v1/search", json={"query": "refunds"})
        lost = client.get("/v1/no-such-route")
        lines = {rid: wait_for_log_line(caplog, rid) for rid in (r.headers["x-request-id"] for r in (refused, searched, lost))}
    assert refused.status_code == searched.status_code == lost.status_code == 401
    routes = [(line["route"], line["status"]) for line in lines.values()]
    assert routes == [("/v1/documents/{doc_id}", 401), ("/v1/search", 401), ("<unmatched>", 401)]
    metrics = client.get("/metrics").text
    assert 'route="/v1/documents/{doc_id}",status="401"' in metrics and "3f2a9c1e" not in metrics


# -- uploads ------------------------------------------------------------------------------------

def test_an_upload_with_no_file_is_422_and_one_in_the_wrong_format_415(client):
    empty = client.post("/v1/documents", headers=auth("admin"))
    assert empty.status_code == 422, empty.text
    assert empty.json()["error"]["code"] == "invalid_input" and "field named 'file'" in empty.json()["error"]["message"]
    as_json = client.post("/v1/documents", headers=auth("admin"), json={"file": "refunds.md"})
    assert as_json.status_code == 415 and as_json.json()["error"]["code"] == "unsupported_file_type"
    no_file_part = client.post("/v1/documents", headers=auth("admin"), files={"path": (None, "runbooks/x.md")})
    assert no_file_part.status_code == 422


# -- an empty store ------------------------------------------------------------------------------

def test_an_empty_store_answers_409_nothing_indexed(service_factory):
    with live_app(service_factory()) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        for path, body in (("/v1/ask", {"question": "who approves refunds?"}), ("/v1/search", {"query": "refunds"})):
            r = c.post(path, json=body, headers=auth("admin"))
            assert r.status_code == 409, r.text
            assert r.json()["error"] == {"code": "nothing_indexed",
                                         "message": "nothing is indexed yet: run `bpo-assistant ingest PATH`"}
        assert c.get("/v1/documents", headers=auth("admin")).json() == {"documents": []}


# -- keys ---------------------------------------------------------------------------------------

def test_a_key_naming_an_unknown_role_is_warned_about_without_the_key(service_factory, caplog):
    from assistant.surfaces.http import create_app

    with caplog.at_level(logging.WARNING, logger="bpo.http"), env_vars({"BPO_API_KEYS": "s3cr3t-key-1234:legall"}):
        create_app(service_factory())
    text = caplog.text
    assert "api_key_unknown_roles" in text and '"legall"' in text and '"legal"' in text
    assert "s3cr3t-key-1234" not in text


def test_no_configured_keys_make_a_local_admin_key_once_shown_once(tmp_path):
    from rich.console import Console

    from assistant.surfaces.http.deps import KeyRing
    from assistant.surfaces.local_key import KEY_FILE, api_keys_for_serving

    console = Console(record=True, width=300)
    ring = api_keys_for_serving(KeyRing.parse(""), tmp_path, "http://127.0.0.1:8000", console)
    first = console.export_text()
    key = (tmp_path / KEY_FILE).read_text().strip()
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    assert len(key) >= 40 and key in first and f"$(cat {tmp_path / KEY_FILE})" in first
    assert "web app at http://127.0.0.1:8000/ " in first  # where a browser signs in with it
    assert ring.resolve(key) is not None and ring.resolve(key).roles == frozenset({"admin"})
    again = Console(record=True, width=300)
    ring2 = api_keys_for_serving(KeyRing.parse(""), tmp_path, "http://127.0.0.1:8000", again)
    second = again.export_text()
    assert key not in second and str(tmp_path / KEY_FILE) in second and "http://127.0.0.1:8000/ " in second
    assert ring2.resolve(key) is not None


def test_configured_keys_replace_the_local_key(tmp_path):
    from rich.console import Console

    from assistant.surfaces.http.deps import KeyRing
    from assistant.surfaces.local_key import KEY_FILE, api_keys_for_serving, local_admin_key

    local, _ = local_admin_key(tmp_path / KEY_FILE)
    ring = api_keys_for_serving(KeyRing.parse(API_KEYS), tmp_path, "http://x", Console(record=True))
    assert ring.resolve(local) is None and ring.resolve(API_KEYS.split(":")[0]) is not None


# -- the real thing: `bpo-assistant serve` with nothing configured ----------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(home, port: int):
    env = {k: v for k, v in os.environ.items() if k not in ("BPO_API_KEYS", "BPO_ASSISTANT_CONFIG")}
    env["BPO_ASSISTANT_HOME"] = str(home)
    code = "import sys; from assistant.surfaces.cli import main; sys.argv[0] = 'bpo-assistant'; main()"
    return subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(proc, url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.25)
    raise AssertionError("serve did not start")


def _stop(proc) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def test_serve_with_no_keys_answers_with_the_local_admin_key_shown_once(sample_service, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(sample_service.settings.home, home)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _serve(home, port)
    try:
        _wait_ready(proc, url)
        key = (home / "admin-api-key").read_text().strip()
        r = httpx.get(url + "/v1/documents", headers={"Authorization": f"Bearer {key}"}, timeout=30)
        assert r.status_code == 200 and r.json()["documents"]
        assert httpx.get(url + "/v1/documents", timeout=30).status_code == 401
    finally:
        out, err = _stop(proc)
    assert out.count(key) == 1 and key not in err  # printed once, never logged
    assert re.search(r'"route": "/v1/documents", "status": 401', err)

    proc = _serve(home, port)
    try:
        _wait_ready(proc, url)
        assert httpx.get(url + "/v1/documents", headers={"Authorization": f"Bearer {key}"}, timeout=30).status_code == 200
    finally:
        out, err = _stop(proc)
    assert key not in out and key not in err and "admin-api-key" in out


# -- validation errors ----------------------------------------------------------------------------

def test_a_validation_error_names_the_field_the_value_and_what_is_allowed(client):
    r = client.post("/v1/search", json={"query": "refunds", "filters": {"doc_type": ["sopp"]}}, headers=auth("internal"))
    message = r.json()["error"]["message"]
    assert r.status_code == 422 and message.startswith("body.filters.doc_type.0 = 'sopp': Input should be 'runbook'")
    assert all(t in message for t in ("'sop'", "'msa'", "'other'")) and "\n" not in message
    r = client.post("/v1/search", json={"query": "refunds", "k": 0}, headers=auth("internal"))
    assert r.json()["error"]["message"] == "body.k = 0: Input should be greater than or equal to 1"
