"""Adapting the embedding model to the indexed corpus, without labels (`bpo-assistant adapt`).

all-MiniLM-L6-v2 usually finds the right runbook or contract but then picks a neighbouring passage
of it. Fine-tuning on pairs made from the corpus's own chunks (a sentence -> the rest of its chunk;
a specific section heading -> its body), with the other passages *of the same document* as the
in-batch negatives, teaches it to tell sibling passages apart. No questions and no labels are
used, so nothing is tuned to an eval set (evals/RESULTS.md, run 10, has the measurements).

The result is a sentence-transformers model folder; `embedding.model_path` points the embedder
at it, and its weights' hash is part of the embedder fingerprint, so the next ingest re-embeds.
"""

from assistant.adaptation.pairs import TrainingPair, training_pairs
from assistant.adaptation.trainer import AdaptOptions, AdaptReport, fine_tune

__all__ = ["AdaptOptions", "AdaptReport", "TrainingPair", "fine_tune", "training_pairs"]
