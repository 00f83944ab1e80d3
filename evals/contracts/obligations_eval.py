"""Obligation extraction precision on a hand-checked sample from the shared corpus.

    python -m evals.contracts.obligations_eval --corpus ../shared/corpus [--draw] [--json] [--write-results]
    python -m evals.contracts.obligations_eval --corpus ../shared/corpus --held-out [--draw] [--write-results]

`--draw` extracts the register of every CUAD contract, draws a fixed random sample of 50
obligations/prohibitions (seed 77, at most 2 per contract) and writes it to obligations_checked.jsonl,
keeping the judgement of rows already there. Each row is then judged by hand: `correct` is true when
the sentence really binds the named party (obligation or prohibition as labelled) to the action
shown; `fields_correct` additionally requires the deadline/recurrence/trigger/counterparty fields,
where filled, to belong to that obligation; `note` says why not. Without `--draw` the script reads
the judged file and reports precision; rows the current extractor no longer produces are counted
as stale (re-draw and re-judge them).

`--held-out` measures the register as it is after issue 24 on contracts nobody looked at while
building it: the CUAD contracts of the key-terms eval's held-out half, as text and as PDF, from the
shared corpus ingested whole (the harness's cached home). It reports how many obligations carry a
clause number (texts and PDFs separately) and precision on a fresh sample of 60 rows (seed 2412)
judged in obligations_checked_heldout.jsonl.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from evals.contracts.common import contract_files, eval_caller, markdown_table, open_service, parser, print_table, write_section

CHECKED = Path(__file__).with_name("obligations_checked.jsonl")
CHECKED_HELD_OUT = Path(__file__).with_name("obligations_checked_heldout.jsonl")
HELD_OUT_SAMPLE, HELD_OUT_SEED = 60, 2412
SAMPLE_SIZE = 50
PER_CONTRACT = 2
# Draws with seeds 8, 2026 and 31 were used while developing the extractor; the reported sample is a fresh one.
SEED = 77
DEV_HISTORY = (
    "Earlier draws, judged the same way on earlier versions of the extractor and then used to fix general error "
    "classes (passive 'shall be retained', 'shall have the right' after adverbs, liability exclusions read as "
    "prohibitions, joint subjects 'X and Y shall'): seed 2026: 42/50 = 0.84; seed 31: 41/50 = 0.82. The seed-77 "
    "sample below was drawn after those fixes and judged once; the extractor was not changed after judging it."
)


def extract_all(service, corpus, limit: int):
    contracts = service.contracts
    caller = eval_caller()
    register = {}
    for path in contract_files(corpus, limit):
        source = f"contracts/{path.name}"
        reg = contracts.obligations(caller, source=source)
        register[source] = reg
    return register


def _row(o) -> dict:
    return {
        "id": o.id, "source": o.source, "clause_no": o.clause_no, "page": o.page, "kind": o.kind,
        "party_term": o.party_term, "obligated_party": o.obligated_party, "counterparty": o.counterparty,
        "modal": o.modal, "action": o.action, "deadline": o.deadline, "recurrence": o.recurrence, "trigger": o.trigger,
        "condition": o.condition, "quote": " ".join(o.citation.quote.split()),
        "correct": None, "fields_correct": None, "note": "",
    }


def draw(registers, seed: int = SEED, size: int = SAMPLE_SIZE, checked: Path = CHECKED) -> list[dict]:
    rng = random.Random(seed)
    pool = defaultdict(list)
    for source, reg in sorted(registers.items()):
        for o in reg.obligations:
            pool[source].append(o)
    picked = []
    sources = sorted(pool)
    rng.shuffle(sources)
    while len(picked) < size and any(pool.values()):
        for source in sources:
            items = pool[source]
            if items and sum(1 for p in picked if p.source == source) < PER_CONTRACT:
                picked.append(items.pop(rng.randrange(len(items))))
                if len(picked) >= size:
                    break
        else:
            if all(sum(1 for p in picked if p.source == s) >= PER_CONTRACT or not pool[s] for s in sources):
                break
    old = {}
    if checked.exists():
        for line in checked.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                old[row["id"]] = row
    rows = []
    for o in picked:
        row = _row(o)
        if o.id in old:
            for key in ("correct", "fields_correct", "note"):
                row[key] = old[o.id].get(key)
        rows.append(row)
    return rows


def save_draw(rows: list[dict], path: Path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {path}; judge them (correct / fields_correct / note) and re-run without --draw")


def load_judged(path: Path, registers: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """(every sampled row, the judged rows the extractor still produces, the rows it no longer does)."""
    current = {o.id for reg in registers.values() for o in reg.obligations}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    judged = [r for r in rows if r.get("correct") is not None and r["id"] in current]
    return rows, judged, [r for r in rows if r["id"] not in current]


def held_out_registers(corpus: Path) -> tuple[dict, dict]:
    """Registers of every contract (text and PDF) in the shared corpus's cached eval home, and the
    subset whose file is in the key-terms eval's held-out half."""
    from evals.harness import open_run
    from evals.key_terms import split_of
    from assistant.models import CONTRACT_DOC_TYPES

    run = open_run(corpus)
    try:
        contracts = run.service.contracts
        sources = sorted(d.source for d in run.documents() if d.doc_type in CONTRACT_DOC_TYPES
                         and d.source.startswith("contracts/"))
        registers = {s: contracts.obligations(run.caller, source=s) for s in sources}
    finally:
        run.close()
    held = {s: r for s, r in registers.items() if split_of(Path(s).with_suffix(".txt").name) == "held_out"}
    return registers, held


def clause_coverage(registers: dict) -> dict:
    out = {}
    for label, suffix in (("texts", ".txt"), ("pdfs", ".pdf"), ("all", "")):
        obs = [o for s, r in registers.items() if s.endswith(suffix) for o in r.obligations]
        out[f"clause_no_share_{label}"] = round(sum(1 for o in obs if o.clause_no) / max(1, len(obs)), 4)
        out[f"obligations_{label}"] = len(obs)
    return out


def main_held_out(args) -> None:
    registers, held = held_out_registers(args.corpus)
    if args.draw:
        save_draw(draw(held, HELD_OUT_SEED, HELD_OUT_SAMPLE, CHECKED_HELD_OUT), CHECKED_HELD_OUT)
        return
    rows, judged, stale = load_judged(CHECKED_HELD_OUT, held)
    totals = {"contracts_all": len(registers), "contracts_held_out": len(held), **clause_coverage(registers),
              "sample_rows": len(rows), "judged": len(judged), "stale": len(stale),
              "precision": round(sum(1 for r in judged if r["correct"]) / max(1, len(judged)), 3),
              "precision_all_fields": round(sum(1 for r in judged if r["correct"] and r.get("fields_correct"))
                                            / max(1, len(judged)), 3)}
    wrong = [[r["source"].split("/")[-1][:40], r["clause_no"], r["party_term"], r["action"][:60], r["note"]]
             for r in judged if not r["correct"]]
    print(json.dumps({"overall": totals, "incorrect": wrong}) if args.json else "")
    if not args.json:
        print_table("Obligation register, held-out contracts", ["metric", "value"], [[k, v] for k, v in totals.items()])
        print_table("Rows judged incorrect", ["contract", "clause", "party", "action", "why"], wrong)
    if args.write_results:
        body = (
            "## Obligation register on contracts not used while building it (issue 24)\n\n"
            "`python -m evals.contracts.obligations_eval --corpus ../shared/corpus --held-out` — every CUAD contract of the "
            "shared corpus ingested whole (texts and PDFs); clause-number share over all their obligations; precision on "
            f"{len(rows)} rows drawn (seed {HELD_OUT_SEED}, at most {PER_CONTRACT} per document) from the contracts of the "
            "key-terms eval's held-out half, judged by hand in `evals/contracts/obligations_checked_heldout.jsonl` with "
            "the same rules as above. The sample was judged once, on the register as it was then; the party-name faults it "
            "showed (names starting with 'between', line breaks, addresses, a description fragment read as a name) were "
            "fixed afterwards, so the fields-right figure is that of the register before those fixes.\n\n"
            + markdown_table(["metric", "value"], [[k, v] for k, v in totals.items()]) + "\n\n"
            + (markdown_table(["contract", "clause", "party", "action", "why incorrect"], wrong) if wrong else "")
        )
        write_section("obligations_held_out", body)


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--draw", action="store_true", help="(re)draw the sample into obligations_checked.jsonl")
    p.add_argument("--held-out", action="store_true", help="contracts of the held-out half, texts and PDFs")
    args = p.parse_args()
    if args.held_out:
        main_held_out(args)
        return
    service = open_service(args.corpus, args.home, args.limit)
    registers = extract_all(service, args.corpus, args.limit)
    if args.draw:
        save_draw(draw(registers), CHECKED)
        return
    rows, judged, stale = load_judged(CHECKED, registers)
    core = sum(1 for r in judged if r["correct"]) / max(1, len(judged))
    full = sum(1 for r in judged if r["correct"] and r.get("fields_correct")) / max(1, len(judged))
    totals = {
        "contracts": len(registers),
        "obligations_extracted": sum(len(r.obligations) for r in registers.values()),
        "rights_extracted": sum(len(r.rights) for r in registers.values()),
        "sample_rows": len(rows), "judged": len(judged), "stale": len(stale),
        "precision": round(core, 3), "precision_all_fields": round(full, 3),
    }
    wrong = [[r["source"].split("/")[-1][:40], r["clause_no"], r["party_term"], r["action"][:60], r["note"]]
             for r in judged if not r["correct"]]
    if args.json:
        print(json.dumps({"overall": totals, "incorrect": wrong}))
    else:
        print_table("Obligation register on the shared corpus (hand-checked sample)", ["metric", "value"],
                    [[k, v] for k, v in totals.items()])
        print_table("Rows judged incorrect", ["contract", "clause", "party", "action", "why"], wrong)
    if args.write_results:
        body = (
            "## Obligation extraction (hand-checked sample)\n\n"
            "`python -m evals.contracts.obligations_eval --corpus ../shared/corpus` — a fixed random sample of "
            f"{len(rows)} obligations/prohibitions (at most {PER_CONTRACT} per contract) from the register of the "
            f"{len(registers)} CUAD contracts, each judged by hand in `evals/contracts/obligations_checked.jsonl`. "
            "`precision`: the sentence binds the named party to the action shown, with the right kind (obligation or "
            "prohibition); `precision_all_fields`: deadline, recurrence, trigger and counterparty are right too.\n\n"
            + DEV_HISTORY + "\n\n"
            + markdown_table(["metric", "value"], [[k, v] for k, v in totals.items()]) + "\n\n"
            + (markdown_table(["contract", "clause", "party", "action", "why incorrect"], wrong) if wrong else "")
        )
        write_section("obligations", body)


if __name__ == "__main__":
    main()
