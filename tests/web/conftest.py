"""Web app fixtures: a real uvicorn on 127.0.0.1:0 over a copy of the indexed sample (plus a
document full of hostile markup), and a real headless Chromium driven by Selenium.

Browser tests skip, saying why, where Debian's `chromium` and `chromium-driver` are not installed
(a user's machine); under CI (CI=true, where .ci/run installs them) a missing browser fails.
Screenshots go to a temporary folder (BPO_WEB_SCREENSHOTS names another) printed at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import write_files
from tests.web.contract_data import FILES as CONTRACT_FILES
from tests.http.conftest import copy_service, live_app  # noqa: F401 - copy_service: the fixture, shared

KEYS = {"admin": "web-adm-5c1e9a7f3b2d", "legal": "web-leg-8e2a4c6f1b3d", "bpo_agent": "web-agt-3f7b1d9e5a2c",
        "coordinator": "web-crd-6a8c2e4b1d3f"}
API_KEYS = ",".join(f"{key}:{role}" for role, key in KEYS.items())

# Hostile strings: each would run script, load an image or break out of an attribute if any page
# printed it as markup. They go into a document's title, headings and body, a question and a citation.
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">"\'><svg onload=window.__xss=3>'
HOSTILE_DOC = f"""# Hostile {XSS} handbook

## Refund {XSS} escalation

Agents escalate a refund dispute for the zephyrine account to the duty lead within two hours. {XSS}
The duty lead records the zephyrine decision in the ledger and replies to the customer.

## Closing notes

Close the zephyrine ticket once the customer confirms. <a href="javascript:window.__xss=4">click</a>
"""

BROWSER = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
NO_BROWSER = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
SCREENSHOTS = Path(os.environ.get("BPO_WEB_SCREENSHOTS") or tempfile.mkdtemp(prefix="bpo-web-shots-"))
SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"web screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="package")
def web_service(copy_service, tmp_path_factory):
    """A private copy of the indexed sample, plus the hostile runbook and the contract-page documents
    (the copy may be changed)."""

    def make():
        svc = copy_service(max_upload_bytes=256 * 1024)
        # Also contracts of our own with amendments and conflicting SOPs (tests/web/contract_data.py).
        extra = write_files(tmp_path_factory.mktemp("hostile"), {"runbooks/hostile-handbook.md": HOSTILE_DOC, **CONTRACT_FILES})
        summary = svc.ingest(extra, _admin())
        assert not summary.partial, summary
        return svc

    return make


@pytest.fixture(scope="package")
def site(web_service) -> Iterator[str]:
    """Base URL of the shared server (tests on it must leave the index as they found it)."""
    service = web_service()
    with live_app(service, API_KEYS) as server:
        server.service = service
        yield server


def _admin():
    from assistant.models import Caller

    return Caller(id="test", roles=frozenset({"admin"}))


# -- plain HTTP sessions (no browser) -------------------------------------------------------

def form_value(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no {name} in the page"
    return m.group(1)


def signed_in(base_url: str, role: str) -> httpx.Client:
    """An httpx client holding a session cookie, signed in through the sign-in form."""
    client = httpx.Client(base_url=base_url, timeout=120)
    page = client.get("/signin")
    token = form_value(page.text, "form_token")
    r = client.post("/signin", data={"api_key": KEYS[role], "form_token": token, "next": "/"})
    assert r.status_code == 303 and "bpo_session" in client.cookies, r.text[:300]
    return client


def csrf_of(client: httpx.Client, path: str = "/") -> str:
    return form_value(client.get(path).text, "csrf")


# -- the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="package")
def browser(tmp_path_factory):
    """One headless Chromium for the package; each test starts signed out (cookies cleared)."""
    if not (BROWSER and DRIVER):
        if os.environ.get("CI") == "true":  # .ci/run installs them: a CI without them must not pass quietly
            pytest.fail(NO_BROWSER)
        pytest.skip(NO_BROWSER)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(180)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser, site):
    """The browser, signed out, at the server's size for a desktop (1280 px wide)."""
    browser.get(site.url + "/signin")
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    return browser


def sign_in(driver, base_url: str, role: str, next_path: str = "/") -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base_url}/signin?next={next_path}")
    driver.find_element(By.ID, "api_key").send_keys(KEYS[role])
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button[type=submit]").click()
    wait_for(driver, lambda d: "/signin" not in d.current_url)


def wait_for(driver, condition, seconds: float = 120):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # An element found just before the page it was on is replaced (a form posted, a redirect) goes
    # stale mid-check: that is "not yet", not a failure.
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def view_shot(driver, name: str) -> Path:
    """What the window shows now (e.g. the viewer scrolled to the cited passage)."""
    path = SCREENSHOTS / f"{name}-view.png"
    driver.save_screenshot(str(path))
    return path


def shot(driver, name: str, width: int = 1280) -> Path:
    """A full-page screenshot at `width` pixels (the page's own height)."""
    driver.set_window_size(width, 900)  # the height at this width: a phone's page is longer than a desktop's
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(width, min(int(height) + 120, 8000))
    driver.execute_script("window.scrollTo(0, 0)")
    path = SCREENSHOTS / f"{name}-{width}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path
