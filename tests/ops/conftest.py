"""Fixtures for the ops tests: a local OSS server with a short restore delay, and buckets on it.

The shared `oss_server` restores in seconds; restore life cycles here need a fraction of one,
so this directory runs its own in-memory server (one per test session of this directory).
"""

from __future__ import annotations

import itertools
import os

import oss2
import pytest

# Long enough that a second request lands while the first is still "restoring" on a loaded
# machine (0.4 s was not), short enough to watch restores complete in a test.
RESTORE_DELAY = 1.5
_names = itertools.count()


@pytest.fixture(scope="session")
def ops_server():
    from ossbrowse.emulator.server import EmulatorServer

    with EmulatorServer(restore_delay=RESTORE_DELAY) as server:
        yield server


@pytest.fixture(scope="session")
def ops_auth(ops_server):
    return oss2.Auth(ops_server.access_key_id, ops_server.access_key_secret)


@pytest.fixture
def new_bucket(ops_server, ops_auth):
    """Factory: a fresh, empty bucket on the ops server."""

    def make(name: str | None = None) -> oss2.Bucket:
        name = name or f"ops-{os.getpid()}-{next(_names)}"
        bucket = oss2.Bucket(ops_auth, ops_server.endpoint, name)
        bucket.create_bucket()
        return bucket

    return make


@pytest.fixture
def bucket(new_bucket):
    return new_bucket()


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    """Journals go to the test's own folder, never the user's state dir."""
    path = tmp_path / "state"
    monkeypatch.setenv("OSSBROWSE_STATE_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def clear_faults(ops_server):
    yield
    ops_server.faults.clear()


@pytest.fixture
def conn_args(ops_server):
    """Connection flags that point a verb at the ops server."""
    return [
        "--endpoint", ops_server.endpoint,
        "--access-key-id", ops_server.access_key_id,
        "--access-key-secret", ops_server.access_key_secret,
    ]  # fmt: skip


def fill(bucket, prefix: str, count: int, **headers) -> dict[str, bytes]:
    """`count` small objects with distinct bodies under `prefix`; returns key -> body."""
    bodies = {f"{prefix}{i:04d}.txt": f"body {i} of {prefix}".encode() for i in range(count)}
    for key, body in bodies.items():
        bucket.put_object(key, body, headers=headers or None)
    return bodies


def keys_under(bucket, prefix: str = "") -> list[str]:
    import oss2

    return [o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)]
