"""Confluence pages (.confluence: the page JSON the REST API returns, Cloud v2 or Data Center v1,
as the connector mirrored it). The storage-format body (XHTML with `ac:`/`ri:` elements) becomes
plain HTML that the HTML loader reads like any other page: headings, paragraphs, lists and tables
stay what they are, macros become what a reader sees. Parsed here, in the parse child, under the
same limits as any file: a page body is untrusted markup too.

- code / noformat macros -> <pre> (their CDATA body kept verbatim)
- panels (info, note, warning, tip, panel, expand, section/column) -> their rich-text body
- links to pages, attachments, users -> their link text (or the target's title / name)
- task lists -> list items; status lozenges -> their title; dates -> the date
- navigation and embeds with no text of their own (toc, children, attachments, jira, include,
  images, emoticons, placeholders) -> dropped
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag

from ingest.document import LoaderError, ParsedDocument
from ingest.limits import read_capped

_DROPPED_MACROS = frozenset({
    "toc", "children", "attachments", "jira", "include", "excerpt-include", "recently-updated", "contentbylabel",
    "pagetree", "livesearch", "gallery", "viewpdf", "view-file", "widget", "anchor", "profile", "space-details",
})
_CODE_MACROS = frozenset({"code", "noformat"})
_DROPPED_ELEMENTS = frozenset({"ac:image", "ac:emoticon", "ac:placeholder", "ac:parameter", "ri:url"})
_VOID = frozenset({"br", "hr"})
# Plain HTML the loader understands; anything else is unwrapped (its children kept).
_KEPT = frozenset(
    "h1 h2 h3 h4 h5 h6 p div span ul ol li table thead tbody tfoot tr th td caption pre code blockquote "
    "strong b em i u s sub sup a br hr dl dt dd".split()
)


def load_confluence_page(path: Path) -> ParsedDocument:
    from ingest.loaders.html import parse_html

    try:
        page = json.loads(read_capped(path))
    except ValueError:
        raise LoaderError("not a Confluence page: the file is not JSON") from None
    body = page.get("body") if isinstance(page, dict) else None
    storage = body.get("storage") if isinstance(body, dict) else None
    value = storage.get("value") if isinstance(storage, dict) else None
    if not isinstance(value, str):
        raise LoaderError("the API returned no storage-format body for this page")
    title = page.get("title")
    return parse_html(storage_to_html(value, title if isinstance(title, str) else ""))


def storage_to_html(storage: str, title: str) -> str:
    """A complete HTML document for one page body in storage format."""
    if not isinstance(storage, str):
        raise LoaderError("the page body is missing or not text")
    # html.parser keeps `ac:` names and hands CDATA sections over as CData nodes (lxml drops them).
    soup = BeautifulSoup(storage, "html.parser")
    body = "".join(_render(node) for node in soup.contents)
    return f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>\n<body>\n{body}\n</body></html>\n"


def _render(node) -> str:
    if isinstance(node, CData):
        return html.escape(str(node))
    if isinstance(node, Comment):
        return ""
    if isinstance(node, NavigableString):
        return html.escape(str(node), quote=False)
    if not isinstance(node, Tag):
        return ""
    name = (node.name or "").lower()
    if name in _DROPPED_ELEMENTS:
        return ""
    if name == "ac:structured-macro" or name == "ac:macro":
        return _macro(node)
    if name == "ac:link":
        return _link_text(node)
    if name == "ac:task-list":
        return "<ul>" + "".join(_task(t) for t in node.find_all("ac:task", recursive=False)) + "</ul>"
    if name in ("ri:user",):
        return html.escape(node.get("ri:username") or node.get("ri:userkey") or "a user")
    if name == "time":
        return html.escape(node.get("datetime") or node.get_text())
    inner = "".join(_render(c) for c in node.contents)
    if name in _VOID:
        return f"<{name}>"
    if name in _KEPT:
        return f"<{name}>{inner}</{name}>"
    return inner  # ac:layout, ac:layout-section, ac:rich-text-body... : their content only


def _macro(node: Tag) -> str:
    kind = (node.get("ac:name") or "").lower()
    if kind in _DROPPED_MACROS:
        return ""
    if kind in _CODE_MACROS:
        body = node.find("ac:plain-text-body")
        return f"<pre>{html.escape(body.get_text())}</pre>" if body else ""
    if kind == "status":
        title = _parameter(node, "title")
        return html.escape(title) if title else ""
    rich = node.find("ac:rich-text-body")
    if rich is not None:
        title = _parameter(node, "title")
        head = f"<p><strong>{html.escape(title)}</strong></p>" if title else ""
        return f"<div>{head}{''.join(_render(c) for c in rich.contents)}</div>"
    plain = node.find("ac:plain-text-body")
    return f"<p>{html.escape(plain.get_text())}</p>" if plain else ""


def _parameter(node: Tag, name: str) -> str:
    for p in node.find_all("ac:parameter", recursive=False):
        if (p.get("ac:name") or "").lower() == name:
            return " ".join(p.get_text().split())
    return ""


def _link_text(node: Tag) -> str:
    body = node.find(["ac:plain-text-link-body", "ac:link-body"])
    if body is not None and body.get_text().strip():
        return html.escape(" ".join(body.get_text().split()))
    target = node.find(["ri:page", "ri:attachment", "ri:blog-post", "ri:space", "ri:user"])
    if target is None:
        return ""
    label = (target.get("ri:content-title") or target.get("ri:filename") or target.get("ri:space-key")
             or target.get("ri:username") or "")
    return html.escape(label)


def _task(task: Tag) -> str:
    body = task.find("ac:task-body")
    text = "".join(_render(c) for c in body.contents) if body else ""
    done = (task.find("ac:task-status").get_text().strip() == "complete") if task.find("ac:task-status") else False
    return f"<li>{'[x] ' if done else '[ ] '}{text}</li>"
