"""Multipart uploads through oss2: parts, copy parts, complete rules, listings, resumable."""

import base64
import hashlib
import os

import oss2
import pytest
from oss2.models import PartInfo

from ossbrowse.crc64 import crc64
from tests.emulator.helpers import signed_request

PART = 100 * 1024


def test_upload_complete_and_headers(oss_bucket):
    data = os.urandom(2 * PART + 10)
    upload_id = oss_bucket.init_multipart_upload("big", headers={"Content-Type": "x/y"}).upload_id
    parts = []
    for number, start in enumerate(range(0, len(data), PART), 1):
        result = oss_bucket.upload_part("big", upload_id, number, data[start : start + PART])
        assert result.crc == crc64(data[start : start + PART])
        parts.append(PartInfo(number, result.etag, size=len(data[start : start + PART]),
                              part_crc=result.crc))  # fmt: skip
    assert not oss_bucket.object_exists("big")  # invisible until completed
    done = oss_bucket.complete_multipart_upload("big", upload_id, parts)  # enable_crc checks
    assert done.crc == crc64(data)
    got = oss_bucket.get_object("big")
    assert got.read() == data
    assert got.headers["x-oss-object-type"] == "Multipart"
    assert got.headers["Content-Type"] == "x/y"
    md5s = b"".join(hashlib.md5(data[s : s + PART]).digest() for s in range(0, len(data), PART))
    assert got.headers["ETag"] == f'"{hashlib.md5(md5s).hexdigest().upper()}-3"'


def test_initiate_keeps_existing_object(oss_bucket):
    oss_bucket.put_object("k", b"old")
    upload_id = oss_bucket.init_multipart_upload("k").upload_id
    oss_bucket.upload_part("k", upload_id, 1, b"new")
    assert oss_bucket.get_object("k").read() == b"old"
    oss_bucket.abort_multipart_upload("k", upload_id)
    assert oss_bucket.get_object("k").read() == b"old"
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        oss_bucket.upload_part("k", upload_id, 2, b"x")


def test_entity_too_small_and_invalid_part(oss_bucket):
    upload_id = oss_bucket.init_multipart_upload("s").upload_id
    r1 = oss_bucket.upload_part("s", upload_id, 1, b"a" * 10)
    r2 = oss_bucket.upload_part("s", upload_id, 2, b"b" * 10)
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.complete_multipart_upload(
            "s", upload_id, [PartInfo(1, r1.etag), PartInfo(2, r2.etag)]
        )
    assert info.value.code == "EntityTooSmall"
    for wrong in (PartInfo(1, "00" * 16), PartInfo(3, r1.etag)):
        with pytest.raises(oss2.exceptions.ServerError) as info:
            oss_bucket.complete_multipart_upload("s", upload_id, [wrong])
        assert (info.value.status, info.value.code) == (400, "InvalidPart")
    # A single small part is fine: the last part has no minimum.
    oss_bucket.complete_multipart_upload("s", upload_id, [PartInfo(1, r1.etag)])
    assert oss_bucket.get_object("s").read() == b"a" * 10


def test_invalid_part_order(oss_bucket, oss_server):
    upload_id = oss_bucket.init_multipart_upload("o").upload_id
    e1 = oss_bucket.upload_part("o", upload_id, 1, b"a" * PART).etag
    e2 = oss_bucket.upload_part("o", upload_id, 2, b"b").etag
    body = (
        "<CompleteMultipartUpload>"
        f'<Part><PartNumber>2</PartNumber><ETag>"{e2}"</ETag></Part>'
        f'<Part><PartNumber>1</PartNumber><ETag>"{e1}"</ETag></Part>'
        "</CompleteMultipartUpload>"
    ).encode()
    status, answer = signed_request(oss_server, "POST", oss_bucket.bucket_name, "o", body,
                                    params={"uploadId": upload_id})  # fmt: skip
    assert status == 400 and b"<Code>InvalidPartOrder</Code>" in answer


def test_complete_all(oss_bucket):
    upload_id = oss_bucket.init_multipart_upload("all").upload_id
    oss_bucket.upload_part("all", upload_id, 1, b"a" * PART)
    oss_bucket.upload_part("all", upload_id, 2, b"b")
    oss_bucket.complete_multipart_upload("all", upload_id, None,
                                         headers={"x-oss-complete-all": "yes"})  # fmt: skip
    assert oss_bucket.get_object("all").read() == b"a" * PART + b"b"


def test_list_parts_paging(oss_bucket):
    upload_id = oss_bucket.init_multipart_upload("lp").upload_id
    for n in (1, 2, 3, 5):
        oss_bucket.upload_part("lp", upload_id, n, bytes([n]) * n)
    parts = list(oss2.PartIterator(oss_bucket, "lp", upload_id, max_parts=2))
    assert [p.part_number for p in parts] == [1, 2, 3, 5]
    assert [p.size for p in parts] == [1, 2, 3, 5]
    page = oss_bucket.list_parts("lp", upload_id, marker="2", max_parts=1)
    assert [p.part_number for p in page.parts] == [3] and page.is_truncated
    assert page.next_marker == "3"


def test_reupload_part_replaces_it(oss_bucket):
    upload_id = oss_bucket.init_multipart_upload("re").upload_id
    oss_bucket.upload_part("re", upload_id, 1, b"first")
    etag = oss_bucket.upload_part("re", upload_id, 1, b"second").etag
    oss_bucket.complete_multipart_upload("re", upload_id, [PartInfo(1, etag)])
    assert oss_bucket.get_object("re").read() == b"second"


def test_list_multipart_uploads_paging_and_delimiter(oss_bucket):
    ids = {}
    for key in ("a/1", "a/2", "b", "b", "c/d/e"):
        ids.setdefault(key, []).append(oss_bucket.init_multipart_upload(key).upload_id)
    seen = [(u.key, u.upload_id) for u in oss2.MultipartUploadIterator(oss_bucket, max_uploads=2)]
    assert [k for k, _ in seen] == ["a/1", "a/2", "b", "b", "c/d/e"]
    assert sorted(i for k, i in seen if k == "b") == sorted(ids["b"])
    top = [u.key for u in oss2.MultipartUploadIterator(oss_bucket, delimiter="/", max_uploads=1)]
    assert top == ["a/", "b", "b", "c/"]
    under = oss_bucket.list_multipart_uploads(prefix="a/")
    assert [u.key for u in under.upload_list] == ["a/1", "a/2"]


def test_upload_part_copy_with_range(oss_bucket):
    source = os.urandom(3 * PART)
    oss_bucket.put_object("src", source)
    upload_id = oss_bucket.init_multipart_upload("dst").upload_id
    r1 = oss_bucket.upload_part_copy(oss_bucket.bucket_name, "src", (0, PART - 1), "dst",
                                     upload_id, 1)  # fmt: skip
    r2 = oss_bucket.upload_part_copy(oss_bucket.bucket_name, "src", (2 * PART, 3 * PART - 1),
                                     "dst", upload_id, 2)  # fmt: skip
    assert r1.etag == hashlib.md5(source[:PART]).hexdigest().upper()
    oss_bucket.complete_multipart_upload(
        "dst", upload_id, [PartInfo(1, r1.etag), PartInfo(2, r2.etag)]
    )
    assert oss_bucket.get_object("dst").read() == source[:PART] + source[2 * PART :]


def test_resumable_upload_and_download_threads(oss_bucket, tmp_path):
    data = os.urandom(1024 * 1024 + 123)
    src = tmp_path / "in.bin"
    src.write_bytes(data)
    store = oss2.ResumableStore(root=str(tmp_path / "ckpt"))
    oss2.resumable_upload(oss_bucket, "r/big.bin", str(src), store=store,
                          multipart_threshold=200 * 1024, part_size=200 * 1024,
                          num_threads=4)  # fmt: skip
    head = oss_bucket.head_object("r/big.bin")
    assert head.headers["x-oss-object-type"] == "Multipart"
    assert int(head.headers["x-oss-hash-crc64ecma"]) == crc64(data)
    dst = tmp_path / "out.bin"
    oss2.resumable_download(oss_bucket, "r/big.bin", str(dst),
                            store=oss2.ResumableDownloadStore(root=str(tmp_path / "dl")),
                            multiget_threshold=200 * 1024, part_size=150 * 1024,
                            num_threads=4)  # fmt: skip
    assert dst.read_bytes() == data


def test_upload_part_answers_content_md5(oss_bucket, oss_server):
    """Issue 13.5: UploadPart answers Content-MD5 as OSS does (and as PutObject does)."""
    import alibabacloud_oss_v2 as oss

    from tests.emulator.sdk_v2 import v2_client

    data = os.urandom(1000)
    upload_id = oss_bucket.init_multipart_upload("k").upload_id
    result = oss_bucket.upload_part("k", upload_id, 1, data)
    expected = base64.b64encode(hashlib.md5(data).digest()).decode()
    assert result.headers["Content-MD5"] == expected
    client = v2_client(oss_server)
    answer = client.upload_part(
        oss.UploadPartRequest(
            bucket=oss_bucket.bucket_name, key="k", upload_id=upload_id, part_number=2, body=data
        )
    )
    assert answer.content_md5 == expected


def test_list_parts_has_storage_class_and_client_encryption(oss_bucket, oss_server):
    """Issue 13.5 and 13.9: ListParts names the storage class and echoes the client-side
    encryption metadata an upload was started with (alibabacloud-oss-v2 reads it there)."""
    import alibabacloud_oss_v2 as oss

    from tests.emulator.sdk_v2 import v2_client

    cse = {
        "x-oss-meta-client-side-encryption-key": "a2V5",
        "x-oss-meta-client-side-encryption-start": "c3RhcnQ=",
        "x-oss-meta-client-side-encryption-cek-alg": "AES/CTR/NoPadding",
        "x-oss-meta-client-side-encryption-wrap-alg": "RSA/NONE/PKCS1Padding",
        "x-oss-meta-client-side-encryption-data-size": "409600",
        "x-oss-meta-client-side-encryption-part-size": "204800",
    }
    headers = {"x-oss-storage-class": "IA", **cse}
    upload_id = oss_bucket.init_multipart_upload("enc", headers=headers).upload_id
    oss_bucket.upload_part("enc", upload_id, 1, b"x" * PART)
    client = v2_client(oss_server)
    result = client.list_parts(
        oss.ListPartsRequest(bucket=oss_bucket.bucket_name, key="enc", upload_id=upload_id)
    )
    assert result.storage_class == "IA"
    assert result.client_encryption_key == "a2V5"
    assert result.client_encryption_start == "c3RhcnQ="
    assert result.client_encryption_cek_alg == "AES/CTR/NoPadding"
    assert result.client_encryption_wrap_alg == "RSA/NONE/PKCS1Padding"
    assert (result.client_encryption_data_size, result.client_encryption_part_size) == (
        409600,
        204800,
    )
    plain = oss_bucket.init_multipart_upload("plain").upload_id
    status, body = signed_request(
        oss_server, "GET", oss_bucket.bucket_name, "plain", params={"uploadId": plain}
    )
    assert status == 200 and b"<StorageClass>Standard</StorageClass>" in body
    assert b"ClientEncryption" not in body


def test_list_uploads_names_the_last_entry_on_a_last_page(oss_bucket, oss_server):
    """Issue 13.5: NextKeyMarker/NextUploadIdMarker hold the last entry even when the answer
    is not truncated, as OSS fills them."""
    import alibabacloud_oss_v2 as oss

    from tests.emulator.sdk_v2 import v2_client

    first = oss_bucket.init_multipart_upload("a").upload_id
    last = oss_bucket.init_multipart_upload("b").upload_id
    result = oss_bucket.list_multipart_uploads()
    assert not result.is_truncated
    assert (result.next_key_marker, result.next_upload_id_marker) == ("b", last)
    answer = v2_client(oss_server).list_multipart_uploads(
        oss.ListMultipartUploadsRequest(bucket=oss_bucket.bucket_name)
    )
    assert (answer.next_key_marker, answer.next_upload_id_marker) == ("b", last)
    assert [u.upload_id for u in answer.uploads] == [first, last]


@pytest.mark.parametrize("where", ["initiate", "complete"])
def test_object_acl_given_on_initiate_or_complete(oss_bucket, where):
    """Issue 13.6: x-oss-object-acl on CompleteMultipartUpload (or Initiate) is honoured."""
    acl = {"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ}
    upload_id = oss_bucket.init_multipart_upload(
        "k", headers=acl if where == "initiate" else None
    ).upload_id
    etag = oss_bucket.upload_part("k", upload_id, 1, b"data").etag
    oss_bucket.complete_multipart_upload(
        "k", upload_id, [PartInfo(1, etag)], headers=acl if where == "complete" else None
    )
    assert oss_bucket.get_object_acl("k").acl == "public-read"
