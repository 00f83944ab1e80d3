"""Durations, percentages, money and dates as contracts write them.

Normalisation rules (documented in the README section on key terms):
- a month counts 30 days, a year 365, a week 7; "ninety (90) days" -> 90, "three months" -> 90;
- business days are kept as business days (`business=True`), never converted to calendar days;
- when words and digits disagree ("thirty (60) days") the digits win: they are what courts read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
NUMBER_WORD = (
    r"(?:(?:one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+(?:and\s+)?)?)?"
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|three|four|five|six|seven|eight|nine|a|an)"
)
UNIT = r"(?P<unit>business\s+days?|working\s+days?|calendar\s+days?|calendar\s+(?:weeks?|months?|years?)|days?|weeks?|months?|years?|hours?|minutes?|seconds?|quarters?)"
DURATION = re.compile(
    rf"(?:(?P<words>{NUMBER_WORD}|\d+)\s*\(\s*(?P<paren>\d+(?:\.\d+)?|[Il])\s*\)|(?P<digits>\d+(?:\.\d+)?)|(?P<word>{NUMBER_WORD}))"
    rf"(?:\s*-\s*|\s+)(?:\(\s*)?(?:(?:consecutive|full|successive|additional|further)\s+)?{UNIT}\b",
    re.IGNORECASE,
)
DAYS_PER = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


def words_to_int(words: str) -> int | None:
    tokens = re.split(r"[\s-]+", words.lower().replace(" and ", " "))
    total, current = 0, 0
    seen = False
    for tok in tokens:
        if not tok:
            continue
        if tok in ("a", "an"):
            current += 1
        elif tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok.isdigit():
            current += int(tok)
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass(frozen=True)
class Duration:
    value: float
    unit: str  # "day", "business_day", "week", "month", "year", "hour", "minute", "second", "quarter"
    text: str
    start: int
    end: int

    @property
    def business(self) -> bool:
        return self.unit == "business_day"

    @property
    def days(self) -> int | None:
        """Calendar days (30/month, 365/year); business days are returned as their count."""
        if self.unit == "business_day":
            return int(self.value)
        per = DAYS_PER.get(self.unit)
        return None if per is None else int(round(self.value * per))

    @property
    def seconds(self) -> float | None:
        per = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "business_day": 86400, "week": 604800}.get(self.unit)
        return None if per is None else self.value * per


def _unit(raw: str) -> str:
    raw = raw.lower()
    if raw.startswith(("business", "working")):
        return "business_day"
    raw = raw.split()[-1].rstrip("s")
    return raw


def durations(text: str, start: int = 0, end: int | None = None) -> list[Duration]:
    out = []
    for m in DURATION.finditer(text, start, len(text) if end is None else end):
        if m.group("paren") in ("I", "l"):  # "one (I) year": a 1 read as a letter by OCR
            value = float(words_to_int(m.group("words")) or 1)
        elif m.group("paren"):
            value = float(m.group("paren"))
        elif m.group("digits"):
            value = float(m.group("digits"))
        else:
            n = words_to_int(m.group("word"))
            if n is None:
                continue
            value = float(n)
        out.append(Duration(value, _unit(m.group("unit")), m.group(0), m.start(), m.end()))
    return out


PERCENT = re.compile(
    r"(?:(?P<words>[a-z][a-z\s-]{0,40}?)\s+percent\s*\(\s*(?P<paren>\d+(?:\.\d+)?)\s*%\s*\)"
    r"|(?P<num>\d+(?:\.\d+)?)\s*(?:%|\s?percent\b))",
    re.IGNORECASE,
)


def percents(text: str) -> list[tuple[float, int, int]]:
    out = []
    for m in PERCENT.finditer(text):
        value = m.group("paren") or m.group("num")
        out.append((float(value), m.start(), m.end()))
    return out


# A written amount: "5,000.00", "3500", "3.5".
AMOUNT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# What a multiplier after an amount stands for ("$3.5k", "USD 2 million").
MULTIPLIERS = {"million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3, "billion": 1e9}
MONEY = re.compile(
    rf"(?P<cur>USD|US\$|U\.S\.\s?\$|\$|EUR|€|GBP|£)\s?(?P<amt>{AMOUNT_NUMBER})"
    r"(?:\s?(?P<mult>million|thousand|billion|m\b|k\b))?",
    re.IGNORECASE,
)
_CURRENCY = {"usd": "USD", "us$": "USD", "$": "USD", "u.s.$": "USD", "u.s. $": "USD", "eur": "EUR", "€": "EUR",
             "gbp": "GBP", "£": "GBP"}


def money(text: str) -> list[tuple[float, str, int, int]]:
    out = []
    for m in MONEY.finditer(text):
        amount = float(m.group("amt").replace(",", ""))
        mult = (m.group("mult") or "").lower()
        amount *= MULTIPLIERS.get(mult, 1)
        out.append((amount, _CURRENCY.get(m.group("cur").lower().replace(" ", ""), m.group("cur").upper()), m.start(), m.end()))
    return out


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ORD = r"(?:\s?(?:st|nd|rd|th)\b|t\s?h)?"  # "27t h", "1 st": an OCR'd ordinal split by a space
_DAY_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
              "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
              "twentieth", "twenty-first", "twenty-second", "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth",
              "twenty-seventh", "twenty-eighth", "twenty-ninth", "thirtieth", "thirty-first"]
_DAY_WORD_RE = "|".join(sorted((w.replace("-", r"[\s-]") for w in _DAY_WORDS), key=len, reverse=True))
_BLANK = r"(?:_{2,}|\[\s*[*\u2022\s]*\])"  # "____" or "[  ]" or "[***]": left blank in the document
DATE = re.compile(
    rf"(?P<mdy>(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}}){_ORD},?\s+(?P<y1>\d{{4}}))"
    rf"|(?P<dmy>(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}\s+(?:day\s+)?(?:of\s+)?(?P<m2>{_MONTH_RE}),?\s+(?:in\s+the\s+year\s+)?(?P<y2>\d{{4}}))"
    rf"|(?P<wdmy>(?:the\s+)?(?P<d5>{_DAY_WORD_RE})\s+day\s+of\s+(?P<m5>{_MONTH_RE}),?\s+(?:in\s+the\s+year\s+)?(?P<y5>\d{{4}}))"
    rf"|(?P<iso>(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))"
    rf"|(?P<dotted>(?<![\d.])(?P<d6>\d{{1,2}})\.(?P<m6>\d{{1,2}})\.(?P<y6>\d{{4}})(?![\d.]))"  # 01.06.2006: day first
    rf"|(?P<num>(?<![\d.])(?P<m4>\d{{1,2}})(?P<sep>[/-])(?P<d4>\d{{1,2}})(?P=sep)(?P<y4>\d{{4}}|\d{{2}})(?![\d/]))",
    re.IGNORECASE,
)
# A date with its day (or day and month) left blank: "the ____ day of ________ 2000", "August __, 2019".
PARTIAL_DATE = re.compile(
    rf"(?:the\s+)?{_BLANK}\s*(?:day\s+of\s+)?(?:(?P<m1>{_MONTH_RE})|{_BLANK})?\s*,?\s*(?P<y1>(?:19|20)\d\d)\b"
    rf"|(?P<m2>{_MONTH_RE})\s+{_BLANK}\s*,?\s*(?P<y2>(?:19|20)\d\d)\b"
    # blanks lost in conversion: "this  day of , 2012", "dated as of , 2012"
    rf"|\bthis\s+day\s+of\s*(?P<m3>{_MONTH_RE})?\s*,?\s*(?P<y3>(?:19|20)\d\d)\b"
    rf"|(?<=as\sof)\s*,\s*(?P<y4>(?:19|20)\d\d)\b"
    rf"|\b(?P<m5>{_MONTH_RE})\s*,?\s+(?P<y5>(?:19|20)\d\d)\b",  # "dated as of June, 2006": no day written
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    text: str
    iso: str  # "" when the text is not a valid calendar date
    start: int
    end: int


def _month(name: str) -> int:
    name = name.lower().rstrip(".")[:3]
    return next(i + 1 for i, m in enumerate(MONTHS) if m.startswith(name))


def dates(text: str, start: int = 0, end: int | None = None, partial: bool = False) -> list[DateMention]:
    """Calendar dates in text[start:end], in order; with `partial`, also dates written with blanks
    ("____ day of March, 2000"), which have no `iso`."""
    end = len(text) if end is None else end
    out = []
    for m in DATE.finditer(text, start, end):
        try:
            if m.group("mdy"):
                d = date(int(m.group("y1")), _month(m.group("m1")), int(m.group("d1")))
            elif m.group("dmy"):
                d = date(int(m.group("y2")), _month(m.group("m2")), int(m.group("d2")))
            elif m.group("wdmy"):
                day = _DAY_WORDS.index(re.sub(r"\s+", "-", m.group("d5").lower())) + 1
                d = date(int(m.group("y5")), _month(m.group("m5")), day)
            elif m.group("dotted"):
                d = date(int(m.group("y6")), int(m.group("m6")), int(m.group("d6")))
            elif m.group("iso"):
                d = date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
            else:
                y = int(m.group("y4"))
                y = y + (2000 if y < 50 else 1900) if y < 100 else y
                month, day = int(m.group("m4")), int(m.group("d4"))
                if month > 12 >= day:
                    month, day = day, month  # "25/05/2008" can only be day first
                d = date(y, month, day)
            iso = d.isoformat()
        except (ValueError, StopIteration):
            iso = ""
        out.append(DateMention(m.group(0), iso, m.start(), m.end()))
    if partial:
        taken = [(d.start, d.end) for d in out]
        for m in PARTIAL_DATE.finditer(text, start, end):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(DateMention(m.group(0), "", m.start(), m.end()))
        out.sort(key=lambda d: d.start)
    return out
