"""Flush-on-close files: visibility rules, re-publishing without re-sending, append, reads."""

import os

import pytest

import ossbrowse.transfer as transfer
from ossbrowse.errors import UsageError


def _open(bucket_for, bucket, key, mode, **kw):
    return transfer.open(f"oss://{bucket.bucket_name}/{key}", mode, bucket_for=bucket_for, **kw)


def test_nothing_is_visible_until_flush(bucket_for, oss_bucket):
    f = _open(bucket_for, oss_bucket, "w.txt", "wb", part_size=102_400)
    f.write(b"hello ")
    assert not oss_bucket.object_exists("w.txt")  # a second client sees nothing yet
    f.flush()
    assert oss_bucket.get_object("w.txt").read() == b"hello "
    f.write(b"world")
    assert oss_bucket.get_object("w.txt").read() == b"hello "  # unflushed: old version
    f.close()
    assert oss_bucket.get_object("w.txt").read() == b"hello world"


def test_large_writes_go_in_background_parts_and_republish_by_copy(bucket_for, oss_bucket):
    first, second = os.urandom(250_000), os.urandom(150_000)
    with _open(bucket_for, oss_bucket, "big.bin", "wb", part_size=102_400) as f:
        f.write(first)
        assert f._upload_id is not None  # two full parts already on their way
        assert not oss_bucket.object_exists("big.bin")
        f.flush()
        assert oss_bucket.get_object("big.bin").read() == first
        f.write(second)
    assert oss_bucket.get_object("big.bin").read() == first + second


def test_republish_sends_only_new_bytes(bucket_for, oss_bucket, monkeypatch):
    sent = []
    bucket = bucket_for(oss_bucket.bucket_name)
    real = bucket.upload_part

    def counting(key, upload_id, number, data, *a, **kw):
        sent.append(len(data))
        return real(key, upload_id, number, data, *a, **kw)

    monkeypatch.setattr(bucket, "upload_part", counting)
    first, second = os.urandom(300_000), os.urandom(1000)
    f = _open(bucket_for, oss_bucket, "grow.bin", "wb", part_size=102_400)
    f.write(first)
    f.flush()
    before = sum(sent)
    f.write(second)
    f.close()
    assert sum(sent) - before == 1000  # the published 300,000 bytes were copied inside OSS
    assert oss_bucket.get_object("grow.bin").read() == first + second


def test_an_exception_in_with_publishes_nothing_new(bucket_for, oss_bucket):
    with pytest.raises(RuntimeError), _open(bucket_for, oss_bucket, "x.bin", "wb",
                                            part_size=102_400) as f:  # fmt: skip
        f.write(b"a" * 10)
        f.flush()
        f.write(os.urandom(300_000))  # parts in flight
        raise RuntimeError("boom")
    assert oss_bucket.get_object("x.bin").read() == b"a" * 10
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []


def test_append_mode(bucket_for, oss_bucket):
    with _open(bucket_for, oss_bucket, "log.txt", "ab") as f:
        f.write(b"one\n")
        assert not oss_bucket.object_exists("log.txt")
        f.flush()
        f.write(b"two\n")
    with _open(bucket_for, oss_bucket, "log.txt", "ab") as f:
        f.write(b"three\n")
    result = oss_bucket.get_object("log.txt")
    assert result.read() == b"one\ntwo\nthree\n"
    assert result.headers["x-oss-object-type"] == "Appendable"
    oss_bucket.put_object("normal.txt", b"x")
    with pytest.raises(UsageError, match="Appendable"):
        _open(bucket_for, oss_bucket, "normal.txt", "ab")


def test_ranged_reads_with_seek_and_read_ahead(bucket_for, oss_bucket):
    data = os.urandom(300_000)
    oss_bucket.put_object("r.bin", data)
    with _open(bucket_for, oss_bucket, "r.bin", "rb", read_block=65_536) as f:
        assert f.read(10) == data[:10]
        f.seek(200_000)
        assert f.read(70_000) == data[200_000:270_000]
        f.seek(-5, os.SEEK_END)
        assert f.read() == data[-5:]
        f.seek(0)
        assert f.read() == data


def test_body_damaged_on_the_way_never_replaces_the_object(bucket_for, oss_bucket, oss_faults):
    from ossbrowse.fs.retrying import RetryPolicy

    oss_bucket.put_object("w.txt", b"old content")
    oss_faults.add("put_object:corrupt:count=1")
    fast = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02)
    with _open(bucket_for, oss_bucket, "w.txt", "wb", retry=fast) as f:
        f.write(b"new content")
    # Content-MD5 made the damaged body a refusal (InvalidDigest), retried whole.
    assert oss_bucket.get_object("w.txt").read() == b"new content"


def test_small_upload_sends_content_md5(engine, oss_bucket, oss_faults, tmp_path):
    from tests.transfer.conftest import run

    (tmp_path / "a.txt").write_bytes(b"payload" * 100)
    oss_faults.add("put_object:corrupt:count=1")
    job = run(engine, tmp_path / "a.txt", f"oss://{oss_bucket.bucket_name}/a.txt")
    assert job.state.name == "DONE"
    assert oss_bucket.get_object("a.txt").read() == b"payload" * 100
