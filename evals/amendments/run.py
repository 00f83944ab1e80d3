"""Issue 26 eval: terms in force and the conflict check.

    python -m evals.amendments.run [--shared ../shared/corpus] [--json out.json]

1. The planted amendment corpus (evals/amendments/corpus.py): every case is asked on its date; it
   passes when the answer states the figure in force, cites the amending document, and no citation
   quotes the superseded text. Key terms and the SLA schedule of the amended MSA are checked too.
   Amendments that name no clause number (topic_corpus.py): each tied to the one clause it is
   about, or, when more than one could be meant or none matches, not applied and reported.
2. The planted SOP/contract pairs (conflict_corpus.py): conflicts found, of the right kind, agreeing
   pairs reported (must be 0) and anything else reported.
3. The shared corpus (read at run time, through the cached eval home) and the bundled sample: how
   many conflicts the check reports; each is printed to be read (they are false unless shown true).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from evals.amendments import conflict_corpus, corpus, topic_corpus

REPO = Path(__file__).resolve().parents[2]


def _admin():
    from assistant.models import Caller

    return Caller(id="eval", roles=frozenset({"admin"}), surface="eval")


def amendment_cases(service) -> dict:
    rows = []
    for case in corpus.CASES:
        answer = service.ask(case.question, _admin(), as_of=case.as_of)
        quotes = " ".join(c.quote for c in answer.citations)
        ok_value = any(e.lower() in answer.answer.lower() for e in case.expect)
        ok_cite = any(c.source == case.cites for c in answer.citations)
        ok_stale = not any(s.lower() in quotes.lower() for s in case.stale)
        rows.append({"shape": case.shape, "as_of": case.as_of, "value": ok_value, "cites_amendment": ok_cite,
                     "no_stale_quote": ok_stale, "pass": ok_value and ok_cite and ok_stale})
    terms = service.contracts.key_terms("harbor-quillon-msa.md", _admin(), as_of="2026-06-01")
    sla = service.contracts.sla_schedule("harbor-quillon-msa.md", _admin(), as_of="2026-06-01")
    tfc = [n for n in terms.notice_periods if n.kind == "termination_for_convenience"]
    email = [t for t in sla.terms if "email" in t.metric.lower()]
    checks = {
        "key_terms_notice_30_from_amendment_1": bool(tfc) and tfc[0].days == 30 and tfc[0].citation.source.endswith("amendment-1.docx"),
        "key_terms_expiry_2029_from_amendment_3": bool(terms.expiration_date) and terms.expiration_date.iso == "2029-12-31",
        "sla_email_95_12h_from_amendment_3": bool(email) and email[0].target_percent == 95.0 and email[0].citation.source.endswith("amendment-3.md"),
    }
    return {"cases": rows, "passed": sum(r["pass"] for r in rows), "total": len(rows), "contract_checks": checks}


def conflict_cases(service) -> dict:
    report = service.conflicts(_admin())
    agent = service.conflicts(_caller("bpo_agent"))
    return {**conflict_corpus.score(report.conflicts), "bpo_agent_conflicts": len(agent.conflicts)}


def _caller(role: str):
    from assistant.models import Caller

    return Caller(id="eval", roles=frozenset({role}), surface="eval")


def corpus_conflicts(service, label: str) -> dict:
    started = time.perf_counter()
    report = service.conflicts(_admin())
    return {"corpus": label, "conflicts": len(report.conflicts), "checked": report.checked,
            "seconds": round(time.perf_counter() - started, 1),
            "listed": [{"kind": c.kind, "topic": c.topic, "items": [f"{i.source} [{i.value}]: {i.quote[:160]}" for i in c.items]}
                       for c in report.conflicts]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    from assistant.retrieval.embedding import Embedder
    from evals.harness import load_eval_settings, open_run

    settings = load_eval_settings(None)
    embedder = Embedder.from_settings(settings.embedding)
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="bpo-eval-26-") as tmp:
        root = conflict_corpus.write_corpus(corpus.write_corpus(Path(tmp) / "corpus"))
        run = open_run(root, home=Path(tmp) / "home", embedder=embedder)
        out["amendments"] = amendment_cases(run.service)
        out["planted_conflicts"] = conflict_cases(run.service)
        run.close()
        topics = open_run(topic_corpus.write_corpus(Path(tmp) / "topic-corpus"), home=Path(tmp) / "topic-home", embedder=embedder)
        out["topic_changes"] = topic_corpus.score(topics.service, _admin())
        topics.close()
        sample = open_run(REPO / "samples" / "corpus", home=Path(tmp) / "sample-home", embedder=embedder)
        out["sample"] = corpus_conflicts(sample.service, "samples/corpus")
        sample.close()
    if args.shared.is_dir():
        shared = open_run(args.shared, embedder=embedder)
        out["shared"] = corpus_conflicts(shared.service, str(args.shared))
        shared.close()
    else:
        out["shared"] = {"skipped": f"{args.shared} not found"}
    text = json.dumps(out, indent=1)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
