"""An answer on a page: its safe Markdown (`Answer.answer_markdown`: HTML, mentions and link or
image syntax already inert, URLs defanged into code spans) rendered to HTML with raw HTML, links,
images and headings switched off, and its `[n]` markers made into links to the cited passages.

Every character of text in the output is escaped by the renderer; the only markup added here is
the marker links, whose targets are our own passage URLs. Citation quotes are not rendered as
Markdown: they are shown verbatim (autoescaped), the words exactly as the document writes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup, escape

from assistant.models import Answer

_MARKER = re.compile(r"\[(\d{1,3})\]")
_TAG = re.compile(r"(<[^>]*>)")
QUOTE_IN_URL = 600  # characters of a quote carried to the viewer (enough to find it in the passage)


@lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    # Paragraphs, line breaks, lists, emphasis and code spans stay; nothing that links, embeds or
    # turns a line into a heading (an answer's sentence is never a page heading).
    return md.disable(["link", "image", "autolink", "html_inline", "html_block", "heading", "lheading", "reference"])


def render(markdown: str) -> Markup:
    return Markup(_renderer().render(markdown or ""))


def passage_url(chunk_id: str, quote_text: str = "") -> str:
    """The viewer at a passage, with the quote to mark inside it."""
    url = "/passages/" + quote(chunk_id, safe="")
    if quote_text:
        url += "?q=" + quote(quote_text[:QUOTE_IN_URL], safe="")
    return url + "#passage"


def answer_html(answer: Answer) -> Markup:
    """The answer as HTML with each cited `[n]` a link to its passage."""
    cited = {c.n: c for c in answer.citations}

    def href(n: int) -> str | None:
        c = cited.get(n)
        return passage_url(c.chunk_id, c.quote) if c else None

    def label(n: int) -> str:
        c = cited[n]
        return f"Citation {n}: open {c.title or c.source} at the passage"

    return with_markers(answer.answer_markdown, href, label)


def with_markers(markdown: str, href: Callable[[int], str | None], label: Callable[[int], str]) -> Markup:
    """The rendered Markdown with each `[n]` that `href` knows turned into a link to it."""
    parts = _TAG.split(str(render(markdown)))
    in_code = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag: track code spans and blocks, where a [n] is literal text (part of a URL)
            if re.match(r"<(code|pre)\b", part):
                in_code += 1
            elif re.match(r"</(code|pre)>", part):
                in_code = max(0, in_code - 1)
        elif not in_code:  # text between tags only: never inside a tag or attribute
            parts[i] = _MARKER.sub(lambda m: _link(m, href, label), part)
    return Markup("".join(parts))


def _link(m: re.Match, href, label) -> str:
    n = int(m.group(1))
    target = href(n)
    if target is None:
        return m.group(0)
    return f'<a class="marker" href="{escape(target)}" aria-label="{escape(label(n))}">[{n}]</a>'
