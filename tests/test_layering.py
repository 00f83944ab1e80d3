"""The import rules the layout promises (README, "What is in the box"), read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# What ingest may import from the assistant package: the config level. Everything else it needs
# (store, embedder, classifier, contract relations) is handed in by assistant/wiring.py.
INGEST_MAY_IMPORT = ("assistant.text", "assistant.models", "assistant.config", "assistant.connector_settings",
                     "assistant.logs", "assistant.errors")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names if node.module == "assistant"]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return names


def _allowed(module: str) -> bool:
    return any(module == a or module.startswith(a + ".") for a in INGEST_MAY_IMPORT)


def test_ingest_imports_only_the_config_level_of_the_assistant_package():
    files = sorted((REPO / "ingest").rglob("*.py"))
    assert files
    wrong = [(str(f.relative_to(REPO)), m) for f in files for m in _imports(f)
             if (m == "assistant" or m.startswith("assistant.")) and m != "assistant" and not _allowed(m)]
    assert wrong == []


def test_the_rule_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from assistant.contracts import relations\nfrom assistant.text.clauses import clause_marks\n"
                      "def f():\n    from assistant.retrieval.store import records_collection\n", encoding="utf-8")
    found = [m for m in _imports(sample) if not _allowed(m)]
    assert found == ["assistant.contracts", "assistant.retrieval.store"]
