"""A sync killed half way (SIGKILL, a real child process) is finished by the same command: the
second half of the uploads waits at the server until the kill, so it always stops half way."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from ossbrowse.emulator import FaultRule
from tests.ops.conftest import keys_under

COUNT = 40


@pytest.mark.slow
def test_killed_sync_is_finished_by_the_same_command(bucket, ops_server, conn_args, state_dir,
                                                     tmp_path):  # fmt: skip
    src = tmp_path / "src"
    src.mkdir()
    bodies = {f"f{i:03d}.txt": f"body {i}".encode() for i in range(COUNT)}
    for name, body in bodies.items():
        (src / name).write_bytes(body)
    # f020.txt and on wait at the server until the kill.
    ops_server.faults.add(FaultRule("put_object", key="dst/f0[2-3]?.txt", hold=threading.Event()))
    args = [sys.executable, "-m", "ossbrowse", "sync", str(src),
            f"oss://{bucket.bucket_name}/dst/", "--yes", "--threads", "2", *conn_args]  # fmt: skip
    env = {**os.environ, "OSSBROWSE_STATE_DIR": str(state_dir)}
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60  # a hang guard, not a timing
    journals: list = []
    while time.monotonic() < deadline:
        journals = list((state_dir / "syncs").glob("*.json")) if state_dir.exists() else []
        if journals and len(keys_under(bucket, "dst/")) == COUNT // 2:
            break
        assert child.poll() is None, child.stderr.read().decode()
        time.sleep(0.02)
    child.kill()
    child.wait()
    assert journals and len(keys_under(bucket, "dst/")) == COUNT // 2
    ops_server.faults.clear()

    puts = ops_server.faults.add(FaultRule("put_object"))
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # Only what was missing is sent: at most the held half (a held request released by the
    # clean-up may have landed meanwhile), exactly as many as the resumed run said were left.
    assert "Resuming an interrupted sync: " in done.stderr
    left = int(done.stderr.split("Resuming an interrupted sync: ")[1].split(" of ")[0])
    assert 0 < left <= COUNT // 2 and puts.fired == left
    assert f"Copied {left} files of {left} to copy." in done.stdout
    for name, body in bodies.items():
        assert bucket.get_object(f"dst/{name}").read() == body
    assert list((state_dir / "syncs").glob("*")) == []  # finished: the journal is gone
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout.startswith("Nothing to do")
