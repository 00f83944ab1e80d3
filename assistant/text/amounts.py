"""Amounts of money in a question, and the ranges in a passage that contain them.

SOPs and contracts put decisions in threshold tables: who approves a refund of 150.01 to 500.00,
which credit applies over 5,000, what is allowed up to USD 300. A user asks with one figure ("who
signs off on a $3,500 refund?") and the row that answers says "2,000.01 to 5,000.00": no word and
no number of the question is in it, so neither the embedding nor BM25 can tell that row from its
neighbours. Reading the ranges can. Only a figure the question marks as money counts ($, USD,
"dollars"): a bare "500" may be a queue length or a clause number.
"""

from __future__ import annotations

import math
import re

from assistant.text.quantities import AMOUNT_NUMBER as _NUMBER
from assistant.text.quantities import MULTIPLIERS

_CODES = "usd|eur|gbp|cad|aud"
_CODE = rf"(?:{_CODES})"
_CURRENCY_WORD = rf"(?:{_CODES}|dollars?|euros?|pounds?|bucks)"
_SYMBOL = r"[$€£]"

# "$3,500", "USD 750", "750 dollars", "$3.5k".
_ASKED = re.compile(
    rf"(?:{_SYMBOL}\s?|\b{_CODE}\s?)(?P<a>{_NUMBER})(?:\s?(?P<sa>k|m|thousand|million)\b)?|"
    rf"\b(?P<b>{_NUMBER})(?:\s?(?P<sb>k|m|thousand|million))?\s?{_CURRENCY_WORD}\b", re.I)
# Words before the asked amount that move it just past the boundary a table states:
# "over $500" is not in "150.01 to 500.00", "under $500" is.
_ABOVE_BEFORE = re.compile(r"\b(?:over|above|more than|greater than|exceeding|in excess of|beyond)\s*$", re.I)
_BELOW_BEFORE = re.compile(r"\b(?:under|below|less than|lower than)\s*$", re.I)
_STEP = 0.01  # one cent: "over $500" is the row that starts at 500.01

# A figure in a passage, with an optional currency before or after it.
_FIG = rf"(?:{_SYMBOL}\s?|\b{_CODE}\s?)?({_NUMBER})(?:\s?(k|m)\b)?(?:\s?{_CURRENCY_WORD}\b)?"
# What follows a figure that makes it something other than money.
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:%|percent|per ?cent|percentage|(?:business |calendar |working )?(?:seconds?|secs?|minutes?|mins?|hours?|"
    r"hrs?|days?|weeks?|months?|years?|quarters?)\b|x\b|times\b)", re.I)
_BETWEEN = re.compile(rf"{_FIG}\s*(?:to|-|–|—|and|through|thru)\s*{_FIG}", re.I)
_AT_MOST = re.compile(rf"\b(?P<w>up to|not more than|no more than|not exceeding|not to exceed|at most|a maximum of|"
                      rf"maximum of|max\.?|less than|under|below|lower than)\s*{_FIG}|(?P<s><=?|≤)\s*{_FIG}", re.I)
_AT_LEAST = re.compile(rf"\b(?P<w>over|above|more than|greater than|exceeding|in excess of|at least|a minimum of|"
                       rf"minimum of|min\.?|from)\s*{_FIG}|(?P<s>>=?|≥)\s*{_FIG}", re.I)
_OPEN_AFTER = re.compile(rf"{_FIG}\s*(?P<w>\+|or more|and above|and over|or greater|or higher|or less|and below|"
                         rf"and under|or lower)", re.I)
_STRICT = ("less than", "under", "below", "lower than", "over", "above", "more than", "greater than", "exceeding",
           "in excess of", "<", ">")


def _value(number: str, scale: str | None) -> float:
    return float(number.replace(",", "")) * MULTIPLIERS.get((scale or "").lower(), 1.0)


def asked_amount(question: str) -> float | None:
    """The amount of money the question is about, nudged past a boundary it says it is beyond
    ("over $500" -> 500.01), or None when it names no amount of money (or several)."""
    found = list(_ASKED.finditer(question))
    if len(found) != 1:
        return None  # "between $500 and $2,000?" or "$100 in euros": no single figure to place
    m = found[0]
    amount = _value(m.group("a") or m.group("b"), m.group("sa") or m.group("sb"))
    before = question[: m.start()]
    if _ABOVE_BEFORE.search(before):
        amount += _STEP
    elif _BELOW_BEFORE.search(before):
        amount -= _STEP
    return amount


def _money(text: str, m: re.Match, number_group: int, names_currency: bool) -> bool:
    """Whether the figure in `number_group` of `m` is an amount of money: it carries a currency
    ("USD 300", "$55"), cents ("150.01") or thousands separators ("5,000"), or the text names a
    currency elsewhere (`names_currency`: "Exception value (USD): 500 to 2000") and the figure is
    not a count of something ("3 or more refunds")."""
    number = m.group(number_group)
    start, end = m.start(number_group), m.end(number_group)
    if re.fullmatch(r"[\d,]*\.\d\d", number) or "," in number:
        return True
    if re.search(rf"(?:{_SYMBOL}|\b{_CODE})\s?$", text[max(0, start - 5):start], re.I):
        return True
    if re.match(rf"\s?(?:[km]\b\s?)?{_CURRENCY_WORD}\b", text[end:end + 14], re.I):
        return True
    counts_something = re.match(r"\s*(?:or (?:more|less|fewer)|and (?:above|over|below|under))?\s*[a-z]", text[end:], re.I)
    return names_currency and float(number.replace(",", "")) >= 10 and not counts_something


def ranges(text: str) -> list[tuple[float, float]]:
    """The ranges of amounts of money `text` states: "150.01 to 500.00", "over 5,000.00" (open
    above), "up to 300" (from zero: amounts are not negative). Figures that are percentages,
    durations, multiples or counts are no amounts."""
    out: list[tuple[float, float]] = []
    taken: list[tuple[int, int]] = []
    names_currency = bool(re.search(rf"{_SYMBOL}|\b{_CODE}\b", text, re.I))

    def after(m: re.Match, number_group: int) -> int:
        return m.end(number_group + 1) if m.group(number_group + 1) is not None else m.end(number_group)

    for m in _BETWEEN.finditer(text):
        low, high = _value(m.group(1), m.group(2)), _value(m.group(3), m.group(4))
        if (low < high and not _NOT_MONEY_AFTER.match(text, after(m, 1)) and not _NOT_MONEY_AFTER.match(text, after(m, 3))
                and (_money(text, m, 1, names_currency) or _money(text, m, 3, names_currency))):
            out.append((low, high))
            taken.append(m.span())
    for pattern, below in ((_AT_MOST, True), (_AT_LEAST, False)):
        for m in pattern.finditer(text):
            word = (m.group("w") or m.group("s") or "").lower()
            group = 2 if m.group("w") else 5
            if any(s <= m.start(group) < e for s, e in taken):
                continue  # "from 150 to 500" is one bounded range, not also "from 150" onwards
            if _NOT_MONEY_AFTER.match(text, after(m, group)) or not _money(text, m, group, names_currency):
                continue
            value = _value(m.group(group), m.group(group + 1))
            strict = word in _STRICT
            if below:
                out.append((0.0, value - (_STEP / 2 if strict else 0.0)))
            else:
                out.append((value + (_STEP / 2 if strict else 0.0), math.inf))
    for m in _OPEN_AFTER.finditer(text):
        if any(s <= m.start(1) < e for s, e in taken) or not _money(text, m, 1, names_currency):
            continue
        value = _value(m.group(1), m.group(2))
        if m.group("w").lower().endswith(("less", "below", "under", "lower")):
            out.append((0.0, value))
        else:
            out.append((value, math.inf))
    return out


def placement(text: str, amount: float) -> float:
    """How well `text` places `amount`: 1.0 when a bracket it states contains it ("500.01 to
    2,000.00"), 0.5 when only a one-sided range does, 0.0 when none does. A one-sided range is
    true of every larger amount ("over 2,000") or every smaller one ("team leads may approve up to
    USD 1,000", a rule for one kind of customer): a bracket that holds the amount is the more
    specific answer."""
    best = 0.0
    for low, high in ranges(text):
        if low <= amount <= high:
            best = max(best, 1.0 if 0.0 < low and high != math.inf else 0.5)
    return best
