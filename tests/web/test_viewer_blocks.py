"""Turning passages into viewer blocks: headings, page marks and the marked quote."""

from __future__ import annotations

from assistant.document_text import Passage
from assistant.surfaces.web.viewer_blocks import locate, passage_blocks


def _passage(text: str, start: int = 100, headings=(), page_start=None, page_breaks=()) -> Passage:
    return Passage(chunk_id="c1", text=text, section_path=" > ".join(headings), headings=list(headings),
                   char_start=start, char_end=start + len(text), page_start=page_start,
                   page_end=page_start, page_breaks=list(page_breaks))


def test_locate_finds_a_quote_exactly_across_line_breaks_and_around_an_ellipsis():
    text = "12.2 Either party may terminate\nthis Agreement on ninety (90) days'\n  written notice."
    assert locate(text, "ninety (90) days'") == (text.index("ninety"), text.index("ninety") + len("ninety (90) days'"))
    a, b = locate(text, "may terminate this Agreement on ninety")
    assert text[a:b].split() == "may terminate this Agreement on ninety".split()
    a, b = locate(text, "Either party may terminate … written notice.")
    assert text[a:b] in ("Either party may terminate", "written notice.")
    assert locate(text, "nothing like this at all") is None
    assert locate(text, "") is None


def test_markdown_docx_and_numbered_headings_become_heading_blocks_without_markup():
    text = "## Refund Exceptions\n\nAgents raise a ticket.\n\n### VIP customers ###\nThe lead approves.\n"
    blocks = passage_blocks(_passage(text, headings=["Refund SOP", "Refund Exceptions", "VIP customers"]))
    assert [(b.kind, b.level, "".join(t for t, _ in b.pieces)) for b in blocks] == [
        ("heading", 3, "Refund Exceptions"), ("text", 2, "Agents raise a ticket."),
        ("heading", 4, "VIP customers"), ("text", 2, "The lead approves."),
    ]
    clause = passage_blocks(_passage("12. TERM AND TERMINATION\n12.1 This Agreement starts today.\n",
                                     headings=["12. Term and Termination"]))
    assert clause[0].kind == "heading" and clause[1].kind == "text"


def test_page_marks_open_the_passage_and_follow_each_page_break():
    text = "first page line\nsecond page line\nthird page line\n"
    second = 100 + text.index("second")
    third = 100 + text.index("third")
    blocks = passage_blocks(_passage(text, page_start=4, page_breaks=[second, third]), first_page=True)
    assert [(b.kind, b.page) for b in blocks] == [("page", 4), ("text", None), ("page", 5), ("text", None), ("page", 6),
                                                 ("text", None)]
    assert [b.kind for b in passage_blocks(_passage(text, page_start=4), first_page=False)] == ["text"]


def test_the_marked_span_is_split_out_of_the_text_and_nothing_is_lost():
    text = "Supplier shall pay a credit of 5% of the monthly fees when the SLA is missed.\n"
    mark = locate(text, "5% of the monthly fees")
    [block] = passage_blocks(_passage(text), mark)
    assert [m for _, m in block.pieces] == [False, True, False]
    assert "".join(t for t, _ in block.pieces) == text.rstrip("\n")
    assert block.pieces[1][0] == "5% of the monthly fees"


def test_a_markdown_table_becomes_a_table_block_with_its_cells_and_the_quote_marked():
    text = ("3.1 The Vendor shall meet these levels.\n\n| Service Level | Target | Credit |\n|---|:---:|---|\n"
            "| Email Reply Time | ≥ 93% | 5% of fees |\n| Order \\| Accuracy | ≥ 98% | <b>2%</b> |\n\nAfter the table.\n")
    mark = locate(text, "≥ 93% | 5% of")
    blocks = passage_blocks(_passage(text), mark)
    assert [b.kind for b in blocks] == ["text", "table", "text"]
    table = blocks[1]
    flat = [["".join(t for t, _ in cell) for cell in row] for row in table.rows]
    assert flat == [["Service Level", "Target", "Credit"], ["Email Reply Time", "≥ 93%", "5% of fees"],
                    ["Order | Accuracy", "≥ 98%", "<b>2%</b>"]]
    assert table.rows[1][1] == [("≥ 93%", True)] and table.rows[1][2] == [("5% of", True), (" fees", False)]
    assert table.marked and "".join(t for t, _ in blocks[2].pieces) == "After the table."


def test_pipes_without_a_delimiter_row_stay_text():
    text = "Escalate to L2 | L3 when the queue is full.\nA | B\n"
    assert [b.kind for b in passage_blocks(_passage(text))] == ["text"]
