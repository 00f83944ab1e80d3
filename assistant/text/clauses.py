"""Text helpers shared by classification, key terms, SLA and obligation extraction.

Clause numbers are only ever read from the text itself (a marker at the start of a line or right
after a sentence end), never inferred, so nothing downstream can invent "Clause 7.3".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_TRANSLATE = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ", "\u2011": "-", "\u00ad": "",
})
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-cased, quotes/dashes straightened, whitespace collapsed: what cue patterns see."""
    return _WS.sub(" ", (text or "").translate(_TRANSLATE)).strip().lower()


def squash(text: str) -> str:
    """Whitespace collapsed, case kept (for display)."""
    return _WS.sub(" ", text or "").strip()


# -- clause markers ---------------------------------------------------------------------------

_MARK = re.compile(
    r"(?P<prefix>(?:section|clause|article|sec\.)\s+)?"
    r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,3}|[IVXL]{1,6}(?=[.\s]))"
    r"(?P<dot>\.|\)(?=[^\S\n]+[A-Z][a-z]))?[^\S\n]+(?=[\"\u201c(\[]?[A-Z])",  # "2) Duties of ..."; any space: PDFs put \xa0 there
    re.IGNORECASE,
)
_HEADING_AFTER = re.compile(r"[\"\u201c]?([A-Z][A-Za-z0-9 \u00a0\u2000-\u200a\u202f,&/'\u2019()-]{1,70}?)[\"\u201d]?\s*(?:\.|:|\n|$)")
_SENTENCE_ENDERS = set('.:;!?)"\u201d]')


@dataclass(frozen=True)
class ClauseMark:
    start: int  # offset of the marker in the text
    body_start: int  # offset just after the number
    number: str  # "12.2", "4", "IV"
    heading: str  # "Termination for Convenience" when the clause opens with a short heading


def _rstrip_spaces(text: str) -> str:
    """Strip trailing spaces of any kind (\xa0 too) but not line breaks."""
    return re.sub(r"[^\S\n]+$", "", text)


def _context_ok(text: str, pos: int, multi_level: bool, dotted: bool) -> bool:
    window_start = max(0, pos - 400)
    before = text[window_start:pos]
    if window_start and not before.strip():
        return True  # 400 blank characters: a fresh paragraph
    stripped = _rstrip_spaces(before)
    if not stripped.strip():
        return True
    if stripped.endswith("\n"):
        line_end = stripped.rstrip()
        if not line_end:
            return True
        if stripped.endswith("\n\n") or re.search(r"\n[^\S\n]*\n[^\S\n]*$", before):
            return True
        if line_end[-1] in _SENTENCE_ENDERS:
            return True
        # A wrapped line starting with a number ("within\n5 Business Days") is not a clause; a
        # short previous line (a heading such as "12. Term and Termination") followed by "12.1" is.
        prev_line = line_end.rsplit("\n", 1)[-1]
        return (multi_level or dotted) and len(prev_line.strip()) <= 80 and not prev_line.rstrip().endswith(",")
    return stripped[-1] in _SENTENCE_ENDERS


def clause_marks(text: str) -> list[ClauseMark]:
    """Clause markers that open a clause: '12.2 Termination for Convenience.', 'Section 4.', 'ARTICLE IV'."""
    marks: list[ClauseMark] = []
    for m in _MARK.finditer(text):
        num = m.group("num")
        roman = not num[0].isdigit()
        if roman and not (m.group("prefix") or "").lower().startswith("article"):
            continue  # a bare "I" or "V" is a word or a list label, not an article number
        multi = "." in num
        dotted = bool(m.group("dot"))
        if not (multi or dotted or m.group("prefix")):
            continue  # "5 Business Days": a bare integer is a quantity unless written "5." or "Section 5"
        if not multi and num.isdigit() and int(num) > 300:
            continue
        if not _context_ok(text, m.start(), multi or bool(m.group("prefix")), dotted):
            continue
        heading = ""
        h = _HEADING_AFTER.match(text, m.end())
        if h:
            candidate = h.group(1).strip()
            words = candidate.split()
            if 1 <= len(words) <= 8 and _title_like(words):
                heading = " ".join(words)
        marks.append(ClauseMark(m.start(), m.end(), num.upper() if roman else num, heading))
    return marks


def _title_like(words: list[str]) -> bool:
    small = {"and", "or", "of", "for", "the", "to", "in", "on", "a", "an", "by", "with", "under", "upon", "at"}
    caps = sum(1 for w in words if w[:1].isupper() or w.lower() in small or not w[:1].isalpha())
    return caps == len(words) or (len(words) <= 3 and words[0][:1].isupper())


def clause_at(marks: list[ClauseMark], offset: int) -> ClauseMark | None:
    """The last clause marker at or before `offset` (marks are in text order)."""
    i = bisect.bisect_right([m.start for m in marks], offset) if len(marks) < 64 else bisect.bisect_right(_starts(marks), offset)
    return marks[i - 1] if i else None


_STARTS_CACHE: dict[int, tuple[list[ClauseMark], list[int]]] = {}


def _starts(marks: list[ClauseMark]) -> list[int]:
    cached = _STARTS_CACHE.get(id(marks))
    if cached is None or cached[0] is not marks:
        if len(_STARTS_CACHE) > 32:
            _STARTS_CACHE.clear()
        cached = (marks, [m.start for m in marks])
        _STARTS_CACHE[id(marks)] = cached
    return cached[1]


# -- sentences --------------------------------------------------------------------------------

_ABBREV = {
    "inc", "ltd", "co", "corp", "no", "nos", "sec", "u.s", "e.g", "i.e", "etc", "mr", "ms", "mrs", "dr", "st",
    "art", "para", "vs", "v", "llc", "l.l.c", "n.a", "s.a", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "p", "pp", "cf", "approx", "fig", "ref", "s.a.s", "b.v", "n.v", "plc",
    "u.k", "a.m", "p.m", "et al", "govt", "dept", "assn", "bros", "ave", "blvd", "rd", "ste",
}
_BOUNDARY = re.compile(r"[.!?](?=[\"')\]\u201d]*\s+[\"'(\[\u201c]?[A-Z0-9])|\n[^\S\n]*\n|;\s*\n")
_PAGE_LINE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?(?:\s*-)?\s*$", re.I)


def mask_furniture(text: str) -> str:
    """Page furniture (page numbers, running headers/footers repeated on many pages) blanked out
    with spaces, so offsets stay valid while sentences can run across page breaks."""
    lines = text.split("\n")
    counts: dict[str, int] = {}
    for line in lines:
        key = line.strip()
        if 8 <= len(key) <= 120:
            counts[key] = counts.get(key, 0) + 1
    out = []
    for line in lines:
        key = line.strip()
        if key and (_PAGE_LINE.match(line) or counts.get(key, 0) >= 3 and not key.endswith((".", ";", ":"))):
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


_ODD_SPACE = re.compile(r"[^\S\n ]")


def analysis_text(text: str) -> str:
    """What extractors read: page furniture blanked and every space-like character (\xa0, tabs,
    thin spaces) made a plain space. Same length as `text`, so every offset still holds."""
    return _ODD_SPACE.sub(" ", mask_furniture(text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in text[start:end], trimmed, abbreviations respected.

    Clause markers also open a new sentence, so '...notice. 12.3 Termination for Cause. Either...'
    splits before '12.3'.
    """
    end = len(text) if end is None else end
    cuts = {start, end}
    marks = clause_marks(text[start:end])
    # The dot that closes a clause number ("4." in "4. Supplier Personnel") is not a sentence end.
    number_dots = {start + m.start + text[start + m.start : start + m.body_start].rfind(".") for m in marks}
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group(0)[0] in ".!?" and (m.start() in number_dots or is_abbreviation(text, m.start())):
            continue
        if m.group(0)[0] == "\n" and _continues(text, m.start(), m.end(), end):
            continue
        cuts.add(m.end() if m.group(0)[0] not in ".!?" else m.start() + 1)
    for mark in marks:
        cuts.add(start + mark.start)
    spans = []
    ordered = sorted(cuts)
    for a, b in zip(ordered, ordered[1:]):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if b - trail > a + lead:
            spans.append((a + lead, b - trail))
    return spans


def _continues(text: str, gap_start: int, gap_end: int, end: int) -> bool:
    """A blank line inside a sentence (a page break): no end punctuation before, lower case after."""
    before = text[max(0, gap_start - 200) : gap_start].rstrip()
    after = text[gap_end : min(end, gap_end + 200)].lstrip()
    if not before or not after:
        return False
    return before[-1] not in ".:;!?\"\u201d)" and after[0].islower()


def is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at `dot` ends an abbreviation or an initial ("Inc.", "e.g.", "A.M. Best"),
    not a sentence."""
    m = re.search(r"([A-Za-z][A-Za-z.]{0,6})$", text[max(0, dot - 8) : dot])
    if m is None:
        return bool(re.search(r"\d$", text[max(0, dot - 1) : dot])) and bool(re.match(r"\d", text[dot + 1 : dot + 2]))
    word = m.group(1).lower().lstrip(".")
    if word in _ABBREV:
        return True
    if len(word) == 1 and word.isalpha() and text[dot - 1].isupper():
        # An initial ("Margaret L. Okafor"), unless it names an exhibit or schedule ("Exhibit A. All ...").
        return not re.search(r"(?i)\b(?:exhibit|schedule|annex|appendix|attachment|section|article|part|item|party)\s+$",
                             text[max(0, dot - 16) : dot - 1])
    return False
