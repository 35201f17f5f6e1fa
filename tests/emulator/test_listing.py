"""ListObjects v1 and v2 and ListBuckets through oss2: prefix, delimiter, paging, encoding."""

import oss2
import pytest

KEYS = [
    "a.txt",
    "b/1.txt",
    "b/2.txt",
    "b/c/3.txt",
    "b/c/4.txt",
    "d/",
    "d/x",
    "e",
    "é/z",
    "\x01ctl",
]


@pytest.fixture
def filled(oss_bucket):
    for key in KEYS:
        oss_bucket.put_object(key, b"")
    return oss_bucket


def byte_order(keys):
    return sorted(keys, key=lambda k: k.encode())


def test_v2_all_keys_in_byte_order(filled):
    assert [o.key for o in oss2.ObjectIteratorV2(filled)] == byte_order(KEYS)


def test_v1_all_keys_paged(filled):
    seen = [o.key for o in oss2.ObjectIterator(filled, max_keys=3)]
    assert seen == byte_order(KEYS)


@pytest.mark.parametrize("max_keys", [1, 2, 3, 1000])
def test_v2_delimiter_paging(filled, max_keys):
    entries = [o.key for o in oss2.ObjectIteratorV2(filled, delimiter="/", max_keys=max_keys)]
    assert entries == byte_order(["a.txt", "b/", "d/", "e", "é/", "\x01ctl"])


def test_v1_delimiter_paging(filled):
    entries = [o.key for o in oss2.ObjectIterator(filled, delimiter="/", max_keys=1)]
    assert entries == byte_order(["a.txt", "b/", "d/", "e", "é/", "\x01ctl"])


def test_prefix_and_delimiter(filled):
    result = filled.list_objects_v2(prefix="b/", delimiter="/")
    assert [o.key for o in result.object_list] == ["b/1.txt", "b/2.txt"]
    assert result.prefix_list == ["b/c/"]
    assert not result.is_truncated


def test_directory_marker_listed_under_its_prefix(filled):
    result = filled.list_objects_v2(prefix="d/", delimiter="/")
    assert [o.key for o in result.object_list] == ["d/", "d/x"]


def test_v2_start_after_and_token(filled):
    result = filled.list_objects_v2(start_after="b/2.txt", max_keys=2)
    assert [o.key for o in result.object_list] == ["b/c/3.txt", "b/c/4.txt"]
    assert result.is_truncated
    nxt = filled.list_objects_v2(continuation_token=result.next_continuation_token, max_keys=2)
    assert [o.key for o in nxt.object_list] == ["d/", "d/x"]


def test_v1_marker(filled):
    result = filled.list_objects(marker="d/x", max_keys=100)
    assert [o.key for o in result.object_list] == ["e", "é/z"]


def test_without_url_encoding(filled):
    result = filled.list_objects_v2(prefix="é", encoding_type="")
    assert [o.key for o in result.object_list] == ["é/z"]


def test_listing_fields(filled):
    filled.put_object("f", b"12345")
    obj = next(o for o in filled.list_objects_v2(prefix="f").object_list)
    assert obj.size == 5 and obj.type == "Normal" and obj.storage_class == "Standard"
    assert obj.etag == "827CCB0EEA8A706C4C34A16891F84E7B"
    assert obj.last_modified > 0


@pytest.mark.parametrize("value", ["0", "1001", "x"])
def test_max_keys_limits(filled, value):
    with pytest.raises(oss2.exceptions.InvalidArgument):
        filled.list_objects_v2(max_keys=value)


def test_list_buckets_prefix_marker_paging(make_bucket, oss_auth, oss_server):
    for name in ("lb-aaa", "lb-bbb", "lb-ccc"):
        make_bucket(name)
    service = oss2.Service(oss_auth, oss_server.endpoint)
    names = [b.name for b in oss2.BucketIterator(service, prefix="lb-", max_keys=2)]
    assert names == ["lb-aaa", "lb-bbb", "lb-ccc"]
    page = service.list_buckets(prefix="lb-", marker="lb-aaa", max_keys=1)
    assert [b.name for b in page.buckets] == ["lb-bbb"] and page.is_truncated
    assert page.buckets[0].location == "oss-cn-hangzhou"


def test_list_object_versions_of_an_unversioned_bucket(oss_bucket):
    """Every object is its one version, `null` and latest; paging by key marker."""
    keys = ["a", "b/c", "b/d", "e f"]
    for key in keys:
        oss_bucket.put_object(key, b"x")
    seen, key_marker, truncated = [], "", True
    while truncated:
        page = oss_bucket.list_object_versions(key_marker=key_marker, max_keys=2)
        seen += [(v.key, v.versionid, v.is_latest) for v in page.versions]
        truncated, key_marker = page.is_truncated, page.next_key_marker
    assert seen == [(k, "null", True) for k in keys]
    grouped = oss_bucket.list_object_versions(delimiter="/")
    assert [v.key for v in grouped.versions] == ["a", "e f"]
    assert grouped.common_prefix == ["b/"]
