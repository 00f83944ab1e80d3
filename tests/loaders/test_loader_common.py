from pathlib import Path

import pytest

from tests.loaders.loader_checks import check_doc
from ingest.document import BlockKind, LoaderError, UnsupportedFileType
from ingest.loaders import SUPPORTED_SUFFIXES, heading_text, load_document


def assert_one_line(exc: BaseException) -> None:
    msg = str(exc)
    assert msg and "\n" not in msg and "Traceback" not in msg and len(msg) <= 200


def test_supported_suffixes():
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"} <= set(SUPPORTED_SUFFIXES)


def test_unsupported_suffix(tmp_path: Path):
    p = tmp_path / "notes.xyz"
    p.write_text("hello")
    with pytest.raises(UnsupportedFileType) as ei:
        load_document(p)
    assert str(ei.value) == "unsupported file type: .xyz"
    assert isinstance(ei.value, LoaderError)


def test_missing_path(tmp_path: Path):
    with pytest.raises(LoaderError) as ei:
        load_document(tmp_path / "nope.pdf")
    assert str(ei.value) == "file not found"


def test_directory_is_not_a_file(tmp_path: Path):
    d = tmp_path / "folder.txt"
    d.mkdir()
    with pytest.raises(LoaderError) as ei:
        load_document(d)
    assert_one_line(ei.value)


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file_every_type(tmp_path: Path, suffix: str):
    p = tmp_path / f"empty{suffix}"
    p.write_bytes(b"")
    with pytest.raises(LoaderError) as ei:
        load_document(p)
    assert str(ei.value) == "empty file"


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_garbage_binary_formats(tmp_path: Path, suffix: str):
    p = tmp_path / f"garbage{suffix}"
    p.write_bytes(b"this is not really a " + suffix.encode() + b" file\x00\x01\x02" * 50)
    with pytest.raises(LoaderError) as ei:
        load_document(p)
    assert_one_line(ei.value)


def test_suffix_is_case_insensitive(tmp_path: Path):
    p = tmp_path / "UPPER.TXT"
    p.write_text("ARTICLE 1 - TERM\n\nThe term is one year.\n", encoding="utf-8")
    doc = load_document(str(p))  # str paths are accepted too
    assert doc.format == "txt"
    check_doc(doc)


def test_heading_text_strips_markdown(tmp_path: Path):
    p = tmp_path / "h.md"
    p.write_text("# The **Escalation** `SOP` #\n\nBody.\n\nSetext _title_\n---\n\n- [x](y)\n", encoding="utf-8")
    doc = load_document(p)
    heads = [b for b in doc.blocks if b.kind is BlockKind.heading]
    assert [heading_text(doc, b) for b in heads] == ["The Escalation SOP", "Setext title"]
    assert doc.block_text(heads[0]).startswith("# ")  # span covers the source line
