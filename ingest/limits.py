"""Resource limits for loading one file, enforced while reading.

`load_document` sets the limits for the current context; loaders read through these helpers, so a
limit stops the work as it is crossed, never after a bomb has been unpacked. Sizes a file declares
(zip headers, PDF lengths) are checked first and then enforced on the bytes actually produced,
because headers can lie.
"""

from __future__ import annotations

import threading
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from assistant.config import LimitsSettings
from ingest.document import LoaderError

_current: ContextVar[LimitsSettings | None] = ContextVar("ingest_limits", default=None)
_READ_BLOCK = 1 << 20


class LimitExceeded(LoaderError):
    """A file over one of the configured limits (the message names the setting)."""


def current() -> LimitsSettings:
    return _current.get() or LimitsSettings()


@contextmanager
def applied(limits: LimitsSettings | None):
    token = _current.set(limits or LimitsSettings())
    try:
        yield
    finally:
        _current.reset(token)


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB"


def check_file_size(size: int) -> None:
    cap = current().max_file_bytes
    if size > cap:
        raise LimitExceeded(f"file is larger than limits.max_file_bytes ({size} > {cap} bytes)")


def read_capped(path: Path) -> bytes:
    """The file's bytes, refusing it as soon as more than max_file_bytes have been read."""
    cap = current().max_file_bytes
    out = bytearray()
    with open(path, "rb") as fh:
        while block := fh.read(_READ_BLOCK):
            out += block
            if len(out) > cap:
                raise LimitExceeded(f"file is larger than limits.max_file_bytes ({cap} bytes)")
    return bytes(out)


def check_text_length(text: str) -> None:
    cap = current().max_document_chars
    if len(text) > cap:
        raise LimitExceeded(f"document has more than limits.max_document_chars ({len(text)} > {cap} characters)")


def check_zip(path: Path) -> None:
    """Refuse an archive whose members inflate past the limits: the central directory's sizes
    first (cheap), then every member is inflated to nowhere with a running count, in case a
    header understates what its data inflates to."""
    limits = current()
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > limits.max_archive_members:
            raise LimitExceeded(f"archive has more than limits.max_archive_members ({len(infos)} members)")
        declared = 0
        for info in infos:
            _check_member(info.filename, info.file_size, limits)
            declared += info.file_size
            if declared > limits.max_archive_total_bytes:
                raise _total_exceeded(limits)
        total = 0
        for info in infos:
            total += _inflated_size(archive, info, limits, total)


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: LimitsSettings, total_so_far: int) -> int:
    size = 0
    with archive.open(info) as member:
        while block := member.read(_READ_BLOCK):
            size += len(block)
            _check_member(info.filename, size, limits)
            if total_so_far + size > limits.max_archive_total_bytes:
                raise _total_exceeded(limits)
    return size


def _check_member(name: str, size: int, limits: LimitsSettings) -> None:
    if size > limits.max_archive_member_bytes:
        raise LimitExceeded(f"archive member {name[:80]!r} inflates past limits.max_archive_member_bytes "
                            f"({_mib(limits.max_archive_member_bytes)})")


def _total_exceeded(limits: LimitsSettings) -> LimitExceeded:
    return LimitExceeded(f"archive inflates past limits.max_archive_total_bytes ({_mib(limits.max_archive_total_bytes)})")


# -- PDF: a budget for every byte pypdf inflates ------------------------------------------------

class InflateBudget:
    """Bytes a PDF may inflate in total: decoded streams, plus page contents each time another page
    re-reads a shared stream (text extraction parses it again for every page that draws it)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    def charge(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise LimitExceeded(f"PDF inflates past limits.max_pdf_inflated_bytes ({_mib(self.limit)})")


_budget = threading.local()  # per thread: the parse thread's budget never counts another's bytes
_installed = False
_install_guard = threading.Lock()


def _install_decode_counter() -> None:
    """Wrap pypdf's stream decoder once so every decoded stream is charged to the current budget.
    pypdf imports `decode_stream_data` from its module at each call, so the wrapper sees them all."""
    global _installed
    with _install_guard:
        if _installed:
            return
        from pypdf import filters

        original = filters.decode_stream_data

        def counted(stream):
            data = original(stream)
            budget = getattr(_budget, "current", None)
            if budget is not None:
                budget.charge(len(data))
            return data

        filters.decode_stream_data = counted
        _installed = True


@contextmanager
def pdf_budget():
    _install_decode_counter()
    budget = InflateBudget(current().max_pdf_inflated_bytes)
    previous = getattr(_budget, "current", None)
    _budget.current = budget
    try:
        yield budget
    finally:
        _budget.current = previous


def check_pdf_pages(n_pages: int) -> None:
    cap = current().max_pdf_pages
    if n_pages > cap:
        raise LimitExceeded(f"PDF has more than limits.max_pdf_pages ({n_pages} > {cap} pages)")
