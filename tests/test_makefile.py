"""The Makefile checks the interpreter before it makes a venv: Python 3.11 exactly, with venv."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _script(path, body: str):
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return path


def _setup(tmp_path, python) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(REPO), "setup", f"VENV={tmp_path / 'venv'}", f"PYTHON={python}"],
                          capture_output=True, text=True, timeout=120)


def test_another_python_version_stops_setup_with_what_to_do(tmp_path):
    old = _script(tmp_path / "python3.10", 'if [ "$1" = "-V" ]; then echo "Python 3.10.12"; exit 0; fi\nexit 1\n')
    done = _setup(tmp_path, old)
    assert done.returncode != 0
    assert "error: Python 3.11 is needed" in done.stderr and "Python 3.10.12" in done.stderr
    assert "PYTHON=/path/to/python3.11" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_a_missing_interpreter_says_not_found(tmp_path):
    done = _setup(tmp_path, tmp_path / "no-such-python")
    assert done.returncode != 0 and "is not found" in done.stderr and not (tmp_path / "venv").exists()


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="needs a Python 3.11 to pass the check")
def test_python_3_11_passes_the_check_and_goes_on_to_make_the_venv(tmp_path):
    # A 3.11 stand-in that answers the checks and records the venv call instead of installing 1.9 GB.
    marker = tmp_path / "venv-called"
    wrapper = _script(tmp_path / "python", f'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then touch {marker}; exit 1; fi\n'
                                          f'exec {sys.executable} "$@"\n')
    done = _setup(tmp_path, wrapper)
    assert "Python 3.11 is needed" not in done.stderr and "no venv" not in done.stderr
    assert marker.exists()
