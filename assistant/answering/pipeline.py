"""The answer pipeline: standalone question -> (retrieved passages) -> refuse? -> compose -> verify.

Every decline rule is in answering/refusal.py; this module asks it at each step. Offline the
answer is extractive: the sentences, items or rows of the best passages closest to the question
(scored by the embedding and, when present, the passage judge), quoted with numbered citations.
With an LLM the model writes from the same passages and answering/verify.py keeps only what its
citations support.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import numpy as np

from assistant.answering import answertype, extractive, followup, refusal
from assistant.text import amounts
from assistant.answering.citations import citation_for, clause_label
from assistant.answering.units import STOP, WORD, can_answer, is_heading_line
from assistant.answering.verify import Verifier
from assistant.config import Settings
from assistant.llm import invoke_text
from assistant.models import CONTRACT_DOC_TYPES, Answer, SearchResult, Turn
from assistant.prompts import load_prompt

# A sentence that states the kind of figure the question asks for ("how many days...") beats a
# slightly closer one that doesn't: about one rank step in the semantic score.
TYPE_BONUS = 0.08
# How much closer an untyped sentence may be before the typed one no longer counts as the answer.
TYPE_MARGIN = 0.15
# Added to a unit whose stated range contains the amount of money the question asks about (half
# for an open range such as "over 2,000"): enough to beat a sentence that only shares its words.
AMOUNT_BONUS = 0.3
# Added to a table row whose first cell the question names ("SEV-2", "RX-LATE", "Email Response
# Time"): in a table keyed by severity, code or metric that row is the one about it, while the
# closest sentence often just shares the code ("A SEV-1 is resolved when...").
ROW_KEY_BONUS = 0.2
_CLOSE_TAG = re.compile(r"<\s*/\s*document\s*>", re.I)


@dataclass
class _Candidate:
    result_index: int
    start: int
    end: int
    text: str  # raw text, exactly as in the chunk (what a citation quotes)
    score: float = 0.0
    display: str = ""
    kind: str = "sentence"  # extractive.Unit.kind: sentence | item | row
    judged: float | None = None  # the judge's own logit, when it read this unit

    @property
    def is_lead_in(self) -> bool:
        """It ends with ':' ("The Deputy is expected to:"): it introduces the units after it."""
        return self.display.rstrip().endswith(":")


@dataclass(frozen=True)
class _Scale:
    """How far apart two unit scores must be to mean something, in the units of the scorer: a
    cosine-based prior (about 0..1.5) or the judge's logits (about -11..+10)."""

    mate: float  # a unit of the best passage this close to the best joins the answer
    other: float  # a unit of another passage this close joins it (a second source)
    type_bonus: float  # added to a unit that states the kind of figure asked for
    type_margin: float  # how much closer an untyped unit may be before the typed one loses
    amount_bonus: float  # times amounts.placement: the row whose range holds the asked amount
    row_key_bonus: float  # a table row whose first cell the question names


COSINE = _Scale(mate=0.08, other=0.04, type_bonus=TYPE_BONUS, type_margin=TYPE_MARGIN, amount_bonus=AMOUNT_BONUS,
                row_key_bonus=ROW_KEY_BONUS)
# The judge reads words, not ranges: "who signs off on a $2,600 credit?" scores the "Customer
# Sign-off" paragraph above the table row "1,000.01 to 4,000.00 | Contact Centre Manager", so the
# amount and the row key keep their bonuses on the judge's scale: an amount in a bounded range outweighs the
# judge's misreading of a row (8 logits in that example); the row key about ten times the cosine bonus.
# A unit of the best passage within 1.5 logits joins it (0.75 before run 16: the fact often sat
# second in the same passage, a logit behind; dev phrase rate +2 of 97 and users +2 of 80, mean
# answer +14 characters, nothing else changed).
LOGITS = _Scale(mate=1.5, other=0.5, type_bonus=1.0, type_margin=3.0, amount_bonus=10.0, row_key_bonus=1.5)
# The prior that picks which units the judge reads: cosine similarity to the question, plus this
# much for the share of the question's words a unit has, plus this much per rank of its passage
# above the fourth (retrieval already weighed whole passages).
SHARED_WORDS_WEIGHT = 0.3
RANK_PRIOR = 0.04
# Units considered per answer (the pool's first ones): bounds the MiniLM pass over them.
MAX_UNITS = 60
# (An offline reply's length: answering.reply_chars in config.yaml.)
_MARKER_CHARS = 5  # " [n]" and a space per quoted unit
# The passages whose units may answer: the judge stage has already put the best passages first.
POOL_PASSAGES = 4
# Units the judge reads, the best by the cheap prior (MiniLM + shared words): each costs a pass
# of the cross-encoder (~5-8 ms for a sentence with its heading). Measured on the dev questions
# (process, users' own words, sample): 10 and 12 give the same answers, 8 loses one (run 16).
UNITS_JUDGED = 10
# The judge misreads some bare sentences (legal paraphrase: "walk away without cause" for
# "terminate for convenience"); the prior's order tempers it, as in the passage fusion. Measured
# on the dev questions: judge alone and prior alone pick the answering unit equally often, the
# fusion more often (evals/RESULTS.md run 13).
UNIT_PRIOR_WEIGHT = 1.0
# A unit's passage counts too: the judge read the whole passage, with its context, and a bare
# sentence that restates the question ("Clock skew detected.", under "Meaning") scores above the
# step that answers it in the passage the judge ranked first ("Mitigation"). Per logit the passage
# trails the best one. Measured on the dev sets (evals/RESULTS.md run 16): 0.25-0.4 lift the
# shared-corpus phrase rate 49 -> 52-55 of 97 and change nothing elsewhere; 0.5 adds a false refusal.
PASSAGE_WEIGHT = 0.4
# Units the judge does not read rank this far below the lowest one it does (they can still join
# as the unit after the answer).
UNJUDGED_MARGIN = 100.0
# The prior's rank bonus reaches the first PRIOR_RANKS passages (RANK_PRIOR per rank above the fourth).
PRIOR_RANKS = 3
# The prior embeds a unit's opening only: long table rows and items say what they are about first.
PRIOR_CHARS = 400
# The LLM reads this many passages beyond those it may cite: context for a clause that continues.
EXTRA_EVIDENCE = 2
# A follow-up is rewritten from the last three exchanges, each turn cut to TURN_CHARS; a rewrite
# shorter than MIN_REWRITE_CHARS or longer than TURN_CHARS is not a question.
HISTORY_TURNS = 6
TURN_CHARS = 1000
MIN_REWRITE_CHARS = 3
# A lead-in ("...is expected to:") brings at most this many of the items it introduces: quoted
# alone it says nothing, and three items are the answer's gist without crowding out the rest.
LEAD_IN_ITEMS = 3
# A table row's first cell names the row only with at least this many characters ("1", "-" name nothing).
MIN_ROW_KEY_CHARS = 3
# Scores an answer reports (Answer.scores, audit and evals) are rounded to this many decimals.
SCORE_DECIMALS = 4
# Room kept in the reply budget for the lead's clause label, not known until the units are chosen.
CLAUSE_LABEL_ROOM = len("clause 00.00.00, ")


class Answerer:
    def __init__(self, settings: Settings, chat_model=None, embedder=None, judge=None):
        self.settings = settings
        self.chat_model = chat_model
        self.embedder = embedder
        self.judge = judge  # assistant.retrieval.judge.PassageJudge: picks the answering unit when set
        # Checks an LLM's reply sentence by sentence (answering/verify.py); drafts use it too.
        self.verifier = Verifier(settings, judge, self.mode)

    @property
    def mode(self) -> str:
        return "llm" if self.chat_model is not None else "extractive"

    # -- conversation -----------------------------------------------------------------------
    def standalone_question(self, question: str, history: list[Turn]) -> str:
        if not history:
            return question
        if self.chat_model is not None:
            prompt = load_prompt("rewrite")
            convo = "\n".join(f"{t.role}: {t.content[:TURN_CHARS]}" for t in history[-HISTORY_TURNS:])
            system, user = prompt.render(history=convo, question=question)
            try:
                rewritten = invoke_text(self.chat_model, system, user).strip().splitlines()[0].strip()
                if MIN_REWRITE_CHARS <= len(rewritten) <= TURN_CHARS:
                    return rewritten
            except Exception:
                pass  # the rule-based rewrite below is always available
        return followup.rewrite(question, history)

    # -- answers ----------------------------------------------------------------------------
    def answer(self, question: str, results: list[SearchResult], missing: list[str] = (),
               limited_access: bool = False) -> Answer:
        """The verified answer, or a refusal (assistant/answering/refusal.py decides which)."""
        answer = None
        for kind, payload in self.respond(question, results, missing, limited_access):
            if kind == "answer":
                answer = payload
        return answer

    def respond(self, question: str, results: list[SearchResult], missing: list[str] = (),
                limited_access: bool = False, stream: bool = False, named_source: str | None = None,
                fragment: bool = False):
        """("delta", text)* then ("answer", Answer). Only an LLM streaming (`stream`) produces
        deltas: unverified model text; the final answer event is the truth.

        `missing`: names in the question no readable document mentions (coverage); `limited_access`:
        the caller cannot read every collection (said in a refusal, see refusal.py);
        `named_source`: the document the question names, whose passages alone may answer it;
        `fragment`: the question is a follow-up fragment with no history to complete it."""
        passage_scores = [r.judge_score for r in results[: refusal.EVIDENCE_DEPTH] if r.judge_score is not None]
        scores = {"passage": max(passage_scores)} if passage_scores else {}
        scores["dense"] = max((r.dense_score or 0.0 for r in results), default=0.0)
        decline = (refusal.not_about_documents(question, fragment) or refusal.weak_evidence(self.settings, results, list(missing))
                   or refusal.outside_named_document(results, named_source))
        if decline is not None:
            yield "answer", _scored(refusal.for_caller(self._refuse(results, decline), limited_access), scores)
            return
        if named_source is not None:
            results = [r for r in results if r.source == named_source]
        decline = refusal.only_instructions(results)
        if decline is not None:
            yield "answer", _scored(refusal.for_caller(self._refuse(results, decline), limited_access), scores)
            return
        # Text addressed to a model (a planted "SYSTEM: ignore prior rules...") is never evidence.
        results = [r for r in results if not r.instruction_like]
        if self.chat_model is None:
            yield "answer", _scored(refusal.for_caller(self._extractive(question, results), limited_access), scores)
            return
        evidence = results[: self.settings.answering.max_citations + EXTRA_EVIDENCE]
        system, user = load_prompt("answer").render(evidence=self.evidence_block(evidence), question=question)
        if stream:
            from assistant.llm import stream_text

            pieces = []
            for piece in stream_text(self.chat_model, system, user):
                pieces.append(piece)
                yield "delta", piece
            reply = "".join(pieces)
        else:
            reply = invoke_text(self.chat_model, system, user)
        yield "answer", refusal.for_caller(self.verifier.verify(reply, evidence, question=question), limited_access)

    def _refuse(self, results: list[SearchResult], decline: refusal.Decline | None = None) -> Answer:
        return refusal.refusal(results, decline, mode=self.mode)

    # -- offline extractive -----------------------------------------------------------------
    def _extractive(self, question: str, results: list[SearchResult]) -> Answer:
        pool = results[:POOL_PASSAGES]
        candidates: list[_Candidate] = []
        for i, r in enumerate(pool):
            for u in extractive.units(r.text, table_header=r.table_header):
                if can_answer(u.display):
                    candidates.append(_Candidate(i, u.start, u.end, u.raw, display=u.display, kind=u.kind))
        decline = refusal.no_unit_answers(candidates)
        if decline is not None:
            return self._refuse(results, decline)
        candidates = candidates[:MAX_UNITS]
        kind = answertype.expected(question)
        amount = amounts.asked_amount(question)
        self._score(question, candidates, kind, amount)
        candidates = _answers_not_prompts(candidates)
        decline = refusal.no_unit_answers(candidates)
        if decline is not None:
            return self._refuse(results, decline)
        scale = COSINE
        if self.judge is not None:
            self._judge_units(question, candidates, pool, kind, amount)
            scale = LOGITS
        best = self._best_unit(candidates, kind, scale)
        unit_score = {"unit": best.judged} if best.judged is not None else {}
        # The answer comes mainly from the best unit's chunk; other chunks add a unit only when
        # they are nearly as good (a second source for the same fact, or its other half).
        limit = self.settings.answering.max_sentences
        mates = [c for c in candidates if c.result_index == best.result_index and c is not best
                 and c.score >= best.score - scale.mate]
        # The lead's clause label is not known yet: room is kept for one ("clause 12.2, ").
        budget = self.settings.answering.reply_chars - len(self._lead(pool[best.result_index], "")) - CLAUSE_LABEL_ROOM
        chosen = _within_budget([best], sorted(mates, key=lambda c: -c.score), limit, budget)
        others = [c for c in candidates if c.result_index != best.result_index and c.score >= best.score - scale.other]
        chosen = _within_budget(chosen, sorted(others, key=lambda c: -c.score)[:1], limit, budget)
        chosen.sort(key=lambda c: (c.result_index != best.result_index, c.result_index, c.start))
        top = pool[best.result_index]
        where = " > ".join(p for p in (top.title, top.section_path.split(" > ")[-1] if top.section_path else "") if p)
        quoted = [c.display for c in chosen]
        decline = (refusal.missing_figure(kind, quoted, best.display, where)
                   or refusal.unnamed_quantity(question, kind, quoted, best.display, where))
        if decline is not None:
            return _scored(self._refuse(results, decline), unit_score)
        # Asked about one amount, the next row of a threshold table is another bracket, not the
        # rest of the answer.
        follows = None if amount is None else (lambda c: c.kind != "row" or amounts.placement(c.display, amount) > 0)
        chosen = _with_what_follows(best, chosen, candidates, pool[best.result_index].text, follows)
        chosen = _without_dangling_lead_ins(_trimmed(chosen, best, budget))
        numbers: dict[int, int] = {}
        quotes: dict[int, _Candidate] = {}
        parts = []
        for c, following in zip(chosen, chosen[1:] + [None]):
            n = numbers.setdefault(c.result_index, len(numbers) + 1)
            quotes.setdefault(c.result_index, c)
            sentence = c.display.rstrip()
            if c.is_lead_in and following is not None and following.result_index == c.result_index:
                parts.append(sentence)  # a lead-in reads on into its items, which carry the citation
                continue
            if not sentence.endswith((".", "!", "?")):
                sentence = sentence.rstrip(":;,") + "."
            parts.append(f"{sentence} [{n}]")
        citations = [citation_for(n, pool[idx], quotes[idx].text) for idx, n in numbers.items()]
        best_citation = next(c for c in citations if c.n == numbers[best.result_index])
        lead = self._lead(pool[best.result_index], best_citation.clause_no)
        return Answer(answer=lead + " ".join(parts), grounded=True, citations=citations, mode="extractive",
                      scores=unit_score)

    @staticmethod
    def _best_unit(candidates: list[_Candidate], kind: answertype.Kind | None, scale: _Scale = COSINE) -> _Candidate:
        best = max(candidates, key=lambda c: c.score)
        if kind is None or answertype.gives(best.display, kind):
            return best
        # The closest sentence states no figure of the kind asked for; a nearly-as-close one that
        # does is the answer ("how often...?" -> "we recommend 30 minute intervals"). Within the
        # best passage the margin is wider: that passage is about the topic, so its sentence with
        # the figure answers even when worded further from the question.
        typed = [c for c in candidates if answertype.gives(c.display, kind)
                 and c.score >= best.score - scale.type_margin * (2 if c.result_index == best.result_index else 1)]
        return max(typed, key=lambda c: c.score) if typed else best

    def _judge_units(self, question: str, candidates: list[_Candidate], pool: list[SearchResult],
                     kind: answertype.Kind | None, amount: float | None = None) -> None:
        """Re-score the most promising units with the judge, each read under its section heading
        (the heading says what a bare sentence is about), fused with their order by the prior as
        retrieval fuses passages: logit - UNIT_PRIOR_WEIGHT * ln(prior rank). Units it doesn't
        read rank below every unit it does; they can still join as the unit after the answer."""
        ranked = sorted(candidates, key=lambda c: -c.score)
        judged, rest = ranked[:UNITS_JUDGED], ranked[UNITS_JUDGED:]
        texts = [_unit_context(pool[c.result_index], c.display) for c in judged]
        scores = self.judge.score(question, texts, max_tokens=self.settings.judge.max_tokens)
        floor = float(min(scores, default=0.0)) - UNJUDGED_MARGIN
        passage_scores = [r.judge_score for r in pool if r.judge_score is not None]
        best_passage = max(passage_scores, default=0.0)
        for rank, (c, logit) in enumerate(zip(judged, scores), 1):
            # What the judge makes of the unit, plus what it cannot read (a range holding the
            # amount asked about, the figure kind): the unit's strength for the refusal rule.
            c.judged = float(logit) + _bonuses(question, c, kind, amount, LOGITS)
            c.score = c.judged - UNIT_PRIOR_WEIGHT * math.log(rank)
            passage = pool[c.result_index].judge_score
            # Not where the judge is blind: it misreads the passage of a row whose range holds the
            # amount asked about, or whose key the question names, just as it misreads the row.
            if passage is not None and not _judge_blind_to(question, c, amount):
                c.score -= PASSAGE_WEIGHT * (best_passage - passage)
        for c in rest:
            c.score = floor

    @staticmethod
    def _lead(r: SearchResult, clause_no: str) -> str:
        where = r.section_path.split(" > ")[-1] if r.section_path else ""
        is_contract = r.doc_type in CONTRACT_DOC_TYPES
        clause = clause_label(clause_no, where) if is_contract and where else ""
        if clause:
            where = f"{clause}, {where}"
        label = r.title + (f" ({where})" if where and where != r.title else "")
        return f"According to {label}: "

    def _score(self, question: str, candidates: list[_Candidate], kind: answertype.Kind | None = None,
               amount: float | None = None) -> None:
        """`amount`: the amount of money the question is about (amounts.asked_amount)."""
        q_words = {w for w in WORD.findall(question.lower()) if w not in STOP}
        semantic = np.zeros(len(candidates))
        if self.embedder is not None:
            vectors = self.embedder.embed([question] + [c.display[:PRIOR_CHARS] for c in candidates])
            semantic = vectors[1:] @ vectors[0]
        for c, sem in zip(candidates, semantic):
            words = set(WORD.findall(c.display.lower()))
            lexical = len(q_words & words) / (len(q_words) or 1)
            # Retrieval already weighed whole passages: a small prior for higher-ranked chunks.
            c.score = (float(sem) + SHARED_WORDS_WEIGHT * lexical + RANK_PRIOR * (PRIOR_RANKS - min(c.result_index, PRIOR_RANKS))
                       + _bonuses(question, c, kind, amount, COSINE))

    # -- LLM, verified ----------------------------------------------------------------------
    def evidence_block(self, results: list[SearchResult]) -> str:
        blocks = []
        for n, r in enumerate(results, 1):
            # The passage cannot close its own wrapper, in any case or spacing ("</Document >" too:
            # a model reads tags loosely, and only the exact lower-case tag used to be defused).
            body = _CLOSE_TAG.sub("</ document>", r.text)
            # Headings and file names come from the documents too: as attributes they are escaped,
            # so a heading like `x"></document>` can neither end the attribute nor the wrapper.
            where = _attribute(" > ".join(p for p in (r.title, r.section_path) if p))
            blocks.append(f'<document index="{n}" source="{_attribute(r.source)}" section="{where}">\n{body}\n</document>')
        return "\n".join(blocks)

def _within_budget(chosen: list[_Candidate], extra: list[_Candidate], limit: int, budget: int) -> list[_Candidate]:
    """`chosen` plus the `extra` units, best first, while the reply stays short: at most `limit`
    units and `budget` characters of quoted units."""
    out = list(chosen)
    for c in extra:
        if len(out) >= limit or _size(out + [c]) > budget:
            break
        out.append(c)
    return out


def _trimmed(chosen: list[_Candidate], best: _Candidate, budget: int) -> list[_Candidate]:
    """Drops the weakest units other than the best until the reply fits the budget."""
    out = list(chosen)
    while len(out) > 1 and _size(out) > budget:
        out.remove(min((c for c in out if c is not best), key=lambda c: c.score))
    return out


def _size(units: list[_Candidate]) -> int:
    return sum(len(c.display) + _MARKER_CHARS for c in units)


def _bonuses(question: str, c: _Candidate, kind: answertype.Kind | None, amount: float | None, scale: _Scale) -> float:
    """What a unit gains for stating the kind of figure asked for, for being the table row the
    question names, and for holding the asked amount of money in its range ("who approves
    $3,500?" is answered by the "2,000.01 to 5,000.00" row, which shares no word with it)."""
    bonus = scale.type_bonus if kind is not None and answertype.gives(c.display, kind) else 0.0
    if c.kind == "row" and _names_the_row(question, c.text):
        bonus += scale.row_key_bonus
    if amount is not None:
        bonus += scale.amount_bonus * amounts.placement(c.display, amount)
    return bonus


def _judge_blind_to(question: str, c: _Candidate, amount: float | None) -> bool:
    """A table row the judge cannot read for this question: its range holds the amount asked
    about, or the question names its key (what `_bonuses` adds for)."""
    return c.kind == "row" and (_names_the_row(question, c.text)
                                or (amount is not None and amounts.placement(c.display, amount) > 0))


def _scored(answer: Answer, scores: dict[str, float]) -> Answer:
    answer.scores = {**answer.scores, **{k: round(float(v), SCORE_DECIMALS) for k, v in scores.items()}}
    return answer


def _unit_context(result: SearchResult, display: str) -> str:
    """A unit as the judge reads it: under the heading of its passage's section."""
    heading = result.section_path.split(" > ")[-1] if result.section_path else result.title
    return f"{heading}\n{display}" if heading else display


def _with_what_follows(best: _Candidate, chosen: list[_Candidate], candidates: list[_Candidate],
                       text: str, belongs=None) -> list[_Candidate]:
    """The unit closest to the question is often the one that restates it ("Updates should occur
    as often as necessary..."); the fact tends to come next ("We recommend 30 minute intervals").
    So the unit after the best one joins the answer, and a lead-in that ends with ':' (the best unit
    or the next one) brings the items it introduces (up to three): quoted alone it says nothing.
    Only from the best passage, and after the answer-kind check, so what follows never turns a
    refusal into an answer. (Measured in evals/RESULTS.md run 6: phrase rate up 8 questions of 97
    on dev, 1 of 45 held-out, 1 of 44 on the sample.) `belongs`: whether a following unit may join."""
    same = [c for c in candidates if c.result_index == best.result_index]
    after = same[same.index(best) + 1:]
    if best.is_lead_in:
        extra = after[:LEAD_IN_ITEMS]
    elif after and after[0].is_lead_in:
        extra = after[:LEAD_IN_ITEMS + 1]  # "The Deputy is expected to:" and the first three things
    else:
        extra = after[:1]
    # Not past a heading: the next section's first step is not this one's.
    extra = [c for c in extra if not extractive.MARKDOWN_HEADING.search(text, best.end, c.start)]
    added = [c for c in extra if c not in chosen and (belongs is None or belongs(c))]
    while added and added[-1].is_lead_in:
        added.pop()  # a lead-in with none of its items would end the answer on "...include:"
    if not added:
        return chosen
    return sorted(chosen + added, key=lambda c: (c.result_index != best.result_index, c.result_index, c.start))


def _without_dangling_lead_ins(chosen: list[_Candidate]) -> list[_Candidate]:
    """A lead-in ("...is expected to:") chosen without the unit it leads into says nothing; it
    stays only when it is all there is."""
    if len(chosen) == 1:
        return chosen
    return [c for k, c in enumerate(chosen) if not c.is_lead_in
            or (k + 1 < len(chosen) and chosen[k + 1].result_index == c.result_index)]


def _answers_not_prompts(candidates: list[_Candidate]) -> list[_Candidate]:
    """A document's own question ("Can a SEV-3 be a major incident?") or a heading line inside the
    text ("14.1 Exit Plan.", common in PDFs and Word files) is often the unit closest to the user's
    question, and it is never the answer: the unit after it in the same passage is. It hands its
    score on to that unit and leaves the candidates (a passage that only asks or titles is no answer).
    A lead-in ("...is expected to:") that ends its passage leaves too: its items are elsewhere."""
    kept = []
    for i, c in enumerate(candidates):
        following = next((n for n in candidates[i + 1:] if n.result_index == c.result_index and n.start >= c.end), None)
        # Numbered items count too: a PDF heading "14. Exit and Transition Assistance" reads as one.
        heading = is_heading_line(c.display) and (c.kind == "sentence" or (c.kind == "item" and c.text[:1].isdigit()))
        if c.is_lead_in and following is None:
            continue
        if not (c.display.rstrip().endswith("?") or heading):
            kept.append(c)
            continue
        if following is not None:
            following.score = max(following.score, c.score)
    return kept


_GENERIC_CELLS = frozenset("yes no n/a none all any other total same".split())


def _names_the_row(question: str, raw: str) -> bool:
    """Whether the question names the row's key (its first cell) as a whole term. A key must have
    letters and three characters, and not be a generic value: "1", "-", "Yes" or "Total" name
    nothing."""
    key = extractive.row_key(raw).lower()
    if len(key) < MIN_ROW_KEY_CHARS or not re.search(r"[a-z]", key) or key in _GENERIC_CELLS:
        return False
    return re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", question.lower().replace("’", "'")) is not None


def _attribute(value: str) -> str:
    """A document-supplied value (title, heading, file name) as a safe one-line XML attribute."""
    return html.escape(" ".join(value.split()), quote=True)
