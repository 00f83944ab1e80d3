from pathlib import Path

from tests.loaders.loader_checks import block_containing, check_doc, same_text_but_blanked_tags
from ingest.document import BlockKind
from ingest.loaders import heading_text, load_document

RUNBOOK = """\
---
title: "Queue Backlog Runbook"
weight: 20
---

![banner](/img/banner.png)

# QueueBacklogHigh

## Meaning

The ticket queue has more than 500 items
for more than 15 minutes.

Impact
------

1. Page the on-call lead.
   - Check the dashboard.
   - Check the dialer.
2. Post in #ops-bpo.

| Severity | Response |
|----------|----------|
| P1       | 15 min   |
| P2       | 1 h      |

```bash
kubectl -n bpo get pods
```

    indented code line

<details>
<summary>Full context</summary>
</details>
"""


def test_markdown_structure(tmp_path: Path):
    p = tmp_path / "queue.md"
    p.write_text(RUNBOOK, encoding="utf-8")
    doc = load_document(p)
    check_doc(doc)
    same_text_but_blanked_tags(doc.text, p.read_text(encoding="utf-8"))  # the <details> tags are blanked
    assert doc.format == "markdown"
    assert doc.title == "QueueBacklogHigh"  # the H1 wins over the front-matter title

    # front matter and the banner image are not blocks
    assert doc.blocks[0].start > doc.text.index("---\n\n") + 3
    assert all("weight" not in doc.block_text(b) for b in doc.blocks)
    assert all("banner" not in doc.block_text(b) for b in doc.blocks)

    kinds = [(b.kind, b.level, heading_text(doc, b) if b.kind is BlockKind.heading else None)
             for b in doc.blocks if b.kind is BlockKind.heading]
    assert kinds == [
        (BlockKind.heading, 1, "QueueBacklogHigh"),
        (BlockKind.heading, 2, "Meaning"),
        (BlockKind.heading, 2, "Impact"),  # setext
    ]
    para = block_containing(doc, "ticket queue")
    assert para.kind is BlockKind.paragraph
    assert doc.block_text(para).endswith("for more than 15 minutes.")

    items = [doc.block_text(b) for b in doc.blocks if b.kind is BlockKind.list_item]
    assert items == [
        "1. Page the on-call lead.",
        "- Check the dashboard.",
        "- Check the dialer.",
        "2. Post in #ops-bpo.",
    ]
    rows = [doc.block_text(b) for b in doc.blocks if b.kind is BlockKind.table_row]
    assert rows == [
        "| Severity | Response |",
        "| P1       | 15 min   |",
        "| P2       | 1 h      |",
    ]
    code = [doc.block_text(b) for b in doc.blocks if b.kind is BlockKind.code]
    assert code == ["```bash\nkubectl -n bpo get pods\n```", "indented code line"]
    assert block_containing(doc, "Full context").kind is BlockKind.paragraph


def test_front_matter_title_fallback_and_only_front_matter(tmp_path: Path):
    p = tmp_path / "a.markdown"
    p.write_text("---\ntitle: Shift Handover\n---\n\n## Steps\n\nDo it.\n", encoding="utf-8")
    doc = load_document(p)
    check_doc(doc)
    assert doc.title == "Shift Handover"

    toml = tmp_path / "hugo.md"
    toml.write_text('+++\ntitle = "Dialer Outage"\n+++\n\nRestart the dialer.\n', encoding="utf-8")
    doc = load_document(toml)
    assert doc.title == "Dialer Outage"
    assert [doc.block_text(b) for b in doc.blocks] == ["Restart the dialer."]

    idx = tmp_path / "_index.md"
    idx.write_text("---\ntitle: node\nweight: 10\n---\n", encoding="utf-8")
    doc = load_document(idx)
    assert doc.blocks == [] and doc.title == "node"


def test_markdown_crlf_and_bom(tmp_path: Path):
    raw = "\ufeff# Title\r\n\r\nBody line one\r\nline two\r\n".encode("utf-8")
    p = tmp_path / "w.md"
    p.write_bytes(raw)
    doc = load_document(p)
    check_doc(doc)
    assert doc.text == raw.decode("utf-8")
    assert heading_text(doc, doc.blocks[0]) == "Title"
    assert doc.block_text(doc.blocks[1]) == "Body line one\r\nline two"


def test_numbered_section_list_items_become_headings(tmp_path: Path):
    # Common Paper style: "1. Uptime" holding the numbered clauses 1.1, 1.2
    src = (
        "# Service Level Agreement\n\n"
        '1. <span class="header_2">Uptime</span>\n'
        "    1. <span>Target Uptime.</span>  Provider will meet the Target Uptime.\n"
        "    2. <span>Calculating Uptime.</span>  Uptime is measured monthly.\n"
        "2. Remedies are limited to credits.\n"
    )
    p = tmp_path / "sla.md"
    p.write_text(src, encoding="utf-8")
    doc = load_document(p)
    check_doc(doc)
    heads = [(heading_text(doc, b), b.level) for b in doc.blocks if b.kind is BlockKind.heading]
    assert heads == [("Service Level Agreement", 1), ("Uptime", 2)]
    assert block_containing(doc, "Remedies").kind is BlockKind.list_item


EXPORTED = """\
# Data Processing Agreement

4. <span class="header_2">Security Incident Response</span>

    1. Upon becoming aware of a Security Incident, <span class="keyterms_link">Provider</span> will notify
       <span class="keyterms_link">Customer</span> within 72 hours.<!-- reviewed -->

<div align="center"><b>Schedule 1</b></div>

Run `<span>literal</span>` or `kubectl -n <namespace> get pods` as written; <namespace> is yours.

```html
<span class="kept">code</span>
```
"""


def test_html_tags_in_prose_are_blanked_offsets_kept(tmp_path: Path):
    p = tmp_path / "dpa.md"
    p.write_text(EXPORTED, encoding="utf-8")
    doc = load_document(p)
    check_doc(doc)  # blocks still start and end on text, not on the blanked tags
    assert len(doc.text) == len(EXPORTED)  # same length: every offset is the file's
    prose = " ".join(" ".join(doc.block_text(b).split()) for b in doc.blocks if b.kind is not BlockKind.code)
    assert "<span" not in prose.replace("`<span>literal</span>`", "") and "<!--" not in prose and "<b>" not in prose
    assert "Provider will notify Customer within 72 hours." in prose
    assert "Schedule 1" in prose
    # Text that only looks like markup stays: a placeholder, code spans and code blocks.
    assert "`<span>literal</span>`" in prose and "<namespace> is yours" in prose
    code = next(b for b in doc.blocks if b.kind is BlockKind.code)
    assert '<span class="kept">code</span>' in doc.block_text(code)
    heading = block_containing(doc, "Security Incident Response")
    assert heading_text(doc, heading) == "Security Incident Response"  # a list heading, its marker dropped
