"""Fixtures for the transfer tests: an engine on the session's emulator, files of random bytes."""

from __future__ import annotations

import os
import time

import pytest


@pytest.fixture
def bucket_for(oss_server, oss_auth):
    import oss2

    cache: dict[str, oss2.Bucket] = {}

    def bucket_for(name: str) -> oss2.Bucket:
        if name not in cache:
            cache[name] = oss2.Bucket(oss_auth, oss_server.endpoint, name, enable_crc=False)
        return cache[name]

    return bucket_for


@pytest.fixture
def make_engine(bucket_for, tmp_path):
    from ossbrowse.fs.retrying import RetryPolicy
    from ossbrowse.transfer import TransferEngine

    engines = []

    def make(**kw):
        kw.setdefault("part_size", 102_400)
        kw.setdefault("threads", 4)
        kw.setdefault("state_dir", tmp_path / "state")
        kw.setdefault("retry", RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05))
        engine = TransferEngine(bucket_for, **kw)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.shutdown(wait=True)


@pytest.fixture
def engine(make_engine):
    return make_engine()


def random_file(path, size: int) -> bytes:
    data = os.urandom(size)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def run(engine, src, dst, timeout: float = 60, **kw):  # timeout: a hang guard
    job = engine.submit(str(src), str(dst), **kw)
    assert job.wait(timeout), f"{job} did not finish"
    return job


def wait_for(predicate, timeout: float = 60.0) -> bool:
    """Poll until `predicate()`; the timeout only stops a hang, it is not what is tested."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False
