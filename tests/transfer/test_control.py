"""Cancel, pause and resume, with parts held at the emulator until the test lets them go.

These tests check the order of events (what was sent before and after a cancel or a pause),
never how long anything took: benchmarks/latency.py measures how soon a cancel takes effect.
"""

import threading

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState, TaskStateChanged
from tests.transfer.conftest import random_file, wait_for


def test_cancel_starts_no_new_part_and_cleans_up(make_engine, oss_bucket, oss_faults, tmp_path):
    events = []
    engine = make_engine(on_event=events.append, threads=2)
    random_file(tmp_path / "big.bin", 1_024_000)  # ten parts
    gate = threading.Event()
    parts = oss_faults.add(FaultRule("upload_part", hold=gate))
    job = engine.submit(str(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin")
    assert wait_for(lambda: parts.fired == 2)  # both threads' parts are at the server, held
    engine.cancel(job.id)
    gate.set()  # the two parts in flight may finish; no third may start
    assert job.wait(60)
    assert job.state is TaskState.CANCELLED
    assert parts.fired == 2
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []
    assert not oss_bucket.object_exists("big.bin")
    assert engine.unfinished() == []
    states = [e.job.state for e in events if isinstance(e, TaskStateChanged)]
    assert states[-1] is TaskState.CANCELLED and TaskState.RUNNING in states


def test_cancel_a_download_removes_its_temp_file(make_engine, oss_bucket, oss_faults, tmp_path):
    import os

    engine = make_engine(threads=2)
    oss_bucket.put_object("big.bin", os.urandom(1_024_000))
    gate = threading.Event()
    ranges = oss_faults.add(FaultRule("get_object", hold=gate))
    job = engine.submit(f"oss://{oss_bucket.bucket_name}/big.bin", str(tmp_path / "d" / "b.bin"))
    assert wait_for(lambda: ranges.fired >= 1)  # the download has begun: its temp file exists
    engine.cancel(job.id)
    gate.set()
    assert job.wait(60) and job.state is TaskState.CANCELLED
    assert os.listdir(tmp_path / "d") == []
    assert engine.unfinished() == []


def test_pause_holds_parts_and_resume_finishes(make_engine, oss_bucket, oss_faults, tmp_path):
    engine = make_engine(threads=2)
    data = random_file(tmp_path / "big.bin", 1_024_000)
    gate = threading.Event()
    parts = oss_faults.add(FaultRule("upload_part", hold=gate))
    job = engine.submit(str(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin")
    assert wait_for(lambda: parts.fired == 2)  # two parts in flight, held at the server
    engine.pause(job.id)
    assert job.state is TaskState.PAUSED
    gate.set()  # the parts in flight finish, and are saved for a later resume
    assert wait_for(lambda: sum(p.bytes_done for p in engine.unfinished()) >= 204_800)
    [pending] = engine.unfinished()
    assert pending.kind == "upload"
    # No part starts once the pause was asked: only the two in flight, not even the one that
    # was already waiting for a free thread when the pause came (test_part_pool.py).
    assert parts.fired == 2
    engine.resume(job.id)
    assert job.wait(60) and job.state is TaskState.DONE, job.error
    assert oss_bucket.get_object("big.bin").read() == data


def test_cancel_all_and_queued_jobs(make_engine, oss_bucket, oss_faults, tmp_path):
    engine = make_engine(jobs=1, threads=1)
    random_file(tmp_path / "a.bin", 409_600)
    # The parts are held until the cancel has been asked for, so the first job cannot end
    # before it, however loaded the machine (a latency could be outlasted).
    gate = threading.Event()
    oss_faults.add(FaultRule("upload_part", hold=gate))
    first = engine.submit(str(tmp_path / "a.bin"), f"oss://{oss_bucket.bucket_name}/a")
    second = engine.submit(str(tmp_path / "a.bin"), f"oss://{oss_bucket.bucket_name}/b")
    assert second.state is TaskState.QUEUED
    engine.cancel_all()
    gate.set()
    assert first.wait(60) and second.wait(60)
    assert first.state is second.state is TaskState.CANCELLED


def test_a_copy_on_the_sessions_runner_is_paused_and_cancelled_like_any_task(
    make_engine, oss_bucket, oss_faults, tmp_path
):
    from ossbrowse.tasks import Task, TaskRunner

    events = []
    runner = TaskRunner(on_event=events.append)
    engine = make_engine(runner=runner, threads=2)
    random_file(tmp_path / "big.bin", 1_024_000)
    gate = threading.Event()
    parts = oss_faults.add(FaultRule("upload_part", hold=gate))
    copy = engine.submit(str(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin")
    other = runner.submit(Task("delete", "x", unit="object"), lambda task: task.progress(0, 1))
    assert other.wait(60) and other.state is TaskState.DONE
    assert wait_for(lambda: parts.fired == 2)
    runner.pause(copy.id)  # by id on the runner, as for any other kind of task
    assert copy.state is TaskState.PAUSED
    runner.cancel(copy.id)
    gate.set()
    assert copy.wait(60) and copy.state is TaskState.CANCELLED
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []
    assert {e.job.id for e in events} == {copy.id, other.id}  # one listener for both
    engine.shutdown(wait=True)
    assert not runner.closed  # the session's runner outlives the engine
