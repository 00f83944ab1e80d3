"""Training pairs made from stored chunks: no questions, no labels.

Two kinds, both (query-like text, passage as the index embeds it):
- inverse cloze: one sentence of a chunk -> the chunk's header and the rest of its body. The
  sentence is left in one time in ten so the model still learns that exact overlap counts.
- heading -> body, only where the heading names one or two chunks of its document. A heading that
  covers a whole contract ("SERVICES AGREEMENT" over 60 chunks) would teach that the document's
  name matches every passage of it, which is the opposite of what adaptation is for.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.answering.extractive import split_sentences
from ingest.chunking import context_header

MIN_CHUNK_WORDS = 8  # shorter chunks (a heading, a signature line) have no sentence to pull out
MIN_QUERY_WORDS = 6  # a sentence this short is rarely what anyone would search for
KEEP_SENTENCE_RATE = 0.10
SPECIFIC_HEADING_MAX_CHUNKS = 2


@dataclass(frozen=True)
class TrainingPair:
    query: str
    passage: str
    doc_id: str  # batches group pairs of one document so its other passages are the negatives
    chunk_id: str  # two pairs of one chunk must not share a batch (each would be the other's false negative)
    kind: str  # "cloze" | "heading"


def training_pairs(chunks: Iterable, seed: int = 13) -> list[TrainingPair]:
    """Pairs from stored chunks (objects with .id, .text and .meta holding doc_id, title, section_path)."""
    rng = random.Random(seed)
    chunks = [c for c in chunks if len((c.text or "").split()) >= MIN_CHUNK_WORDS and c.meta.get("doc_id")]
    per_heading = Counter((c.meta["doc_id"], c.meta.get("section_path") or "") for c in chunks)
    pairs: list[TrainingPair] = []
    for c in chunks:
        text, meta = c.text.strip(), c.meta
        title, section = meta.get("title") or "", meta.get("section_path") or ""
        header = context_header(title, section.split(" > ") if section else []).strip()
        if section and section != title and per_heading[(meta["doc_id"], section)] <= SPECIFIC_HEADING_MAX_CHUNKS:
            pairs.append(TrainingPair(header, text, meta["doc_id"], c.id, "heading"))
        sentences = [text[s:e].strip() for s, e in split_sentences(text, line_breaks_end=True)]
        candidates = [i for i, s in enumerate(sentences) if len(s.split()) >= MIN_QUERY_WORDS]
        if len(sentences) < 2 or not candidates:
            continue
        pick = rng.choice(candidates)
        rest = sentences if rng.random() < KEEP_SENTENCE_RATE else sentences[:pick] + sentences[pick + 1 :]
        pairs.append(TrainingPair(sentences[pick], f"{header}\n{' '.join(rest)}", meta["doc_id"], c.id, "cloze"))
    return pairs
