"""Does a question name something the caller's documents never mention?

A question about "Opsgenie escalation policies" or "the Manila site", over documents that never
say Opsgenie or Manila, cannot be answered from them however close the nearest passage looks:
dense similarity alone refused at most ~35% of our out-of-corpus questions within the 5%
false-refusal budget (evals/RESULTS.md). So the refusal check also asks the lexical index.

Only *specific* words count: identifiers (CamelCase, letters with digits: KubeProxyDown, ISO27001)
and capitalised names inside a sentence (Manila, Zendesk, MTTR). Ordinary words are paraphrased by
users ("ending the deal" for "terminate"); that they are missing says little. The vocabulary is
that of the collections the caller may read, so the check reveals nothing about other documents.
"""

from __future__ import annotations

import re

# A word with its inner hyphens/dots/apostrophes ("SEV-1", "Node.js", "PagerDuty's").
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[-.'’](?=[A-Za-z0-9]))*")
_SENTENCE_END = re.compile(r"[.!?:;\"“(]\s*$")
_CAMEL = re.compile(r"[a-z][A-Z]")
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")  # RCA, SLAs
# Capitalised in questions without being names.
_NOT_NAMES = frozenset("i i'm i've i'd ok okay please thanks".split())


def specific_terms(question: str) -> list[str]:
    """The identifiers and mid-sentence capitalised words of `question`, in order, once each."""
    out: list[str] = []
    words = list(_WORD.finditer(question))
    # In a Title-Cased or shouted question capitals mark nothing: only identifiers count then.
    shouting = len(words) >= 4 and sum(w.group()[0].isupper() for w in words) > 0.6 * len(words)
    for m in words:
        word = re.sub(r"['’]s$", "", m.group())
        if len(word) < 2 or word.lower() in _NOT_NAMES:
            continue
        has_alpha = any(c.isalpha() for c in word)
        identifier = has_alpha and (bool(_CAMEL.search(word)) or any(c.isdigit() for c in word))
        sentence_start = m.start() == 0 or bool(_SENTENCE_END.search(question[: m.start()]))
        # Short acronyms (RCA, MSA, SLA) are how users abbreviate what documents spell out.
        acronym = bool(_ACRONYM.fullmatch(word))
        name = word[0].isupper() and not sentence_start and not shouting and not acronym
        if (identifier or name) and word not in out:
            out.append(word)
    return out


def unknown_terms(question: str, tokenizer, known) -> list[str]:
    """The specific terms of `question` some token of which the readable documents never contain.

    `known(tokens, inside) -> set[str]`: the tokens that occur in the caller's collections, where
    those in `inside` (identifiers: "NotReady") may also occur inside a longer word
    ("KubeNodeNotReady"). A term made only of stopwords tokenises to nothing and is never unknown.
    """
    terms = [(t, tokenizer(t)) for t in specific_terms(question)]
    terms = [(t, toks) for t, toks in terms if toks]
    if not terms:
        return []
    identifiers = {tok for t, toks in terms if _CAMEL.search(t) for tok in toks if len(tok) >= 6}
    present = known({tok for _, toks in terms for tok in toks}, identifiers)
    return [t for t, toks in terms if any(tok not in present for tok in toks)]
