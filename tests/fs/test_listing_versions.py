"""ListObjectVersions read by the one listing module (fs.listing_xml) against the local server:
versions and delete markers in the answer's own order even when their times are the same
second, hostile keys under encoding-type=url, pages with both markers (and a delimiter), the
lean pages du counts, and an unusual page read by ElementTree to the same values."""

from __future__ import annotations

import pytest

from ossbrowse.fs import listing_xml
from ossbrowse.fs.gateway import objects, versions
from ossbrowse.ops.versions import key_versions, markers_on_top, undelete
from tests.versions_helpers import T0, date_versions

HOSTILE = [
    "a\x01b",
    "esc\x1b[2J",
    "<tag>&amp;",
    "../../etc/passwd",
    "100% sure+plus",
    "sp ace/é/\u202etxt",
    "dir/%2F/x",
]


@pytest.fixture
def handle(oss_client, oss_bucket):
    found = oss_client.bucket(oss_bucket.bucket_name)
    versions.put_versioning(found, versions.ENABLED)
    return found


def _rows(records) -> list[tuple[str, str, bool, bool]]:
    return [(r.key, r.version_id, r.is_latest, r.delete_marker) for r in records]


def test_a_version_and_a_marker_of_the_same_second_keep_their_order(oss_server, handle):
    one = objects.put_object(handle, "k", b"1").version_id
    gone = objects.delete_object(handle, "k").version_id
    two = objects.put_object(handle, "k", b"22").version_id
    date_versions(oss_server, handle, "k", [T0, T0, T0])  # one second for all three
    expected = [("k", two, True, False), ("k", gone, False, True), ("k", one, False, False)]
    assert _rows(versions.list_versions_page(handle).records) == expected
    assert _rows(versions.iter_versions(handle, page_size=1)) == expected
    lean = listing_xml.list_object_versions_lean(handle)
    assert [o[0] for o in lean.objects] == ["k", "k"] and lean.delete_markers == ["k"]
    assert [o[3] for o in lean.objects] == [T0, T0]


def test_undelete_removes_only_the_markers_above_the_newest_version(oss_server, handle):
    objects.put_object(handle, "k", b"old")
    under = objects.delete_object(handle, "k").version_id
    newest = objects.put_object(handle, "k", b"newest").version_id
    top = objects.delete_object(handle, "k").version_id
    date_versions(oss_server, handle, "k", [T0] * 4)
    history = key_versions(handle, "k")
    markers, comes_back = markers_on_top(history)
    assert [m.version_id for m in markers] == [top]
    assert comes_back is not None and comes_back.version_id == newest
    assert undelete(handle, "k").version_id == newest
    left = key_versions(handle, "k")
    assert [(r.version_id, r.delete_marker) for r in left][:2] == [(newest, False), (under, True)]
    assert objects.head(handle, "k").size == len(b"newest")


def test_hostile_keys_come_back_exactly(handle):
    for key in HOSTILE:
        objects.put_object(handle, key, b"x")
        objects.delete_object(handle, key)
    every = list(versions.iter_versions(handle, page_size=3))
    assert [r.key for r in every] == [k for k in sorted(HOSTILE) for _ in (0, 1)]
    assert [r.delete_marker for r in every] == [True, False] * len(HOSTILE)
    lean = [p for p in listing_xml.iter_lean_version_pages(handle, max_keys=3)]
    assert [o[0] for p in lean for o in p.objects] == sorted(HOSTILE)
    assert [k for p in lean for k in p.delete_markers] == sorted(HOSTILE)
    # One level: the folders among them as common prefixes, decoded.
    pages = list(versions.iter_version_pages(handle, "", "/", page_size=2))
    prefixes = [p for page in pages for p in page.prefixes]
    assert prefixes == ["../", "dir/", "sp ace/"]
    direct = sorted({r.key for page in pages for r in page.records})
    assert direct == sorted(k for k in HOSTILE if "/" not in k)


def test_pages_with_both_markers_give_the_whole_listing_once(handle):
    for key in ("a", "b", "dir/c"):
        for data in (b"1", b"22", b"333"):
            objects.put_object(handle, key, data)
        objects.delete_object(handle, key)
    whole = _rows(versions.list_versions_page(handle).records)
    assert len(whole) == 12
    for size in (1, 2, 3, 5):
        pages = list(versions.iter_version_pages(handle, page_size=size))
        assert _rows(r for p in pages for r in p.records) == whole, size
        # A page that ends inside a key's versions names the last entry it gave.
        for page in pages[:-1]:
            last = page.records[-1]
            assert page.truncated
            assert (page.next_key_marker, page.next_version_id_marker) == (
                last.key,
                last.version_id,
            )
        assert not pages[-1].truncated and pages[-1].next_key_marker == ""
    # Going on from a listed entry gives exactly what follows it.
    key, version_id = whole[4][0], whole[4][1]
    after = versions.list_versions_page(handle, key_marker=key, version_id_marker=version_id)
    assert _rows(after.records) == whole[5:]
    first = next(versions.iter_version_pages(handle, page_size=1000, first_page_size=2))
    assert _rows(first.records) == whole[:2]


def test_an_unusual_page_is_read_to_the_same_values(oss_server, handle):
    from tests.emulator.helpers import signed_request

    for key in HOSTILE[:3]:
        objects.put_object(handle, key, b"abc", {"x-oss-storage-class": "IA"})
        objects.delete_object(handle, key)
    name = handle.bucket_name
    params = {"versions": "", "encoding-type": "url", "max-keys": "4"}
    status, body = signed_request(oss_server, "GET", name, "", params=params, path=f"/{name}/")
    assert status == 200
    plain = listing_xml._parse_versions_plain(body)  # the expressions read it: no fallback
    assert plain.truncated and len(plain.records) == 4
    # A comment sends the page to ElementTree: the same values, in the same order.
    odd = body.replace(b"<IsTruncated>", b"<!-- why --><IsTruncated>", 1)
    assert listing_xml.parse_list_object_versions(odd) == plain
    assert listing_xml.parse_list_object_versions_lean(odd) == (
        listing_xml.parse_list_object_versions_lean(body)
    )
    assert listing_xml.lean_versions(plain) == listing_xml.parse_list_object_versions_lean(body)
    assert {o[2] for o in listing_xml.lean_versions(plain).objects} == {"IA"}
