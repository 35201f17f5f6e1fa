"""Every direction, small and multipart sizes, folder trees: through oss2 to the emulator."""

import os

import pytest

from ossbrowse.crc64 import crc64
from ossbrowse.tasks import TaskState
from tests.transfer.conftest import random_file, run

SIZES = [0, 1, 102_399, 350_001]  # empty, tiny, single-part, four 100 KiB parts


@pytest.mark.parametrize("size", SIZES)
def test_upload_then_download(engine, oss_bucket, tmp_path, size):
    name = oss_bucket.bucket_name
    data = random_file(tmp_path / "src.bin", size)
    os.utime(tmp_path / "src.bin", (1_600_000_000, 1_600_000_000))
    job = run(engine, tmp_path / "src.bin", f"oss://{name}/dir/obj.bin")
    assert job.state is TaskState.DONE, job.error
    head = oss_bucket.head_object("dir/obj.bin")
    assert head.content_length == size
    assert head.server_crc == crc64(data)
    assert head.headers["x-oss-meta-mtime"] == "1600000000"

    job = run(engine, f"oss://{name}/dir/obj.bin", tmp_path / "out" / "copy.bin")
    assert job.state is TaskState.DONE, job.error
    out = tmp_path / "out" / "copy.bin"
    assert out.read_bytes() == data
    assert int(out.stat().st_mtime) == 1_600_000_000  # restored from x-oss-meta-mtime
    assert not [p for p in os.listdir(tmp_path / "out") if p.endswith(".part")]
    assert job.bytes_done == job.bytes_total == size


def test_multipart_upload_checks_whole_crc_and_leaves_no_checkpoint(engine, oss_bucket, tmp_path):
    data = random_file(tmp_path / "big.bin", 460_000)
    job = run(engine, tmp_path / "big.bin", f"oss://{oss_bucket.bucket_name}/big.bin")
    assert job.state is TaskState.DONE, job.error
    head = oss_bucket.head_object("big.bin")
    assert head.server_crc == crc64(data)
    assert head.etag.endswith("-5")  # five parts of 100 KiB
    assert engine.unfinished() == []


def test_file_into_folder_destinations(engine, oss_bucket, tmp_path):
    random_file(tmp_path / "f.txt", 10)
    assert run(engine, tmp_path / "f.txt", f"oss://{oss_bucket.bucket_name}/in/").state is (
        TaskState.DONE
    )
    assert oss_bucket.object_exists("in/f.txt")
    (tmp_path / "into").mkdir()
    job = run(engine, f"oss://{oss_bucket.bucket_name}/in/f.txt", tmp_path / "into")
    assert job.state is TaskState.DONE and (tmp_path / "into" / "f.txt").exists()


@pytest.mark.parametrize("size", [1000, 350_001])
def test_server_side_copy(engine, oss_bucket, make_bucket, tmp_path, size):
    other = make_bucket()
    data = os.urandom(size)
    oss_bucket.put_object("a/src.bin", data)
    job = run(engine, f"oss://{oss_bucket.bucket_name}/a/src.bin",
              f"oss://{other.bucket_name}/b/dst.bin")  # fmt: skip
    assert job.state is TaskState.DONE, job.error
    assert other.get_object("b/dst.bin").read() == data


def test_multipart_server_side_copy_uses_upload_part_copy(bucket_for, oss_bucket, tmp_path):
    from ossbrowse.tasks import Control
    from ossbrowse.tasks.progress import ProgressMeter
    from ossbrowse.transfer.context import Context, PartPool
    from ossbrowse.transfer.servercopy import copy_object

    data = os.urandom(350_000)
    oss_bucket.put_object("src.bin", data)
    pool = PartPool(4)
    meter = ProgressMeter(lambda: None)
    ctx = Context(Control(), meter, pool, None, part_size=102_400)
    try:
        copy_object(ctx, oss_bucket, "src.bin", oss_bucket, "dst.bin", copy_limit=102_400)
    finally:
        pool.shutdown()
    head = oss_bucket.head_object("dst.bin")
    assert head.etag.endswith("-4")  # made of four UploadPartCopy parts, not one CopyObject
    assert oss_bucket.get_object("dst.bin").read() == data
    assert meter.done == 350_000


def test_local_to_local(engine, tmp_path):
    data = random_file(tmp_path / "a" / "x.bin", 300_000)
    job = run(engine, tmp_path / "a" / "x.bin", tmp_path / "b" / "y.bin")
    assert job.state is TaskState.DONE, job.error
    assert (tmp_path / "b" / "y.bin").read_bytes() == data


def _tree(root):
    files = {
        "top.txt": os.urandom(10),
        "sub/one.bin": os.urandom(250_000),
        "sub/deeper/two.txt": b"two",
        "other/three.txt": b"",
    }
    for rel, data in files.items():
        random_file(root / rel, 0)
        (root / rel).write_bytes(data)
    (root / "empty").mkdir()
    return files


def _read_tree(root):
    return {
        os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"): open(
            os.path.join(d, f), "rb"
        ).read()
        for d, _, names in os.walk(root)
        for f in names
    }


def test_folder_round_trip_all_directions(engine, oss_bucket, make_bucket, tmp_path):
    files = _tree(tmp_path / "tree")
    name = oss_bucket.bucket_name
    job = run(engine, tmp_path / "tree", f"oss://{name}/up/", recursive=True)
    assert job.state is TaskState.DONE, (job.error, job.failures)
    assert job.files_done == job.files_total == 5  # four files and one empty folder
    assert oss_bucket.object_exists("up/empty/")

    other = make_bucket()
    job = run(engine, f"oss://{name}/up/", f"oss://{other.bucket_name}/copy/", recursive=True)
    assert job.state is TaskState.DONE, (job.error, job.failures)

    job = run(engine, f"oss://{other.bucket_name}/copy/", tmp_path / "down", recursive=True)
    assert job.state is TaskState.DONE, (job.error, job.failures)
    assert _read_tree(tmp_path / "down") == files
    assert (tmp_path / "down" / "empty").is_dir()

    job = run(engine, tmp_path / "down", tmp_path / "again", recursive=True)
    assert job.state is TaskState.DONE, (job.error, job.failures)
    assert _read_tree(tmp_path / "again") == files


def test_unsafe_keys_are_refused_and_the_rest_goes_on(engine, oss_bucket, tmp_path):
    oss_bucket.put_object("p/ok.txt", b"ok")
    oss_bucket.put_object("p/../../escape.txt", b"bad")
    job = run(engine, f"oss://{oss_bucket.bucket_name}/p/", tmp_path / "d" / "e", recursive=True)
    assert job.state is TaskState.FAILED
    assert (tmp_path / "d" / "e" / "ok.txt").read_bytes() == b"ok"
    assert not (tmp_path / "escape.txt").exists()
    [failure] = job.failures
    assert "not a safe local path" in failure.message


def test_a_folder_walk_starts_moving_before_it_ends(engine, oss_bucket, tmp_path):
    # The walk is a generator: the first file is done while files_total still grows.
    for i in range(30):
        (tmp_path / "many").mkdir(exist_ok=True)
        (tmp_path / "many" / f"{i:03}.txt").write_bytes(b"x")
    seen_scanning_progress = []

    job = engine.submit(str(tmp_path / "many"), f"oss://{oss_bucket.bucket_name}/m/",
                        recursive=True)  # fmt: skip
    assert job.wait(30)
    snap = job.snapshot()
    assert snap.state is TaskState.DONE and snap.files_done == 30 and not snap.scanning
    assert seen_scanning_progress == []


def test_archived_object_is_refused_with_the_restore_hint(engine, oss_bucket, tmp_path):
    oss_bucket.put_object("cold.bin", b"x" * 10, headers={"x-oss-storage-class": "Archive"})
    job = run(engine, f"oss://{oss_bucket.bucket_name}/cold.bin", tmp_path / "cold.bin")
    assert job.state is TaskState.FAILED
    assert "restore" in job.error.lower()
    assert not os.listdir(tmp_path) or not (tmp_path / "cold.bin").exists()


def test_missing_source_fails_with_a_readable_message(engine, oss_bucket, tmp_path):
    job = run(engine, f"oss://{oss_bucket.bucket_name}/nope.bin", tmp_path / "x")
    assert job.state is TaskState.FAILED and "does not exist" in job.error
