"""Reading a document that changes another: amendments, addenda, change orders, restatements.

`read_relation(title, text)` says whether a contract document amends another (from its title and
opening words, never from an entire-agreement clause's "supersedes"), which document it names
(title, date, parties) and what it changes: a clause replaced, deleted or added, a figure replaced
inside a clause, a schedule replaced, the term extended, or (a restatement) everything. Offsets are
into the text given, so each change can be cited from the amendment's own chunks.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from assistant.text.quantities import dates

RelationKind = Literal["amendment", "addendum", "change_order", "restatement", "sow_version"]
ChangeAction = Literal["replace_clause", "delete_clause", "add_clause", "replace_figure", "replace_schedule",
                       "extend_term", "restate"]


class Change(BaseModel):
    action: ChangeAction
    target: str = ""  # "12.2", "Schedule 2"; "" for the term when no clause is named, "*" for a restatement
    old_text: str = ""  # the figure or words replaced (replace_figure)
    new_text: str = ""  # the replacement as written (shortened for display)
    start: int  # the instruction in the amendment's text
    end: int
    new_start: int = 0  # the new wording in the amendment's text (new_end == new_start: none)
    new_end: int = 0
    effective: str = ""  # ISO date when this change states its own
    # A change that names no clause number says what it is about instead: a topic ("notice period
    # for termination for convenience"), a quoted heading (topic_is_heading) or a schedule's title.
    # contracts.topic_link decides which clause that is, and only one that clearly matches is changed.
    topic: str = ""
    topic_is_heading: bool = False


class Relation(BaseModel):
    kind: RelationKind
    label: str  # "Amendment No. 1", "Change Order 3", "Amended and Restated Master Services Agreement"
    refers_title: str = ""  # the document it names ("Master Services Agreement")
    refers_date: str = ""  # ISO date of that document, when named
    effective: str = ""  # ISO date from which its changes apply ("" : from signature, taken as always)
    effective_text: str = ""
    changes: list[Change] = Field(default_factory=list)


_HEAD_CHARS = 3000
_QUOTE_OPEN, _QUOTE_CLOSE = "[\"\u201c'\u2018]", "[\"\u201d'\u2019]"
# Title words that make a document a change to another one; order matters (a restatement's title
# also says "amended").
_TITLE_KINDS: list[tuple[str, re.Pattern]] = [
    ("restatement", re.compile(r"\bamended\s+and\s+restated\b|\brestate(?:d|ment)\b", re.I)),
    ("change_order", re.compile(r"^\W*(?:\w+\s+)?change\s+(?:order|request|note|authori[sz]ation)\b"
                                r"(?!\s+(?:procedure|process|policy|form|log|template|management|sop|register))", re.I)),
    ("amendment", re.compile(r"\bamendment\b(?!\s+(?:procedure|process|policy|log|register))", re.I)),
    ("addendum", re.compile(r"\baddendum\b", re.I)),
]
_SELF_REFERENCE = re.compile(r"\bthis\s+(?:(?:first|second|third|fourth|fifth|\w+)\s+)?(amendment|addendum|change\s+order)\b", re.I)
_LABEL = re.compile(r"(?:(?:first|second|third|fourth|fifth|sixth)\s+)?(?:amendment|addendum|change\s+(?:order|request|note))"
                    r"(?:\s+(?:(?:no\.?|number|#)\s*)?\d[\w-]*|\s+(?:no\.?|number|#)\s*[A-Za-z0-9-]+)?", re.I)
_DOC_NOUN = r"(?:Agreement|Contract|Statement\s+of\s+Work|SOW|Work\s+Order|Order\s+Form|Schedule)"
_REFERS = re.compile(
    r"\b(?:amend\w*|restat\w*|supplement\w*|modif\w*|to|under|pursuant\s+to|part\s+of|supersed\w*|replac\w*)\s+"
    r"(?:and\s+restates\s+)?(?:in\s+its\s+entirety\s+)?(?:that\s+certain\s+|the\s+|an?\s+)?(?:existing\s+|original\s+|prior\s+)?"
    rf"(?P<title>(?:[A-Z][\w&'\u2019-]*\s+|(?:of|and|for|to)\s+){{0,8}}?{_DOC_NOUN}(?:\s+(?:No\.?|Number)\s*[\w-]+)?)")
_DATED = re.compile(r"^[^.;]{0,220}?\b(?:dated|of|made\s+on|entered\s+into\s+on)\s+(?:as\s+of\s+)?(?:the\s+)?", re.I)
_EFFECTIVE = re.compile(
    r"(?:\bwith\s+effect\s+(?:from|on|as\s+of)|\beffective\s+(?:as\s+(?:of|from)|from|on)|"
    r"\b(?:amendment|addendum|change\s+order)\s+effective\s+date\b[^.:\n]{0,40}?(?:is|means|shall\s+be|:)|"
    r"\beffective\s+date\s+of\s+this\s+(?:amendment|addendum|change\s+order)\s*(?:is|shall\s+be|:)|"
    r"\b(?:takes?|shall\s+take)\s+effect\s+(?:on|from|as\s+of))\s*:?\s*", re.I)

# -- change instructions ---------------------------------------------------------------------
_REF_BODY = r"(?:clause|section|article|paragraph|sub-?clause|\u00a7)\s*(?P<{}>\d{{1,3}}(?:\.\d{{1,3}}){{0,3}})(?:\s*\([a-z0-9]{{1,4}}\))?"
_REF = _REF_BODY.format("num")


def _ref(i: int) -> str:
    """A clause reference whose number group is unique in its pattern (num1, num2, ...)."""
    return _REF_BODY.format(f"num{i}")
_REF_ANY = re.compile(r"\b(?:clause|section|article|paragraph|sub-?clause|\u00a7)\s*\d", re.I)
_OF_AGREEMENT = r"(?:\s+of\s+the\s+(?:[A-Z]?\w+\s+){0,4}?(?:agreement|msa|contract|sow|statement\s+of\s+work))?(?:\s*\([^)]{0,80}\))?"
_SCHED = r"(?P<sched>(?:schedule|exhibit|annex|appendix|attachment)\s+(?:\d{1,2}|[A-Z]|[IVX]{1,4})\b)"
_BE = r"(?:is|are|shall\s+be|will\s+be|be)\s+(?:hereby\s+)?"
_FIGURE_PATTERNS = [
    re.compile(rf"{_QUOTE_OPEN}(?P<old>[^\"\u201c\u201d\n]{{1,160}}?){_QUOTE_CLOSE}\s*(?:where\s+it\s+appears\s+)?,?\s*{_BE}"
               rf"(?:deleted\s+and\s+)?(?:replaced|substituted)\s+(?:with|by)\s+(?:the\s+words?\s+)?{_QUOTE_OPEN}(?P<new>[^\"\u201c\u201d\n]{{1,160}}?){_QUOTE_CLOSE}", re.I),
    re.compile(rf"\b(?:replac\w*|delet\w*|strik\w*)\s+(?:out\s+)?(?:the\s+(?:words?|figure|number|amount|reference)\s+)?{_QUOTE_OPEN}(?P<old>[^\"\u201c\u201d\n]{{1,160}}?){_QUOTE_CLOSE}"
               rf"\s*(?:and\s+(?:insert\w*|substitut\w*|replac\w*)(?:\s+it)?\s*)?(?:with|by|in\s+its\s+place)?\s*(?:the\s+words?\s+)?{_QUOTE_OPEN}(?P<new>[^\"\u201c\u201d\n]{{1,160}}?){_QUOTE_CLOSE}", re.I),
    re.compile(rf"\bsubstitut\w*\s+{_QUOTE_OPEN}(?P<new>[^\"\u201c\u201d\n]{{1,160}}?){_QUOTE_CLOSE}\s+for\s+{_QUOTE_OPEN}(?P<old>[^\"\u201c\u201d\n]{{1,160}}?){_QUOTE_CLOSE}", re.I),
]
_REPLACE = re.compile(
    rf"\b{_ref(1)}{_OF_AGREEMENT}\s+{_BE}(?:deleted\s+(?:in\s+its\s+entirety\s+)?and\s+replaced|replaced|amended\s+and\s+restated|"
    rf"amended\s+(?:so\s+as\s+)?to\s+read|restated|substituted)(?:\s+in\s+its\s+entirety)?[^:\n]{{0,80}}?(?::|\n)"
    rf"|\bthe\s+following\s+{_BE}substituted\s+for\s+{_ref(2)}[^:\n]{{0,60}}?(?::|\n)"
    rf"|\breplace\s+{_ref(3)}{_OF_AGREEMENT}\s+(?:in\s+its\s+entirety\s+)?with\s+the\s+following[^:\n]{{0,40}}?(?::|\n)", re.I)
_DELETE = re.compile(rf"\b{_ref(1)}{_OF_AGREEMENT}\s+{_BE}(?:deleted|removed|struck)(?:\s+(?:in\s+(?:its|their)\s+entirety|from\s+the\s+\w+))?"
                     rf"(?!\s+and\s+(?:replaced|substituted))|\b(?:delete|strike|remove)\s+{_ref(2)}(?:\s+in\s+its\s+entirety)?(?=[\s.;,])", re.I)
_ADD = re.compile(
    rf"\b(?:a\s+)?new\s+{_ref(1)}(?:\s*\([^)]{{0,60}}\))?[^:\n.]{{0,80}}?\s+{_BE}(?:added|inserted)[^:\n]{{0,80}}?(?::|\n)"
    rf"|\bthe\s+following\s+(?:new\s+)?{_ref(2)}\s+{_BE}(?:added|inserted)[^:\n]{{0,80}}?(?::|\n)"
    rf"|\b(?:the\s+following\s+{_BE}|insert\s+the\s+following\s+)(?:added|inserted\s+)?(?:as\s+(?:a\s+)?new\s+){_ref(3)}[^:\n]{{0,60}}?(?::|\n)", re.I)
_SCHEDULE = re.compile(rf"\b{_SCHED}(?:\s*\((?P<stitle>[^)]{{0,60}})\))?(?:\s+(?:to|of)\s+the\s+(?:\w+\s+){{0,4}}?\w+)?\s+{_BE}"
                       rf"(?:deleted\s+(?:in\s+its\s+entirety\s+)?and\s+)?(?:replaced|superseded|amended\s+and\s+restated)"
                       rf"(?:\s+in\s+its\s+entirety)?\s+(?:with|by)[^.\n]{{0,160}}", re.I)
_EXTEND = re.compile(
    rf"\b(?:(?:the\s+)?(?:initial\s+)?term(?:\s+of\s+(?:this|the)\s+(?:\w+\s+){{0,3}}?(?:agreement|contract|sow|statement\s+of\s+work))?"
    rf"(?:\s+(?:set\s+out|stated)\s+in\s+{_REF})?|(?:the\s+)?(?:expiration|expiry|end)\s+date)\s+{_BE}"
    rf"(?:extended|renewed|changed|amended)\s+(?:until|to|through|by|for(?:\s+an?\s+(?:additional|further))?)\s+(?P<what>[^.;\n]{{3,120}})", re.I)
# PDF text wraps a sentence over lines: a line break is part of it unless a blank line or a list
# marker ("2.", "(b)") follows.
_WRAP = r"\n(?![^\S\n]*(?:\n|\(?[a-z0-9]{1,3}[.)]\s))"
# -- changes that name no clause number (contracts.topic_link finds the clause) --------------------
_HEADED = (rf"(?:the\s+)?(?:(?P<noun>section|clause|article|paragraph|provision|schedule|exhibit|annex|appendix)\s+"
           rf"(?:titled|entitled|headed|captioned|called|named)\s+{_QUOTE_OPEN}(?P<heading>[^\"\u201c\u201d\n]{{2,80}}?){_QUOTE_CLOSE}(?!\w)"
           rf"|{_QUOTE_OPEN}(?P<heading2>[^\"\u201c\u201d\n]{{2,80}}?){_QUOTE_CLOSE}\s+(?P<noun2>section|clause|article|provision|schedule))"
           rf"{_OF_AGREEMENT}\s+{_BE}")
_HEADED_CHANGE = re.compile(
    _HEADED + r"(?:(?P<replace>deleted\s+(?:in\s+its\s+entirety\s+)?and\s+replaced|replaced|amended\s+and\s+restated|"
    r"amended\s+(?:so\s+as\s+)?to\s+read|restated)(?:\s+in\s+its\s+entirety)?[^:\n]{0,80}?(?::|\n)"
    r"|(?P<so>amended\s+(?:so\s+that|such\s+that|to\s+provide\s+that)\s+(?P<rest>(?:[^.;\n]|" + _WRAP + r"|\.(?=\d)){3,200}))"
    r"|(?P<delete>deleted|removed|struck)(?:\s+in\s+(?:its|their)\s+entirety)?(?!\s+and\s+(?:replaced|substituted)))", re.I)
_FIGURE_VERBS = (r"(?:changed|amended|increased|reduced|decreased|extended|shortened|lengthened|lowered|raised|revised|"
                 r"adjusted|updated|varied)")
_TOPIC_FIGURE = re.compile(
    r"(?:^|(?<=[.;:]\s)|(?<=[.;:]\s\s))[^\S\n]*(?:\(?[a-z0-9]{1,3}[.)][^\S\n]+)?(?:with\s+effect\s+from\s+[^,\n]{3,40},\s*)?"
    r"(?:the\s+parties\s+agree\s+that\s+)?(?P<topic>(?:the|each|any|all|[A-Z]\w+['\u2019]s)\s+(?:[^.;:\n\"\u201c\u201d]|" + _WRAP + r"){3,140}?)\s+"
    r"(?:is|are|(?:shall|will)\s+(?P<now1>now\s+|henceforth\s+)?be)\s+(?:hereby\s+)?(?P<now>now\s+|henceforth\s+)?(?P<verb>" + _FIGURE_VERBS + r"\s+)?"
    r"(?:from\s+(?P<old>(?:[^.;\n]|" + _WRAP + r"|\.(?=\d)){1,60}?)\s+to\s+|to\s+)?(?P<rest>(?:[^;\n]|" + _WRAP + r"){1,160}?)"
    r"(?=\.(?:\s|\Z)|;|\n[^\S\n]*(?:\n|\(?[a-z0-9]{1,3}[.)]\s)|\n?\Z)", re.I | re.M)

_BLOCK_END = re.compile(r"\n[^\S\n]*(?:\d{1,2}\.[^\S\n]+)?(?:except\s+as|save\s+as|all\s+other|other\s+than\s+as|this\s+amendment|"
                        r"this\s+addendum|this\s+change\s+order|counterparts|in\s+witness|signed\s+by|signatures?\b|governing\s+law|"
                        r"ratification|no\s+other\s+changes|(?:the\s+)?(?:remaining|other)\s+(?:terms|provisions))", re.I)
_MAX_NEW = 4000  # a replacement longer than this is cut: it is a schedule, cited by its start


def relation_kind(title: str, text: str) -> tuple[RelationKind, str] | None:
    """(kind, label) when the title or the opening words make this a change to another document."""
    head = text[:_HEAD_CHARS]
    first_line = next((ln.strip() for ln in head.splitlines() if ln.strip()), "").lstrip("#* ")
    # The first line counts as a title only when it reads as one (short, not a sentence).
    titled = first_line if len(first_line) <= 120 and ". " not in first_line and not first_line.endswith(".") else ""
    for candidate in (title or "", titled):
        for kind, cue in _TITLE_KINDS:
            if cue.search(candidate):
                label = _LABEL.search(candidate)
                return kind, (label.group(0) if label and kind != "restatement" else candidate).strip()  # type: ignore[return-value]
    own = _SELF_REFERENCE.search(head[:1500])
    if own and _REFERS.search(head):
        word = own.group(1).lower()
        kind = "change_order" if word.startswith("change") else word
        label = _LABEL.search(head, own.start())
        return kind, (label.group(0) if label else own.group(1)).strip()  # type: ignore[return-value]
    return None


def read_relation(title: str, text: str) -> Relation | None:
    """What this document amends and how, or None when it is not a change to another document."""
    found = relation_kind(title, text)
    if found is None:
        return None
    kind, label = found
    relation = Relation(kind=kind, label=" ".join(label.split()))
    _read_reference(text, relation)
    relation.effective_text, relation.effective = _effective(text)
    relation.changes = [Change(action="restate", target="*", start=0, end=0)] if kind == "restatement" else read_changes(text)
    return relation


def _read_reference(text: str, relation: Relation) -> None:
    """The document named as amended: the first title with a date after it, else the first title."""
    head = text[:_HEAD_CHARS]
    for m in _REFERS.finditer(head):
        title = " ".join(m.group("title").split())
        if _TITLE_KINDS[2][1].search(title) or _TITLE_KINDS[3][1].search(title) or len(title) < 6:
            continue  # "to this Amendment": the document itself
        relation.refers_title = relation.refers_title or title
        tail = head[m.end() : m.end() + 400]
        dated = _DATED.match(tail)
        when = dates(tail, dated.end(), min(len(tail), dated.end() + 40)) if dated else []
        if when and when[0].start == dated.end() and when[0].iso:
            relation.refers_title, relation.refers_date = title, when[0].iso
            return


def _effective(text: str) -> tuple[str, str]:
    for m in _EFFECTIVE.finditer(text[:_HEAD_CHARS * 2]):
        when = dates(text, m.end(), min(len(text), m.end() + 40))
        if when and when[0].start - m.end() <= 4 and when[0].iso:
            return when[0].text, when[0].iso
    return "", ""


def read_changes(text: str) -> list[Change]:
    """Every change instruction in an amendment's text, in order."""
    found: list[Change] = []
    for pattern in _FIGURE_PATTERNS:
        for m in pattern.finditer(text):
            found.append(Change(action="replace_figure", target=_clause_before(text, m.start()), old_text=m.group("old").strip(),
                                new_text=m.group("new").strip(), start=_line_start(text, m.start()), end=m.end(),
                                new_start=m.start("new"), new_end=m.end("new")))
    for pattern, action in ((_REPLACE, "replace_clause"), (_ADD, "add_clause")):
        for m in pattern.finditer(text):
            found.append(Change(action=action, target=_num(m), start=_line_start(text, m.start()), end=m.end()))
    for m in _SCHEDULE.finditer(text):
        found.append(Change(action="replace_schedule", target=_title_case(m.group("sched")), start=_line_start(text, m.start()), end=m.end(),
                            topic=" ".join((m.group("stitle") or "").split()), topic_is_heading=bool(m.group("stitle"))))
    found += _headed_changes(text)
    for m in _DELETE.finditer(text):
        found.append(Change(action="delete_clause", target=_num(m), start=_line_start(text, m.start()), end=m.end(),
                            new_start=m.start(), new_end=m.end()))
    for m in _EXTEND.finditer(text):
        found.append(Change(action="extend_term", target=_num(m) or "", new_text=m.group("what").strip(), start=_line_start(text, m.start()),
                            end=m.end(), new_start=m.start(), new_end=m.end()))
    changes = _without_overlaps(sorted(found, key=lambda c: (c.start, c.end)))
    for i, change in enumerate(changes):
        nxt = changes[i + 1].start if i + 1 < len(changes) else len(text)
        if change.action in ("replace_clause", "add_clause"):
            change.new_start, change.new_end = _block(text, change.end, nxt)
            change.new_text = _short(text[change.new_start : change.new_end])
        elif change.action == "replace_schedule":
            change.new_start, change.new_end = (_schedule_block(text, change.target, change.end) if change.target
                                                else _block(text, change.end, nxt))
            change.new_text = _short(text[change.new_start : change.new_end])
        change.effective = _own_effective(text, change.start, change.end)
    changes = _with_topic_figures(text, changes)
    for change in changes:
        if change.action == "replace_figure" and not change.target and not change.topic:
            change.topic, change.topic_is_heading = _heading_before(text, change.start, change.new_start)
    return [c for c in changes if c.target or c.topic or c.action == "extend_term"]


def _headed_changes(text: str) -> list[Change]:
    """ "The Section titled 'Service Credits' is deleted / replaced with the following: / amended so
    that the credit is 10%": the clause is known by its heading only."""
    out = []
    for m in _HEADED_CHANGE.finditer(text):
        heading = " ".join((m.group("heading") or m.group("heading2") or "").split())
        noun = (m.group("noun") or m.group("noun2") or "").lower()
        start = _line_start(text, m.start())
        if m.group("so"):
            new = _figure_at(m.group("rest"), m.start("rest"))
            if new is None:
                continue
            rest = m.group("rest")
            moved = re.search(r"\bfrom\s+(?P<old>[^;\n]{1,60}?)\s+to\s+", rest, re.I)  # "... from 5% to 10%"
            if moved:
                new = _figure_at(rest[moved.end():], m.start("rest") + moved.end()) or new
            out.append(Change(action="replace_figure", topic=heading, topic_is_heading=True, new_text=text[new[0]:new[1]],
                              old_text=_old_figure(moved.group("old")) if moved else "", start=start, end=m.end(),
                              new_start=new[0], new_end=new[1]))
        elif m.group("delete"):
            out.append(Change(action="delete_clause", topic=heading, topic_is_heading=True, start=start, end=m.end(),
                              new_start=m.start(), new_end=m.end()))
        else:
            action = "replace_schedule" if noun in ("schedule", "exhibit", "annex", "appendix") else "replace_clause"
            out.append(Change(action=action, topic=heading, topic_is_heading=True, start=start, end=m.end()))
    return out


def _with_topic_figures(text: str, changes: list[Change]) -> list[Change]:
    """ "The notice period for termination for convenience is now thirty (30) days", "the payment
    term is increased from 45 days to 60 days": a new figure for a topic. Read only outside the
    other changes and their new wording (a replacement clause states figures too), and only when
    the sentence says it changes something ("now", "increased to", "from ... to ...")."""
    taken = [(c.start, c.end) for c in changes] + [(c.new_start, c.new_end) for c in changes if c.new_end > c.new_start]
    out = list(changes)
    for m in _TOPIC_FIGURE.finditer(text):
        if not (m.group("now") or m.group("now1") or m.group("verb") or m.group("old")):
            continue
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        topic = m.group("topic")
        if _REF_ANY.search(topic) or re.search(r"\b(?:term|expir\w*|end\s+date)\b", topic, re.I) and not _figure_at(m.group("rest"), 0):
            continue  # a numbered clause is read above; an end date is a term extension
        new = _figure_at(m.group("rest"), m.start("rest"))
        if new is None:
            continue
        out.append(Change(action="replace_figure", topic=" ".join(re.sub(r"^(?:the|each|any|all)\s+", "", topic, flags=re.I).split()),
                          old_text=_old_figure(m.group("old") or ""), new_text=text[new[0]:new[1]], start=_line_start(text, m.start()),
                          end=m.end(), new_start=new[0], new_end=new[1], effective=_own_effective(text, m.start(), m.end())))
    return sorted(out, key=lambda c: (c.start, c.end))


def _figure_at(text: str, offset: int) -> tuple[int, int] | None:
    """The first figure (a duration, percentage or amount) in `text`, as offsets shifted by `offset`."""
    from assistant.contracts.topic_link import figures

    found = figures(text)
    return (offset + found[0].start, offset + found[0].end) if found else None


def _old_figure(text: str) -> str:
    from assistant.contracts.topic_link import figures

    found = figures(text)
    return text[found[0].start : found[0].end] if found else ""


def _heading_before(text: str, start: int, pos: int) -> tuple[str, bool]:
    """A figure instruction with no clause number may name its clause by heading ("In the section
    headed 'Fees', ...")."""
    m = re.search(r"(?:section|clause|article|paragraph|provision)\s+(?:titled|entitled|headed|captioned|called|named)\s+"
                  rf"{_QUOTE_OPEN}([^\"\u201c\u201d\n]{{2,80}}?){_QUOTE_CLOSE}(?!\w)", text[start:pos], re.I)
    return (" ".join(m.group(1).split()), True) if m else ("", False)


def _without_overlaps(changes: list[Change]) -> list[Change]:
    # The same words can match two shapes ("Clause 12.2 is deleted and replaced with" is a
    # replacement, not a deletion); the first, longest reading of a span wins, a figure first.
    kept: list[Change] = []
    for c in changes:
        clash = next((k for k in kept if c.start < k.end and k.start < c.end), None)
        if clash is None:
            kept.append(c)
        elif c.action == "replace_figure" and clash.action != "replace_figure":
            kept[kept.index(clash)] = c
    return kept


def _num(m: re.Match) -> str:
    return next((v for k, v in m.groupdict().items() if k.startswith("num") and v), "")


def _title_case(name: str) -> str:
    word, _, rest = " ".join(name.split()).partition(" ")
    return f"{word.capitalize()} {rest}"


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _clause_before(text: str, pos: int) -> str:
    """The clause a figure instruction names: the last clause reference in its sentence."""
    window_start = max(_line_start(text, pos), pos - 300)
    refs = list(re.finditer(_REF, text[window_start:pos], re.I))
    return refs[-1].group("num") if refs else ""


def _block(text: str, start: int, limit: int) -> tuple[int, int]:
    """The new wording after an instruction: to the next instruction or the closing boilerplate."""
    end = min(limit, start + _MAX_NEW)
    closing = _BLOCK_END.search(text, start, end)
    if closing:
        end = closing.start()
    if limit < len(text):
        end = min(end, _line_start(text, limit) or end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _schedule_block(text: str, name: str, after: int) -> tuple[int, int]:
    """The replacement schedule attached to the amendment: from its heading to the next schedule
    heading or the end; the words after the instruction when none is attached."""
    word, _, ident = name.partition(" ")
    heading = re.compile(rf"^[^\S\n]*[#*]*[^\S\n]*{word}\s+{re.escape(ident)}\b", re.I | re.M)
    m = heading.search(text, after)
    if not m:
        return _block(text, after, len(text))
    nxt = re.compile(r"^[^\S\n]*[#*]*[^\S\n]*(?:schedule|exhibit|annex|appendix|attachment)\s+\w+\b|^[^\S\n]*in\s+witness", re.I | re.M)
    later = nxt.search(text, m.end())
    end = later.start() if later else len(text)
    return m.start(), min(end, m.start() + _MAX_NEW * 3)


def _own_effective(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", end)
    window = text[start : line_end if line_end != -1 else len(text)]
    m = _EFFECTIVE.search(window)
    if m:
        when = dates(window, m.end(), min(len(window), m.end() + 40))
        if when and when[0].iso:
            return when[0].iso
    return ""


def _short(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"
