"""A mount-like pair (a local folder mapped to a prefix of the local OSS server) with every kind
of difference, compared through the unmodified oss2 SDK over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from ossbrowse.mount.bucket_side import BucketSide
from ossbrowse.mount.compare import Mark, MountCompare
from ossbrowse.mount.writers import find_writers

PREFIX = "app/out/"


def _write(root, rel: str, data: bytes, mtime: float) -> None:
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    os.utime(path, (mtime, mtime))


class Pair:
    """The two sides, plus a child process holding files open for writing."""

    def __init__(self, root: str, bucket, child: subprocess.Popen) -> None:
        self.root, self.bucket, self.child = root, bucket, child

    def side(self) -> BucketSide:
        return BucketSide(self.bucket, PREFIX)

    def run(self, **kw) -> dict:
        compare = MountCompare(self.root, self.side(), writers=find_writers(self.root), **kw)
        entries = {e.key: e for e in compare.entries()}
        self.stats = compare.stats
        return entries


@pytest.fixture
def pair(tmp_path, oss_bucket):
    root = str(tmp_path / "mnt")
    os.makedirs(root)
    put = oss_bucket.put_object
    now = time.time()
    ossfs_meta = {"x-oss-meta-mode": "33188", "x-oss-meta-uid": "0", "x-oss-meta-gid": "0"}

    def put_meta(key: str, data: bytes, mtime: int, **headers) -> None:
        put(PREFIX + key, data, headers={**ossfs_meta, "x-oss-meta-mtime": str(mtime), **headers})

    # Objects as an ossfs mount would have written them: metadata, mtime a little before upload.
    put_meta("same.txt", b"same", int(now) - 30)
    put_meta("long-write.log", b"0123456789", int(now) - 600)  # open 10 min before its close
    put_meta("content.bin", b"AAAA", int(now) - 10)
    put_meta("touched.txt", b"touch", int(now) - 20)
    put_meta("rewritten.txt", b"v2v2", int(now) - 5)  # another instance rewrote it just now
    put_meta("changed.txt", b"old", int(now) - 40)
    put_meta("growing.bin", b"", int(now) - 3)  # the classic zero-byte object of an open file
    put_meta("implicit/inner.txt", b"in", int(now) - 30)
    put_meta("cold.dat", b"frozen", int(now) - 30, **{"x-oss-storage-class": "Archive"})
    put(PREFIX + "tool-upload.csv", b"a,b\n")  # uploaded by ossutil: no ossfs metadata
    put(PREFIX + "marked/", b"")  # a folder marker, as ossfs's mkdir makes
    put(PREFIX + "other-instance.txt", b"from elsewhere")
    put(PREFIX + "evil\x1b]0;pwned\x07.txt", b"x")  # a name with a terminal escape
    put("app/outside.txt", b"not under the prefix")

    listed = {
        o.key[len(PREFIX) :]: o for o in oss_bucket.list_objects_v2(prefix=PREFIX).object_list
    }

    def last_modified(key: str) -> float:
        return float(listed[key].last_modified)

    _write(root, "same.txt", b"same", int(now) - 30)
    _write(root, "long-write.log", b"0123456789", int(now) - 600)
    _write(root, "content.bin", b"BBBB", int(now) - 10)  # same size and time, other bytes
    _write(root, "touched.txt", b"touch", last_modified("touched.txt") + 100)  # touched here
    _write(root, "rewritten.txt", b"v1v1", int(now) - 900)  # the mount still shows v1
    _write(root, "changed.txt", b"new content", now + 5)
    _write(root, "growing.bin", b"x" * 1024, now)
    _write(root, "implicit/inner.txt", b"in", int(now) - 30)
    _write(root, "cold.dat", b"frozen", int(now) - 30)
    _write(root, "tool-upload.csv", b"a,b\n", last_modified("tool-upload.csv"))
    os.makedirs(os.path.join(root, "marked"))
    os.makedirs(os.path.join(root, "empty-here"))
    _write(root, "new.txt", b"not flushed", now)
    _write(root, "writing.log", b"partial", now)

    # A child process writing two files: one new, one whose bucket copy is still empty.
    code = (
        "import sys, time\n"
        "a = open(sys.argv[1], 'a'); b = open(sys.argv[2], 'r+b')\n"
        "print('ready', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            os.path.join(root, "writing.log"),
            os.path.join(root, "growing.bin"),
        ],
        stdout=subprocess.PIPE,
    )
    assert child.stdout.readline().strip() == b"ready"
    try:
        yield Pair(root, oss_bucket, child)
    finally:
        child.kill()
        child.wait()


def test_every_kind_of_difference_is_marked_with_its_reason(pair):
    entries = pair.run()
    marks = {key: entry.marks for key, entry in entries.items()}

    assert marks["same.txt"] == (Mark.SAME,)
    assert marks["long-write.log"] == (Mark.SAME,)  # HEADed: x-oss-meta-mtime agrees
    assert marks["content.bin"] == (Mark.SAME,)  # without --crc, same size and time is same
    assert marks["implicit/"] == (Mark.SAME,)
    assert "implied by the keys under it" in entries["implicit/"].reason
    assert marks["implicit/inner.txt"] == (Mark.SAME,)

    assert marks["new.txt"] == (Mark.ONLY_IN_MOUNT,)
    assert "not flushed or closed yet" in entries["new.txt"].reason
    assert marks["empty-here/"] == (Mark.ONLY_IN_MOUNT,)

    writing = entries["writing.log"]
    assert writing.marks == (Mark.ONLY_IN_MOUNT, Mark.OPEN_FOR_WRITING)
    assert f"PID {pair.child.pid} (python" in writing.reason
    assert "reaches OSS on flush or close" in writing.reason

    growing = entries["growing.bin"]
    assert growing.marks == (Mark.SIZE_DIFFERS, Mark.OPEN_FOR_WRITING)
    assert "the bucket holds an empty object" in growing.reason
    assert f"PID {pair.child.pid}" in growing.reason

    assert marks["changed.txt"] == (Mark.SIZE_DIFFERS,)
    assert "changed in the mount and not flushed yet" in entries["changed.txt"].reason

    assert marks["touched.txt"] == (Mark.MTIME_DIFFERS,)
    assert "changed in the mount after the bucket copy" in entries["touched.txt"].reason
    assert marks["rewritten.txt"] == (Mark.MTIME_DIFFERS,)
    assert "written later, by another instance" in entries["rewritten.txt"].reason

    assert marks["other-instance.txt"] == (Mark.ONLY_IN_BUCKET,)
    assert "another instance or tool" in entries["other-instance.txt"].reason
    assert marks["evil\x1b]0;pwned\x07.txt"] == (Mark.ONLY_IN_BUCKET,)

    assert marks["marked/"] == (Mark.FOLDER_MARKER,)
    assert entries["marked/"].in_sync

    cold = entries["cold.dat"]
    assert cold.marks == (Mark.ARCHIVED,) and cold.in_sync
    assert "Input/output error" in cold.reason

    assert marks["tool-upload.csv"] == (Mark.SAME,)  # not HEADed: its time fits the upload
    assert "outside.txt" not in entries and "../outside.txt" not in entries

    keys = list(entries)
    merged = [k for k in keys if entries[k].upload is None]
    assert merged == sorted(merged, key=lambda k: k.encode())
    assert not pair.stats.in_sync
    # 1 listing page (+ the uploads listing); HEADs only where the listing could not answer.
    assert pair.stats.head_requests == 3  # long-write.log, touched.txt, rewritten.txt


def test_crc_compares_content(pair):
    entries = pair.run(crc=True)
    assert entries["content.bin"].marks == (Mark.CRC_DIFFERS,)
    assert "CRC-64" in entries["content.bin"].reason
    assert entries["same.txt"].marks == (Mark.SAME,)
    assert entries["same.txt"].reason.startswith("same size and CRC-64")


def test_meta_finds_objects_without_ossfs_metadata(pair):
    entries = pair.run(meta=True)
    tool = entries["tool-upload.csv"]
    assert tool.marks == (Mark.NO_METADATA,)
    assert "x-oss-meta-mode, x-oss-meta-mtime" in tool.reason
    assert "default permissions" in tool.reason
    assert entries["same.txt"].marks == (Mark.SAME,)


def test_incomplete_multipart_upload_is_reported_with_its_age(pair):
    import oss2

    try:
        pair.bucket.init_multipart_upload(PREFIX + "big.bin")
    except oss2.exceptions.ServerError as exc:
        if exc.status == 501:
            pytest.skip("the local OSS server does not do multipart uploads yet")
        raise
    entries = pair.run(now=time.time() + 7200)
    upload = entries["big.bin"]
    assert upload.marks == (Mark.INCOMPLETE_UPLOAD,)
    assert "started 2 h ago" in upload.reason
    assert "abort" in upload.reason


def test_in_sync_pair_over_several_pages(tmp_path, oss_bucket):
    root = tmp_path / "mnt"
    root.mkdir()
    for i in range(25):
        key = f"d{i % 3}/f{i:03d}"
        oss_bucket.put_object(PREFIX + key, b"x" * i)
    for obj in oss2_iter(oss_bucket):
        _write(str(root), obj.key[len(PREFIX) :], b"x" * obj.size, obj.last_modified)
    compare = MountCompare(str(root), BucketSide(oss_bucket, PREFIX, page_size=7))
    entries = list(compare.entries())
    assert all(e.mark is Mark.SAME for e in entries), [
        e for e in entries if e.mark is not Mark.SAME
    ]
    assert compare.stats.in_sync and compare.stats.entries == 28  # 25 files and 3 folders
    assert compare.stats.list_requests >= 4


def oss2_iter(bucket):
    import oss2

    return oss2.ObjectIteratorV2(bucket, prefix=PREFIX)


class _PlainBucket:
    """The real oss2 bucket seen without its `_do` primitive: the SDK's own parser is used."""

    def __init__(self, bucket) -> None:
        self._bucket = bucket
        self.bucket_name = bucket.bucket_name

    def list_objects_v2(self, **kw):
        return self._bucket.list_objects_v2(**kw)


def test_fast_listing_matches_the_sdk_parser(oss_bucket):
    for key in ["a b+c%20.txt", "dir/é €", "dir/q?x#y", "z\x01ctl"]:
        oss_bucket.put_object(PREFIX + key, b"data")
    oss_bucket.put_object(PREFIX + "arch", b"x", headers={"x-oss-storage-class": "Archive"})
    fast = list(BucketSide(oss_bucket, PREFIX, page_size=2).iter_items())
    plain = list(BucketSide(_PlainBucket(oss_bucket), PREFIX, page_size=2).iter_items())
    assert fast == plain
    assert [i.key for i in fast] == ["a b+c%20.txt", "arch", "dir/q?x#y", "dir/é €", "z\x01ctl"]
    assert fast[1].storage_class == "Archive"
