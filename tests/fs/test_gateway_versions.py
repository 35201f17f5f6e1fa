"""The gateway's versioning calls (fs.gateway.versions, version_id= on object calls) against
the local server: versions and delete markers as the one object record, pages with both
markers, one version read, copied, restored, ACL'd and deleted, transient failures retried."""

from __future__ import annotations

import time

import pytest

from ossbrowse.fs.gateway import multipart, objects, versions
from ossbrowse.fs.restore_state import IN_PROGRESS
from ossbrowse.fs.retrying import RetryPolicy

FAST = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)


@pytest.fixture
def handle(oss_client, oss_bucket):
    """The gateway's handle of a fresh bucket, versioning enabled."""
    found = oss_client.bucket(oss_bucket.bucket_name)
    versions.put_versioning(found, versions.ENABLED)
    return found


def _put(handle, key: str, data: bytes) -> str:
    return objects.put_object(handle, key, data).version_id


def test_status_never_enabled_then_suspended(oss_client, oss_bucket):
    found = oss_client.bucket(oss_bucket.bucket_name)
    assert versions.get_versioning(found) == ""
    versions.put_versioning(found, versions.ENABLED)
    assert versions.get_versioning(found) == "Enabled"
    versions.put_versioning(found, versions.SUSPENDED)
    assert versions.get_versioning(found) == "Suspended"
    with pytest.raises(ValueError):
        versions.put_versioning(found, "Disabled")


def test_a_page_holds_versions_and_markers_as_records(handle):
    first = _put(handle, "dir/a", b"one")
    second = _put(handle, "dir/a", b"second")
    gone = objects.delete_object(handle, "dir/b")
    assert gone.delete_marker and gone.version_id
    page = versions.list_versions_page(handle, "dir/")
    assert [(r.key, r.version_id, r.is_latest, r.delete_marker) for r in page.records] == [
        ("dir/a", second, True, False),
        ("dir/a", first, False, False),
        ("dir/b", gone.version_id, True, True),
    ]
    assert [r.size for r in page.records] == [6, 3, 0]
    assert page.records[0].etag and page.records[0].last_modified
    assert not page.truncated and page.next_key_marker == ""


def test_pages_with_both_markers_and_a_delimiter(handle):
    for key in ("a", "b", "dir/x"):
        for data in (b"1", b"22", b"333"):
            _put(handle, key, data)
    pages = list(versions.iter_version_pages(handle, "", "/", page_size=2))
    assert [len(p.records) + len(p.prefixes) for p in pages] == [2, 2, 2, 1]
    assert pages[0].truncated and pages[0].next_key_marker == "a"
    assert pages[0].next_version_id_marker == pages[0].records[-1].version_id
    assert [p for page in pages for p in page.prefixes] == ["dir/"]
    every = list(versions.iter_versions(handle, page_size=4))
    assert [r.key for r in every] == ["a"] * 3 + ["b"] * 3 + ["dir/x"] * 3
    assert [r.is_latest for r in every] == [True, False, False] * 3
    assert [r.size for r in every[:3]] == [3, 2, 1]


def test_one_version_read_headed_and_deleted(handle):
    old = _put(handle, "k", b"old bytes")
    new = _put(handle, "k", b"new")
    record = objects.head(handle, "k", version_id=old)
    assert (record.size, record.version_id) == (9, old)
    assert objects.head(handle, "k").version_id == new
    body = objects.get_object(handle, "k", 4, 9, version_id=old)
    try:
        assert body.read() == b"bytes"
    finally:
        body.close()
    removed = objects.delete_object(handle, "k", version_id=new)
    assert (removed.version_id, removed.delete_marker) == (new, False)
    assert objects.head(handle, "k").version_id == old


def test_delete_then_undelete_gives_the_bytes_back(handle, tmp_path):
    kept = _put(handle, "k", b"precious")
    marker = objects.delete_object(handle, "k")
    assert marker.delete_marker
    objects.delete_object(handle, "k", version_id=marker.version_id)
    target = tmp_path / "k"
    objects.get_object_to_file(handle, "k", str(target))
    assert target.read_bytes() == b"precious"
    assert objects.head(handle, "k").version_id == kept


def test_copy_of_an_old_version_over_the_current_one(handle):
    old = _put(handle, "k", b"old")
    _put(handle, "k", b"new")
    written = objects.copy_object(handle, (handle.bucket_name, "k"), "k", source_version_id=old)
    assert written.version_id and written.version_id != old
    assert objects.head(handle, "k").size == 3


def test_part_copy_of_an_old_version(handle):
    old = _put(handle, "src", b"0123456789")
    _put(handle, "src", b"abcdefghij")
    upload = multipart.init_upload(handle, "dst")
    part = multipart.upload_part_copy(
        handle, "dst", upload, 1, (handle.bucket_name, "src"), (0, 3), source_version_id=old
    )
    multipart.complete_multipart_upload(handle, "dst", upload, [(1, part.etag)])
    body = objects.get_object(handle, "dst")
    try:
        assert body.read() == b"0123"
    finally:
        body.close()


def test_acl_and_restore_of_one_version(oss_server, handle):
    old = objects.put_object(handle, "k", b"cold", {"x-oss-storage-class": "Archive"}).version_id
    _put(handle, "k", b"warm")
    objects.write_object_acl(handle, "k", "public-read", version_id=old)
    assert objects.read_object_acl(handle, "k", version_id=old) == "public-read"
    assert objects.read_object_acl(handle, "k") == "default"
    assert objects.restore_object(handle, "k", 1, version_id=old) == 202
    record = objects.head(handle, "k", version_id=old)
    assert record.archived and record.restore == IN_PROGRESS
    with oss_server.store.lock:  # its restore ends now, as the passing of its delay would
        oss_server.store.get(handle.bucket_name, "k", old).restore_until = time.time() - 1
    assert objects.head(handle, "k", version_id=old).restore.readable


def test_a_listing_page_that_fails_once_is_sent_again(oss_faults, handle):
    _put(handle, "k", b"x")
    rule = oss_faults.add("list_object_versions:status=503:times=1")
    page = versions.list_versions_page(handle, policy=FAST)
    assert [r.key for r in page.records] == ["k"] and rule.fired == 1


def test_failures_name_what_is_missing(handle):
    from ossbrowse.errors import NoSuchKey, OssBrowseError

    _put(handle, "k", b"x")
    marker = objects.delete_object(handle, "k").version_id
    with pytest.raises(NoSuchKey) as missing:
        objects.head(handle, "k", version_id="CAEQnotthere")
    assert (missing.value.code, missing.value.status) == ("NoSuchVersion", 404)
    with pytest.raises(NoSuchKey) as deleted:
        objects.head(handle, "k")  # its latest version is a delete marker
    assert deleted.value.status == 404
    with pytest.raises(OssBrowseError) as refused:
        objects.get_object(handle, "k", version_id=marker)  # a delete marker has no body
    assert (refused.value.code, refused.value.status) == ("MethodNotAllowed", 405)
