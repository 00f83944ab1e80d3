import pytest

from ingest.loaders.headings import classify_line, heading_level, is_page_furniture


@pytest.mark.parametrize(
    "line, level",
    [
        ("ARTICLE IV", 1),
        ("ARTICLE 4 - TERM", 1),
        ("Article 4. Term", 1),
        ("Section 4. Term", 1),
        ("SECTION 4.2 FEES", 2),
        ("Section 2.01 Appointment; Exclusivity", 2),
        ("12. TERMINATION", 1),
        ("12.2 Termination for Convenience.", 2),
        ("12.2.1 Notice Periods", 3),
        ("4.0 RATES", 1),
        ("SCHEDULE A", 1),
        ("EXHIBIT B", 1),
        ("Appendix 1", 1),
        ("ANNEX II - Pricing", 1),
        ("IV. TERM", 1),
        ("MASTER SERVICES AGREEMENT", 1),
        ("   CONFIDENTIALITY   ", 1),
        ("(a) SCOPE OF SERVICES", 2),
        # not headings
        ("12.2 Either party may terminate this Agreement upon ninety days notice to the other.", 0),
        ("1.1 \"SOFTWARE USER\" means a named user of the Corio Services", 0),
        ("1.", 0),
        ("3", 0),
        ("Page 3 of 10", 0),
        ("- 3 -", 0),
        ("THE PARTIES SHALL NOT BE LIABLE FOR ANY INDIRECT DAMAGES ARISING OUT OF THIS AGREEMENT.", 0),
        ("CORIO INC.", 0),
        ("Exhibit A attached hereto and made a part hereof", 0),
        ("1. Definitions.......................................3", 0),
        ("", 0),
    ],
)
def test_heading_level(line, level):
    assert heading_level(line) == level


def test_glued_page_number_is_skipped():
    line = "3 2.      GRANT OF RIGHTS."
    level, strong, skip = classify_line(line)
    assert (level, strong) == (1, True)
    assert line[skip:].startswith("2.")


def test_page_furniture():
    assert is_page_furniture("  12  ")
    assert is_page_furniture("Page 2 of 9")
    assert not is_page_furniture("12. TERM")


def test_a_multi_level_clause_number_alone_on_a_line_is_not_page_furniture():
    # PDFs and their text conversions put "12.4." on a line of its own (a sentence wrapped before
    # its cross-reference, or an item number laid out above its text): a page is never numbered so.
    assert is_page_furniture("7.")
    for number in ("12.4.", "2.15.1", "1.2", " 3.1 "):
        assert not is_page_furniture(number), number


def test_a_wrapped_cross_reference_keeps_its_clause_number():
    from ingest.loaders._plain import plain_blocks

    text = ("A Chronic Failure entitles Customer to terminate under Clause\n12.4.\n"
            "6. Fees\n\nThe Supplier will\n\n2.15.1\n\nprovide a help desk;\n\n14\n\nnext page text.\n")
    kept = "".join(text[b.start:b.end] + "|" for b in plain_blocks(text, 0, len(text), page=1, split_wrapped=True))
    assert "Clause\n12.4." in kept
    assert "2.15.1|" in kept and "provide a help desk;" in kept
    assert "14|" not in kept  # a bare page number between paragraphs still goes
