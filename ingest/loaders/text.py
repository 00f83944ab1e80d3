""".txt loader: ``text`` is the file's own text, character for character.

Offsets must match evaluation spans computed on the raw file, so nothing is normalised:
the bytes are decoded as UTF-8 (a BOM stays in ``text`` as U+FEFF, exactly what
``open(path, encoding="utf-8").read()`` gives) and line breaks are kept as they are in the
file (``\\r\\n`` stays ``\\r\\n``; i.e. ``newline=""`` semantics). Files that are not valid
UTF-8 fall back to cp1252, then latin-1 (logged as a warning). UTF-16 files with a BOM are
decoded as UTF-16.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from assistant.logs import event_line, logger
from ingest.document import BlockKind, LoaderError, ParsedDocument
from ingest.limits import read_capped

from ._plain import plain_blocks
from .headings import pick_title

log = logger("ingest.loaders")

_CONTROL_OK = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B}  # tab, newlines, form feed, ^Z, ESC
_SAMPLE = 65536


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control characters in the first 64 KiB."""
    if b"\x00" in data:
        return True
    sample = data[:_SAMPLE]
    ctrl = sum(1 for b in sample if b < 0x20 and b not in _CONTROL_OK) + sample.count(0x7F)
    return ctrl > 0.05 * len(sample)


def decode_text(data: bytes, *, name: str = "file") -> tuple[str, str]:
    """(text, encoding). Raises LoaderError for binary content."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise LoaderError("could not decode UTF-16 text") from None
    if looks_binary(data):
        raise LoaderError(f"binary content in a {name}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    return text, enc


def load_txt(path: Path) -> ParsedDocument:
    data = read_capped(path)
    text, enc = decode_text(data, name=".txt file")
    if enc not in ("utf-8", "utf-16"):
        log.warning(event_line("not_utf8", file=path.name, decoded_as=enc))
    blocks = plain_blocks(text)
    title = pick_title(
        text[b.start : b.end] for b in blocks if b.kind is BlockKind.heading and b.level == 1
    )
    return ParsedDocument(text=text, blocks=blocks, title=title, format="txt")
