"""The transfer lock (`destlock`): one holder at a time, named when it is another process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ossbrowse.transfer import destlock

HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()  # holds the lock until the test closes our stdin
"""


def test_a_second_holder_in_this_process_is_refused(tmp_path):
    path = str(tmp_path / "t.lock")
    fd = destlock.acquire(path)
    try:
        with pytest.raises(BlockingIOError) as caught:
            destlock.acquire(path)
        assert caught.value.pid == os.getpid()
        assert "this program" in destlock.who(caught.value.pid)
    finally:
        destlock.release(fd, path)
    assert not os.path.exists(path)
    destlock.release(destlock.acquire(path), path)  # free again


def test_another_process_holding_it_is_named(tmp_path):
    path = str(tmp_path / "t.lock")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout.readline() == b"locked\n"
        with pytest.raises(BlockingIOError) as caught:
            destlock.acquire(path)
        assert caught.value.pid == holder.pid
        assert destlock.who(holder.pid) == f"process {holder.pid}"
    finally:
        holder.stdin.close()
        holder.wait(30)
    destlock.release(destlock.acquire(path), path)


def test_a_link_planted_at_the_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    path = str(tmp_path / "t.lock")
    os.symlink(victim, path)
    fd = destlock.acquire(path)
    try:
        assert not os.path.islink(path) and destlock.same_file(fd, path)
    finally:
        destlock.release(fd, path)
    assert victim.read_bytes() == b"precious"


def test_release_leaves_a_file_put_in_its_place(tmp_path):
    path = str(tmp_path / "t.lock")
    fd = destlock.acquire(path)
    (tmp_path / "other").write_bytes(b"someone else's")
    os.replace(tmp_path / "other", path)
    assert not destlock.same_file(fd, path)
    destlock.release(fd, path)
    assert (tmp_path / "t.lock").read_bytes() == b"someone else's"
