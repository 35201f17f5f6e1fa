"""PutObject, GetObject (ranges, conditions, overrides), HeadObject, DeleteObject via oss2."""

import base64
import hashlib
import time
from email.utils import formatdate

import oss2
import pytest

from ossbrowse.crc64 import crc64
from tests.emulator.helpers import signed_request

DATA = bytes(range(256)) * 40  # 10,240 bytes


def test_put_get_round_trip_with_oss_headers(oss_bucket):
    result = oss_bucket.put_object("dir/file.bin", DATA)
    md5 = hashlib.md5(DATA).hexdigest().upper()
    assert result.etag == md5
    assert result.crc == crc64(DATA)
    got = oss_bucket.get_object("dir/file.bin")
    assert got.read() == DATA
    headers = got.headers
    assert headers["ETag"] == f'"{md5}"'
    assert headers["x-oss-hash-crc64ecma"] == str(crc64(DATA))
    assert headers["x-oss-object-type"] == "Normal"
    assert headers["x-oss-storage-class"] == "Standard"
    assert headers["Accept-Ranges"] == "bytes"
    assert len(headers["x-oss-request-id"]) == 24
    assert headers["Content-Length"] == str(len(DATA))


def test_metadata_content_type_and_stored_headers(oss_bucket):
    oss_bucket.put_object(
        "m.txt",
        b"x",
        headers={
            "Content-Type": "text/x-test",
            "x-oss-meta-Owner": "ann",
            "Content-Disposition": "attachment",
            "Cache-Control": "no-cache",
        },
    )
    head = oss_bucket.head_object("m.txt")
    assert head.content_type == "text/x-test"
    assert head.headers["x-oss-meta-owner"] == "ann"
    assert head.headers["Content-Disposition"] == "attachment"
    assert head.headers["Cache-Control"] == "no-cache"
    assert head.content_length == 1


def test_content_type_guessed_from_key(oss_bucket):
    oss_bucket.put_object("page.html", b"<p>")
    assert oss_bucket.head_object("page.html").content_type == "text/html"


def test_content_md5_checked(oss_bucket):
    good = base64.b64encode(hashlib.md5(b"abc").digest()).decode()
    oss_bucket.put_object("ok", b"abc", headers={"Content-MD5": good})
    with pytest.raises(oss2.exceptions.InvalidDigest):
        oss_bucket.put_object("bad", b"abd", headers={"Content-MD5": good})
    with pytest.raises(oss2.exceptions.NoSuchKey):
        oss_bucket.get_object("bad")


def test_chunked_upload(oss_bucket):
    def pieces():
        yield b"hello "
        yield b"chunked "
        yield b"world"

    oss_bucket.put_object("chunked", pieces())
    assert oss_bucket.get_object("chunked").read() == b"hello chunked world"


def test_empty_object(oss_bucket):
    oss_bucket.put_object("dir/", b"")
    assert oss_bucket.get_object("dir/").read() == b""
    assert oss_bucket.head_object("dir/").content_length == 0


def test_forbid_overwrite(oss_bucket):
    oss_bucket.put_object("once", b"1")
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.put_object("once", b"2", headers={"x-oss-forbid-overwrite": "true"})
    assert info.value.status == 409 and info.value.code == "FileAlreadyExists"
    assert oss_bucket.get_object("once").read() == b"1"


def test_storage_class_header(oss_bucket):
    oss_bucket.put_object("ia", b"1", headers={"x-oss-storage-class": "IA"})
    assert oss_bucket.head_object("ia").headers["x-oss-storage-class"] == "IA"
    with pytest.raises(oss2.exceptions.InvalidArgument):
        oss_bucket.put_object("bad", b"1", headers={"x-oss-storage-class": "Gold"})


@pytest.mark.parametrize(
    "byte_range, expected",
    [
        ((0, 0), DATA[:1]),
        ((10, 19), DATA[10:20]),
        ((100, None), DATA[100:]),
        ((None, 10), DATA[-10:]),
        ((10000, 99999), DATA[10000:]),  # end past the size is clamped
    ],
)
def test_ranges(oss_bucket, byte_range, expected):
    oss_bucket.put_object("r", DATA)
    got = oss_bucket.get_object("r", byte_range=byte_range)
    assert got.read() == expected
    assert got.status == 206
    # The CRC header is the whole object's, also on a ranged read.
    assert got.headers["x-oss-hash-crc64ecma"] == str(crc64(DATA))
    start = len(DATA) - len(expected) if byte_range[0] is None else byte_range[0]
    assert got.headers["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/10240"


def test_unsatisfiable_range_is_whole_object_unless_standard(oss_bucket):
    oss_bucket.put_object("r", DATA)
    got = oss_bucket.get_object("r", byte_range=(20000, 30000))
    assert got.status == 200 and got.read() == DATA
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.get_object(
            "r", byte_range=(20000, 30000), headers={"x-oss-range-behavior": "standard"}
        )
    assert info.value.status == 416 and info.value.code == "InvalidRange"


def test_malformed_range_ignored(oss_bucket):
    oss_bucket.put_object("r", DATA)
    got = oss_bucket.get_object("r", headers={"Range": "bytes=20-10"})
    assert got.status == 200 and got.read() == DATA


def test_conditions(oss_bucket):
    etag = oss_bucket.put_object("c", b"abc").etag
    later = formatdate(time.time() + 3600, usegmt=True)
    earlier = formatdate(time.time() - 3600, usegmt=True)
    assert oss_bucket.get_object("c", headers={"If-Match": f'"{etag}"'}).read() == b"abc"
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        oss_bucket.get_object("c", headers={"If-Match": '"0000"'})
    with pytest.raises(oss2.exceptions.NotModified):
        oss_bucket.get_object("c", headers={"If-None-Match": f'"{etag}"'})
    with pytest.raises(oss2.exceptions.NotModified):
        oss_bucket.get_object("c", headers={"If-Modified-Since": later})
    assert oss_bucket.get_object("c", headers={"If-Modified-Since": earlier}).read() == b"abc"
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        oss_bucket.get_object("c", headers={"If-Unmodified-Since": earlier})
    assert oss_bucket.get_object("c", headers={"If-Unmodified-Since": later}).read() == b"abc"


def test_response_overrides(oss_bucket):
    oss_bucket.put_object("o.bin", b"abc")
    got = oss_bucket.get_object(
        "o.bin",
        params={
            "response-content-type": "text/plain",
            "response-content-disposition": 'attachment; filename="x.txt"',
            "response-cache-control": "max-age=5",
        },
    )
    assert got.headers["Content-Type"] == "text/plain"
    assert got.headers["Content-Disposition"] == 'attachment; filename="x.txt"'
    assert got.headers["Cache-Control"] == "max-age=5"


def test_head_and_meta_and_delete(oss_bucket):
    oss_bucket.put_object("h", b"12345")
    assert oss_bucket.head_object("h").content_length == 5
    meta = oss_bucket.get_object_meta("h")
    assert meta.content_length == 5 and meta.etag
    assert oss_bucket.object_exists("h")
    oss_bucket.delete_object("h")
    assert not oss_bucket.object_exists("h")
    oss_bucket.delete_object("h")  # deleting a missing key is not an error in OSS
    with pytest.raises(oss2.exceptions.NoSuchKey) as info:
        oss_bucket.get_object("h")
    assert info.value.details["Key"] == "h"
    with pytest.raises(oss2.exceptions.NotFound):
        oss_bucket.get_object_meta("h")


@pytest.mark.parametrize("key", ["/abs", "\\win", "x" * 1024, "é" * 512])
def test_invalid_object_names(oss_bucket, oss_server, key):
    # oss2 refuses some of these itself, so speak HTTP directly with a V1 signature.
    status, body = signed_request(oss_server, "PUT", oss_bucket.bucket_name, key, b"x")
    assert status == 400 and b"<Code>InvalidObjectName</Code>" in body


def test_unicode_and_odd_keys(oss_bucket):
    keys = ["ünïcødé/名字.txt", "a b+c%20d", "../../etc/passwd", "tab\there", "q?x=1&y#z"]
    for key in keys:
        oss_bucket.put_object(key, key.encode())
    for key in keys:
        assert oss_bucket.get_object(key).read() == key.encode()
    listed = [o.key for o in oss2.ObjectIteratorV2(oss_bucket)]
    assert listed == sorted(keys, key=lambda k: k.encode())


def test_no_such_bucket(make_bucket, oss_auth, oss_server):
    bucket = oss2.Bucket(oss_auth, oss_server.endpoint, "no-such-bucket-here")
    with pytest.raises(oss2.exceptions.NoSuchBucket) as info:
        bucket.get_object("x")
    assert info.value.details["BucketName"] == "no-such-bucket-here"


@pytest.mark.parametrize("chunked", [False, True])
def test_large_bodies_are_hashed_while_streaming(oss_bucket, chunked):
    data = bytes(range(256)) * (40 * 1024) + b"tail"  # ~10 MiB: goes through the helper thread
    body = (data[i : i + 300_000] for i in range(0, len(data), 300_000)) if chunked else data
    result = oss_bucket.put_object("big", body)
    assert result.etag == hashlib.md5(data).hexdigest().upper()
    assert result.crc == crc64(data)
    assert oss_bucket.get_object("big").read() == data


@pytest.mark.parametrize("auth_class", [oss2.Auth, oss2.AuthV4])
def test_non_ascii_user_metadata_passes_the_signature_check(make_bucket, oss_server, auth_class):
    """Issue 13.8: a metadata value sent as raw UTF-8 bytes (what oss2 does with a bytes
    value, and ali-oss with any text) is signed over those bytes; a Latin-1 text value is
    signed over its UTF-8 form. Both pass, and the bytes come back as they were sent."""
    auth = auth_class(oss_server.access_key_id, oss_server.access_key_secret)
    bucket = make_bucket(auth=auth, region=oss_server.region)
    bucket.put_object("k", b"x", headers={"x-oss-meta-city": "杭州".encode()})
    sent_back = bucket.head_object("k").headers["x-oss-meta-city"]
    assert sent_back.encode("latin-1").decode("utf-8") == "杭州"
    bucket.put_object("l", b"x", headers={"x-oss-meta-word": "café"})
    assert bucket.head_object("l").headers["x-oss-meta-word"] == "café"
    upload_id = bucket.init_multipart_upload("m", headers={"x-oss-meta-n": "名".encode()}).upload_id
    bucket.abort_multipart_upload("m", upload_id)
