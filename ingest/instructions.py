"""Chunks that read as instructions to an assistant, flagged at ingest (prompt injection).

A runbook is written to people: "escalate to the duty lead", "ignore alerts from staging". Text
written to a model is different: it talks about *its* instructions or rules, claims a role
("SYSTEM:", "you are now..."), asks for the prompt, or carries a chat template's tokens. Such a
chunk is kept and searchable (it may be a security write-up quoting an attack) but flagged
(`instruction_like` in its metadata), so an answer never rests on it alone and an LLM sees it
marked as untrusted.

The signals are deliberately about the model, not about topics: "ignore the previous version
of this SOP" or "System: Zendesk" alone flag nothing.
"""

from __future__ import annotations

import re

VERSION = "1"  # part of the ingest pipeline key: a new version re-flags every document

_F = re.IGNORECASE | re.MULTILINE
_STRONG = [
    # "ignore all previous instructions", "disregard any prior rules", "forget your guidelines"
    re.compile(r"\b(?:ignore|disregard|forget|override|bypass)\b[\s\w,'-]{0,30}?\b(?:all|any|every|your|my)\b[\s\w,'-]{0,30}?"
               r"\b(?:instructions?|rules|prompts?|guidelines|guardrails|directives|programming|policies)\b", _F),
    re.compile(r"\b(?:ignore|disregard|forget)\b[\s\w,'-]{0,20}?\b(?:previous|prior|above|earlier|preceding|system)\b"
               r"[\s\w'-]{0,20}?\b(?:instructions?|prompts?|messages?|rules)\b.{0,40}?\b(?:you|assistant|model|ai)\b", _F),
    # a role claimed for the model, or its prompt asked for
    re.compile(r"\byou are now (?:an? |in )?(?:ai|assistant|chatbot|dan|developer mode|maintenance mode|jailbroken|"
               r"unrestricted|unfiltered)\b|\bact as (?:an? )?(?:unrestricted|jailbroken|unfiltered|different) "
               r"(?:ai|assistant|model|chatbot)\b", _F),
    re.compile(r"\b(?:reveal|print|show|repeat|output|leak)\b[\s\w]{0,20}?\b(?:your|the)\s+(?:system\s+)?prompt\b", _F),
    re.compile(r"\bnew (?:system )?instructions?\s*:", _F),
    # chat-template markup that only a model would read
    re.compile(r"<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[/?INST\]|<</?SYS>>", _F),
    # orders addressed to the assistant by name
    re.compile(r"\b(?:assistant|chatbot|ai model|language model|llm)s?\b[,:]?\s+(?:must|should|shall|will|do not|don't|never)\b"
               r"[\s\w'-]{0,40}?\b(?:answer|respond|reply|tell|say|reveal|mention|include|output|ignore)\b", _F),
    re.compile(r"\b(?:do not|don't|never)\s+(?:tell|inform|reveal to|warn|show)\s+the\s+user\b", _F),
]
_WEAK = [
    re.compile(r"^\s*(?:system|assistant|developer)\s*(?:prompt|message)?\s*:", _F),  # a role label opening a line
    re.compile(r"\b(?:respond|answer|reply)\s+(?:only|always|exclusively)\s+(?:with|in|by)\b", _F),
    re.compile(r"\b(?:instead|rather),?\s+(?:tell|answer|respond|say)\b", _F),
    re.compile(r"\byou are (?:now|no longer)\b|\bfrom now on,? you\b", _F),  # common in prose to people too
    # "ignore the prior rules": a runbook may supersede its own earlier steps this way; with a
    # role label ("SYSTEM: ignore prior rules...") it is an injection
    re.compile(r"\b(?:ignore|disregard|forget)\b[\s\w'-]{0,20}?\b(?:previous|prior|above|earlier|preceding)\b"
               r"[\s\w'-]{0,20}?\b(?:instructions?|rules|prompts?|guidelines)\b", _F),
]


def instruction_signals(text: str) -> list[str]:
    """The patterns `text` matches, strong ones first (for logs and tests)."""
    strong = [f"strong:{i}" for i, p in enumerate(_STRONG) if p.search(text)]
    weak = [f"weak:{i}" for i, p in enumerate(_WEAK) if p.search(text)]
    return strong + weak


def reads_as_instructions(text: str) -> bool:
    """One strong signal, or two weak ones together."""
    signals = instruction_signals(text)
    return any(s.startswith("strong") for s in signals) or len(signals) >= 2
