"""Shared fixtures: real Chroma in temp dirs, the real packaged model (loaded once per session)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "corpus"
SHARED = (REPO.parent / "shared" / "corpus").resolve()
SHARED_REASON = "../shared/corpus not present (it exists only in the team's workspace and CI)"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=SHARED_REASON)

# The ONNX export of the packaged model is made once per test session, not once per data
# directory: services the tests build without the `embedder` fixture (the CLI, subprocesses)
# find it here too. An explicit setting from the environment wins.
# The folder holds an ~90 MB export, so the session removes the one it made (never one given).
if "BPO_ASSISTANT_MODEL_CACHE" not in os.environ:
    os.environ["BPO_ASSISTANT_MODEL_CACHE"] = _MODEL_CACHE = tempfile.mkdtemp(prefix="bpo-test-models-")
    atexit.register(shutil.rmtree, _MODEL_CACHE, ignore_errors=True)


@contextmanager
def env_vars(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for a block (servers started inside read them), then restore them."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    for var in ("BPO_ASSISTANT_HOME", "BPO_ASSISTANT_CONFIG", "BPO_API_KEYS", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def embedder():
    """The model as config.yaml configures it (package and backend), loaded once."""
    from assistant.config import load_settings
    from assistant.retrieval.embedding import Embedder

    model = Embedder.from_settings(load_settings(REPO / "config.yaml", home=tempfile.gettempdir()).embedding)
    model.load()
    return model


@pytest.fixture(scope="session")
def judge():
    """The passage judge (cross-encoder), loaded once and shared by every service a test builds."""
    model = shared_judge()
    model.load()
    return model


def make_settings(home: Path, **overrides):
    from assistant.config import load_settings

    return load_settings(REPO / "config.yaml", home=str(home), **overrides)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under `root` (folders created); returns `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_SHARED_JUDGE: list = []


def shared_judge():
    """The session's judge for services built outside the `judge` fixture (it loads in ~1 s)."""
    if not _SHARED_JUDGE:
        from assistant.retrieval.judge import PassageJudge

        _SHARED_JUDGE.append(PassageJudge())
    return _SHARED_JUDGE[0]


def build_service(home: Path, embedder, **overrides):
    from assistant import wiring

    return wiring.build(make_settings(home, **overrides), embedder=embedder, judge=shared_judge())


@pytest.fixture
def service_factory(tmp_path, embedder):
    created = []

    def make(home: Path | None = None, **overrides):
        svc = build_service(home or tmp_path / f"home{len(created)}", embedder, **overrides)
        created.append(svc)
        return svc

    yield make
    for svc in created:
        svc.catalog.close()


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the bundled sample corpus that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.fixture(scope="session")
def sample_service(tmp_path_factory, embedder):
    """The bundled sample, ingested once for read-only tests."""
    from assistant.models import Caller

    svc = build_service(tmp_path_factory.mktemp("sample-home"), embedder)
    summary = svc.ingest(SAMPLE, Caller(id="test", roles=frozenset({"admin"})))
    assert not summary.partial, summary
    return svc


def admin():
    from assistant.models import Caller

    return Caller(id="test", roles=frozenset({"admin"}), surface="internal")


def as_role(*roles: str):
    from assistant.models import Caller

    return Caller(id="test", roles=frozenset(roles), surface="internal")
