"""Campaign fixtures: engines on the shared emulator, `ossbrowse` verbs run as child processes
with a private HOME and state folder, and a helper to look for files outside a folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from stress import scenarios
from tests.transfer.conftest import bucket_for, engine, make_engine  # noqa: F401  (fixtures)
from tests.ui.conftest import make_app, oss_settings  # noqa: F401  (fixtures)


def verb_env(oss_server, tmp_path, endpoint: str | None = None) -> dict[str, str]:
    """The environment for `python -m ossbrowse ...` against `oss_server` (or `endpoint`)."""
    return scenarios.verb_env(oss_server, tmp_path, endpoint)


def run_verb(env, *args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """`ossbrowse ARGS...` in a child process; stdout and stderr as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "ossbrowse", *args],
        env=env,
        capture_output=True,
        timeout=timeout,
        **kw,
    )


def all_files(root) -> set[str]:
    """Every path under `root`, relative, files and folders (symlinks not followed)."""
    found = set()
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


@pytest.fixture
def verb_env_for(oss_server, tmp_path):
    return lambda endpoint=None: verb_env(oss_server, tmp_path, endpoint)
