"""Word loader (.docx) with python-docx.

Walks ``document.element.body`` in document order (paragraphs and tables interleaved, block
content controls and customXml unwrapped):

* heading styles ("Heading 1".."Heading 9", "Title", custom styles based on them or with an
  outline level) -> heading blocks with that level (capped at 6). Some templates (Common
  Paper) put whole numbered clauses in heading styles; a heading-styled paragraph that reads
  like body text is split into its run-in title ("Suspension.") as a heading plus the rest as
  a paragraph, or kept as a paragraph when there is no run-in title.
* numbered/bulleted paragraphs (numPr on the paragraph or its style, "List ..." styles) ->
  list_item; a short Title Case numbered paragraph followed by deeper-numbered ones is a
  heading (level = its list level + 1).
* each table row -> one table_row block, cells joined " | " (a merged cell counted once; a
  vertically merged continuation cell is empty), paragraphs inside a cell joined by " ".

``text`` = block texts joined by a blank line (a single newline between consecutive rows of a
table or consecutive list items). Title: core_properties.title, else the first heading.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx as python_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError

from ingest.document import Block, BlockKind, LoaderError, ParsedDocument
from ingest.limits import check_zip

from .headings import is_titleish, pick_title

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W_P, W_TBL, W_TR, W_TC, W_SDT, W_SDTCONTENT, W_CUSTOMXML = (
    _W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
W_T, W_TAB, W_BR, W_CR, W_NBH, W_PPR, W_RPR = (
    _W + t for t in ("t", "tab", "br", "cr", "noBreakHyphen", "pPr", "rPr")
)
W_DEL, W_MOVEFROM, W_SDTPR, W_TCPR, W_VMERGE = (
    _W + t for t in ("del", "moveFrom", "sdtPr", "tcPr", "vMerge")
)
W_PSTYLE, W_NUMPR, W_NUMID, W_ILVL, W_OUTLINE, W_VAL = (
    _W + t for t in ("pStyle", "numPr", "numId", "ilvl", "outlineLvl", "val")
)
MC_FALLBACK = _MC + "Fallback"
_NO_TEXT = frozenset({W_PPR, W_RPR, W_DEL, W_MOVEFROM, W_SDTPR, MC_FALLBACK})

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_NAME_RE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_ABBREV_LEAD = r"(?<!\bNo)(?<!\bInc)(?<!\bLtd)(?<!\bCo)"
_RUN_IN_RE = re.compile(r"^(?P<lead>[^.:;!?]{2,80}" + _ABBREV_LEAD + r"[.:])\s+(?=\S)")
# A full stop after a common abbreviation ("No. 1", "Inc.", "Ltd.") does not end a sentence.
_ABBREV = r"(?<!\bNo)(?<!\bno)(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bSt)(?<!\bvs)(?<!\bNos)"
_SENTENCE_BREAK_RE = re.compile(_ABBREV + r"[.!?;]\s+\S")
_LEADING_NUM_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?[a-zA-Z]{1,4}\)|[A-Z]\.)\s+(?=\S)")


@dataclass
class _Item:
    kind: BlockKind
    text: str
    level: int = 0
    num: tuple[str, int] | None = None  # (numId, ilvl) of a numbered paragraph
    bold: bool = False  # every run with text is bold (set by hand, not by the style)


@dataclass
class _StyleInfo:
    heading: int = 0  # 0 = not a heading style
    numbered: bool = False  # style carries numbering or is a "List ..." style


def _style_table(document) -> tuple[dict[str, _StyleInfo], str | None]:
    infos: dict[str, _StyleInfo] = {}
    default_id = None
    for st in document.styles:
        try:
            if st.type != WD_STYLE_TYPE.PARAGRAPH:
                continue
        except Exception:  # unknown style types in odd files
            continue
        if st.element.get(_W + "default") in ("1", "true"):
            default_id = st.style_id
        info = _StyleInfo()
        cur, depth = st, 0
        while cur is not None and depth < 10:
            name = (cur.name or "").strip()
            m = _HEADING_NAME_RE.match(name)
            pPr = cur.element.find(W_PPR)
            if not info.heading:
                if m:
                    info.heading = int(m.group(1))
                elif name.lower() == "title":
                    info.heading = 1
                elif pPr is not None and (ol := pPr.find(W_OUTLINE)) is not None:
                    val = ol.get(W_VAL, "")
                    if val.isdigit() and int(val) < 9:
                        info.heading = int(val) + 1
            if not info.numbered:
                if name.lower().startswith(("list number", "list bullet", "list paragraph")):
                    info.numbered = True
                elif pPr is not None and pPr.find(W_NUMPR) is not None:
                    info.numbered = True
            cur, depth = cur.base_style, depth + 1
        infos[st.style_id] = info
    return infos, default_id


def _p_text(el) -> str:
    parts: list[str] = []

    def rec(node) -> None:
        for c in node.iterchildren():
            tag = c.tag
            if tag == W_T:
                parts.append(c.text or "")
            elif tag == W_TAB:
                parts.append("\t")
            elif tag in (W_BR, W_CR):
                parts.append("\n")
            elif tag == W_NBH:
                parts.append("-")
            elif tag in _NO_TEXT or not isinstance(tag, str):
                continue
            else:
                rec(c)

    rec(el)
    text = "".join(parts).replace("\t", " ").replace("\xa0", " ")
    return text.strip()


def _is_continuation(tc) -> bool:
    tcPr = tc.find(W_TCPR)
    if tcPr is None:
        return False
    vm = tcPr.find(W_VMERGE)
    return vm is not None and vm.get(W_VAL, "continue") != "restart"


def _unwrap(el, wanted: str):
    """Children of ``el`` with tag ``wanted``, looking through sdt/customXml wrappers."""
    for c in el.iterchildren():
        if c.tag == wanted:
            yield c
        elif c.tag in (W_SDT, W_SDTCONTENT, W_CUSTOMXML):
            yield from _unwrap(c, wanted)


def _row_text(tr) -> str:
    cells = []
    for tc in _unwrap(tr, W_TC):
        if _is_continuation(tc):
            cells.append("")
            continue
        paras = [t for p in tc.iter(W_P) if (t := _p_text(p))]
        cells.append(re.sub(r"\s+", " ", " ".join(paras)).strip())
    return " | ".join(cells).strip() if any(cells) else ""


def _strip_number(text: str) -> tuple[str, str]:
    """("1.2 ", "Fees") for "1.2 Fees" - a typed clause number before a heading's text."""
    m = _LEADING_NUM_RE.match(text)
    return (text[: m.end()], text[m.end() :]) if m else ("", text)


def _looks_like_heading(text: str) -> bool:
    text = _strip_number(text)[1]
    words = text.split()
    if not words or len(words) > 15 or _SENTENCE_BREAK_RE.search(text):
        return False
    return is_titleish(text) or not text.rstrip().endswith((".", ";", ":", ","))


class _Walker:
    def __init__(self, document) -> None:
        self.styles, self.default_style = _style_table(document)
        self.items: list[_Item] = []

    def body(self, el) -> None:
        for c in el.iterchildren():
            if c.tag == W_P:
                self.paragraph(c)
            elif c.tag == W_TBL:
                for tr in _unwrap(c, W_TR):
                    if row := _row_text(tr):
                        self.items.append(_Item(BlockKind.table_row, row))
            elif c.tag in (W_SDT, W_SDTCONTENT, W_CUSTOMXML):
                self.body(c)

    def paragraph(self, p) -> None:
        text = _p_text(p)
        if not text:
            return
        pPr = p.find(W_PPR)
        style_id = None
        num: tuple[str, int] | None = None
        if pPr is not None:
            ps = pPr.find(W_PSTYLE)
            if ps is not None:
                style_id = ps.get(W_VAL)
            numPr = pPr.find(W_NUMPR)
            if numPr is not None:
                nid = numPr.find(W_NUMID)
                ilvl = numPr.find(W_ILVL)
                nid_val = nid.get(W_VAL) if nid is not None else None
                if nid_val != "0":
                    lvl = ilvl.get(W_VAL, "0") if ilvl is not None else "0"
                    num = (nid_val or "", int(lvl) if lvl.isdigit() else 0)
        info = self.styles.get(style_id or self.default_style or "", _StyleInfo())
        if pPr is not None and (ol := pPr.find(W_OUTLINE)) is not None and not info.heading:
            val = ol.get(W_VAL, "")
            if val.isdigit() and int(val) < 9:
                info = _StyleInfo(heading=int(val) + 1, numbered=info.numbered)

        if info.heading:
            level = min(info.heading, 6)
            if _looks_like_heading(text):
                self.items.append(_Item(BlockKind.heading, text, level))
                return
            number, body = _strip_number(text)
            m = _RUN_IN_RE.match(body)
            lead = m.group("lead") if m else ""
            if m and len(lead.split()) <= 8 and is_titleish(lead[:-1]):
                self.items.append(_Item(BlockKind.heading, (number + lead).strip(), level))
                self.items.append(_Item(BlockKind.paragraph, body[m.end() :].strip()))
            else:
                self.items.append(_Item(BlockKind.paragraph, text))
            return
        if num is not None or info.numbered:
            self.items.append(_Item(BlockKind.list_item, text, num=num or ("style", 0), bold=_all_bold(p)))
            return
        self.items.append(_Item(BlockKind.paragraph, text))

    def promote_numbered_headings(self) -> None:
        """'1. Processing' followed by '1.1 ...' items: the short parent item is a heading. So is a
        short numbered item set in bold and followed by body text ("4. **Security Incident
        Response**", then its unnumbered clause): templates number their headings as list items."""
        items = self.items
        for i, it in enumerate(items):
            if it.kind is not BlockKind.list_item or it.num is None or i + 1 >= len(items):
                continue
            nxt = items[i + 1]
            parent_of_deeper = (nxt.kind is BlockKind.list_item and nxt.num is not None
                                and nxt.num[0] == it.num[0] and nxt.num[1] > it.num[1])
            bold_over_body = it.bold and nxt.kind is BlockKind.paragraph
            if not (parent_of_deeper or bold_over_body):
                continue
            words = it.text.split()
            if (
                len(words) <= 8
                and is_titleish(it.text)
                and not it.text.rstrip().endswith((";", ":", ","))
                and not _SENTENCE_BREAK_RE.search(it.text)
            ):
                it.kind, it.level = BlockKind.heading, min(it.num[1] + 1, 6)


_W_R, _W_B = _W + "r", _W + "b"


def _all_bold(p) -> bool:
    """Whether every run of `p` that has text is bold by its own run properties."""
    runs = [r for r in p.iter(_W_R) if "".join(t.text or "" for t in r.iter(W_T)).strip()]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(W_RPR)
        b = rpr.find(_W_B) if rpr is not None else None
        if b is None or b.get(W_VAL, "true").lower() in ("0", "false", "off"):
            return False
    return True


def _first_title(items: list[_Item]) -> str | None:
    """A 'Title'-like opening: a leading short Title Case paragraph (templates often style the
    document name by hand), else the first heading."""
    first = items[0] if items else None
    if (
        first is not None
        and first.kind in (BlockKind.paragraph, BlockKind.heading)
        and len(first.text.split()) <= 10
        and is_titleish(first.text)
        and not first.text.endswith((".", ";", ","))
    ):
        return re.sub(r"\s+", " ", first.text).strip()
    return pick_title(it.text for it in items if it.kind is BlockKind.heading)


def load_docx(path: Path) -> ParsedDocument:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        raise LoaderError("not a .docx file (legacy .doc format or password-protected)")
    try:
        check_zip(path)  # before python-docx inflates anything: a zip bomb stops here
        document = python_docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, zipfile.LargeZipFile):
        raise LoaderError("not a valid .docx file (corrupt or not a Word document)") from None
    except KeyError:
        raise LoaderError("not a valid .docx file (missing document part)") from None
    except ValueError as e:
        if "content type" in str(e):
            raise LoaderError("not a Word document (another Office file type?)") from None
        raise

    walker = _Walker(document)
    walker.body(document.element.body)
    walker.promote_numbered_headings()
    if not walker.items:
        raise LoaderError("no text content")

    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    prev: BlockKind | None = None
    for it in walker.items:
        if parts:
            tight = it.kind is prev and it.kind in (BlockKind.table_row, BlockKind.list_item)
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            pos += len(sep)
        blocks.append(Block(kind=it.kind, start=pos, end=pos + len(it.text), level=it.level))
        parts.append(it.text)
        pos += len(it.text)
        prev = it.kind
    text = "".join(parts)

    title = None
    try:
        title = (document.core_properties.title or "").strip() or None
    except Exception:  # malformed core properties are not worth failing the file for
        title = None
    if title is None:
        title = _first_title(walker.items)
    return ParsedDocument(text=text, blocks=blocks, title=title, format="docx")
