"""A local Confluence: one space of pages with labels, attachments and read restrictions, served
with the JSON shapes of the Cloud REST API v2 (`/wiki/api/v2`, cursor pagination through
`_links.next`, restrictions from v1) or of Data Center's v1 (`/rest/api/content`, start/limit)."""

from __future__ import annotations

import base64
import contextlib
import itertools
from dataclasses import dataclass, field
from urllib.parse import quote

from tests.connectors.fake_http import FakeServer, Reply, Request

SPACE_ID = "98304"


@dataclass
class Attachment:
    id: str
    title: str
    data: bytes
    media_type: str
    version: int = 1


@dataclass
class Page:
    id: str
    title: str
    body: object  # storage-format text (anything else plays a malformed body)
    parent: str = ""
    version: int = 1
    labels: list[str] = field(default_factory=list)
    restricted: bool = False
    attachments: list[Attachment] = field(default_factory=list)


class FakeConfluence(FakeServer):
    def __init__(self, flavor: str = "cloud", space: str = "OPS", user: str = "ops@example.com", token: str = "tok"):
        super().__init__()
        self.flavor = flavor
        self.space = space
        self.context = "/wiki" if flavor == "cloud" else "/confluence"
        self.pages: dict[str, Page] = {}
        self._ids = itertools.count(1001)
        expected = f"Basic {base64.b64encode(f'{user}:{token}'.encode()).decode()}" if flavor == "cloud" else f"Bearer {token}"
        self.expected_auth = expected
        c = self.context
        if flavor == "cloud":
            self.route("GET", rf"{c}/api/v2/spaces", self._spaces)
            self.route("GET", rf"{c}/api/v2/spaces/{SPACE_ID}/pages", self._cloud_pages)
            self.route("GET", rf"{c}/api/v2/pages/(\d+)", self._cloud_page)
            self.route("GET", rf"{c}/api/v2/pages/(\d+)/labels", self._cloud_labels)
            self.route("GET", rf"{c}/api/v2/pages/(\d+)/attachments", self._cloud_attachments)
            self.route("GET", rf"{c}/rest/api/content/(\d+)/restriction/byOperation/read", self._restrictions)
        else:
            self.route("GET", rf"{c}/rest/api/content", self._dc_pages)
            self.route("GET", rf"{c}/rest/api/content/(\d+)", self._dc_page)
            self.route("GET", rf"{c}/rest/api/content/(\d+)/child/attachment", self._dc_attachments)
            self.route("GET", rf"{c}/rest/api/content/(\d+)/label", self._dc_labels)
        self.route("GET", rf"{c}/download/attachments/(\d+)/([^/]+)", self._download)

    @property
    def base_url(self) -> str:
        return self.url + self.context

    # -- the space -----------------------------------------------------------------------------
    def add_page(self, title: str, body: object, parent: Page | None = None, labels=(), restricted: bool = False) -> Page:
        page = Page(str(next(self._ids)), title, body, parent.id if parent else "", labels=list(labels), restricted=restricted)
        self.pages[page.id] = page
        return page

    def attach(self, page: Page, title: str, data: bytes, media_type: str) -> Attachment:
        att = Attachment(f"att{next(self._ids)}", title, data, media_type)
        page.attachments.append(att)
        return att

    def edit(self, page: Page, body: object | None = None, title: str | None = None) -> None:
        page.body = page.body if body is None else body
        page.title = page.title if title is None else title
        page.version += 1

    def webui(self, page: Page) -> str:
        if self.flavor == "cloud":
            return f"/spaces/{self.space}/pages/{page.id}/{quote(page.title.replace(' ', '+'))}"
        return f"/display/{self.space}/{quote(page.title.replace(' ', '+'))}"

    def _authorized(self, req: Request) -> bool:
        return req.headers.get("authorization") == self.expected_auth

    def _guard(self, req: Request) -> Reply | None:
        if not self._authorized(req):
            return Reply(401, {"statusCode": 401, "message": "Client must be authenticated to access this resource."})
        return None

    # -- Cloud v2 ------------------------------------------------------------------------------
    def _spaces(self, req: Request) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        found = [{"id": SPACE_ID, "key": self.space, "name": "Operations", "type": "global", "status": "current"}]
        keys = req.query.get("keys", "").split(",")
        return Reply(200, {"results": [s for s in found if s["key"] in keys], "_links": {"base": self.base_url}})

    def _cloud_shape(self, page: Page) -> dict:
        return {"id": page.id, "status": "current", "title": page.title, "spaceId": SPACE_ID, "parentId": page.parent or None,
                "parentType": "page" if page.parent else None, "authorId": "557058:a", "createdAt": "2026-01-05T09:00:00.000Z",
                "version": {"number": page.version, "createdAt": f"2026-02-{page.version:02d}T10:00:00.000Z", "message": "",
                            "minorEdit": False, "authorId": "557058:a"},
                "_links": {"webui": self.webui(page), "editui": f"/pages/resumedraft.action?draftId={page.id}", "tinyui": f"/x/{page.id}"}}

    def _cloud_pages(self, req: Request) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        limit = int(req.query.get("limit", 25))
        start = int(base64.urlsafe_b64decode(req.query["cursor"]).decode()) if req.query.get("cursor") else 0
        pages = sorted(self.pages.values(), key=lambda p: int(p.id))
        chunk = pages[start:start + limit]
        links = {"base": self.base_url}
        if start + limit < len(pages):
            cursor = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
            links["next"] = f"{self.context}/api/v2/spaces/{SPACE_ID}/pages?limit={limit}&status=current&cursor={cursor}"
        return Reply(200, {"results": [self._cloud_shape(p) for p in chunk], "_links": links})

    def _cloud_page(self, req: Request, page_id: str) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        page = self.pages.get(page_id)
        if page is None:
            return Reply(404, {"errors": [{"status": 404, "code": "NOT_FOUND", "title": "Not Found", "detail": None}]})
        shape = self._cloud_shape(page)
        if req.query.get("body-format") == "storage":
            shape["body"] = {"storage": {"representation": "storage", "value": page.body}}
        return Reply(200, shape)

    def _cloud_labels(self, req: Request, page_id: str) -> Reply:
        page = self.pages.get(page_id)
        labels = [{"id": str(i), "name": n, "prefix": "global"} for i, n in enumerate(page.labels if page else [])]
        return Reply(200, {"results": labels, "_links": {"base": self.base_url}})

    def _cloud_attachments(self, req: Request, page_id: str) -> Reply:
        page = self.pages.get(page_id)
        results = [{"id": a.id, "status": "current", "title": a.title, "pageId": page_id, "mediaType": a.media_type,
                    "fileSize": len(a.data), "version": {"number": a.version, "createdAt": "2026-02-01T10:00:00.000Z"},
                    "webuiLink": f"/pages/viewpageattachments.action?pageId={page_id}&preview={quote(a.title)}",
                    "downloadLink": f"/download/attachments/{page_id}/{quote(a.title)}?version={a.version}&api=v2",
                    "_links": {}} for a in (page.attachments if page else [])]
        return Reply(200, {"results": results, "_links": {"base": self.base_url}})

    def _restrictions(self, req: Request, page_id: str) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        return Reply(200, {"operation": "read", "restrictions": self._restriction_shape(self.pages[page_id]),
                           "_links": {"base": self.base_url}})

    @staticmethod
    def _restriction_shape(page: Page) -> dict:
        users = [{"type": "known", "accountId": "557058:legal", "displayName": "Legal Lead"}] if page.restricted else []
        return {"user": {"results": users, "start": 0, "limit": 200, "size": len(users)},
                "group": {"results": [], "start": 0, "limit": 200, "size": 0}}

    # -- Data Center v1 ------------------------------------------------------------------------
    def _dc_shape(self, page: Page) -> dict:
        ancestors, parent = [], self.pages.get(page.parent)
        while parent is not None:
            ancestors.insert(0, {"id": parent.id, "type": "page", "title": parent.title})
            parent = self.pages.get(parent.parent)
        return {"id": page.id, "type": "page", "status": "current", "title": page.title,
                "version": {"number": page.version, "when": f"2026-02-{page.version:02d}T10:00:00.000Z"},
                "ancestors": ancestors,
                "restrictions": {"read": {"operation": "read", "restrictions": self._restriction_shape(page)}},
                "_links": {"webui": self.webui(page), "self": f"{self.base_url}/rest/api/content/{page.id}"}}

    def _dc_pages(self, req: Request) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        if req.query.get("spaceKey") != self.space:
            return Reply(200, {"results": [], "start": 0, "limit": 25, "size": 0, "_links": {"base": self.base_url}})
        start, limit = int(req.query.get("start", 0)), int(req.query.get("limit", 25))
        pages = sorted(self.pages.values(), key=lambda p: int(p.id))
        chunk = pages[start:start + limit]
        links = {"base": self.base_url, "context": self.context}
        if start + limit < len(pages):
            links["next"] = f"/rest/api/content?spaceKey={self.space}&type=page&limit={limit}&start={start + limit}&expand={quote(req.query.get('expand', ''))}"
        return Reply(200, {"results": [self._dc_shape(p) for p in chunk], "start": start, "limit": limit, "size": len(chunk),
                           "_links": links})

    def _dc_page(self, req: Request, page_id: str) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        page = self.pages.get(page_id)
        if page is None:
            return Reply(404, {"statusCode": 404, "message": "No content found with id"})
        shape = self._dc_shape(page)
        if "body.storage" in req.query.get("expand", ""):
            shape["body"] = {"storage": {"value": page.body, "representation": "storage"}}
        return Reply(200, shape)

    def _dc_labels(self, req: Request, page_id: str) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        page = self.pages.get(page_id)
        labels = [{"prefix": "global", "name": n, "id": str(i)} for i, n in enumerate(page.labels if page else [])]
        return Reply(200, {"results": labels, "start": 0, "limit": 200, "size": len(labels)})

    def _dc_attachments(self, req: Request, page_id: str) -> Reply:
        page = self.pages.get(page_id)
        results = [{"id": a.id, "type": "attachment", "title": a.title, "version": {"number": a.version, "when": "2026-02-01"},
                    "extensions": {"mediaType": a.media_type, "fileSize": len(a.data)},
                    "_links": {"download": f"/download/attachments/{page_id}/{quote(a.title)}?version={a.version}",
                               "webui": f"/pages/viewpageattachments.action?pageId={page_id}"}}
                   for a in (page.attachments if page else [])]
        return Reply(200, {"results": results, "start": 0, "limit": 50, "size": len(results), "_links": {"base": self.base_url}})

    def _download(self, req: Request, page_id: str, name: str) -> Reply:
        if (denied := self._guard(req)) is not None:
            return denied
        from urllib.parse import unquote

        for a in self.pages[page_id].attachments:
            if a.title == unquote(name):
                return Reply(200, a.data, {"Content-Type": a.media_type})
        return Reply(404, {"message": "no attachment"})


@contextlib.contextmanager
def cloud_wiki(monkeypatch, token: str):
    """A started Confluence Cloud fake with the credentials a connector block names
    (`user_env: CONF_USER`, `token_env: CONF_TOKEN`) in the environment; stopped afterwards."""
    fake = FakeConfluence("cloud", token=token).start()
    monkeypatch.setenv("CONF_USER", "ops@example.com")
    monkeypatch.setenv("CONF_TOKEN", token)
    try:
        yield fake
    finally:
        fake.stop()
