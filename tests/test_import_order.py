"""Every module of the product imports on its own, whichever is imported first.

A cycle between packages can pass the suite (some other test imports the right module first) and
still break a user's `import assistant.surfaces.web.markdown`. Each module is imported in a clean
state of the project's own modules (third-party libraries stay loaded, which keeps this fast), in
a child interpreter so the test's own imports are untouched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = r"""
import importlib, json, pkgutil, sys, traceback
own = ("assistant", "ingest")
names = []
for top in own:
    package = importlib.import_module(top)
    names += [top] + [m.name for m in pkgutil.walk_packages(package.__path__, top + ".")
                      if not m.name.endswith(".__main__")]  # runs the CLI when imported
failures = {}
for name in names:
    for loaded in [m for m in sys.modules if m.split(".")[0] in own]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failures[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"checked": len(names), "failures": failures}))
"""


def test_each_module_imports_first_without_a_cycle():
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["checked"] > 100  # the walk found the packages
    assert report["failures"] == {}
