"""Moves with a local end (upload, download, local to local) go through the journaled mover:
copy, verify (size and CRC64), journal, then delete; killed half way, the same move run again
finishes it. The kill is a real child process held at the server, then SIGKILLed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ossbrowse.config import ConnectionSettings
from ossbrowse.emulator.faults import FaultRule
from ossbrowse.ops.task_bodies import submit_move
from ossbrowse.tasks import TaskRunner, TaskState


@pytest.fixture
def bucket_for(ops_server):
    from ossbrowse.fs.oss import OssClient

    settings = ConnectionSettings(
        endpoint=ops_server.endpoint,
        access_key_id=ops_server.access_key_id,
        access_key_secret=ops_server.access_key_secret,
    )
    return OssClient(settings).bucket


def _tree(root: Path, files: int = 10, seed: int = 7) -> dict[str, bytes]:
    rng = random.Random(seed)
    bodies = {}
    for i in range(files):
        rel = f"f{i:02d}.bin" if i % 3 else f"sub/f{i:02d}.bin"
        data = rng.randbytes(rng.randrange(1, 40_000))
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        bodies[rel] = data
    return bodies


def _move(src: str, dst: str, bucket_for) -> object:
    runner = TaskRunner()
    task = submit_move(runner, src, dst, bucket_for=bucket_for, threads=2)
    assert task.wait(60), "the move did not end"
    return task


def _objects(bucket, prefix: str) -> dict[str, bytes]:
    """What the bucket holds under `prefix` (read with oss2 itself, not the product's code)."""
    import oss2

    keys = [o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)]
    return {k[len(prefix) :]: bucket.get_object(k).read() for k in keys}


def test_a_local_folder_moves_into_oss_verified_and_its_sources_go(
    tmp_path, new_bucket, bucket_for, state_dir
):
    bucket = new_bucket()
    src = tmp_path / "docs"
    bodies = _tree(src)
    (src / "empty").mkdir()
    task = _move(str(src), f"oss://{bucket.bucket_name}/into/docs/", bucket_for)
    assert task.state is TaskState.DONE, (task.error, task.failures)
    held = _objects(bucket, "into/docs/")
    assert {k: v for k, v in held.items() if not k.endswith("/")} == bodies
    assert "empty/" in held  # an empty folder travels as a folder marker
    assert not src.exists()  # every source file and folder went, once verified
    assert list((state_dir / "moves").glob("*")) == []  # a finished move forgets its journal


def test_an_oss_prefix_moves_to_a_local_folder(tmp_path, new_bucket, bucket_for):
    bucket = new_bucket()
    name = bucket.bucket_name
    src = tmp_path / "up"
    bodies = _tree(src, seed=3)
    assert _move(str(src), f"oss://{name}/p/", bucket_for).state is TaskState.DONE
    dst = tmp_path / "down"
    task = _move(f"oss://{name}/p/", str(dst), bucket_for)
    assert task.state is TaskState.DONE, (task.error, task.failures)
    assert {str(p.relative_to(dst)): p.read_bytes() for p in dst.rglob("*") if p.is_file()} == (
        bodies
    )
    assert _objects(bucket, "p/") == {}


def test_a_local_folder_moves_to_another_local_folder(tmp_path, bucket_for):
    src, dst = tmp_path / "a", tmp_path / "b"
    bodies = _tree(src, files=4)
    task = _move(str(src), str(dst), bucket_for)
    assert task.state is TaskState.DONE
    assert {str(p.relative_to(dst)): p.read_bytes() for p in dst.rglob("*") if p.is_file()} == (
        bodies
    )
    assert not src.exists()


def test_a_taken_name_is_skipped_or_kept_beside_as_the_policy_says(
    tmp_path, new_bucket, bucket_for
):
    from ossbrowse.transfer.events import ConflictPolicy

    bucket = new_bucket()
    bucket.put_object("into/docs/a.txt", b"theirs")
    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_bytes(b"mine")
    (src / "b.txt").write_bytes(b"bee")
    dst = f"oss://{bucket.bucket_name}/into/docs/"

    def move(policy: ConflictPolicy):
        task = submit_move(TaskRunner(), str(src), dst, bucket_for=bucket_for, if_exists=policy)
        assert task.wait(60)
        assert task.state is TaskState.DONE, (task.error, task.failures)
        return task

    skipped = move(ConflictPolicy.SKIP)
    assert skipped.files_skipped == 1 and any("name is taken" in n for n in skipped.notes)
    assert _objects(bucket, "into/docs/") == {"a.txt": b"theirs", "b.txt": b"bee"}
    assert [p.name for p in src.iterdir()] == ["a.txt"]  # kept where it was, not lost
    move(ConflictPolicy.KEEP_BOTH)
    assert _objects(bucket, "into/docs/") == {
        "a.txt": b"theirs",
        "a (1).txt": b"mine",
        "b.txt": b"bee",
    }
    assert not src.exists()


CHILD = """
import sys
from ossbrowse.config import ConnectionSettings
from ossbrowse.fs.oss import OssClient
from ossbrowse.ops.task_bodies import submit_move
from ossbrowse.tasks import TaskRunner

endpoint, key, secret, src, dst = sys.argv[1:6]
settings = ConnectionSettings(endpoint=endpoint, access_key_id=key, access_key_secret=secret)
task = submit_move(TaskRunner(), src, dst, bucket_for=OssClient(settings).bucket, threads=2)
task.wait()
sys.exit(0 if task.state.value == "done" else 1)
"""


def _kill_half_way(child_args: list[str], ops_server, state_dir, tmp_path, bucket):
    """Run `child_args` (a move of tmp_path/docs into oss://bucket/into/docs/), hold its uploads
    of f05 and on at the server, SIGKILL it there; the files it was moving, by name."""
    src = tmp_path / "docs"
    bodies = {f"f{i:02d}.bin": random.Random(i).randbytes(5000 + i) for i in range(10)}
    src.mkdir()
    for rel, data in bodies.items():
        (src / rel).write_bytes(data)
    # Uploads of f05 and on wait at the server: the child is always stopped half way.
    hold = threading.Event()
    rule = ops_server.faults.add(FaultRule("put_object", key="into/docs/f0[5-9].bin", hold=hold))
    env = {**os.environ, "OSSBROWSE_STATE_DIR": str(state_dir)}
    child = subprocess.Popen(child_args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60  # a hang guard only: the wait ends on the child's state
        while time.monotonic() < deadline:
            logs = list((state_dir / "moves").glob("*.log"))
            verified = logs[0].read_bytes().count(b"V ") if logs else 0
            if rule.fired >= 2 and verified >= 5:  # both threads held, f00-f04 verified
                break
            assert child.poll() is None, child.stderr.read().decode()
            time.sleep(0.02)
        else:
            raise AssertionError("the child never reached the held uploads")
        (plan,) = (state_dir / "moves").glob("*.plan.json")  # journaled before any copy
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
        hold.set()
        ops_server.faults.clear()
    # Killed half way: every file is under one of its two names, or both; none is lost.
    held = _objects(bucket, "into/docs/")
    assert 5 <= len(held) < 10
    for rel, data in bodies.items():
        assert held.get(rel) == data or (src / rel).read_bytes() == data
    return src, bodies, plan.name.removesuffix(".plan.json")


def _finish_the_same_move(src: Path, bodies, journal_id, bucket, bucket_for, state_dir) -> None:
    """The same move again, submitted as the UI submits it: it finds the journal, ends it."""
    task = _move(str(src), f"oss://{bucket.bucket_name}/into/docs/", bucket_for)
    assert task.state is TaskState.DONE, (task.error, task.failures)
    assert task.resume_ref == journal_id  # the killed move's journal, not a new plan
    assert _objects(bucket, "into/docs/") == bodies
    assert not src.exists()
    assert list((state_dir / "moves").glob("*")) == []


def test_a_ui_move_to_oss_killed_half_way_is_finished_by_the_same_move(
    tmp_path, new_bucket, bucket_for, ops_server, state_dir
):
    bucket = new_bucket()
    dst = f"oss://{bucket.bucket_name}/into/docs/"
    args = [sys.executable, "-c", CHILD, ops_server.endpoint, ops_server.access_key_id,
            ops_server.access_key_secret, str(tmp_path / "docs"), dst]  # fmt: skip
    src, bodies, journal_id = _kill_half_way(args, ops_server, state_dir, tmp_path, bucket)
    _finish_the_same_move(src, bodies, journal_id, bucket, bucket_for, state_dir)


def test_ossbrowse_mv_to_oss_killed_half_way_shares_its_journal_with_the_ui(
    tmp_path, new_bucket, bucket_for, ops_server, state_dir, conn_args
):
    bucket = new_bucket()
    args = [sys.executable, "-m", "ossbrowse", "mv", str(tmp_path / "docs"),
            f"oss://{bucket.bucket_name}/into/", "--yes", "--threads", "2", *conn_args]  # fmt: skip
    src, bodies, journal_id = _kill_half_way(args, ops_server, state_dir, tmp_path, bucket)
    _finish_the_same_move(src, bodies, journal_id, bucket, bucket_for, state_dir)


def test_ossbrowse_mv_downloads_a_prefix_and_the_same_command_is_a_no_op_after(
    tmp_path, new_bucket, ops_server, state_dir, conn_args
):
    bucket = new_bucket()
    bucket.put_object("p/a.txt", b"alpha")
    bucket.put_object("p/sub/b.txt", b"beta")
    env = {**os.environ, "OSSBROWSE_STATE_DIR": str(state_dir)}
    args = [sys.executable, "-m", "ossbrowse", "mv", f"oss://{bucket.bucket_name}/p/",
            str(tmp_path / "here") + "/", "--yes", *conn_args]  # fmt: skip
    (tmp_path / "here").mkdir()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "here" / "p" / "sub" / "b.txt").read_bytes() == b"beta"
    assert (tmp_path / "here" / "p" / "a.txt").read_bytes() == b"alpha"
    assert _objects(bucket, "p/") == {}
