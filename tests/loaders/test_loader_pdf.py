import io
import re
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.loaders.loader_checks import block_containing, check_doc
from ingest.document import BlockKind, LoaderError
from ingest.loaders import load_document

PAGES = [
    [
        "MASTER SERVICES AGREEMENT",
        "This Agreement is made between Acme BPO Ltd and Client Corp for the provision",
        "of contact centre services described in the schedules.",
        "ARTICLE 1 - DEFINITIONS",
        "1.1 \"Services\" means the inbound and outbound call handling services set out",
        "in Schedule A, including quality assurance.",
    ],
    [
        "12. TERMINATION",
        "12.2 Termination for Convenience.",
        "Either party may terminate this Agreement upon ninety days prior",
        "written notice to the other party.",
        "12.3 Effect of Termination.",
        "On termination the Supplier shall return all Client data within thirty days.",
    ],
    [
        "SCHEDULE A",
        "Service levels apply from the go-live date and are measured monthly.",
    ],
]


def make_pdf(pages, *, title=None, footer=True) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    if title:
        c.setTitle(title)
    for n, lines in enumerate(pages, start=1):
        y = 720
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
        if footer:
            c.drawString(72, 40, f"Acme BPO Confidential - Page {n} of {len(pages)}")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def msa_pdf(pdf_dir: Path) -> Path:
    p = pdf_dir / "msa.pdf"
    p.write_bytes(make_pdf(PAGES, title="Microsoft Word - msa.doc"))
    return p


def test_pdf_pages_and_blocks(msa_pdf: Path):
    doc = load_document(msa_pdf)
    check_doc(doc)
    assert doc.format == "pdf"
    assert len(doc.pages) == 3
    assert doc.text.count("\n\n") >= 2
    # the metadata title is a Word file name -> the first heading is used instead
    assert doc.title == "MASTER SERVICES AGREEMENT"

    clause = block_containing(doc, "ninety days")
    assert clause.page == 2
    assert clause.kind is BlockKind.paragraph
    assert "written notice to the other party." in doc.block_text(clause)  # wrapped lines joined
    assert doc.page_at(clause.start) == 2
    assert block_containing(doc, "quality assurance").page == 1
    assert block_containing(doc, "measured monthly").page == 3

    heads = {doc.block_text(b): (b.level, b.page) for b in doc.blocks if b.kind is BlockKind.heading}
    assert heads == {
        "MASTER SERVICES AGREEMENT": (1, 1),
        "ARTICLE 1 - DEFINITIONS": (1, 1),
        "12. TERMINATION": (1, 2),
        "12.2 Termination for Convenience.": (2, 2),
        "12.3 Effect of Termination.": (2, 2),
        "SCHEDULE A": (1, 3),
    }
    # the running footer is no block, and it is blanked in text with spaces of its own length,
    # so offsets stay those of the extracted text
    footer = re.compile(r"^Acme BPO Confidential - Page \d of 3$", re.MULTILINE)
    extracted = [page.extract_text() for page in pypdf.PdfReader(msa_pdf).pages]
    assert all(footer.search(t) for t in extracted)
    assert doc.text == "\n\n".join(footer.sub(lambda m: " " * len(m.group()), t) for t in extracted)
    for span in doc.pages:
        assert doc.text[span.start : span.end].strip()


def test_pdf_metadata_title(pdf_dir: Path):
    p = pdf_dir / "titled.pdf"
    p.write_bytes(make_pdf(PAGES[:1], title="Acme Contact Centre MSA"))
    assert load_document(p).title == "Acme Contact Centre MSA"


def _encrypt(data: bytes, user_password: str) -> bytes:
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    w.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_encrypted_with_empty_user_password_opens(pdf_dir: Path):
    p = pdf_dir / "open.pdf"
    p.write_bytes(_encrypt(make_pdf(PAGES), ""))
    doc = load_document(p)
    assert block_containing(doc, "ninety days").page == 2


def expect_error(path: Path, message: str | None = None) -> str:
    with pytest.raises(LoaderError) as ei:
        load_document(path)
    msg = str(ei.value)
    assert msg and "\n" not in msg
    if message is not None:
        assert msg == message
    return msg


def test_encrypted_with_password(pdf_dir: Path):
    p = pdf_dir / "locked.pdf"
    p.write_bytes(_encrypt(make_pdf(PAGES), "s3cret"))
    expect_error(p, "encrypted PDF (password required)")


def test_zero_text_pdf(pdf_dir: Path):
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 300, 400, fill=1)  # a "scanned" page: graphics, no text layer
    c.showPage()
    c.save()
    p = pdf_dir / "scan.pdf"
    p.write_bytes(buf.getvalue())
    expect_error(p, "no extractable text (scanned PDF? OCR is not supported)")


def test_truncated_generated_pdf(pdf_dir: Path):
    data = make_pdf(PAGES)
    p = pdf_dir / "cut.pdf"
    p.write_bytes(data[: len(data) // 2])
    expect_error(p)


@pytest.mark.parametrize(
    "data",
    [
        b"Hello, I am a text file with a .pdf name.\n" * 20,
        b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
    ids=["not-a-pdf", "garbage-body", "broken-catalog"],
)
def test_corrupt_pdf(pdf_dir: Path, data: bytes):
    p = pdf_dir / "bad.pdf"
    p.write_bytes(data)
    expect_error(p)
