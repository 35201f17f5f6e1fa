"""SIGKILL in the middle of `ossbrowse cp`, then the same command again: correct content, and
at most threads x part size bytes sent twice (counted on the wire by a forwarding proxy)."""

import os
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

import pytest

from ossbrowse.emulator import FaultRule
from tests.transfer.wire import CountingProxy

pytestmark = pytest.mark.slow

PART = 102_400
THREADS = 2
SIZE = 40 * PART  # 4 MB: small, but forty parts


def _env(oss_server, proxy, tmp_path):
    env = dict(os.environ)
    for name in list(env):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_")):
            del env[name]
    env.update(
        OSS_ACCESS_KEY_ID=oss_server.access_key_id,
        OSS_ACCESS_KEY_SECRET=oss_server.access_key_secret,
        OSS_ENDPOINT=proxy.endpoint,
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        HOME=str(tmp_path),
    )
    return env


def _cp(env, src, dst):
    args = [sys.executable, "-m", "ossbrowse", "cp", str(src), str(dst),
            "--part-size", str(PART), "--threads", str(THREADS), "-q"]  # fmt: skip
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_midway(proc, progressed, timeout=60.0):
    # The second half of the transfer is held at the server (below), so the process cannot
    # finish before `progressed()` is seen, however loaded the machine; `timeout` is a hang
    # guard only.
    end = time.monotonic() + timeout
    while time.monotonic() < end and not progressed():
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.02)
    assert progressed(), "the transfer never got half way"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _hold_second_half_of_the_parts(oss_faults) -> None:
    """Parts 21 to 40 wait at the server until the plan is cleared (after the kill)."""
    gate = threading.Event()
    for number in range(SIZE // PART // 2 + 1, SIZE // PART + 1):
        oss_faults.add(FaultRule("upload_part", part=number, hold=gate))


class _HoldAfter:
    """A hold that lets the first `free` requests through and keeps the rest waiting until
    set: ranged GETs carry no part number, so a download's second half is held by count.
    `reached` is set once a request is held."""

    def __init__(self, free: int) -> None:
        self._free = free
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.reached = threading.Event()

    def wait(self) -> None:
        with self._lock:
            self._free -= 1
            if self._free >= 0:
                return
        self.reached.set()
        self._released.wait()

    def set(self) -> None:
        self._released.set()


@pytest.fixture
def proxy(oss_server):
    url = urlparse(oss_server.endpoint)
    p = CountingProxy(url.hostname, url.port)
    yield p
    p.close()


def test_upload_killed_then_resumed(oss_server, oss_bucket, oss_faults, proxy, tmp_path):
    data = os.urandom(SIZE)
    (tmp_path / "big.bin").write_bytes(data)
    env = _env(oss_server, proxy, tmp_path)
    dst = f"oss://{oss_bucket.bucket_name}/big.bin"
    _hold_second_half_of_the_parts(oss_faults)
    proc = _cp(env, tmp_path / "big.bin", dst)
    _kill_midway(proc, lambda: proxy.sent > SIZE // 2)
    oss_faults.clear()
    assert not oss_bucket.object_exists("big.bin")

    listed = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers"], env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert "upload" in listed.stdout and "big.bin" in listed.stdout

    proc = _cp(env, tmp_path / "big.bin", dst)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert oss_bucket.get_object("big.bin").read() == data
    # Headers and signatures cost a little per request; parts are what may be sent twice.
    overhead = 80 * 1024
    resent = proxy.sent - SIZE
    assert resent <= THREADS * PART + overhead, resent
    listed = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers"], env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert "No unfinished transfers" in listed.stdout


def test_download_killed_then_resumed(oss_server, oss_bucket, oss_faults, proxy, tmp_path):
    data = os.urandom(SIZE)
    oss_bucket.put_object("big.bin", data)
    env = _env(oss_server, proxy, tmp_path)
    src = f"oss://{oss_bucket.bucket_name}/big.bin"
    dest = tmp_path / "out" / "big.bin"
    dest.parent.mkdir()
    oss_faults.add(FaultRule("get_object", hold=_HoldAfter(20)))
    proc = _cp(env, src, dest)

    def temp_half_full():
        import json

        for path in (tmp_path / "xdg-state").rglob("*.json"):
            try:
                if len(json.loads(path.read_text())["parts"]) >= 15:
                    return True
            except (OSError, ValueError, KeyError):
                pass
        return False

    _kill_midway(proc, temp_half_full)
    oss_faults.clear()
    assert not dest.exists()  # never a half-written file under its name
    proc = _cp(env, src, dest)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert dest.read_bytes() == data
    assert [p.name for p in dest.parent.iterdir()] == ["big.bin"]


def test_clean_aborts_the_upload(oss_server, oss_bucket, oss_faults, proxy, tmp_path):
    (tmp_path / "big.bin").write_bytes(os.urandom(SIZE))
    env = _env(oss_server, proxy, tmp_path)
    _hold_second_half_of_the_parts(oss_faults)
    proc = _cp(env, tmp_path / "big.bin", f"oss://{oss_bucket.bucket_name}/big.bin")
    _kill_midway(proc, lambda: proxy.sent > SIZE // 4)
    oss_faults.clear()
    assert list(oss_bucket.list_multipart_uploads().upload_list)
    cleaned = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers", "--clean", "all"],
                             env=env, capture_output=True, text=True)  # fmt: skip
    assert cleaned.returncode == 0, cleaned.stderr
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []
