"""Retrieved evidence for one draft: searches through the shared read path (so access rules apply) and a
numbered citation list whose quotes are verbatim slices of the cited chunks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answering.units import normalise, split_sentences
from assistant.answering.citations import quote_place, require_verbatim, verbatim_quote
from assistant.contracts.sla_models import SourceSpan
from assistant.models import Caller, Citation, SearchFilters, SearchResult

if TYPE_CHECKING:
    from assistant.reading import Reader

_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*•]\s+|\d{1,2}[.)]\s+|\([a-z0-9]{1,3}\)\s+)+")
_EMPHASIS = re.compile(r"\*\*|__|`")


def clean(text: str) -> str:
    """Display form of a quoted line: no Markdown list/heading markers or emphasis, one line."""
    return " ".join(_EMPHASIS.sub("", _MARKERS.sub("", text)).split())


def marker(n: int) -> str:
    """Internal citation marker; render.assemble turns it into [n] numbered in reading order."""
    return f"[[c:{n}]]"


def from_model_numbers(text: str) -> str:
    """[n] markers in verified LLM prose (numbered like the evidence) -> internal markers."""
    return re.sub(r"\[(\d{1,4})\]", lambda m: marker(int(m.group(1))), text)


@dataclass
class Evidence:
    reader: Reader | None  # None: citing only, no searching (tests of the citation list)
    caller: Caller
    citations: list[Citation] = field(default_factory=list)
    retrieved: dict[str, SearchResult] = field(default_factory=dict)
    _numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    _texts: dict[int, str] = field(default_factory=dict)
    _memo: dict[tuple, list[SearchResult]] = field(default_factory=dict)

    # -- retrieval --------------------------------------------------------------------------
    def search(self, query: str, k: int = 8, doc_types: list[str] | None = None,
               sources: list[str] | None = None) -> list[SearchResult]:
        key = (query, k, tuple(doc_types or ()), tuple(sources or ()))
        if key not in self._memo:  # each search embeds the query: the slow part of a draft
            filters = SearchFilters(doc_type=doc_types or None, source=sources or None) if (doc_types or sources) else None
            results = self.reader.search(query[:1000], self.caller, k=k, filters=filters).results
            for r in results:
                self.retrieved.setdefault(r.chunk_id, r)
            self._memo[key] = results
        return list(self._memo[key])

    def pool(self, source: str) -> list[SearchResult]:
        """Every chunk of `source` retrieved so far for this caller, in document order."""
        return sorted((r for r in self.retrieved.values() if r.source == source), key=lambda r: r.char_start)

    # -- citing -----------------------------------------------------------------------------
    def cite(self, result: SearchResult, quote: str) -> str:
        """The [n] marker for `quote`, which must occur in the chunk (whitespace-insensitively)."""
        quote = " ".join(quote.split())
        if not quote or normalise(quote) not in normalise(result.text):
            raise ValueError(f"quote does not occur in chunk {result.chunk_id}")  # a bug, never user input
        key = (result.chunk_id, quote)
        if key not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[key] = n
            self._texts[n] = result.text
            self.retrieved.setdefault(result.chunk_id, result)
            page, clause_no = quote_place(result, quote)
            self.citations.append(Citation(n=n, chunk_id=result.chunk_id, source=result.source,
                                           quote=require_verbatim(verbatim_quote(quote, result.text), result.text),
                                           section_path=result.section_path, page_start=page, title=result.title,
                                           clause_no=clause_no, doc_type=result.doc_type, url=result.url))
        return marker(self._numbers[key])

    def cite_span(self, span: SourceSpan | None) -> str:
        """A figure from the SLA schedule, cited to the clause it was read from."""
        if span is None:
            return ""
        quote = " ".join(span.quote.split())
        key = (span.chunk_id, quote)
        if key not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[key] = n
            known = self.retrieved.get(span.chunk_id)
            self._texts[n] = known.text if known else span.quote
            text = known.text if known else span.quote  # the span's quote is a slice of its chunk
            self.citations.append(Citation(
                n=n, chunk_id=span.chunk_id, source=span.source, quote=require_verbatim(verbatim_quote(quote, text), text),
                section_path=span.section_path,
                page_start=span.page_start, clause_no=span.clause_no, title=known.title if known else "",
                doc_type=known.doc_type if known else None, url=known.url if known else ""))
        return marker(self._numbers[key])

    def as_results(self) -> list[SearchResult]:
        """The cited chunks in citation order, for the answerer's verification of LLM prose."""
        out = []
        for c in self.citations:
            out.append(SearchResult(chunk_id=c.chunk_id, source=c.source, text=self._texts[c.n], score=0.0,
                                    section_path=c.section_path, page_start=c.page_start, page_end=c.page_start,
                                    char_start=0, char_end=0, doc_type=c.doc_type or "other", doc_id="", title=c.title,
                                    clause_no=c.clause_no, collection=""))
        return out


# -- finding sentences and lines in retrieved text ------------------------------------------
def lines_of(result: SearchResult) -> list[str]:
    return [line.strip() for line in result.text.splitlines() if line.strip()]


def sentences_of(result: SearchResult) -> list[str]:
    # PDF text is hard-wrapped, so its sentences run across lines; elsewhere a line is a unit
    # (list items and table rows often carry no final full stop).
    units = [" ".join(result.text.split())] if result.page_start is not None else lines_of(result)
    out = []
    for unit in units:
        out.extend(unit[s:e].strip() for s, e in split_sentences(unit))
    return [s for s in out if s]


def find_sentence(results: list[SearchResult], pattern: str,
                  flags: int = re.IGNORECASE) -> tuple[SearchResult, str, re.Match] | None:
    regex = re.compile(pattern, flags)
    for r in results:
        for sentence in sentences_of(r):
            m = regex.search(sentence)
            if m:
                return r, sentence, m
    return None


def table_rows(result: SearchResult) -> list[tuple[str, list[str]]]:
    """(line, cells) for each pipe-table row in the chunk (Markdown or flattened .docx tables)."""
    rows = []
    for line in lines_of(result):
        if line.count("|") < 2 or re.fullmatch(r"[|\s:\-]+", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((line, cells))
    return rows
