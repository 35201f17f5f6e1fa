"""Shared fixtures: a local OSS-compatible server on a free loopback port, and buckets on it.

Every test that needs OSS talks to it through the unmodified oss2 SDK over real HTTP.

Every test also gets a time limit (pytest-timeout), so a hang fails fast with the stacks of
all threads instead of eating CI's time: DEFAULT_TIMEOUT seconds, SLOW_TIMEOUT for tests
marked `slow`; a test's own `@pytest.mark.timeout(...)`, `--timeout`, the `timeout` ini setting
or PYTEST_TIMEOUT win over these. The limits are far above any test's normal run on a loaded
machine: they catch hangs, they do not measure speed.
"""

from __future__ import annotations

import itertools
import os

import pytest

from ossbrowse.emulator import EmulatorServer

_names = itertools.count(1)

DEFAULT_TIMEOUT = 120.0
SLOW_TIMEOUT = 300.0


def pytest_collection_modifyitems(config, items):
    explicit = (
        config.getoption("timeout", None) is not None
        or config.getini("timeout")
        or os.environ.get("PYTEST_TIMEOUT")
    )
    if explicit:
        return
    for item in items:
        if item.get_closest_marker("timeout") is None:
            limit = SLOW_TIMEOUT if item.get_closest_marker("slow") else DEFAULT_TIMEOUT
            # "thread": a hang anywhere (C code, a lock, another thread) still ends the run
            # with every thread's stack printed.
            item.add_marker(pytest.mark.timeout(limit, method="thread"))


@pytest.fixture(scope="session")
def oss_server():
    """One in-memory server for the whole session (restore delay 1 s, no faults)."""
    with EmulatorServer(restore_delay=1.0) as srv:
        yield srv


@pytest.fixture
def oss_auth(oss_server):
    import oss2

    return oss2.Auth(oss_server.access_key_id, oss_server.access_key_secret)


@pytest.fixture
def make_bucket(oss_server, oss_auth):
    """`make_bucket(name=None, **kw) -> oss2.Bucket`: a new bucket, removed after the test.

    `kw` goes to `oss2.Bucket` (e.g. `enable_crc=False`, `auth=...`, `region=...`); the
    bucket gets a unique name unless `name` is given.
    """
    import oss2

    made: list[str] = []

    def make(name: str | None = None, **kw) -> oss2.Bucket:
        name = name or f"test-{os.getpid()}-{next(_names)}"
        auth = kw.pop("auth", oss_auth)
        bucket = oss2.Bucket(auth, oss_server.endpoint, name, **kw)
        oss_server.create_bucket(name)
        made.append(name)
        return bucket

    yield make
    with oss_server.store.lock:
        for name in made:
            oss_server.store.buckets.pop(name, None)


@pytest.fixture
def oss_bucket(make_bucket):
    """A fresh, empty bucket for this test."""
    return make_bucket()


@pytest.fixture
def oss_faults(oss_server):
    """The shared server's live fault plan, emptied after the test."""
    oss_server.faults.clear()
    yield oss_server.faults
    oss_server.faults.clear()


@pytest.fixture
def long_restore(oss_server):
    """Restores stay ongoing until a test finishes them (`tests.restore_helpers.finish_restore`),
    however slow the machine: no test waits for a clock."""
    saved = oss_server.restore_delay
    oss_server.restore_delay = 3600.0
    yield
    oss_server.restore_delay = saved


@pytest.fixture(autouse=True, scope="session")
def _private_state_dir(tmp_path_factory):
    """Checkpoints, move and sync journals of the whole run go to a temporary folder, never to
    the user's state directory: a run must not leave files there, nor find a journal an earlier
    run (or a person) left and resume it. Tests that need their own folder still set
    OSSBROWSE_STATE_DIR or XDG_STATE_HOME themselves; child processes inherit these."""
    state = tmp_path_factory.mktemp("state")
    saved = {name: os.environ.get(name) for name in ("OSSBROWSE_STATE_DIR", "XDG_STATE_HOME")}
    os.environ["OSSBROWSE_STATE_DIR"] = str(state / "ossbrowse")
    os.environ["XDG_STATE_HOME"] = str(state / "xdg")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
