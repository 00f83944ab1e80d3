from pathlib import Path

import pytest

from tests.loaders.loader_checks import block_containing, check_doc
from ingest.document import BlockKind, LoaderError
from ingest.loaders import load_document

CONTRACT = """\
                         MASTER SERVICES AGREEMENT

This Master Services Agreement is entered into by the parties below.

ARTICLE 1 - DEFINITIONS

1.1 "Services" means the BPO services described in Schedule A.
1.2 "Fees" means the amounts set out in Schedule B.

12. TERMINATION
12.2 Termination for Convenience.
12.2 Either party may terminate this Agreement upon ninety days notice to the other party in writing.

                                   3

SCHEDULE A
Call handling, back-office processing and QA sampling.
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_text_is_file_content_and_structure(tmp_path: Path):
    p = write(tmp_path, "msa.txt", CONTRACT.encode("utf-8"))
    doc = load_document(p)
    check_doc(doc)
    assert doc.text == p.read_text(encoding="utf-8")
    assert doc.format == "txt"
    assert doc.title == "MASTER SERVICES AGREEMENT"
    heads = {doc.block_text(b): b.level for b in doc.blocks if b.kind is BlockKind.heading}
    assert heads == {
        "MASTER SERVICES AGREEMENT": 1,
        "ARTICLE 1 - DEFINITIONS": 1,
        "12. TERMINATION": 1,
        "12.2 Termination for Convenience.": 2,
        "SCHEDULE A": 1,
    }
    long_clause = block_containing(doc, "Either party may terminate")
    assert long_clause.kind is BlockKind.paragraph
    # the bare page number is not a block
    assert all(doc.block_text(b) != "3" for b in doc.blocks)


def test_bom_and_crlf_offsets_kept(tmp_path: Path):
    raw = "\ufeffSCOPE\r\n\r\nThe vendor answers calls.\r\nSecond line.\r\n".encode("utf-8")
    p = write(tmp_path, "bom.txt", raw)
    doc = load_document(p)
    check_doc(doc)
    assert doc.text == raw.decode("utf-8")  # BOM kept as U+FEFF, CRLF kept
    with open(p, encoding="utf-8", newline="") as fh:
        assert doc.text == fh.read()
    assert doc.text[0] == "\ufeff"
    first = doc.blocks[0]
    assert doc.block_text(first) == "SCOPE" and first.kind is BlockKind.heading
    para = block_containing(doc, "vendor")
    assert doc.block_text(para) == "The vendor answers calls.\r\nSecond line."


def test_cp1252_fallback(tmp_path: Path):
    text = "Fees \u2013 \u201cnet 30\u201d \u20ac100 caf\u00e9\n"
    p = write(tmp_path, "legacy.txt", text.encode("cp1252"))
    doc = load_document(p)
    check_doc(doc)
    assert doc.text == text


def test_utf16_with_bom(tmp_path: Path):
    p = write(tmp_path, "u16.txt", "SCHEDULE B\n\nPricing.\n".encode("utf-16"))
    doc = load_document(p)
    assert doc.text == "SCHEDULE B\n\nPricing.\n"


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" + bytes(range(256)) * 4,
        bytes(range(1, 32)) * 200,  # control characters, no NUL
    ],
)
def test_binary_txt_rejected(tmp_path: Path, data: bytes):
    p = write(tmp_path, "blob.txt", data)
    with pytest.raises(LoaderError) as ei:
        load_document(p)
    assert str(ei.value) == "binary content in a .txt file"


def test_whitespace_only_txt_has_no_blocks(tmp_path: Path):
    p = write(tmp_path, "blank.txt", b"  \n\n\t\n")
    doc = load_document(p)
    assert doc.text == "  \n\n\t\n" and doc.blocks == []
