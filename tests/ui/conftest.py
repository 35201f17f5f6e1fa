"""UI fixtures: the real app wired to the session's local OSS server, a temp local folder,
and helpers to wait for the app to reach a state (no fixed sleeps)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Callable

import pytest

from ossbrowse.config import ConnectionSettings

FIXED_MTIME = 1_700_000_000  # 2023-11-14 22:13:20 UTC: snapshots must not move with the clock


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path, monkeypatch):
    """Tests never read the developer's own config.toml (key remaps, profiles)."""
    monkeypatch.setenv("OSSBROWSE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def oss_settings(oss_server) -> ConnectionSettings:
    return ConnectionSettings(
        endpoint=oss_server.endpoint,
        access_key_id=oss_server.access_key_id,
        access_key_secret=oss_server.access_key_secret,
    )


@pytest.fixture
def local_dir(tmp_path):
    """A local folder: docs/ (with a.txt), hello.txt, data.bin, notes.md."""
    root = tmp_path / "local"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("inside docs\n")
    (root / "hello.txt").write_text("hello world\n")
    (root / "data.bin").write_bytes(bytes(range(256)) * 4)
    (root / "notes.md").write_text("# notes\n" + "line\n" * 50)
    for path in [*root.rglob("*"), root]:
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return root


@pytest.fixture
def make_app(oss_settings, tmp_path):
    """`make_app(left, right, **kw)`: the app as `ossbrowse` builds it, on the local server."""
    from ossbrowse.commands.ui import build_app

    made = []

    def make(left: str, right: str, **kw):
        kw.setdefault("state_dir", str(tmp_path / "state"))
        app = build_app(oss_settings, left, right, **kw)
        made.append(app)
        return app

    yield make
    for app in made:
        if app.engine is not None:
            app.engine.shutdown(wait=False)


async def wait_for(pilot, predicate: Callable[[], object], timeout: float = 30.0, what: str = ""):
    """Let the app run until `predicate()` is true; fail with `what` after `timeout` seconds
    (a hang guard: generous, since a loaded machine is slow, not wrong)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.02)


def loaded(pane) -> bool:
    return not pane.is_loading and pane.generation > 0


def names(pane) -> list[str]:
    return [e.name for e in pane.file_list.model.view]


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()
