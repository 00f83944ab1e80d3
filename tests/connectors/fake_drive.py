"""A local Google Drive v3: the service-account token endpoint (it checks the RS256-signed JWT),
`changes/startPageToken`, `changes.list` (nextPageToken / newStartPageToken), `files.list` with a
parents query, `alt=media` downloads and `files.export`, and shared drives that answer only to
requests saying `supportsAllDrives`."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from dataclasses import dataclass

from tests.connectors.fake_http import FakeServer, Reply, Request, bearer

FOLDER = "application/vnd.google-apps.folder"
GDOC = "application/vnd.google-apps.document"
GSHEET = "application/vnd.google-apps.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCOPE = "https://www.googleapis.com/auth/drive.readonly"


@dataclass
class DriveFile:
    id: str
    name: str
    mime: str
    parent: str
    data: bytes = b""  # the bytes of a binary file, or what a Google Doc exports to
    version: int = 1
    trashed: bool = False
    limited: bool = False  # inheritedPermissionsDisabled (folders)
    shared_drive: str = ""
    seq: int = 0


class FakeDrive(FakeServer):
    def __init__(self, public_key, client_email: str, page_size: int = 100):
        super().__init__()
        self.public_key = public_key
        self.client_email = client_email
        self.page_size = page_size
        self.files: dict[str, DriveFile] = {}
        self.removed: dict[str, int] = {}  # file id -> seq of its removal
        self.valid_tokens: set[str] = set()
        self.tokens_issued = 0
        self.subjects: list[str | None] = []
        self._seq = itertools.count(1)
        self.seq = 0
        self._ids = itertools.count(1)
        self.route("POST", r"/token", self._token)
        self.route("GET", r"/drive/v3/changes/startPageToken", self._start_token)
        self.route("GET", r"/drive/v3/changes", self._changes)
        self.route("GET", r"/drive/v3/files", self._list)
        self.route("GET", r"/drive/v3/files/([^/]+)", self._get)
        self.route("GET", r"/drive/v3/files/([^/]+)/export", self._export)

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    # -- content --------------------------------------------------------------------------------
    def _touch(self, f: DriveFile) -> DriveFile:
        f.seq = self.seq = next(self._seq)
        self.files[f.id] = f
        return f

    def add(self, name: str, mime: str, parent: str, data: bytes = b"", limited: bool = False, shared_drive: str = "") -> DriveFile:
        return self._touch(DriveFile(f"id{next(self._ids):04d}x", name, mime, parent, data, limited=limited, shared_drive=shared_drive))

    def update(self, f: DriveFile, **changes) -> None:
        for k, v in changes.items():
            setattr(f, k, v)
        f.version += 1
        self._touch(f)

    def remove(self, f: DriveFile) -> None:
        del self.files[f.id]
        self.removed[f.id] = self.seq = next(self._seq)

    def link(self, f: DriveFile) -> str:
        kind = "document/d" if f.mime == GDOC else "drive/folders" if f.mime == FOLDER else "file/d"
        return f"https://docs.google.com/{kind}/{f.id}/view"

    def _shape(self, f: DriveFile) -> dict:
        shape = {"kind": "drive#file", "id": f.id, "name": f.name, "mimeType": f.mime, "parents": [f.parent],
                 "modifiedTime": f"2026-04-{1 + f.seq % 27:02d}T09:30:00.000Z", "version": str(f.version),
                 "webViewLink": self.link(f), "trashed": f.trashed}
        if f.shared_drive:
            shape["driveId"] = f.shared_drive
        if f.mime == FOLDER:
            shape["inheritedPermissionsDisabled"] = f.limited
        elif not f.mime.startswith("application/vnd.google-apps."):
            shape.update(md5Checksum=hashlib.md5(f.data).hexdigest(), size=str(len(f.data)))
        return shape

    # -- auth -----------------------------------------------------------------------------------
    def _token(self, req: Request) -> Reply:
        form = req.form
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return Reply(400, {"error": "unsupported_grant_type"})
        claims = self._verified(form.get("assertion", ""))
        if claims is None:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        # Google's token audience is its own endpoint, whichever URL the assertion is posted to.
        audience_ok = claims.get("aud") in (self.token_uri, "https://oauth2.googleapis.com/token")
        if claims.get("iss") != self.client_email or not audience_ok or SCOPE not in claims.get("scope", ""):
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT claims."})
        self.tokens_issued += 1
        self.subjects.append(claims.get("sub"))
        token = f"ya29.fake-drive-token-{self.tokens_issued}"
        self.valid_tokens.add(token)
        return Reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def _verified(self, assertion: str) -> dict | None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            head, body, sig = assertion.split(".")
            self.public_key.verify(_unb64(sig), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
            return json.loads(_unb64(body))
        except (ValueError, InvalidSignature):
            return None

    def _denied(self, req: Request) -> Reply | None:
        if bearer(req) not in self.valid_tokens:
            return Reply(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                         "errors": [{"reason": "authError", "domain": "global"}], "status": "UNAUTHENTICATED"}})
        return None

    def _not_found(self, file_id: str) -> Reply:
        return Reply(404, {"error": {"code": 404, "message": f"File not found: {file_id}.", "errors": [{"reason": "notFound"}]}})

    def _visible(self, f: DriveFile, req: Request) -> bool:
        return not f.shared_drive or req.query.get("supportsAllDrives") == "true"

    # -- endpoints -----------------------------------------------------------------------------
    def _start_token(self, req: Request) -> Reply:
        return self._denied(req) or Reply(200, {"kind": "drive#startPageToken", "startPageToken": str(self.seq + 1)})

    def _list(self, req: Request) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        q = req.query.get("q", "")
        parent = q.split("'")[1] if q.startswith("'") else ""
        listing = sorted((f for f in self.files.values() if f.parent == parent and not f.trashed and self._visible(f, req)),
                         key=lambda f: f.id)
        if any(f.shared_drive for f in listing) and req.query.get("includeItemsFromAllDrives") != "true":
            listing = [f for f in listing if not f.shared_drive]
        offset = int(req.query.get("pageToken") or 0)
        size = min(int(req.query.get("pageSize") or 100), self.page_size)
        body: dict = {"kind": "drive#fileList", "incompleteSearch": False, "files": [self._shape(f) for f in listing[offset:offset + size]]}
        if offset + size < len(listing):
            body["nextPageToken"] = str(offset + size)
        return Reply(200, body)

    def _changes(self, req: Request) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        since, _, offset = req.query["pageToken"].partition(":")
        since_seq, offset_n = int(since), int(offset or 0)
        entries = [("file", f) for f in self.files.values() if f.seq >= since_seq and self._visible(f, req)]
        entries += [("removed", fid) for fid, seq in self.removed.items() if seq >= since_seq]
        entries.sort(key=lambda e: e[1].seq if e[0] == "file" else self.removed[e[1]])
        size = min(int(req.query.get("pageSize") or 100), self.page_size)
        page = entries[offset_n:offset_n + size]
        changes = []
        for kind, value in page:
            if kind == "file":
                changes.append({"kind": "drive#change", "changeType": "file", "time": "2026-04-02T10:00:00Z", "removed": False,
                                "fileId": value.id, "file": self._shape(value)})
            else:
                changes.append({"kind": "drive#change", "changeType": "file", "time": "2026-04-02T10:00:00Z", "removed": True, "fileId": value})
        body: dict = {"kind": "drive#changeList", "changes": changes}
        if offset_n + size < len(entries):
            body["nextPageToken"] = f"{since_seq}:{offset_n + size}"
        else:
            body["newStartPageToken"] = str(self.seq + 1)
        return Reply(200, body)

    def _get(self, req: Request, file_id: str) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        f = self.files.get(file_id)
        if f is None or not self._visible(f, req):
            return self._not_found(file_id)
        if req.query.get("alt") != "media":
            return Reply(200, self._shape(f))
        if f.mime.startswith("application/vnd.google-apps."):
            return Reply(403, {"error": {"code": 403, "message": "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                                         "errors": [{"reason": "fileNotDownloadable"}]}})
        return Reply(200, f.data)

    def _export(self, req: Request, file_id: str) -> Reply:
        if (denied := self._denied(req)) is not None:
            return denied
        f = self.files.get(file_id)
        if f is None:
            return self._not_found(file_id)
        if f.mime != GDOC or req.query.get("mimeType") != DOCX:
            return Reply(400, {"error": {"code": 400, "message": "The requested conversion is not supported."}})
        return Reply(200, f.data, {"Content-Type": DOCX})


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
