"""Rule-based rewriting of follow-up questions into standalone queries (offline default).

"and for SEV-2?" after "how often do we send updates for a SEV-1?" becomes "how often do we send
updates for a SEV-2?": a token in the follow-up that has the same *shape* as one in the previous
question (SEV-1/SEV-2, 12.2/12.3, Level 2/Level 3) replaces it. Otherwise an elliptical follow-up
is appended to the previous question so retrieval keeps the topic.
"""

from __future__ import annotations

import re

from assistant.models import Turn

_LEAD = re.compile(r"^\s*(?:and|also|ok(?:ay)?|so|then|but)?[\s,]*(?:what|how)\s+about\s+|^\s*(?:and|also)\s+(?:for|in|with|on|about)?\s*", re.I)
_PRONOUN = re.compile(r"\b(it|its|that|this|they|them|those|these|there|same)\b", re.I)
_SHAPED = re.compile(r"\b[A-Za-z]{2,}-?\d+(?:\.\d+)*\b|\b\d+(?:\.\d+)+\b|\b(?:level|tier|sev|p|section|clause|step)\s*\d+\b", re.I)
_CONTENT = re.compile(r"[A-Za-z]{4,}")
# A question with at most this many content words ("and for SEV-2?") is a fragment of the one before.
FRAGMENT_WORDS = 2


def _shape(token: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", token.lower()))


def is_fragment(question: str) -> bool:
    """"and for SEV-2?", "what about chat?": a question that only makes sense after another."""
    q = question.strip()
    return bool(_LEAD.match(q)) and len(_CONTENT.findall(_LEAD.sub("", q))) <= FRAGMENT_WORDS


def rewrite(question: str, history: list[Turn]) -> str:
    previous = next((t.content for t in reversed(history) if t.role == "user"), None)
    if not previous:
        return question
    q = question.strip()
    new_tokens = _SHAPED.findall(q)
    old_tokens = _SHAPED.findall(previous)
    for new in new_tokens:
        for old in old_tokens:
            if _shape(old) == _shape(new) and old.lower() != new.lower():
                return previous.replace(old, new)
    elliptical = bool(_LEAD.match(q)) or len(_CONTENT.findall(q)) <= FRAGMENT_WORDS or bool(_PRONOUN.search(q))
    if not elliptical:
        return question
    rest = _LEAD.sub("", q).rstrip(" ?")
    return f"{previous.rstrip(' ?')} — {rest}?" if rest else previous
