"""A local Microsoft Graph for one SharePoint document library: the client-credentials token
endpoint, site and drive look-ups, `root/delta` with `@odata.nextLink` / `@odata.deltaLink` (and
410 for an expired token), permissions with `inheritedFrom`, and file content behind a 302 to a
pre-authenticated download URL, as Graph serves it."""

from __future__ import annotations

import base64
import hashlib
import itertools
from dataclasses import dataclass
from urllib.parse import quote

from tests.connectors.fake_http import FakeServer, Reply, Request, bearer

TENANT = "contoso-tenant"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
SITE_ID = "contoso.sharepoint.com,6f1e,8c2d"
DRIVE_ID = "b!LegalDocsDrive"
ROOT_ID = "01ROOT"


@dataclass
class Item:
    id: str
    name: str
    parent: str
    folder: bool = False
    data: bytes = b""
    own_permissions: bool = False  # unique permissions (inheritance broken here)
    deleted: bool = False
    seq: int = 0  # change sequence that last touched it


class FakeGraph(FakeServer):
    def __init__(self, secret: str, page_size: int = 50):
        super().__init__()
        self.secret = secret
        self.page_size = page_size
        self.items: dict[str, Item] = {ROOT_ID: Item(ROOT_ID, "root", "", folder=True)}
        self.valid_tokens: set[str] = set()
        self.tokens_issued = 0
        self.expired_delta_tokens: set[str] = set()
        self._seq = itertools.count(1)
        self.seq = 0
        self._ids = itertools.count(100)
        self._snapshots: dict[str, list[dict]] = {}
        self._expire_in: int | None = None
        self.route("POST", rf"/{TENANT}/oauth2/v2.0/token", self._token)
        self.route("GET", r"/v1.0/sites/([^/]+:/sites/[^/]+)", self._site)
        self.route("GET", rf"/v1.0/sites/{SITE_ID}/drives", self._drives)
        self.route("GET", rf"/v1.0/drives/{DRIVE_ID}/root", self._root)
        self.route("GET", rf"/v1.0/drives/{DRIVE_ID}/root:/(.+)", self._by_path)
        self.route("GET", rf"/v1.0/drives/{DRIVE_ID}/root/delta", self._delta)
        self.route("GET", rf"/v1.0/drives/{DRIVE_ID}/items/([^/]+)/permissions", self._permissions)
        self.route("GET", rf"/v1.0/drives/{DRIVE_ID}/items/([^/]+)/content", self._content)
        self.route("GET", r"/download/([^/]+)", self._download)

    @property
    def graph_url(self) -> str:
        return self.url + "/v1.0"

    @property
    def token_url(self) -> str:
        return self.url + "/{tenant}/oauth2/v2.0/token"

    # -- the drive ------------------------------------------------------------------------------
    def _touch(self, item: Item) -> Item:
        item.seq = next(self._seq)
        self.seq = item.seq
        self.items[item.id] = item
        return item

    def folder(self, name: str, parent: str = ROOT_ID, own_permissions: bool = False) -> Item:
        return self._touch(Item(f"F{next(self._ids)}", name, parent, folder=True, own_permissions=own_permissions))

    def file(self, name: str, data: bytes, parent: str = ROOT_ID, own_permissions: bool = False) -> Item:
        return self._touch(Item(f"I{next(self._ids)}", name, parent, data=data, own_permissions=own_permissions))

    def update(self, item: Item, **changes) -> None:
        for k, v in changes.items():
            setattr(item, k, v)
        self._touch(item)

    def delete(self, item: Item) -> None:
        self.update(item, deleted=True)

    def path_of(self, item: Item) -> str:
        parts = []
        while item.id != ROOT_ID:
            parts.insert(0, item.name)
            item = self.items[item.parent]
        return "/".join(parts)

    def web_url(self, item: Item) -> str:
        return f"https://contoso.sharepoint.com/sites/Legal/Shared%20Documents/{quote(self.path_of(item))}"

    def _shape(self, item: Item) -> dict:
        if item.deleted:  # Graph omits the name of a deleted item in OneDrive for Business
            return {"id": item.id, "deleted": {"state": "deleted"}, "parentReference": {"driveId": DRIVE_ID, "id": item.parent}}
        shape = {"id": item.id, "name": item.name, "eTag": f'"{{{item.id}}},{item.seq}"',
                 "lastModifiedDateTime": f"2026-03-{1 + item.seq % 27:02d}T08:00:00Z", "webUrl": self.web_url(item),
                 "parentReference": {"driveId": DRIVE_ID, "driveType": "documentLibrary", "id": item.parent}}
        if item.id == ROOT_ID:
            return {"id": ROOT_ID, "name": "root", "root": {}, "folder": {"childCount": 1}, "webUrl": "https://contoso.sharepoint.com/sites/Legal/Shared%20Documents"}
        if item.folder:
            shape["folder"] = {"childCount": sum(1 for i in self.items.values() if i.parent == item.id and not i.deleted)}
        else:
            digest = base64.b64encode(hashlib.sha1(item.data).digest()).decode()  # stands in for quickXorHash
            shape.update(size=len(item.data), file={"mimeType": "application/octet-stream", "hashes": {"quickXorHash": digest}})
        return shape

    # -- auth -----------------------------------------------------------------------------------
    def _token(self, req: Request) -> Reply:
        form = req.form
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != self.secret:
            return Reply(401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
        if form.get("grant_type") != "client_credentials" or form.get("scope") != "https://graph.microsoft.com/.default":
            return Reply(400, {"error": "invalid_request"})
        self.tokens_issued += 1
        token = f"eyJ0eXAi.graph-access-{self.tokens_issued}.sig"
        self.valid_tokens.add(token)
        return Reply(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})

    def expire_tokens_after(self, requests: int) -> None:
        """Every token issued so far stops working once this many more API requests were served."""
        self._expire_in = requests

    def _denied(self, req: Request) -> Reply | None:
        if self._expire_in is not None:
            self._expire_in -= 1
            if self._expire_in < 0:
                self.valid_tokens.clear()
                self._expire_in = None
        if bearer(req) not in self.valid_tokens:
            return Reply(401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired or is not yet valid."}})
        return None

    # -- look-ups ------------------------------------------------------------------------------
    def _site(self, req: Request, path: str) -> Reply:
        return self._denied(req) or Reply(200, {"id": SITE_ID, "displayName": "Legal", "webUrl": "https://contoso.sharepoint.com/sites/Legal"})

    def _drives(self, req: Request) -> Reply:
        return self._denied(req) or Reply(200, {"value": [{"id": "b!OtherDrive", "name": "Site Assets"},
                                                          {"id": DRIVE_ID, "name": "Documents", "driveType": "documentLibrary"}]})

    def _root(self, req: Request) -> Reply:
        return self._denied(req) or Reply(200, self._shape(self.items[ROOT_ID]))

    def _by_path(self, req: Request, path: str) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        for item in self.items.values():
            if item.id != ROOT_ID and not item.deleted and self.path_of(item) == path.strip("/"):
                return Reply(200, self._shape(item))
        return Reply(404, {"error": {"code": "itemNotFound", "message": "The resource could not be found."}})

    # -- delta ----------------------------------------------------------------------------------
    def _delta(self, req: Request) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        if "skiptoken" in req.query:
            snapshot, offset = req.query["skiptoken"].rsplit(":", 1)
            return self._page(snapshot, int(offset))
        token = req.query.get("token")
        if token in self.expired_delta_tokens:
            return Reply(410, {"error": {"code": "resyncRequired", "message": "Resync required. Replace any local items with the server's version."}},
                         {"Location": f"{self.graph_url}/drives/{DRIVE_ID}/root/delta"})
        since = int(token) if token else 0
        changed = [i for i in self.items.values() if i.seq > since or (since == 0 and i.id == ROOT_ID)]
        if since == 0:
            changed = [i for i in changed if not i.deleted]
        changed.sort(key=lambda i: (i.id != ROOT_ID, not i.folder, i.seq))
        snapshot = f"s{len(self._snapshots)}"
        self._snapshots[snapshot] = [self._shape(i) for i in changed] + [{"__delta__": str(self.seq)}]
        return self._page(snapshot, 0)

    def _page(self, snapshot: str, offset: int) -> Reply:
        entries = self._snapshots[snapshot]
        marker = entries[-1]["__delta__"]
        values = entries[:-1][offset:offset + self.page_size]
        body: dict = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(driveItem)", "value": values}
        if offset + self.page_size < len(entries) - 1:
            body["@odata.nextLink"] = f"{self.graph_url}/drives/{DRIVE_ID}/root/delta?skiptoken={snapshot}:{offset + self.page_size}"
        else:
            body["@odata.deltaLink"] = f"{self.graph_url}/drives/{DRIVE_ID}/root/delta?token={marker}"
        return Reply(200, body)

    # -- permissions and content ---------------------------------------------------------------
    def _permissions(self, req: Request, item_id: str) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        item = self.items[item_id]
        if item.own_permissions:
            return Reply(200, {"value": [{"id": "aTowIy5mfG1lbWJlcnNoaXA", "roles": ["read"],
                                          "grantedToV2": {"user": {"displayName": "Legal Lead"}}}]})
        holder = self.items[item.parent]
        while holder.id != ROOT_ID and not holder.own_permissions:
            holder = self.items[holder.parent]
        return Reply(200, {"value": [{"id": "c2l0ZU1lbWJlcnM", "roles": ["read"], "grantedToV2": {"siteGroup": {"displayName": "Legal Members"}},
                                      "inheritedFrom": {"driveId": DRIVE_ID, "id": holder.id}}]})

    def _content(self, req: Request, item_id: str) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        return Reply(302, b"", {"Location": f"{self.url}/download/{item_id}?tempauth=signed-{item_id}"})

    def _download(self, req: Request, item_id: str) -> Reply:
        if "authorization" in req.headers and not req.query.get("tempauth"):
            return Reply(400, {"error": "unexpected"})
        return Reply(200, self.items[item_id].data)
