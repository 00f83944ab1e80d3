"""SharePoint document libraries and OneDrive through Microsoft Graph delta queries.

The first sync enumerates the drive with `GET /drives/{id}/root/delta`, following
`@odata.nextLink` page by page; the last page's `@odata.deltaLink` is the cursor for the next sync,
which then sees only what changed. SharePoint answers delta on the drive root only, so a folder is
synced by keeping the drive's folder tree (ids, names, parents: delta reports folders, and only
folders, when one is renamed or moved) and taking the files under it. Deleted items carry the
`deleted` facet. A 410 means the cursor expired: the enumeration starts over and known files it
no longer lists are removed.

Permissions: a file whose permissions are not all inherited from the synced folder (or above) has
its own (a sharing break, or a sub-folder with unique permissions) and goes to the restricted
partition, since who may read it can no longer be told from the config.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from assistant.connector_settings import SharePointConnector
from ingest.connectors.base import ApiError, ChangeBatch, ItemError, RemoteItem, RemoteSource
from ingest.connectors.http import ApiClient
from ingest.connectors.tree import path_below, replace_moved

_SELECT = "id,name,eTag,cTag,file,folder,root,deleted,parentReference,lastModifiedDateTime,webUrl,size"


class SharePoint(RemoteSource):
    type = "sharepoint"

    def __init__(self, settings: SharePointConnector, client: ApiClient, supported_suffixes: frozenset[str], max_bytes: int):
        super().__init__(settings, client, supported_suffixes, max_bytes)
        self.graph = settings.graph_url.rstrip("/")
        place = settings.drive_id or (f"{settings.site} {settings.library}" if settings.site else f"OneDrive of {settings.user}")
        self.location = f"SharePoint {place}" + (f"/{settings.folder.strip('/')}" if settings.folder.strip("/") else "")

    @property
    def identity(self) -> str:
        s = self.s
        return f"sharepoint|{self.graph}|{s.drive_id or s.site or s.user}|{s.library}|{s.folder.strip('/')}"

    # -- where ---------------------------------------------------------------------------------
    def _drive_id(self) -> str:
        s = self.s
        if s.drive_id:
            return s.drive_id
        if s.user:
            return str(self.client.get_json(f"{self.graph}/users/{quote(s.user)}/drive", what="OneDrive")["id"])
        site = self.client.get_json(f"{self.graph}/sites/{s.site}", what=f"site {s.site}")
        drives = self.client.get_json(f"{self.graph}/sites/{site['id']}/drives", what="site libraries").get("value") or []
        for drive in drives:
            if drive.get("name") == s.library:
                return str(drive["id"])
        names = ", ".join(str(d.get("name")) for d in drives) or "none"
        raise ApiError(f"{self.client.name}: site {s.site} has no library named '{s.library}' (it has: {names})")

    def _root_id(self, drive_id: str) -> str:
        folder = self.s.folder.strip("/")
        url = f"{self.graph}/drives/{drive_id}/root" + (f":/{quote(folder)}" if folder else "")
        item = self.client.get_json(url, what=f"folder '{folder or '/'}'")
        if "folder" not in item and "root" not in item:
            raise ApiError(f"{self.client.name}: '{folder}' is a file, not a folder")
        return str(item["id"])

    # -- changes -------------------------------------------------------------------------------
    def changes(self, cursor: dict, known: Mapping[str, RemoteItem]) -> Iterator[ChangeBatch]:
        cursor = dict(cursor)
        if not cursor.get("drive_id"):
            cursor["drive_id"] = self._drive_id()
            cursor["root_id"] = self._root_id(cursor["drive_id"])
        start = f"{self.graph}/drives/{cursor['drive_id']}/root/delta?$select={_SELECT}"
        url = cursor.get("next_link") or cursor.get("delta_link") or start
        if not cursor.get("delta_link") and not cursor.get("next_link"):
            cursor.update(full=True, seen=[])
        folders: dict[str, dict] = dict(cursor.get("folders") or {})
        while True:
            try:
                data = self.client.get_json(url, what="change feed")
            except ApiError as exc:
                if exc.status != 410:
                    raise
                # The cursor expired: enumerate again, then drop known files the enumeration lacks.
                url = start
                cursor.update(full=True, seen=[], next_link="", delta_link="")
                continue
            batch = self._apply_page(data.get("value") or [], cursor, folders, known)
            nxt, delta = data.get("@odata.nextLink"), data.get("@odata.deltaLink")
            if not nxt and not delta:
                raise ApiError(f"{self.client.name}: the change feed gave neither a next nor a delta link")
            cursor["folders"] = folders
            cursor["next_link"] = nxt or ""
            if delta:
                cursor["delta_link"] = delta
                if cursor.get("full"):
                    batch.listing = list(cursor.get("seen") or [])
                    cursor.update(full=False, seen=[])
            batch.cursor = dict(cursor)
            yield batch
            if not nxt:
                return
            url = nxt

    def _apply_page(self, values: list, cursor: dict, folders: dict, known: Mapping[str, RemoteItem]) -> ChangeBatch:
        batch = ChangeBatch()
        files = []
        moved_folder = False
        # Folders first: a page may list a file before the folder it sits in.
        for raw in values:
            if not isinstance(raw, dict) or not raw.get("id"):
                continue
            if raw.get("deleted"):
                moved_folder |= folders.pop(raw["id"], None) is not None
                batch.deleted.append(str(raw["id"]))
            elif "root" in raw or "folder" in raw:
                entry = {"name": "" if "root" in raw else str(raw.get("name") or ""),
                         "parent": str((raw.get("parentReference") or {}).get("id") or "")}
                moved_folder |= folders.get(raw["id"]) not in (None, entry)
                folders[raw["id"]] = entry
            elif "file" in raw:
                files.append(raw)
        root = cursor["root_id"]
        for raw in files:
            path = path_below(str((raw.get("parentReference") or {}).get("id") or ""), root, folders)
            if path is None:  # outside the synced folder (or moved out of it)
                if raw["id"] in known:
                    batch.deleted.append(str(raw["id"]))
                continue
            if cursor.get("full"):
                cursor.setdefault("seen", []).append(str(raw["id"]))
            batch.changed.append(self._item(raw, path, folders, cursor))
        if moved_folder:  # files under a renamed or moved folder are not in the feed: re-place them
            replace_moved(batch, known, root, folders)
        return batch

    def _item(self, raw: dict, path: list[str], folders: dict, cursor: dict) -> RemoteItem:
        name = str(raw.get("name") or raw["id"])
        suffix = PurePosixPath(name).suffix.lower()
        hashes = (raw.get("file") or {}).get("hashes") or {}
        version = hashes.get("quickXorHash") or hashes.get("sha256Hash") or raw.get("cTag") or raw.get("eTag") or ""
        skipped = None if suffix in self.suffixes else f"unsupported file type: {suffix or '(none)'}"
        restricted = None if skipped else self._restriction(cursor["drive_id"], str(raw["id"]), cursor["root_id"], folders)
        return RemoteItem(
            id=str(raw["id"]), title=name, path=path, parent_id=str((raw.get("parentReference") or {}).get("id") or ""),
            suffix=suffix, version=str(version), url=str(raw.get("webUrl") or ""), modified_at=str(raw.get("lastModifiedDateTime") or ""),
            restricted=restricted, location=self.location, size=raw.get("size"), skipped=skipped,
            fetch={"content": f"{self.graph}/drives/{cursor['drive_id']}/items/{raw['id']}/content"})

    def _restriction(self, drive_id: str, item_id: str, root: str, folders: dict) -> str | None:
        perms = self.client.get_json(f"{self.graph}/drives/{drive_id}/items/{item_id}/permissions",
                                     what="file permissions").get("value") or []
        if not perms:
            return "SharePoint lists no permissions for it"
        for perm in perms:
            inherited = perm.get("inheritedFrom") if isinstance(perm, dict) else None
            if inherited is None:
                return "it has its own permissions in SharePoint (not inherited from the synced folder)"
            source = str(inherited.get("id") or "")
            if source and source != root and path_below(source, root, folders) is not None:
                name = folders.get(source, {}).get("name", source)
                return f"its folder '{name}' has its own permissions in SharePoint"
        return None

    # -- content ------------------------------------------------------------------------------
    def fetch(self, item: RemoteItem, dest: Path) -> RemoteItem:
        if item.size is not None and item.size > self.max_bytes:
            raise ItemError(f"file is larger than limits.max_file_bytes ({item.size} > {self.max_bytes} bytes)")
        # Graph answers with a 302 to a short-lived pre-authenticated download URL.
        self.client.download(item.fetch["content"], dest, self.max_bytes, what=f"file {item.title}")
        return item


