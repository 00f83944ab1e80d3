"""Near-duplicate documents: the same contract as .txt and as .pdf, a re-uploaded copy.

Each document gets a bottom-k sketch of its word 5-shingles (the 128 smallest 64-bit hashes): two
sketches estimate the Jaccard similarity of the documents' shingle sets. Measured on the shared
corpus, a CUAD contract's PDF and text copies score 0.97-1.0 and unrelated contracts at most 0.02,
so NEAR_DUPLICATE sits far from both. Words only (lower case, letters and digits): page furniture
blanked in a PDF, line wrapping and punctuation don't change a shingle.

Each group of near-duplicates has one preferred copy (the one results cite); the others point at
it in the catalog (`duplicate_of`) and retrieval leaves them out for a caller who can read it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import PurePosixPath

SKETCH_SIZE = 128
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8
# Formats whose text comes out with its structure (headings, numbering, tables) and exact offsets
# are preferred to a PDF's page text: better section paths and quotes for the same content.
_FORMAT_RANK = {".md": 0, ".markdown": 0, ".docx": 0, ".html": 1, ".htm": 1, ".txt": 1, ".pdf": 2}
_WORD = re.compile(r"[^\W_]+")


def sketch(text: str) -> str:
    """The document's sketch, as the catalog stores it (hex hashes, space-separated, ascending)."""
    words = _WORD.findall(text.casefold())
    span = max(1, len(words) - SHINGLE_WORDS + 1)
    hashes = {int.from_bytes(hashlib.blake2b(" ".join(words[i : i + SHINGLE_WORDS]).encode(), digest_size=8).digest(), "big")
              for i in range(span)} if words else set()
    return " ".join(f"{h:016x}" for h in sorted(hashes)[:SKETCH_SIZE])


def similarity(a: str | set[str], b: str | set[str]) -> float:
    """Estimated Jaccard similarity of two documents from their sketches."""
    a = set(a.split()) if isinstance(a, str) else a
    b = set(b.split()) if isinstance(b, str) else b
    union = sorted(a | b)[:SKETCH_SIZE]
    if not union:
        return 0.0
    return sum(1 for h in union if h in a and h in b) / len(union)


def preference(source: str, ingested_at: str) -> tuple:
    """Sort key: the first of a group is the copy results cite."""
    return (_FORMAT_RANK.get(PurePosixPath(source).suffix.lower(), 1), ingested_at, source)


def groups(sketches: dict[str, str]) -> list[list[str]]:
    """Groups (of 2 or more keys) whose sketches are near-duplicates, transitively. Candidate
    pairs come from an inverted index of hashes, so unrelated documents are never compared."""
    by_hash: dict[str, list[str]] = defaultdict(list)
    sets = {key: set(s.split()) for key, s in sketches.items() if s}
    for key, hashes in sets.items():
        for h in hashes:
            by_hash[h].append(key)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for keys in by_hash.values():
        if len(keys) > 50:  # a shingle in very many documents (boilerplate) says nothing
            continue
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                shared[(a, b) if a < b else (b, a)] += 1
    parent = {key: key for key in sets}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    minimum = NEAR_DUPLICATE * SKETCH_SIZE / 2  # fewer shared hashes can't reach the threshold
    for (a, b), n in shared.items():
        if n >= min(minimum, NEAR_DUPLICATE * min(len(sets[a]), len(sets[b]))) and similarity(sets[a], sets[b]) >= NEAR_DUPLICATE:
            parent[root(a)] = root(b)
    out: dict[str, list[str]] = defaultdict(list)
    for key in sets:
        out[root(key)].append(key)
    return [sorted(g) for g in out.values() if len(g) > 1]
