"""A local admin API key for `bpo-assistant serve` when BPO_API_KEYS configures none, so the API a
new user starts with `make run` answers instead of 401 to everything.

The key is made once, printed once (with a curl line to try it), and kept in the data home with
0600 permissions; later starts read it silently. Keys in BPO_API_KEYS replace it entirely.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from assistant.config import ADMIN_ROLE, API_KEYS_ENV
from assistant.errors import ConfigError
from assistant.surfaces.http.deps import ApiKey, KeyRing, key_digest

KEY_FILE = "admin-api-key"
LOCAL_LABEL = "local-admin"


def api_keys_for_serving(configured: KeyRing, home: Path, base_url: str, console) -> KeyRing:
    """The configured keys (KeyRing.configured()), else the local admin key (made and shown on the first start)."""
    if configured.keys:
        return configured
    path = home / KEY_FILE
    key, created = local_admin_key(path)
    if created:
        console.print(f"No {API_KEYS_ENV} configured: created a local admin API key, shown only this once and "
                      f"kept in {path} (mode 0600):\n\n  {key}\n\nSign in with it to the web app at {base_url}/ "
                      f"or try the API:\n  curl -H \"Authorization: Bearer $(cat {path})\" {base_url}/v1/documents\n\n"
                      f"Set {API_KEYS_ENV} to replace it.",
                      markup=False, highlight=False, soft_wrap=True)
    else:
        console.print(f"No {API_KEYS_ENV} configured: the API and the web app at {base_url}/ take the local admin key "
                      f"in {path}.",
                      markup=False, highlight=False, soft_wrap=True)
    return KeyRing([ApiKey(key_digest(key), LOCAL_LABEL, frozenset({ADMIN_ROLE}))])


def local_admin_key(path: Path) -> tuple[str, bool]:
    """(the key, whether it was made now). Made with O_EXCL, so two servers starting together share one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing, False
        raise ConfigError(f"{path} is empty: delete it and start again to make a new local admin key") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key, True
