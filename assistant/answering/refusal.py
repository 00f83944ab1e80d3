"""Every rule that turns a question into "the documents don't cover this", in one place.

A wrong answer marked grounded is worse than a refusal, so the assistant declines when any rule
holds. The rules, in the order the answer pipeline meets them:

1. the request is not a question about documents (write a poem, translate, live prices), or is
   a follow-up fragment ("and for SEV-2?") with no earlier question to follow;
2. nothing was retrieved;
3. the question names something no readable document mentions (assistant/answering/coverage.py), or
   names a document none of whose passages was retrieved (the answer may come only from it);
4. the evidence is weak: the best dense similarity is below `answering.min_dense_score`, or
   the passage judge's best score over the top passages is below `answering.min_judge_score`
   while the dense similarity is not high either;
4b. every passage left reads as instructions to a model (ingest/instructions.py): such text is
   data, searchable, never an answer on its own;
4c. offline, no unit of the top passages can answer (labels, fragments, templates, headings);
5. the question asks for a figure (a percentage, a duration...) or a facet that is just as
   checkable (a person's name, contact details, which organisation: answertype.FACETS)
   and the chosen units state none: the near miss "who is the finance controller, by name?"
   over a passage that names the role and no one;
5b. the question names the quantity it asks a figure of ("how many QA evaluations", "what's the
   deductible", "what's the turnaround time") and neither the chosen units nor their heading
   name it: the figures quoted are of something else;
6. with an LLM, the model replied NOT_IN_DOCUMENTS, or no sentence of the reply survived
   verification (assistant/answering/verify.py).

Measured and left out: a threshold on the judge's score of the answering sentence (it refused as
many answerable dev questions as unanswerable ones, evals/RESULTS.md run 13); per-question-word
token matches of the answer's evidence (assistant/retrieval/tokenmatch.py, RESULTS run 14).

The reply names the closest documents the caller may read. A caller who cannot read every
collection is told that the answer may be in documents outside their access, whichever rule
declined: the wording is the same whether or not such documents exist, so it reveals nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answering import answertype
from assistant.config import Settings
from assistant.models import Answer, SearchResult

REFUSAL = "The documents don't cover this."
OUTSIDE_ACCESS = ("I can't find it in the documents you can read. If it is covered in documents outside your "
                  "access, ask your coordinator.")
# How many of the top passages the evidence rule looks at (the answer draws from the first few).
EVIDENCE_DEPTH = 8
# The judge's doubt declines only while the dense similarity is below this too: the judge misreads
# some passages the embedding finds very close (alert runbooks full of code and names; measured on
# the dev sets: +0.7% false refusals for +2.9% refusals with it, +1.1% for +3.6% without).
JUDGE_DOUBT_BELOW_DENSE = 0.5


@dataclass(frozen=True)
class Decline:
    reason: str  # why, for the audit log and `flagged`
    detail: str = ""  # one more sentence for the user, after the refusal
    missing: tuple[str, ...] = field(default=())  # names no readable document mentions


def not_about_documents(question: str, fragment_without_history: bool = False) -> Decline | None:
    if answertype.not_a_document_question(question):
        return Decline("not a question about the documents", "This assistant answers from the indexed documents only.")
    if fragment_without_history:
        return Decline("a follow-up with no earlier question", "It reads as a follow-up: ask the whole question.")
    return None


def weak_evidence(settings: Settings, results: list[SearchResult], missing: list[str]) -> Decline | None:
    """Rules 2-4, before any answer is composed."""
    if not results:
        return Decline("nothing retrieved")
    if missing:
        return Decline("not mentioned in the documents: " + ", ".join(missing), missing=tuple(missing))
    # Both signals: the judge misses what reads as on-topic to it, the dense similarity what a
    # bare fragment ("and for SEV-2?") leaves far from every passage.
    best_dense = max((r.dense_score or 0.0 for r in results), default=0.0)
    if best_dense < settings.answering.min_dense_score:
        return Decline(f"weak evidence: similarity {best_dense:.2f} < {settings.answering.min_dense_score}")
    judged = [r.judge_score for r in results[:EVIDENCE_DEPTH] if r.judge_score is not None]
    if judged and max(judged) < settings.answering.min_judge_score and best_dense < JUDGE_DOUBT_BELOW_DENSE:
        return Decline(f"weak evidence: judge {max(judged):.2f} < {settings.answering.min_judge_score}")
    return None


def outside_named_document(results: list[SearchResult], named_source: str | None) -> Decline | None:
    """Rule 3b: the question names a document ("the Kubient MSA", "KubeHpaMaxedOut") and none of
    the top passages is from it: a passage of another contract answers another question."""
    if named_source is None or any(r.source == named_source for r in results[:EVIDENCE_DEPTH]):
        return None
    return Decline(f"nothing from the named document {named_source}",
                   "The document the question names doesn't address it.")


def only_instructions(results: list[SearchResult]) -> Decline | None:
    """Rule 4b: the passages that could answer all read as instructions addressed to a model."""
    if results and all(r.instruction_like for r in results):
        return Decline("the closest passages read as instructions to an assistant, not as documentation")
    return None


def no_unit_answers(candidates: list) -> Decline | None:
    """Rule 4c: no sentence, item or row of the top passages can answer (each is a label, a
    fragment, a fill-in template, a heading or the document's own question). No reason is recorded."""
    return None if candidates else Decline("")


def missing_figure(kind: answertype.Kind | None, chosen: list[str], closest: str = "", where: str = "") -> Decline | None:
    """Rule 5 (see the module docstring): the passages are about the topic but state no figure of the kind asked for:
    quoting them as the answer would read as one and isn't. The reply says what the closest
    passage does say (`closest`, from `where`), so the reader sees why."""
    if kind is None or any(answertype.gives(text, kind) for text in chosen):
        return None
    detail = f"The closest passages don't state {kind.value} for it."
    if closest:
        detail += _said(closest, where)
    return Decline(f"no passage states {kind.value}", detail)


def unnamed_quantity(question: str, kind: answertype.Kind | None, chosen: list[str], closest: str = "",
                     where: str = "") -> Decline | None:
    """Rule 5b: a figure question names the quantity it asks for ("how many QA evaluations...",
    "what's the deductible...") and no chosen unit, nor the heading they sit under, names it: the
    figures quoted are of something else (the insurance limits for a deductible)."""
    if kind is None or kind in answertype.FACETS:
        return None
    words = answertype.asked_quantity(question)
    if not words or answertype.names_quantity(" ".join([where, *chosen]), words):
        return None
    named = " ".join(_as_asked(question, w) for w in words)
    detail = f"The closest passages give figures, but none for “{named}”."
    if closest:
        detail += _said(closest, where)
    return Decline(f"no passage names the {named}", detail)


def _as_asked(question: str, word: str) -> str:
    """The word as the question wrote it ("MTTR", not "mttr")."""
    found = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", question, re.IGNORECASE)
    return found.group(0) if found else word


def _said(closest: str, where: str) -> str:
    said = closest if len(closest) <= CLOSEST_CHARS else closest[: CLOSEST_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f" The closest, in {where}, says: “{said}”" if where else f" The closest says: “{said}”"


CLOSEST_CHARS = 220  # how much of the closest passage a near-miss refusal repeats
CLOSEST_DOCUMENTS = 3  # the closest documents a refusal names: enough to point somewhere, short to read
NAMED_MISSING = 3  # the unknown names a refusal repeats (the rest are in `flagged`)
# What the answer prompt (prompts/answer.md) tells the model to reply when the passages don't answer.
NOT_IN_DOCUMENTS = "NOT_IN_DOCUMENTS"


def model_declined(reply: str) -> Decline | None:
    """Rule 6, first half: the model itself said the passages don't answer (or said nothing)."""
    if NOT_IN_DOCUMENTS in reply or not reply.strip():
        return Decline("the model found nothing in the passages")
    return None


def nothing_verified(kept: list[str]) -> Decline | None:
    """Rule 6: no sentence of the model's reply survived verification (assistant/answering/verify.py)."""
    if kept:
        return None
    return Decline("no sentence of the model's reply is supported by a passage it cites")


def refusal(results: list[SearchResult], decline: Decline | None = None, mode: str = "extractive") -> Answer:
    """The refusal reply: what is missing and the closest documents."""
    decline = decline or Decline("")
    closest: list[str] = []
    for r in results:
        if r.title and r.title not in closest:
            closest.append(r.title)
    closest = closest[:CLOSEST_DOCUMENTS]
    text = REFUSAL
    if decline.missing:
        text += " They never mention " + ", ".join(f"'{t}'" for t in decline.missing[:NAMED_MISSING]) + "."
    if decline.detail:
        text += " " + decline.detail
    if closest:
        text += _CLOSEST + "; ".join(closest) + "."
    return Answer(answer=text, grounded=False, citations=[], closest_sources=closest, mode=mode,
                  flagged=[decline.reason] if decline.reason else [])


_CLOSEST = " The closest documents are: "


def for_caller(answer: Answer, limited_access: bool) -> Answer:
    """A refusal to a caller who cannot read every collection says so, before the closest
    documents (which are all documents the caller may read)."""
    if answer.grounded or not limited_access or OUTSIDE_ACCESS in answer.answer:
        return answer
    head, sep, tail = answer.answer.partition(_CLOSEST)
    return answer.model_copy(update={"answer": f"{head} {OUTSIDE_ACCESS}{sep}{tail}"})
