"""Corpus ingest for evals, cached per (corpus, chunking, model, pipeline) and the run metadata
every report carries so numbers stay comparable over time.

A home under evals/out/homes/<key> holds one corpus ingested with one pipeline. Ingest is
incremental, so re-running an eval on a cached home re-checks file hashes in seconds and only
embeds what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO / "config.yaml"
HOMES = REPO / "evals" / "out" / "homes"
QUESTIONS = REPO / "evals" / "questions"
HOME_INFO = "eval-home.json"  # what a cached home holds: corpus, model, chunking, pipeline bits
SERVICE_MAX_K = 50  # search refuses larger k (assistant.reading.MAX_K); evals above it call the retriever

for _var, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
                     ("ANONYMIZED_TELEMETRY", "False"), ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(_var, _value)


def eval_caller(roles: Iterable[str] | None = None):
    """Who the evals search as: admin (every collection) unless `roles` says otherwise."""
    from assistant.config import ADMIN_ROLE
    from assistant.models import Caller

    return Caller(id="eval", roles=frozenset(roles or {ADMIN_ROLE}), surface="eval")


# The shared eval corpus's licence texts, gold annotations and manifest are not documents to
# search; the product itself assumes nothing about a corpus's layout (its default excludes only
# hidden files), so the evals say it here.
EVAL_CORPUS_EXCLUDE = ["LICENSES/**", "annotations/**", "MANIFEST.tsv", "SOURCES.md"]


def load_eval_settings(config: Path | None = None, home: Path | None = None):
    from assistant.config import load_settings

    overrides = {"home": str(home)} if home is not None else {}
    settings = load_settings(config or DEFAULT_CONFIG, **overrides)
    settings.exclude = EVAL_CORPUS_EXCLUDE + [p for p in settings.exclude if p not in EVAL_CORPUS_EXCLUDE]
    return settings


def corpus_files(corpus: Path, settings) -> list[str]:
    """Paths (relative, POSIX) that an ingest of `corpus` considers, after the config's `exclude`."""
    from ingest.metadata import glob_match

    out = []
    for p in sorted(corpus.rglob("*")):
        if p.is_file():
            rel = p.relative_to(corpus).as_posix()
            if not any(glob_match(rel, pat) for pat in settings.exclude):
                out.append(rel)
    return out


def pipeline_bits(settings, fingerprint: str) -> dict:
    from ingest.pipeline import CHUNKER_VERSION

    return {
        "model": fingerprint,
        "chunker_version": CHUNKER_VERSION,
        "chunking": settings.chunking.model_dump(),
        "redaction": settings.redaction.model_dump(),
        "exclude": list(settings.exclude),
    }


def home_key(corpus: Path, settings, fingerprint: str) -> str:
    blob = json.dumps({"corpus": str(Path(corpus).resolve()), **pipeline_bits(settings, fingerprint)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _seed_home(home: Path, bits: dict) -> None:
    """Start a new home from the newest cached home of the same corpus and model.

    Chunk ids hash the chunk text, so after a chunking change the incremental ingest re-embeds
    only the chunks whose text changed instead of the whole corpus (minutes at ~30 chunks/s).
    """
    import shutil

    from filelock import FileLock

    candidates = []
    for info in HOMES.glob(f"*/{HOME_INFO}"):
        try:
            other = json.loads(info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if other.get("corpus") == bits["corpus"] and other.get("model") == bits["model"]:
            candidates.append((info.stat().st_mtime, info.parent))
    if not candidates:
        return
    source = max(candidates)[1]
    with FileLock(str(source / ".ingest.lock")):
        shutil.copytree(source, home, ignore=shutil.ignore_patterns(".ingest.lock", "audit.jsonl"))


def git_revision(repo: Path = REPO) -> str:
    """`git rev-parse --short HEAD` plus "+dirty" when tracked files changed; read-only (no index lock)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=20,
                              env=env, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    try:
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return commit + "+unknown"
    return commit + ("+dirty" if dirty else "")


@dataclass
class EvalRun:
    """One ingested corpus and the service over it, as the evals use it."""

    corpus: Path
    settings: object
    service: object
    caller: object
    files: list[str]
    ingest_summary: object | None = None
    ingest_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    rerank: bool = False  # search through the judge stage (ask always does)

    def search(self, query: str, k: int, filters=None, rerank: bool | None = None) -> list:
        """`rerank`: through the judge stage (None: the run's `rerank`, set by --rerank)."""
        rerank = self.rerank if rerank is None else rerank
        if k <= SERVICE_MAX_K:
            return self.service.search(query, self.caller, k=k, filters=filters, rerank=rerank).results
        # Deeper cut-offs (e.g. LegalBench @64) go to the same retriever the service uses.
        collections = self.service.access.readable(self.caller)
        self.service.lexical.ensure(collections)
        return self.service.retriever.search(query, collections, k, filters, rerank=rerank)

    def chunk_count(self) -> int:
        store = self.service.store
        return sum(store.count(c) for c in store.collection_names())

    def documents(self) -> list:
        """Catalog rows of this corpus (the home may have seen nothing else, but be exact)."""
        root = str(self.corpus.resolve())
        return [r for r in self.service.catalog.all() if r.root == root]

    def readable_sources(self) -> dict[str, bool]:
        """source -> whether the caller's roles may read it, for every document of this corpus.

        A question about a document the role may not read has, for that role, no answer: the
        evals count it as such rather than as a ranking or refusal fault."""
        readable = set(self.service.access.readable(self.caller))
        return {row.source: row.collection in readable for row in self.documents()}

    def chunk_spans(self) -> dict[str, list[tuple[int, int]]]:
        """source -> (char_start, char_end) of every stored chunk: what retrieval could ever return."""
        out: dict[str, list[tuple[int, int]]] = {}
        store = self.service.store
        for name in store.collection_names():
            for c in store.iter_all(name, include_text=False):
                out.setdefault(c.meta["source"], []).append((int(c.meta["char_start"]), int(c.meta["char_end"])))
        return out

    def metadata(self) -> dict:
        s = self.settings
        summary = self.ingest_summary
        failed = [f.source for f in summary.files if f.status == "failed"] if summary else []
        return {
            "corpus": str(self.corpus.resolve()),
            "files": len(self.files),
            "documents_indexed": len(self.documents()),
            "files_failed": failed,
            "chunks": self.chunk_count(),
            "model": self.service.embedder.fingerprint,
            "chunking": s.chunking.model_dump(),
            "chunker_version": pipeline_bits(s, self.service.embedder.fingerprint)["chunker_version"],
            "retrieval": s.retrieval.model_dump(),
            "answering": s.answering.model_dump(),
            "judge": s.judge.model_dump(),
            "rerank": self.rerank,
            "llm": s.llm.provider,
            "roles": sorted(self.caller.roles),
            "collections": self.service.access.readable(self.caller),
            "git": git_revision(),
            "home": str(s.home),
            "ingest_seconds": round(self.ingest_seconds, 1),
            "ingest": None if summary is None else {
                st: summary.count(st) for st in ("indexed", "unchanged", "removed", "failed")
            },
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_1m": round(os.getloadavg()[0], 2),  # latency numbers on a busy machine are not comparable
            "notes": list(self.notes),
        }

    def close(self) -> None:
        self.service.catalog.close()


def open_run(corpus: Path, *, home: Path | None = None, config: Path | None = None, embedder=None, judge=None,
             ingest: bool = True, progress: Callable[[str, int], None] | None = None,
             roles: Iterable[str] | None = None) -> EvalRun:
    """Build the service over a cached eval home for `corpus` and bring the index up to date.

    `roles`: search as a caller with these roles (default admin), to measure what that audience
    sees; the corpus is always ingested whole, so every role's run shares one home.
    """
    from filelock import FileLock

    from assistant.access.policy import AccessPolicy
    from assistant.config import ADMIN_ROLE
    from assistant.retrieval.embedding import Embedder
    from assistant.errors import InvalidInput
    from assistant import wiring

    corpus = Path(corpus).resolve()
    if not corpus.is_dir():
        raise InvalidInput(f"corpus folder not found: {corpus}")
    settings = load_eval_settings(config)
    # Before any home is seeded or store opened: a role that reads nothing costs nothing. Admin
    # reads every collection, including ones only the ingest will create.
    caller = eval_caller(roles)
    policy = AccessPolicy(settings)
    if ADMIN_ROLE not in caller.roles and not policy.readable(caller):
        raise InvalidInput(f"role {', '.join(sorted(caller.roles))} reads no collection under this config "
                           f"(roles: {', '.join(sorted(policy.known_roles()))})")
    if embedder is None:
        embedder = Embedder.from_settings(settings.embedding, cache_dir=HOMES.parent / "models")
    bits = {"corpus": str(corpus), **pipeline_bits(settings, embedder.fingerprint)}
    if home is None:
        home = HOMES / home_key(corpus, settings, embedder.fingerprint)
        if not home.exists():
            _seed_home(home, bits)
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    settings = load_eval_settings(config, home)
    settings.home = home  # BPO_ASSISTANT_HOME must not redirect an eval
    (home / HOME_INFO).write_text(json.dumps(bits, indent=1) + "\n", encoding="utf-8")
    service = wiring.build(settings, embedder=embedder, judge=judge)
    run = EvalRun(corpus=corpus, settings=settings, service=service, caller=caller,
                  files=corpus_files(corpus, settings))
    if ingest:
        started = time.perf_counter()
        with FileLock(str(home / ".ingest.lock")):
            run.ingest_summary = service.ingest(corpus, eval_caller(), progress=progress)
        run.ingest_seconds = time.perf_counter() - started
    return run


def retrieve_at_ks(run: EvalRun, queries: list[tuple[str, object]], k_list: list[int],
                   check: int = 3) -> list[dict[int, list]]:
    """Results at every k of `k_list` for each (query, filters).

    One search at max(k) per query, cut at each k, once the first `check` queries show that the
    top-k of a k-search equals the k-prefix of the deepest one (true for fused rank lists); if
    any differs, every k is searched on its own and a note says so.
    """
    ks = sorted(set(k_list))
    kmax = ks[-1]
    per_k = False
    deep: list[list] = []
    for i, (query, filters) in enumerate(queries):
        results = run.search(query, kmax, filters)
        deep.append(results)
        if i < check and not per_k:
            for k in ks[:-1]:
                if [r.chunk_id for r in run.search(query, k, filters)] != [r.chunk_id for r in results[:k]]:
                    per_k = True
                    run.notes.append(f"top-k is not a prefix of top-{kmax} (query {i}, k={k}): searched each k separately")
                    break
    if not per_k:
        return [{k: results[:k] for k in ks} for results in deep]
    return [{k: (deep[i] if k == kmax else run.search(q, k, f)) for k in ks} for i, (q, f) in enumerate(queries)]


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def find_question_file(corpus: Path) -> Path | None:
    """The evals/questions/process_questions_*.jsonl whose every `source` exists in `corpus`."""
    for path in sorted(QUESTIONS.glob("process_questions_*.jsonl")):
        try:
            rows = read_jsonl(path)
        except (OSError, ValueError):
            continue
        if rows and all((Path(corpus) / r.get("source", "")).is_file() for r in rows):
            return path
    return None


def norm_text(text: str) -> str:
    """Case-insensitive, whitespace-collapsed form used for phrase and quote checks."""
    return " ".join(text.lower().split())


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), the numpy default."""
    if not values:
        return float("nan")
    vals = sorted(values)
    pos = (len(vals) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)
