"""Loader tests: repo root on sys.path, and the real-corpus fixture (skips when absent)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

CORPUS = REPO_ROOT / ".." / "shared" / "corpus"
CORPUS_SKIP_REASON = "../shared/corpus not present (only in the team's workspace)"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_SKIP_REASON)
    return CORPUS.resolve()
