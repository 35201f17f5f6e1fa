"""One version of an object copied by the transfer engine: pinned to its version id on every
ranged GET and part copy (an overwrite of the key during the copy cannot mix versions), its
checkpoint records the version, so a resume continues the same version; a restore of a version
above the single-copy limit goes in part copies. Small sizes and a lowered copy limit stand
for the real 1 GB one (the local server enforces CopyObject's 1 GB, as OSS does)."""

from __future__ import annotations

import json
import os

import pytest

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from tests.transfer.conftest import wait_for
from tests.transfer.test_kill_resume import _HoldAfter
from tests.versions_helpers import versioned

PART = 102_400


# Lets the first `free` requests through; the next says it has arrived (`reached`) and waits,
# with every later one, until `set()` (FaultPlan.clear sets it too).
Gate = _HoldAfter


@pytest.fixture
def vbucket(make_bucket):
    return versioned(make_bucket())


def _checkpoints(state_dir):
    return [json.loads(p.read_text()) for p in (state_dir / "checkpoints").glob("*.json")]


def test_a_version_downloads_whole_while_its_key_is_overwritten(
    make_engine, vbucket, oss_faults, tmp_path
):
    data = os.urandom(8 * PART)
    current = vbucket.put_object("k.bin", data).versionid
    gate = Gate(3)
    oss_faults.add(FaultRule("get_object", hold=gate))
    engine = make_engine(threads=2)
    url = f"oss://{vbucket.bucket_name}/k.bin"
    job = engine.submit(url, str(tmp_path / "out.bin"), version_id=current)
    assert gate.reached.wait(60)
    vbucket.put_object("k.bin", b"a newer version")  # mid-download: the version stays
    gate.set()
    assert job.wait(60)
    assert job.state is TaskState.DONE, job.error
    assert job.kind == "copy version" and current in job.src
    assert (tmp_path / "out.bin").read_bytes() == data
    assert [p.name for p in tmp_path.iterdir() if p.name != "state"] == ["out.bin"]


def test_a_version_copied_in_parts_while_its_key_is_overwritten(
    make_engine, vbucket, oss_faults, monkeypatch
):
    from ossbrowse.transfer import plan

    monkeypatch.setattr(plan, "COPY_OBJECT_LIMIT", PART)  # 1 GB shrunk: the same code path
    data = os.urandom(5 * PART)
    current = vbucket.put_object("k.bin", data).versionid
    gate = Gate(0)
    oss_faults.add(FaultRule("upload_part_copy", part=3, hold=gate))
    engine = make_engine()
    name = vbucket.bucket_name
    job = engine.submit(f"oss://{name}/k.bin", f"oss://{name}/copy.bin", version_id=current)
    assert gate.reached.wait(60)
    vbucket.put_object("k.bin", b"a newer version")
    gate.set()
    assert job.wait(60)
    assert job.state is TaskState.DONE, job.error
    assert vbucket.get_object("copy.bin").read() == data
    assert vbucket.head_object("copy.bin").etag.endswith("-5")  # five part copies
    assert vbucket.get_object("k.bin").read() == b"a newer version"  # a read-only source


def test_a_stopped_version_download_resumes_the_same_version(
    make_engine, vbucket, oss_faults, tmp_path
):
    old_data = os.urandom(10 * PART)
    old = vbucket.put_object("k.bin", old_data).versionid
    vbucket.put_object("k.bin", os.urandom(10 * PART))  # the current one, same size
    gate = Gate(4)
    oss_faults.add(FaultRule("get_object", hold=gate))
    engine = make_engine(threads=2)
    url = f"oss://{vbucket.bucket_name}/k.bin"
    dest = tmp_path / "out.bin"
    job = engine.submit(url, str(dest), version_id=old)
    assert gate.reached.wait(60)
    state = tmp_path / "state"
    assert wait_for(lambda: any(len(c["parts"]) >= 2 for c in _checkpoints(state)))
    job.stop()
    gate.set()
    assert job.wait(60) and job.state is not TaskState.DONE
    oss_faults.clear()
    assert not dest.exists()
    [saved] = _checkpoints(state)
    assert saved["version_id"] == old
    [info] = engine.unfinished()
    assert info.version_id == old
    counter = oss_faults.add(FaultRule("get_object"))

    again = make_engine(threads=2).resume_unfinished(info)  # a later session
    assert again.wait(60)
    assert again.state is TaskState.DONE, again.error
    assert dest.read_bytes() == old_data  # the old version, not the current one
    assert counter.fired <= 10 - 2  # the parts already there were not fetched again
    assert _checkpoints(state) == []


def test_a_checkpoint_of_another_version_is_not_resumed(make_engine, vbucket, oss_faults, tmp_path):
    first = os.urandom(6 * PART)
    v1 = vbucket.put_object("k.bin", first).versionid
    second = os.urandom(6 * PART)
    v2 = vbucket.put_object("k.bin", second).versionid
    gate = Gate(2)
    oss_faults.add(FaultRule("get_object", hold=gate))
    url = f"oss://{vbucket.bucket_name}/k.bin"
    dest = tmp_path / "out.bin"
    engine = make_engine(threads=1)
    job = engine.submit(url, str(dest), version_id=v1)
    assert gate.reached.wait(60)
    job.stop()
    gate.set()
    assert job.wait(60)
    oss_faults.clear()
    again = make_engine(threads=2).submit(url, str(dest), version_id=v2)
    assert again.wait(60)
    assert again.state is TaskState.DONE, again.error
    assert dest.read_bytes() == second


def test_a_version_id_needs_one_object(engine, vbucket, tmp_path):
    from ossbrowse.errors import UsageError

    name = vbucket.bucket_name
    with pytest.raises(UsageError, match="one version of one object"):
        engine.submit(f"oss://{name}/dir/", str(tmp_path), recursive=True, version_id="V")
    with pytest.raises(UsageError, match="one version of one object"):
        engine.submit(str(tmp_path), f"oss://{name}/x", version_id="V")


def test_restoring_a_version_over_the_copy_limit_copies_it_in_parts(
    vbucket, oss_faults, monkeypatch
):
    from ossbrowse.ops import copying
    from ossbrowse.ops.versions import find_version, restore_version

    monkeypatch.setattr(copying, "COPY_OBJECT_LIMIT", PART)  # the mover's setting, lowered
    old_data = os.urandom(3 * PART + 7)
    old = vbucket.put_object("k.bin", old_data, headers={"x-oss-storage-class": "IA"}).versionid
    vbucket.put_object("k.bin", b"newer")
    parts = oss_faults.add(FaultRule("upload_part_copy"))
    restored = restore_version(vbucket, find_version(vbucket, "k.bin", old))
    assert parts.fired == 1  # an UploadPartCopy (of one 8 MiB part), not one CopyObject
    assert vbucket.get_object("k.bin").read() == old_data
    head = vbucket.head_object("k.bin")
    assert head.headers["x-oss-storage-class"] == "IA"  # its class kept
    assert restored.new_version == head.versionid != old
