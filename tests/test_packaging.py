"""A non-editable install carries the prompt templates the code reads at run time (top-level
prompts/, shipped as assistant/prompt_files/ by setup.py).

The build runs on a copy of the source tree (setuptools writes build metadata beside the code), with
the installed setuptools and no network."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import REPO

_IGNORED = shutil.ignore_patterns("out", "__pycache__", "*.egg-info", "build")


def _build(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, src / name)
    for folder in ("assistant", "ingest", "evals", "prompts"):
        shutil.copytree(REPO / folder, src / folder, ignore=_IGNORED)
    lib = tmp_path / "lib"
    done = subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(lib)], cwd=src,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return lib


def test_an_installed_package_finds_every_prompt_without_the_source_tree(tmp_path):
    lib = _build(tmp_path)
    templates = sorted(p.name for p in (REPO / "prompts").glob("*.md"))
    assert templates and sorted(p.name for p in (lib / "assistant" / "prompt_files").iterdir()) == templates
    # From the built package alone (another folder, PYTHONPATH first): every template loads.
    code = ("import sys; from assistant.prompts import PROMPTS_DIR, load_prompt; "
            "print(PROMPTS_DIR); [load_prompt(n) for n in sys.argv[1:]]")
    done = subprocess.run([sys.executable, "-c", code, *(t.removesuffix(".md") for t in templates)],
                          cwd=tmp_path, env={"PYTHONPATH": str(lib), "PATH": ""}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(lib / "assistant" / "prompt_files")


def test_the_source_tree_reads_the_top_level_prompts_folder():
    from assistant.prompts import PROMPTS_DIR

    assert PROMPTS_DIR == REPO / "prompts"
