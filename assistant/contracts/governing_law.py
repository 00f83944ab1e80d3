"""The law that governs a contract, as the contract names it.

"governed by the laws of the State of New York", "the laws and judicial decisions of the State of
Florida", "The laws of the Federal Republic of Germany shall apply", "governed by English law",
and an order form's "Governing Law: Delaware". The jurisdiction is cited with its sentence.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.contracts.document import ContractDoc, sentence_quote
from assistant.contracts.sla_models import SourceSpan
from assistant.text.clauses import sentence_spans


class GoverningLaw(BaseModel):
    jurisdiction: str  # "State of Delaware"
    citation: SourceSpan


_LAW = re.compile(
    r"\b(?:governed|construed|interpreted|enforced|govern|determined|(?:agreement|contract)\s+(?:shall\s+be|is)\s+subject\s+to)\b[^.;]{0,160}?\blaws?(?:\s+and\s+(?:\w+\s+){0,3}?\w+)?(?:,\s*[^,.;]{1,60},)?(?:\s+(?:in\s+force|applicable|prevailing))?\s+(?:of|in)\s+(?:the\s+)?"
    r"(?P<j>(?:(?:state|commonwealth|province|republic|kingdom|united\s+states)\s+of\s+(?:america\s+and\s+(?:of\s+)?(?:the\s+)?)?)?"
    r"[a-z]+(?:['\u2019]s)?(?:\s+[a-z]+(?:['\u2019]s)?){0,3})",
    re.IGNORECASE,
)
_LAW_REVERSED = re.compile(
    r"\blaws?\s+of\s+(?:the\s+)?(?P<j>(?:(?:federal\s+)?(?:state|commonwealth|province|republic|kingdom)\s+of\s+)?[a-z]+(?:\s+[a-z]+){0,3}?)"
    r"\s+(?:shall|will|is\s+to|are\s+to)\s+(?:govern|apply|be\s+applicable|prevail)",
    re.IGNORECASE,
)
_LAW_STOP = {"without", "applicable", "excluding", "exclusive", "in", "and", "as", "that", "which", "shall", "to", "regarding",
             "other", "with", "for", "except", "including", "governing", "usa", "then", "from", "will", "but", "on", "its"}


def _jurisdiction(raw: str) -> str:
    words = raw.split()
    out: list[str] = []
    for i, w in enumerate(words):
        lw = w.lower()
        nxt = words[i + 1] if i + 1 < len(words) else ""
        joins = lw == "and" and (nxt.lower() == "of" or (nxt[:1].isupper() and nxt.lower() not in _LAW_STOP and nxt.lower() != "the"))
        if lw in _LAW_STOP and not (lw == "of" or joins):
            break
        out.append(w)
    while out and out[-1].lower() in ("of", "the", "and"):
        out.pop()
    return " ".join(out)


# "governed by English law": the adjective names the jurisdiction.
_ADJECTIVES = {
    "english": "England and Wales", "scots": "Scotland", "scottish": "Scotland", "irish": "Ireland", "swiss": "Switzerland",
    "german": "Germany", "french": "France", "dutch": "the Netherlands", "belgian": "Belgium", "austrian": "Austria",
    "swedish": "Sweden", "danish": "Denmark", "norwegian": "Norway", "finnish": "Finland", "spanish": "Spain",
    "italian": "Italy", "portuguese": "Portugal", "israeli": "Israel", "japanese": "Japan", "chinese": "China",
    "indian": "India", "australian": "Australia", "canadian": "Canada", "singaporean": "Singapore", "singapore": "Singapore",
    "luxembourg": "Luxembourg", "polish": "Poland", "mexican": "Mexico", "brazilian": "Brazil",
}
# "governed by Delaware law", "New York law shall govern": a state or province named before "law".
_PLACES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|"
           "Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|"
           "Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|"
           "Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
           "Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta|Nova Scotia|Hong Kong|Singapore|Israel|Japan")
_ADJECTIVES.update({p.lower(): p for p in _PLACES.split("|")})
_ADJECTIVE_ALTERNATION = "|".join(sorted((k.replace(" ", r"\s+") for k in _ADJECTIVES), key=len, reverse=True))
_LAW_ADJECTIVE = re.compile(r"\b(?:governed|construed|interpreted|subject)\b[^.;]{0,80}?\b(?:by|to|with|under)\s+(?:the\s+)?"
                            rf"(?P<j>{_ADJECTIVE_ALTERNATION})\s+law\b", re.I)
# "Pennsylvania law shall govern this Agreement".
_ADJECTIVE_LAW_GOVERNS = re.compile(rf"\b(?P<j>{_ADJECTIVE_ALTERNATION})\s+law\s+(?:shall|will|is\s+to|does)\s+(?:govern|apply|be\s+applicable)", re.I)
_LAW_LABEL = re.compile(r"(?im)^[ \t|*#]*(?:governing\s+law|applicable\s+law|choice\s+of\s+law)\s*[:|]\s*(?:the\s+)?(?:laws?\s+of\s+)?"
                        r"(?:the\s+)?(?P<j>(?-i:[A-Z])(?!aws?\b)[A-Za-z]+(?:[ \t]+(?:of[ \t]+)?(?-i:[A-Z])[A-Za-z]+){0,4})")


def _matches(text: str) -> list[tuple[int, str, int, int]]:
    """(position, jurisdiction, start and end of its words) for every statement of the governing law."""
    out = []
    for m in [*_LAW.finditer(text), *_LAW_REVERSED.finditer(text), *_LAW_LABEL.finditer(text)]:
        j = _jurisdiction(m.group("j"))
        out.append((m.start(), j, m.start("j"), m.start("j") + len(j)))
    for m in [*_LAW_ADJECTIVE.finditer(text), *_ADJECTIVE_LAW_GOVERNS.finditer(text)]:
        out.append((m.start(), _ADJECTIVES[" ".join(m.group("j").lower().split())], m.start("j"), m.end("j")))
    return sorted(out)


def _about_this_agreement(text: str, start: int) -> bool:
    """The statement governs the contract itself, not e.g. 'securities laws of the State of X'."""
    window = text[max(0, start - 160) : start + 40].lower()
    return bool(re.search(r"\b(?:this|the)\s+(?:\w+\s+){0,3}?(?:agreement|contract|sow|order)\b|governing\s+law|applicable\s+law", window))


def extract_governing_law(doc: ContractDoc) -> GoverningLaw | None:
    found = _matches(doc.clean)
    # A statement about this agreement first ("This Agreement shall be governed by ..."), then any.
    ordered = [m for m in found if _about_this_agreement(doc.clean, m[0])] + [m for m in found if not _about_this_agreement(doc.clean, m[0])]
    for start, j, j_start, j_end in ordered:
        if not j or j.lower() in ("this", "such", "any", "which", "that", "each", "all", "not", "none", "n/a"):
            continue
        cite = doc.cite(j_start, j_end)
        if cite:
            sentence = next(((a, b) for a, b in sentence_spans(doc.clean, max(0, start - 400), min(len(doc.clean), start + 600))
                             if a <= start < b), None)
            if sentence:
                cite = cite.model_copy(update={"quote": sentence_quote(doc, sentence[0], sentence[1], cite)})
            return GoverningLaw(jurisdiction=j, citation=cite)
    return None
