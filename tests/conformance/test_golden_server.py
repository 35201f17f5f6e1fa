"""The local server's answers have the elements of OSS's own answers (golden/): for the same
request on the same data, every element path of the reference's example is in the server's
answer, and anything more is listed here with the reason."""

from __future__ import annotations

import re

import oss2
import pytest

from ossbrowse.emulator import EmulatorServer
from tests.conformance.shapes import element_paths, golden, golden_headers
from tests.emulator.helpers import signed_request

# Elements the server sends beyond the reference's (older) examples, each one in the
# reference's current element tables or required by an SDK.
EXTRA_ALLOWED = {
    # oss2's V2 parser refuses a Contents without <Type> (test_golden_parsers).
    "ListBucketResult/Contents/Type",
    # ListParts's element table lists these; the example predates them.
    "ListPartsResult/PartNumberMarker",
    "ListPartsResult/StorageClass",
    "ListPartsResult/Part/HashCrc64ecma",
    # GetBucketInfo's element table (AccessMonitor, Region, DataRedundancyType, BlockPublicAccess,
    # ResourceGroupId, ServerSideEncryptionRule, BucketPolicy with LogBucket/LogPrefix).
    "BucketInfo/Bucket/AccessMonitor",
    "BucketInfo/Bucket/Region",
    "BucketInfo/Bucket/DataRedundancyType",
    "BucketInfo/Bucket/BlockPublicAccess",
    "BucketInfo/Bucket/ResourceGroupId",
    "BucketInfo/Bucket/ServerSideEncryptionRule",
    "BucketInfo/Bucket/ServerSideEncryptionRule/SSEAlgorithm",
    "BucketInfo/Bucket/BucketPolicy",
    "BucketInfo/Bucket/BucketPolicy/LogBucket",
    "BucketInfo/Bucket/BucketPolicy/LogPrefix",
}
# ListObjectVersions: the server answers like its ListObjects (Delimiter, Type).
EXTRA_ALLOWED |= {"ListVersionsResult/Delimiter", "ListVersionsResult/Version/Type"}
# The reference's GetBucketInfo example is of a bucket with a hierarchical namespace, a
# feature this server does not have.
MISSING_ALLOWED = {"BucketInfo/Bucket/HierarchicalNamespace"}


def _compare(name: str, answer: bytes) -> None:
    expected, got = element_paths(golden(name)), element_paths(answer)
    assert expected - got - MISSING_ALLOWED == set(), f"{name}: elements missing"
    assert got - expected - EXTRA_ALLOWED == set(), f"{name}: elements OSS does not send"


@pytest.fixture
def bucket_with(make_bucket):
    def make(*keys: str, size: int = 25) -> oss2.Bucket:
        bucket = make_bucket()
        for key in keys:
            bucket.put_object(key, b"x" * size)
        return bucket

    return make


def _get(server, bucket: oss2.Bucket, params: dict, key: str = "") -> bytes:
    name = bucket.bucket_name
    status, body = signed_request(server, "GET", name, key, params=params, path=f"/{name}/{key}")
    assert status == 200, body
    return body


LISTINGS = [
    ("list_objects_v1.xml", {}, "fun"),
    ("list_objects_v1_prefix_delimiter.xml", {"prefix": "fun/", "delimiter": "/"}, "fun"),
    (
        "list_objects_v1_url_marker.xml",
        {"max-keys": "2", "marker": "test1.txt", "encoding-type": "url"},
        "test",
    ),
    ("list_objects_v2_url.xml", {"list-type": "2", "encoding-type": "url"}, "ab"),
    (
        "list_objects_v2_url_prefix_delimiter.xml",
        {"list-type": "2", "encoding-type": "url", "prefix": "a/", "delimiter": "/"},
        "ab",
    ),
    (
        "list_objects_v2_url_start_after_owner.xml",
        {"list-type": "2", "encoding-type": "url", "start-after": "b", "max-keys": "3",
         "fetch-owner": "true"},
    "ab"),
]  # fmt: skip
DATA = {
    "fun": ["fun/movie/001.avi", "fun/movie/007.avi", "fun/test.jpg", "oss.jpg"],
    "test": ["test1.txt", "test10.txt", "test100.txt", "test2.txt"],
    "ab": ["a", "a/b", "a/b/d", "b", "b/c", "ba", "bc", "c"],
}


@pytest.mark.parametrize("name, params, data", LISTINGS, ids=[x[0] for x in LISTINGS])
def test_listing_answers_have_the_reference_elements(oss_server, bucket_with, name, params, data):
    bucket = bucket_with(*DATA[data])
    _compare(name, _get(oss_server, bucket, params))


def test_list_object_versions_has_the_reference_elements(oss_server, bucket_with):
    bucket = bucket_with("example-object-1.jpg", "example-object-2.jpg", "example-object-3.jpg")
    answer = _get(oss_server, bucket, {"versions": ""})
    _compare("list_object_versions_unversioned.xml", answer)
    assert answer.count(b"<VersionId>null</VersionId>") == 3


def test_list_buckets_has_the_reference_elements(oss_server, oss_auth):
    from tests.emulator.helpers import signed_request as raw

    for name in ("xz02tphky6fjfiuc0", "xz02tphky6fjfiuc1", "atestleo23"):
        oss_server.create_bucket(name)
    try:
        status, plain = raw(oss_server, "GET", "", "", path="/")
        assert status == 200
        _compare("list_buckets.xml", plain)
        status, paged = raw(oss_server, "GET", "", "", path="/",
                            params={"prefix": "xz02tphky6fjfiuc", "max-keys": "1"})  # fmt: skip
        assert status == 200
        _compare("list_buckets_prefix_max_keys.xml", paged)
        service = oss2.Service(oss_auth, oss_server.endpoint)
        assert [b.name for b in oss2.BucketIterator(service, prefix="xz02", max_keys=1)] == [
            "xz02tphky6fjfiuc0",
            "xz02tphky6fjfiuc1",
        ]
    finally:
        with oss_server.store.lock:
            for name in ("xz02tphky6fjfiuc0", "xz02tphky6fjfiuc1", "atestleo23"):
                oss_server.store.buckets.pop(name, None)


def test_list_parts_and_uploads_have_the_reference_elements(oss_server, oss_bucket):
    upload = oss_bucket.init_multipart_upload("multipart.data").upload_id
    for number in (1, 2, 5):
        oss_bucket.upload_part("multipart.data", upload, number, b"p" * 10)
    _compare("list_parts.xml", _get(oss_server, oss_bucket, {"uploadId": upload}, "multipart.data"))
    oss_bucket.init_multipart_upload("multipart.data")
    oss_bucket.init_multipart_upload("oss.avi")
    _compare("list_multipart_uploads.xml", _get(oss_server, oss_bucket, {"uploads": ""}))


def test_bucket_info_and_error_have_the_reference_elements(oss_server, oss_bucket):
    _compare("get_bucket_info.xml", _get(oss_server, oss_bucket, {"bucketInfo": ""}))
    status, body = signed_request(oss_server, "GET", "nosuchbucket", "",
                                  params={"bucketInfo": ""}, path="/nosuchbucket/")  # fmt: skip
    assert status == 404
    _compare("error_no_such_bucket.xml", body)
    status, body = signed_request(oss_server, "DELETE", "nosuchbucket", "", path="/nosuchbucket/")
    assert status == 404
    _compare("error_no_such_bucket_delete.xml", body)


# Headers every HTTP/1.1 answer has or that depend on the connection, not on OSS.
_TRANSPORT = {"date", "connection", "server"}
_RESTORE_DONE = re.compile(r'ongoing-request="false", expiry-date="\w{3}, \d{2} \w{3} \d{4} '
                           r'\d{2}:\d{2}:\d{2} GMT"')  # fmt: skip


def _head(server: EmulatorServer, key: str, restore: bool) -> dict[str, str]:
    server.create_bucket("golden-head")
    auth = oss2.Auth(server.access_key_id, server.access_key_secret)
    bucket = oss2.Bucket(auth, server.endpoint, "golden-head")
    bucket.put_object(key, b"x" * 10, headers={"x-oss-storage-class": "Archive",
                                                "Content-Type": "image/jpg"})  # fmt: skip
    if restore:
        bucket.restore_object(key)
    return {name.lower(): value for name, value in bucket.head_object(key).headers.items()}


def _assert_headers(golden_name: str, answer: dict[str, str]) -> None:
    expected = set(golden_headers(golden_name)) - _TRANSPORT
    assert expected <= set(answer), expected - set(answer)


def test_head_of_an_archived_object_has_the_reference_headers(oss_server):
    answer = _head(oss_server, "oss.jpg", restore=False)
    _assert_headers("head_object_archive.txt", answer)
    assert answer["x-oss-storage-class"] == "Archive" and "x-oss-restore" not in answer


def test_head_of_a_restoring_object_has_the_reference_headers():
    with EmulatorServer(restore_delay=3600) as server:  # stays "ongoing" for the whole test
        answer = _head(server, "oss.jpg", restore=True)
    _assert_headers("head_object_restoring.txt", answer)
    assert answer["x-oss-restore"] == golden_headers("head_object_restoring.txt")["x-oss-restore"]


def test_head_of_a_restored_object_has_the_reference_headers():
    with EmulatorServer(restore_delay=0) as server:  # restored as soon as asked
        answer = _head(server, "oss.jpg", restore=True)
    _assert_headers("head_object_restored.txt", answer)
    assert _RESTORE_DONE.fullmatch(golden_headers("head_object_restored.txt")["x-oss-restore"])
    assert _RESTORE_DONE.fullmatch(answer["x-oss-restore"]), answer["x-oss-restore"]
