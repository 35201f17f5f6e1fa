"""CopyObject, AppendObject, DeleteMultipleObjects and object ACLs through oss2."""

import base64
import hashlib
from urllib.parse import unquote
from xml.etree import ElementTree

import oss2
import pytest
from oss2 import xml_utils

from ossbrowse.crc64 import crc64
from tests.emulator.helpers import signed_request


def test_copy_keeps_metadata_by_default(oss_bucket):
    oss_bucket.put_object("src key/ü", b"body", headers={"x-oss-meta-a": "1",
                                                        "Content-Type": "text/x"})  # fmt: skip
    result = oss_bucket.copy_object(oss_bucket.bucket_name, "src key/ü", "dst")
    assert result.crc == crc64(b"body")
    head = oss_bucket.head_object("dst")
    assert head.headers["x-oss-meta-a"] == "1" and head.content_type == "text/x"
    assert oss_bucket.get_object("dst").read() == b"body"
    assert head.etag == oss_bucket.head_object("src key/ü").etag


def test_copy_replace_metadata_and_storage_class(oss_bucket):
    oss_bucket.put_object("s", b"x", headers={"x-oss-meta-a": "1"})
    oss_bucket.copy_object(oss_bucket.bucket_name, "s", "s", headers={
        "x-oss-metadata-directive": "REPLACE", "x-oss-meta-b": "2",
        "x-oss-storage-class": "IA"})  # fmt: skip
    head = oss_bucket.head_object("s")
    assert head.headers["x-oss-meta-b"] == "2" and "x-oss-meta-a" not in head.headers
    assert head.headers["x-oss-storage-class"] == "IA"


def test_copy_between_buckets_and_missing_source(make_bucket):
    a, b = make_bucket(), make_bucket()
    a.put_object("k", b"v")
    b.copy_object(a.bucket_name, "k", "k2")
    assert b.get_object("k2").read() == b"v"
    with pytest.raises(oss2.exceptions.NoSuchKey):
        b.copy_object(a.bucket_name, "missing", "k3")


def test_copy_source_conditions(oss_bucket):
    etag = oss_bucket.put_object("s", b"x").etag
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        oss_bucket.copy_object(oss_bucket.bucket_name, "s", "d",
                               headers={"x-oss-copy-source-if-match": '"00"'})  # fmt: skip
    oss_bucket.copy_object(oss_bucket.bucket_name, "s", "d",
                           headers={"x-oss-copy-source-if-match": f'"{etag}"'})  # fmt: skip


def test_copy_over_one_gb_refused(oss_bucket, oss_server):
    oss_bucket.put_object("huge", b"x")
    meta = oss_server.store.get(oss_bucket.bucket_name, "huge")
    meta.size = (1 << 30) + 1  # pretend: the size check comes before any byte is read
    try:
        with pytest.raises(oss2.exceptions.ServerError) as info:
            oss_bucket.copy_object(oss_bucket.bucket_name, "huge", "copy")
        assert info.value.status == 400
    finally:
        meta.size = 1


def test_append_life_cycle(oss_bucket):
    r1 = oss_bucket.append_object("log", 0, b"one\n")
    assert r1.next_position == 4 and r1.crc == crc64(b"one\n")
    r2 = oss_bucket.append_object("log", 4, b"two\n", init_crc=r1.crc)  # enable_crc checks
    assert r2.next_position == 8
    assert oss_bucket.get_object("log").read() == b"one\ntwo\n"
    head = oss_bucket.head_object("log")
    assert head.headers["x-oss-object-type"] == "Appendable"
    assert head.headers["x-oss-next-append-position"] == "8"
    with pytest.raises(oss2.exceptions.PositionNotEqualToLength) as info:
        oss_bucket.append_object("log", 3, b"bad")
    assert info.value.headers["x-oss-next-append-position"] == "8"
    with pytest.raises(oss2.exceptions.PositionNotEqualToLength):
        oss_bucket.append_object("new-log", 5, b"bad")


def test_append_to_normal_object_refused(oss_bucket):
    oss_bucket.put_object("n", b"x")
    with pytest.raises(oss2.exceptions.ObjectNotAppendable):
        oss_bucket.append_object("n", 1, b"y")


def test_delete_multiple(oss_bucket):
    keys = [f"d/{i}" for i in range(5)] + ["ü key"]
    for key in keys:
        oss_bucket.put_object(key, b"")
    result = oss_bucket.batch_delete_objects([*keys, "never-existed"])
    assert sorted(result.deleted_keys) == sorted([*keys, "never-existed"])
    assert list(oss2.ObjectIteratorV2(oss_bucket)) == []


def test_delete_multiple_quiet_and_limit(oss_bucket, oss_server):
    oss_bucket.put_object("q", b"")
    body = xml_utils.to_batch_delete_objects_request(["q"], True)
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    status, answer = signed_request(
        oss_server, "POST", oss_bucket.bucket_name, "", body,
        headers={"Content-MD5": md5}, params={"delete": ""},
        path=f"/{oss_bucket.bucket_name}/",
    )  # fmt: skip
    assert status == 200 and b"<Deleted>" not in answer
    assert not oss_bucket.object_exists("q")
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.batch_delete_objects([f"k{i}" for i in range(1001)])
    assert info.value.code == "MalformedXML"


def test_object_acl(oss_bucket):
    oss_bucket.put_object("a", b"x")
    assert oss_bucket.get_object_acl("a").acl == "default"
    oss_bucket.put_object_acl("a", oss2.OBJECT_ACL_PUBLIC_READ)
    assert oss_bucket.get_object_acl("a").acl == "public-read"
    anonymous = oss2.Bucket(oss2.AnonymousAuth(), oss_bucket.endpoint, oss_bucket.bucket_name)
    assert anonymous.get_object("a").read() == b"x"
    oss_bucket.put_object("private", b"x")
    with pytest.raises(oss2.exceptions.AccessDenied):
        anonymous.get_object("private")


def test_copy_replace_keeps_content_type_and_client_encryption_meta(oss_bucket):
    """Issue 13.9: REPLACE without a Content-Type keeps the source's; REPLACE never drops the
    client-side encryption metadata (the copy could not be decrypted without it)."""
    oss_bucket.put_object("s", b"x", headers={
        "Content-Type": "text/csv", "x-oss-meta-a": "1",
        "x-oss-meta-client-side-encryption-key": "a2V5",
        "x-oss-meta-client-side-encryption-start": "c3RhcnQ="})  # fmt: skip
    oss_bucket.copy_object(oss_bucket.bucket_name, "s", "d", headers={
        "x-oss-metadata-directive": "REPLACE", "x-oss-meta-b": "2"})  # fmt: skip
    head = oss_bucket.head_object("d")
    assert head.content_type == "text/csv"
    assert head.headers["x-oss-meta-b"] == "2" and "x-oss-meta-a" not in head.headers
    assert head.headers["x-oss-meta-client-side-encryption-key"] == "a2V5"
    assert head.headers["x-oss-meta-client-side-encryption-start"] == "c3RhcnQ="
    oss_bucket.copy_object(oss_bucket.bucket_name, "s", "e", headers={
        "x-oss-metadata-directive": "REPLACE", "Content-Type": "text/plain"})  # fmt: skip
    assert oss_bucket.head_object("e").content_type == "text/plain"


def _raw_delete(server, bucket, body: bytes, url: bool = True):
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    params = {"delete": "", **({"encoding-type": "url"} if url else {})}
    return signed_request(server, "POST", bucket, "", body, headers={"Content-MD5": md5},
                          params=params, path=f"/{bucket}/")  # fmt: skip


def test_delete_multiple_keys_with_control_characters_as_references(oss_bucket, oss_server):
    """Issue 13.7: OSS accepts control characters written as numeric character references
    (`&#01;`, `&#x1f;`), which XML 1.0 forbids even as references."""
    keys = [f"ctl/{i:02d}-{chr(i)}.txt" for i in range(1, 32)]
    for key in keys:
        oss_bucket.put_object(key, b"")
    objects = []
    for i, key in enumerate(keys, start=1):
        ref = f"&#{i:02d};" if i % 2 else f"&#x{i:x};"
        objects.append(f"<Object><Key>{key.replace(chr(i), ref)}</Key></Object>")
    body = f"<Delete><Quiet>false</Quiet>{''.join(objects)}</Delete>".encode()
    status, answer = _raw_delete(oss_server, oss_bucket.bucket_name, body)
    assert status == 200, answer
    assert list(oss2.ObjectIteratorV2(oss_bucket)) == []
    # url-encoded, so that XML can carry them back
    deleted = [unquote(k.text) for k in ElementTree.fromstring(answer).iter("Key")]
    assert sorted(deleted) == sorted(keys)


def test_delete_multiple_control_and_chinese_keys_through_v2(oss_bucket, oss_server):
    import alibabacloud_oss_v2 as oss

    from tests.emulator.sdk_v2 import v2_client

    keys = ["src/bell\x07.txt", "src/esc\x1b[31m", *[f"中文目录/文件{i}.txt" for i in range(20)]]
    for key in keys:
        oss_bucket.put_object(key, b"x")
    client = v2_client(oss_server)
    result = client.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(
            bucket=oss_bucket.bucket_name,
            objects=[oss.DeleteObject(key=k) for k in keys],
            encoding_type="url",
        )
    )
    assert sorted(o.key for o in result.deleted_objects) == sorted(keys)
    assert list(oss2.ObjectIteratorV2(oss_bucket)) == []
    chinese = [f"批量/删除{i}" for i in range(50)]
    for key in chinese:
        oss_bucket.put_object(key, b"x")
    assert sorted(oss_bucket.batch_delete_objects(chinese).deleted_keys) == sorted(chinese)


def test_delete_multiple_refuses_raw_control_bytes_and_keeps_escaped_text(oss_bucket, oss_server):
    oss_bucket.put_object("a\x07b", b"")
    raw = b"<Delete><Object><Key>a\x07b</Key></Object></Delete>"
    status, answer = _raw_delete(oss_server, oss_bucket.bucket_name, raw)
    assert status == 400 and b"MalformedXML" in answer  # not XML at all
    oss_bucket.put_object("literal &#07; text", b"")
    body = b"<Delete><Object><Key>literal &amp;#07; text</Key></Object></Delete>"
    status, _ = _raw_delete(oss_server, oss_bucket.bucket_name, body)
    assert status == 200 and not oss_bucket.object_exists("literal &#07; text")
    assert oss_bucket.object_exists("a\x07b")


def test_encrypted_object_copied_with_replace_still_decrypts(oss_bucket, oss_auth):
    """Issue 13.9 through oss2's own client-side encryption: a REPLACE copy keeps the
    x-oss-meta-client-side-encryption-* that the CryptoBucket needs to read it back."""
    from Crypto.PublicKey import RSA
    from oss2.crypto import RsaProvider

    key = RSA.generate(2048)
    pair = {"private_key": key.export_key().decode(),
            "public_key": key.publickey().export_key().decode()}  # fmt: skip
    crypto = oss2.CryptoBucket(oss_auth, oss_bucket.endpoint, oss_bucket.bucket_name,
                               crypto_provider=RsaProvider(key_pair=pair))  # fmt: skip
    crypto.put_object("e", b"secret data", headers={"Content-Type": "text/plain"})
    oss_bucket.copy_object(oss_bucket.bucket_name, "e", "e2",
                           headers={"x-oss-metadata-directive": "REPLACE"})  # fmt: skip
    assert crypto.get_object("e2").read() == b"secret data"
    assert oss_bucket.head_object("e2").content_type == "text/plain"
