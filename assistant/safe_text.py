"""Document text made safe to render as Markdown (OWASP LLM05: improper output handling).

Retrieved text is data. A runbook can hold `<!channel>`, a `<@U…>` mention, a Slack link whose
label hides its target (`<https://evil.example|Open the SOP>`), or a Markdown image whose URL
carries a token out the moment a client renders it. `safe_markdown` returns text that renders
as exactly the words of the source with none of that live:

* `&`, `<`, `>` become HTML entities: no HTML, no Slack mention, broadcast or `<url|label>` link,
  no `<https://…>` autolink;
* a URL becomes an inert code span with its scheme defanged (`hxxps://evil.example/…`): it
  reads as a URL but no renderer links it or fetches it (images included);
* the Markdown characters that link, quote code or emphasise are escaped (`\\[`, `\\*`, `` \\` ``), so `[label](url)`, `![](url)` and
  reference links cannot form and no emphasis or code span can swallow the text around it;
* `@channel`, `@here` and `@everyone` get a word joiner after the `@`, so no client turns them
  into a broadcast.

Pure functions, no state: the JSON responses carry both the raw `quote` (verbatim, for
checking against the document) and these safe forms (for showing).
"""

from __future__ import annotations

import re

_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`|]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
# What can form a link, an image, a code span or emphasis that swallows the text around it;
# headings and list markers only change the layout, and are left as written.
_MARKDOWN = re.compile(r"([\\`*_\[\]~])")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_WORD_JOINER = "\u2060"


def defang_url(url: str) -> str:
    """`https://a.example/x` -> `hxxps://a.example/x` (a URL to read, not to follow)."""
    return re.sub(r"^(h)tt(ps?)", r"\1xx\2", url, flags=re.IGNORECASE).replace("ftp://", "fxp://")


def _escape_plain(text: str) -> str:
    text = _MARKDOWN.sub(r"\\\1", text)
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)


def _code_span(text: str) -> str:
    # A URL holds no backtick (see _URL), so one backtick on each side is a closed span.
    return f"`{text}`"


def safe_markdown(text: str) -> str:
    """`text` as Markdown that renders literally, with links, images, HTML and mentions inert."""
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        url = m.group().rstrip(_TRAILING)
        end = m.start() + len(url)
        out.append(_escape_plain(text[pos : m.start()]))
        out.append(_code_span(defang_url(url)))
        pos = end
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def safe_quote_markdown(quote: str) -> str:
    """A citation quote for display: whitespace runs collapsed (the raw quote keeps the chunk's),
    then made safe."""
    return safe_markdown(" ".join(quote.split()))
