"""ListObjectVersions and GetBucketVersioning answers of a versioned bucket, read as XML: the
elements and their order as in OSS's API reference (golden/list_object_versions_versioned.xml,
the GetBucketVersions example with key-marker and version-id-marker), each key's versions
newest first with versions and delete markers interleaved, and keys percent-encoded under
encoding-type=url."""

from __future__ import annotations

from urllib.parse import unquote
from xml.etree import ElementTree

import oss2

from tests.conformance.shapes import element_paths, golden
from tests.emulator.helpers import signed_request


def _get(server, bucket, params: dict) -> bytes:
    name = bucket.bucket_name
    status, body = signed_request(server, "GET", name, "", params=params, path=f"/{name}/")
    assert status == 200, body
    return body


def _enable(bucket) -> None:
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig("Enabled"))


def _entries(body: bytes) -> list[tuple[str, str, str, str]]:
    """(element, key, version id, is latest) of every Version and DeleteMarker, in order."""
    root = ElementTree.fromstring(body)
    return [
        (node.tag, node.findtext("Key"), node.findtext("VersionId"), node.findtext("IsLatest"))
        for node in root
        if node.tag in ("Version", "DeleteMarker")
    ]


def test_the_reference_example_with_both_markers(oss_server, make_bucket):
    # The reference's story: `example` got 222333, then the delete marker 000123, then
    # 111222; `pic.jpg` has one version. Listing after (example, 111222) gives the marker,
    # 222333 and pic.jpg's version, in that order.
    bucket = make_bucket()
    _enable(bucket)
    oldest = bucket.put_object("example", b"x" * 10).versionid
    marker = bucket.delete_object("example").versionid
    newest = bucket.put_object("example", b"y").versionid
    pic = bucket.put_object("pic.jpg", b"z").versionid
    params = {"versions": "", "key-marker": "example", "version-id-marker": newest}
    answer = _get(oss_server, bucket, params)
    expected = golden("list_object_versions_versioned.xml")
    assert element_paths(answer) == element_paths(expected)
    # Same children in the same order as the reference (up to the repeated entries).
    assert [n.tag for n in ElementTree.fromstring(answer)] == [
        n.tag for n in ElementTree.fromstring(expected)
    ]
    for tag in ("Version", "DeleteMarker"):
        first = ElementTree.fromstring(answer).find(tag)
        reference = ElementTree.fromstring(expected).find(tag)
        assert [c.tag for c in first] == [c.tag for c in reference]
    assert _entries(answer) == [
        ("DeleteMarker", "example", marker, "false"),
        ("Version", "example", oldest, "false"),
        ("Version", "pic.jpg", pic, "true"),
    ]
    root = ElementTree.fromstring(answer)
    assert root.findtext("KeyMarker") == "example"
    assert root.findtext("VersionIdMarker") == newest


def test_versions_and_markers_interleave_newest_first(oss_server, make_bucket):
    bucket = make_bucket()
    bucket.put_object("k", b"0")  # before versioning: the null version, oldest
    _enable(bucket)
    one = bucket.put_object("k", b"1").versionid
    gone = bucket.delete_object("k").versionid
    two = bucket.put_object("k", b"2").versionid
    answer = _get(oss_server, bucket, {"versions": ""})
    assert _entries(answer) == [
        ("Version", "k", two, "true"),
        ("DeleteMarker", "k", gone, "false"),
        ("Version", "k", one, "false"),
        ("Version", "k", "null", "false"),
    ]
    root = ElementTree.fromstring(answer)
    assert root.findtext("IsTruncated") == "false" and root.find("NextKeyMarker") is None
    # One a page: NextKeyMarker and NextVersionIdMarker name the last entry given.
    page = ElementTree.fromstring(_get(oss_server, bucket, {"versions": "", "max-keys": "1"}))
    assert page.findtext("IsTruncated") == "true"
    assert (page.findtext("NextKeyMarker"), page.findtext("NextVersionIdMarker")) == ("k", two)


def test_hostile_keys_are_percent_encoded(oss_server, make_bucket):
    bucket = make_bucket()
    _enable(bucket)
    keys = ["a\x01b", "esc\x1b[2J", "<tag>&amp;", "../../etc/passwd"]
    for key in keys:
        bucket.put_object(key, b"x")
        bucket.delete_object(key)
    answer = _get(oss_server, bucket, {"versions": "", "encoding-type": "url"})
    root = ElementTree.fromstring(answer)  # parses: no raw control character in it
    assert root.findtext("EncodingType") == "url"
    listed = [unquote(key) for _, key, _, _ in _entries(answer)]
    assert listed == [k for k in sorted(keys) for _ in (0, 1)]
    assert b"\x1b" not in answer and b"\x01" not in answer


def test_get_bucket_versioning_document(oss_server, make_bucket):
    bucket = make_bucket()
    name = bucket.bucket_name
    status, body = signed_request(oss_server, "GET", name, "", params={"versioning": ""},
                                  path=f"/{name}/")  # fmt: skip
    assert status == 200 and ElementTree.fromstring(body).find("Status") is None
    _enable(bucket)
    status, body = signed_request(oss_server, "GET", name, "", params={"versioning": ""},
                                  path=f"/{name}/")  # fmt: skip
    root = ElementTree.fromstring(body)
    assert (root.tag, root.findtext("Status")) == ("VersioningConfiguration", "Enabled")


def test_the_reference_example_read_by_the_listing_module():
    # The API reference's answer, namespace and all, read by the fast reader (no fallback):
    # the delete marker first, then the versions, as the document has them.
    from ossbrowse.fs import listing_xml
    from tests.conformance.shapes import GOLDEN

    raw = (GOLDEN / "list_object_versions_versioned.xml").read_bytes()
    page = listing_xml._parse_versions_plain(raw)
    assert [(r.key, r.delete_marker, r.is_latest) for r in page.records] == [
        ("example", True, False),
        ("example", False, False),
        ("pic.jpg", False, True),
    ]
    marker, old, pic = page.records
    assert marker.version_id.startswith("CAEQMxiBgICAof2D0BYi") and marker.size == 0
    assert (old.size, old.etag, old.storage_class, old.object_type) == (
        93731,
        "250F8A0AE989679A22926A875F0A2****",
        "Standard",
        "Normal",
    )
    assert pic.size == 574768 and old.last_modified == 1554794848  # 2019-04-09T07:27:28Z
    assert not page.truncated and page.prefixes == []
    # ElementTree reads the same document (namespace or not) to the same page.
    assert listing_xml._parse_versions_tree(raw) == page
    assert listing_xml.parse_list_object_versions(golden("list_object_versions_versioned.xml")) == (
        page
    )
    # oss2's own parser finds the same entries, only in two lists.
    parsed = oss2.models.ListObjectVersionsResult.__new__(oss2.models.ListObjectVersionsResult)
    parsed.versions, parsed.delete_marker, parsed.common_prefix = [], [], []
    oss2.xml_utils.parse_list_object_versions(parsed, golden("list_object_versions_versioned.xml"))
    theirs = {(v.key, v.versionid, v.size, v.last_modified) for v in parsed.versions}
    theirs |= {(m.key, m.versionid, 0, m.last_modified) for m in parsed.delete_marker}
    assert {(r.key, r.version_id, r.size, r.last_modified) for r in page.records} == theirs


def test_the_unversioned_example_is_read_by_elementtree():
    # Empty elements written `<VersionId/>` are not the plain shape: read all the same.
    from ossbrowse.fs import listing_xml

    page = listing_xml.parse_list_object_versions(golden("list_object_versions_unversioned.xml"))
    assert [(r.key, r.version_id, r.is_latest, r.size) for r in page.records] == [
        (f"example-object-{i}.jpg", "", True, 20) for i in (1, 2, 3)
    ]
    assert page.records[2].last_modified == 1565438588  # 2019-08-10T12:03:08Z
