"""The contract page in a real headless Chromium: the documents that amend a contract and what each
changed, its terms as of a date, the SOP/runbook conflicts it is part of (each quote opening in the
viewer), and the scorecard a coordinator loads a metrics file for; a bpo_agent reaches none of it.
The contracts, amendments and SOPs are our own (tests/web/contract_data.py), in two families worded
differently."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.web.conftest import API_KEYS, csrf_of, shot, sign_in, signed_in, wait_for
from tests.web.contract_data import (AGREEMENT_2_SOURCE, HOSTILE_FILE_NAME, HOSTILE_METRIC, METRICS_CSV, SOW_1_SOURCE)


def _by():
    from selenium.webdriver.common.by import By

    return By


def _doc_id(service, source: str) -> str:
    from tests.conftest import admin

    return next(d.doc_id for d in service.documents(admin()) if d.source == source)


def _xlsx(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cookies(driver) -> dict[str, str]:
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def _main(driver) -> str:
    return " ".join(driver.find_element(_by().TAG_NAME, "main").text.split())


def _open_link_and_see_it_marked(driver, link, expected: str) -> None:
    """Follow a citation link: the viewer opens at the passage with `expected` inside the marked words."""
    href = link.get_attribute("href")
    driver.get(href)
    wait_for(driver, lambda d: "/passages/" in d.current_url and d.find_elements(_by().ID, "passage"))
    marked = " ".join(m.text for m in driver.find_elements(_by().CSS_SELECTOR, "#passage mark"))
    assert expected in " ".join(marked.split()), (href, marked)


def _no_script_ran(driver) -> None:
    found = driver.execute_script(
        "return {xss: window.__xss || null,"
        " scripts: [...document.scripts].filter(s => s.getAttribute('src') !== '/static/app.js').length,"
        " handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,"
        " images: document.images.length,"
        " foreign_svgs: [...document.querySelectorAll('svg')].filter(s => !s.closest('figure.chart')).length}")
    assert found == {"xss": None, "scripts": 0, "handlers": 0, "images": 0, "foreign_svgs": 0}, found


def test_amendments_what_they_changed_and_the_terms_as_of_a_date(page, site):
    By = _by()
    doc_id = _doc_id(site.service, SOW_1_SOURCE)
    sign_in(page, site.url, "legal", f"/contracts/{doc_id}")
    amendments = page.find_element(By.CSS_SELECTOR, "ul.amendments").text
    assert "Amendment No. 1 to Statement of Work No. 4" in amendments and "effective 2025-09-01" in amendments
    assert "in force on" in amendments
    link = page.find_element(By.CSS_SELECTOR, "ul.amendments a")
    assert re.fullmatch(r"/documents/[0-9a-f]+", link.get_attribute("href").removeprefix(site.url))
    changes = page.find_element(By.CSS_SELECTOR, "table[class~=stack] caption").find_element(By.XPATH, "..").text
    flat = " ".join(changes.split())
    assert "Replace clause 8.1" in flat and "twenty (20) days" in flat and "sixty (60) days" in flat
    assert "Delete clause 6.1" in flat and "no longer applies" in flat
    terms = _main(page)
    assert "Notice: termination for convenience twenty (20) days" in terms
    shot(page, "contract-amended")
    # Each change cites the new words (the amendment) and the old (the contract), each opening in the viewer.
    row = next(r for r in page.find_elements(By.CSS_SELECTOR, "table.stack tbody tr") if "8.1" in r.text)
    new, old = [a.get_attribute("href") for a in row.find_elements(By.CSS_SELECTOR, "a.cite")]
    page.get(new)
    assert "twenty (20) days" in " ".join(page.find_element(By.ID, "passage").text.split())
    assert "Amendment No. 1" in page.find_element(By.TAG_NAME, "h1").text
    page.get(old)
    marked = " ".join(m.text for m in page.find_elements(By.CSS_SELECTOR, "#passage mark"))
    assert "sixty (60) days" in marked

    # As of a date before the amendment took effect: the original terms, the amendment not yet in force.
    page.get(f"{site.url}/contracts/{doc_id}")
    page.execute_script("document.getElementById('as_of').value = '2025-06-01'")
    page.find_element(By.CSS_SELECTOR, "form.asof button[type=submit]").click()
    wait_for(page, lambda d: "as_of=2025-06-01" in d.current_url)
    text = _main(page)
    assert "Notice: termination for convenience sixty (60) days" in text and "twenty (20) days" not in text
    assert "not yet in force on 2025-06-01" in text and "No amendment is in force on 2025-06-01" in text
    assert page.find_element(By.ID, "as_of").get_attribute("value") == "2025-06-01"
    shot(page, "contract-as-of-before")

    # The other family: a figure rewritten inside a clause by a "First Amendment".
    other = _doc_id(site.service, AGREEMENT_2_SOURCE)
    page.get(f"{site.url}/contracts/{other}")
    text = _main(page)
    assert "First Amendment" in text and "forty-five (45) days" in text and "thirty (30) days" in text
    with httpx.Client(base_url=site.url, cookies=_cookies(page), timeout=120) as client:
        bad = client.get(f"/contracts/{other}", params={"as_of": "2025-02-30"})
        assert bad.status_code == 422 and "as_of must be a date" in bad.text and "Traceback" not in bad.text


@pytest.mark.parametrize("source, sop_says, contract_says, sop_words", [
    (SOW_1_SOURCE, "72 hours", "24 hours", "Respond to customer emails within 72 hours"),
    (AGREEMENT_2_SOURCE, "96 hours", "24 hours", "Tell Quarrybank about any security incident"),
])
def test_conflicts_quote_both_sides_and_each_opens_in_the_viewer(page, site, source, sop_says, contract_says, sop_words):
    By = _by()
    doc_id = _doc_id(site.service, source)
    sign_in(page, site.url, "legal", f"/contracts/{doc_id}")
    [conflict] = [c for c in page.find_elements(By.CSS_SELECTOR, "ul.conflicts > li") if sop_says in c.text]
    sides = conflict.find_elements(By.CSS_SELECTOR, ".side")
    assert len(sides) == 2
    assert "runbooks/" in sides[0].text and sop_words in sides[0].find_element(By.TAG_NAME, "blockquote").text
    assert source in sides[1].text and contract_says in sides[1].find_element(By.TAG_NAME, "blockquote").text
    shot(page, "contract-conflicts-" + source.split("/")[-1].removesuffix(".md"))
    links = [s.find_element(By.CSS_SELECTOR, "a.cite") for s in sides]
    hrefs = [a.get_attribute("href") for a in links]
    page.get(hrefs[0])
    assert " ".join(page.find_element(By.CSS_SELECTOR, "#passage mark").text.split()).startswith(sop_words)
    page.get(hrefs[1])
    assert contract_says in page.find_element(By.CSS_SELECTOR, "#passage mark").text


def test_a_coordinator_loads_a_metrics_file_and_sees_the_scorecard(browser, web_service, tmp_path):
    from tests.http.conftest import live_app

    By = _by()
    metrics = tmp_path / HOSTILE_FILE_NAME
    metrics.write_text(METRICS_CSV, encoding="utf-8")
    service = web_service()
    doc_id = _doc_id(service, SOW_1_SOURCE)
    with live_app(service, API_KEYS) as server:
        browser.get(server.url + "/signin")
        browser.delete_all_cookies()
        sign_in(browser, server.url, "coordinator", f"/contracts/{doc_id}")
        assert "No metrics are on file for this contract yet" in _main(browser)
        browser.find_element(By.ID, "metrics_file").send_keys(str(metrics))
        browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "metrics-outcome"))
        outcome = browser.find_element(By.ID, "metrics-outcome")
        assert outcome.get_attribute("role") == "status"
        # The file's name as text (Chromium sends its quotes as %22); 4 rows of 3 metrics, 8 of them scored.
        assert re.match(r'<svg onload=(%22|")window.__xss=9(%22|")>metrics.csv: Loaded 12 record\(s\) for 2025-03 to 2025-06: '
                        r"8 added, 0 updated, 0 already in the history", outcome.text), outcome.text
        assert HOSTILE_METRIC in outcome.find_element(By.CSS_SELECTOR, ".unmatched").text  # shown, escaped
        _no_script_ran(browser)

        # Per month and metric: actual, target, result, credit; the missed months in red.
        rows = [" ".join(r.text.split()) for r in browser.find_elements(By.CSS_SELECTOR, "table.scorecard tbody tr")]
        assert any(r.startswith("2025-05 Email Reply Time 90.2% ≥ 93% Missed 5% of monthly helpline fees") for r in rows), rows
        assert any(r.startswith("2025-03 Order Accuracy 98.6% ≥ 98% Met") for r in rows), rows
        # The persistent failure, its clause quoted and opening in the viewer; the RCAs due.
        warning = browser.find_element(By.CSS_SELECTOR, ".warning")
        assert "Persistent Failure in 2025-06: Email Reply Time missed in 2025-05, 2025-06" in " ".join(warning.text.split())
        assert "fails to achieve the same Service Level in two (2) consecutive months" in warning.find_element(By.TAG_NAME, "blockquote").text
        rcas = browser.find_element(By.CSS_SELECTOR, "ul.rcas").text
        assert "Email Reply Time, missed in 2025-05: RCA due 2025-06-06" in rcas
        # A chart per metric: its description says each month in words.
        charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
        assert len(charts) == 2
        desc = charts[0].find_element(By.TAG_NAME, "desc").get_attribute("textContent")
        assert desc.startswith("Target ≥ 93%.") and "2025-05: 90.2% missed" in desc
        assert len(charts[0].find_elements(By.CSS_SELECTOR, "circle[r='6']")) == 2  # the two missed months
        for width in (1280, 390):
            shot(browser, "contract-scorecard", width)
            browser.set_window_size(width, 900)
            assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 1, width
        browser.set_window_size(1280, 900)
        clause = warning.find_element(By.CSS_SELECTOR, "a.cite")
        _open_link_and_see_it_marked(browser, clause, "two (2) consecutive months")

        # The period can be narrowed.
        browser.get(f"{server.url}/contracts/{doc_id}?from=2025-05&to=2025-06")
        months = {r.text.split()[0] for r in browser.find_elements(By.CSS_SELECTOR, "table.scorecard tbody tr")}
        assert months == {"2025-05", "2025-06"}

        # A file that is not metrics: a one-line message, the scorecard still there.
        junk = tmp_path / "notes.csv"
        junk.write_text("hello there\njust words\n", encoding="utf-8")
        browser.get(f"{server.url}/contracts/{doc_id}")
        browser.find_element(By.ID, "metrics_file").send_keys(str(junk))
        browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
        wait_for(browser, lambda d: d.find_elements(By.ID, "metrics-outcome"))
        error = browser.find_element(By.ID, "metrics-outcome")
        assert error.get_attribute("role") == "alert" and error.text.startswith("notes.csv: ")
        assert len(error.text.splitlines()) == 1 and "Traceback" not in error.text
        assert browser.find_elements(By.CSS_SELECTOR, "table.scorecard tbody tr")
        shot(browser, "contract-scorecard-bad-file")

        cookies = _cookies(browser)
        with httpx.Client(base_url=server.url, cookies=cookies, timeout=120) as client:
            token = csrf_of(client, f"/contracts/{doc_id}")
            files = {"file": ("m.csv", METRICS_CSV.encode())}
            # CSRF: no token, a wrong one, or another site's form are refused before anything is read.
            assert client.post(f"/contracts/{doc_id}/metrics", files=files).status_code == 403
            assert client.post(f"/contracts/{doc_id}/metrics?csrf=nope", files=files).status_code == 403
            forged = client.post(f"/contracts/{doc_id}/metrics?csrf={token}", files=files, headers={"Origin": "https://evil.example"})
            assert forged.status_code == 403
            # A workbook works as well as CSV text.
            workbook = _xlsx([["Month", "Email Reply Time", "Order Accuracy"], ["Jul 2025", 96.4, 99.1]])
            r = client.post(f"/contracts/{doc_id}/metrics?csrf={token}", files={"file": ("july.xlsx", workbook)})
            assert r.status_code == 303 and r.headers["location"].endswith("#scorecard")
            page = client.get(f"/contracts/{doc_id}").text
            assert re.search(r'id="metrics-outcome">\s*<p>july.xlsx: Loaded 2 record\(s\) for 2025-07 to 2025-07: 2 added', page), page[:500]
            # Over the cap: refused by its declared length, shown as a one-line message.
            big = client.post(f"/contracts/{doc_id}/metrics?csrf={token}", files={"file": ("big.csv", b"a" * (5 * 1024 * 1024))})
            assert big.status_code == 303
            page = client.get(f"/contracts/{doc_id}").text
            assert re.search(r'id="metrics-outcome">\s*<p>[^<]*larger than 4194304 bytes</p>', page), page[:500]

        # A bpo_agent reaches neither the page nor the upload (404, as for a contract that does not exist).
        agent = signed_in(server.url, "bpo_agent")
        try:
            assert agent.get(f"/contracts/{doc_id}").status_code == 404
            token = csrf_of(agent, "/documents")
            r = agent.post(f"/contracts/{doc_id}/metrics?csrf={token}", files={"file": ("m.csv", b"Month,X\nJan 2025,1\n")})
            assert r.status_code == 404 and "among the documents you can read" in r.text
        finally:
            agent.close()
        from tests.conftest import as_role

        history = service.drafts.scorecard(SOW_1_SOURCE, as_role("coordinator")).history_months
        assert history == ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]  # the agent's file added nothing


def test_the_viewer_shows_a_markdown_table_as_a_table_with_the_cited_row_marked(page, site):
    By = _by()
    doc_id = _doc_id(site.service, SOW_1_SOURCE)
    sign_in(page, site.url, "legal", f"/contracts/{doc_id}")
    row = next(r for r in page.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=sla] tbody tr") if "Email Reply Time" in r.text)
    page.get(row.find_element(By.CSS_SELECTOR, "a.cite").get_attribute("href"))
    wait_for(page, lambda d: d.find_elements(By.ID, "passage"))
    table = page.find_element(By.CSS_SELECTOR, "#passage .doc-table table")
    assert [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")] == ["Service Level", "Description", "Target", "Service Credit"]
    cells = [td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td")]
    assert cells == ["Email Reply Time", "Share of customer emails answered on time (clause 5.1)", "≥ 93%", "5% of monthly helpline fees"]
    marked = [m.text for m in table.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td mark")]
    assert marked[0] == "Email Reply Time" and marked[-1] == "5% of monthly helpline fees"
    assert "|---" not in page.find_element(By.ID, "passage").text and "| Order Accuracy |" not in page.find_element(By.TAG_NAME, "main").text
    for width in (1280, 390):
        shot(page, "viewer-table", width)
        page.set_window_size(width, 900)
        assert page.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 1, width
