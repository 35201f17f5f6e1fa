"""The engine does not know the UI: nothing outside ossbrowse/ui imports Textual."""

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ossbrowse"
HEADLESS = sorted(
    ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
    for p in PACKAGE.rglob("*.py")
    if "ui" not in p.relative_to(PACKAGE).parts[:1]
    and p.name != "__main__.py"
    and "commands" not in p.relative_to(PACKAGE).parts[:1]
)

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked outside ossbrowse.ui")
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
"""


def test_headless_modules_import_without_textual():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, *HEADLESS], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_neither_textual_nor_oss2(flag):
    code = (
        "import sys\n"
        "from ossbrowse.cli import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('textual', 'oss2') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
