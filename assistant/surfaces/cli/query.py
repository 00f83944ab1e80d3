"""`bpo-assistant search | ask | chat`: passages, a cited answer, a conversation."""

from __future__ import annotations

from typing import Optional

import typer

from assistant.errors import AssistantError, clean_question
from assistant.surfaces.cli.root import _print_json, _state, as_of_option, err, json_option, out


def register(app: typer.Typer) -> None:
    app.command()(search)
    app.command()(ask)
    app.command()(chat)


def _filters(doc_type: list[str] | None, source: list[str] | None, collection: list[str] | None):
    if not (doc_type or source or collection):
        return None
    from assistant.models import SearchFilters

    return SearchFilters(doc_type=doc_type or None, source=source or None, collection=collection or None)


# The CLI's own copy of models.DocType (this module must not import pydantic models at start-up);
# tests/cli/test_startup.py checks the two agree.
DOC_TYPES = ("runbook", "sop", "msa", "sow", "dpa", "contract", "other")


def _doc_types(values: Optional[list[str]]) -> Optional[list[str]]:
    for value in values or ():
        if value not in DOC_TYPES:
            raise typer.BadParameter(f"{value!r} is not a document type (one of: {', '.join(DOC_TYPES)})")
    return values


def search(ctx: typer.Context, query: str = typer.Argument(..., metavar="QUERY", help="what to look for"),
           k: int = typer.Option(8, "--k", min=1, max=50, metavar="K", help="how many passages"),
           as_json: bool = json_option(),
           doc_type: Optional[list[str]] = typer.Option(None, "--doc-type", metavar="TYPE", callback=_doc_types,
                                                        help=f"only this document type ({'|'.join(DOC_TYPES)}); repeatable"),
           source: Optional[list[str]] = typer.Option(None, "--source", metavar="PATH",
                                                      help="only this document (its path as indexed); repeatable"),
           collection: Optional[list[str]] = typer.Option(None, "--collection", metavar="NAME",
                                                          help="only this collection; repeatable"),
           rerank: Optional[bool] = typer.Option(None, "--rerank/--no-rerank",
                                                 help="re-score the best passages with the passage judge (slower, better "
                                                      "order; default: judge.rerank_search)"),
           as_of: Optional[str] = as_of_option()):
    """Hybrid search: the best passages with section and page."""
    from rich.markup import escape
    from rich.text import Text

    query = clean_question(query, "query")
    state = _state(ctx)
    response = state.service.search(query, state.caller, k=k, filters=_filters(doc_type, source, collection), rerank=rerank,
                                     as_of=as_of)
    if as_json:
        _print_json(response)
        return
    if not response.results:
        out.print("No matching passages.")
    for i, r in enumerate(response.results, 1):
        where = " > ".join(p for p in (r.section_path,) if p)
        page = f" p.{r.page_start}" if r.page_start else ""
        out.print(f"[bold]{i}. {escape(r.title)}[/bold] [dim]{escape(r.source)}{page}[/dim]\n   {escape(where)}")
        out.print("   " + " ".join(r.text.split())[:300], markup=False)
        if r.superseded_by or r.in_force_from:  # never shown as if current
            label = f"superseded: {r.superseded_by}" if r.superseded_by else f"not in force until {r.in_force_from}"
            out.print(Text("   " + label, style="yellow"), highlight=False)


def _print_answer(answer) -> None:
    from rich.text import Text

    from assistant.answering.citations import clause_label

    out.print(answer.answer, markup=False)
    if not answer.grounded:
        out.print("[yellow](not grounded in the documents)[/yellow]")
    for c in answer.citations:
        clause = clause_label(c.clause_no, c.section_path, c.doc_type)
        where = ", ".join(p for p in (c.section_path, clause, f"p.{c.page_start}" if c.page_start else "") if p)
        # Document text is not Rich markup: a heading such as "[/b] Annex" must print as it is.
        line = f"[{c.n}] {c.title or c.source}" + (f" — {where}" if where else "") + f" ({c.url or c.source})"
        out.print(Text(line, style="dim"), highlight=False)


def ask(ctx: typer.Context, question: str = typer.Argument(..., metavar="QUESTION", help="the question, in your words"),
        as_json: bool = json_option(), as_of: Optional[str] = as_of_option()):
    """A cited answer, or "the documents don't cover this"."""
    question = clean_question(question)  # an empty question fails before any model loads
    state = _state(ctx)
    answer = state.service.ask(question, state.caller, as_of=as_of)
    if as_json:
        _print_json(answer)
    else:
        _print_answer(answer)


def chat(ctx: typer.Context):
    """Ask interactively, with follow-ups (Ctrl-D to leave).

    The history is kept for this session."""
    from assistant.models import Turn

    state = _state(ctx)
    service = state.service
    history: list[Turn] = []
    while True:
        try:
            question = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if not question:
            continue
        try:
            answer = service.ask(question, state.caller, history=history)
        except AssistantError as exc:
            err.print(f"error: {exc.message}", markup=False, highlight=False)
            continue
        _print_answer(answer)
        history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]
