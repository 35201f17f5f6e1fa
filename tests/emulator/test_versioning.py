"""Bucket versioning on the local server, through oss2's own versioning calls: versions kept on
overwrite, delete markers, reading, copying, restoring and deleting one version, the null
version of a suspended bucket, ListObjectVersions paging, delimiter and url encoding."""

from __future__ import annotations

import time

import oss2
import pytest
from oss2.models import BatchDeleteObjectVersion, BatchDeleteObjectVersionList

from tests.emulator.helpers import signed_request

ENABLED = oss2.BUCKET_VERSIONING_ENABLE
SUSPENDED = oss2.BUCKET_VERSIONING_SUSPEND


def versioned(bucket, status=ENABLED):
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig(status))
    return bucket


def listing(bucket, key_marker="", **kw):
    """Every entry of every page: (key, version id, is latest, delete marker), by key, then
    by id with "null" last (oss2 splits a page into versions and delete markers, so the
    answer's own order is lost here: test_versioning_xml checks it)."""
    entries, version_marker = [], ""
    while True:
        page = bucket.list_object_versions(
            key_marker=key_marker, versionid_marker=version_marker, **kw
        )
        entries += _page_entries(page)
        if not page.is_truncated:
            return entries
        key_marker, version_marker = page.next_key_marker, page.next_versionid_marker


def _page_entries(page):
    body = [(v.key, v.versionid, v.is_latest, False) for v in page.versions]
    body += [(m.key, m.versionid, m.is_latest, True) for m in page.delete_marker]
    return sorted(body, key=lambda e: (e[0], e[1] if e[1] != "null" else "~"))


def test_status_goes_enabled_then_suspended(oss_bucket):
    assert oss_bucket.get_bucket_versioning().status is None
    assert oss_bucket.get_bucket_info().versioning_status is None
    versioned(oss_bucket)
    assert oss_bucket.get_bucket_versioning().status == "Enabled"
    assert oss_bucket.get_bucket_info().versioning_status == "Enabled"
    versioned(oss_bucket, SUSPENDED)
    assert oss_bucket.get_bucket_versioning().status == "Suspended"
    assert oss_bucket.get_bucket_info().versioning_status == "Suspended"


def test_a_bad_status_is_refused(oss_bucket):
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        oss_bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig("Sometimes"))
    assert (caught.value.status, caught.value.code) == (400, "InvalidArgument")


def test_overwrite_keeps_the_old_version_readable_by_its_id(oss_bucket):
    versioned(oss_bucket)
    first = oss_bucket.put_object("k", b"one").versionid
    second = oss_bucket.put_object("k", b"two").versionid
    assert first and second and first != second
    assert second < first  # newer ids sort first, as OSS lists them
    assert oss_bucket.get_object("k").read() == b"two"
    old = oss_bucket.get_object("k", params={"versionId": first})
    assert old.read() == b"one" and old.versionid == first
    head = oss_bucket.head_object("k", params={"versionId": first})
    assert head.content_length == 3 and head.versionid == first
    assert oss_bucket.head_object("k").versionid == second
    assert listing(oss_bucket) == [("k", second, True, False), ("k", first, False, False)]
    # A plain listing shows only the live object.
    assert [o.key for o in oss_bucket.list_objects_v2().object_list] == ["k"]


def test_a_version_that_is_not_there_is_no_such_version(oss_bucket):
    versioned(oss_bucket)
    oss_bucket.put_object("k", b"x")
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        oss_bucket.get_object("k", params={"versionId": "CAEQnotthere"})
    assert (caught.value.status, caught.value.code) == (404, "NoSuchVersion")


def test_delete_adds_a_marker_and_removing_it_undeletes(oss_bucket):
    versioned(oss_bucket)
    kept = oss_bucket.put_object("k", b"precious").versionid
    answer = oss_bucket.delete_object("k")
    marker = answer.versionid
    assert answer.headers["x-oss-delete-marker"] == "true" and marker and marker != kept
    with pytest.raises(oss2.exceptions.NoSuchKey) as caught:
        oss_bucket.get_object("k")
    assert caught.value.headers["x-oss-delete-marker"] == "true"
    assert caught.value.headers["x-oss-version-id"] == marker
    with pytest.raises(oss2.exceptions.NotFound) as head:
        oss_bucket.head_object("k")
    assert head.value.headers["x-oss-delete-marker"] == "true"
    assert oss_bucket.list_objects_v2().object_list == []
    # The marker itself has no body: OSS answers 405.
    with pytest.raises(oss2.exceptions.ServerError) as refused:
        oss_bucket.get_object("k", params={"versionId": marker})
    assert (refused.value.status, refused.value.code) == (405, "MethodNotAllowed")
    assert refused.value.headers["x-oss-delete-marker"] == "true"
    assert listing(oss_bucket) == [("k", marker, True, True), ("k", kept, False, False)]

    gone = oss_bucket.delete_object("k", params={"versionId": marker})
    assert gone.versionid == marker and gone.headers["x-oss-delete-marker"] == "true"
    assert oss_bucket.get_object("k").read() == b"precious"
    assert listing(oss_bucket) == [("k", kept, True, False)]


def test_deleting_a_version_for_good(oss_bucket):
    versioned(oss_bucket)
    first = oss_bucket.put_object("k", b"one").versionid
    second = oss_bucket.put_object("k", b"two").versionid
    answer = oss_bucket.delete_object("k", params={"versionId": second})
    assert answer.versionid == second and "x-oss-delete-marker" not in answer.headers
    assert oss_bucket.get_object("k").read() == b"one"  # the older version is live again
    oss_bucket.delete_object("k", params={"versionId": first})
    assert not oss_bucket.object_exists("k") and listing(oss_bucket) == []
    oss_bucket.delete_bucket()  # nothing left: the bucket can go


def test_a_bucket_with_old_versions_is_not_empty(oss_bucket):
    versioned(oss_bucket)
    oss_bucket.put_object("k", b"x")
    oss_bucket.delete_object("k")
    with pytest.raises(oss2.exceptions.BucketNotEmpty):
        oss_bucket.delete_bucket()


def test_suspended_bucket_writes_and_deletes_the_null_version(oss_bucket):
    oss_bucket.put_object("k", b"before")  # written before versioning: the null version
    versioned(oss_bucket)
    enabled = oss_bucket.put_object("k", b"enabled").versionid
    assert listing(oss_bucket) == [("k", enabled, True, False), ("k", "null", False, False)]
    versioned(oss_bucket, SUSPENDED)
    put = oss_bucket.put_object("k", b"suspended-1")
    assert put.versionid == "null"
    # The new null version replaced the old one; the enabled-time version stays.
    assert listing(oss_bucket) == [("k", enabled, False, False), ("k", "null", True, False)]
    assert [e[2] for e in listing(oss_bucket) if e[1] == "null"] == [True]
    oss_bucket.put_object("k", b"suspended-2")
    assert oss_bucket.get_object("k", params={"versionId": "null"}).read() == b"suspended-2"
    assert len(listing(oss_bucket)) == 2
    # A delete adds a null delete marker, which replaces the null version.
    answer = oss_bucket.delete_object("k")
    assert answer.versionid == "null" and answer.headers["x-oss-delete-marker"] == "true"
    assert listing(oss_bucket) == [("k", enabled, False, False), ("k", "null", True, True)]
    oss_bucket.delete_object("k", params={"versionId": "null"})
    assert oss_bucket.get_object("k").read() == b"enabled"


def test_paging_with_both_markers_one_entry_a_page(oss_bucket):
    versioned(oss_bucket)
    expected = []
    for key in ("a", "b/c", "d"):
        ids = [oss_bucket.put_object(key, key.encode() * n).versionid for n in (1, 2, 3)]
        expected += [(key, vid, vid == ids[-1], False) for vid in reversed(ids)]
    marker = oss_bucket.delete_object("b/c").versionid
    expected.insert(3, ("b/c", marker, True, True))
    expected[4] = ("b/c", expected[4][1], False, False)
    pages = []
    key_marker = version_marker = ""
    while True:
        page = oss_bucket.list_object_versions(
            key_marker=key_marker, versionid_marker=version_marker, max_keys=1
        )
        got = _page_entries(page)
        assert len(got) == 1
        pages += got
        if not page.is_truncated:
            break
        assert (page.next_key_marker, page.next_versionid_marker) == got[0][:2]
        key_marker, version_marker = page.next_key_marker, page.next_versionid_marker
    assert pages == expected
    # key-marker alone starts after every version of that key.
    assert [e[0] for e in listing(oss_bucket, key_marker="b/c")] == ["d"] * 3


def test_delimiter_and_prefix(oss_bucket):
    versioned(oss_bucket)
    for key in ("dir/a", "dir/sub/b", "dir/sub/c", "top"):
        oss_bucket.put_object(key, b"1")
        oss_bucket.put_object(key, b"2")
    oss_bucket.delete_object("dir/gone")  # a key with only a delete marker
    page = oss_bucket.list_object_versions(prefix="dir/", delimiter="/")
    assert page.common_prefix == ["dir/sub/"]
    assert sorted({v.key for v in page.versions}) == ["dir/a"]
    assert [m.key for m in page.delete_marker] == ["dir/gone"]
    # A folder whose objects are all deleted still shows while listing versions.
    oss_bucket.delete_object("dir/sub/b")
    oss_bucket.delete_object("dir/sub/c")
    assert oss_bucket.list_objects_v2(prefix="dir/", delimiter="/").prefix_list == []
    page = oss_bucket.list_object_versions(prefix="dir/", delimiter="/")
    assert page.common_prefix == ["dir/sub/"]
    # Paged one at a time, the common prefix comes once.
    seen = listing(oss_bucket, prefix="", delimiter="/", max_keys=1)
    assert [e[0] for e in seen] == ["top", "top"]


def test_hostile_keys_with_url_encoding(oss_bucket):
    versioned(oss_bucket)
    keys = ["ctl\x01\x1b[31m", "../up", "sp ace&<x>", "ü/ñ"]
    for key in keys:
        oss_bucket.put_object(key, b"1")
        oss_bucket.delete_object(key)
    # oss2 asks for encoding-type=url and decodes the keys.
    got = listing(oss_bucket, max_keys=3)
    assert sorted({e[0] for e in got}) == sorted(keys)
    assert len(got) == 8


def test_delete_multiple_with_version_ids(oss_bucket):
    versioned(oss_bucket)
    first = oss_bucket.put_object("a", b"1").versionid
    second = oss_bucket.put_object("a", b"2").versionid
    oss_bucket.put_object("b", b"x")
    marker = oss_bucket.delete_object("c").versionid  # only a marker
    batch = BatchDeleteObjectVersionList()
    batch.append(BatchDeleteObjectVersion("a", first))
    batch.append(BatchDeleteObjectVersion("c", marker))
    result = oss_bucket.delete_object_versions(batch)
    found = {(d.key, d.versionid): d for d in result.delete_versions}
    assert found[("a", first)].delete_marker is False
    assert found[("c", marker)].delete_marker is True
    assert found[("c", marker)].delete_marker_versionid == marker
    # Without version ids, a versioned bucket gets delete markers.
    plain = oss_bucket.batch_delete_objects(["a", "b"])
    assert {d.key for d in plain.delete_versions} == {"a", "b"}
    assert all(d.delete_marker and d.delete_marker_versionid for d in plain.delete_versions)
    assert oss_bucket.get_object("a", params={"versionId": second}).read() == b"2"
    assert oss_bucket.list_objects_v2().object_list == []


def test_copy_from_a_version_restores_old_bytes(oss_bucket):
    versioned(oss_bucket)
    old = oss_bucket.put_object("k", b"old bytes").versionid
    oss_bucket.put_object("k", b"new bytes")
    result = oss_bucket.copy_object(oss_bucket.bucket_name, "k", "k", params={"versionId": old})
    assert result.headers["x-oss-copy-source-version-id"] == old
    assert result.versionid and result.versionid != old
    assert oss_bucket.get_object("k").read() == b"old bytes"
    assert len(listing(oss_bucket)) == 3
    oss_bucket.copy_object(oss_bucket.bucket_name, "k", "other", params={"versionId": old})
    assert oss_bucket.get_object("other").read() == b"old bytes"


def test_part_copy_from_a_version(oss_bucket):
    versioned(oss_bucket)
    old = oss_bucket.put_object("src", b"0123456789").versionid
    oss_bucket.put_object("src", b"abcdefghij")
    upload = oss_bucket.init_multipart_upload("dst").upload_id
    part = oss_bucket.upload_part_copy(
        oss_bucket.bucket_name, "src", (2, 5), "dst", upload, 1, params={"versionId": old}
    )
    done = oss_bucket.complete_multipart_upload("dst", upload, [oss2.models.PartInfo(1, part.etag)])
    assert done.versionid
    assert oss_bucket.get_object("dst").read() == b"2345"


def test_append_grows_the_live_version_in_place(oss_server, oss_bucket):
    versioned(oss_bucket)
    first = oss_bucket.append_object("log", 0, b"a")
    again = oss_bucket.append_object("log", 1, b"b")
    assert first.versionid and again.versionid == first.versionid
    assert oss_bucket.get_object("log").read() == b"ab"
    assert len(listing(oss_bucket)) == 1
    # OSS appends only to the live version: naming one is refused.
    params = {"append": "", "position": "2", "versionId": first.versionid}
    status, body = signed_request(
        oss_server, "POST", oss_bucket.bucket_name, "log", b"c", params=params
    )
    assert status == 400 and b"InvalidArgument" in body


def test_object_acl_of_one_version(oss_bucket):
    versioned(oss_bucket)
    old = oss_bucket.put_object("k", b"1").versionid
    oss_bucket.put_object("k", b"2")
    oss_bucket.put_object_acl("k", "public-read", params={"versionId": old})
    assert oss_bucket.get_object_acl("k", params={"versionId": old}).acl == "public-read"
    assert oss_bucket.get_object_acl("k").acl == "default"


def test_restore_of_an_archived_version(oss_server, oss_bucket, long_restore):
    versioned(oss_bucket)
    cold = {"x-oss-storage-class": "Archive"}
    old = oss_bucket.put_object("k", b"frozen old", headers=cold).versionid
    oss_bucket.put_object("k", b"frozen new", headers=cold)
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        oss_bucket.get_object("k", params={"versionId": old})
    assert caught.value.status == 403
    answer = oss_bucket.restore_object("k", params={"versionId": old})
    assert answer.status == 202 and answer.versionid == old
    with oss_server.store.lock:  # its restore ends now, as the passing of its delay would
        meta = oss_server.store.get(oss_bucket.bucket_name, "k", old)
        meta.restore_until = time.time() - 1
    assert oss_bucket.get_object("k", params={"versionId": old}).read() == b"frozen old"
    with pytest.raises(oss2.exceptions.ServerError):
        oss_bucket.get_object("k")  # the live version was never restored


def test_forbid_overwrite_is_void_in_a_versioned_bucket(oss_bucket):
    """OSS: x-oss-forbid-overwrite does not apply once versioning is enabled or suspended."""
    forbid = {"x-oss-forbid-overwrite": "true"}
    oss_bucket.put_object("k", b"1")
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        oss_bucket.put_object("k", b"2", headers=forbid)
    assert caught.value.status == 409
    versioned(oss_bucket)
    oss_bucket.put_object("k", b"2", headers=forbid)
    versioned(oss_bucket, SUSPENDED)
    oss_bucket.put_object("k", b"3", headers=forbid)
    assert oss_bucket.get_object("k").read() == b"3"
    assert len(listing(oss_bucket)) == 2  # the enabled-time version; "3" replaced the null one


def test_a_version_id_marker_needs_a_key_marker(oss_bucket):
    versioned(oss_bucket)
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        oss_bucket.list_object_versions(versionid_marker="CAEQx")
    assert (caught.value.status, caught.value.code) == (400, "InvalidArgument")


def test_tags_and_meta_of_one_version(oss_bucket):
    versioned(oss_bucket)
    old = oss_bucket.put_object("k", b"old!").versionid
    oss_bucket.put_object("k", b"new")
    rule = oss2.models.TaggingRule()
    rule.add("state", "old")
    oss_bucket.put_object_tagging("k", oss2.models.Tagging(rule), params={"versionId": old})
    tags = oss_bucket.get_object_tagging("k", params={"versionId": old}).tag_set.tagging_rule
    assert tags == {"state": "old"}
    assert oss_bucket.get_object_tagging("k").tag_set.tagging_rule == {}
    meta = oss_bucket.get_object_meta("k", params={"versionId": old})
    assert meta.content_length == 4 and meta.headers["x-oss-version-id"] == old
