"""Google Drive (v3): a folder of My Drive or a shared drive, with Google Docs exported as .docx.

First sync: note the change feed's position (`changes/startPageToken`), then list the folder tree
(`files.list` with `'<folder>' in parents`, breadth first, resumable from the folder queue and page
token kept in the cursor). Later syncs read `changes.list` from that token: `nextPageToken` pages
through the changes, `newStartPageToken` is the cursor for the next sync. A change that is
removed, trashed or moved out of the folder tree deletes the item. Shared drives need
`supportsAllDrives` / `includeItemsFromAllDrives` (and `driveId` with `corpora=drive`).

Permissions: Drive access is expansive (whoever can open a folder can open what is inside) except
under a folder with limited access (`inheritedPermissionsDisabled`): files below one go to the
restricted partition.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from assistant.connector_settings import GoogleDriveConnector
from ingest.connectors.base import ApiError, ChangeBatch, ItemError, RemoteItem, RemoteSource
from ingest.connectors.http import ApiClient
from ingest.connectors.tree import path_below, replace_moved

FOLDER = "application/vnd.google-apps.folder"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Google's own formats have no bytes to download: they are exported to a format a loader reads.
_EXPORTS = {"application/vnd.google-apps.document": (".docx", _DOCX),
            "application/vnd.google-apps.presentation": (".pdf", "application/pdf")}
_FILE_FIELDS = "id,name,mimeType,parents,modifiedTime,version,webViewLink,md5Checksum,size,trashed,inheritedPermissionsDisabled"


class GoogleDrive(RemoteSource):
    type = "gdrive"

    def __init__(self, settings: GoogleDriveConnector, client: ApiClient, supported_suffixes: frozenset[str], max_bytes: int):
        super().__init__(settings, client, supported_suffixes, max_bytes)
        self.api = settings.api_url.rstrip("/") + "/drive/v3"
        self.root = settings.folder_id or settings.drive_id or ""
        self.location = f"Google Drive {'shared drive ' + settings.drive_id if settings.drive_id else 'folder'}" + (
            f" {settings.folder_id}" if settings.folder_id else "")

    @property
    def identity(self) -> str:
        return f"gdrive|{self.api}|{self.s.drive_id or ''}|{self.s.folder_id or ''}"

    def _params(self, **extra) -> dict:
        params = {"supportsAllDrives": "true", **extra}
        if self.s.drive_id:
            params["driveId"] = self.s.drive_id
        return params

    # -- changes -------------------------------------------------------------------------------
    def changes(self, cursor: dict, known: Mapping[str, RemoteItem]) -> Iterator[ChangeBatch]:
        cursor = dict(cursor)
        if not cursor.get("phase"):
            token = self.client.get_json(f"{self.api}/changes/startPageToken", self._params(), what="change feed position")
            if not token.get("startPageToken"):
                raise ApiError(f"{self.client.name}: no startPageToken in Drive's answer")
            cursor = {"phase": "listing", "start_token": token["startPageToken"], "queue": [self.root], "page_token": "",
                      "folders": {self.root: {"name": "", "parent": "", "limited": False}}, "seen": []}
        if cursor["phase"] == "listing":
            yield from self._listing(cursor)
            cursor = {"phase": "changes", "page_token": cursor["start_token"], "folders": cursor["folders"]}
        yield from self._feed(cursor, known)

    def _listing(self, cursor: dict) -> Iterator[ChangeBatch]:
        folders = cursor["folders"]
        while cursor["queue"]:
            parent = cursor["queue"][0]
            params = self._params(q=f"'{_quoted(parent)}' in parents and trashed = false", pageSize=self.s.page_size,
                                  fields=f"nextPageToken,files({_FILE_FIELDS})", includeItemsFromAllDrives="true")
            if self.s.drive_id:
                params["corpora"] = "drive"
            if cursor["page_token"]:
                params["pageToken"] = cursor["page_token"]
            data = self.client.get_json(f"{self.api}/files", params, what="folder listing")
            batch = ChangeBatch()
            for raw in data.get("files") or []:
                if not isinstance(raw, dict) or not raw.get("id"):
                    continue
                if raw.get("mimeType") == FOLDER:
                    folders[raw["id"]] = _folder_entry(raw, parent)
                    cursor["queue"].append(raw["id"])
                    continue
                path = path_below(parent, self.root, folders)
                if path is not None:
                    cursor["seen"].append(raw["id"])
                    batch.changed.append(self._item(raw, parent, path, folders))
            cursor["page_token"] = data.get("nextPageToken") or ""
            if not cursor["page_token"]:
                cursor["queue"].pop(0)
            last = not cursor["queue"]
            batch.cursor = ({"phase": "changes", "page_token": cursor["start_token"], "folders": folders} if last
                            else {k: v for k, v in cursor.items()})
            if last:
                batch.listing = list(cursor["seen"])
            yield batch

    def _feed(self, cursor: dict, known: Mapping[str, RemoteItem]) -> Iterator[ChangeBatch]:
        folders = cursor["folders"]
        while True:
            params = self._params(pageToken=cursor["page_token"], pageSize=self.s.page_size, includeRemoved="true",
                                  includeItemsFromAllDrives="true", fields=f"nextPageToken,newStartPageToken,changes(fileId,removed,file({_FILE_FIELDS}))")
            data = self.client.get_json(f"{self.api}/changes", params, what="change feed")
            batch = self._apply_changes(data.get("changes") or [], folders, known)
            nxt, new_start = data.get("nextPageToken"), data.get("newStartPageToken")
            if not nxt and not new_start:
                raise ApiError(f"{self.client.name}: the change feed gave neither nextPageToken nor newStartPageToken")
            cursor = {"phase": "changes", "page_token": nxt or new_start, "folders": folders}
            batch.cursor = cursor
            yield batch
            if not nxt:
                return

    def _apply_changes(self, changes: list, folders: dict, known: Mapping[str, RemoteItem]) -> ChangeBatch:
        batch = ChangeBatch()
        moved_folder = False
        files = []
        for change in changes:
            if not isinstance(change, dict) or not change.get("fileId"):
                continue
            raw = change.get("file") or {}
            file_id = str(change["fileId"])
            if change.get("removed") or raw.get("trashed"):
                moved_folder |= folders.pop(file_id, None) is not None
                batch.deleted.append(file_id)
            elif raw.get("mimeType") == FOLDER:
                parents = raw.get("parents") or []
                entry = _folder_entry(raw, str(parents[0]) if parents else "")
                if file_id == self.root:
                    continue
                moved_folder |= folders.get(file_id) not in (None, entry)
                folders[file_id] = entry
            else:
                files.append(raw)
        for raw in files:
            parents = raw.get("parents") or []
            parent = str(parents[0]) if parents else ""
            path = path_below(parent, self.root, folders)
            if path is None:
                if raw.get("id") in known:
                    batch.deleted.append(str(raw["id"]))
                continue
            batch.changed.append(self._item(raw, parent, path, folders))
        if moved_folder:  # a renamed or moved folder's files are not in the feed: re-place them
            replace_moved(batch, known, self.root, folders, lambda parent: _limited(parent, self.root, folders))
        return batch

    def _item(self, raw: dict, parent: str, path: list[str], folders: dict) -> RemoteItem:
        mime = str(raw.get("mimeType") or "")
        name = str(raw.get("name") or raw["id"])
        export = _EXPORTS.get(mime)
        suffix = export[0] if export else PurePosixPath(name).suffix.lower()
        skipped = None
        if mime.startswith("application/vnd.google-apps.") and not export:
            skipped = f"Google {mime.rsplit('.', 1)[-1]} files are not indexed"
        elif suffix not in self.suffixes:
            skipped = f"unsupported file type: {suffix or '(none)'}"
        title = name if not export or name.lower().endswith(suffix) else name + suffix
        size = raw.get("size")
        return RemoteItem(
            id=str(raw["id"]), title=title, path=path, parent_id=parent, suffix=suffix,
            version=str(raw.get("md5Checksum") or raw.get("version") or raw.get("modifiedTime") or ""),
            url=str(raw.get("webViewLink") or ""), modified_at=str(raw.get("modifiedTime") or ""),
            restricted=_limited(parent, self.root, folders), location=self.location,
            size=int(size) if str(size or "").isdigit() else None, skipped=skipped,
            fetch={"export": export[1]} if export else {})

    # -- content ------------------------------------------------------------------------------
    def fetch(self, item: RemoteItem, dest: Path) -> RemoteItem:
        if item.size is not None and item.size > self.max_bytes:
            raise ItemError(f"file is larger than limits.max_file_bytes ({item.size} > {self.max_bytes} bytes)")
        if item.fetch.get("export"):
            self.client.download(f"{self.api}/files/{item.id}/export", dest, self.max_bytes,
                                 params={"mimeType": item.fetch["export"]}, what=f"export of {item.title}")
        else:
            self.client.download(f"{self.api}/files/{item.id}", dest, self.max_bytes,
                                 params={"alt": "media", "supportsAllDrives": "true"}, what=f"file {item.title}")
        return item


def _folder_entry(raw: dict, parent: str) -> dict:
    return {"name": str(raw.get("name") or ""), "parent": parent, "limited": bool(raw.get("inheritedPermissionsDisabled"))}


def _limited(folder_id: str, root: str, folders: dict) -> str | None:
    """The reason when a folder between the root and the file has limited access, else None."""
    current, hops = folder_id, 0
    while current and current != root and hops <= 200:
        entry = folders.get(current) or {}
        if entry.get("limited"):
            return f"its folder '{entry.get('name')}' has limited access in Google Drive"
        current, hops = entry.get("parent", ""), hops + 1
    return None


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")
