"""What a source's last syncs left: its cursor and every item indexed from it, in
<home>/connectors/<name>/state.json (written whole to a temporary file, then renamed, after every
batch, so a crash resumes from the last batch that was indexed). No credentials are kept here."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ingest.connectors.base import ConnectorError, RemoteItem

STATE_VERSION = 1


class KnownItem(BaseModel):
    item: RemoteItem
    doc_id: str
    source: str
    file: str  # the mirrored file's name under files/
    # The version that is indexed; "" when the last try failed (the next sync fetches it again).
    indexed_version: str = ""
    failure: str = ""  # why the last try failed, while it keeps failing


class SourceState(BaseModel):
    version: int = STATE_VERSION
    connector: str = ""  # the connector type and place it was made for: another one starts over
    cursor: dict = Field(default_factory=dict)
    items: dict[str, KnownItem] = Field(default_factory=dict)
    last_sync: str = ""
    last_complete: bool = False


class StateStore:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / "state.json"
        self.files = folder / "files"  # the mirror: one file per item, what the pipeline reads

    def load(self, identity: str) -> SourceState:
        """The saved state, or a fresh one when there is none or it was made for another connector
        (another type, site or space under the same name: nothing of the old one applies)."""
        self.files.mkdir(parents=True, exist_ok=True)
        if not self.path.is_file():
            return SourceState(connector=identity)
        try:
            state = SourceState.model_validate_json(self.path.read_text(encoding="utf-8"))
        except (OSError, ValidationError, ValueError) as exc:
            raise ConnectorError(f"the sync state {self.path} cannot be read ({type(exc).__name__}); "
                                 f"remove it to sync this source from scratch") from None
        if state.connector != identity:
            return SourceState(connector=identity, items=state.items)  # the old items get removed by the sync
        return state

    def save(self, state: SourceState) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(state.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)
