"""The architecture is checked, not only described: import-linter's contracts in pyproject.toml
(the local server imports nothing of the client, Textual stays in ui/, layers import downwards),
and the gateway's oss2-facing modules are imported by the gateway alone."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    done = subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


# The gateway's modules that hold or raise oss2's objects: only the gateway may import them.
# Everything else takes `BucketHandle`s from `OssClient.bucket` and catches `ossbrowse.errors`.
GATEWAY_INTERNALS = frozenset(
    f"ossbrowse.fs.gateway.{name}" for name in ("sdk", "failures", "auth", "http", "errors")
)


def _imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, `from x import y` as both
    `x` and `x.y` (y may be a submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_outside_the_gateway_reaches_its_oss2_internals() -> None:
    package = ROOT / "ossbrowse"
    gateway = package / "fs" / "gateway"
    reaching = sorted(
        f"{path.relative_to(ROOT)}: {', '.join(sorted(hits))}"
        for path in package.rglob("*.py")
        if gateway not in path.parents and (hits := _imported_modules(path) & GATEWAY_INTERNALS)
    )
    assert reaching == []


def test_no_module_outside_the_gateway_names_oss2_failures() -> None:
    # The helpers that classified oss2's exceptions, and the converter that turned them into
    # product errors, are gone: OSS's failures are product errors when they leave the gateway.
    words = ("from_oss2", "is_oss_error", "is_not_found(", "is_no_such_upload", "code_of(")
    package = ROOT / "ossbrowse"
    gateway = package / "fs" / "gateway"
    naming = sorted(
        f"{path.relative_to(ROOT)}: {word}"
        for path in package.rglob("*.py")
        if gateway not in path.parents
        for word in words
        if word in path.read_text(encoding="utf-8")
    )
    assert naming == []
