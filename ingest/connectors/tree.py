"""A drive's folder tree as the change feeds report it (folder id -> name and parent), for the
connectors whose feeds name only a file's parent folder (Graph, Google Drive)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ingest.connectors.base import ChangeBatch, RemoteItem

MAX_DEPTH = 200  # a loop in a bad feed must not hang the sync


def path_below(folder_id: str, root: str, folders: Mapping[str, dict]) -> list[str] | None:
    """Folder names from the synced root down to `folder_id`; None when it is not under the root."""
    path: list[str] = []
    current = folder_id
    for _ in range(MAX_DEPTH):
        if current == root:
            return path
        entry = folders.get(current)
        if entry is None:
            return None
        path.insert(0, entry["name"])
        current = entry["parent"]
    return None


def replace_moved(batch: ChangeBatch, known: Mapping[str, RemoteItem], root: str, folders: Mapping[str, dict],
                  restriction: Callable[[str], str | None] | None = None) -> None:
    """After a folder was renamed, moved or deleted: the files under it are not in the feed, so
    re-place every known file the batch does not mention (a new path, or deleted when its folder
    left the tree). `restriction(parent_id)` re-derives a restriction that comes from folders."""
    listed = {i.id for i in batch.changed} | set(batch.deleted)
    for item_id, item in known.items():
        if item_id in listed:
            continue
        path = path_below(item.parent_id, root, folders)
        if path is None:
            batch.deleted.append(item_id)
            continue
        update: dict = {"path": path}
        if restriction is not None:
            update["restricted"] = restriction(item.parent_id)
        if path != item.path or update.get("restricted", item.restricted) != item.restricted:
            batch.changed.append(item.model_copy(update=update))
