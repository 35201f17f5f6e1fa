"""Moves against the local OSS server: end to end, faults, sabotaged copies, kill and resume."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from ossbrowse.emulator import FaultRule
from ossbrowse.errors import NotFoundError, ReadOnlyError, UsageError
from ossbrowse.ops import copying, rename
from ossbrowse.ops.journal import MoveJournal, unfinished
from ossbrowse.ops.rename import plan_move, resume_move, run_move
from ossbrowse.tasks import Control
from tests.ops.conftest import fill, keys_under


def test_prefix_move_end_to_end(bucket):
    bodies = fill(bucket, "a/", 30)
    bucket.put_object("a/", b"")  # folder marker moves too
    bucket.put_object("a/sub/ia.bin", b"x" * 100, headers={"x-oss-storage-class": "IA"})
    bucket.put_object("ab/keep", b"not under a/")
    plan = plan_move(bucket, "oss-ignored" and "a", bucket, "b/")
    assert plan.is_prefix and plan.src == "a/" and plan.dst == "b/"
    assert plan.price.objects == 32
    assert plan.price.requests["CopyObject"] == 32
    assert plan.price.requests["DeleteMultipleObjects"] == 1
    assert len(plan.price.early_deletions) == 1  # the young IA object
    report = run_move(plan, threads=4)
    assert report.complete and report.moved == 32
    assert keys_under(bucket, "a/") == []
    assert keys_under(bucket, "ab/") == ["ab/keep"]
    for key, body in bodies.items():
        assert bucket.get_object("b/" + key[2:]).read() == body
    assert bucket.head_object("b/sub/ia.bin").headers["x-oss-storage-class"] == "IA"
    assert bucket.head_object("b/").content_length == 0
    assert unfinished() == []  # the journal is gone once the move is done


def test_single_object_rename_and_move_into_folder(bucket):
    bucket.put_object("dir/one.txt", b"1")
    report = run_move(plan_move(bucket, "dir/one.txt", bucket, "dir/two.txt"))
    assert report.complete
    assert keys_under(bucket) == ["dir/two.txt"]
    plan = plan_move(bucket, "dir/two.txt", bucket, "other/")
    assert plan.dst == "other/two.txt" and not plan.price.expensive
    run_move(plan)
    assert keys_under(bucket) == ["other/two.txt"]


def test_cross_bucket_move(new_bucket):
    src, dst = new_bucket(), new_bucket()
    bodies = fill(src, "p/", 5)
    run_move(plan_move(src, "p/", dst, "q/"))
    assert keys_under(src) == []
    assert {k: dst.get_object("q/" + k[2:]).read() for k in bodies} == bodies


def test_refusals(bucket):
    fill(bucket, "a/", 2)
    with pytest.raises(UsageError, match="into itself"):
        plan_move(bucket, "a/", bucket, "a/b/")
    with pytest.raises(NotFoundError, match="Nothing to move"):
        plan_move(bucket, "nothing/", bucket, "x/")
    plan = plan_move(bucket, "a/", bucket, "z/")
    with pytest.raises(ReadOnlyError):
        run_move(plan, read_only=True)
    assert len(keys_under(bucket, "a/")) == 2


def test_unrestored_archive_objects_are_listed_up_front_and_left_alone(bucket):
    fill(bucket, "a/", 2)
    bucket.put_object("a/cold", b"c", headers={"x-oss-storage-class": "ColdArchive"})
    plan = plan_move(bucket, "a/", bucket, "b/")
    assert [b.key for b in plan.price.blocked] == ["a/cold"]
    report = run_move(plan)
    assert report.moved == 2 and [k for k, _ in report.blocked] == ["a/cold"]
    assert keys_under(bucket, "a/") == ["a/cold"]


def every_object_somewhere(bucket, bodies, src, dst):
    """The invariant: each object exists under at least one of its names, with its bytes."""
    present = set(keys_under(bucket, src)) | set(keys_under(bucket, dst))
    for key, body in bodies.items():
        found = [k for k in (key, dst + key[len(src) :]) if k in present]
        assert found, f"{key} exists under neither name"
        for k in found:
            assert bucket.get_object(k).read() == body


def test_injected_copy_failures_never_lose_a_source(bucket, ops_server):
    bodies = fill(bucket, "a/", 20)
    plan = plan_move(bucket, "a/", bucket, "b/")
    # Two copies fail on every attempt (a CopyObject request names its destination key),
    # whatever order the four threads send them in; the other 18 go through.
    ops_server.faults.add("copy_object:status=503:key=b/000[37].txt")
    report = run_move(plan, threads=4)
    ops_server.faults.clear()
    failed = {k for k, _ in report.failed}
    assert failed == {"a/0003.txt", "a/0007.txt"}
    assert set(keys_under(bucket, "a/")) == failed  # exactly the failed ones stay
    every_object_somewhere(bucket, bodies, "a/", "b/")
    # the same move again finishes the rest from the journal
    again = MoveJournal.find(bucket.bucket_name, "a/", bucket.bucket_name, "b/")
    report = resume_move(again, bucket, bucket)
    assert report.complete and keys_under(bucket, "a/") == []


def test_a_copy_that_does_not_verify_keeps_its_source(bucket, monkeypatch):
    bodies = fill(bucket, "a/", 6)
    real = copying.copy_one

    def sabotaged(dst_bucket, src_name, obj, dst_key, **kw):
        result = real(dst_bucket, src_name, obj, dst_key, **kw)
        if obj.key.endswith("0003.txt"):  # the copy lands, then someone damages it
            dst_bucket.put_object(dst_key, b"damaged")
            return copying.CopyResult("", None)
        return result

    monkeypatch.setattr(rename, "copy_one", sabotaged)
    report = run_move(plan_move(bucket, "a/", bucket, "b/"))
    assert [k for k, _ in report.failed] == ["a/0003.txt"]
    assert "did not match" in report.failed[0][1]
    assert keys_under(bucket, "a/") == ["a/0003.txt"]
    assert bucket.get_object("a/0003.txt").read() == bodies["a/0003.txt"]


def test_verified_but_not_deleted_is_rechecked_on_resume(bucket):
    bodies = fill(bucket, "a/", 4)
    plan = plan_move(bucket, "a/", bucket, "b/")
    journal = rename.start_move(plan)
    # As if killed after the V lines: copies exist for 0 and 1, 1's copy was damaged since.
    for i in (0, 1):
        bucket.copy_object(bucket.bucket_name, journal.items[i].src_key, journal.items[i].dst_key)
    bucket.put_object(journal.items[1].dst_key, b"damaged")
    journal.mark_verified([0, 1], sync=True)
    journal.close()
    loaded = MoveJournal.load(journal.id)
    report = resume_move(loaded, bucket, bucket)
    assert report.complete and report.resumed
    assert keys_under(bucket, "a/") == []
    for key, body in bodies.items():
        assert bucket.get_object("b/" + key[2:]).read() == body


def test_cancel_stops_and_the_journal_finishes_later(bucket, ops_server):
    fill(bucket, "a/", 30)
    ops_server.faults.add("copy_object:latency=0.05")
    token = Control()
    seen = []

    def progress(p):
        seen.append(p)
        if p.verified >= 3:
            token.cancel()

    report = run_move(plan_move(bucket, "a/", bucket, "b/"), threads=2, cancel=token,
                      on_progress=progress)  # fmt: skip
    ops_server.faults.clear()
    assert report.cancelled and 0 < report.moved < 30
    (journal,) = unfinished()
    report = resume_move(journal, bucket, bucket)
    assert report.complete and len(keys_under(bucket, "b/")) == 30


@pytest.mark.slow
def test_killed_move_resumes_with_nothing_lost(bucket, ops_server, conn_args, state_dir):
    bodies = fill(bucket, "a/", 100)
    # Copies to b/0050.txt and on wait at the server until the kill: it always lands half way.
    ops_server.faults.add(FaultRule("copy_object", key="b/00[5-9]?.txt", hold=threading.Event()))
    args = [sys.executable, "-m", "ossbrowse", "mv", f"oss://{bucket.bucket_name}/a/",
            f"oss://{bucket.bucket_name}/b/", "--yes", "--threads", "2", *conn_args]  # fmt: skip
    env = {**os.environ, "OSSBROWSE_STATE_DIR": str(state_dir)}
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    log = None
    deadline = time.monotonic() + 60  # a hang guard
    while time.monotonic() < deadline:
        logs = list((state_dir / "moves").glob("*.log")) if (state_dir / "moves").exists() else []
        if logs and logs[0].read_bytes().count(b"V ") >= 30:
            log = logs[0]
            break
        time.sleep(0.02)
    child.kill()
    child.wait()
    assert log is not None, child.stderr.read().decode()
    ops_server.faults.clear()
    # Killed half way: some copies made; no source deleted before its batch (1000) was due.
    assert 0 < len(keys_under(bucket, "b/")) < 100
    every_object_somewhere(bucket, bodies, "a/", "b/")
    # the same command again finishes the move
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Resuming an interrupted move" in done.stderr
    assert keys_under(bucket, "a/") == []
    for key, body in bodies.items():
        assert bucket.get_object("b/" + key[2:]).read() == body
    assert list((state_dir / "moves").glob("*")) == []


def test_objects_over_the_copy_limit_move_by_the_engines_part_copy(bucket, ops_server, monkeypatch):
    # The 1 GB limit shrunk to 100 KB: the same code path as a real 5 GB object, in a second.
    monkeypatch.setattr(copying, "COPY_OBJECT_LIMIT", 100 * 1024)
    body = bytes(range(256)) * 1200  # 300 KiB
    bucket.put_object("big/blob", body, headers={"x-oss-storage-class": "IA"})
    rule = ops_server.faults.add("upload_part_copy:latency=0")
    report = run_move(plan_move(bucket, "big/blob", bucket, "moved/blob"))
    assert report.complete and rule.fired >= 1
    assert bucket.get_object("moved/blob").read() == body
    assert bucket.head_object("moved/blob").headers["x-oss-storage-class"] == "IA"
    assert keys_under(bucket, "big/") == []
