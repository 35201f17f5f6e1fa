"""PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation, bucket ACL via oss2."""

import oss2
import pytest


def test_create_info_location_delete(oss_auth, oss_server):
    bucket = oss2.Bucket(oss_auth, oss_server.endpoint, "made-by-test")
    bucket.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ)
    info = bucket.get_bucket_info()
    assert info.name == "made-by-test" and info.storage_class == "Standard"
    assert info.acl.grant == "public-read"
    assert info.location == "oss-cn-hangzhou"
    assert bucket.get_bucket_location().location == "oss-cn-hangzhou"
    assert bucket.get_bucket_acl().acl == "public-read"
    bucket.put_bucket_acl("private")
    assert bucket.get_bucket_acl().acl == "private"
    bucket.put_object("k", b"v")
    with pytest.raises(oss2.exceptions.BucketNotEmpty):
        bucket.delete_bucket()
    bucket.delete_object("k")
    bucket.delete_bucket()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        bucket.get_bucket_info()


def test_create_with_storage_class(oss_auth, oss_server):
    bucket = oss2.Bucket(oss_auth, oss_server.endpoint, "made-ia")
    bucket.create_bucket(input=oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_IA))
    assert bucket.get_bucket_info().storage_class == "IA"
    bucket.put_object("x", b"1")
    assert bucket.head_object("x").headers["x-oss-storage-class"] == "IA"
    bucket.delete_object("x")
    bucket.delete_bucket()


@pytest.mark.parametrize("name", ["ab", "UPPER", "-start", "end-", "under_score", "a" * 64])
def test_invalid_bucket_names(oss_server, name):
    from tests.emulator.helpers import signed_request

    status, body = signed_request(oss_server, "PUT", name, "", path=f"/{name}")
    assert status == 400 and b"<Code>InvalidBucketName</Code>" in body


def test_bucket_stat(oss_bucket):
    oss_bucket.put_object("a", b"123")
    stat = oss_bucket.get_bucket_stat()
    assert stat.storage_size_in_bytes == 3 and stat.object_count == 1
