"""The parties to a contract and the names the contract gives them ("Supplier", "Lumen").

Read from the opening words, in the forms contracts use:
- "by and between A Corp., a Delaware corporation ("A"), and B Ltd. (hereinafter "B")": the list
  after "between"/"among", split at the top-level "and"/";";
- a letter or a recital that introduces each party with its defined term ("Kiromic, Inc, a Delaware
  corporation (the "Company"), ... to retain Gianluca Rotino ("Consultant")");
- a form with labelled fields ("Customer Name: MTS, INC.").
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.contracts.document import ContractDoc
from assistant.contracts.key_dates import OPENING_SENTENCE, preamble_end
from assistant.contracts.sla_models import SourceSpan

PREAMBLE_CHARS = 4000
MAX_PARTIES = 6


class Party(BaseModel):
    name: str  # "Lumen BPO Services Ltd."
    defined_as: list[str] = Field(default_factory=list)  # ["Supplier", "Lumen"]
    citation: SourceSpan | None = None


_SUFFIX = (r"(?:Inc|Incorporated|Ltd|Ltc|Limited|LLC|L\.L\.C|Corp|Corporation|Co|Company|plc|PLC|LP|L\.P|LLP|N\.A|S\.A|SA|AG|"
           r"GmbH|B\.V|N\.V|Pte|Pty|KG|S\.A\.S|S\.L|Ltda|AB|Oy|A/S|SE)\b\.?")
_SUFFIX_AFTER_COMMA = re.compile(rf",\s*{_SUFFIX}", re.I)
_NOT_ALIAS = {"party", "parties", "agreement", "this agreement", "effective date", "contract"}
_LIST_START = re.compile(r"\b(?:by\s+and\s+(?:between|among)|between|among|B\s+E\s+T\s+W\s+E\s+E\s+N|"
                         r"(?<=made\s)by|(?<=into\s)by|(?<=executed\s)by)\s*:?\s*(?:parties\s+to\s+this\s+agreement\s*)?|"
                         r"^\s*PARTIES\s*:?\s*", re.I | re.M)
_LIST_STOP = re.compile(r"\b(?:WHEREAS|RECITALS?|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|NOW,?\s+THEREFORE|"
                        r"(?:IT\s+IS\s+)?(?:HEREBY\s+)?AGREED|PREAMBLE|each\s+party\s+(?:also\s+)?(?:is\s+)?referred)\b|"
                        r"\.\s*\n(?!\s*(?:\(\d{1,2}\)|\d{1,2}\)|and\b|-\s*and\s*-))|\n\s*\n\s*(?:1\.|ARTICLE|Section)\b|"
                        r"\.\s+(?=(?:The|This|Each|In|Both)\s)", re.I)
# Where a party's name ends: its description ("a Delaware corporation"), address, or defined term.
_NAME_END = re.compile(r"\s*\((?![A-Z][A-Za-z]+\)\s+(?:[A-Z]|(?:Limited|Ltd|Inc|LLC|GmbH|AG|S\.A)))|,?\s+(?:a|an)\s+(?=[A-Z]|(?:limited|corporation|company|individual|private|public|"
                       r"national|state|sole|general|business|registered|joint|subsidiary|division|affiliate|member)\b)|,\s*(?:a|an|the|having|with|whose|located|"
                       r"organi[sz]ed|incorporated|existing|registered|residing|doing|acting|by\s+its|represented|"
                       r"on\s+behalf|its|which|hereinafter|herein|registration|reg\.|company\s+(?:no|number)|vat)\b|\s+(?:is|are)\s+(?:a|an)\s|\s+of\s+(?=\[|\d)|\s+(?:having|whose|located\s+at|with\s+(?:its|a|offices)|"
                       r"organi[sz]ed|incorporated|registered\s+(?:at|in|office))\b|\s+(?=(?:Suite|Room|Unit|Floor|P\.?\s?O\.?\s+Box)\s+\w)|,\s*as\s+(?=[A-Z])|,\s*\d|\s*\n\s*\n|,\s*$", re.I)
_ROLE_OF = re.compile(r"^(?P<person>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}),\s+(?:the\s+)?(?:director|officer|ceo|president|"
                      r"manager|owner|partner|chairman|secretary|member)\s+of\s+(?P<org>.+)$", re.I)
_ROLE_WORDS = (r"Customer|Client|Provider|Service\s+Provider|Supplier|Vendor|Buyer|Seller|Purchaser|Licensor|Licensee|"
               r"Contractor|Consultant|Company|Subscriber|Reseller|Distributor|Agency|Employer|Employee")
# "Customer Name: MTS, INC." or an order form's "Provider: Kestrel Cloud Inc." (one per line)
_LABELLED = re.compile(rf"^[ \t|*]*(?:The\s+)?(?:(?P<label>[A-Z][A-Za-z]+)\s+Name|(?P<role>{_ROLE_WORDS}|Party\s+[A-Z1-9])(?:\s+\(legal\s+name\))?)"
                       r"\s*:[ \t|*]*(?P<name>[^\n|]{2,80}?)(?=\s{3,}|\s*\||\n|$)", re.M | re.I)


def _aliases(chunk: str) -> list[str]:
    out = []
    # "— hereinafter referred to as Cremer —": a defined name without quotes or parentheses.
    # ... or with quotes but no parentheses: ", hereinafter referred to as "Sundial"".
    for a in re.findall(r"(?:(?i:hereinafter\s+(?:referred\s+to\s+as|called)(?:\s+(?:the|an?))?)|,\s*as)\s+[\"\u201c'\u2018]?(?:the\s+)?"
                        r"([A-Z][\w&-]+(?:[ \t]+[A-Z][\w&-]+)?)\b", chunk):
        if a.lower() not in _NOT_ALIAS and a not in out:
            out.append(a)
    for inner in re.findall(r"\(([^()]*)\)", chunk):
        # Double quotes, or single ones ("(hereinafter 'Company')"); an apostrophe inside a word is no quote.
        for a in re.findall(r"[\"\u201c]([^\"\u201d]{1,60})[\"\u201d]|(?<!\w)['\u2018]([^'\u2019]{1,60})['\u2019](?!\w)", inner):
            a = a[0] or a[1]
            a = re.sub(r"(?i)^the\s+", "", a.strip(" ,;"))
            if a and a.lower() not in _NOT_ALIAS and a not in out:
                out.append(a)
    return out


def _top_level_parts(segment: str) -> list[tuple[int, int]]:
    """(start, end) of the parties in a "between ..." list: split at ";", ", and", "and" + capital,
    never inside parentheses."""
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(segment):
        ch = segment[i]
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0:
            here = segment[i:]
            current = segment[start:i]
            m = re.match(r";\s*(?:and\s+)?|,\s+and\s+|\s*\n\s*(?:and|AND|And)\s*[:\n]\s*|\s+-\s*and\s*-\s+|\s+AND\s*:\s*|"
                         r"\s*\n\s*(?=\(\d{1,2}\)\s|\d{1,2}\)\s)", here)  # "(1) A Ltd ...\n(2) B Ltd ...": numbered parties
            # "X Ltd., a company registered in England and Wales (...)": no split inside a description
            # until its defined term has closed it.
            described = re.search(r",?\s+(?:a|an)\s+\w|,\s*(?:having|whose|with|located|registered)\b|"
                                  r"\s(?:incorporated|registered|organi[sz]ed|existing)\s+(?:and\s+\w+\s+)?(?:in|under)\b", current)
            closed = re.search(r"\([^()]*[\"\u201c'\u2018][^()]*\)", current)  # a defined term ("X") closes a party
            if m is None:
                m = re.match(r"\s{2,}(?:And|AND)\s{2,}", here)  # a title block: "X, INC.   And   Y COMPANY"
            if m is None and closed:
                # "A Corp. ("A"), B LLC ("B") and C Inc. ("C")": a comma after a defined term starts the next party.
                m = re.match(r",\s+(?=(?!(?:Inc|Ltd|LLC|Corp|Limited|plc|L\.?P|AG|GmbH|S\.A|N\.A)\b)[A-Z0-9\"\u201c])", here)
            if m is None:
                m = re.match(r"\s+and\s+(?=[A-Z0-9\"\u201c(\[_])", here)
                # ... unless a company's name follows: "of Singapore and Ability Software Ltd, a company"
                if m and described and not closed and not re.match(rf"[^,(]{{0,80}}?\b{_SUFFIX}", here[m.end():]):
                    m = None
                if m is None and closed:
                    m = re.match(r"\s+(?i:and)\s+(?=\S)", here)  # "... ("LESSOR") AND WESTFALL ...": any case
            if m and ch in ";, \n":
                parts.append((start, i))
                start = i + m.end()
                i = start
                continue
        i += 1
    parts.append((start, len(segment)))
    return [(a, b) for a, b in parts if segment[a:b].strip()]


def _name_of(chunk: str) -> tuple[str, int]:
    """The party's name at the start of `chunk` and its offset there."""
    lead = re.match(r"[\s,;:]*(?:\(\w{1,3}\)\s*|\d\.\s*)?(?:(?:by\s+and\s+|and\s+)?(?:between|among)\s+|and\s+|by\s+|the\s+(?=[a-z]))?",
                    chunk, re.I)
    pos = lead.end() if lead else 0
    text = chunk[pos:]
    end = len(text)
    for m in _NAME_END.finditer(text):
        # "Global Technologies, Ltd" / "VOTOCAST, Inc. a California corporation": the comma before a
        # company suffix belongs to the name.
        if m.group(0).startswith(",") and _SUFFIX_AFTER_COMMA.match(text, m.start()):
            continue
        end = m.start()
        break
    name = " ".join(text[:end].split()).strip(" ,;:\"\u201c\u201d")
    role = _ROLE_OF.match(name)
    if role:
        org = role.group("org").strip()
        return org, pos + role.start("org")
    return name, pos


_ADDRESS = re.compile(r"(?i)\b(?:avenue|ave\.|street|road|rd\.|suite|floor|bldg|building|drive|lane|boulevard|blvd|p\.?\s?o\.?\s+box|"
                      r"plaza|tower|highway|hwy)\b|\b\d{4,}\b")


def _plausible(name: str, defined: bool = False) -> bool:
    """A name, not a clause fragment; a lower-case name ("i-on interactive") only with a defined term."""
    words = name.split()
    if not (2 <= len(name) <= 100) or not words or len(words) > 12:
        return False
    if re.search(r"(?i)\b(?:whereas|hereby|agreement|addendum|shall|party|parties|following|respective)\b|^this\s", name):
        return False
    if _ADDRESS.search(name):
        return False  # "Gate Commercial Bldg 136 Austin Road": an address, not a name
    if not (name[0].isupper() or name[0].isdigit() or defined or re.search(_SUFFIX, name)):
        return False
    return bool(re.search(r"[A-Za-z]{2}", name))


def _party(doc: ContractDoc, chunk: str, offset: int) -> Party | None:
    name, at = _name_of(chunk)
    aliases = _aliases(chunk)
    if re.fullmatch(r"[\s_.*\[\]\u2022]{2,}", name) and aliases:
        name = "[blank]" if "_" in name else name  # a template's blank or a redacted name, known by its defined term
    elif not _plausible(name, defined=bool(aliases)):
        return None
    cite = doc.cite(offset + at, offset + len(chunk.rstrip()))
    return Party(name=name, defined_as=aliases, citation=cite)


def _from_list(doc: ContractDoc) -> list[Party]:
    text = doc.clean[: PREAMBLE_CHARS * 2]
    found: list[Party] = []
    for lead in _LIST_START.finditer(text, 0, PREAMBLE_CHARS):
        if not _in_opening(doc, lead.start()):
            continue
        stop = _LIST_STOP.search(text, lead.end() + 1)
        end = min(stop.start() if stop else len(text), lead.end() + 1500)
        segment = text[lead.end() : end]
        parties = [p for a, b in _top_level_parts(segment)
                   if (p := _party(doc, segment[a:b], lead.end() + a)) is not None]
        # "between the Consultant and the Company" in a clause: generic words, no defined terms.
        named = [p for p in parties if p.defined_as or re.search(_SUFFIX, p.name) or len(p.name.split()) >= 2]
        if len(parties) >= 2 and 2 * len(named) >= len(parties):
            if any(p.defined_as for p in parties):
                return _merge(parties)
            # A title block ("BETWEEN / ACME LLC / AND / BETA INC.") names them without defined terms:
            # the preamble that follows usually names them again with theirs.
            found += parties
    return _merge(found) if found else []


def _in_opening(doc: ContractDoc, pos: int) -> bool:
    """A "between" list in the opening words, not "disputes between the parties" in a clause."""
    if pos < preamble_end(doc):
        return True
    opening = OPENING_SENTENCE.search(doc.clean, 0, 3 * PREAMBLE_CHARS)  # after a table of contents
    return bool(opening) and opening.start() <= pos <= opening.end() + 300


_DEFINED = re.compile(r"\(\s*(?:each\s+|individually\s+|collectively\s*,?\s+|together\s*,?\s+)?(?:(?:hereinafter|herein)\s*,?\s*(?:referred\s+to\s+as\s+|called\s+)?)?"
                      r"(?:the\s+)?(?:[\"\u201c](?P<a1>[^\"\u201d]{1,40})[\"\u201d]|['\u2018](?P<a2>[^'\u2019]{1,40})['\u2019](?!\w))", re.I)


# The document naming itself ("This Data Processing Addendum (the "DPA")"), not a party.
_DOCUMENT_NAME = re.compile(r"(?i)^(?:dpa|msa|sow|sla|baa|nda|psa|mou|addendum|amendment|order(?:\s+form)?|schedule|exhibit|annex|"
                            r"appendix|contract|statement\s+of\s+work|work\s+order|change\s+order|purchase\s+order|policy)$")
_SEGMENT_LEAD = re.compile(r"\n\s*\n|-\s*and\s*-|\b(?:between|among|and|retain|engage|by|with)\s+(?=[A-Z0-9\[_])|[:;]\s+|\.\s+(?=[A-Z])|\)\s*,?\s+")


def _from_defined_terms(doc: ContractDoc) -> list[Party]:
    """Each defined term with the party introduced just before it: from the last lead word ("and",
    "between", "retain", a paragraph break) up to its description or address."""
    text = doc.clean[: preamble_end(doc)]
    parties: list[Party] = []
    for m in _DEFINED.finditer(text):
        alias = re.sub(r"(?i)^the\s+", "", (m.group("a1") or m.group("a2")).strip())
        if alias.lower() in _NOT_ALIAS or re.search(r"(?i)date|agreement|services?\b|term\b", alias) or _DOCUMENT_NAME.search(alias):
            continue
        window = max(0, m.start() - 300)
        leads = [x.end() for x in _SEGMENT_LEAD.finditer(text, window, m.start()) if x.end() < m.start() - 1]
        start = leads[-1] if leads else window
        segment = text[start : m.start()]
        name, at = _name_of(segment)
        if _plausible(name) and not any(p.name == name for p in parties):
            parties.append(Party(name=name, defined_as=[alias], citation=doc.cite(start + at, m.end())))
    return _merge(parties)


def _from_labels(doc: ContractDoc) -> list[Party]:
    out = []
    for m in _LABELLED.finditer(doc.clean[:PREAMBLE_CHARS]):
        name = m.group("name").strip(" ,*")
        label = " ".join((m.group("label") or m.group("role")).split()).title()
        if _plausible(name) and label.lower() not in ("file", "product", "user", "contract", "project", "account"):
            out.append(Party(name=name, defined_as=[label], citation=doc.cite(m.start("name"), m.end("name"))))
    return _merge(out)


def _merge(parties: list[Party]) -> list[Party]:
    """One entry per party: the title block's "ACME, INC." and the preamble's "Acme, Inc." ("Acme")
    are one party, named as the preamble writes it."""
    out: list[Party] = []
    for p in parties:
        same = next((q for q in out if _same_name(q.name, p.name)), None)
        if same is None:
            out.append(p)
            continue
        if p.defined_as and not same.defined_as:
            same.name, same.citation = p.name, p.citation
        same.defined_as += [a for a in p.defined_as if a not in same.defined_as]
    return out[:MAX_PARTIES]


def _same_name(a: str, b: str) -> bool:
    key = lambda n: re.sub(r"[^a-z0-9]", "", n.lower())  # noqa: E731
    return key(a) == key(b)


def extract_parties(doc: ContractDoc) -> list[Party]:
    for method in (_from_list, _from_defined_terms, _from_labels):
        found = method(doc)
        if len(found) >= 2:
            return found
    return _from_defined_terms(doc) or _from_labels(doc)


def party_aliases(parties: list[Party]) -> dict[str, str]:
    """Defined term or name -> the party's full name ("Supplier" -> "Lumen BPO Services Ltd.")."""
    out: dict[str, str] = {}
    for p in parties:
        out[p.name] = p.name
        for a in p.defined_as:
            out[a] = p.name
    return out
