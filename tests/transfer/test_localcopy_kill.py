"""A local-to-local copy killed with SIGKILL (no clean-up runs) leaves its temporary file, and
`ossbrowse transfers` lists it and `--clean` removes it, as for a download's; the same copy run
again finishes and leaves nothing behind.

The child process is stopped at a known point by the copy's test hold (it writes a file once
the bytes are written, then waits): the kill never depends on timing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from ossbrowse.transfer.localcopy import HOLD_ENV
from ossbrowse.transfer.tempname import is_temp_name
from tests.campaign.conftest import all_files, run_verb, verb_env
from tests.transfer.conftest import random_file, run, wait_for


def _killed_copy(oss_server, tmp_path):
    """`ossbrowse cp` of a local file to a local folder, SIGKILLed at its hold: (the verbs'
    environment, the file's bytes, the source, the destination)."""
    env = verb_env(oss_server, tmp_path)
    data = random_file(tmp_path / "src" / "big.bin", 300_000)
    src, dst = tmp_path / "src" / "big.bin", tmp_path / "out" / "big.bin"
    dst.parent.mkdir()
    hold = tmp_path / "hold"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ossbrowse", "cp", str(src), str(dst), "-q"],
        env=dict(env, **{HOLD_ENV: f"1:{hold}"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Ends on the child's state (its hold file, or its exit); the timeout is a hang guard.
        wait_for(lambda: hold.exists() or proc.poll() is not None)
        assert proc.poll() is None, proc.stderr.read().decode()
        assert hold.exists(), "the copy never reached its hold"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    return env, data, src, dst


def test_a_killed_local_copy_is_listed_and_cleaned(oss_server, tmp_path):
    env, data, _src, dst = _killed_copy(oss_server, tmp_path)
    [temp] = os.listdir(dst.parent)  # what the kill left: the temporary file, as written
    assert is_temp_name(temp) and (dst.parent / temp).read_bytes() == data

    listed = run_verb(env, "transfers")
    assert listed.returncode == 0
    text = listed.stdout.decode()
    assert "localcopy" in text and temp in text and str(dst) in text
    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert all_files(dst.parent) == set()
    assert "No unfinished transfers" in run_verb(env, "transfers").stdout.decode()


def test_the_same_copy_run_again_finishes_and_leaves_nothing(oss_server, tmp_path):
    env, data, src, dst = _killed_copy(oss_server, tmp_path)
    again = run_verb(env, "cp", str(src), str(dst), "-q")
    assert again.returncode == 0, again.stderr.decode()
    assert all_files(dst.parent) == {"big.bin"} and dst.read_bytes() == data
    assert "No unfinished transfers" in run_verb(env, "transfers").stdout.decode()


def test_a_finished_local_copy_leaves_no_record(engine, tmp_path):
    data = random_file(tmp_path / "a.bin", 1000)
    job = run(engine, tmp_path / "a.bin", tmp_path / "out" / "a.bin")
    assert job.state.name == "DONE", job.error
    assert (tmp_path / "out" / "a.bin").read_bytes() == data
    assert engine.store.list(include_damaged=True) == []
    assert all_files(tmp_path / "out") == {"a.bin"}
