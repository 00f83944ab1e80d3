"""Answers on a page: safe Markdown rendered with nothing live but our own marker links."""

from __future__ import annotations

import re

from assistant.models import Answer, Citation
from assistant.surfaces.web.markdown import answer_html, passage_url


def _answer(text: str, *ns: int) -> Answer:
    cites = [Citation(n=n, chunk_id=f"chunk-{n}", source=f"runbooks/doc{n}.md", quote=f"quote {n} & more",
                      section_path="Escalation", page_start=None, title=f"Doc {n}") for n in ns]
    return Answer(answer=text, grounded=True, citations=cites)


def _tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-z0-9]+)", html))


def test_cited_markers_link_to_their_passage_and_others_stay_text():
    html = str(answer_html(_answer("Escalate within 2 hours [1]. See also [7].", 1)))
    assert html.count('class="marker"') == 1
    assert f'href="{passage_url("chunk-1", "quote 1 & more").replace("&", "&amp;")}"' in html
    assert 'aria-label="Citation 1: open Doc 1 at the passage"' in html
    assert "[7]" in html and "chunk-7" not in html


def test_hostile_answers_render_only_paragraphs_code_and_our_links():
    hostile = ('<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) '
               '![x](https://evil.example/t.png?k=1) <https://evil.example> @channel\n\n'
               '# Heading\n\n- one\n- two [1]\n\nhttps://evil.example/a[1]b')
    html = str(answer_html(_answer(hostile, 1)))
    assert _tags(html) <= {"p", "ul", "li", "code", "a", "br", "em", "strong"}
    assert "<script" not in html and "<img" not in html and "<h1" not in html
    assert "[click](javascript:alert(3))" in html  # the link syntax reads as the words it is
    assert 'href="https://' not in html and "https://evil" not in html  # URLs defanged into code spans
    assert "hxxps://evil.example" in html and "&lt;script&gt;" in html
    links = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert links == [passage_url("chunk-1", "quote 1 & more").replace("&", "&amp;")]  # the list item's [1] only
    assert "<code>hxxps://evil.example/a[1]b</code>" in html  # a marker inside a URL stays text


def test_line_breaks_and_lists_survive_and_markup_characters_read_literally():
    html = str(answer_html(_answer("Steps:\n1. call the lead\n2. log it\nfee is 5*2_000 `x`", 1)))
    assert "<ol>" in html and "<li>call the lead</li>" in html
    assert "5*2_000 `x`" in html  # escaped by answer_markdown: no emphasis, no code span
