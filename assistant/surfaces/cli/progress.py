"""The ingest's progress on stderr: in a terminal a bar with the step under way; otherwise (a log,
a pipe) one line per step, so a long step such as the first model export never looks like a hang."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# The pipeline's step events (ingest.pipeline.STEP_EVENTS) as a person reads them; {n} is the amount.
STEPS = {
    "parsing": "parsing files",
    "export": "exporting the embedding model to ONNX (first run only, about 30 s)",
    "loading": "loading the embedding model",
    "embedding": "embedding {n} chunks",
    "writing": "writing {n} chunks to the store",
    "keyword-index": "updating the keyword index of {n} collection(s)",
}

Progress = Callable[[str, int], None]


@contextmanager
def ingest_progress(console, quiet: bool = False) -> Iterator[Progress]:
    """A progress callback for Ingestor runs. `quiet` (--json) silences the line mode only: the
    terminal bar is transient and never mixes with stdout."""
    if console.is_terminal:
        with _bar(console) as progress:
            yield progress
    elif quiet:
        yield lambda event, n: None
    else:
        yield _lines()


@contextmanager
def _bar(console) -> Iterator[Progress]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[chunks]} chunks"),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("", total=None, chunks=0)

        def progress(event: str, n: int) -> None:
            if event == "total":
                bar.update(task, total=n)
            elif event == "file":
                bar.advance(task, n)
            elif event == "chunks":
                bar.update(task, chunks=bar.tasks[0].fields["chunks"] + n)
            elif event in STEPS:
                bar.update(task, description=STEPS[event].format(n=n))

        yield progress


def _lines() -> Progress:
    last = {"step": ""}

    def progress(event: str, n: int) -> None:
        if event not in STEPS:
            return
        line = STEPS[event].format(n=n)
        if line != last["step"]:
            last["step"] = line
            sys.stderr.write(f"ingest: {line}\n")
            sys.stderr.flush()

    return progress
