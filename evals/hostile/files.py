"""Hostile files, generated (never stored): bombs, lies, and shapes that hurt parsers.

Every maker writes one file at `path` with sizes given by the caller, so the test suite can use
small versions and `evals/hostile/run.py` the full ones. Large content is written as a stream:
making a 1 GB zip bomb needs no more memory than a small one.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BLOCK = 1 << 20


def _base_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Vendor escalation runbook", level=1)
    document.add_paragraph("Escalate a missed service level to the vendor manager within one business day.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bomb(path: Path, inflated_bytes: int) -> Path:
    """A valid .docx whose word/document.xml inflates to about `inflated_bytes` (a run of one
    letter compresses about 1000:1: 1 GB fits in ~1 MB)."""
    with zipfile.ZipFile(io.BytesIO(_base_docx())) as base, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, base.read(info))
                continue
            with out.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(f'<w:document xmlns:w="{_W_NS}"><w:body>'.encode())
                # Many ordinary paragraphs (one huge text node would trip lxml's own node limit).
                paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
                block = paragraph * (_BLOCK // len(paragraph))
                left = inflated_bytes
                while left > 0:
                    member.write(block)
                    left -= len(block)
                member.write(b"</w:body></w:document>")
    return path


def docx_lying_sizes(path: Path, inflated_bytes: int, claimed_bytes: int = 1000) -> Path:
    """A docx bomb whose zip headers claim word/document.xml is `claimed_bytes` long: a reader
    that trusts the central directory lets the full inflation through."""
    docx_bomb(path, inflated_bytes)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    # Local file header (PK\3\4): uncompressed size at +22; central directory (PK\1\2) at +24.
    for signature, size_at, name_len_at, header_len in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = data.find(signature)
        while at >= 0:
            name_len = struct.unpack_from("<H", data, at + name_len_at)[0]
            if bytes(data[at + header_len : at + header_len + name_len]) == name:
                if struct.unpack_from("<I", data, at + size_at)[0] != 0xFFFFFFFF:
                    struct.pack_into("<I", data, at + size_at, claimed_bytes)
                _patch_zip64_size(data, at, header_len, name_len, claimed_bytes)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def _patch_zip64_size(data: bytearray, at: int, header_len: int, name_len: int, claimed: int) -> None:
    """The zip64 extra field holds the real size when the header says 0xFFFFFFFF."""
    extra_len_at = at + (28 if header_len == 30 else 30)
    extra_len = struct.unpack_from("<H", data, extra_len_at)[0]
    pos = at + header_len + name_len
    end = pos + extra_len
    while pos + 4 <= end:
        tag, size = struct.unpack_from("<HH", data, pos)
        if tag == 0x0001 and size >= 8:
            struct.pack_into("<Q", data, pos + 4, claimed)
        pos += 4 + size


def pdf_shared_stream(path: Path, pages: int, stream_bytes: int) -> Path:
    """A small PDF whose pages all draw one large, highly compressible content stream: each page
    re-parses it, so the work is pages x stream_bytes."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    op = b"BT /F1 9 Tf 72 720 Td (Shared stream text for every page.) Tj ET\n"
    content = DecodedStreamObject()
    content.set_data(op * max(1, stream_bytes // len(op)))
    writer = PdfWriter()
    ref = writer._add_object(content.flate_encode())
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    for _ in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Contents")] = ref
        page[NameObject("/Resources")] = resources
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def pdf_pages(path: Path, pages: int, line: str = "Clause {n}. The vendor shall report monthly.") -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for n in range(1, pages + 1):
        c.drawString(72, 720, line.format(n=n))
        c.showPage()
    c.save()
    return path


def unbroken_text(path: Path, size: int, word: str = "lorem ") -> Path:
    """One line of `size` characters without a sentence end (word="" gives one single token)."""
    unit = (word or "x").encode()
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            block = (unit * (_BLOCK // len(unit) + 1))[: min(_BLOCK, left)]
            fh.write(block)
            left -= len(block)
    return path


def nested_markdown_list(path: Path, depth: int) -> Path:
    lines = [("  " * i) + f"- level {i} of a list nested too deep for any parser" for i in range(depth)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def many_paragraphs_html(path: Path, paragraphs: int) -> Path:
    body = "".join(f"<p>Paragraph {i}: escalate the ticket to the duty lead.</p>" for i in range(paragraphs))
    path.write_text(f"<html><body><h1>Long page</h1>{body}</body></html>", encoding="utf-8")
    return path
