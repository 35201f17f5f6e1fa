"""Every operation ossbrowse uses, through oss2 with V1 and V4 signatures, over HTTP."""

from __future__ import annotations

import hashlib

import oss2
import pytest
import requests

ODD = "dir/a b+c%中文 ~!.txt"


@pytest.fixture(params=["v1", "v4"])
def bucket(request, make_bucket, oss_server):
    key_id, secret = oss_server.access_key_id, oss_server.access_key_secret
    auth = oss2.Auth(key_id, secret) if request.param == "v1" else oss2.AuthV4(key_id, secret)
    return make_bucket(auth=auth, region="cn-hangzhou")


def test_put_head_get_range_delete(bucket):
    data = bytes(range(256)) * 40
    put = bucket.put_object(ODD, data, headers={"Content-Type": "text/plain",
                                                "x-oss-meta-who": "oss2"})  # fmt: skip
    assert put.etag == hashlib.md5(data).hexdigest().upper()
    head = bucket.head_object(ODD)
    assert head.content_length == len(data) and head.content_type == "text/plain"
    assert head.headers["x-oss-meta-who"] == "oss2"
    assert bucket.get_object(ODD).read() == data
    assert bucket.get_object(ODD, byte_range=(10, 19)).read() == data[10:20]
    assert bucket.get_object_meta(ODD).content_length == len(data)
    bucket.delete_object(ODD)
    assert bucket.object_exists(ODD) is False


def test_listings_with_paging_and_url_encoding(bucket):
    keys = sorted([f"p/{i:02d}" for i in range(7)] + ["p/sub/x", ODD, "p/\u00e9 space"])
    for key in keys:
        bucket.put_object(key, b"1")
    assert [o.key for o in oss2.ObjectIteratorV2(bucket, max_keys=3)] == keys
    assert [o.key for o in oss2.ObjectIterator(bucket, max_keys=4)] == keys
    for api in (bucket.list_objects_v2, bucket.list_objects):
        page = api(prefix="p/", delimiter="/", max_keys=100)
        assert page.prefix_list == ["p/sub/"]
    # oss2 asks for encoding-type=url; so does the product's own fast listing, page by page.
    from ossbrowse.fs.listing_xml import list_objects_v2

    listed, token = [], ""
    while True:
        page = list_objects_v2(bucket, continuation_token=token, max_keys=2)
        listed += [o.key for o in page.object_list]
        if not page.is_truncated:
            break
        token = page.next_continuation_token
    assert listed == keys


def test_copy_append_and_delete_multiple(bucket):
    bucket.put_object("src", b"copy me")
    bucket.copy_object(bucket.bucket_name, "src", ODD)
    assert bucket.get_object(ODD).read() == b"copy me"
    first = bucket.append_object("log", 0, b"one ")
    bucket.append_object("log", first.next_position, b"two")
    assert bucket.get_object("log").read() == b"one two"
    result = bucket.batch_delete_objects(["src", ODD, "log"])
    assert sorted(result.deleted_keys) == sorted(["src", ODD, "log"])


def test_multipart_with_part_copy_listings_and_abort(bucket):
    source = b"S" * (200 * 1024)
    bucket.put_object("source", source)
    upload = bucket.init_multipart_upload(ODD).upload_id
    first = b"F" * (100 * 1024)
    p1 = bucket.upload_part(ODD, upload, 1, first)
    p2 = bucket.upload_part_copy(bucket.bucket_name, "source", (0, 102399), ODD, upload, 2)
    listed = bucket.list_parts(ODD, upload)
    assert [(p.part_number, p.size) for p in listed.parts] == [(1, 102400), (2, 102400)]
    uploads = bucket.list_multipart_uploads()
    assert [(u.key, u.upload_id) for u in uploads.upload_list] == [(ODD, upload)]
    bucket.complete_multipart_upload(
        ODD, upload, [oss2.models.PartInfo(1, p1.etag), oss2.models.PartInfo(2, p2.etag)]
    )
    assert bucket.get_object(ODD).read() == first + source[:102400]
    other = bucket.init_multipart_upload("x").upload_id
    bucket.abort_multipart_upload("x", other)
    assert not bucket.list_multipart_uploads().upload_list


def test_restore_acl_presign_and_info(bucket):
    bucket.put_object("cold", b"archived", headers={"x-oss-storage-class": "Archive"})
    assert bucket.restore_object("cold").status == 202
    assert "ongoing-request" in bucket.head_object("cold").headers["x-oss-restore"]
    bucket.put_object("k", b"v")
    bucket.put_object_acl("k", oss2.OBJECT_ACL_PUBLIC_READ)
    assert bucket.get_object_acl("k").acl == "public-read"
    url = bucket.sign_url("PUT", ODD, 60)
    assert requests.put(url, data=b"signed", timeout=10).ok
    assert requests.get(bucket.sign_url("GET", ODD, 60), timeout=10).content == b"signed"
    info = bucket.get_bucket_info()
    assert info.resource_group_id == "rg-default-id" and info.storage_class == "Standard"
