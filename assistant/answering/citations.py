"""How a citation names its clause, the same on every surface.

A chunk's ``clause_no`` is a number ("12.2") or a numbered part named by its own word ("Schedule
A", "Exhibit 10.21", "Article IV"). In a contract a number reads "clause 12.2"; a named part reads
as it is ("clause Exhibit 10.21" would be wrong twice over). Runbooks and SOPs have no clauses:
their plain numbers are the steps of a numbered procedure ("step 7"), dotted ones are sections.
Nothing is added when the heading shown next to it already says it ("12.2 Termination for
Convenience", "SCHEDULE A - SERVICE LEVELS").
"""

from __future__ import annotations

import re

from assistant.logs import event_line, logger
from assistant.models import CONTRACT_DOC_TYPES, Citation, page_of_offset
from assistant.text.clauses import clause_marks

log = logger("answering")

# Documents whose numbered lines are procedure steps, not clauses.
PROCESS_DOC_TYPES = ("runbook", "sop")


def clause_label(clause_no: str, shown: str = "", doc_type: str | None = None) -> str:
    """'clause 12.2', 'Schedule A', 'step 7', 'section 4.1', or '' (no clause, or `shown`
    already names it)."""
    if not clause_no:
        return ""
    # Whole-token match: clause "4" is not named by "14 Term" or "4.1", "Schedule A" is by "SCHEDULE A -".
    if re.search(rf"(?<![\w.]){re.escape(clause_no)}(?!\.?\w)", shown, re.IGNORECASE):
        return ""
    if " " in clause_no:
        return clause_no
    if doc_type in PROCESS_DOC_TYPES:
        return f"step {clause_no}" if clause_no.isdigit() else f"section {clause_no}"
    return f"clause {clause_no}"


MAX_QUOTE_CHARS = 500


class QuoteNotInChunk(ValueError):
    """A citation quote that is not a verbatim substring of its chunk: a bug, never user input."""


_QUOTE_MARKS = {"'": "['\u2019]", "\u2019": "['\u2019]", '"': '["\u201c\u201d]', "\u201c": '["\u201c\u201d]',
                "\u201d": '["\u201c\u201d]'}


def _quote_match(quote: str, text: str, tolerant: bool = False) -> re.Match | None:
    """The first place `text` holds the words of `quote` in order, whatever the spacing between them;
    `tolerant` also ignores case and straight/curly quote marks (what LLM quotes are verified with)."""
    words = quote.split()
    if not words:
        return None
    if not tolerant:
        return re.search(r"\s+".join(map(re.escape, words)), text)
    word = lambda w: "".join(_QUOTE_MARKS.get(ch, re.escape(ch)) for ch in w)  # noqa: E731
    return re.search(r"\s+".join(map(word, words)), text, re.IGNORECASE)


def quote_offset(quote: str, text: str) -> int:
    """Where a quote starts in its chunk's text, whatever its spacing (quotes are shown with runs of
    whitespace collapsed); 0 when it can't be found."""
    m = _quote_match(quote, text)
    return m.start() if m else 0


def verbatim_quote(quote: str, text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """`quote` exactly as the chunk `text` writes it: the README promises a citation quotes text that
    occurs verbatim in its chunk, and answers pick units with their whitespace collapsed ("`Ready`
    state" for "`Ready`\nstate"), and a model may quote with other case or quote marks. Longer than
    `limit`, it is cut at a space (a prefix is still a substring). QuoteNotInChunk when the words
    do not occur in `text` in that order."""
    m = _quote_match(quote, text) or _quote_match(quote, text, tolerant=True)
    if m is None:
        raise QuoteNotInChunk(f"the quote {quote[:60]!r} does not occur in its chunk")
    found = m.group()
    if len(found) > limit:
        cut = found[:limit]
        space = max(cut.rfind(" "), cut.rfind("\n"))
        found = cut[:space].rstrip() if space > limit // 2 else cut
    return found


def require_verbatim(quote: str, text: str) -> str:
    """The assertion every citation builder ends with: `quote` must be a substring of `text`."""
    if not quote or quote not in text:
        raise QuoteNotInChunk(f"the quote {quote[:60]!r} is not a verbatim substring of its chunk")
    return quote


def quote_place(result, quote: str) -> tuple[int | None, str]:
    """The page and the clause or step of `quote` itself inside `result` (a SearchResult): a chunk
    can run across a page break and hold several clauses (17 -> 17.2) or steps."""
    at = quote_offset(quote, result.text)
    return page_of_offset(result.page_start, result.page_breaks, result.char_start + at), quoted_clause(result, at)


# A quote that is (never expected) not verbatim in its chunk is cut to this.
FALLBACK_QUOTE_CHARS = 500


def citation_for(n: int, r, quote: str) -> Citation:
    """Citation [n] of the SearchResult `r`, quoting `quote` (an extractive unit, or what a model
    reply rests on) exactly as the chunk has it."""
    # Units are picked with their whitespace collapsed; the citation quotes the chunk exactly
    # (the README's promise: a quote is a substring of its chunk), display collapses it again.
    try:
        quote = require_verbatim(verbatim_quote(quote, r.text), r.text)
    except QuoteNotInChunk:
        # Never expected (units are cut from the chunk); an answer still beats an error.
        log.warning(event_line("answer_quote_not_verbatim", chunk=r.chunk_id))
        quote = " ".join(quote.split())[:FALLBACK_QUOTE_CHARS]
    page, clause_no = quote_place(r, quote)
    return Citation(n=n, chunk_id=r.chunk_id, source=r.source, quote=quote,
                    section_path=r.section_path, page_start=page, title=r.title, clause_no=clause_no,
                    doc_type=r.doc_type, collection=r.collection, url=r.url)


# A numbered step opening a line: "7. If the value...", "7) Check..." (nested sub-steps are indented).
_STEP = re.compile(r"^\s{0,3}(\d{1,2})[.)](?:\s|$)")


def quoted_clause(result, offset: int) -> str:
    """The clause or step a quote starting at `offset` (into `result.text`) belongs to.

    A chunk stores the first number it holds: the clause it opens or continues ("17"), the first
    step of a procedure ("6"). A quote further in belongs to the last one opened before it: in a
    contract, the clause opened there ("17.2", a sibling "1.2", the next clause "15.1"); in a
    runbook, the step ("7"), or none when the quote comes before the chunk's first step.
    """
    # Every line that starts at or before the quote, the quote's own line included: a quote that
    # opens with "7. If the value..." is step 7.
    line_end = result.text.find("\n", offset)
    before = result.text[: line_end if line_end >= 0 else len(result.text)].splitlines()
    if result.doc_type in PROCESS_DOC_TYPES:
        step = _step_of_last_line(before)
        if step and _numbered_as_shown(result.text):
            return step
        return "" if result.clause_no.isdigit() else result.clause_no
    if result.doc_type not in CONTRACT_DOC_TYPES:
        return result.clause_no
    # The innermost numbered clause holding the quote is the last clause opened before it in the
    # chunk, a sibling (1.2 after 1.1) or the next clause (15.1 in a chunk that began in 14) as
    # much as a sub-clause; numbers are read as clause openings only in context ("EXHIBIT 4.25"
    # and a wrapped "30 days" are not clauses).
    opened = [m for m in clause_marks(result.text) if m.start <= offset]
    return opened[-1].number if opened else result.clause_no


def _step_of_last_line(lines: list[str]) -> str:
    """The step the last line belongs to: the step line itself, or an indented line or sub-item
    under it. A paragraph back at the margin ends the list ("It's important to..." after the last
    item is no step's)."""
    for line in reversed(lines):
        m = _STEP.match(line)
        if m:
            return m.group(1)
        if line.strip() and not line[:1].isspace():
            return ""
    return ""


def _numbered_as_shown(text: str) -> bool:
    """Whether the steps' written numbers are the ones a reader sees. Markdown renders "1. 1. 1." as
    1, 2, 3 (many runbooks number every item "1."), and two lists in one chunk restart, so the
    numbers must run on by one; a lone "1." may be the third item of such a list begun in the
    chunk before, so a lone number counts only when it is past 1 (a written "6." is meant)."""
    numbers = [int(m.group(1)) for m in map(_STEP.match, text.splitlines()) if m]
    if len(numbers) == 1:
        return numbers[0] > 1
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))
