"""The client's parsers read OSS's own answers (the API reference's examples, golden/), not
only the shape this project's server writes."""

from __future__ import annotations

import types

import pytest
from oss2 import xml_utils

from ossbrowse.fs.listing_xml import _parse_tree, parse_list_objects_v2
from tests.conformance.shapes import golden

V2_PAGES = {
    "list_objects_v2_url.xml": (["a", "a/b", "b", "b/c", "bc", "c"], [], ""),
    "list_objects_v2_url_prefix_delimiter.xml": (["a/b"], ["a/b/"], ""),
    "list_objects_v2_url_start_after_owner.xml": (["b/c", "ba", "bc"], [], "CgJiYw--"),
}


def _without_encoding(body: bytes) -> bytes:
    return body.replace(b"<EncodingType>url</EncodingType>", b"")


@pytest.mark.parametrize("name", sorted(V2_PAGES))
@pytest.mark.parametrize("encoded", [True, False])
@pytest.mark.parametrize("parser", [parse_list_objects_v2, _parse_tree], ids=["fast", "tree"])
def test_listing_parser_reads_the_reference_v2_pages(name, encoded, parser):
    body = golden(name) if encoded else _without_encoding(golden(name))
    keys, prefixes, token = V2_PAGES[name]
    page = parser(body)
    assert [o.key for o in page.object_list] == keys
    assert page.prefix_list == prefixes
    assert page.next_continuation_token == token
    assert page.is_truncated is bool(token)
    first = page.object_list[0]
    assert (first.size, first.etag, first.storage_class) == (
        25,
        "35A27C2B9EAEEB6F48FD7FB5861D****",
        "STANDARD",
    )
    assert all(o.last_modified and o.last_modified > 1589760000 for o in page.object_list)
    assert first.object_type is None  # the reference's V2 examples have no <Type>


def test_fast_parser_decodes_url_encoded_names_of_a_reference_page():
    """The reference's page with a key written as OSS encodes it (`a%2Fb`, a space as %20)."""
    body = golden("list_objects_v2_url_prefix_delimiter.xml")
    body = body.replace(b"<Key>a/b</Key>", b"<Key>a%2Fb%20c%E4%B8%AD</Key>")
    body = body.replace(b"<Prefix>a/b/</Prefix>", b"<Prefix>a%2Fb%2F</Prefix>")
    for parser in (parse_list_objects_v2, _parse_tree):
        page = parser(body)
        assert [o.key for o in page.object_list] == ["a/b c中"]
        assert page.prefix_list == ["a/b/"]


def test_oss2_needs_the_type_element_the_reference_v2_examples_lack():
    """oss2 refuses a V2 Contents without <Type>; OSS's live answers carry it, and so must the
    local server's (test_golden_server checks it): a server copying the reference's example
    literally would break every oss2 listing."""
    result = types.SimpleNamespace(object_list=[], prefix_list=[])
    with pytest.raises(RuntimeError, match="Type"):
        xml_utils.parse_list_objects_v2(result, golden("list_objects_v2_url.xml"))
    with_type = golden("list_objects_v2_url.xml").replace(b"<Size>", b"<Type>Normal</Type><Size>")
    xml_utils.parse_list_objects_v2(result, with_type)
    assert [o.key for o in result.object_list] == ["a", "a/b", "b", "b/c", "bc", "c"]


@pytest.mark.parametrize(
    "name, keys, prefixes, next_marker",
    [
        (
            "list_objects_v1.xml",
            ["fun/movie/001.avi", "fun/movie/007.avi", "fun/test.jpg", "oss.jpg"],
            [],
            "",
        ),
        ("list_objects_v1_prefix_delimiter.xml", ["fun/test.jpg"], ["fun/movie/"], ""),
        ("list_objects_v1_url_marker.xml", ["test10.txt", "test100.txt"], [], "test100.txt"),
    ],
)
def test_oss2_reads_the_reference_v1_pages(name, keys, prefixes, next_marker):
    result = types.SimpleNamespace(object_list=[], prefix_list=[], next_marker="")
    xml_utils.parse_list_objects(result, golden(name))
    assert [o.key for o in result.object_list] == keys
    assert result.prefix_list == prefixes
    assert result.next_marker == next_marker and result.is_truncated is bool(next_marker)


def test_oss2_reads_the_reference_list_parts_and_uploads():
    parts = types.SimpleNamespace(parts=[])
    xml_utils.parse_list_parts(parts, golden("list_parts.xml"))
    assert [(p.part_number, p.size) for p in parts.parts] == [(1, 6291456), (2, 6291456),
                                                              (5, 1024)]  # fmt: skip
    assert parts.is_truncated is False and parts.next_marker == "5"
    uploads = types.SimpleNamespace(upload_list=[], prefix_list=[])
    xml_utils.parse_list_multipart_uploads(uploads, golden("list_multipart_uploads.xml"))
    assert [u.key for u in uploads.upload_list] == ["multipart.data", "multipart.data", "oss.avi"]
    assert uploads.next_key_marker == "oss.avi"


def test_alibabacloud_oss_v2_reads_the_reference_pages():
    import alibabacloud_oss_v2 as oss
    from alibabacloud_oss_v2 import serde

    listing = oss.ListObjectsV2Result()
    serde.deserialize_xml(golden("list_objects_v2_url_start_after_owner.xml"), listing)
    assert [o.key for o in listing.contents] == ["b/c", "ba", "bc"]
    assert listing.next_continuation_token == "CgJiYw--" and listing.is_truncated is True
    parts = oss.ListPartsResult()
    serde.deserialize_xml(golden("list_parts.xml"), parts)
    assert [p.part_number for p in parts.parts] == [1, 2, 5]
    info = oss.GetBucketInfoResult()
    serde.deserialize_xml(golden("get_bucket_info.xml"), info)
    assert info.bucket_info.extranet_endpoint == "oss-cn-hangzhou.aliyuncs.com"


@pytest.mark.parametrize("name", ["error_no_such_bucket.xml", "error_no_such_bucket_delete.xml"])
def test_oss2_reads_the_reference_error_bodies(name):
    import oss2

    details = oss2.exceptions._parse_error_body(golden(name))
    assert details["Code"] == "NoSuchBucket" and details["BucketName"]
