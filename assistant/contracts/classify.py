"""Clause classification: which taxonomy categories each contract chunk contains.

Evidence per (chunk, category): weighted cue phrases in the text, cue words in the clause heading
(section path or an inline "12.2 Termination for Convenience." heading), position (parties and
dates live in the preamble, mostly the first chunk) and, when the chunk's vector is at hand, its
cosine similarity to the embedded category query. A small logistic model per category
(calibration.yaml, fitted on CUAD by evals/contracts/calibrate.py; categories without gold labels
share one model) turns the evidence into a score in [0, 1].

Two ways in:
- `annotate_embedded(doc_type, texts, metas, vectors)`: the ingest ChunkAnnotator hook, run after
  embedding with the chunk vectors the run has just computed (no extra embedding: the category
  queries are embedded once per process). What ingest stores.
- `__call__(doc_type, texts, metas)`: lexical evidence only, for callers without vectors.
Clause lookup re-scores its candidates with the dense evidence too, because retrieval returns each
candidate's similarity to the category query.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.contracts.taxonomy import Calibration, Category, Taxonomy
from assistant.text.clauses import clause_marks, normalize
from assistant.models import CONTRACT_DOC_TYPES
MAX_STORED_TYPES = 6
PREAMBLE_CHARS = 2500


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


class ClauseClassifier:
    """A ChunkAnnotator: `(doc_type, texts, metas) -> [{"clause_types": "A|B", "clause_scores": "0.82|0.61"}]`."""

    doc_types = CONTRACT_DOC_TYPES  # the ingest pipeline runs it on these documents only

    def __init__(self, taxonomy: Taxonomy | None = None, embedder=None, calibration: Calibration | None = None):
        self.taxonomy = taxonomy or Taxonomy.load()
        self.calibration = calibration or Calibration.load()
        self.embedder = embedder  # only needed to embed the category queries (annotate_embedded)
        self.version = f"clauses-{self.taxonomy.version}-{self.calibration.version}"
        self._query_vectors: np.ndarray | None = None
        cats = self.taxonomy.categories
        self._lex = np.asarray([self.calibration.params(c.name).lexical for c in cats], dtype=np.float64)
        self._vec = np.asarray([self.calibration.params(c.name).vectors for c in cats], dtype=np.float64)
        self._preamble_cols = [j for j, c in enumerate(cats) if c.position == "preamble"]
        # Each cue with the literal text every match must contain: `in` on a string is far cheaper
        # than a regex search, and most cues are absent from most chunks (ingest time, not scores).
        self._cues = [[(pat, w, required_literal(pat)) for pat, w in c.cue_patterns] for c in cats]

    # -- the annotator hooks ------------------------------------------------------------------
    def __call__(self, doc_type: str, texts: list[str], metas: list[dict]) -> list[dict]:
        if doc_type not in CONTRACT_DOC_TYPES or not texts:
            return [{} for _ in texts]
        return [self.encode(row) for row in self.score_matrix(texts, metas)]

    def annotate_embedded(self, doc_type: str, texts: list[str], metas: list[dict], vectors) -> list[dict]:
        if doc_type not in CONTRACT_DOC_TYPES or not texts:
            return [{} for _ in texts]
        dense = np.asarray(vectors, dtype=np.float32) @ self.query_vectors().T
        return [self.encode(row) for row in self.score_matrix(texts, metas, dense)]

    def encode(self, row: np.ndarray) -> dict:
        threshold = self.calibration.store_threshold
        order = [i for i in np.argsort(-row, kind="stable") if row[i] >= threshold][:MAX_STORED_TYPES]
        return {
            "clause_types": "|".join(self.taxonomy.categories[i].name for i in order),
            "clause_scores": "|".join(f"{row[i]:.2f}" for i in order),
        }

    # -- scoring ------------------------------------------------------------------------------
    def score_matrix(self, texts: list[str], metas: list[dict], dense: np.ndarray | None = None) -> np.ndarray:
        """Scores in [0, 1], shape (len(texts), len(categories)). `dense`: chunk x category cosine
        similarities to the category queries, or None for lexical evidence only."""
        feats = self.features(texts, metas)  # (n, c, 4)
        if dense is None:
            params = self._lex
        else:
            feats = np.concatenate([feats, (np.asarray(dense)[..., None] - self.calibration.dense_center)], axis=-1)
            params = self._vec
        logit = params[None, :, 0] + np.einsum("ncf,cf->nc", feats, params[:, 1:])
        return _sigmoid(logit)

    def score_one(self, category: Category, text: str, meta: dict, dense: float | None = None) -> float:
        j = self.taxonomy.categories.index(category)
        feats = self.features([text], [meta], only=[j])[0, j]
        params = self._lex[j] if dense is None else self._vec[j]
        if dense is not None:
            feats = np.append(feats, dense - self.calibration.dense_center)
        return float(_sigmoid(params[0] + feats @ params[1:]))

    def features(self, texts: list[str], metas: list[dict], only: list[int] | None = None) -> np.ndarray:
        """(n, categories, 4): log1p(cue weight sum), heading weight, preamble flag, first-chunk flag."""
        cats = self.taxonomy.categories
        cols = range(len(cats)) if only is None else only
        out = np.zeros((len(texts), len(cats), 4), dtype=np.float64)
        for i, (text, meta) in enumerate(zip(texts, metas)):
            norm = normalize(text)
            head = self.heading_text(text, meta)
            for j in cols:
                cat = cats[j]
                out[i, j, 0] = np.log1p(sum(w for p, w, lit in self._cues[j] if (lit is None or lit in norm) and p.search(norm)))
                if head:
                    out[i, j, 1] = max((w for p, w in cat.heading_patterns if p.search(head)), default=0.0)
            early, first = _position(meta)
            out[i, self._preamble_cols, 2] = early
            out[i, self._preamble_cols, 3] = first
        return out

    @staticmethod
    def heading_text(text: str, meta: dict) -> str:
        """The headings a chunk sits under or opens: last two section-path parts + inline clause headings."""
        parts = [p for p in (meta.get("section_path") or "").split(" > ") if p][-2:]
        parts += [m.heading for m in clause_marks(text) if m.heading]
        first_line = text.strip().split("\n", 1)[0].strip()
        if 2 < len(first_line) <= 60 and first_line.upper() == first_line and any(ch.isalpha() for ch in first_line):
            parts.append(first_line)  # an all-caps heading line: "TERMINATION"
        return normalize(" | ".join(parts))

    # -- category query vectors ---------------------------------------------------------------
    def query_vectors(self) -> np.ndarray:
        if self._query_vectors is None:
            if self.embedder is None:
                raise RuntimeError("annotate_embedded needs the embedder to embed the category queries")
            texts = [c.search_query for c in self.taxonomy.categories]
            self._query_vectors = np.asarray(self.embedder.embed(texts), dtype=np.float32)
        return self._query_vectors


def required_literal(pattern: re.Pattern) -> str | None:
    """The longest run of plain characters at the top level of `pattern`: every match contains it.

    Only the top-level sequence counts (text inside groups, alternations or repeats may be skipped),
    and case-insensitive patterns get None, so `literal in text` is a necessary condition for a match.
    """
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unparseable pattern just gets no prefilter
        return None
    best, run = "", []
    for op, arg in list(parsed) + [(None, None)]:
        if op is sre_parse.LITERAL:
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best if len(best) >= 3 else None


def _position(meta: dict) -> tuple[float, float]:
    ordinal = meta.get("ordinal")
    start = meta.get("char_start")
    first = isinstance(ordinal, int) and ordinal == 0
    early = first or (isinstance(ordinal, int) and ordinal <= 1) or (isinstance(start, int) and start < PREAMBLE_CHARS)
    return float(early), float(first)


def parse_stored(meta: dict) -> dict[str, float]:
    """The clause types stored on a chunk's metadata, as {name: score}."""
    names = [n for n in (meta.get("clause_types") or "").split("|") if n]
    scores = [s for s in (meta.get("clause_scores") or "").split("|") if s]
    out = {}
    for name, score in zip(names, scores):
        try:
            out[name] = float(score)
        except ValueError:
            continue
    return out
