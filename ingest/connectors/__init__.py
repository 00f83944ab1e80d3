"""Connectors: index what teams keep in Confluence, SharePoint / OneDrive and Google Drive.

One module per source system (confluence, sharepoint, gdrive) behind the interface in base.py;
sync.py runs them through the ordinary ingest pipeline. `make_connector` is the only registry.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from assistant.config import SourceRule
from ingest.connectors.base import Connector, ConnectorConfigError
from ingest.connectors.http import ApiClient


def make_connector(rule: SourceRule, supported_suffixes: frozenset[str], max_bytes: int,
                   sleep: Callable[[float], None] = time.sleep) -> Connector:
    """The connector a `sources:` entry describes, with its credentials read from the environment
    (ConnectorConfigError naming the variable when one is missing)."""
    settings = rule.connector
    if settings is None:
        raise ConnectorConfigError(f"source {rule.name} has no connector block")
    auth = _auth(settings)
    client = ApiClient(rule.name or settings.type, auth, timeout_s=settings.timeout_s, max_tries=settings.max_tries,
                       max_wait_s=settings.max_wait_s, sleep=sleep)
    if settings.type == "confluence":
        from ingest.connectors.confluence import Confluence

        return Confluence(settings, client, supported_suffixes, max_bytes)
    if settings.type == "sharepoint":
        from ingest.connectors.sharepoint import SharePoint

        return SharePoint(settings, client, supported_suffixes, max_bytes)
    from ingest.connectors.gdrive import GoogleDrive

    return GoogleDrive(settings, client, supported_suffixes, max_bytes)


def _auth(settings):
    from ingest.connectors import auth

    if settings.type == "confluence":
        return auth.ConfluenceAuth(settings.token_env, settings.user_env)
    if settings.type == "sharepoint":
        return auth.ClientCredentialsAuth(settings.token_url, settings.tenant_id, settings.client_id,
                                          settings.client_secret_env, settings.timeout_s)
    return auth.GoogleServiceAccountAuth(settings.credentials_env, settings.subject)
