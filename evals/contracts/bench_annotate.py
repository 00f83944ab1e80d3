"""Cost of clause annotation at ingest, against the cost of embedding the same chunks.

    python -m evals.contracts.bench_annotate --corpus ../shared/corpus [--json] [--write-results]

Times the ClauseClassifier annotator over every stored contract chunk of the eval home (the work
ingest adds per contract) and the embedding model over a sample of the same chunks' texts, in the
same process, so both numbers see the same machine load. Also times the after-embedding variant
(`annotate_embedded`, given the vectors).
"""

from __future__ import annotations

import json
import time

import numpy as np

from evals.contracts.common import chunks_by_source, markdown_table, open_service, parser, print_table, write_section

EMBED_SAMPLE = 256


def main() -> None:
    from assistant.contracts.classify import ClauseClassifier

    args = parser(__doc__.splitlines()[0]).parse_args()
    service = open_service(args.corpus, args.home, args.limit)
    chunks = chunks_by_source(service)
    classifier = ClauseClassifier(embedder=service.embedder)
    classifier.query_vectors()  # embedded once per process; not part of the per-chunk cost
    n = sum(len(v) for v in chunks.values())
    started = time.perf_counter()
    for pieces in chunks.values():
        classifier(pieces[0].meta.get("doc_type", "contract"), [p.text for p in pieces], [p.meta for p in pieces])
    annotate = time.perf_counter() - started
    sample = [p for pieces in chunks.values() for p in pieces][:EMBED_SAMPLE]
    texts = [p.text for p in sample]
    started = time.perf_counter()
    vectors = service.embedder.embed(texts)
    embed = time.perf_counter() - started
    started = time.perf_counter()
    classifier.annotate_embedded("contract", texts, [p.meta for p in sample], np.asarray(vectors))
    annotate_vec = time.perf_counter() - started
    result = {
        "chunks": n, "annotate_ms_per_chunk": round(1000 * annotate / n, 2),
        "annotate_embedded_ms_per_chunk": round(1000 * annotate_vec / len(sample), 2),
        "embed_ms_per_chunk": round(1000 * embed / len(sample), 2),
        "annotation_overhead_vs_embedding": round(annotate / n / (embed / len(sample)), 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print_table("Clause annotation cost at ingest", ["metric", "value"], [[k, v] for k, v in result.items()])
    if args.write_results:
        write_section("bench", "## Annotation cost at ingest\n\n`python -m evals.contracts.bench_annotate --corpus "
                      "../shared/corpus` — same process, same load for both timings (this machine: 2 cores, shared "
                      "with other jobs while measured).\n\n" + markdown_table(["metric", "value"], [[k, v] for k, v in result.items()]))


if __name__ == "__main__":
    main()
