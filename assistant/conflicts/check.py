"""Pairing what SOPs and runbooks instruct with what contracts promise, and judging each pair.

For every SOP sentence with a claim (conflicts.claims) the contract sentence most about the same
thing is found: enough shared topic words, and chunks whose stored vectors are close. Figures of
the same kind are compared in order. Equal figures agree (not a conflict); otherwise the
contract's bound says which way the SOP deviates: a longer time limit, a lower target, a higher
limit or a rarer check is `sop_looser` (following the SOP breaks the promise); the reverse is
`sop_stricter`; a notice channel the contract doesn't provide for is `different_channel`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from assistant.conflicts.claims import Claim, claims
from assistant.contracts.document import ContractDoc
from assistant.models import Conflict, ConflictItem

MIN_SHARED = 3  # topic words two sentences must share to be about the same obligation
MIN_OVERLAP = 0.3  # ...as a share of the shorter sentence's topic
MIN_COSINE = 0.45  # the two chunks' stored vectors (all-MiniLM-L6-v2 cosine)
_WRITTEN = {"written", "email", "mail", "portal"}  # what "in writing" admits unless the contract narrows it


@dataclass
class Side:
    doc: ContractDoc  # rebuilt from stored chunks (an SOP too: the rebuild is format-agnostic)
    claims: list[Claim]


def read_side(doc: ContractDoc) -> Side:
    return Side(doc, claims(doc.clean))


def _sentences(side: Side) -> dict[tuple[int, int], list[Claim]]:
    out: dict[tuple[int, int], list[Claim]] = {}
    for c in side.claims:
        out.setdefault((c.start, c.end), []).append(c)
    return out


def find_conflicts(sops: list[Side], contracts: list[Side], vectors: dict[str, np.ndarray]) -> tuple[list[Conflict], int]:
    """(conflicts, pairs that agree). `vectors`: chunk id -> stored embedding."""
    found: list[Conflict] = []
    agreeing = 0
    contract_sentences = [(side, span, group) for side in contracts for span, group in _sentences(side).items()]
    # Which contract sentences hold each topic word: only those sharing MIN_SHARED words are compared
    # (all pairs would be millions over a corpus of a few hundred documents).
    by_word: dict[str, list[int]] = {}
    for i, (_, _, group) in enumerate(contract_sentences):
        for word in group[0].topic:
            by_word.setdefault(word, []).append(i)
    for sop in sops:
        for span, group in _sentences(sop).items():
            counts = Counter(i for word in group[0].topic for i in by_word.get(word, ()))
            candidates = [contract_sentences[i] for i, n in counts.items() if n >= MIN_SHARED]
            match = _best_match(sop, span, group, candidates, vectors)
            if match is None:
                continue
            side, c_span, c_group = match
            conflict = _judge(sop, span, group, side, c_span, c_group)
            if conflict is None:
                agreeing += 1
            elif conflict.key not in {f.key for f in found}:
                found.append(conflict)
    return found, agreeing


def _best_match(sop: Side, span, group: list[Claim], candidates, vectors):
    dims = {c.dim for c in group}
    topic = group[0].topic
    sop_chunk = sop.doc.chunk_for(*span)
    best, best_score = None, 0.0
    for side, c_span, c_group in candidates:
        if not dims & {c.dim for c in c_group}:
            continue
        shared = topic & c_group[0].topic
        if len(shared) < MIN_SHARED or len(shared) / min(len(topic), len(c_group[0].topic)) < MIN_OVERLAP:
            continue
        cosine = _cosine(vectors, sop_chunk, side.doc.chunk_for(*c_span))
        if cosine < MIN_COSINE:
            continue
        score = len(shared) + cosine
        if score > best_score:
            best, best_score = (side, c_span, c_group), score
    return best


def _cosine(vectors, a, b) -> float:
    if a is None or b is None or a.id not in vectors or b.id not in vectors:
        return 0.0
    va, vb = vectors[a.id], vectors[b.id]
    return float(va @ vb / ((np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0))


def _judge(sop: Side, span, group, contract: Side, c_span, c_group) -> Conflict | None:
    for dim in ("time", "percent", "money", "frequency", "channel"):
        mine = [c for c in group if c.dim == dim]
        theirs = [c for c in c_group if c.dim == dim]
        for a, b in zip(mine, theirs):
            if not _same_rule(a, b):
                break  # figures are paired in order: after one that isn't the same rule, the rest are misaligned
            kind = _kind(a, b)
            if kind:
                return _conflict(kind, a, b, sop, span, contract, c_span)
    return None


def _same_rule(a: Claim, b: Claim) -> bool:
    """What must happen by the figure is named by the other sentence too (one side suffices: the
    SOP may word it differently), and a time counted from an event counts from one the other
    sentence names."""
    if not (a.head & b.topic or b.head & a.topic):
        return False
    return not (a.event and not a.event & b.topic) and not (b.event and not b.event & a.topic)


def _kind(sop: Claim, promise: Claim) -> str | None:
    if sop.dim == "channel":
        allowed = set(promise.channels) | (_WRITTEN if promise.channels <= {"written"} else set())
        return None if set(sop.channels) & allowed else "different_channel"
    if abs(sop.value - promise.value) <= 1e-6 * max(1.0, abs(promise.value)):
        return None
    if sop.bound != promise.bound:
        return None  # a ceiling against a floor: two different rules, nothing to compare
    higher = sop.value > promise.value
    if sop.dim == "frequency":
        return "sop_stricter" if higher else "sop_looser"  # more often than promised is stricter
    if promise.bound == "max":  # a ceiling: a time limit, an approval limit, an error rate
        return "sop_looser" if higher else "sop_stricter"
    return "sop_stricter" if higher else "sop_looser"  # a floor: a target, a notice period


_WORDS = {"sop_looser": "allows {a} where the contract promises {b}: following the SOP can breach the contract",
          "sop_stricter": "asks for {a} where the contract promises {b}: stricter than the contract (no breach, but the two differ)",
          "different_channel": "says {a} where the contract provides for {b}"}


def _conflict(kind: str, a: Claim, b: Claim, sop: Side, span, contract: Side, c_span) -> Conflict | None:
    items = [_item(sop.doc, span, a), _item(contract.doc, c_span, b)]
    if None in items:
        return None
    shared = [w for w in _ordered_topic(sop.doc.clean[span[0] : span[1]]) if w in (a.topic & b.topic)]
    explanation = f"{sop.doc.title or sop.doc.source} " + _WORDS[kind].format(a=a.text, b=b.text)
    return Conflict(topic=" ".join(shared[:6]), kind=kind, items=items, explanation=explanation)  # type: ignore[arg-type]


def _ordered_topic(sentence: str) -> list[str]:
    from assistant.conflicts.claims import stem, topic_words

    words = topic_words(sentence)
    seen: list[str] = []
    for raw in sentence.lower().split():
        w = stem("".join(ch for ch in raw if ch.isalpha() or ch == "-"))
        if w in words and w not in seen:
            seen.append(w)
    return seen


def _item(doc: ContractDoc, span: tuple[int, int], claim: Claim) -> ConflictItem | None:
    cite = doc.cite(*span)
    if cite is None:
        return None
    return ConflictItem(source=cite.source, doc_type=_doc_type(doc, span), clause_no=cite.clause_no, section_path=cite.section_path,
                        chunk_id=cite.chunk_id, quote=cite.quote, value=claim.text)


def _doc_type(doc: ContractDoc, span) -> str:
    piece = doc.chunk_for(*span)
    return (piece.meta.get("doc_type") if piece else None) or doc.doc_type or "other"
