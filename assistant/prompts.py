"""Prompt templates as files in prompts/: a `version:` line, then ---system--- and ---user--- parts.

The templates live in the repository's top-level prompts/ folder; an install (`pip install .`)
ships them inside this package as assistant/prompt_files/ (setup.py), an editable install reads
the folder itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_INSTALLED = Path(__file__).resolve().parent / "prompt_files"
PROMPTS_DIR = _INSTALLED if _INSTALLED.is_dir() else Path(__file__).resolve().parent.parent / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        return self.system.format(**values), self.user.format(**values)


def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> Prompt:
    raw = (folder / f"{name}.md").read_text(encoding="utf-8")
    head, _, rest = raw.partition("\n")
    if not head.startswith("version:"):
        raise ValueError(f"prompt {name} has no version line")
    system = rest.split("---system---", 1)[1].split("---user---", 1)[0].strip()
    user = rest.split("---user---", 1)[1].strip()
    return Prompt(name, head.split(":", 1)[1].strip(), system, user)
