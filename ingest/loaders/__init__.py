"""Document loaders: ``load_document(path)`` -> ``ParsedDocument`` (see ingest/document.py).

Dispatches on the file suffix (case-insensitive):

    .txt              text.py      text == the file's text, exactly
    .md .markdown     markdown.py  text == the file's text, exactly (markdown-it-py)
    .html .htm        html.py      visible text built from the DOM (BeautifulSoup)
    .docx             docx.py      paragraphs + tables in body order (python-docx)
    .pdf              pdf.py       page texts joined by "\\n\\n", PageSpan per page (pypdf)
    .confluence       confluence.py  a Confluence page's API JSON, storage format read as HTML

Every failure is a ``LoaderError`` with a one-line, user-facing message; an unknown suffix is
``UnsupportedFileType``. Library exceptions never escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ingest.document import Block, BlockKind, LoaderError, ParsedDocument, UnsupportedFileType
from ingest.limits import LimitExceeded, applied, check_file_size, check_text_length, current

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LoaderError",
    "UnsupportedFileType",
    "heading_text",
    "load_document",
]

# suffix -> (module, function). Modules are imported lazily so that e.g. a .txt-only caller
# does not pay for importing pypdf / python-docx.
_LOADERS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "load_txt"),
    ".md": ("markdown", "load_markdown"),
    ".markdown": ("markdown", "load_markdown"),
    ".html": ("html", "load_html"),
    ".htm": ("html", "load_html"),
    ".docx": ("docx", "load_docx"),
    ".pdf": ("pdf", "load_pdf"),
    ".confluence": ("confluence", "load_confluence_page"),
}
# What users may hand us (folders, uploads, connector files and attachments). ".confluence" is
# the connector's own mirror of a page, loaded here so a page body is parsed in the child too.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_LOADERS) - {".confluence"}

_FORMAT_NAMES = {
    "text": "text",
    "markdown": "Markdown",
    "html": "HTML",
    "docx": "Word",
    "pdf": "PDF",
    "confluence": "Confluence page",
}
_MAX_MESSAGE = 200


def _one_line(msg: str) -> str:
    msg = re.sub(r"\s+", " ", msg).strip()
    return msg if len(msg) <= _MAX_MESSAGE else msg[: _MAX_MESSAGE - 1] + "…"


def preload() -> None:
    """Import every loader now: a parse worker does, so that no file's time budget pays for it."""
    import importlib

    for module in {m for m, _ in _LOADERS.values()}:
        importlib.import_module(f"{__name__}.{module}")


def _loader(suffix: str) -> Callable[[Path], ParsedDocument]:
    import importlib

    module, func = _LOADERS[suffix]
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)


# Formats whose text is the file's own: a UTF-8 character takes at most 4 bytes, so a file larger
# than 4 x max_document_chars is over that limit before a byte of it is read.
_TEXT_IS_FILE = frozenset({".txt", ".md", ".markdown"})


def load_document(path: Path | str, limits=None) -> ParsedDocument:
    """Load one file under `limits` (assistant.config.LimitsSettings; default: the defaults).
    Raises LoaderError / UnsupportedFileType / LimitExceeded (one-line messages)."""
    with applied(limits):
        return _load(Path(path))


def _load(path: Path) -> ParsedDocument:
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            raise LoaderError("file not found")
        if not path.is_file():
            raise LoaderError("not a regular file")
        if suffix not in _LOADERS:
            raise UnsupportedFileType(f"unsupported file type: {suffix or '(no extension)'}")
        size = path.stat().st_size
        if size == 0:
            raise LoaderError("empty file")
        check_file_size(size)
        if suffix in _TEXT_IS_FILE and size > 4 * current().max_document_chars:
            raise LimitExceeded(f"document has more than limits.max_document_chars ({current().max_document_chars} characters)")
        doc = _loader(suffix)(path)
        check_text_length(doc.text)
        return doc
    except LoaderError as e:
        msg = _one_line(str(e))
        if msg == str(e):
            raise
        raise type(e)(msg) from e
    except PermissionError:
        raise LoaderError("permission denied") from None
    except MemoryError:
        raise LimitExceeded("file needs more memory than limits.parse_memory_bytes allows") from None
    except RecursionError:
        raise LoaderError(f"could not parse {suffix} file (nesting too deep)") from None
    except Exception as e:  # any library error -> one-line LoaderError
        kind = _FORMAT_NAMES.get(_LOADERS.get(suffix, ("", ""))[0], "the")
        detail = _one_line(str(e)) or type(e).__name__
        raise LoaderError(_one_line(f"could not read {kind} file: {detail}")) from e


_MD_ATX_RE = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_MD_LIST_MARKER_RE = re.compile(r"^\s*(?:\d{1,9}[.)]|[-*+])\s+")
_MD_ATX_CLOSE_RE = re.compile(r"\s+#+\s*$")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_MD_EMPH_RE = re.compile(
    r"(\*\*|\*|~~|`)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)"
)
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HTML_TAG_RE = re.compile(r"<[^>]+>")


def heading_text(doc: ParsedDocument, block: Block) -> str:
    """The text of a heading block without markup: no Markdown ``#``s / setext underline /
    emphasis / link syntax, whitespace collapsed (works for every format)."""
    raw = doc.text[block.start : block.end]
    if doc.format == "markdown" and block.kind is BlockKind.heading:
        lines = raw.splitlines() or [""]
        first = lines[0]
        first = _MD_LIST_MARKER_RE.sub("", first, count=1)
        if _MD_ATX_RE.match(first):
            first = _MD_ATX_RE.sub("", first, count=1)
            first = _MD_ATX_CLOSE_RE.sub("", first)
            if set(first.strip()) == {"#"}:
                first = ""
        raw = first
        raw = _MD_LINK_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), raw)
        prev = None
        while prev != raw:
            prev, raw = raw, _MD_EMPH_RE.sub(lambda m: m.group(2) or m.group(4), raw)
        raw = _MD_ESCAPE_RE.sub(r"\1", _HTML_TAG_RE.sub("", raw))
    return re.sub(r"\s+", " ", raw).strip()
