"""The local OSS server against hostile input: fuzzed raw requests, keys that try to leave
its --root, unsigned requests, non-loopback binds, the key length limit."""

from __future__ import annotations

import os
import subprocess
import sys

import oss2
import pytest
from hypothesis import HealthCheck, given, settings

from stress import fuzz
from stress.hostile import CORPUS, hostile_keys


def test_fuzzed_requests_get_an_answer_or_a_clean_close(oss_server):
    result = fuzz.fuzz_server(oss_server, seed=1, count=120)
    assert result.problems == []
    assert result.sent == 120 and result.answered + result.closed == 120


def test_unsigned_requests_are_refused(oss_server, oss_bucket):
    anonymous = oss2.Bucket(oss2.AnonymousAuth(), oss_server.endpoint, oss_bucket.bucket_name)
    with pytest.raises(oss2.exceptions.AccessDenied):
        anonymous.put_object("k", b"x")
    oss_bucket.put_object("k", b"x")
    with pytest.raises(oss2.exceptions.AccessDenied):
        anonymous.get_object("k")


def test_non_loopback_bind_is_refused(tmp_path):
    from ossbrowse.emulator import EmulatorServer

    with pytest.raises(ValueError):
        EmulatorServer(host="0.0.0.0")
    done = subprocess.run([sys.executable, "-m", "ossbrowse", "serve", "--host", "0.0.0.0"],
                          capture_output=True, timeout=30)  # fmt: skip
    assert done.returncode == 2 and b"--allow-remote" in done.stderr
    assert b"Traceback" not in done.stderr


def test_key_length_limit(oss_bucket):
    key = "k" * 1023
    oss_bucket.put_object(key, b"x")
    assert oss_bucket.get_object(key).read() == b"x"
    with pytest.raises(oss2.exceptions.OssError) as caught:
        oss_bucket.put_object("k" * 1024, b"x")
    assert caught.value.status == 400


@pytest.fixture(scope="module")
def disk_server(tmp_path_factory):
    from ossbrowse.emulator import EmulatorServer

    base = tmp_path_factory.mktemp("disk-server")
    with EmulatorServer(root=base / "root") as srv:
        srv.create_bucket("rootcheck")
        yield srv, base


def _store(srv, key: str) -> bool:
    bucket = oss2.Bucket(oss2.Auth(srv.access_key_id, srv.access_key_secret), srv.endpoint,
                         "rootcheck", enable_crc=False)  # fmt: skip
    try:
        bucket.put_object(key, key.encode("utf-8"))
    except oss2.exceptions.OssError as exc:
        assert exc.status in (400, 403), exc  # oss2 cannot send some keys as they are
        return False
    assert bucket.get_object(key).read() == key.encode("utf-8")
    return True


def _only_under_root(base) -> None:
    assert sorted(os.listdir(base)) == ["root"]
    root = os.path.realpath(base / "root")
    for path in fuzz.root_contents(base / "root"):
        assert os.path.realpath(path).startswith(root + os.sep), path


def test_disk_store_keeps_corpus_keys_under_root(disk_server):
    srv, base = disk_server
    stored = sum(_store(srv, key) for key in CORPUS)
    assert stored >= len(CORPUS) - 3
    _only_under_root(base)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(key=hostile_keys())
def test_disk_store_never_writes_outside_root(disk_server, key):
    srv, base = disk_server
    _store(srv, key)
    _only_under_root(base)
