"""The obligation register: every sentence in which a party shall / must / will / agrees to /
is responsible for doing something, with who owes it to whom, the action, its deadline or
recurrence, any condition or trigger, and the clause and page it sits in. "May" sentences are kept
apart as rights. Only sentences whose grammatical subject is a party (a defined term such as
"Supplier", a party's name, or "each/either/neither Party") are taken: "Audits shall take place
during business hours" binds nobody in particular and is left out rather than guessed.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, Field

from assistant.contracts.document import ContractDoc
from assistant.contracts.parties import extract_parties, party_aliases
from assistant.text.quantities import durations
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import sentence_spans, squash

Kind = Literal["obligation", "prohibition", "right"]

ROLE_WORDS = [
    "Service Provider", "Customer", "Supplier", "Provider", "Vendor", "Contractor", "Subcontractor", "Consultant",
    "Company", "Client", "Licensee", "Licensor", "Processor", "Controller", "Sub-processor", "Recipient", "Discloser",
    "Disclosing Party", "Receiving Party", "Buyer", "Seller", "Purchaser", "Distributor", "Manufacturer", "Agent",
    "Owner", "Lessee", "Lessor", "Reseller", "Partner", "Host", "Co-Host", "Developer", "Operator", "Servicer",
    "Indemnifying Party", "Indemnified Party", "Party A", "Party B", "Party C", "Member", "Executive", "Employee", "Publisher", "Advertiser",
]
_ROLE_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ROLE_WORDS), key=len, reverse=True)) + r")\b")
_MODALS = (
    r"(?P<modal>shall\s+not|shall|must\s+not|must|will\s+not|will|may\s+not|may|cannot|"
    r"agrees?\s+not\s+to|agrees?\s+to|undertakes?\s+to|covenants?\s+to|is\s+required\s+to|are\s+required\s+to|"
    r"(?:is|are|shall\s+be|will\s+be)\s+(?:solely\s+|fully\s+)?responsible\s+for|"
    r"(?:is|are)\s+(?:entitled|permitted)\s+to|has\s+the\s+right\s+to|have\s+the\s+right\s+to|shall\s+have\s+the\s+right\s+to)"
)
_ADVERBS = r"(?:(?:also|promptly|then|further|hereby|itself|thereafter|forthwith|immediately|each|in\s+(?:good\s+faith|writing)|at\s+(?:its|their)\s+(?:own\s+)?(?:sole\s+)?(?:cost|expense|option|discretion)(?:\s+and\s+expense)?|,)\s*)*"
_NOT_OBLIGATION = re.compile(
    r"^(?:in\s+no\s+event\s+|not\s+)?(?:be\s+liable|be\s+responsible\s+(?:only|solely\s+for\s+its\s+own)\b)|"
    r"^(?:be\s+under\s+no\s+obligation|be\s+released\s+from|benefit\s+from|enter\s+into\s+possession|"
    r"have\s+(?:full\s+|sole\s+|only\s+|the\s+)?(?:such\s+)?(?:power|authority|access|duties|responsibilities|powers)\b)|"
    r"^(?:be\s+deemed|be\s+construed|be\s+governed|be\s+interpreted|mean|have\s+the\s+meaning|be\s+liable|not\s+be\s+liable|"
    r"have\s+(?:no|any)\s+(?:liability|obligation|right)|not\s+be\s+(?:deemed|construed|required|obligated|responsible\s+for\s+any\s+(?:delay|failure))|"
    r"be\s+entitled|be\s+(?:an?|the)\s+|be\s+binding|survive|remain\s+in|apply|not\s+apply|continue\s+to\s+be|inure|"
    r"own\b|retain\s+(?:\w+\s+){0,2}(?:rights?|title|ownership)|have\s+(?:only\s+)?(?:such\s+)?(?:access|power|authority)\b|"
    r"be\s+and\s+remain\b|remain\s+(?:an?|the)\s+|be\s+effective|become\s+effective|terminate\s+(?:automatically|immediately\s+upon)|be\s+void|be\s+null|prevail|control|govern)",
    re.I,
)
_CONDITION = re.compile(
    r"^\s*(?P<cond>(?:if|where|in\s+the\s+event(?:\s+that)?|unless|provided\s+that|subject\s+to|except\s+(?:as|for|where)|"
    r"notwithstanding|to\s+the\s+extent|when|whenever|in\s+case|should|upon|on|following|after|before|prior\s+to|during|within|"
    r"beginning|from)\b[^;]{3,300}?),\s+(?=(?:the\s+|each\s+|either\s+|neither\s+|both\s+)?[A-Z])",
    re.I,
)
_DEADLINE = re.compile(
    r"\b(?:within|no\s+later\s+than|not\s+later\s+than|at\s+least|not\s+less\s+than|no\s+less\s+than)\s+"
    r"[^,;.]{0,40}?\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b(?:['\u2019]s?)?"
    r"(?:\s+(?:after|of|from|following|before|prior\s+to|following\s+receipt\s+of|of\s+receipt\s+of)\s+[^,;.]{1,90})?"
    r"|\bby\s+(?:the\s+)?(?:\w+\s+)?(?:\(\d+(?:st|nd|rd|th)?\)\s+)?(?:business\s+)?day\s+of\s+each\s+(?:month|quarter|year)"
    r"|\bby\s+\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?[^,;.]{0,60}"
    r"|\b(?:on\s+or\s+before|no\s+later\s+than|by)\s+(?:[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"|\bwithin\s+the\s+(?:time|period|timeframe|time\s+frame)s?\s+(?:stated|set\s+out|set\s+forth|specified|agreed)\s+in\s+[^,;.]{1,60}"
    r"|\bwithout\s+undue\s+delay\b(?:[^,;.]{0,20}\bin\s+any\s+event\s+within\s+[^,;.]{1,60})?"
    r"|\b(?:promptly|immediately|forthwith)\b",
    re.I,
)
_RECURRENCE = re.compile(
    r"\b(?:daily|weekly|monthly|quarterly|annually|yearly|semi-?annually|bi-?weekly|fortnightly|in\s+arrears)\b"
    r"|\b(?:each|every|per)\s+(?:calendar\s+|business\s+)?(?:day|week|month|quarter|year|anniversary)\b"
    r"|\bevery\s+[^,;.]{0,25}?\b(?:hours?|days?|weeks?|months?|years?)\b"
    r"|\bat\s+least\s+(?:once|twice|\w+\s+times)\s+(?:a|per|every|each|in\s+any)\s+[^,;.]{0,30}?\b(?:month|quarter|year|months|years)\b"
    r"|\bon\s+each\s+anniversary\b",
    re.I,
)
_TRIGGER = re.compile(
    r"\b(?:upon|on|following|after|in\s+the\s+event\s+of)\s+(?:the\s+)?(?:any\s+)?"
    r"(?:(?:expiry|expiration|termination)(?:\s+or\s+(?:earlier\s+)?(?:expiry|expiration|termination))?(?:\s+of\s+this\s+agreement)?"
    r"|[A-Z]?[a-z]+['\u2019]s\s+(?:written\s+)?request|(?:written\s+)?request|receipt\s+of\s+[^,;.]{1,60}|notice\s+of\s+[^,;.]{1,60}|"
    r"becoming\s+aware\s+of\s+[^,;.]{1,60}|the\s+occurrence\s+of\s+[^,;.]{1,60})",
    re.I,
)


# "shall be required/obligated/bound to ..." still binds the subject.
_ACTIVE_PARTICIPLES = {"required", "obligated", "bound", "prepared", "committed", "expected", "authorized", "allowed", "permitted",
                       "entitled", "compensated", "paid", "reimbursed", "licensed", "insured", "registered", "qualified",
                       "organized", "incorporated", "located", "based", "staffed", "equipped"}


class Obligation(BaseModel):
    id: str
    source: str
    kind: Kind  # obligation | prohibition | right
    obligated_party: str  # the party's name when the defined term resolves ("Lumen BPO Services Ltd.")
    party_term: str  # as written in the sentence ("Supplier", "Either Party")
    counterparty: str = ""
    modal: str  # "shall", "must", "agrees to", "may", ...
    action: str  # what is to be done, as written (one line)
    deadline: str = ""  # "within 5 business days of any SLA miss"
    deadline_days: int | None = None
    deadline_business_days: bool = False
    recurrence: str = ""  # "monthly", "at least once every twelve (12) months"
    trigger: str = ""  # "upon termination", "on Customer's request"
    condition: str = ""  # "If Supplier fails to meet a Service Level"
    clause_no: str = ""  # only a number that occurs in the text
    clause_heading: str = ""
    page: int | None = None
    citation: SourceSpan


class ObligationRegister(BaseModel):
    sources: list[str] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    rights: list[Obligation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def _party_pattern(terms: list[str]) -> str:
    alts = sorted({re.escape(t.strip()) for t in terms if t and t.strip()}, key=len, reverse=True)
    if not alts:  # no defined terms: only "each/either/neither Party" and "the Parties" can be subjects
        return r"(?P<subj>(?i:(?:each|either|neither|both)\s+(?:of\s+the\s+)?part(?:y|ies)|the\s+parties|the\s+party))"
    party = "|".join(alts)
    return (
        r"(?P<subj>(?i:each\s+of\s+(?:the\s+)?)?(?:" + party + r")\s+and\s+(?:the\s+)?(?:" + party + r")(?=\s+(?:shall|will|must|agree|each|are|jointly|hereby))|"
        r"(?:(?i:the|each|either|neither|both|such|a|any)\s+)?(?:" + party + r")|"
        r"(?i:(?:each|either|neither|both)\s+(?:of\s+the\s+)?part(?:y|ies)|the\s+parties|the\s+party))"
    )


class ObligationExtractor:
    def __init__(self, doc: ContractDoc):
        self.doc = doc
        self.parties = extract_parties(doc)
        self.aliases = party_aliases(self.parties)
        present = set(_ROLE_RE.findall(doc.clean))
        terms = list(self.aliases) + [w for w in ROLE_WORDS if w in present]
        self.terms = terms
        party = _party_pattern(terms)
        self.subject_modal = re.compile(party + r"(?:['\u2019]s?)?\s*,?\s*" + _ADVERBS + _MODALS + r"\b")
        self.appositive = re.compile(r"^" + party + r"\s*,[^;]{5,160}?,\s*" + _MODALS + r"\b")
        self.carry_modal = re.compile(r"(?:,\s*(?:and|or)?|;\s*(?:and|or)?|\band|\bor)\s+" + _ADVERBS + _MODALS + r"\b")
        self.party_in_text = re.compile(r"\b(" + "|".join(sorted({re.escape(t) for t in terms}, key=len, reverse=True)) + r")\b") if terms else None

    def extract(self) -> ObligationRegister:
        register = ObligationRegister(sources=[self.doc.source])
        seen: set[str] = set()
        for a, b in sentence_spans(self.doc.clean):
            sentence = self.doc.clean[a:b]
            if " | " in sentence or len(sentence) < 15 or re.search(r"[\"\u201d]\s+(?:means|shall\s+mean)\b", sentence):
                continue
            for ob in self._from_sentence(a, b):
                if ob.id in seen:
                    continue
                seen.add(ob.id)
                (register.rights if ob.kind == "right" else register.obligations).append(ob)
        if not self.parties:
            register.notes.append(f"{self.doc.source}: no defined parties found; party names are the terms as written")
        return register

    # -- one sentence -----------------------------------------------------------------------
    def _from_sentence(self, a: int, b: int) -> list[Obligation]:
        text = self.doc.clean
        body_start = self._skip_clause_heading(a, b)
        sentence = text[body_start:b]
        found: list[tuple[int, int, str, str]] = []  # (subject start, modal end, subject, modal)
        for m in self.subject_modal.finditer(sentence):
            if not self._subject_position_ok(sentence, m.start("subj")):
                continue
            found.append((m.start("subj"), m.end("modal"), m.group("subj"), m.group("modal")))
        ap = self.appositive.match(sentence)
        if ap and not any(s == ap.start("subj") for s, *_ in found):
            found.insert(0, (ap.start("subj"), ap.end("modal"), ap.group("subj"), ap.group("modal")))
        if not found:
            return []
        found.sort()
        # Coordinated verbs: "..., shall protect it ..., and shall disclose ..." keep the last subject.
        extra = []
        for m in self.carry_modal.finditer(sentence):
            if any(abs(m.end("modal") - e) < 3 for _, e, _, _ in found) or m.start() < found[0][1]:
                continue
            prev = [f for f in found if f[1] <= m.start()]
            if prev:
                extra.append((m.start("modal"), m.end("modal"), prev[-1][2], m.group("modal")))
        items = sorted(found + extra, key=lambda f: f[1])
        out: list[Obligation] = []
        for i, (s, e, subj, modal) in enumerate(items):
            end = items[i + 1][0] if i + 1 < len(items) else len(sentence)
            action = sentence[e:end]
            ob = self._build(a, b, body_start, s, e, subj, modal, action, sentence)
            if ob:
                if not ob.counterparty and out and out[-1].party_term == ob.party_term:
                    ob.counterparty = out[-1].counterparty  # "..., and shall disclose it": same counterparty
                out.append(ob)
        return out

    def _skip_clause_heading(self, a: int, b: int) -> int:
        """Start of the sentence body after a leading '12.2 Termination for Convenience.' or '(a)'."""
        text = self.doc.clean[a:b]
        m = re.match(r"\s*(?:(?:section|clause|article)\s+)?\d{1,3}(?:\.\d{1,3})*\.?\s+(?:[A-Z][\w ,&/'-]{0,60}?\.\s+(?=[A-Z]))?", text, re.I)
        offset = m.end() if m else 0
        sub = re.match(r"\s*\((?:[a-z]{1,3}|[ivx]{1,5}|\d{1,2})\)\s*", text[offset:])
        if sub:
            offset += sub.end()
        return a + offset

    def _subject_position_ok(self, sentence: str, pos: int) -> bool:
        """The party must open the clause: the sentence start, or right after a condition/semicolon/'and'."""
        before = sentence[:pos]
        if not before.strip():
            return True
        tail = before.rstrip()
        if re.search(r"\((?:[a-z]{1,3}|[ivx]{1,5}|\d{1,2})\)$", tail):
            return True  # an inline list item: "(b) (i) Provider shall provide ..."
        if tail.endswith((",", ";", ":")) or re.search(r"(?:,|;)\s*(?:and|or|but|then)$|\b(?:and|or|but|then|that|whereupon)$", tail):
            return not re.search(r"\b(?:to|of|by|for|with|from|against|on\s+behalf\s+of)$", tail.rstrip(",;: "))
        return False

    def _build(self, a, b, body_start, s, e, subj, modal, action, sentence) -> Obligation | None:
        modal_norm = " ".join(modal.lower().split())
        action_clean = squash(action).strip(" ,;:")
        action_clean = re.sub(r"(?:\s*\((?:[a-z]{1,3}|[ivx]{1,5}|\d{1,2})\))+$", "", action_clean).strip(" ,;:")
        action_clean = re.sub(r"(?:[,;]\s*|\s+)(?:and|or|but)$", "", action_clean).strip(" ,;:")
        if not action_clean or _NOT_OBLIGATION.match(action_clean):
            return None
        if modal_norm.startswith(("shall be responsible", "will be responsible", "is responsible", "are responsible",
                                  "is solely", "are solely", "is fully", "are fully", "shall be solely", "shall be fully",
                                  "will be solely", "will be fully")):
            kind: Kind = "obligation"
        elif modal_norm.startswith("may not") or modal_norm in ("cannot",) or modal_norm.endswith("not") or "not to" in modal_norm:
            kind = "prohibition"
        elif modal_norm.startswith(("may", "is entitled", "are entitled", "is permitted", "are permitted", "has the right",
                                    "have the right", "shall have the right")):
            kind = "right"
        else:
            kind = "obligation"
        if kind != "right" and re.match(r"(?i)(?:(?:also|at\s+all\s+times|further|then|thereafter|additionally)\s+)*"
                                        r"(?:(?:have|has)\s+the\s+(?:right|option|discretion)|be\s+(?:entitled|permitted|free|eligible)\s+to|"
                                        r"be\s+(?:compensated|paid|reimbursed)\b|receive\b)", action_clean):
            kind = "right"
        if kind == "prohibition" and re.match(r"(?i)be\s+(?:held\s+)?(?:responsible|liable)\b", action_clean):
            return None  # "X shall not be responsible for delays ...": an exclusion of liability, not a prohibition
        subj_clean = squash(subj)
        if not subj_clean:
            return None
        passive = re.match(r"(?i)be\s+(?:\w+ly\s+)?(\w+ed|paid|given|made|held|kept|sent|shown|known|bound)\b", action_clean)
        if passive and passive.group(1).lower() not in _ACTIVE_PARTICIPLES:
            # "Consultant will be retained as ...", "NICE shall be released from ...": done to the party, not by it.
            if kind == "right" or re.match(r"(?i)be\s+(?:compensated|paid|reimbursed)", action_clean):
                kind = "right"
            else:
                return None
        if re.match(r"(?i)neither\b", subj_clean) and re.match(r"(?i)be\s+(?:responsible|liable)\b", action_clean):
            return None  # "Neither Party shall be liable for ...": an exclusion of liability, not an obligation
        if re.match(r"(?i)neither\b", subj_clean):
            kind = "prohibition" if kind != "right" else "prohibition"
        party_term, party_name = self._resolve(subj_clean)
        condition = ""
        head = sentence[:s]
        cm = _CONDITION.match(head + sentence[s:s + 1]) if head.strip() else None
        if cm:
            condition = squash(cm.group("cond"))
        elif head.strip():
            condition = squash(head).strip(" ,;")
            if len(condition) > 200 or not re.match(r"(?i)(?:if|where|in the event|unless|subject|provided|upon|on|following|after|during|within|notwithstanding|to the extent|when)\b", condition):
                condition = ""
        deadline, deadline_days, business = self._deadline(action)
        recurrence = _first(_RECURRENCE, action)
        trigger = _first(_TRIGGER, action) or _first(_TRIGGER, condition)
        counterparty = self._counterparty(party_name, party_term, action)
        start_abs = body_start + s
        cite = self.doc.cite(start_abs, b)
        if cite is None:
            return None
        cite = cite.model_copy(update={"quote": cite.quote})
        ident = hashlib.sha256(f"{self.doc.source}\0{start_abs}\0{e}".encode()).hexdigest()[:16]
        return Obligation(
            id=ident, source=self.doc.source, kind=kind, obligated_party=party_name, party_term=party_term,
            counterparty=counterparty, modal=modal_norm, action=action_clean[:400], deadline=deadline,
            deadline_days=deadline_days, deadline_business_days=business, recurrence=recurrence, trigger=trigger,
            condition=condition, clause_no=self.doc.clause_no_at(a), clause_heading=self.doc.clause_heading_at(a),
            page=self.doc.page_at(start_abs), citation=cite,
        )

    def _resolve(self, subj: str) -> tuple[str, str]:
        low = subj.lower()
        if re.match(r"(?:each|either|both)\s+(?:of\s+the\s+)?part|the\s+parties|each\s+of\s+.+\s+and\s+", low) or re.search(r"\sand\s", low):
            return "Each Party", "Each Party"
        if low.startswith("neither"):
            return "Each Party", "Each Party"
        term = re.sub(r"(?i)^(?:the|each|either|such|a|any)\s+", "", subj).strip()
        return term, self.aliases.get(term, term)

    def _deadline(self, action: str) -> tuple[str, int | None, bool]:
        matches = list(_DEADLINE.finditer(action))
        if not matches:
            return "", None, False
        # A stated period beats "promptly"/"immediately" ("promptly and in any event within 2 days").
        m = next((x for x in matches if durations(x.group(0))), matches[0])
        text = squash(m.group(0)).rstrip(" ,")
        ds = [d for d in durations(m.group(0)) if d.unit in ("day", "business_day", "week", "month", "year")]
        if ds:
            return text, ds[0].days, ds[0].business
        return text, None, False

    def _counterparty(self, party_name: str, party_term: str, action: str) -> str:
        if party_name == "Each Party":
            return "the other Party"
        if self.party_in_text is not None:
            for m in self.party_in_text.finditer(action):
                name = self.aliases.get(m.group(1), m.group(1))
                if name != party_name and m.group(1) != party_term:
                    return name
        others = [p.name for p in self.parties if p.name != party_name]
        return others[0] if len(others) == 1 else ""


def _first(pattern: re.Pattern, text: str) -> str:
    m = pattern.search(text or "")
    return squash(m.group(0)) if m else ""


def extract_obligations(doc: ContractDoc) -> ObligationRegister:
    return ObligationExtractor(doc).extract()
