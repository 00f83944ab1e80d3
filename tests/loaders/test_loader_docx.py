import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.loaders.loader_checks import block_containing, check_doc
from ingest.document import BlockKind, LoaderError
from ingest.loaders import heading_text, load_document


def _number(paragraph, num_id: int = 5, ilvl: int = 0) -> None:
    """Give a paragraph direct numbering (numPr), as Word does for '1.' lists."""
    pPr = paragraph._p.get_or_add_pPr()
    numPr = OxmlElement("w:numPr")
    lvl = OxmlElement("w:ilvl")
    lvl.set(qn("w:val"), str(ilvl))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numPr.append(lvl)
    numPr.append(nid)
    pPr.append(numPr)


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    d = docx.Document()
    d.add_heading("Contact Centre Services Agreement", 0)  # "Title" style
    d.add_heading("1. Scope", 1)
    d.add_paragraph("The Supplier provides inbound voice and email support.")
    d.add_paragraph("Answer calls within 20 seconds.", style="List Number")
    p = d.add_paragraph("Resolve tickets within one business day.")
    _number(p)
    d.add_heading("1.1 Service Levels", 2)
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Metric"
    t.cell(0, 2).text = "Target"
    t.cell(1, 0).text = "AHT"
    t.cell(1, 1).text = "seconds"
    t.cell(1, 2).merge(t.cell(2, 2)).text = "300"
    t.cell(2, 0).text = "FCR"
    t.cell(2, 1).text = "percent"
    d.add_heading("Deep heading", 4)
    d.add_heading(
        "Suspension.  Provider may suspend the Services if Customer fails to pay undisputed "
        "fees within thirty days after written notice, until the fees are paid in full.",
        2,
    )
    d.add_paragraph("")  # empty paragraphs produce no block
    d.add_paragraph("Closing paragraph after the table.")
    path = tmp_path_factory.mktemp("docx") / "ccsa.docx"
    d.save(path)
    return path


def test_docx_blocks(sample_docx: Path):
    doc = load_document(sample_docx)
    check_doc(doc)
    assert doc.format == "docx"
    assert doc.title == "Contact Centre Services Agreement"
    got = [(b.kind, b.level, doc.block_text(b)) for b in doc.blocks]
    assert got == [
        (BlockKind.heading, 1, "Contact Centre Services Agreement"),
        (BlockKind.heading, 1, "1. Scope"),
        (BlockKind.paragraph, 0, "The Supplier provides inbound voice and email support."),
        (BlockKind.list_item, 0, "Answer calls within 20 seconds."),
        (BlockKind.list_item, 0, "Resolve tickets within one business day."),
        (BlockKind.heading, 2, "1.1 Service Levels"),
        (BlockKind.table_row, 0, "Metric | Target"),  # merged cell once
        (BlockKind.table_row, 0, "AHT | seconds | 300"),
        (BlockKind.table_row, 0, "FCR | percent |"),  # vertical-merge continuation: empty cell
        (BlockKind.heading, 4, "Deep heading"),
        (BlockKind.heading, 2, "Suspension."),  # run-in title of a clause in a heading style
        (
            BlockKind.paragraph,
            0,
            "Provider may suspend the Services if Customer fails to pay undisputed fees within "
            "thirty days after written notice, until the fees are paid in full.",
        ),
        (BlockKind.paragraph, 0, "Closing paragraph after the table."),
    ]
    assert heading_text(doc, doc.blocks[1]) == "1. Scope"
    assert "\n\n" in doc.text


def test_docx_core_title_wins(tmp_path: Path):
    d = docx.Document()
    d.core_properties.title = "BPO Master Agreement"
    d.add_paragraph("Body text only.")
    path = tmp_path / "t.docx"
    d.save(path)
    doc = load_document(path)
    assert doc.title == "BPO Master Agreement"
    assert block_containing(doc, "Body").kind is BlockKind.paragraph


def test_docx_numbered_parent_becomes_heading(tmp_path: Path):
    d = docx.Document()
    _number(d.add_paragraph("Processing"), ilvl=0)
    _number(d.add_paragraph("Provider will Process data only on instructions."), ilvl=1)
    path = tmp_path / "n.docx"
    d.save(path)
    doc = load_document(path)
    assert [(b.kind, b.level) for b in doc.blocks] == [
        (BlockKind.heading, 1),
        (BlockKind.list_item, 0),
    ]


def test_a_bold_numbered_item_over_body_text_is_a_heading(tmp_path: Path):
    # Templates number headings as list items; this one's clause text below it is not numbered.
    d = docx.Document()
    _number(d.add_paragraph("Restricted Transfers"), ilvl=0)
    _number(d.add_paragraph("Provider may transfer Customer Personal Data where permitted."), ilvl=1)
    heading = d.add_paragraph()
    heading.add_run("Security Incident Response").bold = True
    _number(heading, ilvl=0)
    d.add_paragraph("Upon becoming aware of a Security Incident, Provider will notify Customer within 72 hours.")
    plain = d.add_paragraph("Notify the customer")  # numbered, short, but not bold: an ordinary item
    _number(plain, ilvl=0)
    d.add_paragraph("Use the template in the appendix.")
    path = tmp_path / "dpa.docx"
    d.save(path)
    doc = load_document(path)
    check_doc(doc)
    assert [(heading_text(doc, b) if b.kind is BlockKind.heading else b.kind) for b in doc.blocks] == [
        "Restricted Transfers", BlockKind.list_item, "Security Incident Response", BlockKind.paragraph,
        BlockKind.list_item, BlockKind.paragraph]


def test_corrupt_docx(tmp_path: Path, sample_docx: Path):
    cases = {
        "text.docx": b"plain text pretending to be a docx",
        "half.docx": sample_docx.read_bytes()[: sample_docx.stat().st_size // 2],
        "legacy.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    }
    zip_no_doc = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(zip_no_doc, "w") as z:
        z.writestr("hello.txt", "not a word document")
    paths = [zip_no_doc]
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        paths.append(p)
    for p in paths:
        with pytest.raises(LoaderError) as ei:
            load_document(p)
        assert "\n" not in str(ei.value), p.name
        assert str(ei.value), p.name
