"""A cancelled multipart upload is aborted by its task's clean-up (`Task.add_cleanup`), which the
runner runs once the task has ended; without a task it is aborted at once. Parts are held at the
emulator until the test lets them go, so nothing depends on timing. The buckets are the engine's
kind (`bucket_for`: oss2's own CRC off, the upload checks CRC64 itself)."""

from __future__ import annotations

import os
import threading

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import Cancelled, Control
from ossbrowse.tasks.progress import ProgressMeter
from ossbrowse.transfer import destlock
from ossbrowse.transfer.checkpoint import CheckpointStore, checkpoint_id
from ossbrowse.transfer.context import Context, PartPool
from ossbrowse.transfer.upload import upload_file
from tests.transfer.conftest import random_file, wait_for


def _uploads(bucket) -> list[str]:
    return [u.upload_id for u in bucket.list_multipart_uploads().upload_list]


def _cancel_mid_upload(bucket, faults, path, ctx: Context) -> BaseException | None:
    """Start the upload, cancel it once both threads' parts are held, and return what it raised."""
    gate = threading.Event()
    parts = faults.add(FaultRule("upload_part", hold=gate))
    raised: list[BaseException] = []

    def upload() -> None:
        try:
            upload_file(ctx, str(path), bucket, "big.bin")
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=upload)
    thread.start()
    try:
        assert wait_for(lambda: parts.fired == 2)
        ctx.control.cancel()
    finally:
        gate.set()
        thread.join(60)
    assert not thread.is_alive()
    return raised[0] if raised else None


def test_a_cancelled_upload_is_aborted_by_the_clean_up_it_registered(
    bucket_for, oss_bucket, oss_faults, tmp_path
):
    random_file(tmp_path / "big.bin", 1_024_000)  # ten parts
    store = CheckpointStore(tmp_path / "state")
    cleanups: list = []

    def add_cleanup(fn):
        cleanups.append(fn)
        return lambda: cleanups.remove(fn)

    pool = PartPool(2)
    ctx = Context(Control(), ProgressMeter(lambda: None), pool, store, part_size=102_400,
                  add_cleanup=add_cleanup)  # fmt: skip
    try:
        raised = _cancel_mid_upload(bucket_for(oss_bucket.bucket_name), oss_faults,
                                    tmp_path / "big.bin", ctx)  # fmt: skip
    finally:
        pool.shutdown()
    assert isinstance(raised, Cancelled)
    ident = checkpoint_id(
        "upload", os.path.abspath(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin"
    )
    # Left to the task: the upload and its checkpoint are there until the clean-up runs.
    assert len(cleanups) == 1 and len(_uploads(oss_bucket)) == 1
    assert store.load(ident) is not None

    # A run of the same upload that took its lock meanwhile resumes it: the clean-up leaves it.
    lock = destlock.acquire(store.lock_path(ident))
    try:
        cleanups[0]()
    finally:
        destlock.release(lock, store.lock_path(ident))
    assert len(_uploads(oss_bucket)) == 1 and store.load(ident) is not None

    cleanups[0]()
    assert _uploads(oss_bucket) == []
    assert store.load(ident) is None
    assert not oss_bucket.object_exists("big.bin")


def test_a_finished_upload_leaves_no_clean_up_behind(bucket_for, oss_bucket, tmp_path):
    data = random_file(tmp_path / "big.bin", 350_000)
    cleanups: list = []

    def add_cleanup(fn):
        cleanups.append(fn)
        return lambda: cleanups.remove(fn)

    pool = PartPool(2)
    ctx = Context(Control(), ProgressMeter(lambda: None), pool, CheckpointStore(tmp_path / "s"),
                  part_size=102_400, add_cleanup=add_cleanup)  # fmt: skip
    try:
        upload_file(ctx, str(tmp_path / "big.bin"), bucket_for(oss_bucket.bucket_name), "big.bin")
    finally:
        pool.shutdown()
    assert cleanups == []
    assert oss_bucket.get_object("big.bin").read() == data


def test_without_a_task_a_cancelled_upload_is_aborted_at_once(
    bucket_for, oss_bucket, oss_faults, tmp_path
):
    random_file(tmp_path / "big.bin", 1_024_000)
    pool = PartPool(2)
    ctx = Context(Control(), ProgressMeter(lambda: None), pool, CheckpointStore(tmp_path / "s"),
                  part_size=102_400)  # fmt: skip
    try:
        raised = _cancel_mid_upload(bucket_for(oss_bucket.bucket_name), oss_faults,
                                    tmp_path / "big.bin", ctx)  # fmt: skip
    finally:
        pool.shutdown()
    assert isinstance(raised, Cancelled)
    assert _uploads(oss_bucket) == []
