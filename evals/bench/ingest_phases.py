"""Where ingest time goes: each phase timed alone, one thread, no overlap between phases.

    python evals/bench/ingest_phases.py ../shared/corpus [--embed-sample 2000]

Phases: parsing (loaders), chunking (incl. token counting with the model's tokenizer), the clause
annotator's features on contract chunks, and embedding a sample of the chunk texts (scaled to all
chunks). What is left of an `ingest_bench.py` run is Chroma writes and the BM25 rebuild. Prints
the settings, the commit and a table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from evals.harness import git_revision  # noqa: E402


def main() -> int:
    from assistant.config import load_settings
    from assistant.contracts.classify import ClauseClassifier
    from assistant.models import CONTRACT_DOC_TYPES
    from assistant.retrieval.embedding import Embedder
    from ingest import metadata as meta
    from ingest.chunking import Chunker
    from ingest.document import LoaderError
    from ingest.loaders import load_document

    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--embed-sample", type=int, default=2000)
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="bpo-phases-", ignore_cleanup_errors=True)  # removed at exit
    settings = load_settings(REPO / "config.yaml", home=scratch.name)
    embedder = Embedder.from_settings(settings.embedding, cache_dir=REPO / "evals" / "out" / "models")
    embedder.load()
    chunker = Chunker(embedder.count_tokens, settings.chunking.target_tokens, settings.chunking.max_tokens)
    root = args.corpus.resolve()
    files = [p for p in sorted(root.rglob("*")) if p.is_file()
             and not any(meta.glob_match(p.relative_to(root).as_posix(), g) for g in settings.exclude)]

    seconds = {"parse": 0.0, "chunk": 0.0}
    docs = []
    for path in files:
        started = time.perf_counter()
        try:
            parsed = load_document(path)
        except LoaderError:
            continue
        parsed_at = time.perf_counter()
        drafts = chunker.chunk(parsed, parsed.title or path.name)
        seconds["parse"] += parsed_at - started
        seconds["chunk"] += time.perf_counter() - parsed_at
        source = path.relative_to(root).as_posix()
        doc_type = meta.detect_doc_type(settings, source, parsed.text, meta.source_rule(settings, source))
        docs.append((doc_type, drafts))

    classifier = ClauseClassifier(embedder=embedder)
    classifier.query_vectors()  # once per process, not per chunk
    started = time.perf_counter()
    annotated = 0
    for doc_type, drafts in docs:
        if doc_type in CONTRACT_DOC_TYPES:
            metas = [{"section_path": d.section_path, "ordinal": i, "char_start": d.char_start} for i, d in enumerate(drafts)]
            classifier.features([d.body for d in drafts], metas)
            annotated += len(drafts)
    seconds["annotate"] = time.perf_counter() - started

    texts = [d.embed_text for _, drafts in docs for d in drafts]
    sample = texts[: args.embed_sample]
    started = time.perf_counter()
    embedder.embed(sample)
    seconds["embed (scaled to all chunks)"] = (time.perf_counter() - started) * len(texts) / max(1, len(sample))

    print(f"corpus {root}  files {len(files)}  chunks {len(texts)}  contract chunks annotated {annotated}")
    print(f"model {embedder.fingerprint}  git {git_revision()}")
    print("| phase | seconds |\n|---|---:|")
    for name, value in seconds.items():
        print(f"| {name} | {value:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
