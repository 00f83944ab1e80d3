"""The web app in a real headless Chromium against a live server: sign in, ask, open a citation,
work the obligation register and export it, what a bpo_agent sees, hostile text, narrow screens."""

from __future__ import annotations

import csv
import io
import re

import httpx

from tests.web.conftest import XSS, KEYS, shot, sign_in, signed_in, view_shot, wait_for


def _by():
    from selenium.webdriver.common.by import By

    return By


def _cookies(driver) -> dict[str, str]:
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _ask(driver, question: str) -> None:
    By = _by()
    turns = len(driver.find_elements(By.CSS_SELECTOR, "article.turn"))
    box = driver.find_element(By.ID, "question")
    box.clear()
    box.send_keys(question)
    driver.find_element(By.CSS_SELECTOR, "form.ask-form button[type=submit]").click()
    wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "article.turn")) > turns)


def test_sign_in_ask_follow_up_and_open_the_cited_passage_highlighted(page, site):
    By = _by()
    page.get(site.url + "/signin")
    shot(page, "signin")
    sign_in(page, site.url, "legal")
    assert page.find_element(By.CSS_SELECTOR, "h1").text == "Ask"
    _ask(page, "What service credit applies when the email response SLA is missed?")
    answer = page.find_element(By.CSS_SELECTOR, "article.turn .answer")
    markers = answer.find_elements(By.CSS_SELECTOR, "a.marker")
    assert markers, answer.text
    quote = answer.find_element(By.CSS_SELECTOR, "ol.citations li blockquote").text
    _ask(page, "and what is the cap on all service credits together?")
    assert len(page.find_elements(By.CSS_SELECTOR, "article.turn")) == 2
    shot(page, "ask")
    shot(page, "ask", width=390)

    page.find_elements(By.CSS_SELECTOR, "article.turn a.marker")[0].click()
    wait_for(page, lambda d: "/passages/" in d.current_url)
    cited = page.find_element(By.ID, "passage")
    assert "cited" in cited.get_attribute("class")
    marked = " ".join(m.text for m in cited.find_elements(By.TAG_NAME, "mark"))
    assert marked and _squash(marked) in _squash(quote) or _squash(quote) in _squash(marked)
    assert page.execute_script("return document.activeElement.id") == "passage"  # focus moved to the passage
    # The viewer says where the passage sits: its section path (and clause/page when it has them).
    assert page.find_element(By.CSS_SELECTOR, ".cited-note").text.startswith("Go to the cited passage")
    view_shot(page, "viewer-cited")
    shot(page, "viewer-cited")
    shot(page, "viewer-cited", width=390)


def test_a_pdf_citation_opens_at_its_page(page, site):
    By = _by()
    sign_in(page, site.url, "legal", "/search?q=termination+for+convenience+notice&doc_type=msa")
    # The first PDF among the results (which file ranks first depends on what else is indexed).
    pdf = next(li for li in page.find_elements(By.CSS_SELECTOR, "ol.results li") if ".pdf" in li.text)
    pdf.find_element(By.CSS_SELECTOR, "h2 a").click()
    wait_for(page, lambda d: "/passages/" in d.current_url)
    cited = page.find_element(By.ID, "passage")
    # Page marks precede the passage's text; the cited passage's page is the one named in the note.
    note = page.find_element(By.CSS_SELECTOR, ".cited-note").text
    page_no = re.search(r"p\. (\d+)", note).group(1)
    placed = page.execute_script(
        "const p = document.getElementById('passage'), m = document.getElementById('page-' + arguments[0]);"
        "return !!m && (p.contains(m) || !!(m.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));", page_no)
    assert placed, f"no page {page_no} mark before the cited passage"
    page.find_element(By.LINK_TEXT, page_no).click()  # the page index jumps to the page mark
    assert page.current_url.endswith(f"#page-{page_no}")
    assert cited.text.strip()
    shot(page, "viewer-pdf")


def test_register_filter_sort_status_and_export(page, site):
    from selenium.webdriver.support.ui import Select

    By = _by()
    sign_in(page, site.url, "legal", "/obligations")
    total = int(page.find_element(By.CSS_SELECTOR, ".toolbar [role=status]").text.split()[0])
    party_select = Select(page.find_element(By.ID, "f-party"))
    party = next(o.get_attribute("value") for o in party_select.options if o.get_attribute("value"))
    party_select.select_by_value(party)
    page.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(page, lambda d: "party=" in d.current_url)
    rows = page.find_elements(By.CSS_SELECTOR, "table.register tbody tr")
    shown = int(page.find_element(By.CSS_SELECTOR, ".toolbar [role=status]").text.split()[0])
    assert 0 < shown < total and len(rows) == shown
    assert all(r.find_elements(By.TAG_NAME, "td")[1].text == party for r in rows)

    page.find_element(By.LINK_TEXT, "Due / recurrence").click()
    wait_for(page, lambda d: "sort=due" in d.current_url)
    assert page.find_element(By.CSS_SELECTOR, "th[aria-sort]").text.startswith("Due / recurrence")
    shot(page, "obligations")
    shot(page, "obligations", width=390)

    # Mark the first obligation "In progress"; the status filter then finds exactly it.
    first = page.find_element(By.CSS_SELECTOR, "table.register tbody tr")
    ident = first.get_attribute("id")
    Select(first.find_element(By.TAG_NAME, "select")).select_by_value("In progress")
    first.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(page, lambda d: Select(d.find_element(By.CSS_SELECTOR, f"#{ident} select")).first_selected_option.text == "In progress")

    export = page.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    with httpx.Client(cookies=_cookies(page), timeout=120) as client:
        response = client.get(export)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        exported = list(csv.DictReader(io.StringIO(response.text)))
        assert len(exported) == shown and {r["obligated_party"] for r in exported} == {party}
        assert [r["status"] for r in exported if "ob-" + r["id"] == ident] == ["In progress"]
        xlsx = client.get(export.replace("format=csv", "format=xlsx"))
        from assistant.contracts.export import read_xlsx

        assert len(read_xlsx(xlsx.content)) == shown
        only = client.get(site.url + "/obligations/export", params={"status": "In progress", "format": "csv"})
        assert [r["id"] for r in csv.DictReader(io.StringIO(only.text))] == [ident.removeprefix("ob-")]
    Select(page.find_element(By.CSS_SELECTOR, f"#{ident} select")).select_by_value("")
    page.find_element(By.CSS_SELECTOR, f"#{ident} button[type=submit]").click()


def _contract_ids(service) -> tuple[str, str]:
    """(a contract's doc_id, one of its chunk ids), read straight from the store as admin would."""
    from assistant.models import CONTRACT_DOC_TYPES

    row = next(r for r in service.catalog.all() if r.doc_type in CONTRACT_DOC_TYPES)
    chunk = service.store.get_where(row.collection, {"doc_id": row.doc_id})[0]
    return row.doc_id, chunk.id


def test_a_bpo_agent_sees_no_contract_anywhere(page, site):
    By = _by()
    doc_id, chunk_id = _contract_ids(site.service)
    sign_in(page, site.url, "bpo_agent")
    nav = [a.text for a in page.find_elements(By.CSS_SELECTOR, "header nav a")]
    assert nav == ["Ask", "Search", "Documents"]
    _ask(page, "What service credit applies when the email response SLA is missed?")
    assert "contracts/" not in page.find_element(By.CSS_SELECTOR, "article.turn").text
    page.get(site.url + "/documents")
    listed = page.find_element(By.CSS_SELECTOR, "table tbody").text
    assert "contracts/" not in listed and "runbooks/" in listed
    page.get(site.url + f"/passages/{chunk_id}")
    assert page.find_element(By.TAG_NAME, "h1").text == "Not found"
    shot(page, "agent-guessed-passage")

    with httpx.Client(base_url=site.url, cookies=_cookies(page), timeout=120) as client:
        missing = client.get("/documents/0000000000000000")
        assert missing.status_code == 404
        for path in (f"/documents/{doc_id}", f"/passages/{chunk_id}", f"/contracts/{doc_id}"):
            r = client.get(path)
            # 404 like an id that does not exist (never 403): nothing says the contract is there.
            assert r.status_code == 404 and "among the documents you can read" in r.text, path
        export = client.get("/obligations/export", params={"format": "csv"})
        assert export.status_code == 200 and len(export.text.strip().splitlines()) == 1  # the header only
        assert "contracts/" not in client.get("/obligations").text
        assert "contracts/" not in client.get("/contracts").text
        search = client.get("/search", params={"q": "termination for convenience notice"}).text
        assert "contracts/" not in search and not re.search(r"· (msa|sow|dpa|contract) ·", search)
        assert "not found in the contracts you can read" in client.get("/clauses", params={"type": "Audit Rights"}).text


def _no_injected_markup(driver) -> None:
    found = driver.execute_script(
        "return {xss: window.__xss || null,"
        " scripts: [...document.scripts].filter(s => s.getAttribute('src') !== '/static/app.js').length,"
        " handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,"
        " images: document.images.length, svgs: document.querySelectorAll('svg').length,"
        " js_links: document.querySelectorAll('a[href^=\"javascript\"]').length}")
    assert found == {"xss": None, "scripts": 0, "handlers": 0, "images": 0, "svgs": 0, "js_links": 0}, found


def _no_raw_markup(html: str) -> None:
    for needle in ("<script>window", "<img src=x", "<svg onload", 'href="javascript:'):
        assert needle not in html, needle


def test_hostile_text_in_titles_headings_bodies_questions_and_citations_stays_text(page, site):
    By = _by()
    sign_in(page, site.url, "legal", "/search?q=zephyrine+refund+dispute")
    titles = [a.text for a in page.find_elements(By.CSS_SELECTOR, "ol.results h2 a")]
    # The title keeps what ingest leaves of the markup (it drops HTML tags it recognises): shown as text.
    assert any("<svg onload=window.__xss=3>" in t for t in titles), titles
    _no_injected_markup(page)
    page.find_element(By.CSS_SELECTOR, "ol.results h2 a").click()
    wait_for(page, lambda d: "/passages/" in d.current_url)
    headings = [h.text for h in page.find_elements(By.CSS_SELECTOR, ".doc-heading")]
    assert any(h.startswith("Refund <script>window.__xss=1</script>") and "<svg onload" in h for h in headings), headings
    _no_injected_markup(page)
    shot(page, "viewer-hostile")

    page.get(site.url + "/")
    _ask(page, f"How is a zephyrine refund dispute escalated? {XSS}")
    turn = page.find_element(By.CSS_SELECTOR, "article.turn")
    assert XSS in turn.find_element(By.CSS_SELECTOR, ".question").text
    _no_injected_markup(page)
    shot(page, "ask-hostile")
    with httpx.Client(base_url=site.url, cookies=_cookies(page), timeout=120) as client:
        for path in (page.current_url.removeprefix(site.url), "/search?q=zephyrine", "/documents"):
            _no_raw_markup(client.get(path).text)
        links = re.findall(r'href="(/passages/[^"]+)"', client.get(page.current_url.removeprefix(site.url)).text)
        assert links
        for link in links[:3]:
            _no_raw_markup(client.get(link.replace("&amp;", "&")).text)


PAGES = ["/", "/search?q=refund+exception+approval", "/clauses?type=Audit+Rights", "/contracts", "/documents"]


def test_every_page_fits_a_phone_and_a_desktop(page, site):
    By = _by()
    sign_in(page, site.url, "admin")
    page.get(site.url + "/contracts")
    contracts = [a.get_attribute("href").removeprefix(site.url) for a in page.find_elements(By.CSS_SELECTOR, ".cards h2 a")]
    assert contracts
    for path in PAGES + contracts:  # every contract page: key terms, and the SLA schedule where there is one
        page.get(site.url + path)
        name = "page-" + (re.sub(r"[^a-z]+", "-", path.split("?")[0]).strip("-") or "ask")
        for width in (1280, 390):
            shot(page, name, width)
            page.set_window_size(width, 900)
            overflow = page.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, width, overflow)
        page.set_window_size(1280, 900)


def test_keyboard_and_labels(page, site):
    from selenium.webdriver.common.keys import Keys

    By = _by()
    page.get(site.url + "/signin")
    assert page.switch_to.active_element.get_attribute("id") == "api_key"  # autofocus
    page.switch_to.active_element.send_keys(KEYS["coordinator"], Keys.ENTER)
    wait_for(page, lambda d: "/signin" not in d.current_url)
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert page.switch_to.active_element.text == "Skip to content"
    page.switch_to.active_element.send_keys(Keys.ENTER)
    assert page.switch_to.active_element.get_attribute("id") == "main"
    for path in PAGES + ["/obligations"]:
        page.get(site.url + path)
        unlabeled = page.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML)")
        assert unlabeled == [], (path, unlabeled)
    # A question can be typed and sent from the keyboard alone (Ctrl+Enter in the box).
    page.get(site.url + "/")
    box = page.find_element(By.ID, "question")
    box.send_keys("How do I escalate a chat backlog?")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "article.turn"))


def test_admin_uploads_sees_the_summary_and_deletes(browser, web_service, tmp_path):
    from tests.http.conftest import live_app
    from tests.web.conftest import API_KEYS

    By = _by()
    doc = tmp_path / "walkthrough-sop.md"
    doc.write_text("# Walkthrough SOP\n\n## Steps\n\nAgents confirm the quillback order number before any refund.\n",
                   encoding="utf-8")
    with live_app(web_service(), API_KEYS) as server:
        browser.get(server.url + "/signin")
        browser.delete_all_cookies()
        sign_in(browser, server.url, "admin", "/documents")
        browser.find_element(By.ID, "file").send_keys(str(doc))
        browser.find_element(By.ID, "path").send_keys("runbooks/walkthrough-sop.md")
        browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[role=status] p, [role=alert] p"))
        assert browser.find_element(By.CSS_SELECTOR, "[role=status] p").text == "Uploaded and indexed."
        assert "indexed" in browser.find_element(By.CSS_SELECTOR, ".badge").text
        shot(browser, "documents-uploaded")
        row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "table.stack tbody tr") if "walkthrough-sop.md" in r.text)
        row.find_element(By.CSS_SELECTOR, "button.danger").click()
        browser.switch_to.alert.accept()
        wait_for(browser, lambda d: "Removed" in d.find_element(By.TAG_NAME, "main").text)
        assert "walkthrough-sop.md" not in browser.find_element(By.CSS_SELECTOR, "table.stack tbody").text
        # A legal key may read documents but not change them.
        legal = signed_in(server.url, "legal")
        from tests.web.conftest import csrf_of

        token = csrf_of(legal, "/documents")
        r = legal.post(f"/documents/upload?csrf={token}", files={"file": ("x.md", b"# X\n\nbody text here\n")})
        assert r.status_code == 403
        legal.close()
