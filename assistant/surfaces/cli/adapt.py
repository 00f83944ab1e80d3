"""`bpo-assistant adapt`: fine-tune the embedding model on the indexed corpus (assistant/adaptation)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.surfaces.cli.root import _print_json, _state, err, json_option, out


def register(app: typer.Typer) -> None:
    app.command()(adapt)


def adapt(ctx: typer.Context,
          out_dir: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="folder for the model (default: <home>/models/adapted-<UTC time>)"),
          epochs: int = typer.Option(1, "--epochs", min=1, max=10, metavar="N", help="passes over the training pairs"),
          per_document: int = typer.Option(8, "--per-document", min=0, metavar="N", help="pairs of one document per batch run (its other passages are the negatives); 0: none"),
          max_pairs: Optional[int] = typer.Option(None, "--max-pairs", min=8, metavar="N", help="train on a random sample of the pairs (a quick trial)"),
          max_steps: Optional[int] = typer.Option(None, "--max-steps", min=1, metavar="N", help="stop after N training steps"),
          threads: Optional[int] = typer.Option(None, "--threads", min=1, metavar="N", help="CPU threads for training (default: all)"),
          as_json: bool = json_option()):
    """Fine-tune the embedding model on what is indexed.

    No labels needed (about 13 minutes per 10,000 pairs on 2 CPU cores). Then set
    embedding.model_path and ingest again to re-embed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.adaptation import AdaptOptions

    state = _state(ctx)
    options = AdaptOptions(epochs=epochs, per_document=per_document, max_pairs=max_pairs, max_steps=max_steps, threads=threads)
    with Progress(TextColumn("[bold]adapt"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]:.3f}"),
                  TimeElapsedColumn(), console=err.console, disable=as_json or not err.is_terminal, transient=True) as bar:
        task = bar.add_task("steps", total=None, loss=0.0)

        def progress(step: int, total: int, loss: float) -> None:
            bar.update(task, completed=step, total=total, loss=loss)

        report = state.service.adapt_embedder(state.caller, options, out_dir=out_dir, progress=progress)
    if as_json:
        _print_json(report)
        return
    out.print(f"Adapted model written to {report.model_path}")
    out.print(f"  {report.pairs} pairs, {report.steps} steps, {report.seconds:.0f} s; loss {report.first_loss:.3f} -> {report.last_loss:.3f}")
    out.print("Next: set it in config.yaml and ingest again (every collection is re-embedded):")
    out.print(f"  embedding:\n    model_path: {report.model_path}", markup=False, highlight=False)
