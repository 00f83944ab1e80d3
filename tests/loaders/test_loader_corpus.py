"""Real files from the team's corpus (../shared/corpus); skipped where it is absent."""

import json
import re
from pathlib import Path

import pypdf
import pytest

from tests.loaders.loader_checks import check_doc, same_text_but_blanked_tags
from ingest.document import BlockKind, LoaderError
from ingest.loaders import heading_text, load_document

pytestmark = pytest.mark.shared  # needs ../shared/corpus (the `corpus` fixture skips without it)

PDFS = [
    "contracts/pdf/CORIOINC_07_20_2000-EX-10.5-LICENSE AND HOSTING AGREEMENT.pdf",
    "contracts/pdf/ADUROBIOTECH,INC_06_02_2020-EX-10.7-CONSULTING AGREEMENT.pdf",
]
DOCX = [
    "templates/common-paper/docx/common-paper-csa-with-sla.docx",
    "templates/gsa-18f/gsa-agile-contracts-pws-template.docx",
]
MARKDOWN = [
    "runbooks/prometheus-operator/node/NodeFilesystemSpaceFillingUp.md",
    "runbooks/prometheus-operator/kubernetes/KubePodCrashLooping.md",
    "runbooks/pagerduty/incident-response-docs/during/during_an_incident.md",
    "runbooks/pagerduty/goingoncall-docs/tech.md",
    "runbooks/pagerduty/postmortem-docs/how_to_write/writing.md",
    "templates/common-paper/markdown/cloud-service-agreement-CSA.md",
]
TXT = "contracts/CORIOINC_07_20_2000-EX-10.5-LICENSE AND HOSTING AGREEMENT.txt"


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.mark.parametrize("rel", PDFS)
def test_real_pdf(corpus: Path, rel: str):
    path = corpus / rel
    doc = load_document(path)
    check_doc(doc)
    assert len(doc.pages) == len(pypdf.PdfReader(path).pages)
    assert {b.page for b in doc.blocks} == set(range(1, len(doc.pages) + 1))
    assert any(b.kind is BlockKind.heading for b in doc.blocks)
    # same contract as the .txt: a clause from the text is in the PDF text
    txt = (corpus / "contracts" / (path.stem + ".txt")).read_text(encoding="utf-8")
    assert _squash(doc.text).count(" ") > 0.8 * _squash(txt).count(" ")


def test_real_pdf_page_numbers(corpus: Path):
    doc = load_document(corpus / PDFS[1])
    reader = pypdf.PdfReader(corpus / PDFS[1])
    page2 = reader.pages[1].extract_text()
    first_line = next(line for line in page2.splitlines() if len(line.strip()) > 30)
    hits = [b for b in doc.blocks if first_line.strip()[:30] in doc.block_text(b)]
    assert hits and all(b.page == 2 for b in hits)


def test_real_pdf_cut_in_half(corpus: Path, tmp_path: Path):
    data = (corpus / PDFS[0]).read_bytes()
    p = tmp_path / "half.pdf"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoaderError) as ei:
        load_document(p)
    assert "\n" not in str(ei.value)


@pytest.mark.parametrize("rel", DOCX)
def test_real_docx(corpus: Path, rel: str):
    doc = load_document(corpus / rel)
    check_doc(doc)
    kinds = {b.kind for b in doc.blocks}
    assert {BlockKind.heading, BlockKind.paragraph, BlockKind.table_row} <= kinds
    levels = {b.level for b in doc.blocks if b.kind is BlockKind.heading}
    assert {1, 2} <= levels
    assert doc.title
    # no cell repeated by python-docx's merged-cell expansion
    for b in doc.blocks:
        if b.kind is BlockKind.table_row:
            cells = doc.block_text(b).split(" | ")
            assert all(c != d for c, d in zip(cells, cells[1:]) if c), cells


def test_real_docx_common_paper_sections(corpus: Path):
    doc = load_document(corpus / DOCX[0])
    heads = {heading_text(doc, b): b.level for b in doc.blocks if b.kind is BlockKind.heading}
    assert heads.get("Restrictions & Obligations") == 1
    assert heads.get("Suspension.") == 2  # run-in title split from its clause text
    assert doc.title == "Cloud Service Agreement"


@pytest.mark.parametrize("rel", MARKDOWN)
def test_real_markdown(corpus: Path, rel: str):
    path = corpus / rel
    doc = load_document(path)
    check_doc(doc)
    same_text_but_blanked_tags(doc.text, path.read_text(encoding="utf-8"))
    assert any(b.kind is BlockKind.heading for b in doc.blocks)
    if doc.text.startswith("---"):
        fm_end = doc.text.index("\n---", 3) + 4
        assert doc.blocks[0].start >= fm_end


def test_all_markdown_text_is_exact(corpus: Path):
    files = sorted((corpus / "runbooks").rglob("*.md")) + sorted((corpus / "templates").rglob("*.md"))
    assert len(files) > 100
    for f in files:
        doc = load_document(f)
        same_text_but_blanked_tags(doc.text, f.read_text(encoding="utf-8"))
        check_doc(doc)


def test_real_txt_contract(corpus: Path):
    path = corpus / TXT
    doc = load_document(path)
    check_doc(doc)
    assert doc.text == path.read_text(encoding="utf-8")
    heads = [heading_text(doc, b) for b in doc.blocks if b.kind is BlockKind.heading]
    assert "2. GRANT OF RIGHTS." in heads
    assert doc.title == "CORIO INC. LICENSE AND HOSTING AGREEMENT"


def test_all_txt_contracts_keep_evaluation_spans(corpus: Path):
    """LegalBench-RAG spans are str offsets into the raw .txt: they must index doc.text."""
    data = json.loads((corpus / "annotations" / "legalbench_rag_cuad_queries.json").read_text())
    docs = {}
    n = 0
    for test in data["tests"]:
        for snip in test["snippets"]:
            rel = snip["file_path"]
            if rel not in docs:
                docs[rel] = load_document(corpus / rel)
            start, end = snip["span"]
            assert docs[rel].text[start:end] == snip["text"], (rel, start)
            n += 1
    assert n > 50
    for f in sorted((corpus / "contracts").glob("*.txt")):
        doc = docs.get(f"contracts/{f.name}") or load_document(f)
        assert doc.text == f.read_text(encoding="utf-8"), f
        check_doc(doc)
