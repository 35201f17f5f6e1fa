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


# -- sub-resources the server does not implement (issue 13.2) ---------------------------------

UNIMPLEMENTED = [
    "accessMonitor", "accessmonitor", "httpsConfig", "publicAccessBlock",
    "bucketArchiveDirectRead", "replication", "cname", "x-oss-process",
]  # fmt: skip


@pytest.mark.parametrize("name", UNIMPLEMENTED)
def test_unimplemented_bucket_subresource_is_501_not_a_listing(oss_bucket, oss_server, name):
    from tests.emulator.helpers import signed_request

    oss_bucket.put_object("k", b"v")
    bucket = oss_bucket.bucket_name
    for method in ("GET", "PUT", "DELETE"):
        status, body = signed_request(oss_server, method, bucket, "", params={name: ""},
                                      path=f"/{bucket}/")  # fmt: skip
        assert status == 501, (method, body)
        assert b"<Code>NotImplemented</Code>" in body
        assert b"ListBucketResult" not in body
    assert oss_bucket.get_object("k").read() == b"v"


def test_service_level_unimplemented_subresources_are_501(oss_auth, oss_server):
    service = oss2.Service(oss_auth, oss_server.endpoint)
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        service.describe_regions()
    assert (caught.value.status, caught.value.code) == (501, "NotImplemented")
    from tests.emulator.helpers import signed_request

    status, body = signed_request(oss_server, "PUT", "", "", params={"publicAccessBlock": ""},
                                  path="/")  # fmt: skip
    assert status == 501 and b"<Code>NotImplemented</Code>" in body


def test_object_level_unimplemented_subresource_is_501(oss_bucket, oss_server):
    from tests.emulator.helpers import signed_request

    oss_bucket.put_object("k", b"v")
    status, body = signed_request(oss_server, "GET", oss_bucket.bucket_name, "k",
                                  params={"symlink": ""})  # fmt: skip
    assert status == 501 and b"NotImplemented" in body


# -- bucket features the server never configures (issue 13.3) -------------------------------


@pytest.mark.parametrize(
    "call, exception, code",
    [
        ("get_bucket_lifecycle", oss2.exceptions.NoSuchLifecycle, "NoSuchLifecycle"),
        ("get_bucket_cors", oss2.exceptions.NoSuchCors, "NoSuchCORSConfiguration"),
        ("get_bucket_website", oss2.exceptions.NoSuchWebsite, "NoSuchWebsiteConfiguration"),
        (
            "get_bucket_encryption",
            oss2.exceptions.NoSuchServerSideEncryptionRule,
            "NoSuchServerSideEncryptionRule",
        ),
        ("get_bucket_policy", oss2.exceptions.NoSuchBucketPolicy, "NoSuchBucketPolicy"),
        ("get_bucket_worm", oss2.exceptions.NoSuchWORMConfiguration, "NoSuchWORMConfiguration"),
    ],
)
def test_unused_feature_answers_its_no_such_error(oss_bucket, call, exception, code):
    with pytest.raises(exception) as caught:
        getattr(oss_bucket, call)()
    assert (caught.value.status, caught.value.code) == (404, code)


def test_unused_features_answer_empty_configurations(oss_bucket):
    referer = oss_bucket.get_bucket_referer()
    assert referer.allow_empty_referer is True and referer.referers == []
    assert oss_bucket.get_bucket_tagging().tag_set.tagging_rule == {}
    logging = oss_bucket.get_bucket_logging()
    assert (logging.target_bucket, logging.target_prefix) == ("", "")
    inventory = oss_bucket.list_bucket_inventory_configurations()
    assert inventory.inventory_configurations == [] and inventory.is_truncated is False
    with pytest.raises(oss2.exceptions.NoSuchInventory):
        oss_bucket.get_bucket_inventory_configuration("report")
    channels = oss_bucket.list_live_channel()
    assert channels.channels == [] and channels.is_truncated is False
    assert oss_bucket.get_bucket_versioning().status is None


def test_deleting_unused_features_succeeds(oss_bucket):
    """What SDK clean-up code does before it removes a bucket."""
    for call in ("lifecycle", "cors", "website", "encryption", "tagging", "policy", "logging"):
        assert getattr(oss_bucket, f"delete_bucket_{call}")().status == 204
    oss_bucket.delete_bucket()


def test_features_of_a_missing_bucket_are_no_such_bucket(oss_auth, oss_server):
    bucket = oss2.Bucket(oss_auth, oss_server.endpoint, "never-made")
    for call in ("get_bucket_referer", "get_bucket_lifecycle", "list_live_channel"):
        with pytest.raises(oss2.exceptions.NoSuchBucket):
            getattr(bucket, call)()


def test_setting_a_feature_is_501(oss_bucket):
    rule = oss2.models.LifecycleRule("r", "p/", expiration=oss2.models.LifecycleExpiration(days=1))
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        oss_bucket.put_bucket_lifecycle(oss2.models.BucketLifecycle([rule]))
    assert (caught.value.status, caught.value.code) == (501, "NotImplemented")


# -- GetBucketInfo and the endpoints (issue 13.12) -------------------------------------------


def test_bucket_info_has_resource_group_block_public_access_and_encryption(oss_bucket, oss_server):
    info = oss_bucket.get_bucket_info()
    assert info.resource_group_id == "rg-default-id"
    # OSS writes <SSEAlgorithm>None</SSEAlgorithm> for a bucket without default encryption;
    # oss2 reads that "None" as None (a missing element would give no rule at all).
    assert info.bucket_encryption_rule is not None
    assert info.bucket_encryption_rule.sse_algorithm is None
    from tests.emulator.helpers import signed_request

    status, body = signed_request(oss_server, "GET", oss_bucket.bucket_name, "",
                                  params={"bucketInfo": ""},
                                  path=f"/{oss_bucket.bucket_name}/")  # fmt: skip
    assert status == 200 and b"<BlockPublicAccess>false</BlockPublicAccess>" in body


def test_endpoints_carry_the_http_scheme_the_server_speaks(oss_bucket, oss_auth, oss_server):
    """OSS writes a bare host and serves https; this server writes `http://host:port`, so a
    client built from the listed endpoint reaches it (see handlers_bucket.endpoint)."""
    assert oss_bucket.get_bucket_info().extranet_endpoint == oss_server.endpoint
    found = [b for b in oss2.Service(oss_auth, oss_server.endpoint).list_buckets().buckets
             if b.name == oss_bucket.bucket_name]  # fmt: skip
    assert found[0].extranet_endpoint == found[0].intranet_endpoint == oss_server.endpoint
    oss_bucket.put_object("k", b"v")
    rebuilt = oss2.Bucket(oss_auth, found[0].extranet_endpoint, oss_bucket.bucket_name)
    assert rebuilt.get_object("k").read() == b"v"


def test_endpoints_leave_out_the_virtual_host_bucket(oss_bucket, oss_server):
    from tests.emulator.helpers import signed_request

    name = oss_bucket.bucket_name
    status, body = signed_request(oss_server, "GET", name, "", params={"bucketInfo": ""},
                                  host=f"{name}.localhost:{oss_server.port}", path="/")  # fmt: skip
    assert status == 200
    expected = f"<ExtranetEndpoint>http://localhost:{oss_server.port}</ExtranetEndpoint>"
    assert expected.encode() in body
