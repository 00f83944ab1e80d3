"""Shared pieces of the contract evals: the cached eval home, CUAD gold spans, table printing.

The 78 CUAD contract .txt files of the shared corpus are ingested once into a home under
evals/out/ (git-ignored). Re-runs re-check file hashes in seconds; a new classifier version only
rewrites chunk metadata (nothing is re-embedded).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_HOME = REPO / "evals" / "out" / "contracts-home"
RESULTS_MD = Path(__file__).with_name("RESULTS_contracts.md")

for _var, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
                     ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(_var, _value)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus", help="the shared corpus folder")
    p.add_argument("--home", type=Path, default=Path(os.environ.get("BPO_ASSISTANT_HOME") or DEFAULT_HOME),
                   help="eval data directory (cached between runs)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--limit", type=int, default=0, help="only the first N contracts (quick runs)")
    p.add_argument("--write-results", action="store_true", help="update the section in RESULTS_contracts.md")
    return p


def eval_caller():
    from assistant.models import Caller

    return Caller(id="eval", roles=frozenset({"admin"}), surface="eval")


def contract_files(corpus: Path, limit: int = 0) -> list[Path]:
    files = sorted((corpus / "contracts").glob("*.txt"))
    return files[:limit] if limit else files


def open_service(corpus: Path, home: Path, limit: int = 0, log=print):
    """The eval service over the CUAD contracts, with the clause classifier annotating at ingest."""
    from assistant.config import load_settings
    from assistant import wiring

    if not (corpus / "contracts").is_dir():
        sys.exit(f"corpus not found: {corpus} (pass --corpus ../shared/corpus)")
    settings = load_settings(REPO / "config.yaml", home=str(home.resolve()))
    service = wiring.build(settings)  # wires the ClauseClassifier annotator
    files = contract_files(corpus, limit)
    started = time.perf_counter()
    summary = service.ingestor.ingest_files(corpus, files)
    log(f"ingest: {summary.count('indexed')} indexed, {summary.count('unchanged')} unchanged, "
        f"{summary.count('failed')} failed, {summary.texts_embedded} embedded, {time.perf_counter() - started:.1f}s")
    return service


def load_gold(corpus: Path) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """source ('contracts/X.txt') -> CUAD category (as in the annotations) -> [(start, end)]."""
    data = json.loads((corpus / "annotations" / "cuad_selected.json").read_text(encoding="utf-8"))
    gold: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(dict)
    for contract in data["contracts"]:
        for ann in contract["annotations"]:
            spans = [(s["start"], s["end"]) for s in ann["spans"]]
            if spans:
                gold[contract["contract_file"]][ann["category"]] = spans
    return gold


def overlaps(a_start: int, a_end: int, span: tuple[int, int]) -> bool:
    """A chunk 'contains' a gold span when it holds at least half of it (or 100 characters of it)."""
    inter = min(a_end, span[1]) - max(a_start, span[0])
    length = max(1, span[1] - span[0])
    return inter > 0 and (inter >= 0.5 * length or inter >= 100)


def chunks_by_source(service, collection: str = "contracts") -> dict[str, list]:
    from assistant.contracts.document import StoredPiece

    out: dict[str, list] = defaultdict(list)
    for c in service.store.iter_all(collection):
        out[c.meta["source"]].append(StoredPiece(c.id, c.text, c.meta))
    for pieces in out.values():
        pieces.sort(key=lambda p: int(p.meta.get("ordinal", 0)))
    return out


def print_table(title: str, headers: list[str], rows: list[list], out=sys.stdout) -> None:
    widths = [max(len(str(h)), *(len(_fmt(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    out.write(f"\n{title}\n")
    out.write("  ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write("  ".join(_fmt(v).ljust(w) for v, w in zip(r, widths)) + "\n")


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_fmt(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def write_section(name: str, body: str) -> None:
    """Replace (or append) the `<!-- name -->` section of RESULTS_contracts.md."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else "# Contract intelligence: eval results\n"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS_MD.write_text(text, encoding="utf-8")
