"""Confluence: the pages of one space (mirrored as the API's page JSON, whose storage-format body
ingest/loaders/confluence.py reads in the parse child) and their attachments.

Cloud speaks REST API v2 (`/wiki/api/v2`: cursor pagination through `_links.next`) and keeps read
restrictions in v1 (`/rest/api/content/{id}/restriction/byOperation/read`); Data Center speaks v1
(`/rest/api/content`, start/limit pagination, restrictions expandable in the listing).

Confluence has no change feed that reports deletions, so every sync lists the space's pages (ids,
titles, versions and parents: no bodies) and fetches only what is new or at a new version; a
known page missing from a complete listing was deleted. Read restrictions are inherited, so a
page is restricted when it or any ancestor has one. Labels are read when the page is fetched; a
label naming a document type (runbook, sop, msa, ...) sets it. The page body is streamed to the
mirror under the same byte cap as any file and never parsed in this process.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from assistant.connector_settings import ConfluenceConnector
from ingest.connectors.base import ApiError, ChangeBatch, RemoteItem, RemoteSource
from ingest.connectors.http import ApiClient

_BATCH = 50  # items per batch handed to the pipeline (and per state save)


class Confluence(RemoteSource):
    type = "confluence"

    def __init__(self, settings: ConfluenceConnector, client: ApiClient, supported_suffixes: frozenset[str], max_bytes: int):
        super().__init__(settings, client, supported_suffixes, max_bytes)
        self.base = settings.base_url.rstrip("/")
        self.location = f"Confluence space {settings.space}"

    @property
    def identity(self) -> str:
        return f"confluence|{self.base}|{self.s.space}"

    # -- listing ------------------------------------------------------------------------------
    def changes(self, cursor: dict, known: Mapping[str, RemoteItem]) -> Iterator[ChangeBatch]:
        pages = self._cloud_pages() if self.s.flavor == "cloud" else self._datacenter_pages()
        by_id = {p["id"]: p for p in pages}
        items = [self._page_item(p, by_id) for p in pages]
        seen = [i.id for i in items]
        for start in range(0, len(items), _BATCH):
            batch = items[start:start + _BATCH]
            attachments = [a for page in batch for a in self._attachments(page, known)] if self.s.attachments else []
            seen += [a.id for a in attachments]
            yield ChangeBatch(changed=batch + attachments)
        yield ChangeBatch(listing=seen)

    def _cloud_pages(self) -> list[dict]:
        space = self.client.get_json(f"{self.base}/api/v2/spaces", {"keys": self.s.space}, what="space")
        found = [s for s in space.get("results") or [] if s.get("key") == self.s.space]
        if not found:
            raise ApiError(f"{self.client.name}: space {self.s.space} was not found (or these credentials cannot see it)")
        pages = []
        for raw in self._cursor_pages(f"{self.base}/api/v2/spaces/{found[0]['id']}/pages",
                                      {"limit": self.s.page_size, "status": "current"}):
            pages.append({"id": str(raw["id"]), "title": str(raw.get("title") or raw["id"]),
                          "parent": str(raw.get("parentId") or ""), "version": _version(raw),
                          "modified": (raw.get("version") or {}).get("createdAt", ""),
                          "webui": (raw.get("_links") or {}).get("webui", ""),
                          "restricted": self._cloud_restricted(str(raw["id"]))})
        return pages

    def _cloud_restricted(self, page_id: str) -> bool:
        data = self.client.get_json(f"{self.base}/rest/api/content/{page_id}/restriction/byOperation/read",
                                    what="page restrictions")
        return _has_restrictions(data.get("restrictions") or {})

    def _datacenter_pages(self) -> list[dict]:
        params = {"spaceKey": self.s.space, "type": "page", "status": "current", "limit": self.s.page_size, "start": 0,
                  "expand": "version,ancestors,restrictions.read.restrictions.user,restrictions.read.restrictions.group"}
        pages = []
        for raw in self._cursor_pages(f"{self.base}/rest/api/content", params):
            ancestors = raw.get("ancestors") or []
            read = (((raw.get("restrictions") or {}).get("read") or {}).get("restrictions") or {})
            pages.append({"id": str(raw["id"]), "title": str(raw.get("title") or raw["id"]),
                          "parent": str(ancestors[-1]["id"]) if ancestors else "", "version": _version(raw),
                          "modified": (raw.get("version") or {}).get("when", ""),
                          "webui": (raw.get("_links") or {}).get("webui", ""), "restricted": _has_restrictions(read)})
        return pages

    def _cursor_pages(self, url: str, params: dict | None) -> Iterator[dict]:
        """Follow `_links.next` (a cursor in v2, start/limit in v1) until there is none."""
        seen_links: set[str] = set()
        while url:
            data = self.client.get_json(url, params, what="page listing")
            results = data.get("results")
            if not isinstance(results, list):
                raise ApiError(f"{self.client.name}: the page listing has no results list")
            yield from (r for r in results if isinstance(r, dict) and r.get("id"))
            nxt = (data.get("_links") or {}).get("next")
            url, params = (self._absolute(nxt), None) if nxt else ("", None)
            if url in seen_links:  # a server repeating its next link would loop forever
                raise ApiError(f"{self.client.name}: the page listing repeats itself")
            seen_links.add(url)

    def _page_item(self, page: dict, by_id: dict[str, dict]) -> RemoteItem:
        path, reason = [], "this page has read restrictions" if page["restricted"] else None
        parent, hops = by_id.get(page["parent"]), 0
        while parent is not None and hops < 100:  # ancestors' titles, and their restrictions, which pages inherit
            path.insert(0, parent["title"])
            if reason is None and parent["restricted"]:
                reason = f"its ancestor page '{parent['title']}' has read restrictions"
            parent, hops = by_id.get(parent["parent"]), hops + 1
        return RemoteItem(id=page["id"], title=page["title"], path=path, parent_id=page["parent"], suffix=".confluence",
                          version=page["version"], url=self._absolute(page["webui"]) if page["webui"] else "",
                          modified_at=page["modified"], restricted=reason, location=self.location, fetch={"kind": "page"})

    def _attachments(self, page: RemoteItem, known: Mapping[str, RemoteItem]) -> list[RemoteItem]:
        if self.s.flavor == "cloud":
            url, params = f"{self.base}/api/v2/pages/{page.id}/attachments", {"limit": self.s.page_size}
        else:
            url, params = f"{self.base}/rest/api/content/{page.id}/child/attachment", {"limit": self.s.page_size, "expand": "version"}
        out = []
        for raw in self._cursor_pages(url, params):
            title = str(raw.get("title") or "")
            if PurePosixPath(title).suffix.lower() not in self.suffixes:
                continue  # only what the loaders read; images and archives are not documents
            links = raw.get("_links") or {}
            download = raw.get("downloadLink") or links.get("download") or ""
            webui = raw.get("webuiLink") or links.get("webui") or ""
            if not download:
                continue
            out.append(RemoteItem(
                id=f"attachment:{raw['id']}", title=title, path=[*page.path, page.title], parent_id=page.id,
                suffix=PurePosixPath(title).suffix.lower(), version=_version(raw), url=self._absolute(webui) if webui else page.url,
                modified_at=(raw.get("version") or {}).get("createdAt") or (raw.get("version") or {}).get("when", ""),
                restricted=page.restricted, location=self.location, size=raw.get("fileSize"),
                fetch={"kind": "attachment", "download": self._absolute(download)}))
        return out

    # -- content ------------------------------------------------------------------------------
    def fetch(self, item: RemoteItem, dest: Path) -> RemoteItem:
        if item.fetch.get("kind") == "attachment":
            self.client.download(item.fetch["download"], dest, self.max_bytes, what=f"attachment {item.title}")
            return item
        if self.s.flavor == "cloud":
            page_url, params = f"{self.base}/api/v2/pages/{item.id}", {"body-format": "storage"}
            labels_url = f"{self.base}/api/v2/pages/{item.id}/labels"
        else:
            page_url, params = f"{self.base}/rest/api/content/{item.id}", {"expand": "body.storage,version"}
            labels_url = f"{self.base}/rest/api/content/{item.id}/label"
        # The body goes to the mirror as the API sent it, under the byte cap: the parse child reads it.
        self.client.download(page_url, dest, self.max_bytes, params=params, what=f"page {item.title}")
        labels = self.client.get_json(labels_url, {"limit": 200}, what=f"labels of {item.title}", item=True).get("results")
        names = sorted({str(label.get("name")) for label in labels or [] if isinstance(label, dict) and label.get("name")})
        return item.model_copy(update={"labels": names})

    # -- helpers ------------------------------------------------------------------------------
    def _absolute(self, link: str) -> str:
        """A link the API gave: absolute, site-rooted ("/wiki/api/v2/..." in Cloud) or base-relative."""
        if link.startswith(("http://", "https://")):
            return link
        parts = urlsplit(self.base)
        origin, base_path = f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")
        if base_path and link.startswith(base_path + "/"):
            return origin + link
        return self.base + (link if link.startswith("/") else "/" + link)


def _version(raw: dict) -> str:
    number = (raw.get("version") or {}).get("number")
    return str(number) if number is not None else ""


def _has_restrictions(restrictions: dict) -> bool:
    for kind in ("user", "group"):
        entry = restrictions.get(kind) or {}
        if entry.get("results") or (entry.get("size") or 0) > 0:
            return True
    return False
