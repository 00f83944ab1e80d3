"""Does a question name something the caller's documents never mention?

A question about "Opsgenie escalation policies" or "the Manila site", over documents that never
say Opsgenie or Manila, cannot be answered from them however close the nearest passage looks:
dense similarity alone refused at most ~35% of our out-of-corpus questions within the 5%
false-refusal budget (evals/RESULTS.md). So the refusal check also asks the lexical index.

Only *specific* words count: identifiers (CamelCase, letters with digits: KubeProxyDown, ISO27001)
and capitalised names inside a sentence (Manila, Zendesk). Ordinary words are paraphrased by
users ("ending the deal" for "terminate"); that they are missing says little. An acronym (RCA,
TCPA) counts only when the closest passages don't spell it out either ("root cause analysis"):
users abbreviate what documents write in full. The vocabulary is that of the collections the
caller may read, so the check reveals nothing about other documents.
"""

from __future__ import annotations

import re

# A word with its inner hyphens/dots/apostrophes ("SEV-1", "Node.js", "PagerDuty's").
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[-.'’](?=[A-Za-z0-9]))*")
_SENTENCE_END = re.compile(r"[.!?:;\"“(]\s*$")
_CAMEL = re.compile(r"[a-z][A-Z]")
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")  # RCA, SLAs
_LONG_ACRONYM = re.compile(r"[A-Z]{3,5}")  # two letters (IC, PR) are too ambiguous to check
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A code starts with a letter and has a digit (SEV-0, GS-14, Q3); "24x7" and "2nd" are everyday.
_CODE = re.compile(r"(?=.*\d)[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")
_SMALL_WORDS = frozenset("of to and the for in on a an with by at".split())
# Capitalised in questions without being names.
MIN_NAME_CHARS = 2  # a single letter ("A", "I") names nothing
PLURAL_MIN_CHARS = 3  # an acronym longer than this may carry a plural 's' ("SLAs" -> "SLA"); "SOS" does not
# Word pieces of a CamelCase identifier this long are checked as part of the identifier; shorter
# ones ("Kube", "Max") are common words of every alert runbook.
IDENTIFIER_PART_CHARS = 6
_NOT_NAMES = frozenset("i i'm i've i'd ok okay please thanks".split())


def specific_terms(question: str) -> list[str]:
    """The identifiers and mid-sentence capitalised words of `question`, in order, once each."""
    out: list[str] = []
    words = list(_WORD.finditer(question))
    # In a Title-Cased or shouted question capitals mark nothing: only identifiers count then.
    shouting = _shouted([w.group() for w in words])
    for m in words:
        word = re.sub(r"['’]s$", "", m.group())
        if len(word) < MIN_NAME_CHARS or word.lower() in _NOT_NAMES:
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


def _shouted(words: list[str]) -> bool:
    """Title-Cased or all-capitals: most words start with a capital."""
    return len(words) >= 4 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def acronyms(question: str) -> list[str]:
    """The 3-5 letter all-capital words of `question` ("RCA", "TCPA"; plural "SLAs" as "SLA")."""
    words = [m.group() for m in _WORD.finditer(question)]
    if _shouted(words):
        return []  # capitals mark nothing
    out = []
    for w in words:
        w = re.sub(r"['’]?s$", "", w) if len(w) > PLURAL_MIN_CHARS else w
        if _LONG_ACRONYM.fullmatch(w) and w not in out:
            out.append(w)
    return out


def spelled_out(acronym: str, texts: list[str]) -> bool:
    """Whether some text writes `acronym` in full: words whose initials spell it, where small
    words may be skipped ("Telephone Consumer Protection Act", "mean time to resolve")."""
    letters = acronym.lower()
    for text in texts:
        words = re.findall(r"[a-z]+", text.lower())
        for i, w in enumerate(words):
            if w[0] == letters[0] and _spells(words, i + 1, letters[1:]):
                return True
    return False


def _spells(words: list[str], i: int, letters: str, skipped: int = 0) -> bool:
    if not letters:
        return True
    if i >= len(words):
        return False
    w = words[i]
    if w[0] == letters[0] and _spells(words, i + 1, letters[1:]):
        return True
    return skipped < 2 and w in _SMALL_WORDS and _spells(words, i + 1, letters, skipped + 1)


def unknown_terms(question: str, tokenizer, known, evidence: list[str] | None = None) -> list[str]:
    """The specific terms of `question` some token of which the readable documents never contain.

    `known(tokens, inside) -> set[str]`: the tokens that occur in the caller's collections, where
    those in `inside` (identifiers: "NotReady") may also occur inside a longer word
    ("KubeNodeNotReady"). A term made only of stopwords tokenises to nothing and is never unknown.
    `evidence`: the retrieved passages; an acronym they spell out in full is not unknown, and a
    year they never mention is.
    """
    terms = [(t, tokenizer(t)) for t in specific_terms(question)]
    if evidence is not None:
        terms += [(a, tokenizer(a)) for a in acronyms(question) if a not in {t for t, _ in terms}]
    terms = [(t, toks) for t, toks in terms if toks]
    missing: list[str] = []
    # A prefix written with a hyphen ("non-SEV-1", "pre-approval") is not part of the term.
    terms = [(t, toks[1:] if len(toks) > 1 and toks[0] in _PREFIXES else toks) for t, toks in terms]
    if terms:
        identifiers = {tok for t, toks in terms if _CAMEL.search(t) for tok in toks if len(tok) >= IDENTIFIER_PART_CHARS}
        asked = {tok for _, toks in terms for tok in toks}
        present = known(asked | {part for tok in asked for part in _alnum_parts(tok)}, identifiers)
        missing = [t for t, toks in terms if any(not _is_present(tok, present) for tok in toks)
                   and not (_LONG_ACRONYM.fullmatch(t) and spelled_out(t, evidence or []))]
    return missing + [c for c in unmatched_codes(question, evidence) if c not in missing] + unmatched_years(question, evidence)


_PREFIXES = frozenset("non pre post sub re anti multi co".split())


def _alnum_parts(token: str) -> list[str]:
    """"sev1" -> ["sev", "1"]: how the documents' "SEV-1" tokenises; one part means no split."""
    parts = re.findall(r"[a-z]+|\d+", token)
    return parts if len(parts) > 1 else []


def _is_present(token: str, present: set[str]) -> bool:
    parts = _alnum_parts(token)
    return token in present or (bool(parts) and all(p in present for p in parts))


def unmatched_years(question: str, evidence: list[str] | None) -> list[str]:
    """Years the question is scoped to ("the 2025 rate card", "in Q3 2022") that no retrieved
    passage mentions: passages about another period don't answer it."""
    if evidence is None:
        return []
    return [y for y in dict.fromkeys(_YEAR.findall(question)) if not any(y in text for text in evidence)]


def unmatched_codes(question: str, evidence: list[str] | None) -> list[str]:
    """Codes of letters and digits ("SEV-0", "GS-14"; "Tier 2" is two words) that no retrieved
    passage writes: the tokenizer splits "SEV-0" into words every runbook has ("sev", "0"), so
    the vocabulary check alone passes it."""
    if evidence is None:
        return []
    codes = [w for w in specific_terms(question) if _CODE.fullmatch(w) and not _YEAR.fullmatch(w)]
    if not codes:
        return []
    texts = [_joined(t) for t in evidence]
    return [c for c in codes if not any(re.search(rf"\b{re.escape(_joined(c))}\b", t) for t in texts)]


def _joined(text: str) -> str:
    """Lower case, with the hyphen, underscore or space between a letter and a digit removed
    (SEV-0 = sev 0 = sev0) and a hyphen or underscore between a digit and a letter (4-A = 4a)."""
    return re.sub(r"(?<=[a-z])[-_ ]+(?=\d)|(?<=\d)[-_]+(?=[a-z])", "", text.lower())
