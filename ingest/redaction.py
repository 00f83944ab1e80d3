"""Masks secrets (and optionally emails/phone numbers) before text is embedded or stored.

Masking is length-preserving ('*' for each character) so chunk offsets into the extracted text
stay valid and citations still point at the right place.
"""

from __future__ import annotations

import re

from assistant.config import RedactionSettings

_SECRET_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),  # Slack tokens
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub tokens
    re.compile(r"\bsk-[A-Za-z0-9_-]{20,}\b"),  # OpenAI-style keys
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),  # JWTs
    # key = value / key: value where the key names a credential
    re.compile(
        r"(?i)\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|client[_-]?secret)"
        r"\b\s*[:=]\s*[\"']?(?P<val>[^\s\"']{6,})"
    ),
    re.compile(r"(?i)\b(?:https?|postgres(?:ql)?|mysql|mongodb|redis|amqp)://[^\s:/@]+:(?P<val>[^\s@/]+)@"),
]
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<!\w)(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]\d{3,4}[\s.-]\d{3,4}(?!\w)")


def _mask(text: str, pattern: re.Pattern) -> str:
    def repl(m: re.Match) -> str:
        if "val" in pattern.groupindex and m.group("val"):
            s, e = m.span("val")
            whole_s = m.start()
            inner = m.group(0)
            return inner[: s - whole_s] + "*" * (e - s) + inner[e - whole_s :]
        return "*" * len(m.group(0))

    return pattern.sub(repl, text)


def redact(text: str, settings: RedactionSettings) -> tuple[str, int]:
    """Returns the masked text (same length as the input) and how many spans were masked."""
    patterns = list(_SECRET_PATTERNS) if settings.secrets else []
    if settings.emails:
        patterns.append(_EMAIL)
    if settings.phones:
        patterns.append(_PHONE)
    count = 0
    for pattern in patterns:
        count += len(pattern.findall(text))
        text = _mask(text, pattern)
    return text, count
