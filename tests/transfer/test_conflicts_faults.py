"""Conflict policies, and recovery from injected faults (5xx, resets, corrupt bodies)."""

import os

import pytest

from ossbrowse.crc64 import crc64
from ossbrowse.tasks import TaskState
from ossbrowse.transfer import ConflictPolicy
from tests.transfer.conftest import random_file, run


@pytest.fixture
def existing(oss_bucket, tmp_path):
    """A local file and an object already at the destination, with different content."""
    random_file(tmp_path / "f.txt", 0)
    (tmp_path / "f.txt").write_bytes(b"new content")
    oss_bucket.put_object("d/f.txt", b"old")
    return f"oss://{oss_bucket.bucket_name}/d/f.txt"


def test_overwrite(engine, oss_bucket, tmp_path, existing):
    run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.OVERWRITE)
    assert oss_bucket.get_object("d/f.txt").read() == b"new content"


def test_skip(engine, oss_bucket, tmp_path, existing):
    job = run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.SKIP)
    assert job.state is TaskState.DONE and job.files_skipped == 1
    assert oss_bucket.get_object("d/f.txt").read() == b"old"


def test_same_skips_only_identical_content(engine, oss_bucket, tmp_path, existing):
    job = run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.SAME)
    assert job.files_skipped == 0  # different: copied
    assert oss_bucket.get_object("d/f.txt").read() == b"new content"
    job = run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.SAME)
    assert job.files_skipped == 1  # now the same size and CRC64: skipped
    # And downloads: the same local file is left alone, a different one replaced.
    job = run(engine, existing, tmp_path / "f.txt", if_exists=ConflictPolicy.SAME)
    assert job.files_skipped == 1


def test_keep_both_names_the_copy(engine, oss_bucket, tmp_path, existing):
    run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.KEEP_BOTH)
    run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.KEEP_BOTH)
    assert oss_bucket.get_object("d/f.txt").read() == b"old"
    assert oss_bucket.get_object("d/f (1).txt").read() == b"new content"
    assert oss_bucket.get_object("d/f (2).txt").read() == b"new content"
    (tmp_path / "dl").mkdir()
    (tmp_path / "dl" / "f.txt").write_bytes(b"local")
    run(engine, existing, tmp_path / "dl" / "f.txt", if_exists=ConflictPolicy.KEEP_BOTH)
    assert (tmp_path / "dl" / "f (1).txt").read_bytes() == b"old"
    assert (tmp_path / "dl" / "f.txt").read_bytes() == b"local"


def test_ask_calls_the_resolver_with_both_entries(engine, oss_bucket, tmp_path, existing):
    asked = []

    def resolver(src, dst):
        asked.append((src.size, dst.size, dst.path))
        return ConflictPolicy.SKIP

    job = run(engine, tmp_path / "f.txt", existing, if_exists=ConflictPolicy.ASK,
              resolve_conflict=resolver)  # fmt: skip
    assert asked == [(11, 3, existing)]
    assert job.files_skipped == 1
    # No conflict, no question.
    run(engine, tmp_path / "f.txt", existing + ".new", if_exists=ConflictPolicy.ASK,
        resolve_conflict=resolver)  # fmt: skip
    assert len(asked) == 1


# --- faults ---------------------------------------------------------------------------------


def test_retries_through_503s_and_resets_upload(engine, oss_bucket, oss_faults, tmp_path):
    data = random_file(tmp_path / "big.bin", 400_000)
    oss_faults.add("upload_part:status=503:count=3")
    oss_faults.add("upload_part:reset_after=50000:count=2")
    oss_faults.add("put_object|complete_multipart_upload:status=500:count=1")
    job = run(engine, tmp_path / "big.bin", f"oss://{oss_bucket.bucket_name}/big.bin")
    assert job.state is TaskState.DONE, job.error
    assert oss_bucket.get_object("big.bin").read() == data
    assert job.bytes_done == 400_000  # bytes of failed attempts were given back


def test_retries_through_503s_and_resets_download(engine, oss_bucket, oss_faults, tmp_path):
    data = os.urandom(400_000)
    oss_bucket.put_object("big.bin", data)
    oss_faults.add("get_object:status=503:count=2")
    oss_faults.add("get_object:reset_after=30000:count=3")
    job = run(engine, f"oss://{oss_bucket.bucket_name}/big.bin", tmp_path / "big.bin")
    assert job.state is TaskState.DONE, job.error
    assert (tmp_path / "big.bin").read_bytes() == data
    assert job.bytes_done == 400_000


def test_4xx_is_not_retried(engine, oss_server, oss_bucket, tmp_path):
    random_file(tmp_path / "f", 10)
    job = run(engine, tmp_path / "f", "oss://no-such-bucket-here/f")
    assert job.state is TaskState.FAILED and "no-such-bucket-here" in job.error


def test_a_corrupted_upload_part_is_detected_and_sent_again(engine, oss_bucket, oss_faults,
                                                           tmp_path):  # fmt: skip
    data = random_file(tmp_path / "big.bin", 300_000)
    oss_faults.add("upload_part:corrupt:count=1")
    job = run(engine, tmp_path / "big.bin", f"oss://{oss_bucket.bucket_name}/big.bin")
    assert job.state is TaskState.DONE, job.error
    assert oss_bucket.head_object("big.bin").server_crc == crc64(data)


def test_a_download_that_stays_corrupt_fails_and_writes_nothing(engine, oss_bucket, oss_faults,
                                                               tmp_path):  # fmt: skip
    oss_bucket.put_object("big.bin", os.urandom(300_000))
    oss_faults.add("get_object:corrupt")
    job = run(engine, f"oss://{oss_bucket.bucket_name}/big.bin", tmp_path / "big.bin")
    assert job.state is TaskState.FAILED
    assert "CRC64" in job.error
    assert os.listdir(tmp_path) == ["state"]  # no destination, no temp file
    assert engine.unfinished() == []  # and no checkpoint to resume garbage from


def test_a_failing_file_does_not_stop_the_folder(engine, oss_bucket, tmp_path):
    (tmp_path / "src").mkdir()
    long_name = "c" * 240  # with the long prefix below, its key passes OSS's 1023 bytes
    for name in ("a", "b", long_name):
        (tmp_path / "src" / name).write_bytes(name.encode())
    prefix = "dst/" + "p" * 790 + "/"
    job = run(engine, tmp_path / "src", f"oss://{oss_bucket.bucket_name}/{prefix}", recursive=True)
    assert job.state is TaskState.FAILED
    assert job.files_done == 3 and job.error == "1 of 3 files failed"
    [failure] = job.failures
    assert failure.src.endswith(long_name)
    assert oss_bucket.get_object(prefix + "a").read() == b"a"
    assert oss_bucket.get_object(prefix + "b").read() == b"b"
