"""Cancel, pause and resume, with parts slowed by the emulator's latency fault."""

import time

from ossbrowse.transfer import JobState, JobStateChanged
from tests.transfer.conftest import random_file


def _wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_cancel_takes_effect_fast_and_cleans_up(make_engine, oss_bucket, oss_faults, tmp_path):
    events = []
    engine = make_engine(on_event=events.append, threads=2)
    random_file(tmp_path / "big.bin", 1_024_000)  # ten parts
    oss_faults.add("upload_part:latency=0.3")
    job = engine.submit(str(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin")
    assert _wait_for(lambda: job.bytes_done > 0)
    started = time.monotonic()
    engine.cancel(job.id)
    assert job.wait(5)
    latency = time.monotonic() - started
    assert job.state is JobState.CANCELLED
    assert latency < 0.5 + 0.3  # a part in flight may finish its (slowed) request
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []
    assert not oss_bucket.object_exists("big.bin")
    assert engine.unfinished() == []
    states = [e.job.state for e in events if isinstance(e, JobStateChanged)]
    assert states[-1] is JobState.CANCELLED and JobState.RUNNING in states


def test_cancel_a_download_removes_its_temp_file(make_engine, oss_bucket, oss_faults, tmp_path):
    import os

    engine = make_engine(threads=2)
    oss_bucket.put_object("big.bin", os.urandom(1_024_000))
    oss_faults.add("get_object:latency=0.2")
    job = engine.submit(f"oss://{oss_bucket.bucket_name}/big.bin", str(tmp_path / "d" / "b.bin"))
    assert _wait_for(lambda: job.bytes_done > 0)
    engine.cancel(job.id)
    assert job.wait(5) and job.state is JobState.CANCELLED
    assert os.listdir(tmp_path / "d") == []
    assert engine.unfinished() == []


def test_pause_holds_parts_and_resume_finishes(make_engine, oss_bucket, oss_faults, tmp_path):
    engine = make_engine(threads=2)
    data = random_file(tmp_path / "big.bin", 1_024_000)
    oss_faults.add("upload_part:latency=0.1")
    job = engine.submit(str(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin")
    assert _wait_for(lambda: job.bytes_done > 0)
    engine.pause(job.id)
    assert job.state is JobState.PAUSED
    time.sleep(0.4)  # parts in flight finish...
    held = job.bytes_done
    time.sleep(0.4)  # ...and no new part starts
    assert job.bytes_done == held < 1_024_000
    [pending] = engine.unfinished()  # the checkpoint is there for a later resume
    assert pending.kind == "upload" and pending.bytes_done == held
    engine.resume(job.id)
    assert job.wait(20) and job.state is JobState.DONE, job.error
    assert oss_bucket.get_object("big.bin").read() == data


def test_cancel_all_and_queued_jobs(make_engine, oss_bucket, oss_faults, tmp_path):
    engine = make_engine(jobs=1, threads=1)
    random_file(tmp_path / "a.bin", 409_600)
    oss_faults.add("upload_part:latency=0.2")
    first = engine.submit(str(tmp_path / "a.bin"), f"oss://{oss_bucket.bucket_name}/a")
    second = engine.submit(str(tmp_path / "a.bin"), f"oss://{oss_bucket.bucket_name}/b")
    assert second.state is JobState.QUEUED
    engine.cancel_all()
    assert first.wait(5) and second.wait(5)
    assert first.state is second.state is JobState.CANCELLED
