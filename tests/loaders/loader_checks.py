"""Assertions shared by the loader tests (``from tests.loaders.loader_checks import ...``)."""

from __future__ import annotations

from ingest.document import BlockKind, ParsedDocument


def check_doc(doc: ParsedDocument) -> None:
    """Offsets valid, blocks in order and non-overlapping, no empty/whitespace-edged block,
    headings have a level, page spans consistent."""
    n = len(doc.text)
    prev_end = 0
    for b in doc.blocks:
        assert 0 <= b.start < b.end <= n, b
        assert b.start >= prev_end, f"overlap/out of order at {b}"
        prev_end = b.end
        t = doc.block_text(b)
        assert t.strip(), b
        assert t == t.strip(), f"block has whitespace at its edges: {t[:40]!r}"
        if b.kind is BlockKind.heading:
            assert 1 <= b.level <= 6, b
        else:
            assert b.level == 0, b
    if doc.pages:
        assert [p.page for p in doc.pages] == list(range(1, len(doc.pages) + 1))
        for a, c in zip(doc.pages, doc.pages[1:]):
            assert a.end <= c.start
        assert doc.pages[-1].end <= n
        for b in doc.blocks:
            span = doc.pages[b.page - 1]
            assert span.start <= b.start and b.end <= span.end, b
    else:
        assert all(b.page is None for b in doc.blocks)


def block_containing(doc: ParsedDocument, needle: str):
    for b in doc.blocks:
        if needle in doc.block_text(b):
            return b
    raise AssertionError(f"no block contains {needle!r}")


def same_text_but_blanked_tags(text: str, original: str) -> None:
    """`text` is `original` character for character, except HTML tags blanked with as many spaces
    (the Markdown loader's only change: offsets stay the file's)."""
    import re

    assert len(text) == len(original)
    blanked = re.sub(r"<!--.*?-->|<[^<>]*>", lambda m: " " * len(m.group()) if not text[m.start():m.end()].strip()
                     else m.group(), original, flags=re.DOTALL)
    assert text == blanked
