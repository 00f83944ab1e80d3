"""Escalation contacts and the notices clause read from the contract itself, for contracts whose
escalation path is written as clauses rather than a matrix table.

"Operational issues shall first be raised with the Supplier Service Delivery Manager, Dana Reyes
(dana.reyes@example.com). If not resolved within five (5) Business Days, the matter shall be
escalated to the Supplier Account Director, Omar Haddad (omar.haddad@example.com)." gives two
levels of contacts, each cited to its sentence. Clauses are found by their type (Governance,
Notices) through the clause classifier, in the incident's contract first and then in the other
contracts that name the vendor.
"""

from __future__ import annotations

import re

from assistant.answering.units import split_sentences
from assistant.drafting.matrix import Contact
from assistant.errors import AssistantError

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME = r"(?:Mr\.?\s+|Ms\.?\s+|Mrs\.?\s+|Dr\.?\s+)?[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-z'\u2019]+)){1,3}"
_ROLE = (r"(?:(?:the|its|our|their|a)\s+)?(?:(?:[A-Z][A-Za-z&/-]*|of|for|and)\s+){0,5}(?:Manager|Director|Lead|Officer|Head|Executive|"
         r"Coordinator|Representative|Owner|Sponsor|President|Counsel|Administrator|Supervisor|Engineer|Partner|Principal)")
_CONTACT_PATTERNS = [
    # "the Supplier Service Delivery Manager, Dana Reyes (dana.reyes@example.com)"
    re.compile(rf"(?P<role>{_ROLE})\s*[,:]\s*(?P<name>{_NAME})\s*[,(]?\s*(?:at\s+|email:?\s*)?(?P<email>{EMAIL.pattern})?"),
    # "Dana Reyes, Service Delivery Manager (dana.reyes@example.com)"
    re.compile(rf"(?P<name>{_NAME})\s*,\s*(?P<role>{_ROLE})\s*[,(]?\s*(?:at\s+|email:?\s*)?(?P<email>{EMAIL.pattern})?"),
]
_ESCALATION = re.compile(r"(?i)\b(?:escalat\w*|raised?\s+with|refer(?:red)?\s+to|first\s+(?:be\s+)?(?:raised|notified|contacted)|"
                         r"point\s+of\s+contact|contact\s+(?:for|is)|responsible\s+for\s+(?:the\s+)?(?:day-to-day|operational))")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


def sentences_of(result) -> list[str]:
    """A clause's sentences with line wraps joined: contacts and addresses often wrap mid-sentence."""
    text = " ".join(result.text.split())
    return [text[a:b].strip() for a, b in split_sentences(text) if text[a:b].strip()]


def clause_hits(ctx, type_name: str, k: int = 3) -> list:
    """Clauses of `type_name`: the incident's contract's first, then those of the other contracts
    that name the vendor (an SOW's notices and governance clauses usually sit in its MSA)."""
    contracts = ctx.contracts
    if contracts is None or not ctx.contract_available:
        return []
    try:
        own = contracts.lookup(type_name, ctx.caller, source=ctx.contract_source, k=k)
        anywhere = contracts.lookup(type_name, ctx.caller, k=k * 3)
    except AssistantError:
        return []
    words = [w for w in re.findall(r"[a-z0-9]+", (ctx.incident.vendor or "").lower()) if len(w) > 3
             and w not in ("services", "limited", "group", "global", "solutions")]
    others = [h for h in anywhere.results if anywhere.found and h.source != ctx.contract_source and words
              and any(w in (h.text + " " + h.source).lower() for w in words)][:k]
    return (list(own.results) if own.found else []) + others


def prose_contacts(ctx, results: list) -> list[Contact]:
    """Contacts named in escalation sentences, in the order the contract escalates (level 1 first)."""
    contacts: list[Contact] = []
    for r in results:
        for sentence in sentences_of(r):
            if not _ESCALATION.search(sentence):
                continue
            for m in _matches(sentence):
                name, role = m.group("name").strip(), _tidy_role(m.group("role"))
                if any(c.name == name for c in contacts) or _not_a_person(name):
                    continue
                email = m.group("email") or _email_after(sentence, m.end())
                phone = _PHONE.search(sentence[m.end() : m.end() + 60])
                contacts.append(Contact(level=len(contacts) + 1, role=role, name=name, email=email or "",
                                        phone=phone.group(0).strip() if phone else "", response_time="", table="contract",
                                        result=r, line=sentence))
    return contacts


def _matches(sentence: str) -> list[re.Match]:
    found: list[re.Match] = []
    for pattern in _CONTACT_PATTERNS:
        for m in pattern.finditer(sentence):
            if not any(m.start() < f.end() and f.start() < m.end() for f in found):
                found.append(m)
    return sorted(found, key=lambda m: m.start())


def _tidy_role(role: str) -> str:
    return " ".join(re.sub(r"(?i)^(?:the|its|our|their|a)\s+", "", role).split())


def _not_a_person(name: str) -> bool:
    return bool(re.search(r"(?i)\b(?:business|days?|service|level|agreement|supplier|customer|party|parties|notice)\b", name))


def _email_after(sentence: str, pos: int) -> str:
    m = EMAIL.search(sentence, pos, pos + 80)
    return m.group(0) if m else ""


def notice_form(hits: list) -> tuple[object, str] | None:
    """(hit, sentence) saying how notices must be given ("must be in writing and delivered by ...")."""
    for h in hits:
        for s in sentences_of(h):
            if re.search(r"(?i)\bnotices?\b.{0,80}\b(?:in\s+writing|deliver\w*|sent\s+by|given\s+by|e-?mail|courier)", s):
                return h, s
    return None


def notice_address(hits: list, vendor: str) -> tuple[object, str, list[str], list[str]] | None:
    """(hit, sentence, emails, 'Attention:' names) of the notice address for the vendor's side: the
    sentence naming the vendor (or the supplier role) with an email or an attention line."""
    words = [w for w in re.findall(r"[a-z0-9]+", vendor.lower()) if len(w) > 3 and w not in ("services", "limited")]
    side = re.compile(r"(?i)\b(?:supplier|vendor|service\s+provider|provider|contractor|" + "|".join(map(re.escape, words or ["zzz"])) + r")\b")
    for h in hits:
        for s in sentences_of(h):
            emails = list(dict.fromkeys(EMAIL.findall(s)))
            attention = [a.strip(" ,;") for a in re.findall(r"(?i)Attn?(?:ention)?\s*[:.]\s*([^,;\n]{3,60})", s)]
            if (emails or attention) and side.search(s):
                return h, s, emails, attention
    return None
