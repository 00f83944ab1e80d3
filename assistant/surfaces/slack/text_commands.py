"""The commands a DM (or a mention) can carry as plain text: "clause termination for convenience",
"rca chat backlog on 2025-10-14", "escalate missed FCR SLA", "help"; anything else is a question.

A text ending in "?" is always a question, so "escalate to whom for a SEV-1?" is asked, not drafted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_COMMAND = re.compile(r"^\s*/?(ask|clauses?|rca|escalate)\b\s*[:\-–]?\s*(.*)$", re.I | re.S)
_HELP = re.compile(r"^\s*/?(help|\?)\s*$", re.I)
_CHATTER = re.compile(r"^(?:[\W_]*(?:thanks?(?: you)?|thx|ty|ok(?:ay)?|cool|great|nice|got it|perfect|:[a-z0-9_+\-]+:))+[\W_]*$", re.I)
_OTHER_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class TextCommand:
    kind: Literal["ask", "clause", "rca", "escalate", "help"]
    arg: str


def parse(text: str) -> TextCommand:
    text = (text or "").strip()
    if _HELP.match(text):
        return TextCommand("help", "")
    m = _COMMAND.match(text)
    if not m:
        return TextCommand("ask", text)
    word, rest = m.group(1).lower(), m.group(2).strip()
    if word == "ask":
        return TextCommand("ask", rest)
    if text.endswith("?"):
        return TextCommand("ask", text)
    if word.startswith("clause"):
        return TextCommand("clause", rest) if rest else TextCommand("ask", text)
    return TextCommand(word, rest)  # rca / escalate: an empty title is fine, the form asks for one


def addressed_to_someone_else(text: str, bot_user_id: str | None) -> bool:
    """In a thread the bot is part of, "thanks!" or a message @-mentioning a colleague is not for the bot."""
    if _CHATTER.match(text or ""):
        return True
    mentioned = set(_OTHER_MENTION.findall(text or ""))
    return bool(mentioned) and bot_user_id not in mentioned
