"""The `connector:` block of a `sources:` entry: where a remote source lives and which environment
variables hold its credentials (names only: a secret never sits in config.yaml).

One model per connector type, told apart by `type`. The connectors themselves live in
ingest/connectors/; this module is settings only, so config.py can validate it without importing them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Common(_Strict):
    timeout_s: float = Field(default=60.0, gt=0, le=600)  # one HTTP request
    # Tries per request on 429/5xx/connection errors; waits follow Retry-After when the API sends it.
    max_tries: int = Field(default=8, ge=1, le=50)
    max_wait_s: float = Field(default=300.0, ge=0, le=3600)  # cap on one Retry-After or backoff wait
    page_size: int = Field(default=100, ge=1, le=1000)


class ConfluenceConnector(_Common):
    """A Confluence space: pages (storage format) with their attachments and labels."""

    type: Literal["confluence"]
    # The site as users open it: https://acme.atlassian.net/wiki (Cloud) or https://wiki.acme.com (Data Center).
    base_url: str = Field(pattern=r"^https?://\S+$")
    flavor: Literal["cloud", "datacenter"] = "cloud"  # REST API v2 (Cloud) or v1 (Data Center / Server)
    space: str = Field(min_length=1, max_length=255)  # the space key, e.g. OPS
    # Cloud: the account e-mail (user_env) and an API token (token_env), sent as Basic auth.
    # Data Center: a personal access token (token_env alone), sent as a Bearer token.
    user_env: str | None = Field(default=None, pattern=_ENV_NAME)
    token_env: str = Field(pattern=_ENV_NAME)
    attachments: bool = True


class SharePointConnector(_Common):
    """A SharePoint document library or OneDrive (a folder of it) through Microsoft Graph."""

    type: Literal["sharepoint"]
    tenant_id: str = Field(min_length=1, max_length=100)
    client_id: str = Field(min_length=1, max_length=100)  # the app registration's id (not a secret)
    client_secret_env: str = Field(pattern=_ENV_NAME)
    # The drive: its id, or a site ("contoso.sharepoint.com:/sites/Legal") and library name, or a
    # user's OneDrive (their user principal name).
    drive_id: str | None = None
    site: str | None = None
    library: str = "Documents"
    user: str | None = None
    folder: str = ""  # a folder inside the drive ("Contracts/2026"); empty: the whole drive
    graph_url: str = Field(default="https://graph.microsoft.com/v1.0", pattern=r"^https?://\S+$")
    # The token endpoint; {tenant} is replaced by tenant_id (national clouds use another host).
    token_url: str = Field(default="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token", pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _one_drive(self) -> "SharePointConnector":
        given = [n for n in ("drive_id", "site", "user") if getattr(self, n)]
        if len(given) != 1:
            raise ValueError("name the drive with exactly one of drive_id, site or user")
        return self


class GoogleDriveConnector(_Common):
    """A Google Drive folder (My Drive or a shared drive) or a whole shared drive."""

    type: Literal["gdrive"]
    # The service account's JSON key, or the path of a file holding it.
    credentials_env: str = Field(pattern=_ENV_NAME)
    subject: str | None = None  # a user to act as (domain-wide delegation); None: the service account itself
    folder_id: str | None = None
    drive_id: str | None = None  # a shared drive; with no folder_id its whole content is synced
    api_url: str = Field(default="https://www.googleapis.com", pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _somewhere(self) -> "GoogleDriveConnector":
        if not (self.folder_id or self.drive_id):
            raise ValueError("name a folder_id, a drive_id (shared drive) or both")
        return self


ConnectorSettings = Annotated[ConfluenceConnector | SharePointConnector | GoogleDriveConnector, Field(discriminator="type")]


class SyncSettings(_Strict):
    """`bpo-assistant serve` syncs every connector source on this interval (0: never; run `sync`)."""

    interval_minutes: float = Field(default=0, ge=0, le=7 * 24 * 60)
