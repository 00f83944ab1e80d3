"""Only what pyproject.toml cannot say: the top-level prompts/ folder ships inside the installed
`assistant` package (as assistant/prompt_files/), so a non-editable install finds the prompts too.

prompts/ stays at the top of the repository (the design card: templates are files beside the
code, not code); assistant/prompts.py reads the installed copy, else this folder.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROMPTS = Path(__file__).resolve().parent / "prompts"
INSTALLED_AS = ("assistant", "prompt_files")


class BuildWithPrompts(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib, *INSTALLED_AS)
        target.mkdir(parents=True, exist_ok=True)
        for template in sorted(PROMPTS.glob("*.md")):
            self.copy_file(str(template), str(target / template.name))


setup(cmdclass={"build_py": BuildWithPrompts})
