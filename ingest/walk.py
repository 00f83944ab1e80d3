"""Walking an ingest root: which files to read, and an outcome for every entry that is not read.

Nothing outside the root is ever read. Symbolic links are resolved: one whose target lies outside
the root is refused, as are loops and dangling links; a link to a folder is not followed (its
target is either outside the root or walked anyway). FIFOs, sockets and devices are never opened
(reading a FIFO blocks forever). A folder that cannot be listed is reported as failed, and what
was indexed from under it before is kept, as for a file that fails.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from assistant.models import FileOutcome, printable
from ingest import metadata as meta

_SPECIAL = {stat.S_IFIFO: "FIFO", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device", stat.S_IFBLK: "block device"}


@dataclass
class Walk:
    files: list[tuple[str, Path]] = field(default_factory=list)  # (source, path) to read, in order
    outcomes: list[FileOutcome] = field(default_factory=list)  # entries that are not read
    unreadable_folders: list[str] = field(default_factory=list)  # sources whose old chunks are kept


def within(path: str, real_root: str) -> bool:
    """Whether a resolved path is the root or lies under it."""
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def refusal(path: Path, real_root: str) -> str | None:
    """Why `path` may not be read as a file of the root (None: it may). Checked again right before
    a file is opened, so a file swapped for a link after the walk is still refused."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return _link_problem(exc)
    if not within(os.path.realpath(path), real_root):
        return "symlink leads outside the ingest root"
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file ({_kind(st.st_mode)})"
    return None


def walk_root(root: Path, exclude: list[str]) -> Walk:
    """Every entry under `root`, depth first in name order."""
    real_root = os.path.realpath(root)
    walk = Walk()
    pending = [("", str(root))]
    while pending:
        rel_dir, folder = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            source = printable(rel_dir) or "."
            walk.outcomes.append(FileOutcome(source=source, status="failed", reason=f"folder cannot be read: {_reason(exc)}"))
            walk.unreadable_folders.append(source)
            continue
        subfolders = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            source = printable(rel)
            if any(meta.glob_match(rel, pat) for pat in exclude):
                walk.outcomes.append(FileOutcome(source=source, status="skipped", reason="excluded by config (exclude)"))
                continue
            kind = _entry_kind(entry, real_root)
            if kind == "folder":
                subfolders.append((rel, entry.path))
            elif kind == "file":
                walk.files.append((source, Path(entry.path)))
            else:
                walk.outcomes.append(FileOutcome(source=source, status="skipped", reason=kind))
        pending.extend(reversed(subfolders))  # popped in name order
    return walk


def _entry_kind(entry: os.DirEntry, real_root: str) -> str:
    """'file', 'folder', or the reason the entry is skipped."""
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return f"cannot stat: {_reason(exc)}"
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    if stat.S_ISREG(st.st_mode):
        return "file"
    if not stat.S_ISLNK(st.st_mode):
        return f"not a regular file ({_kind(st.st_mode)})"
    try:
        target = os.stat(entry.path)
    except OSError as exc:
        return _link_problem(exc)
    if not within(os.path.realpath(entry.path), real_root):
        return "symlink leads outside the ingest root"
    if stat.S_ISDIR(target.st_mode):
        return "symlinked folder (not followed; its target is walked where it lies)"
    if not stat.S_ISREG(target.st_mode):
        return f"symlink to something that is not a regular file ({_kind(target.st_mode)})"
    return "file"


def _link_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "broken symlink (its target does not exist)"
    return f"cannot stat: {_reason(exc)}"


def _kind(mode: int) -> str:
    return _SPECIAL.get(stat.S_IFMT(mode), "special file")


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
