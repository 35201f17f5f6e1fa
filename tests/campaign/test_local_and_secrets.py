"""Local safety (odd folders, planted symlinks), secrets never shown or stored, and load."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from ossbrowse.emulator import FaultRule
from stress import load
from tests.campaign.conftest import all_files, run_verb, verb_env
from tests.transfer.conftest import random_file, run


def test_odd_folder_upload_terminates_and_copies_the_files(engine, oss_bucket, tmp_path):
    src = tmp_path / "odd"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_bytes(b"a")
    (src / "b.txt").write_bytes(b"b")
    os.symlink("..", src / "sub" / "loop")  # a folder loop
    os.symlink(src / "missing", src / "dangling")
    os.mkfifo(src / "fifo")  # opening it would block forever
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "sock"))
    try:
        job = run(engine, src, f"oss://{oss_bucket.bucket_name}/odd/", recursive=True, timeout=30)
    finally:
        sock.close()
    keys = {o.key for o in oss_bucket.list_objects_v2(prefix="odd/").object_list}
    assert {"odd/b.txt", "odd/sub/a.txt"} <= keys
    assert not any(k.endswith(("fifo", "sock", "dangling")) for k in keys)
    assert not any("loop/" in k for k in keys)
    assert job.state.name == "DONE"
    # What was passed over is named, with why, not dropped silently.
    notes = "\n".join(job.notes)
    assert job.files_skipped == 4, notes
    assert "fifo: a named pipe (FIFO)" in notes
    assert "sock: a socket" in notes
    assert "dangling: a symbolic link to nothing" in notes
    assert "loop: a symbolic link to a folder, not followed" in notes


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported(engine, oss_bucket, tmp_path):
    src = tmp_path / "src"
    random_file(src / "ok.txt", 10)
    random_file(src / "secret.txt", 10).__len__()
    os.chmod(src / "secret.txt", 0)
    job = run(engine, src, f"oss://{oss_bucket.bucket_name}/u/", recursive=True)
    assert job.state.name == "FAILED" and "secret.txt" in job.failures[0].src


def test_planted_symlink_at_the_temp_name_is_not_followed(engine, oss_bucket, tmp_path):
    from ossbrowse.transfer.checkpoint import checkpoint_id
    from ossbrowse.transfer.download import temp_path_for

    data = os.urandom(300_000)
    oss_bucket.put_object("obj", data)
    dest = tmp_path / "dl" / "obj"
    dest.parent.mkdir()
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    url = f"oss://{oss_bucket.bucket_name}/obj"
    ident = checkpoint_id("download", url, os.path.abspath(dest))
    os.symlink(victim, temp_path_for(str(dest), ident))
    job = run(engine, url, dest)
    assert job.state.name == "DONE" and dest.read_bytes() == data
    assert victim.read_bytes() == b"precious"
    assert all_files(dest.parent) == {"obj"}


SECRET = "Campaign-Secret-0123456789abcdef"
TOKEN = "Campaign-STS-Token-ffffeeeedddd"


def test_secrets_never_reach_output_or_checkpoints(tmp_path):
    from ossbrowse.emulator import EmulatorServer

    with EmulatorServer(access_key_secret=SECRET, sts_token=TOKEN) as srv:
        srv.create_bucket("secrets")
        # Parts 16 to 30 wait at the server until the kill: the copy is always cut half way.
        gate = threading.Event()
        held = [srv.faults.add(FaultRule("upload_part", part=n, hold=gate)) for n in range(16, 31)]
        env = verb_env(srv, tmp_path)
        env["OSS_SESSION_TOKEN"] = TOKEN
        random_file(tmp_path / "big.bin", 30 * 102_400)
        args = [sys.executable, "-m", "ossbrowse", "cp", str(tmp_path / "big.bin"),
                "oss://secrets/big.bin", "--part-size", "100K", "--threads", "2"]  # fmt: skip
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60  # a hang guard
        while time.monotonic() < deadline and not (
            list((tmp_path / "xdg-state").rglob("*.json")) and any(r.fired for r in held)
        ):
            time.sleep(0.05)  # kill once a checkpoint exists and half the parts are sent
        proc.send_signal(signal.SIGKILL)
        outputs = list(proc.communicate())
        srv.faults.clear()
        state = tmp_path / "xdg-state"
        files = [p for p in state.rglob("*") if p.is_file()]
        assert files, outputs
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            assert (
                SECRET.encode() not in path.read_bytes() and TOKEN.encode() not in path.read_bytes()
            )
        assert stat.S_IMODE((state / "ossbrowse" / "checkpoints").stat().st_mode) == 0o700
        for verb in (["transfers"], ["config"], ["ls", "oss://secrets/"],
                     ["cp", "oss://secrets/none", str(tmp_path / "x")]):  # fmt: skip
            done = run_verb(env, *verb)
            outputs += [done.stdout, done.stderr]
        wrong = dict(env, OSS_ACCESS_KEY_SECRET=SECRET[::-1])
        done = run_verb(wrong, "ls", "oss://secrets/")
        assert done.returncode != 0 and b"secret" in done.stderr.lower()
        outputs += [done.stdout, done.stderr]
        expired = dict(env, OSS_SESSION_TOKEN="an-old-token")
        done = run_verb(expired, "ls", "oss://secrets/")
        assert done.returncode != 0 and b"token" in done.stderr.lower()
        assert b"Traceback" not in done.stderr
        outputs += [done.stdout, done.stderr]
    for out in outputs:
        assert SECRET.encode() not in out and TOKEN.encode() not in out
        assert SECRET[::-1].encode() not in out


def test_64_clients_lose_nothing(oss_server):
    stats = load.run_load(oss_server, clients=64, seconds=3, seed=5, fault_rate=0.02)
    assert stats.problems == [], stats.problems[:5]
    assert stats.errors == 0 and sum(stats.ops.values()) > 200
