"""Credentials for the connectors, read from the environment variables the config names.

- Confluence: an API token (Cloud, with the account e-mail: Basic auth) or a personal access
  token (Data Center: Bearer). Static: a 401 cannot be cured by a refresh.
- Microsoft Graph: the OAuth 2.0 client-credentials grant (app-only) against the tenant's token
  endpoint, one form POST; the token is renewed before it expires and once after a 401.
- Google Drive: a service account's JSON key through google-auth (it signs the JWT assertion).

A description names the variables; values never leave this module except in request headers.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from pathlib import Path

import httpx

from assistant.logs import event_line, logger
from assistant.config import named_secret
from ingest.connectors.base import AuthError, ConnectorConfigError, SourceUnavailable

log = logger("connectors")

GOOGLE_DRIVE_SCOPE = "https://www.googleapis.com/auth/drive.readonly"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
_EARLY_S = 120  # renew this long before the token says it expires


def env_secret(name: str, holds: str) -> str:
    value = named_secret(name)
    if not value:
        raise ConnectorConfigError(f"environment variable {name} is not set (it holds {holds})")
    return value


class ConfluenceAuth:
    def __init__(self, token_env: str, user_env: str | None):
        self._token = env_secret(token_env, "the Confluence API token" if user_env else "the Confluence personal access token")
        self._user = env_secret(user_env, "the Confluence account e-mail") if user_env else None
        if self._user:
            pair = base64.b64encode(f"{self._user}:{self._token}".encode()).decode()
            self._header = f"Basic {pair}"
            self.description = f"the account in {user_env} with the API token in {token_env}"
        else:
            self._header = f"Bearer {self._token}"
            self.description = f"the personal access token in {token_env}"

    def headers(self) -> dict[str, str]:
        return {"Authorization": self._header, "Accept": "application/json"}

    def refresh(self) -> bool:
        return False  # an API token has no refresh: a 401 means it is wrong, revoked or expired

    def secrets(self) -> list[str]:
        return [self._token, self._header]


class _OAuth:
    """A bearer token fetched when missing or expired, and again on `refresh` (after a 401)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.tokens_issued = 0

    def headers(self) -> dict[str, str]:
        with self._lock:
            if not self._valid():
                self._fetch()
                self.tokens_issued += 1
            return {"Authorization": f"Bearer {self._bearer()}", "Accept": "application/json"}

    def refresh(self) -> bool:
        with self._lock:
            self._fetch()
            self.tokens_issued += 1
        return True

    def _valid(self) -> bool: ...

    def _bearer(self) -> str: ...

    def _fetch(self) -> None: ...


class ClientCredentialsAuth(_OAuth):
    """App-only access to Microsoft Graph (RFC 6749 section 4.4 against Entra ID's v2 endpoint)."""

    def __init__(self, token_url: str, tenant_id: str, client_id: str, secret_env: str, timeout_s: float):
        super().__init__()
        self._secret = env_secret(secret_env, "the app registration's client secret")
        self._url = token_url.replace("{tenant}", tenant_id)
        self._client_id = client_id
        self._timeout = timeout_s
        self._token = ""
        self._expires = 0.0
        self.description = f"app {client_id} with the client secret in {secret_env}"

    def _valid(self) -> bool:
        return bool(self._token) and time.monotonic() < self._expires

    def _bearer(self) -> str:
        return self._token

    def secrets(self) -> list[str]:
        return [self._secret, self._token]

    def _fetch(self) -> None:
        form = {"grant_type": "client_credentials", "client_id": self._client_id, "client_secret": self._secret,
                "scope": GRAPH_SCOPE}
        try:
            resp = httpx.post(self._url, data=form, timeout=self._timeout)
        except httpx.TransportError as exc:
            raise SourceUnavailable(f"cannot reach the token endpoint ({type(exc).__name__})") from None
        body = _json(resp)
        if resp.status_code != 200 or not body.get("access_token"):
            # Entra ID names the problem in `error` (invalid_client, unauthorized_client...).
            code = str(body.get("error") or f"HTTP {resp.status_code}")[:60]
            raise AuthError(f"the token endpoint refused {self.description}: {code}")
        self._token = str(body["access_token"])
        lifetime = float(body.get("expires_in") or 3600)
        self._expires = time.monotonic() + max(lifetime - _EARLY_S, lifetime / 2)
        log.info(event_line("connector_token", source="graph", expires_in_s=int(lifetime)))


class GoogleServiceAccountAuth(_OAuth):
    """A service account (optionally acting as a user: domain-wide delegation) with Drive read scope."""

    def __init__(self, credentials_env: str, subject: str | None):
        super().__init__()
        raw = env_secret(credentials_env, "the service account's JSON key or the path of its file")
        info = _service_account_info(raw, credentials_env)
        from google.oauth2 import service_account

        try:
            self._creds = service_account.Credentials.from_service_account_info(info, scopes=[GOOGLE_DRIVE_SCOPE], subject=subject)
        except (ValueError, KeyError) as exc:
            raise ConnectorConfigError(f"{credentials_env} does not hold a usable service account key ({type(exc).__name__})") from None
        self._key = str(info.get("private_key", ""))
        self.description = f"the service account in {credentials_env}" + (f" acting as {subject}" if subject else "")

    def _valid(self) -> bool:
        return bool(self._creds.valid)

    def _bearer(self) -> str:
        return str(self._creds.token)

    def secrets(self) -> list[str]:
        return [self._key, str(self._creds.token or "")]

    def _fetch(self) -> None:
        import google.auth.exceptions
        import google.auth.transport.requests

        try:
            self._creds.refresh(google.auth.transport.requests.Request())
        except google.auth.exceptions.TransportError:
            raise SourceUnavailable("cannot reach Google's token endpoint") from None
        except google.auth.exceptions.RefreshError as exc:
            # Its message starts with the OAuth error code ("invalid_grant: ..."); the rest may echo the request.
            code = str(exc.args[0] if exc.args else "refused").split(":")[0][:60]
            raise AuthError(f"Google refused {self.description}: {code}") from None
        log.info(event_line("connector_token", source="google"))


def _service_account_info(raw: str, env: str) -> dict:
    text = raw
    if not raw.lstrip().startswith("{"):
        path = Path(raw).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConnectorConfigError(f"{env} names a key file that cannot be read: {exc.strerror or type(exc).__name__}") from None
    try:
        info = json.loads(text)
    except ValueError:
        raise ConnectorConfigError(f"{env} does not hold JSON (a service account key, or the path of its file)") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConnectorConfigError(f"{env} is not a service account key (its \"type\" must be \"service_account\")")
    return info


def _json(resp: httpx.Response) -> dict:
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
