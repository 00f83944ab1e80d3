"""Answer-stage replay: retrieve once, then re-run only the answerer on the saved evidence.

Iterating on unit selection or a refusal rule (assistant/answering/) needs no new retrieval: this
records, per question, exactly what `service.ask` handed the answerer (the results after terms in
force, the unmentioned names, the named document) and replays `Answerer.respond` on it with the
current code. The numbers are the `eval answers` metrics (refusal, false refusals, near misses
refused, phrase rate); the full `bpo-assistant eval answers` run stays the one to report.

    python evals/replay_answers.py record ../shared/corpus --set dev --set users --skip-ingest
    python evals/replay_answers.py record samples/corpus --set sample --set users_sample
    python evals/replay_answers.py replay --set dev [--show misses|refused|wrong|changed]

Held-out sets are for a rule already fixed: never tune on them.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from evals.answerability import SETS  # noqa: E402
from evals.harness import QUESTIONS, norm_text, open_run, read_jsonl  # noqa: E402

OUT = REPO / "evals" / "out" / "replay"


def _questions(name: str) -> list[tuple[dict, bool]]:
    answerable_file, ooc_file = SETS[name]
    return ([(q, True) for q in read_jsonl(QUESTIONS / answerable_file)]
            + [(q, False) for q in read_jsonl(QUESTIONS / ooc_file)])


def record(corpus: Path, names: list[str], skip_ingest: bool) -> None:
    run = open_run(corpus, ingest=not skip_ingest)
    answerer = run.service.answerer
    real = answerer.respond
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names:
        saved = []
        for q, answerable in _questions(name):
            captured = {}

            def spy(question, results, missing=(), limited_access=False, **kw):
                captured.update(question=question, results=list(results), missing=list(missing),
                                limited_access=limited_access, **{k: v for k, v in kw.items() if k != "stream"})
                return real(question, results, missing, limited_access, **kw)

            answerer.respond = spy
            try:
                answer = run.service.ask(q["question"], run.caller)
            finally:
                answerer.respond = real
            saved.append({"q": q, "answerable": answerable, "args": captured, "answer": answer.model_dump()})
        (OUT / f"{name}.pkl").write_bytes(pickle.dumps(saved))
        print(f"{name}: {len(saved)} questions recorded", flush=True)


def _phrase_found(q: dict, answer) -> bool:
    phrase = norm_text(q["must_contain"])
    return answer.grounded and (phrase in norm_text(answer.answer) or any(phrase in norm_text(c.quote) for c in answer.citations))


def replay(names: list[str], show: str | None, corpus: Path, save: str | None = None, against: str | None = None) -> None:
    run = open_run(corpus, ingest=False)  # the judge and embedder the answerer uses
    answerer = run.service.answerer
    if answerer.judge is not None:
        answerer.judge = _CachedJudge(answerer.judge, OUT / "judge-cache.pkl")
    if answerer.embedder is not None:
        answerer.embedder = _CachedEmbedder(answerer.embedder, OUT / "embed-cache.pkl")
    for name in names:
        saved = pickle.loads((OUT / f"{name}.pkl").read_bytes())
        rows = [(s, _respond(run, s["args"])) for s in saved]
        if against:
            # "changed" compares with a saved replay (`--save before`) instead of the recording.
            earlier = json.loads((OUT / f"{name}.{against}.json").read_text())
            for s, d in zip(saved, earlier):
                s["answer"] = d
        _report(name, rows, show)
        if save:
            (OUT / f"{name}.{save}.json").write_text(json.dumps([a.model_dump(mode="json") for _, a in rows]))
    for part in (answerer.judge, answerer.embedder):
        if isinstance(part, (_CachedJudge, _CachedEmbedder)):
            part.save()


class _CachedJudge:
    """The judge's scores kept across replays: a pair's score never depends on what runs beside
    it (assistant/retrieval/judge.py), so a cached score is the score."""

    def __init__(self, judge, path: Path):
        self.judge, self.path = judge, path
        self.cache = pickle.loads(path.read_bytes()) if path.exists() else {}

    def score(self, query: str, texts: list[str], max_tokens: int | None = None):
        import numpy as np

        todo = [t for t in texts if (query, t, max_tokens) not in self.cache]
        if todo:
            for t, v in zip(todo, self.judge.score(query, todo, max_tokens=max_tokens)):
                self.cache[(query, t, max_tokens)] = float(v)
        return np.array([self.cache[(query, t, max_tokens)] for t in texts], dtype=np.float32)

    def save(self) -> None:
        self.path.write_bytes(pickle.dumps(self.cache))


class _CachedEmbedder:
    """The unit embeddings of the answer prior, kept across replays (one text, one vector)."""

    def __init__(self, embedder, path: Path):
        self.embedder, self.path = embedder, path
        self.cache = pickle.loads(path.read_bytes()) if path.exists() else {}

    def embed(self, texts: list[str]):
        import numpy as np

        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if todo:
            for t, v in zip(todo, self.embedder.embed(todo)):
                self.cache[t] = np.asarray(v, dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])

    def save(self) -> None:
        self.path.write_bytes(pickle.dumps(self.cache))


def _respond(run, a: dict):
    out = None
    for kind, payload in run.service.answerer.respond(a["question"], a["results"], a["missing"], a["limited_access"],
                                                      named_source=a.get("named_source"), fragment=a.get("fragment", False)):
        if kind == "answer":
            out = payload
    return out


def _report(name: str, rows: list, show: str | None) -> None:
    ans = [(s, a) for s, a in rows if s["answerable"]]
    una = [(s, a) for s, a in rows if not s["answerable"]]
    near = [(s, a) for s, a in una if s["q"].get("kind") == "near_miss"]
    phrase = sum(_phrase_found(s["q"], a) for s, a in ans)
    print(f"{name}: refusal {sum(not a.grounded for _, a in una) / max(len(una), 1):.3f} "
          f"false refusals {sum(not a.grounded for _, a in ans) / max(len(ans), 1):.3f} "
          f"near misses {sum(not a.grounded for _, a in near)}/{len(near)} "
          f"phrase {phrase / max(len(ans), 1):.3f} ({phrase}/{len(ans)}) "
          f"[recorded: phrase {sum(_phrase_found(s['q'], _Rec(s['answer'])) for s, _ in ans)}]", flush=True)
    for s, a in rows:
        q, before = s["q"], _Rec(s["answer"])
        changed = before.grounded != a.grounded or before.answer != a.answer
        pick = {"misses": s["answerable"] and a.grounded and not _phrase_found(q, a),
                "refused": s["answerable"] and not a.grounded,
                "wrong": not s["answerable"] and a.grounded,
                "changed": changed}.get(show or "", False)
        if pick:
            print(json.dumps({"id": q["id"], "q": q["question"], "expect": q.get("must_contain", q.get("kind")),
                              "grounded": a.grounded, "answer": a.answer[:400], "flagged": a.flagged[:1],
                              **({"before": before.answer[:300]} if show == "changed" else {})}, ensure_ascii=False))


class _Rec:
    """A recorded answer (its dict) read like an Answer."""

    def __init__(self, d: dict):
        from assistant.models import Answer

        self._a = Answer.model_validate(d)

    def __getattr__(self, item):
        return getattr(self._a, item)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("corpus", type=Path)
    r.add_argument("--set", action="append", dest="sets", required=True, choices=sorted(SETS))
    r.add_argument("--skip-ingest", action="store_true")
    y = sub.add_parser("replay")
    y.add_argument("--corpus", type=Path, required=True)
    y.add_argument("--set", action="append", dest="sets", required=True, choices=sorted(SETS))
    y.add_argument("--show", choices=["misses", "refused", "wrong", "changed"])
    y.add_argument("--save", help="keep this replay's answers under a tag")
    y.add_argument("--against", help="compare with the replay saved under this tag (for --show changed)")
    args = p.parse_args()
    if args.cmd == "record":
        record(args.corpus, args.sets, args.skip_ingest)
    else:
        replay(args.sets, args.show, args.corpus, args.save, args.against)


if __name__ == "__main__":
    main()
