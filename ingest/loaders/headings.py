"""Plain-text heading heuristic shared by the .txt and .pdf loaders.

``heading_level(line)`` looks at one line on its own and returns 1-3 (0 = not a heading).
``heading_info(line)`` also says whether the match is *strong* (a clause number or an
ARTICLE/SECTION/SCHEDULE/EXHIBIT keyword) or *weak* (an ALL-CAPS line); callers use that to
apply context checks to weak matches (a wrapped ALL-CAPS disclaimer line is not a heading).

Recognised (contract style):
    ARTICLE IV / ARTICLE 4 - TERM / Article 4. Term              -> 1
    SCHEDULE A / EXHIBIT B / Appendix 1 / ANNEX II - Pricing      -> 1
    Section 4. Term / SECTION 4.2 FEES                            -> depth of the number
    12. TERMINATION / 12.2 Termination for Convenience. / 12.2.1  -> 1 / 2 / 3
    IV. TERM (roman numeral)                                      -> 1
    ALL-CAPS short line (<= 10 words, no final period)            -> 1 (2 after "A." / "(a)")
Not headings: "12.2 Either party may terminate ...", "1." alone, "3", "Page 3 of 10", "- 3 -".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_WORDS = 10  # heading text (after the number/keyword) longer than this is a sentence
MAX_CHARS = 120

# Words that may stay lower-case in a Title Case heading.
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or per the to under upon via vs with "
    "without within between over than that".split()
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")
_SPACES_RE = re.compile(r"\s+")

_PAGE_FURNITURE_RE = re.compile(
    r"""^(
        (page|pg\.?)\s*\d+(\s*(of|/)\s*\d+)?     # Page 3 / Page 3 of 10
      | \d+\s*(of|/)\s*\d+                        # 3 of 10 / 3/10
      | [-–—]\s*\d+\s*[-–—]                       # - 3 -
      | \d{1,4}                                   # 3
      | [ivxlc]{1,6}                              # iii (front-matter page numbers)
      | \d{1,4}\.                                 # "1." (a multi-level "12.4." is a clause number, kept)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_KEYWORD_RE = re.compile(
    r"^(?P<kw>ARTICLE|SCHEDULE|EXHIBIT|APPENDIX|ANNEX|ATTACHMENT|ADDENDUM|PART|CHAPTER)"
    r"\s+(?P<id>[IVXLC]+|\d+(?:\.\d+)*|[A-Z](?:-\d+)?)\b\.?"
    r"(?:\s*[-–—:.]\s*|\s+|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_SECTION_RE = re.compile(
    r"^(?:SECTION|§)\s*(?P<num>\d+(?:\.\d+)*)\.?(?:\s*[-–—:.]\s*|\s+|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
_NUMBERED_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:\.|\))?\s+(?P<rest>\S.*)$")
_ROMAN_RE = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<rest>\S.*)$")
_LETTER_RE = re.compile(r"^(?:\(?[A-Za-z]\)|[A-Z]\.)\s+(?P<rest>\S.*)$")


_LEADER_RE = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")  # table-of-contents dot leaders / blanks


def _depth(num: str) -> int:
    """'12' -> 1, '12.2' -> 2, '12.2.1' -> 3; a trailing '.0' does not count ('4.0' -> 1)."""
    num = re.sub(r"(?:\.0+)+$", "", num) or num
    return min(3, num.count(".") + 1)


def normalise_line(line: str) -> str:
    """Strip and collapse internal whitespace runs (fixed-width text pads with spaces)."""
    return _SPACES_RE.sub(" ", line).strip()


def is_page_furniture(line: str) -> bool:
    """A bare page number, "Page 3 of 10", "- 3 -", "1." ..."""
    s = normalise_line(line)
    return bool(s) and bool(_PAGE_FURNITURE_RE.match(s))


def is_titleish(text: str) -> bool:
    """Title Case or ALL CAPS words (small words may be lower case); no lower-case start."""
    words = _WORD_RE.findall(text)
    if not words:
        return False
    if words[0][0].islower():
        return False
    for w in words:
        if w[0].isupper() or w.lower() in _SMALL_WORDS:
            continue
        return False
    return True


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(not c.islower() for c in letters)


def _short_title(rest: str, *, allow_period: bool = True) -> bool:
    """The text part of a numbered/keyword heading: short, Title Case or CAPS, one phrase."""
    rest = rest.strip()
    if not rest:
        return True
    if len(rest.split()) > MAX_WORDS and not (is_all_caps(rest) and len(rest.split()) <= 14):
        return False
    body = rest.rstrip()
    if body.endswith((",", ";")):
        return False
    if body.endswith(".") and not allow_period:
        return False
    # More than one sentence ("Term. This Agreement starts ...") is body text.
    if re.search(r"[.!?]\s+\S", body):
        return False
    if "_" * 3 in body:
        return False
    return is_titleish(body) or is_all_caps(body)


def heading_info(line: str) -> tuple[int, bool]:
    """(level, strong) for one line; level 0 = not a heading."""
    s = normalise_line(line)
    if not s or len(s) > MAX_CHARS or is_page_furniture(s) or _LEADER_RE.search(s):
        return 0, False

    m = _KEYWORD_RE.match(s)
    if m:
        kw = m.group("kw")
        rest = m.group("rest")
        # "Exhibit A attached hereto ..." in running text: the keyword must be capitalised
        # and what follows must be a short title (or nothing).
        if kw[0].isupper() and _short_title(rest):
            if kw.isupper() or not rest or is_titleish(rest):
                return 1, True

    m = _SECTION_RE.match(s)
    if m and s[0].isupper() and _short_title(m.group("rest")):
        return _depth(m.group("num")), True

    m = _NUMBERED_RE.match(s)
    if m:
        num, rest = m.group("num"), m.group("rest")
        if _short_title(rest) and any(c.isalpha() for c in rest):
            return _depth(num), True
        return 0, False

    m = _ROMAN_RE.match(s)
    if m and _short_title(m.group("rest")) and any(c.isalpha() for c in m.group("rest")):
        return 1, True

    # ALL-CAPS short line, no final period (weak: callers check the context).
    m = _LETTER_RE.match(s)
    body = m.group("rest") if m else s
    words = body.split()
    if (
        is_all_caps(body)
        and len(words) <= MAX_WORDS
        and not body.endswith((".", ",", ";"))
        and "_" * 3 not in body
        and sum(c.isalpha() for c in body) >= 0.6 * sum(not c.isspace() for c in body)
    ):
        return (2 if m else 1), False
    return 0, False


def heading_level(line: str) -> int:
    """1-3 if ``line`` looks like a contract/SOP heading on its own, else 0."""
    return heading_info(line)[0]


_CONNECTOR_END_RE = re.compile(
    r"(?:\b(?:and|or|of|the|to|for|in|a|an|by|with|between|nor|neither|any|all|its|their|"
    r"that|which|such|this|these|under|from|on|at|as|is|are|be|shall|may|will)|[,;&-])$",
    re.IGNORECASE,
)


def ends_mid_sentence(line: str) -> bool:
    """True if the line ends with a connector word or comma (it continues on the next line)."""
    return bool(_CONNECTOR_END_RE.search(line.rstrip()))


_BARE_LABEL_RE = re.compile(
    r"^(?:\d+\s+)?(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX|ATTACHMENT|ADDENDUM)\s+[\w.()\-]+\.?$",
    re.IGNORECASE,
)
_LEADING_NUMBER_RE = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|section\s+\d|article\s+\w)", re.I)


def is_title_candidate(heading: str) -> bool:
    """A heading usable as a document title: not a bare "EXHIBIT 10.5" filing label, not a
    numbered clause ("1. DEFINITIONS"), not a table-of-contents caption."""
    s = normalise_line(heading)
    if not s or _BARE_LABEL_RE.match(s) or _LEADING_NUMBER_RE.match(s):
        return False
    return s.lower() not in {"table of contents", "contents", "index"}


def pick_title(headings: Iterable[str]) -> str | None:
    first = None
    for h in headings:
        s = normalise_line(h)
        if not s:
            continue
        if first is None:
            first = s
        if is_title_candidate(s):
            return s
    return first


_GLUED_PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,4}\s+(?=\S)")


def classify_line(line: str) -> tuple[int, bool, int]:
    """(level, strong, skip) for a raw line. ``skip`` > 0 when the line starts with a page
    number glued to a heading (fixed-width EDGAR text: "3 2.      GRANT OF RIGHTS.",
    "15        EXHIBIT A"): the heading starts ``skip`` characters into the line."""
    m = _GLUED_PAGE_NUMBER_RE.match(line)
    if m:
        level, strong = heading_info(line[m.end() :])
        if level and strong:
            return level, strong, m.end()
    level, strong = heading_info(line)
    return level, strong, 0
