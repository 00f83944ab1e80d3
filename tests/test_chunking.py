from __future__ import annotations

import pytest

from assistant.answering.citations import clause_label
from ingest.chunking import Chunker, clause_number, heading_label
from ingest.document import Block, BlockKind, ParsedDocument


def _doc(parts: list[tuple[BlockKind, str, int]]) -> ParsedDocument:
    text, blocks = "", []
    for kind, body, level in parts:
        start = len(text)
        text += body
        blocks.append(Block(kind=kind, start=start, end=len(text), level=level))
        text += "\n\n"
    return ParsedDocument(text=text, blocks=blocks, format="markdown")


@pytest.fixture(scope="module")
def count(embedder):
    return embedder.count_tokens


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12.2 Termination for Convenience. Either party may...", "12.2"),
        ("12. TERMINATION", "12"),
        ("Section 4. Term", "4"),
        ("ARTICLE IV - FEES", "Article IV"),
        ("Article 4. Term", "Article 4"),
        ("(a) the Supplier shall", "(a)"),
        ("Schedule A - Service Levels", "Schedule A"),
        ("EXHIBIT 10.21 OUTSOURCING AGREEMENT", "Exhibit 10.21"),
        ("Exhibit B-2 Pricing", "Exhibit B-2"),
        ("Schedule a follow-up review with the vendor.", ""),  # a verb, not a part
        ("Appendix contains the contact list.", ""),
        ("The parties agree", ""),
        ("2025 was a good year", ""),
    ],
)
def test_clause_numbers_are_detected(text, expected):
    assert clause_number(text) == expected


@pytest.mark.parametrize(
    "clause_no,shown,expected",
    [
        ("12.2", "12. Term and Termination", "clause 12.2"),
        ("12.2", "12.2 Termination for Convenience", ""),  # the heading already says it
        ("4", "14 Limitation of Liability", "clause 4"),  # "14" is not clause 4
        ("4", "4.1 Fees", "clause 4"),
        ("Exhibit 10.21", "EXHIBIT 10.21", ""),
        ("Exhibit 10.21", "Outsourcing Agreement", "Exhibit 10.21"),  # never "clause Exhibit 10.21"
        ("Schedule A", "Service Levels", "Schedule A"),
        ("", "anything", ""),
    ],
)
def test_a_citation_names_its_clause_once_and_in_words_that_fit(clause_no, shown, expected):
    assert clause_label(clause_no, shown) == expected


@pytest.mark.parametrize(
    "clause_no,shown,doc_type,expected",
    [
        ("6", "5.1 Handling the Request", "sop", "step 6"),  # a numbered procedure has steps, not clauses
        ("2", "Recover and Close", "runbook", "step 2"),
        ("4.2", "4. Approval Thresholds", "runbook", "section 4.2"),
        ("5.1", "5.1 Handling the Request", "sop", ""),
        ("6", "5.1 Handling the Request", "msa", "clause 6"),
        ("6", "Fees", "other", "clause 6"),
    ],
)
def test_runbook_numbers_are_steps_and_sections(clause_no, shown, doc_type, expected):
    assert clause_label(clause_no, shown, doc_type) == expected


def test_markdown_heading_markup_is_stripped():
    assert heading_label("## Severity Levels ##") == "Severity Levels"


def test_headings_become_section_path_and_stay_with_body(count):
    doc = _doc([
        (BlockKind.heading, "# Incident Response", 1),
        (BlockKind.heading, "## Severity Levels", 2),
        (BlockKind.paragraph, "SEV-1 means customers cannot check out.", 0),
        (BlockKind.heading, "## Paging", 2),
        (BlockKind.paragraph, "Page the incident commander within five minutes.", 0),
    ])
    chunks = Chunker(count, 160, 254).chunk(doc, "Chat Runbook")
    paths = [c.section_path for c in chunks]
    assert paths == ["Incident Response > Severity Levels", "Incident Response > Paging"]
    assert chunks[0].body.startswith("# Incident Response")  # the parent heading flows in
    assert "## Severity Levels" in chunks[0].body
    assert "SEV-1" in chunks[0].body
    assert chunks[0].embed_text.startswith("Chat Runbook > Incident Response > Severity Levels\n")


def test_body_is_an_exact_slice_of_the_document_text(count):
    doc = _doc([(BlockKind.heading, "1. DEFINITIONS", 1)] + [(BlockKind.paragraph, f"1.{i} Term {i} means thing {i}.", 0) for i in range(1, 30)])
    for c in Chunker(count, 60, 254).chunk(doc, "MSA"):
        assert doc.text[c.char_start : c.char_end] == c.body


def test_long_clause_is_split_at_sentences_and_keeps_its_number(count):
    sentence = "The Supplier shall maintain adequate records of all services performed under this Agreement. "
    doc = _doc([(BlockKind.heading, "14. AUDIT", 1), (BlockKind.paragraph, "14.1 " + sentence * 40, 0)])
    chunks = Chunker(count, 160, 254).chunk(doc, "MSA")
    assert len(chunks) > 2
    for c in chunks:
        assert c.tokens <= 254
        assert c.clause_no in {"14.1", "14"}
        assert c.body.rstrip().endswith(".")  # split between sentences, not mid-sentence


def test_numbered_clauses_start_new_chunks_and_keep_sub_paragraphs(count):
    doc = _doc([
        (BlockKind.heading, "12. TERM AND TERMINATION", 1),
        (BlockKind.paragraph, "12.1 Term. This Agreement runs for three years. " * 6, 0),
        (BlockKind.paragraph, "12.2 Termination for Convenience. Either party may terminate on ninety days notice.", 0),
        (BlockKind.paragraph, "(a) notice must be in writing;", 0),
        (BlockKind.paragraph, "(b) fees are due up to the termination date.", 0),
    ])
    chunks = Chunker(count, 80, 254).chunk(doc, "MSA")
    conv = [c for c in chunks if "Termination for Convenience" in c.body]
    assert len(conv) == 1
    assert conv[0].clause_no == "12.2"
    assert "(b) fees are due" in conv[0].body


def test_table_rows_are_never_split(count):
    rows = [(BlockKind.table_row, f"Metric {i} | Target {i}% of contacts answered within {i} minutes | 5% credit", 0) for i in range(40)]
    doc = _doc([(BlockKind.heading, "SLA Schedule", 1)] + rows)
    chunks = Chunker(count, 100, 254).chunk(doc, "SOW")
    bodies = "\n".join(c.body for c in chunks)
    for kind, row, _ in rows:
        assert sum(row in c.body for c in chunks) == 1, row
    assert len(chunks) > 1 and bodies


def test_a_chunk_that_continues_a_table_records_its_header_row(count):
    header = "| Metric | Target | Credit |"
    rows = [(BlockKind.table_row, f"| Metric {i} | Target {i}% of contacts answered within {i} minutes | 5% credit |", 0)
            for i in range(40)]
    doc = _doc([(BlockKind.heading, "SLA Schedule", 1), (BlockKind.table_row, header, 0)] + rows
               + [(BlockKind.heading, "Notes", 1), (BlockKind.paragraph, "Credits are capped.", 0)])
    chunks = Chunker(count, 100, 254).chunk(doc, "SOW")
    tabled = [c for c in chunks if "| Metric" in c.body]
    assert len(tabled) > 1
    assert tabled[0].table_header == ""  # it holds the header itself
    assert all(c.table_header == header and c.embed_text.count(header) == 1 for c in tabled[1:])
    assert [c.table_header for c in chunks if "capped" in c.body] == [""]


def test_every_chunk_fits_the_model_window(count):
    words = " ".join(f"word{i}" for i in range(3000))  # one giant paragraph, no sentence ends
    doc = _doc([(BlockKind.paragraph, words, 0)])
    chunks = Chunker(count, 160, 254).chunk(doc, "A very long title " * 3)
    assert chunks
    assert all(count(c.embed_text) <= 256 for c in chunks)
    covered = " ".join(c.body for c in chunks).split()
    assert covered == words.split()  # nothing dropped


# -- hostile shapes: linear time, and every chunk fits ----------------------------------------------

def _one_block(text: str) -> ParsedDocument:
    return ParsedDocument(text=text, blocks=[Block(kind=BlockKind.paragraph, start=0, end=len(text))], format="txt")


@pytest.mark.parametrize("text", [
    "x" * 60_000,  # one token: a single [UNK] word piece to the model, so it "fits" by tokens alone
    "Refund steps " + "y" * 30_000 + " then escalate to the duty lead.",  # an over-long word mid-sentence
    "\u4e2d\u6587" * 5_000,  # CJK: no spaces, one word piece per character
    ("lorem ipsum dolor sit amet " * 4_000).strip(),  # no sentence end anywhere
])
def test_every_chunk_fits_the_window_and_the_character_cap(count, text):
    chunker = Chunker(count, 160, 254)
    drafts = chunker.chunk(_one_block(text), "Hostile")
    assert drafts
    for d in drafts:
        assert d.tokens <= 254
        assert len(d.body) <= chunker.max_chars
        assert text[d.char_start : d.char_end] == d.body
    covered = "".join(text[d.char_start : d.char_end] for d in drafts)
    assert covered.replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing repeated


def test_chunking_stops_at_its_deadline(count):
    import time

    from ingest.limits import LimitExceeded

    with pytest.raises(LimitExceeded, match="limits.file_timeout_s"):
        Chunker(count, 160, 254).chunk(_one_block("lorem ipsum " * 20_000), "Slow", deadline=time.monotonic())
