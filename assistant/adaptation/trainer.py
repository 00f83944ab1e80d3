"""The fine-tuning loop: in-batch-negatives ranking loss (MultipleNegativesRankingLoss) in plain PyTorch.

sentence-transformers' own trainer needs `datasets` and `accelerate`, which would add several
hundred MB for about thirty lines of loop; the loss is the library's formula (cosine x 20, cross
entropy against the diagonal).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.adaptation.batches import document_batches
from assistant.config import keep_model_libraries_offline
from assistant.adaptation.pairs import TrainingPair

SCALE = 20.0  # MultipleNegativesRankingLoss's default: cosine similarities x 20 as logits
QUERY_TOKENS = 64
PASSAGE_TOKENS = 128  # the model was trained at 128; longer passages cost time and teach little more
INFO_FILE = "bpo_adaptation.json"


class AdaptOptions(BaseModel):
    epochs: int = Field(default=1, ge=1, le=10)
    batch_size: int = Field(default=32, ge=8, le=256)
    per_document: int = Field(default=8, ge=0, le=256)  # pairs of one document per run in a batch; 0 = no grouping
    learning_rate: float = Field(default=2e-5, gt=0, le=1e-3)
    max_pairs: int | None = Field(default=None, ge=8)  # a sample of the pairs, for a quick trial
    max_steps: int | None = Field(default=None, ge=1)
    seed: int = 13
    threads: int | None = Field(default=None, ge=1)


class AdaptReport(BaseModel):
    model_path: str
    base_model: str
    pairs: int
    steps: int
    seconds: float
    first_loss: float
    last_loss: float  # running mean over the last steps; lower than first_loss means it learned


def fine_tune(base_dir: Path, base_name: str, pairs: Sequence[TrainingPair], out_dir: Path, options: AdaptOptions,
              progress: Callable[[int, int, float], None] | None = None) -> AdaptReport:
    """Fine-tune the sentence-transformers model in `base_dir` on `pairs`; save it to `out_dir`."""
    keep_model_libraries_offline()  # before sentence-transformers is imported: never the hub
    import torch
    from sentence_transformers import SentenceTransformer

    rng = random.Random(options.seed)
    torch.manual_seed(options.seed)
    if options.threads:
        torch.set_num_threads(options.threads)
    pairs = list(pairs)
    if options.max_pairs and len(pairs) > options.max_pairs:
        pairs = rng.sample(pairs, options.max_pairs)
    plan = [b for _ in range(options.epochs) for b in document_batches(pairs, options.batch_size, options.per_document, rng)]
    plan = plan[: options.max_steps or None]
    if not plan:
        raise ValueError(f"{len(pairs)} training pairs make no batch; index more documents first")

    model = SentenceTransformer(str(base_dir), device="cpu", local_files_only=True)
    window = model.max_seq_length  # training shortens it (QUERY_TOKENS, PASSAGE_TOKENS); saved as it was
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=options.learning_rate)
    warmup = max(1, len(plan) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(  # linear warm-up, then linear decay to 0
        optimizer, lambda s: (s + 1) / warmup if s < warmup else max(0.0, (len(plan) - s) / max(1, len(plan) - warmup)))
    loss_fn = torch.nn.CrossEntropyLoss()

    def encode(texts: list[str], max_tokens: int):
        model.max_seq_length = max_tokens
        features = (getattr(model, "preprocess", None) or model.tokenize)(texts)  # preprocess: sentence-transformers >= 6
        return model(features)["sentence_embedding"]

    started, first, running = time.monotonic(), 0.0, 0.0
    for step, batch in enumerate(plan):
        queries = torch.nn.functional.normalize(encode([p.query for p in batch], QUERY_TOKENS), dim=-1)
        passages = torch.nn.functional.normalize(encode([p.passage for p in batch], PASSAGE_TOKENS), dim=-1)
        loss = loss_fn(queries @ passages.T * SCALE, torch.arange(len(batch)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        value = float(loss.item())
        first = value if step == 0 else first
        running = value if step == 0 else 0.95 * running + 0.05 * value
        if progress:
            progress(step + 1, len(plan), running)

    model.eval()
    model.max_seq_length = window
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    report = AdaptReport(model_path=str(out_dir), base_model=base_name, pairs=len(pairs), steps=len(plan),
                         seconds=round(time.monotonic() - started, 1), first_loss=round(first, 4), last_loss=round(running, 4))
    (out_dir / INFO_FILE).write_text(json.dumps({**report.model_dump(exclude={"model_path"}), "options": options.model_dump()}, indent=1))
    return report
