"""Key terms against CUAD's expert answers: parties, agreement and effective date, expiration
(initial term), renewal term, notice to terminate renewal, governing law.

Each CUAD contract of the corpus goes through `ContractService.key_terms` (what `GET /v1/key-terms`
serves) and every field is compared with CUAD's normalised answer ("10/1/99", "successive 1 year",
"90 days", "New York"). A field is scored only where CUAD gives an answer; answers CUAD leaves
blank are counted apart. The contracts are split by a hash of the file name into a dev half (used
while tuning the extractor) and a held-out half (only reported), so the held-out number says how
the extractor does on contracts it was not tuned on.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

ANNOTATIONS_FILE = "annotations/cuad_selected.json"

# field -> (CUAD category, target accuracy or None)
FIELDS: dict[str, tuple[str, float | None]] = {
    "parties": ("Parties", 0.90),
    "agreement_date": ("Agreement Date", 0.90),
    "effective_date": ("Effective Date", 0.85),
    "expiration": ("Expiration Date", 0.80),
    "renewal_term": ("Renewal Term", None),
    "renewal_notice": ("Notice Period To Terminate Renewal", 0.85),
    "governing_law": ("Governing Law", 0.95),
}
SPLITS = ("dev", "held_out")


def split_of(contract_file: str) -> str:
    """'dev' or 'held_out', fixed by the file name alone (same split on every machine and run)."""
    digest = hashlib.sha256(PurePosixPath(contract_file).name.encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "held_out"


def load_answers(corpus: Path) -> dict[str, dict[str, str]]:
    """contract source -> CUAD category -> the expert's normalised answer (may be blank)."""
    data = json.loads((Path(corpus) / ANNOTATIONS_FILE).read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for contract in data["contracts"]:
        answers = out.setdefault(contract["contract_file"], {})
        for ann in contract["annotations"]:
            # A category listed twice (one contract has two Parties rows): keep the first answer.
            answers.setdefault(ann["category"], (ann.get("answer") or "").strip())
    return out


# -- normalising CUAD's answers --------------------------------------------------------------

@dataclass(frozen=True)
class GoldDate:
    """A CUAD date answer; None parts were left blank in the contract ("04/[]/2005")."""

    year: int | None
    month: int | None
    day: int | None

    def matches(self, iso: str, text: str = "") -> bool:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
        if m:
            got = tuple(int(x) for x in m.groups())
            return all(want is None or want == have for want, have in zip((self.year, self.month, self.day), got))
        # A date with blanks ("April __, 2005") has no ISO form: the written parts must agree.
        if self.day is not None or self.year is None or not text:
            return False
        months = [calendar.month_name[self.month].lower()] if self.month else []
        low = text.lower()
        return str(self.year) in low and all(mo in low or mo[:3] in low for mo in months)


def parse_gold_date(answer: str) -> GoldDate | None:
    m = re.fullmatch(r"\s*(\d{1,2}|\[\])\s*/\s*(\d{1,2}|\[\])\s*/\s*(\d{2,4}|\[\]\[\]|\[\])\s*", answer or "")
    if not m:
        return None
    month, day, year = (None if "[" in g else int(g) for g in m.groups())
    if year is not None and year < 100:
        year += 2000 if year < 30 else 1900
    return GoldDate(year, month, day)


_UNIT_MONTHS = {"day": 1 / 30, "week": 7 / 30, "month": 1.0, "year": 12.0}


def parse_gold_duration(answer: str) -> tuple[float, str] | None:
    """'successive 1 year' -> (1, 'year'); '90 days' -> (90, 'day')."""
    m = re.search(r"(\d+(?:\.\d+)?)\s*(business\s+day|day|week|month|year)s?", answer or "", re.I)
    return (float(m.group(1)), m.group(2).lower().replace(" ", "_")) if m else None


def same_duration(gold: tuple[float, str], value: float | None, unit: str | None, days: int | None = None) -> bool:
    """Equal lengths: 12 months is 1 year, 3 months is 90 days (months of 30 days)."""
    g_value, g_unit = gold
    if value is None or not unit:
        return False
    if g_unit == "business_day" or unit == "business_day":
        return g_unit == unit and abs(g_value - value) < 1e-6
    if g_unit in _UNIT_MONTHS and unit in _UNIT_MONTHS:
        a, b = g_value * _UNIT_MONTHS[g_unit], value * _UNIT_MONTHS[unit]
        return abs(a - b) <= max(0.05, 0.02 * a)  # 365 days vs 12 months
    return False


_LAW_NOISE = re.compile(r"\b(?:the|state|states|commonwealth|province|republic|kingdom|laws?|of|and|federal|united|america|usa|u\.s\.a?|us)\b", re.I)


def _law_core(text: str) -> str:
    return " ".join(_LAW_NOISE.sub(" ", re.sub(r"[^\w\s.]", " ", text or "")).split()).lower()


def law_matches(gold: str, predicted: str) -> bool:
    """'New York' ~ 'State of New York'; 'Massachusetts; Netherlands' accepts either."""
    got = _law_core(predicted)
    if not got:
        return False
    for part in re.split(r";|,", gold):
        want = _law_core(part)
        if want and (want == got or re.search(rf"\b{re.escape(want)}\b", got) or re.search(rf"\b{re.escape(got)}\b", want)):
            return True
    return False


_ENTITY_NOISE = re.compile(
    r"\b(?:the|inc|incorporated|ltd|ltc|limited|llc|l\.l\.c|corp|corporation|company|co|plc|pte|pty|sa|s\.a|ag|gmbh|"
    r"lp|l\.p|kg|b\.v|bv|n\.a|formerly\s+known\s+as.*)\b", re.I)


def _name_key(name: str) -> str:
    return " ".join(_ENTITY_NOISE.sub(" ", re.sub(r"[^\w\s.&]|\.(?=\s|$)", " ", name or "").lower()).split())


@dataclass(frozen=True)
class GoldParty:
    name: str
    aliases: tuple[str, ...]


def parse_gold_parties(answer: str) -> list[GoldParty]:
    """CUAD's 'A Corp. ("A"); B Ltd. ("B"); A and B (collectively the "Parties")' -> A and B."""
    out = []
    for part in re.split(r";", answer or ""):
        part = part.strip(" ()")
        aliases = tuple(re.sub(r"(?i)^(?:a|an|the)\s+", "", a.strip(" ,.")) for a in
                        re.findall(r"[\"\u201c]([^\"\u201d]{1,60})[\"\u201d]", part))
        group = aliases and all(a.lower() in ("party", "parties") for a in aliases)
        if not part or group or re.match(r"(?i)(?:each|individually|collectively)\b", part) or (
                re.search(r"(?i)\beach of the foregoing\b|\bcollectively\b", part)
                and not re.search(r"(?i)\b(?:inc|ltd|llc|corp|limited)\b", part.split("(")[0])):
            continue
        name = part.split("(")[0].strip(" ,")
        if name or aliases:
            out.append(GoldParty(name, aliases))
    # "A and B (collectively "Shareholders")" groups parties listed on their own: not one more party.
    keys = [_name_key(g.name) for g in out]
    return [g for g in out if not (" and " in g.name and all(any(k and k in piece for k in keys if k != _name_key(g.name))
                                                                 for piece in map(_name_key, re.split(r"\s+and\s+", g.name))))]


def party_found(gold: GoldParty, predicted: list[dict]) -> bool:
    want = _name_key(gold.name)
    aliases = {a.lower() for a in gold.aliases if a.lower() not in ("party", "parties")}
    for p in predicted:
        got = _name_key(p.get("name", ""))
        if want and got and (want == got or want in got or got in want):
            return True
        if aliases & {a.lower() for a in p.get("defined_as", [])}:
            return True
    return False


# -- scoring one contract -----------------------------------------------------------------------

def _add(start: date, value: float, unit: str) -> date | None:
    if unit == "day":
        return start + timedelta(days=int(value))
    if unit == "week":
        return start + timedelta(weeks=int(value))
    months = int(round(value * (12 if unit == "year" else 1))) if unit in ("month", "year") else None
    if months is None:
        return None
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def expiration_candidates(terms: dict) -> list[date]:
    """The end dates the key terms support: an explicit one, or the start plus the initial term
    (on the same calendar day or the day before: 'March 1, 2005 to February 28, 2006')."""
    out = []
    exp = terms.get("expiration_date") or {}
    if re.match(r"\d{4}-\d{2}-\d{2}", exp.get("iso") or ""):
        out.append(date.fromisoformat(exp["iso"][:10]))
    term = terms.get("initial_term") or {}
    for key in ("effective_date", "agreement_date"):
        start = (terms.get(key) or {}).get("iso") or ""
        if term and re.match(r"\d{4}-\d{2}-\d{2}", start):
            end = _add(date.fromisoformat(start[:10]), float(term["value"]), term["unit"])
            if end:
                out += [end, end - timedelta(days=1)]
    return out


def _date_text(value: dict | None) -> str:
    return "" if not value else f"{value.get('text', '')} ({value.get('iso') or 'no ISO date'})"


def score_field(field: str, answer: str, terms: dict) -> tuple[bool | None, str]:
    """(correct, what the extractor said); correct is None when CUAD's answer can't be scored."""
    if field == "parties":
        gold = parse_gold_parties(answer)
        predicted = terms.get("parties") or []
        shown = "; ".join(f"{p['name']} ({', '.join(p.get('defined_as', []))})" for p in predicted)
        return (all(party_found(g, predicted) for g in gold) if gold else None), shown
    if field in ("agreement_date", "effective_date"):
        gold = parse_gold_date(answer)
        value = terms.get(field)
        ok = bool(value) and gold is not None and gold.matches(value.get("iso", ""), value.get("text", ""))
        return (ok if gold else None), _date_text(value)
    if field == "expiration":
        return _score_expiration(answer, terms)
    if field == "renewal_term":
        gold = parse_gold_duration(answer)
        value = terms.get("renewal_term")
        ok = bool(value) and gold is not None and same_duration(gold, value["value"], value["unit"])
        return (ok if gold else None), (value or {}).get("text", "")
    if field == "renewal_notice":
        gold = parse_gold_duration(answer)
        notices = [n for n in terms.get("notice_periods") or [] if n.get("kind") == "non_renewal"]
        shown = "; ".join(n["text"] for n in notices)
        if gold is None:
            return None, shown
        first = notices[0] if notices else None
        ok = bool(first) and _notice_matches(gold, first)
        return ok, shown
    if field == "governing_law":
        value = terms.get("governing_law") or {}
        if not answer or "[" in answer:
            return None, value.get("jurisdiction", "")
        return law_matches(answer, value.get("jurisdiction", "")), value.get("jurisdiction", "")
    raise ValueError(field)


def _notice_matches(gold: tuple[float, str], notice: dict) -> bool:
    m = parse_gold_duration(notice.get("text", ""))
    if m and same_duration(gold, m[0], m[1]):
        return True
    unit = "business_day" if notice.get("business_days") else "day"
    return notice.get("days") is not None and same_duration(gold, float(notice["days"]), unit)


def _score_expiration(answer: str, terms: dict) -> tuple[bool | None, str]:
    term = terms.get("initial_term") or {}
    indefinite = terms.get("indefinite_term") or {}
    shown = "; ".join(x for x in (_date_text(terms.get("expiration_date")), term.get("text", ""),
                                  "indefinite: " + indefinite["text"] if indefinite else "") if x)
    if answer.lower().startswith("perpetual"):
        return bool(indefinite) and not term and not terms.get("expiration_date"), shown
    gold = parse_gold_date(answer)
    if gold is None or None in (gold.year, gold.month, gold.day):
        return None, shown
    want = date(gold.year, gold.month, gold.day)
    return want in expiration_candidates(terms), shown


def score_contract(answers: dict[str, str], terms: dict) -> dict[str, dict]:
    """field -> {"correct", "gold", "predicted", "quote"} for the fields CUAD answers."""
    out = {}
    for field, (category, _) in FIELDS.items():
        if category not in answers:
            continue
        answer = answers[category]
        correct, shown = score_field(field, answer, terms) if answer else (None, "")
        out[field] = {"correct": correct, "gold": answer, "predicted": shown, "quote": _quote(field, terms)}
    return out


def _quote(field: str, terms: dict) -> str:
    key = {"expiration": "initial_term", "renewal_notice": None, "parties": None}.get(field, field)
    if field == "renewal_notice":
        value = next((n for n in terms.get("notice_periods") or [] if n.get("kind") == "non_renewal"), None)
    elif field == "parties":
        value = (terms.get("parties") or [None])[0]
    else:
        value = terms.get(key) or (terms.get("expiration_date") if field == "expiration" else None)
    cite = (value or {}).get("citation") or {}
    return " ".join((cite.get("quote") or "").split())[:240]


# -- the whole run ---------------------------------------------------------------------------

def summarise(rows: list[dict]) -> dict:
    """rows: {"contract", "split", "fields": score_contract(...)} -> per split, per field."""
    table: dict[str, dict] = {}
    misses = []
    for split in (*SPLITS, "all"):
        per_field = {}
        for field, (category, target) in FIELDS.items():
            scored = [r for r in rows if (split == "all" or r["split"] == split)
                      and r["fields"].get(field, {}).get("correct") is not None]
            blank = sum(1 for r in rows if (split == "all" or r["split"] == split)
                        and field in r["fields"] and r["fields"][field]["correct"] is None)
            correct = sum(1 for r in scored if r["fields"][field]["correct"])
            accuracy = correct / len(scored) if scored else None
            per_field[field] = {"category": category, "scored": len(scored), "correct": correct, "accuracy": accuracy,
                                "not_scorable": blank, "target": target,
                                "met": None if target is None or accuracy is None else accuracy >= target}
        table[split] = per_field
    for r in rows:
        for field, f in r["fields"].items():
            if f["correct"] is False:
                misses.append({"contract": r["contract"], "split": r["split"], "field": field, "gold": f["gold"],
                               "predicted": f["predicted"], "quote": f["quote"]})
    return {"fields": table, "misses": misses}


def run_key_terms(run, limit: int | None = None) -> dict:
    """Score `ContractService.key_terms` on every indexed CUAD contract of the run's corpus."""
    answers = load_answers(run.corpus)
    indexed = {d.source for d in run.documents()}
    contracts = [c for c in answers if c in indexed][: limit or None]
    rows, failed = [], []
    for source in contracts:
        try:
            terms = run.service.contracts.key_terms(source, run.caller).model_dump(mode="json")
        except Exception as exc:  # one unreadable contract is reported, the rest are still scored
            failed.append({"contract": source, "error": f"{type(exc).__name__}: {str(exc)[:120]}"})
            continue
        rows.append({"contract": source, "split": split_of(source), "fields": score_contract(answers[source], terms)})
    return {
        "contracts": len(rows), "not_indexed": [c for c in answers if c not in indexed], "failed": failed,
        "split_sizes": {s: sum(1 for r in rows if r["split"] == s) for s in SPLITS},
        **summarise(rows),
    }


# -- RESULTS_contracts.md ----------------------------------------------------------------------

def results_markdown(rep: dict, before: dict | None = None) -> str:
    """The key-terms section of RESULTS_contracts.md from a saved report (`eval key-terms --save`)."""
    fmt = lambda f: "-" if f["accuracy"] is None else f"{f['accuracy']:.3f} ({f['correct']}/{f['scored']})"  # noqa: E731
    lines = ["| field | CUAD category | dev | held-out | all | target | met on held-out | before (all) |", "|---|---|---|---|---|---|---|---|"]
    for field, row in rep["fields"]["all"].items():
        held = rep["fields"]["held_out"][field]
        met = "-" if row["target"] is None or held["accuracy"] is None else ("yes" if held["accuracy"] >= row["target"] else "no")
        was = (before or {}).get(field, "")
        lines.append(f"| {field} | {row['category']} | {fmt(rep['fields']['dev'][field])} | {fmt(held)} | {fmt(row)} | "
                     f"{'' if row['target'] is None else row['target']} | {met} | {was} |")
    git = rep.get("meta", {}).get("git", "")
    return (f"`bpo-assistant eval key-terms ../shared/corpus --save evals/out/key_terms.json` (git {git}) - "
            f"{rep['contracts']} CUAD contracts (dev {rep['split_sizes']['dev']}, held-out {rep['split_sizes']['held_out']}), "
            "key terms through `ContractService.key_terms` over the ingested shared corpus.\n\n" + "\n".join(lines))


if __name__ == "__main__":
    import sys

    from evals.contracts.common import write_section

    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    # Measured with the same scorer on the code before issue 24 (git 5ce84c4), each CUAD text as one document.
    BEFORE = {"parties": "0.615 (48/78)", "agreement_date": "0.535 (38/71)", "effective_date": "0.281 (16/57)",
              "expiration": "0.185 (10/54)", "renewal_term": "0.794 (27/34)", "renewal_notice": "0.346 (9/26)",
              "governing_law": "0.894 (59/66)"}
    write_section("key_terms_table", results_markdown(report, BEFORE))
