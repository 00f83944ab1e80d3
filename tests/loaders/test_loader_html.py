from pathlib import Path

import pytest

from tests.loaders.loader_checks import block_containing, check_doc
from ingest.document import BlockKind, LoaderError
from ingest.loaders import load_document

PAGE = """<!DOCTYPE html><html><head><title>Escalation SOP</title>
<style>p { color: red }</style><script>var secret = 1;</script></head>
<body><nav><a href="/">Home</a> | <a href="/docs">Docs</a></nav>
<h1>Escalation <em>SOP</em></h1>
<p>Escalate P1 tickets <b>within</b> 15 minutes.<br>Use the bridge.</p>
<ul><li>Tier 1<ul><li>Agent</li></ul></li><li><p>Tier 2</p></li></ul>
<table><tr><th>Sev</th><th>Response</th></tr><tr><td>P1</td><td>15 min</td></tr></table>
<pre>kubectl get pods
  -n bpo</pre>
<h3>Contacts</h3><p>ops@example.com</p>
</body></html>"""


def test_html_structure(tmp_path: Path):
    p = tmp_path / "sop.htm"
    p.write_text(PAGE, encoding="utf-8")
    doc = load_document(p)
    check_doc(doc)
    assert doc.format == "html" and doc.title == "Escalation SOP"
    for hidden in ("secret", "color", "Home", "Docs"):
        assert hidden not in doc.text
    got = [(b.kind, b.level, doc.block_text(b)) for b in doc.blocks]
    assert got == [
        (BlockKind.heading, 1, "Escalation SOP"),
        (BlockKind.paragraph, 0, "Escalate P1 tickets within 15 minutes.\nUse the bridge."),
        (BlockKind.list_item, 0, "Tier 1"),
        (BlockKind.list_item, 0, "Agent"),
        (BlockKind.list_item, 0, "Tier 2"),
        (BlockKind.table_row, 0, "Sev | Response"),
        (BlockKind.table_row, 0, "P1 | 15 min"),
        (BlockKind.code, 0, "kubectl get pods\n  -n bpo"),
        (BlockKind.heading, 3, "Contacts"),
        (BlockKind.paragraph, 0, "ops@example.com"),
    ]
    assert block_containing(doc, "Agent").start > block_containing(doc, "Tier 1").end


def test_html_binary_rejected(tmp_path: Path):
    p = tmp_path / "x.html"
    p.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(LoaderError) as ei:
        load_document(p)
    assert "\n" not in str(ei.value)


def test_html_without_text(tmp_path: Path):
    p = tmp_path / "blank.html"
    p.write_text("<html><body><script>x()</script><img src=a.png></body></html>")
    with pytest.raises(LoaderError) as ei:
        load_document(p)
    assert str(ei.value) == "no text content"
