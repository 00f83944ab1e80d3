"""PDF loader with pypdf.

``text`` = the pypdf-extracted text of every page (as extracted, not rewritten) joined with
"\\n\\n"; ``pages`` has one PageSpan per page and every block carries its page number.
pypdf yields one line per visual line and rarely blank lines, so lines are joined into
paragraphs heuristically (see ``_plain.plain_blocks(split_wrapped=True)``): a paragraph ends
after a line ending in . : ; when the next starts with a capital/number/bullet, before a
clause number, or after a short line; heading lines come from ``headings.py``. Running
headers/footers (the same first/last lines on most pages) and bare page numbers are left out
of blocks and blanked in ``text`` with spaces of the same length: a chunk or quote that runs
across a page break reads "... responses to regulatory inquiries ..." without "Acme MSA -
Confidential Page 2" in the middle, and every offset stays what pypdf extracted.

Errors (one-line LoaderError): corrupt/truncated file, encrypted with a non-empty password
(an empty user password is tried first), no extractable text (scanned).
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from pathlib import Path

import pypdf
from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    PdfReadError,
    PdfReadWarning,
    PyPdfError,
)

from assistant.logs import event_line, logger
from ingest.document import Block, BlockKind, LoaderError, PageSpan, ParsedDocument
from ingest.limits import InflateBudget, LimitExceeded, check_pdf_pages, pdf_budget, read_capped

from ._plain import line_spans, plain_blocks
from .headings import is_page_furniture, pick_title

logging.getLogger("pypdf").setLevel(logging.ERROR)
# Installed once at import (warnings.catch_warnings() is not thread-safe; ingestion is threaded).
warnings.filterwarnings("ignore", category=PdfReadWarning)
log = logger("ingest.loaders")
_AES_MESSAGE = "encrypted PDF (AES decryption needs the 'cryptography' package)"

PAGE_SEPARATOR = "\n\n"
_EDGE_LINES = 2  # lines at the top and bottom of a page checked for running headers/footers
_DIGITS_RE = re.compile(r"\d+")
_WS_RE = re.compile(r"\s+")
_BAD_TITLE_RE = re.compile(
    r"^(untitled|document\d*|microsoft (word|powerpoint|excel)\b.*"
    r"|.*\.(docx?|pdf|rtf|txt|html?|wpd))$",
    re.IGNORECASE,
)


def _furniture_key(line: str) -> str:
    return _WS_RE.sub(" ", _DIGITS_RE.sub("#", line)).strip().lower()


def _edge_indices(lines: list[str]) -> list[int]:
    idx = [i for i, s in enumerate(lines) if s.strip()]
    return idx[:_EDGE_LINES] + idx[-_EDGE_LINES:] if len(idx) > 2 * _EDGE_LINES else idx


def _meaningful_title(raw) -> str | None:
    if not raw or not isinstance(raw, str):
        return None
    t = _WS_RE.sub(" ", raw).strip()
    if len(t) < 3 or not any(c.isalpha() for c in t) or _BAD_TITLE_RE.match(t):
        return None
    return t


def _open(data: bytes) -> pypdf.PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise LoaderError("not a PDF file (no PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise LoaderError("truncated or corrupt PDF (end-of-file marker missing)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except DependencyError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise LoaderError(f"corrupt PDF ({_short(e)})") from None
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError:
            raise LoaderError(_AES_MESSAGE) from None
        except Exception:
            ok = 0
        if not ok:
            raise LoaderError("encrypted PDF (password required)")
    return reader


def _charge_reused_contents(page, drawn: set, budget: InflateBudget) -> None:
    """Charge a page's content streams again when an earlier page drew them: pypdf decodes a
    stream once, but parses it again for every page, so 16 pages sharing one 70 MB stream cost
    1.1 GB of work (the first decode is charged by the decoder itself)."""
    contents = page.get("/Contents")
    if contents is None:
        return
    resolved = contents.get_object()
    refs = list(resolved) if isinstance(resolved, list) else [contents]
    for ref in refs:
        key = (ref.idnum, ref.generation) if hasattr(ref, "idnum") else id(ref)
        if key in drawn:
            budget.charge(len(ref.get_object().get_data()))
        drawn.add(key)


def _short(e: Exception) -> str:
    msg = _WS_RE.sub(" ", str(e)).strip() or type(e).__name__
    return msg[:150]


def load_pdf(path: Path) -> ParsedDocument:
    try:
        with pdf_budget() as budget:
            return _load_pdf(path, budget)
    except DependencyError:  # AES is only needed once a stream is decrypted (may be lazy)
        raise LoaderError(_AES_MESSAGE) from None


def _load_pdf(path: Path, budget: InflateBudget) -> ParsedDocument:
    data = read_capped(path)
    reader = _open(data)
    try:
        n_pages = len(reader.pages)
    except FileNotDecryptedError:
        raise LoaderError("encrypted PDF (password required)") from None
    except DependencyError:
        raise
    except Exception as e:
        raise LoaderError(f"corrupt PDF ({_short(e)})") from None
    if n_pages == 0:
        raise LoaderError("PDF has no pages")
    check_pdf_pages(n_pages)
    page_texts: list[str] = []
    failed = 0
    drawn: set = set()
    for i in range(n_pages):
        try:
            _charge_reused_contents(reader.pages[i], drawn, budget)
            t = reader.pages[i].extract_text() or ""
        except FileNotDecryptedError:
            raise LoaderError("encrypted PDF (password required)") from None
        except (DependencyError, LimitExceeded):
            raise
        except Exception as e:  # one bad page should not lose the document
            log.warning(event_line("pdf_page_unreadable", file=path.name, page=i + 1, error=_short(e)))
            failed += 1
            t = ""
        page_texts.append(t.replace("\x00", ""))
    try:
        meta_title = _meaningful_title(reader.metadata.title if reader.metadata else None)
    except Exception:
        meta_title = None
    if failed == n_pages:
        raise LoaderError("corrupt PDF (text extraction failed on every page)")
    if not any(t.strip() for t in page_texts):
        raise LoaderError("no extractable text (scanned PDF? OCR is not supported)")

    text = PAGE_SEPARATOR.join(page_texts)
    pages: list[PageSpan] = []
    pos = 0
    for n, t in enumerate(page_texts, start=1):
        pages.append(PageSpan(page=n, start=pos, end=pos + len(t)))
        pos += len(t) + len(PAGE_SEPARATOR)

    # Running headers/footers: the same edge line (digits ignored) on at least half the pages.
    page_spans = [line_spans(text, p.start, p.end) for p in pages]
    page_lines = [[text[s:e] for s, e in spans] for spans in page_spans]
    furniture: set[str] = set()
    if n_pages >= 3:
        counts: Counter[str] = Counter()
        for lines in page_lines:
            counts.update({_furniture_key(lines[i]) for i in _edge_indices(lines)})
        furniture = {k for k, c in counts.items() if k and c >= max(3, n_pages / 2)}

    blocks: list[Block] = []
    blanked = list(text)
    for p, spans, lines in zip(pages, page_spans, page_lines):
        skip = set()
        for i in _edge_indices(lines):
            if is_page_furniture(lines[i]) or _furniture_key(lines[i]) in furniture:
                skip.add(i)
                s, e = spans[i]
                blanked[s:e] = " " * (e - s)
        blocks.extend(
            plain_blocks(
                text, p.start, p.end, page=p.page, split_wrapped=True, skip_lines=frozenset(skip)
            )
        )
    if not blocks:
        raise LoaderError("no extractable text (scanned PDF? OCR is not supported)")
    text = "".join(blanked)

    title = meta_title or pick_title(
        text[b.start : b.end] for b in blocks if b.kind is BlockKind.heading and b.level == 1
    )
    return ParsedDocument(text=text, blocks=blocks, pages=pages, title=title, format="pdf")
