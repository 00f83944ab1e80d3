"""The text rules the extractive answer and the verifier of model replies share: sentence spans,
words, which units (a sentence, list item or table row of a passage) can answer at all, and which
are only headings."""

from __future__ import annotations

import re

from assistant.answering import extractive

WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
STOP = frozenset("the a an of to and or for in on at by is are be what which who how when does do with under our we i".split())
# A unit shorter than this, or with fewer words, is a label or a fragment ("Yes.", "See 4.2"), not an answer.
MIN_UNIT_CHARS = 12
MIN_UNIT_WORDS = 3
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]|<[^<>\n]{1,40}>|\{\{[^{}\n]{1,40}\}\}|_{4,}")
_NUMBERING = re.compile(r"^\s*(?:(?:section|clause|article|schedule|exhibit|annex|appendix)\s+[\w.-]+|\(?\d+(?:\.\d+)*\)?)[.:]?\s+",
                        re.IGNORECASE)
_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to upon with".split())
# Two placeholders make a template: one bracket ("[1]", "<br>") occurs in ordinary text.
TEMPLATE_PLACEHOLDERS = 2
# A heading has at most this many words: more reads as a sentence even when every word is capitalised.
HEADING_MAX_WORDS = 7


def normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("“", '"').replace("”", '"').split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of model prose (and of passages quoted in drafts): every line break ends
    one, and an abbreviation's full stop ("Lumen BPO Services Ltd. Customer") does not; split
    there, the half without a citation would be dropped as unsupported."""
    return extractive.split_sentences(text, line_breaks_end=True)


def can_answer(display: str) -> bool:
    return (len(display) >= MIN_UNIT_CHARS and len(WORD.findall(display.lower())) >= MIN_UNIT_WORDS
            and not _is_template(display))


def _is_template(display: str) -> bool:
    """A fill-in template ("[SEV-x] Update [number] at [time PT]"): it shows what a message looks
    like, it states no fact, yet shares every word of a question about that message."""
    return len(_PLACEHOLDER.findall(display)) >= TEMPLATE_PLACEHOLDERS


def is_heading_line(display: str) -> bool:
    """A title read as a sentence: up to seven words, each significant one capitalised, no clause
    punctuation ("10.3 Additional Audits.", "Exit and Transition Assistance")."""
    text = _NUMBERING.sub("", display).strip().rstrip(".")
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    if not 1 <= len(words) <= HEADING_MAX_WORDS or re.search(r"[,;:()\d]", text):
        return False
    return all(w[0].isupper() for w in words if w.lower() not in _SMALL_WORDS)
