"""`bpo-assistant eval ...`: retrieval and answer quality on any corpus folder (evals/ harness).

The evals package's own command group: the product CLI does not import it, it finds `eval_app`
through the `bpo_assistant.cli` entry point (pyproject.toml; assistant/surfaces/cli/plugins.py)
when this package is installed. Each command ingests CORPUS into a cached eval home (evals/out/homes/<key>, or --home), runs one
eval and prints the run metadata (corpus, files, model, chunking, retrieval, git commit) with a
table, or one JSON object with --json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.errors import InvalidInput
from assistant.surfaces.cli.root import APP_OPTIONS, JSON_HELP, _state, err
from assistant.surfaces.cli.root import out as _term
from assistant.surfaces.cli.console import LazyConsole


def _report_console():
    from rich.console import Console

    # Reports are often redirected to a file: don't squeeze the tables into 80 columns there.
    return _term.console if _term.is_terminal else Console(width=180)


out = LazyConsole(_report_console)


def Table(*args, **kwargs):  # noqa: N802 - rich's Table, imported when a report is printed
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)

eval_app = typer.Typer(help="Measure retrieval and answer quality on a corpus.", **APP_OPTIONS)

CorpusArg = typer.Argument(..., metavar="CORPUS", help="corpus folder (ingested recursively into a cached eval home)")
HomeOpt = typer.Option(None, "--home", metavar="DIR", help="eval home (default: evals/out/homes/<corpus+pipeline hash>)")
JsonOpt = typer.Option(False, "--json", help=JSON_HELP)
SkipOpt = typer.Option(False, "--skip-ingest", help="use the home as it is (no incremental re-ingest)")
SaveOpt = typer.Option(None, "--save", metavar="FILE", help="also write the JSON report to this file")
LimitHelp = "first N {} only (a quick run)"
KListHelp = "the cut-offs k to report, comma-separated"
OocHelp = "unanswerable questions (JSONL; default: evals/questions/out_of_corpus.jsonl)"
QuestionsHelp = "JSONL: id, question, source, must_contain (default: the evals/questions file matching CORPUS)"
RerankOpt = typer.Option(False, "--rerank", help="search through the passage judge, as ask does")


def _evals():
    """The eval modules, imported when a command runs (not for --help)."""
    import evals.answers
    import evals.cuad
    import evals.harness
    import evals.legalbench
    import evals.process

    return evals


def _parse_ks(value: str) -> list[int]:
    try:
        ks = sorted({int(x) for x in value.split(",") if x.strip()})
    except ValueError:
        raise InvalidInput(f"--k-list: expected comma-separated integers, got {value!r}") from None
    if not ks or ks[0] < 1 or ks[-1] > 200:
        raise InvalidInput("--k-list: values must be between 1 and 200")
    return ks


def _open(ctx: typer.Context, corpus: Path, home: Optional[Path], quiet: bool, skip_ingest: bool, rerank: bool = False):
    from assistant.surfaces.cli.progress import ingest_progress

    ev = _evals()
    state = _state(ctx)
    with ingest_progress(err.console, quiet=quiet) as progress:
        run = ev.harness.open_run(corpus, home=home, config=state.config, ingest=not skip_ingest,
                                  progress=progress, roles=state.caller.roles)
    run.rerank = rerank
    return run


def _require(path: Path, what: str) -> Path:
    if not Path(path).is_file():
        raise InvalidInput(f"{what} not found: {path}")
    return Path(path)


def _questions(corpus: Path, questions: Optional[Path]) -> Path:
    if questions is not None:
        return _require(questions, "questions file")
    found = _evals().harness.find_question_file(corpus)
    if found is None:
        raise InvalidInput("no --questions given and no evals/questions/process_questions_*.jsonl matches this corpus")
    return found


def _emit(payload: dict, as_json: bool, save: Optional[Path]) -> None:
    text = json.dumps(payload, default=str)
    if save:
        Path(save).parent.mkdir(parents=True, exist_ok=True)
        Path(save).write_text(text + "\n", encoding="utf-8")
    if as_json:
        sys.stdout.write(text + "\n")


# -- printing ----------------------------------------------------------------------------------
def _f(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_meta(meta: dict) -> None:
    ingest = meta.get("ingest") or {}
    out.print(f"[bold]corpus[/bold] {meta['corpus']}  files={meta['files']} indexed={meta['documents_indexed']} "
              f"chunks={meta['chunks']}  failed={len(meta['files_failed'])}", highlight=False)
    out.print(f"[bold]model[/bold] {meta['model']}  [bold]chunking[/bold] {meta['chunking']} "
              f"v{meta['chunker_version']}", highlight=False)
    out.print(f"[bold]retrieval[/bold] {meta['retrieval']}  [bold]answering[/bold] {meta['answering']} "
              f"llm={meta['llm']}", highlight=False)
    if meta.get("judge") is not None:
        out.print(f"[bold]judge[/bold] {meta['judge']}  search reranked={meta.get('rerank', False)}", highlight=False)
    out.print(f"[bold]as[/bold] {','.join(meta['roles'])} (reads {', '.join(meta['collections'])})", highlight=False)
    out.print(f"[bold]git[/bold] {meta['git']}  [bold]home[/bold] {meta['home']}  ingest={ingest} "
              f"({meta['ingest_seconds']} s)  at {meta['at']}", highlight=False)
    for note in meta.get("notes", []):
        out.print(f"[yellow]note:[/yellow] {note}", markup=True, highlight=False)


def _targets_line(targets: list[dict]) -> None:
    for t in targets:
        mark = "[green]met[/green]" if t["met"] else "[red]not met[/red]"
        op = t.get("op", ">=")
        out.print(f"target {t['metric']} {op} {t['target']}: {_f(t['value'])} {mark}", highlight=False)


def print_legalbench(rep: dict) -> None:
    table = Table(title=f"LegalBench-RAG CUAD ({rep['queries']} queries, mode: {rep['mode']})")
    for col in ("k", "recall", "precision", "recall (union)", "precision (union)", "doc hit", "PDF-twin slots",
                "wrong-doc share"):
        table.add_column(col, justify="right")
    for k in rep["k_list"]:
        m = rep["metrics"][k]
        table.add_row(str(k), _f(m["recall"]), _f(m["precision"]), _f(m["recall_union"]), _f(m["precision_union"]),
                      _f(m["doc_hit"]), _f(m["twin_slots"], 2), _f(m["wrong_doc_share"]))
    out.print(table)
    b = rep["baseline"]
    out.print(f"baseline (LangChain quickstart, .txt only): recall@1 {b['recall@1']} @8 {b['recall@8']} "
              f"@32 {b['recall@32']}; precision@1 {b['precision@1']}", highlight=False)
    _targets_line(rep["targets"])
    c = rep["ceiling"]
    out.print(f"ceiling from the chunking: gold chars inside some chunk {_f(c['gold_chars_in_chunks'])}, "
              f"precision@1 with the best chunk first {_f(c['precision@1_best_chunk'])}", highlight=False)
    for note in rep["notes"]:
        out.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    mid = 8 if 8 in rep["k_list"] else rep["k_list"][len(rep["k_list"]) // 2]
    worst = sorted(rep["per_query"], key=lambda q: (q["k"][mid]["recall"], q["id"]))[:5]
    t2 = Table(title=f"Lowest recall@{mid}")
    for col in ("id", f"recall@{mid}", "first gold rank", "first doc rank", "top source", "query"):
        t2.add_column(col)
    for q in worst:
        t2.add_row(q["id"], _f(q["k"][mid]["recall"]), _f(q["first_gold_rank"]), _f(q["first_doc_rank"]),
                   (q["top_sources"] or ["-"])[0][-50:], q["query"][:90])
    out.print(t2)


def print_cuad(rep: dict) -> None:
    ks = rep["k_list"]
    table = Table(title=f"CUAD clause spans ({rep['contracts']} contracts, {rep['pairs']} contract×category pairs)")
    table.add_column("category")
    table.add_column("pairs", justify="right")
    for k in ks:
        table.add_column(f"recall@{k}", justify="right")
        table.add_column(f"hit@{k}", justify="right")
    for name, c in rep["per_category"].items():
        table.add_row(name, str(c["pairs"]), *[x for k in ks for x in (_f(c[k]["recall"]), _f(c[k]["hit"]))])
    o = rep["overall"]
    table.add_row("[bold]overall (pairs)[/bold]", str(rep["pairs"]),
                  *[x for k in ks for x in (_f(o[k]["recall"]), _f(o[k]["hit"]))])
    table.add_row("[bold]overall (categories)[/bold]", str(len(rep["per_category"])),
                  *[x for k in ks for x in (_f(o[k]["recall_macro"]), _f(o[k]["hit_macro"]))])
    out.print(table)
    out.print(f"gold chars inside some chunk (recall ceiling): {_f(rep['gold_chars_in_chunks'])}", highlight=False)
    for note in rep["notes"]:
        out.print(f"[yellow]note:[/yellow] {note}", highlight=False)


def print_process(rep: dict) -> None:
    table = Table(title=f"Process questions ({rep['questions']}, {Path(rep['questions_file']).name}, k={rep['k']})")
    for name in rep["metrics"]:
        table.add_column(name, justify="right")
    table.add_column("misses", justify="right")
    table.add_column("unreachable", justify="right")
    table.add_column("not readable by role", justify="right")
    table.add_row(*[_f(v) for v in rep["metrics"].values()], str(len(rep["misses"])), str(rep["unreachable"]),
                  str(rep["not_readable"]))
    out.print(table)
    _targets_line(rep["targets"])
    if rep["misses"]:
        t2 = Table(title="Misses (first 10)")
        for col in ("id", "rank", "source rank", "reachable", "top source", "question"):
            t2.add_column(col)
        for m in rep["misses"][:10]:
            t2.add_row(m["id"], _f(m["rank"]), _f(m["source_rank"]),
                       "not readable" if m.get("not_readable") else _f(m.get("reachable")),
                       (m["top_sources"] or ["-"])[0][-45:], m["question"][:70])
        out.print(t2)


def print_answers(rep: dict) -> None:
    m = rep["metrics"]
    hidden = f", {rep['not_readable']} of them not readable by the role" if rep.get("not_readable") else ""
    table = Table(title=f"Answers ({rep['answerable']} answerable, {rep['unanswerable']} out-of-corpus{hidden}; "
                        f"{rep['mode']}, min_dense_score={rep['threshold']})")
    for col in ("refusal acc.", "false refusals", "citation validity", "citations", "answers w/ problems",
                "phrase rate", "phrase (answered)", "right source cited"):
        table.add_column(col, justify="right")
    table.add_row(_f(m["refusal_accuracy"]), _f(m["false_refusal_rate"]), _f(m["citation_validity"]),
                  str(m["citations"]), str(m["answers_with_problems"]), _f(m["phrase_rate"]),
                  _f(m["phrase_rate_answered"]), _f(m["right_source_cited"]))
    out.print(table)
    out.print("refusal by kind: " + ", ".join(f"{k} {_f(v)}" for k, v in rep["refusal_by_kind"].items()),
              highlight=False)
    _targets_line(rep["targets"])
    for r in rep["citation_failures"][:5]:
        out.print(f"[red]citation[/red] {r['id']}: {'; '.join(r['problems'])[:200]}", highlight=False)
    if "calibration" in rep:
        print_calibration(rep["calibration"])


def print_calibration(cal: dict) -> None:
    dist = Table(title=f"Refusal signal: {cal['signal']}")
    for col in ("set", "n", "min", "p10", "p25", "p50", "p75", "p90", "max"):
        dist.add_column(col, justify="right")
    for name in ("answerable", "unanswerable"):
        d = cal[name]
        dist.add_row(name, str(d["n"]), *[_f(d[q]) for q in ("min", "p10", "p25", "p50", "p75", "p90", "max")])
    out.print(dist)
    table = Table(title="Threshold (refuse when signal < threshold)")
    for col in ("threshold", "correct refusals", "rate", "false refusals", "rate", ""):
        table.add_column(col, justify="right")
    rec, cur = cal["recommended"]["threshold"], cal["current"]["threshold"]
    for row in cal["table"]:
        tag = " ".join(x for x, on in (("recommended", row["threshold"] == rec), ("current", row["threshold"] == cur)) if on)
        table.add_row(_f(row["threshold"]), str(row["correct_refusals"]), _f(row["correct_refusal_rate"]),
                      str(row["false_refusals"]), _f(row["false_refusal_rate"]), tag)
    out.print(table)
    r = cal["recommended"]
    out.print(f"recommended answering.min_dense_score = {r['threshold']} (any value in {r['interval']} gives the same "
              f"outcome): refuses {r['correct_refusals']} unanswerable ({_f(r['correct_refusal_rate'])}), "
              f"{r['false_refusals']} answerable ({_f(r['false_refusal_rate'])}); cap {cal['max_false_refusal']}",
              highlight=False)


def _run_and_report(ctx: typer.Context, corpus: Path, home: Optional[Path], as_json: bool, skip_ingest: bool,
                    save: Optional[Path], evaluate, printer, rerank: bool = False) -> None:
    """Open the eval home for CORPUS, run `evaluate(run)`, then save and print its report with the run's metadata."""
    run = _open(ctx, corpus, home, as_json, skip_ingest, rerank)
    try:
        rep = evaluate(run)
        payload = {"meta": run.metadata(), **rep}
    finally:
        run.close()
    _emit(payload, as_json, save)
    if not as_json:
        print_meta(payload["meta"])
        printer(rep)


# -- commands ----------------------------------------------------------------------------------
@eval_app.command("legalbench")
def legalbench_cmd(ctx: typer.Context, corpus: Path = CorpusArg,
                   k_list: str = typer.Option("1,4,8,16,32,64", "--k-list", metavar="K,K,...", help=KListHelp),
                   limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N", help=LimitHelp.format("queries")),
                   only_txt: bool = typer.Option(False, "--only-txt", help="retrieve from .txt documents only"),
                   home: Optional[Path] = HomeOpt, as_json: bool = JsonOpt, skip_ingest: bool = SkipOpt,
                   save: Optional[Path] = SaveOpt, rerank: bool = RerankOpt):
    """LegalBench-RAG (CUAD subset): character precision/recall at k over the whole index."""
    ks = _parse_ks(k_list)
    ev = _evals()
    _require(corpus / ev.legalbench.QUERIES_FILE, "LegalBench-RAG queries")
    _run_and_report(ctx, corpus, home, as_json, skip_ingest, save,
                    lambda run: ev.legalbench.run_legalbench(run, ks, limit, only_txt), print_legalbench, rerank)


@eval_app.command("cuad")
def cuad_cmd(ctx: typer.Context, corpus: Path = CorpusArg, k_list: str = typer.Option("1,5,10", "--k-list", metavar="K,K,...", help=KListHelp),
             limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N", help=LimitHelp.format("contracts")),
             home: Optional[Path] = HomeOpt, as_json: bool = JsonOpt, skip_ingest: bool = SkipOpt,
             save: Optional[Path] = SaveOpt, rerank: bool = RerankOpt):
    """CUAD clause categories: recall/hit at k of gold spans, retrieval restricted to the contract."""
    ks = _parse_ks(k_list)
    ev = _evals()
    _require(corpus / ev.cuad.ANNOTATIONS_FILE, "CUAD annotations")
    _require(corpus / ev.cuad.DESCRIPTIONS_FILE, "CUAD category descriptions")
    _run_and_report(ctx, corpus, home, as_json, skip_ingest, save,
                    lambda run: ev.cuad.run_cuad(run, ks, limit), print_cuad, rerank)


@eval_app.command("process")
def process_cmd(ctx: typer.Context, corpus: Path = CorpusArg,
                questions: Optional[Path] = typer.Option(None, "--questions", metavar="FILE", help=QuestionsHelp),
                k: int = typer.Option(5, "--k", min=1, max=50, metavar="K", help="passages per question"),
                limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N", help=LimitHelp.format("questions")),
                home: Optional[Path] = HomeOpt, as_json: bool = JsonOpt, skip_ingest: bool = SkipOpt,
                save: Optional[Path] = SaveOpt, rerank: bool = RerankOpt):
    """Process questions: recall@1, recall@5 and MRR of a passage from the right file holding the answer."""
    ev = _evals()
    qfile = _questions(corpus, questions)
    _run_and_report(ctx, corpus, home, as_json, skip_ingest, save,
                    lambda run: ev.process.run_process(run, qfile, k, limit), print_process, rerank)


@eval_app.command("answers")
def answers_cmd(ctx: typer.Context, corpus: Path = CorpusArg,
                questions: Optional[Path] = typer.Option(None, "--questions", metavar="FILE", help=QuestionsHelp),
                out_of_corpus: Optional[Path] = typer.Option(None, "--out-of-corpus", metavar="FILE", help=OocHelp),
                calibrate: bool = typer.Option(False, "--calibrate", help="also print the refusal-threshold calibration"),
                limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N", help=LimitHelp.format("questions")),
                home: Optional[Path] = HomeOpt, as_json: bool = JsonOpt, skip_ingest: bool = SkipOpt,
                save: Optional[Path] = SaveOpt):
    """Answer checks through ask: refusals, false refusals, citation validity, expected phrase."""
    ev = _evals()
    qfile = _questions(corpus, questions)
    ooc = _require(out_of_corpus or ev.harness.QUESTIONS / "out_of_corpus.jsonl", "out-of-corpus questions")
    _run_and_report(ctx, corpus, home, as_json, skip_ingest, save,
                    lambda run: ev.answers.run_answers(run, qfile, ooc, calibrate, limit), print_answers)


@eval_app.command("all")
def all_cmd(ctx: typer.Context, corpus: Path = CorpusArg,
            questions: Optional[Path] = typer.Option(None, "--questions", metavar="FILE", help=QuestionsHelp),
            out_of_corpus: Optional[Path] = typer.Option(None, "--out-of-corpus", metavar="FILE", help=OocHelp),
            home: Optional[Path] = HomeOpt, as_json: bool = JsonOpt, skip_ingest: bool = SkipOpt,
            save: Optional[Path] = SaveOpt, rerank: bool = RerankOpt):
    """Every eval whose inputs exist for CORPUS (LegalBench both modes, CUAD, process, answers + calibration)."""
    ev = _evals()
    qfile = questions or ev.harness.find_question_file(corpus)
    ooc = out_of_corpus or ev.harness.QUESTIONS / "out_of_corpus.jsonl"
    run = _open(ctx, corpus, home, as_json, skip_ingest, rerank)
    results: dict[str, dict] = {}
    try:
        if (corpus / ev.legalbench.QUERIES_FILE).is_file():
            results["legalbench"] = ev.legalbench.run_legalbench(run)
            results["legalbench_only_txt"] = ev.legalbench.run_legalbench(run, only_txt=True)
        else:
            results["legalbench"] = {"skipped": f"no {ev.legalbench.QUERIES_FILE}"}
        if (corpus / ev.cuad.ANNOTATIONS_FILE).is_file() and (corpus / ev.cuad.DESCRIPTIONS_FILE).is_file():
            results["cuad"] = ev.cuad.run_cuad(run)
        else:
            results["cuad"] = {"skipped": f"no {ev.cuad.ANNOTATIONS_FILE}"}
        if qfile is not None and Path(qfile).is_file():
            results["process"] = ev.process.run_process(run, Path(qfile))
            if Path(ooc).is_file():
                results["answers"] = ev.answers.run_answers(run, Path(qfile), Path(ooc), calibrate=True)
            else:
                results["answers"] = {"skipped": f"no out-of-corpus file {ooc}"}
        else:
            results["process"] = results["answers"] = {"skipped": "no questions file for this corpus"}
        payload = {"meta": run.metadata(), "evals": results}
    finally:
        run.close()
    _emit(payload, as_json, save)
    if as_json:
        return
    print_meta(payload["meta"])
    printers = {"legalbench": print_legalbench, "legalbench_only_txt": print_legalbench, "cuad": print_cuad,
                "process": print_process, "answers": print_answers}
    for name, rep in results.items():
        if "skipped" in rep:
            out.print(f"[dim]{name}: skipped ({rep['skipped']})[/dim]")
        else:
            printers[name](rep)


# After the shared options above, which it uses: the key-terms eval's command (CUAD key terms).
from evals.cli_key_terms import key_terms_cmd  # noqa: E402

eval_app.command("key-terms")(key_terms_cmd)
