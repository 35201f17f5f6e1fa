"""Every operation ossbrowse uses, through alibabacloud-oss-v2 (oss2's successor, V4 signing
by default; also V1) over HTTP against the local server."""

from __future__ import annotations

import hashlib
import io

import alibabacloud_oss_v2 as oss
import pytest
import requests

from tests.conformance.conftest import service_error

ODD = "dir/a b+c%中文 ~!.txt"  # space, plus, percent, non-ASCII: every encoding path


def _put(v2, bucket: str, key: str, data: bytes, **kw):
    return v2.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=data, **kw))


def _get(v2, bucket: str, key: str, **kw) -> bytes:
    return v2.get_object(oss.GetObjectRequest(bucket=bucket, key=key, **kw)).body.read()


def test_put_head_get_range_delete(v2, oss_bucket):
    name = oss_bucket.bucket_name
    data = bytes(range(256)) * 40
    put = _put(v2, name, ODD, data, content_type="text/plain", metadata={"who": "v2"})
    assert put.etag.strip('"') == hashlib.md5(data).hexdigest().upper()
    head = v2.head_object(oss.HeadObjectRequest(bucket=name, key=ODD))
    assert head.content_length == len(data) and head.content_type == "text/plain"
    assert head.metadata == {"who": "v2"} and head.hash_crc64 == put.hash_crc64
    assert _get(v2, name, ODD) == data
    assert _get(v2, name, ODD, range_header="bytes=10-19") == data[10:20]
    assert v2.is_object_exist(name, ODD) is True
    v2.delete_object(oss.DeleteObjectRequest(bucket=name, key=ODD))
    assert v2.is_object_exist(name, ODD) is False
    with pytest.raises(oss.exceptions.OperationError) as caught:
        v2.head_object(oss.HeadObjectRequest(bucket=name, key=ODD))
    assert service_error(caught).status_code == 404


def test_listings_v1_and_v2_with_paging_and_url_encoding(v2, oss_bucket):
    name = oss_bucket.bucket_name
    keys = sorted([f"p/{i:02d}" for i in range(7)] + ["p/sub/x", ODD, "p/\u00e9 space"])
    for key in keys:
        _put(v2, name, key, b"1")
    for encoding in (None, "url"):
        listed, token = [], None
        while True:
            page = v2.list_objects_v2(
                oss.ListObjectsV2Request(
                    bucket=name, max_keys=3, continuation_token=token, encoding_type=encoding
                )
            )
            listed += [o.key for o in page.contents or []]
            if not page.is_truncated:
                break
            token = page.next_continuation_token
        assert listed == keys
        paginator = v2.list_objects_v2_paginator(limit=4)
        flat = [
            o.key
            for p in paginator.iter_page(
                oss.ListObjectsV2Request(
                    bucket=name, prefix="p/", delimiter="/", encoding_type=encoding
                )
            )
            for o in p.contents or []
        ]
        assert flat == [k for k in keys if k.startswith("p/") and "/" not in k[2:]]
        listed, marker = [], None
        while True:
            page = v2.list_objects(
                oss.ListObjectsRequest(
                    bucket=name, max_keys=4, marker=marker, encoding_type=encoding
                )
            )
            listed += [o.key for o in page.contents or []]
            if not page.is_truncated:
                break
            marker = page.next_marker
        assert listed == keys
    page = v2.list_objects_v2(oss.ListObjectsV2Request(bucket=name, prefix="p/", delimiter="/"))
    assert [p.prefix for p in page.common_prefixes] == ["p/sub/"]


def test_copy_and_append(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _put(v2, name, "src", b"copy me", content_type="text/x-source")
    v2.copy_object(
        oss.CopyObjectRequest(bucket=name, key=ODD, source_bucket=name, source_key="src")
    )
    assert _get(v2, name, ODD) == b"copy me"
    head = v2.head_object(oss.HeadObjectRequest(bucket=name, key=ODD))
    assert head.content_type == "text/x-source"
    first = v2.append_object(
        oss.AppendObjectRequest(bucket=name, key="log", position=0, body=b"one ")
    )
    v2.append_object(
        oss.AppendObjectRequest(bucket=name, key="log", position=first.next_position, body=b"two")
    )
    assert _get(v2, name, "log") == b"one two"
    with pytest.raises(oss.exceptions.OperationError) as caught:
        v2.append_object(oss.AppendObjectRequest(bucket=name, key="log", position=1, body=b"x"))
    assert service_error(caught).code == "PositionNotEqualToLength"


def test_delete_multiple(v2, oss_bucket):
    name = oss_bucket.bucket_name
    keys = ["a", "b/c", ODD]
    for key in keys:
        _put(v2, name, key, b"x")
    result = v2.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(
            bucket=name, objects=[oss.DeleteObject(key=k) for k in keys]
        )
    )
    assert sorted(d.key for d in result.deleted_objects) == sorted(keys)
    assert not v2.list_objects_v2(oss.ListObjectsV2Request(bucket=name)).contents


def test_multipart_with_part_copy_listings_and_abort(v2, oss_bucket):
    name = oss_bucket.bucket_name
    source = b"S" * (200 * 1024)
    _put(v2, name, "source", source)
    init = v2.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=name, key=ODD))
    upload = init.upload_id
    first = b"F" * (100 * 1024)
    p1 = v2.upload_part(
        oss.UploadPartRequest(bucket=name, key=ODD, upload_id=upload, part_number=1, body=first)
    )
    p2 = v2.upload_part_copy(
        oss.UploadPartCopyRequest(
            bucket=name,
            key=ODD,
            upload_id=upload,
            part_number=2,
            source_bucket=name,
            source_key="source",
            source_range="bytes=0-102399",
        )
    )
    parts = v2.list_parts(oss.ListPartsRequest(bucket=name, key=ODD, upload_id=upload))
    assert [(p.part_number, p.size) for p in parts.parts] == [(1, 102400), (2, 102400)]
    uploads = v2.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=name))
    assert [(u.key, u.upload_id) for u in uploads.uploads] == [(ODD, upload)]
    done = v2.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(
            bucket=name,
            key=ODD,
            upload_id=upload,
            complete_multipart_upload=oss.CompleteMultipartUpload(
                parts=[
                    oss.UploadPart(part_number=1, etag=p1.etag),
                    oss.UploadPart(part_number=2, etag=p2.etag),
                ]
            ),
        )
    )
    assert done.key == ODD
    assert _get(v2, name, ODD) == first + source[:102400]
    other = v2.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=name, key="x"))
    v2.abort_multipart_upload(
        oss.AbortMultipartUploadRequest(bucket=name, key="x", upload_id=other.upload_id)
    )
    assert not v2.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=name)).uploads


def test_uploader_downloader_and_file_like(v2, oss_bucket, tmp_path):
    name = oss_bucket.bucket_name
    data = bytes(range(256)) * 4096  # 1 MiB, several parts
    uploader = v2.uploader(part_size=256 * 1024, parallel_num=2)
    uploader.upload_from(oss.PutObjectRequest(bucket=name, key="big"), io.BytesIO(data))
    target = tmp_path / "big"
    v2.downloader(part_size=300 * 1024).download_file(
        oss.GetObjectRequest(bucket=name, key="big"), str(target)
    )
    assert target.read_bytes() == data
    with v2.open_file(name, "big") as f:
        f.seek(1000)
        assert f.read(10) == data[1000:1010]


def test_restore(v2, make_bucket):
    bucket = make_bucket()
    name = bucket.bucket_name
    _put(v2, name, "cold", b"archived", storage_class="Archive")
    with pytest.raises(oss.exceptions.OperationError) as caught:
        _get(v2, name, "cold")
    assert service_error(caught).code == "InvalidObjectState"
    result = v2.restore_object(
        oss.RestoreObjectRequest(
            bucket=name, key="cold", restore_request=oss.RestoreRequest(days=1)
        )
    )
    assert result.status_code == 202
    head = v2.head_object(oss.HeadObjectRequest(bucket=name, key="cold"))
    assert head.restore and "ongoing-request" in head.restore


def test_acls(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _put(v2, name, "k", b"v")
    assert v2.get_object_acl(oss.GetObjectAclRequest(bucket=name, key="k")).acl == "default"
    v2.put_object_acl(oss.PutObjectAclRequest(bucket=name, key="k", acl="public-read"))
    assert v2.get_object_acl(oss.GetObjectAclRequest(bucket=name, key="k")).acl == "public-read"
    assert v2.get_bucket_acl(oss.GetBucketAclRequest(bucket=name)).acl == "private"
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=name, acl="public-read"))
    assert v2.get_bucket_acl(oss.GetBucketAclRequest(bucket=name)).acl == "public-read"


def test_presign_get_and_put(v2, oss_bucket):
    name = oss_bucket.bucket_name
    put = v2.presign(oss.PutObjectRequest(bucket=name, key=ODD))
    assert requests.put(put.url, data=b"signed", headers=put.signed_headers, timeout=10).ok
    get = v2.presign(oss.GetObjectRequest(bucket=name, key=ODD))
    answer = requests.get(get.url, timeout=10)
    assert answer.status_code == 200 and answer.content == b"signed"


def test_bucket_info_stat_location_and_list_buckets(v2, oss_bucket, oss_server):
    name = oss_bucket.bucket_name
    _put(v2, name, "k", b"123")
    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=name)).bucket_info
    assert info.name == name and info.location == "oss-cn-hangzhou"
    assert info.resource_group_id == "rg-default-id" and info.block_public_access is False
    assert info.sse_rule.sse_algorithm == "None"
    assert info.extranet_endpoint == oss_server.endpoint  # http://127.0.0.1:port
    stat = v2.get_bucket_stat(oss.GetBucketStatRequest(bucket=name))
    assert stat.storage == 3 and stat.object_count == 1
    location = v2.get_bucket_location(oss.GetBucketLocationRequest(bucket=name))
    assert location.location == "oss-cn-hangzhou"
    names = [
        b.name
        for p in v2.list_buckets_paginator().iter_page(oss.ListBucketsRequest())
        for b in p.buckets
    ]
    assert name in names


def test_clean_up_of_a_bucket_as_sdk_code_does_it(v2, make_bucket, oss_server):
    """What alibabacloud-oss-v2's own integration tests do to every bucket they remove: build
    a client from the listed endpoint, delete every version, object and upload, delete the
    bucket; plus reading and deleting each configuration (issue 13.3)."""
    name = make_bucket().bucket_name
    for key in ("a", "b/c", ODD):
        _put(v2, name, key, b"x")
    v2.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=name, key="mp"))
    listed = v2.list_buckets(oss.ListBucketsRequest(prefix=name)).buckets
    assert [b.name for b in listed] == [name]
    assert listed[0].extranet_endpoint == oss_server.endpoint
    # As the SDK's tests' get_client(region, endpoint) builds it: no scheme would mean https.
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        oss_server.access_key_id, oss_server.access_key_secret
    )
    cfg.region, cfg.endpoint = listed[0].region, listed[0].extranet_endpoint
    cleaner = oss.Client(cfg)
    key_marker, version_marker, truncated = "", "", True
    while truncated:
        page = cleaner.list_object_versions(
            oss.ListObjectVersionsRequest(
                bucket=name, key_marker=key_marker, version_id_marker=version_marker, max_keys=2
            )
        )
        if page.version:
            assert {v.version_id for v in page.version} == {"null"}
            cleaner.delete_multiple_objects(
                oss.DeleteMultipleObjectsRequest(
                    bucket=name,
                    objects=[
                        oss.DeleteObject(key=v.key, version_id=v.version_id) for v in page.version
                    ],
                )
            )
        truncated = page.is_truncated
        key_marker, version_marker = page.next_key_marker, page.next_version_id_marker
    for upload in (
        cleaner.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=name)).uploads or []
    ):
        cleaner.abort_multipart_upload(
            oss.AbortMultipartUploadRequest(bucket=name, key=upload.key, upload_id=upload.upload_id)
        )
    for call, request in (
        ("delete_bucket_lifecycle", oss.DeleteBucketLifecycleRequest),
        ("delete_bucket_cors", oss.DeleteBucketCorsRequest),
        ("delete_bucket_website", oss.DeleteBucketWebsiteRequest),
        ("delete_bucket_encryption", oss.DeleteBucketEncryptionRequest),
        ("delete_bucket_policy", oss.DeleteBucketPolicyRequest),
        ("delete_bucket_tags", oss.DeleteBucketTagsRequest),
        ("delete_bucket_logging", oss.DeleteBucketLoggingRequest),
    ):
        assert getattr(v2, call)(request(bucket=name)).status_code == 204, call
    assert cleaner.get_bucket_referer(oss.GetBucketRefererRequest(bucket=name)).status_code == 200
    inventory = cleaner.list_bucket_inventory(oss.ListBucketInventoryRequest(bucket=name))
    assert not inventory.list_inventory_configurations_result.inventory_configurations
    assert cleaner.get_bucket_logging(oss.GetBucketLoggingRequest(bucket=name)).status_code == 200
    assert not cleaner.list_objects(oss.ListObjectsRequest(bucket=name)).contents
    cleaner.delete_bucket(oss.DeleteBucketRequest(bucket=name))
    assert cleaner.is_bucket_exist(name) is False


def test_delete_by_version_null_and_versioning_status(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _put(v2, name, "z", b"x")
    versioning = v2.get_bucket_versioning(oss.GetBucketVersioningRequest(bucket=name))
    assert versioning.version_status is None
    v2.delete_object(oss.DeleteObjectRequest(bucket=name, key="z", version_id="null"))
    assert v2.is_object_exist(name, "z") is False
