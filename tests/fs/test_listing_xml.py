"""The fast ListObjectsV2 parser reads a page exactly as oss2's own parser does."""

from __future__ import annotations

from types import SimpleNamespace
from xml.etree import ElementTree

from oss2 import xml_utils

from ossbrowse.fs.listing_xml import parse_list_objects_v2
from ossbrowse.fs.restore_state import restore_state

BODY = b"""<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>examplebucket</Name>
  <Prefix>a%2F</Prefix>
  <MaxKeys>3</MaxKeys>
  <Delimiter>%2F</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>CgJiYw--%2B%3D</NextContinuationToken>
  <Contents>
    <Key>a%2Fe%1B%5B31m%20x.txt</Key>
    <LastModified>2024-02-24T08:42:32.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag>
    <Type>Appendable</Type>
    <Size>344606</Size>
    <StorageClass>Archive</StorageClass>
    <RestoreInfo>ongoing-request="false", expiry-date="Sat, 05 Nov 2022 07:38:08 GMT"</RestoreInfo>
  </Contents>
  <Contents>
    <Key>a%2F%E6%96%87%E4%BB%B6</Key>
    <LastModified>2024-02-24T08:43:07.000Z</LastModified>
    <ETag>"ABC-2"</ETag>
    <Type>Multipart</Type>
    <Size>0</Size>
    <StorageClass>Standard</StorageClass>
  </Contents>
  <CommonPrefixes><Prefix>a%2Fsub%2F</Prefix></CommonPrefixes>
</ListBucketResult>
"""


def test_same_answer_as_oss2():
    ours = parse_list_objects_v2(BODY)
    theirs = xml_utils.parse_list_objects_v2(
        SimpleNamespace(
            is_truncated=False, next_continuation_token="", object_list=[], prefix_list=[]
        ),
        BODY,
    )
    assert ours.is_truncated is theirs.is_truncated is True
    assert ours.next_continuation_token == theirs.next_continuation_token == "CgJiYw--+="
    assert ours.prefix_list == theirs.prefix_list == ["a/sub/"]
    assert len(ours.object_list) == len(theirs.object_list) == 2
    for mine, other in zip(ours.object_list, theirs.object_list, strict=True):
        assert (mine.key, mine.last_modified, mine.etag, mine.object_type, mine.size) == (
            other.key,
            other.last_modified,
            other.etag,
            other.type,
            other.size,
        )
        # The record carries the restore state read from RestoreInfo (the one reader).
        assert mine.storage_class == other.storage_class
        assert mine.restore == restore_state(other.storage_class, other.restore_info)
    assert ours.object_list[0].key == "a/e\x1b[31m x.txt"


def test_last_page_without_encoding():
    body = (
        b"<ListBucketResult><IsTruncated>false</IsTruncated>"
        b"<Contents><Key>100%</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
        b'<ETag>"E"</ETag><Size>1</Size></Contents></ListBucketResult>'
    )
    page = parse_list_objects_v2(body)
    assert not page.is_truncated and page.next_continuation_token == ""
    (obj,) = page.object_list
    assert obj.key == "100%" and obj.last_modified == 1704067200 and obj.object_type is None


def test_literal_percent_sequences_survive_decoding():
    body = (
        b"<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
        b"<Contents><Key>a%252Fb%2Fc%20d%2f</Key><LastModified>2024-01-01T00:00:00.000Z"
        b'</LastModified><ETag>"E"</ETag><Size>1</Size></Contents></ListBucketResult>'
    )
    (obj,) = parse_list_objects_v2(body).object_list
    assert obj.key == "a%2Fb/c d/"


def test_iter_pages_against_the_server(oss_bucket):
    from ossbrowse.fs.listing_xml import iter_pages

    for i in range(7):
        oss_bucket.put_object(f"p/{i}", b"x")
    oss_bucket.put_object("p/sub/deep", b"x")
    pages = list(iter_pages(oss_bucket, prefix="p/", max_keys=3))
    assert [len(p.object_list) for p in pages] == [3, 3, 2]
    assert [o.key for p in pages for o in p.object_list][-1] == "p/sub/deep"
    (folders,) = [p for p in iter_pages(oss_bucket, prefix="p/", delimiter="/", max_keys=100)]
    assert folders.prefix_list == ["p/sub/"] and len(folders.object_list) == 7


# The regular-expression reader and ElementTree must agree on every page; the unusual ones are
# handed to ElementTree (so they agree by construction) and the plain ones are read by both.
VARIANTS = [
    BODY,
    BODY.replace(b"\n", b"").replace(b"  ", b""),  # compact, as the emulator sends it
    BODY.replace(b'"5B3C', b"&quot;5B3C").replace(b'A0FE"', b"A0FE&quot;"),  # escaped quotes
    BODY.replace(b"<EncodingType>url</EncodingType>", b"").replace(
        b"a%2Fe%1B%5B31m%20x.txt", b"a/&lt;b&gt; &amp; c"
    ),
    BODY.replace(b"<Type>Multipart</Type>", b""),  # an optional field left out
    BODY.replace(
        b"</StorageClass>",
        b"</StorageClass><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner>",
    ),
    BODY.replace(b"<Size>0</Size>", b"<Size>0</Size><Extra>new field</Extra>"),  # unknown
    BODY.replace(b"a%2F%E6%96%87", b"a%2F&#x41;%E6%96%87"),  # a character reference
    BODY.replace(b"<Key>a%2F%E6", b"<Key><![CDATA[a%2F]]>%E6"),  # CDATA
    BODY.replace(b"<Contents>", b"<!-- c --><Contents>", 1),  # a comment
    BODY.replace(b"<Size>344606</Size>", b"<Size> 344606 </Size>"),
    BODY.replace(b"\n", b"\r\n"),
    BODY.replace(b"<IsTruncated>true</IsTruncated>", b""),
    BODY.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
    BODY.replace(b"<Type>Appendable</Type>", b"<Type></Type>"),
]


def _as_tuple(page):
    return (
        page.is_truncated,
        page.next_continuation_token,
        page.prefix_list,
        [tuple(getattr(o, f) for f in o.__slots__) for o in page.object_list],
    )


def test_fast_reader_agrees_with_elementtree():
    from ossbrowse.fs import listing_xml

    for body in VARIANTS:
        assert _as_tuple(parse_list_objects_v2(body)) == _as_tuple(listing_xml._parse_tree(body)), (
            body
        )


def test_plain_pages_take_the_fast_road():
    from ossbrowse.fs import listing_xml

    for body in VARIANTS[:6]:
        listing_xml._parse_plain(body)  # raises if it would fall back


def test_a_cut_body_is_still_an_xml_error():
    import pytest

    with pytest.raises(ElementTree.ParseError):
        parse_list_objects_v2(BODY[: len(BODY) // 2])
