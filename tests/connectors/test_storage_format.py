"""Confluence storage format -> the same structure the HTML loader gives a plain HTML page; the
mirrored page JSON (.confluence) read by load_document like any file."""

from __future__ import annotations

import json

import pytest

from ingest.document import LoaderError
from ingest.loaders.confluence import storage_to_html
from ingest.document import BlockKind
from ingest.loaders.html import parse_html


def _blocks(storage: str, title: str = "Page") -> list[tuple[str, int, str]]:
    doc = parse_html(storage_to_html(storage, title))
    return [(b.kind.value, b.level, doc.text[b.start:b.end]) for b in doc.blocks]


def test_plain_markup_keeps_the_structure_plain_html_has():
    markup = ("<h1>Onboarding</h1><p>New agents shadow for <em>three</em> shifts.</p><h3>Week one</h3>"
              "<ul><li>Tools access</li><li>Compliance quiz<ul><li>Retake allowed once</li></ul></li></ul>"
              "<table><tbody><tr><th>Day</th><th>Topic</th></tr><tr><td>Mon</td><td>CRM basics</td></tr></tbody></table>")
    assert _blocks(markup) == [b[:3] for b in _plain(markup)]


def _plain(markup: str) -> list[tuple[str, int, str]]:
    doc = parse_html(f"<html><head><title>Page</title></head><body>{markup}</body></html>")
    return [(b.kind.value, b.level, doc.text[b.start:b.end]) for b in doc.blocks]


def test_code_macros_keep_their_cdata_verbatim():
    markup = ('<p>Restart the worker:</p><ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash'
              '</ac:parameter><ac:plain-text-body><![CDATA[systemctl restart queue-worker && echo "ok <done>"]]>'
              '</ac:plain-text-body></ac:structured-macro>'
              '<ac:structured-macro ac:name="noformat"><ac:plain-text-body><![CDATA[  indented\n  output]]></ac:plain-text-body></ac:structured-macro>')
    blocks = _blocks(markup)
    assert ("code", 0, 'systemctl restart queue-worker && echo "ok <done>"') in blocks
    assert ("code", 0, "  indented\n  output") in blocks


@pytest.mark.parametrize("macro", ["info", "note", "warning", "tip", "panel", "expand"])
def test_panel_macros_become_their_body_with_the_title(macro):
    markup = (f'<ac:structured-macro ac:name="{macro}" ac:schema-version="1"><ac:parameter ac:name="title">Before you start'
              '</ac:parameter><ac:rich-text-body><p>Confirm the customer\'s identity with two factors.</p>'
              '</ac:rich-text-body></ac:structured-macro>')
    assert _blocks(markup) == [("paragraph", 0, "Before you start"), ("paragraph", 0, "Confirm the customer's identity with two factors.")]


def test_links_read_as_their_text_or_target():
    markup = ('<p>See <ac:link><ri:page ri:content-title="Refund policy" ri:space-key="FIN"/></ac:link>, '
              '<ac:link><ri:attachment ri:filename="rates.pdf"/><ac:plain-text-link-body><![CDATA[the rate card]]>'
              '</ac:plain-text-link-body></ac:link> and <ac:link><ri:user ri:account-id="5570:x"/></ac:link>'
              ' and <a href="https://status.example.com">the status page</a>.</p>')
    assert _blocks(markup) == [("paragraph", 0, "See Refund policy, the rate card and and the status page.")]


def test_navigation_and_media_leave_no_text():
    markup = ('<ac:structured-macro ac:name="toc"/><ac:structured-macro ac:name="children"/>'
              '<p>Body text<ac:image><ri:attachment ri:filename="diagram.png"/></ac:image>'
              '<ac:emoticon ac:name="smile"/></p><ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">OPS-1'
              '</ac:parameter></ac:structured-macro>')
    assert _blocks(markup) == [("paragraph", 0, "Body text")]


def test_tasks_status_and_dates():
    markup = ('<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>'
              '<ac:task-body>Notify the client</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id>'
              '<ac:task-status>incomplete</ac:task-status><ac:task-body>File the RCA</ac:task-body></ac:task></ac:task-list>'
              '<p>State: <ac:structured-macro ac:name="status"><ac:parameter ac:name="title">IN REVIEW</ac:parameter>'
              '</ac:structured-macro> since <time datetime="2026-05-04"/></p>')
    assert _blocks(markup) == [("list_item", 0, "[x] Notify the client"), ("list_item", 0, "[ ] File the RCA"),
                               ("paragraph", 0, "State: IN REVIEW since 2026-05-04")]


def test_layouts_unwrap_to_their_sections_in_order():
    markup = ('<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><h2>Left</h2><p>Tier 1 queue.</p>'
              '</ac:layout-cell><ac:layout-cell><h2>Right</h2><p>Tier 2 queue.</p></ac:layout-cell></ac:layout-section></ac:layout>')
    assert _blocks(markup) == [("heading", 2, "Left"), ("paragraph", 0, "Tier 1 queue."), ("heading", 2, "Right"),
                               ("paragraph", 0, "Tier 2 queue.")]


def test_the_title_and_escaping():
    doc = parse_html(storage_to_html("<p>a &lt; b &amp;&amp; c</p>", 'Fees & "credits" <2026>'))
    assert doc.title == 'Fees & "credits" <2026>'
    assert doc.text == "a < b && c"
    assert doc.blocks[0].kind is BlockKind.paragraph


def test_a_body_that_is_not_text_is_a_loader_error():
    with pytest.raises(LoaderError):
        storage_to_html(None, "Broken")


TABLE_PAGE = ("<h2>Escalation contacts</h2><table><tbody><tr><th>Tier</th><th>Contact</th></tr>"
              "<tr><td>Tier 2</td><td>Shift lead</td></tr></tbody></table>")


@pytest.mark.parametrize("shape", [
    {"id": "1001", "title": "Escalations", "version": {"number": 3}, "body": {"storage": {"representation": "storage", "value": TABLE_PAGE}}},
    {"id": "1001", "type": "page", "title": "Escalations", "body": {"storage": {"value": TABLE_PAGE, "representation": "storage"}},
     "_links": {"webui": "/display/OPS/Escalations"}},
], ids=["cloud-v2", "datacenter-v1"])
def test_a_mirrored_page_loads_with_its_title_headings_and_table(tmp_path, shape):
    from ingest.loaders import SUPPORTED_SUFFIXES, load_document

    path = tmp_path / "page.confluence"
    path.write_text(json.dumps(shape), encoding="utf-8")
    doc = load_document(path)
    assert doc.title == "Escalations"
    assert [(b.kind.value, doc.text[b.start:b.end]) for b in doc.blocks] == [
        ("heading", "Escalation contacts"), ("table_row", "Tier | Contact"), ("table_row", "Tier 2 | Shift lead")]
    assert ".confluence" not in SUPPORTED_SUFFIXES  # the connector's mirror, never an upload


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not a Confluence page"),
    (json.dumps({"id": "1", "title": "No body"}), "no storage-format body"),
    (json.dumps({"id": "1", "body": {"storage": {"value": 42}}}), "no storage-format body"),
    (json.dumps(["a", "list"]), "no storage-format body"),
])
def test_a_mirrored_page_that_is_not_a_page_is_a_one_line_loader_error(tmp_path, content, reason):
    from ingest.loaders import load_document

    path = tmp_path / "page.confluence"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoaderError, match=reason):
        load_document(path)
