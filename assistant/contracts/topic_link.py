"""Which clause an amendment means when it names no clause number.

"The notice period for termination for convenience is now thirty (30) days", "the Section titled
'Service Credits' is amended so that the credit is 10%", "Schedule 2 (Service Levels) is replaced":
the change names a topic, a heading or a schedule's title. `find_target` reads the amended
document's clauses and headed sections and links the change only when exactly one of them matches
with confidence:
- a quoted heading must be the heading of exactly one clause or section;
- a topic is scored by its words in the clause's heading and text (a heading counts more) and by
  the clause type the taxonomy reads from both; the best must clear a floor and lead the next by a
  margin;
- a figure change needs a figure of the same kind there (a duration for "thirty (30) days", a
  percentage for "10%"), the old figure itself when the amendment states it ("from 45 days to 60
  days"), and exactly one such figure in the sentence about the topic.
Anything else is a `Miss` with its reason: the change stays unapplied, and is reported as one that
"may change" the agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.text.clauses import normalize, sentence_spans
from assistant.text.quantities import durations, money, percents

if TYPE_CHECKING:
    from assistant.contracts.amendments import Change
    from assistant.contracts.document import ContractDoc

FLOOR = 0.75  # share of the topic's words a clause must carry (a heading word counts half again)
MARGIN = 0.3  # how far the best clause must lead the next one
_GENERIC = {
    "the", "a", "an", "of", "for", "to", "in", "on", "by", "with", "and", "or", "under", "this", "that", "these", "its", "their",
    "agreement", "contract", "period", "time", "amount", "shall", "will", "be", "is", "are", "now", "each", "any", "all", "such",
    "supplier", "customer", "provider", "client", "vendor", "party", "parties", "company", "per", "which", "from", "after",
    "before", "within", "applicable", "section", "clause", "article", "paragraph", "provision", "schedule", "exhibit", "annex",
    "appendix", "set", "out", "stated", "specified", "relevant", "current", "new", "hereby", "so", "than", "at", "as",
}
_HEADING_LINE = re.compile(r"^[^\S\n]*(?:#{1,6}[^\S\n]+(?P<md>[^\n]{2,120}?)|(?P<bare>[A-Z][^\n.:;!?]{2,80}?))[^\S\n]*$", re.M)
_SMALL = {"and", "or", "of", "for", "the", "to", "in", "on", "a", "an", "by", "with", "under", "upon", "at", "-", "\u2013"}


@dataclass
class Unit:
    """A clause (numbered) or a headed section of the amended document."""

    number: str  # "12.2"; "" for a section known by its heading only
    heading: str
    start: int
    end: int

    @property
    def name(self) -> str:
        return f"clause {self.number}" if self.number else f"the section headed \u201c{self.heading}\u201d"


@dataclass
class Hit:
    unit: Unit
    start: int  # the span superseded: the clause, or the figure inside it
    end: int
    old_text: str = ""


@dataclass
class Miss:
    reason: str  # "2 clauses could be meant (clause 12.1, clause 14.2)"


@dataclass
class Figure:
    kind: str  # duration | percent | money
    value: float
    start: int
    end: int


def find_target(doc: ContractDoc, change: Change) -> Hit | Miss:
    """The clause (and for a figure, the figure) a change without a clause number supersedes."""
    units = doc_units(doc)
    new = _first_figure(change.new_text) if change.action == "replace_figure" else None
    old = _first_figure(change.old_text) if change.old_text else None
    if change.action == "replace_figure" and new is None and old is None:
        return Miss("it states no figure to put in place")
    if change.topic_is_heading:
        wanted = _heading_key(change.topic)
        # A schedule is named by its title beside a number that may differ ("Schedule 3 (Service
        # Levels)" for the agreement's "Schedule B - Service Levels"); a clause by its whole heading.
        schedule = change.action == "replace_schedule"
        matched = [u for u in units if u.heading and (_heading_key(u.heading) == wanted or schedule and _is_schedule(u.heading)
                                                      and re.search(rf"\b{re.escape(wanted)}$", _heading_key(u.heading)))]
        matched = _innermost(matched)
        if len(matched) != 1:
            return Miss(f"no clause is headed \u201c{change.topic}\u201d" if not matched else
                        f"{len(matched)} clauses are headed \u201c{change.topic}\u201d")
        unit = matched[0]
        return _figure_in(doc, unit, change, new, old) if change.action == "replace_figure" else Hit(unit, unit.start, unit.end)
    topic = stems(change.topic)
    if not topic:
        return Miss("it names no clause and no topic")
    category = _category(change.topic)
    scored = []
    numbered = [u.start for u in units if u.number]
    for u in units:
        if not u.number and any(u.start < n < u.end for n in numbered):
            continue  # a heading over numbered clauses (a title, "## 12. Termination"): the clauses are candidates
        if change.action == "replace_figure" and not _figures_like(doc, u, new, old):
            continue
        score = _score(doc, u, topic, category)
        if score >= FLOOR:
            scored.append((score, u))
    keep = {id(u) for u in _innermost([u for _, u in scored])}
    scored = sorted(((s, u) for s, u in scored if id(u) in keep), key=lambda t: -t[0])
    if not scored:
        return Miss(f"no clause of {doc.title or doc.source} is about \u201c{change.topic}\u201d"
                    + (" with such a figure" if change.action == "replace_figure" else ""))
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        close = [u.name for s, u in scored if scored[0][0] - s < MARGIN]
        return Miss(f"{len(close)} clauses could be meant ({', '.join(close[:4])})")
    unit = scored[0][1]
    return _figure_in(doc, unit, change, new, old) if change.action == "replace_figure" else Hit(unit, unit.start, unit.end)


def doc_units(doc: ContractDoc) -> list[Unit]:
    from assistant.contracts.in_force import clause_span

    out: list[Unit] = []
    seen: set[str] = set()
    for mark in doc.marks:
        if mark.number in seen:
            continue
        seen.add(mark.number)
        span = clause_span(doc, mark.number)
        if span:
            out.append(Unit(mark.number, mark.heading, *span))
    heads = [m for m in _HEADING_LINE.finditer(doc.text) if _title_like(m.group("md") or m.group("bare") or "")]
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(doc.text)
        heading = re.sub(r"^[#*\s]*(?:\d{1,3}(?:\.\d{1,3})*\.?\s+)?|[*_]+", "", m.group("md") or m.group("bare")).strip()
        if heading and end > m.end():
            out.append(Unit("", heading, m.start(), end))
    return out


def _is_schedule(heading: str) -> bool:
    return bool(re.match(r"\s*(?:schedule|exhibit|annex|appendix|attachment)\b", heading, re.I))


def _title_like(line: str) -> bool:
    words = re.sub(r"[#*_]", "", line).split()
    if not 1 <= len(words) <= 10:
        return False
    return all(w[:1].isupper() or w.lower() in _SMALL or not w[:1].isalpha() for w in words)


def _innermost(units: list[Unit]) -> list[Unit]:
    """Drop a clause or section that holds another of the list: the inner one is what is meant."""
    return [u for u in units if not any(o is not u and u.start <= o.start and o.end <= u.end and (o.end - o.start) < (u.end - u.start)
                                        for o in units)]


def stems(text: str) -> set[str]:
    """Content words, crudely stemmed, so "terminate" meets "termination" and "credits" "credit"."""
    words = re.findall(r"[a-z]+", normalize(text))
    return {_stem(w) for w in words if w not in _GENERIC and len(w) > 2}


def _stem(word: str) -> str:
    return word[:5] if len(word) > 5 else word.rstrip("s")


def _score(doc: ContractDoc, unit: Unit, topic: set[str], category: str) -> float:
    body = stems(doc.text[unit.start : unit.end][:6000])
    head = stems(unit.heading)
    score = len(topic & (body | head)) / len(topic) + 0.5 * len(topic & head) / len(topic)
    if category and category == _category(unit.heading):
        score += 0.25
    return score


def _heading_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", normalize(text)))


@lru_cache(maxsize=1)
def _taxonomy():
    from assistant.contracts.taxonomy import Taxonomy

    return Taxonomy.load()


@lru_cache(maxsize=512)
def _category(words: str) -> str:
    """The clause type whose heading cues the words carry ("" when none or several tie)."""
    text = normalize(words)
    if not text:
        return ""
    scores = sorted(((sum(w for p, w in c.heading_patterns if p.search(text)), c.name) for c in _taxonomy().categories), reverse=True)
    if not scores or scores[0][0] <= 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return ""
    return scores[0][1]


# -- figures -------------------------------------------------------------------------------------

def figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    end = len(text) if end is None else end
    out = [Figure("duration", float(d.seconds or (d.days or 0) * 86400 or d.value), d.start, d.end) for d in durations(text, start, end)]
    out += [Figure("percent", v, _percent_start(text, a, b), b) for v, a, b in percents(text) if start <= a and b <= end]
    out += [Figure("money", v, a, b) for v, _, a, b in money(text) if start <= a and b <= end]
    return sorted(out, key=lambda f: f.start)


def _percent_start(text: str, a: int, b: int) -> int:
    # "six percent (6%)" is read with up to 40 characters of words before it: only the number's own
    # word (or words, "twenty-five") belongs to the figure.
    words = list(re.finditer(r"[A-Za-z-]+\s+percent\b", text[a:b], re.I))
    return a + words[-1].start() if words else a


def _first_figure(text: str) -> Figure | None:
    found = figures(text or "")
    return found[0] if found else None


def _figures_like(doc: ContractDoc, unit: Unit, new: Figure | None, old: Figure | None) -> bool:
    return bool(_matching(doc, unit.start, unit.end, new, old))


def _matching(doc: ContractDoc, start: int, end: int, new: Figure | None, old: Figure | None) -> list[Figure]:
    kind = (old or new).kind  # type: ignore[union-attr]
    found = [f for f in figures(doc.clean, start, end) if f.kind == kind]
    if old is not None:
        found = [f for f in found if abs(f.value - old.value) < 1e-6]
    return found


def _figure_in(doc: ContractDoc, unit: Unit, change: Change, new: Figure | None, old: Figure | None) -> Hit | Miss:
    """The one figure of the clause the change replaces: the only one of its kind, else the one whose
    paragraph, sentence and preceding words say most of the topic (a tie is not guessed)."""
    found = _matching(doc, unit.start, unit.end, new, old)
    if len(found) == 1:
        f = found[0]
        return Hit(unit, f.start, f.end, doc.clean[f.start : f.end])
    if not found:
        return Miss(f"{unit.name} states no such figure")
    topic = stems(change.topic)
    # What the figure is (the topic's head: "service credit" in "service credit for Email Response
    # Time") counts double in the words just before a figure.
    head = stems(re.split(r"\b(?:for|of|on|in|under|to|applicable)\b", change.topic, maxsplit=1, flags=re.I)[0])
    sentences = [(a, b) for a, b in sentence_spans(doc.clean[: unit.end]) if b > unit.start]
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n]|\n(?![^\S\n]*\n))+", doc.clean[: unit.end]) if m.end() > unit.start]

    def around(f: Figure, spans: list[tuple[int, int]]) -> set[str]:
        return next((stems(doc.clean[a:b]) for a, b in spans if a <= f.start < b), set())

    scored = sorted(((len(topic & around(f, paragraphs)) + len(topic & around(f, sentences))
                      + len(topic & _before(doc, unit, f)) + len(head & _before(doc, unit, f)), f) for f in found),
                    key=lambda t: -t[0])
    if scored[0][0] > scored[1][0]:
        f = scored[0][1]
        return Hit(unit, f.start, f.end, doc.clean[f.start : f.end])
    return Miss(f"{unit.name} states {len(found)} such figures and the amendment doesn't say which")


def _before(doc: ContractDoc, unit: Unit, f: Figure) -> set[str]:
    return stems(doc.clean[max(unit.start, f.start - 60) : f.start])
