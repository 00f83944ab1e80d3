"""Masks secrets and personal data before text is embedded or stored.

By default (RedactionSettings): credentials and keys, payment card numbers, national id numbers
and IBANs; emails and phone numbers on request. Masking is length-preserving ('*' for each
character) so chunk offsets into the extracted text stay valid and citations still point at the
right place.

Rules run in a fixed order, each over the text the earlier ones masked, and a rule never matches
next to digits or '*': so a card is masked whole before the phone rule runs, and a number the card
rule rejected (it fails the Luhn check) is not half-masked by the phone rule as a phone number.
Numbers that only look like a card or an IBAN are left alone when their checksum fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.config import RedactionSettings


@dataclass(frozen=True)
class Rule:
    kind: str  # the RedactionSettings switch that turns it on
    pattern: re.Pattern
    # Whether a match really is one (a checksum, a key's name); sees the span that would be masked.
    valid: Callable[[re.Match], bool] = lambda m: True

    def span(self, m: re.Match) -> tuple[int, int]:
        return m.span("val") if "val" in self.pattern.groupindex and m.group("val") else m.span()


# -- checks ----------------------------------------------------------------------------------

def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _card(m: re.Match) -> bool:
    digits = re.sub(r"\D", "", m.group())
    # Card numbers start 2-6 (Mastercard 2-series, Amex/Diners/JCB 3, Visa 4, Mastercard 5, Discover/UnionPay 6).
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_ok(digits)


def iban_ok(text: str) -> bool:
    """ISO 13616: the country code and check digits moved to the end, letters as numbers, mod 97 is 1."""
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


_CREDENTIAL_PARTS = {"secret", "secrets", "password", "passwd", "pwd", "passphrase", "credential", "credentials"}
_KEY_QUALIFIERS = {"api", "access", "private", "secret", "signing", "encryption", "master", "account", "service"}


def credential_name(name: str) -> bool:
    """A compound key that names a credential: aws_secret_access_key, DB_PASSWORD, github-token,
    stripe.apiKey, signing_key; not max_tokens, token_budget or primary_key_column."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)  # camelCase parts: apiKey -> api Key
    parts = [p.lower() for p in re.split(r"[\s_.-]+", spaced) if p]
    last = parts[-1] if parts else ""
    # "token" and "key" name a credential as the last word (github_token, signing_key), not as a
    # qualifier (token_budget, key_column).
    return (bool(set(parts) & _CREDENTIAL_PARTS) or last in ("token", "apikey")
            or (last == "key" and bool(set(parts[:-1]) & _KEY_QUALIFIERS)))


# -- rules -----------------------------------------------------------------------------------

# Not inside a longer number or word, nor right after text already masked.
_START = r"(?<![\w*])"
_END = r"(?![\w*])"
_NO_MORE_DIGITS = r"(?![ .,-]?\d)"

_SECRET_RULES = [
    Rule("secrets", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----")),
    Rule("secrets", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),  # AWS access key id
    Rule("secrets", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),  # Slack tokens
    Rule("secrets", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),  # GitHub tokens
    Rule("secrets", re.compile(r"\bsk-[A-Za-z0-9_-]{20,}\b")),  # OpenAI-style keys
    Rule("secrets", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b")),  # JWTs
    # key = value / key: value where the key is a word that names a credential
    Rule("secrets", re.compile(
        r"(?i)\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|client[_-]?secret)"
        r"\b\s*[:=]\s*[\"']?(?P<val>[^\s\"']{6,})"
    )),
    # the same where the key is a compound name with a credential part: aws_secret_access_key: ...
    Rule("secrets", re.compile(r"(?<![\w.-])(?P<key>[A-Za-z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)+)[\"']?\s*[:=]\s*[\"']?"
                               r"(?P<val>[^\s\"']{6,})"),
         valid=lambda m: credential_name(m.group("key")) and set(m.group("val")) != {"*"}),
    Rule("secrets", re.compile(r"(?i)\b(?:https?|postgres(?:ql)?|mysql|mongodb|redis|amqp)://[^\s:/@]+:(?P<val>[^\s@/]+)@")),
]

_IBAN = Rule("ibans", re.compile(_START + r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?" + _END),
             valid=lambda m: iban_ok(m.group()))

_CARD = Rule("cards", re.compile(
    _START + r"(?:\d{13,19}"  # unbroken
    r"|\d{4}(?P<s1>[ -])\d{4}(?P=s1)\d{4}(?P=s1)\d{4}(?:(?P=s1)\d{1,3})?"  # 4-4-4-4 (16-19 digits)
    r"|\d{4}(?P<s2>[ -])\d{6}(?P=s2)\d{4,5})"  # 4-6-5 (Amex), 4-6-4 (Diners)
    + _END + _NO_MORE_DIGITS), valid=_card)

_NATIONAL_ID_RULES = [
    # US Social Security number: never area 000, 666 or 9xx, group 00 or serial 0000.
    Rule("national_ids", re.compile(_START + r"(?!000|666|9\d\d)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}"
                                    + _END + _NO_MORE_DIGITS)),
    # UK National Insurance number (prefixes the scheme never issues are excluded).
    Rule("national_ids", re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")),
    # Any id number its label names: "SSN: 123456789", "passport no. X1234567", "national id # 8812..."
    Rule("national_ids", re.compile(
        r"(?i)\b(?:ssn|social security (?:number|no\.?)|national (?:id|identity|insurance|identification) (?:number|no\.?)"
        r"|national id|passport (?:number|no\.?)|tax (?:id|identification) (?:number|no\.?))\s*[:#]?\s*"
        r"(?P<val>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,19})\b")),
]

_EMAIL = Rule("emails", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"))
_PHONE = Rule("phones", re.compile(
    r"(?<![\w*+])(?<!\d[ .-])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]\d{3,4}[\s.-]\d{3,4}" + _END + _NO_MORE_DIGITS))

# The order matters: keys and secrets first (their values may hold digits), then the numbers with a
# checksum, whole, before the looser national-id and phone shapes could take a piece of them.
RULES: list[Rule] = [*_SECRET_RULES, _IBAN, _CARD, *_NATIONAL_ID_RULES, _EMAIL, _PHONE]


def redact(text: str, settings: RedactionSettings) -> tuple[str, int]:
    """Returns the masked text (same length as the input) and how many spans were masked."""
    count = 0
    for rule in RULES:
        if getattr(settings, rule.kind):
            text, n = _mask(text, rule)
            count += n
    return text, count


def _mask(text: str, rule: Rule) -> tuple[str, int]:
    masked = 0

    def repl(m: re.Match) -> str:
        nonlocal masked
        if not rule.valid(m):
            return m.group()
        masked += 1
        start, end = rule.span(m)
        whole = m.group()
        return whole[: start - m.start()] + "*" * (end - start) + whole[end - m.start():]

    return rule.pattern.sub(repl, text), masked
