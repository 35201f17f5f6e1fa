"""Bucket versioning on the local server through alibabacloud-oss-v2 (V4 and V1 signatures):
versioning status, versions kept, reading and copying an old version, delete markers and
undelete, the null version of a suspended bucket, paging ListObjectVersions, a batch delete
with version ids."""

from __future__ import annotations

import alibabacloud_oss_v2 as oss
import pytest

from tests.conformance.conftest import service_error


def _versioning(v2, bucket: str, status: str) -> None:
    config = oss.VersioningConfiguration(status=status)
    v2.put_bucket_versioning(
        oss.PutBucketVersioningRequest(bucket=bucket, versioning_configuration=config)
    )


def _put(v2, bucket: str, key: str, data: bytes):
    return v2.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=data))


def _get(v2, bucket: str, key: str, **kw) -> bytes:
    return v2.get_object(oss.GetObjectRequest(bucket=bucket, key=key, **kw)).body.read()


def _all_versions(v2, bucket: str, **kw) -> list[tuple[str, str, bool, bool]]:
    """(key, version id, is latest, delete marker) of every page, pages of `kw`'s size."""
    found = []
    key_marker = version_marker = None
    while True:
        page = v2.list_object_versions(
            oss.ListObjectVersionsRequest(
                bucket=bucket, key_marker=key_marker, version_id_marker=version_marker, **kw
            )
        )
        entries = [(v.key, v.version_id, v.is_latest, False) for v in page.version or []]
        entries += [(m.key, m.version_id, m.is_latest, True) for m in page.delete_marker or []]
        found += sorted(entries, key=lambda e: (e[0], e[1] if e[1] != "null" else "~"))
        if not page.is_truncated:
            return found
        key_marker, version_marker = page.next_key_marker, page.next_version_id_marker


def test_versions_markers_and_undelete(v2, oss_bucket):
    name = oss_bucket.bucket_name
    status = v2.get_bucket_versioning(oss.GetBucketVersioningRequest(bucket=name))
    assert status.version_status is None
    _versioning(v2, name, "Enabled")
    status = v2.get_bucket_versioning(oss.GetBucketVersioningRequest(bucket=name))
    assert status.version_status == "Enabled"
    first = _put(v2, name, "doc", b"first").version_id
    second = _put(v2, name, "doc", b"second").version_id
    assert first and second and first != second
    assert _get(v2, name, "doc", version_id=first) == b"first"
    head = v2.head_object(oss.HeadObjectRequest(bucket=name, key="doc", version_id=first))
    assert head.content_length == 5 and head.version_id == first
    deleted = v2.delete_object(oss.DeleteObjectRequest(bucket=name, key="doc"))
    assert deleted.delete_marker is True and deleted.version_id
    with pytest.raises(oss.exceptions.OperationError) as caught:
        _get(v2, name, "doc")
    assert service_error(caught).code == "NoSuchKey"
    assert service_error(caught).headers.get("x-oss-delete-marker") == "true"
    assert _all_versions(v2, name) == sorted(
        [
            ("doc", deleted.version_id, True, True),
            ("doc", second, False, False),
            ("doc", first, False, False),
        ],
        key=lambda e: e[1],
    )
    v2.delete_object(oss.DeleteObjectRequest(bucket=name, key="doc", version_id=deleted.version_id))
    assert _get(v2, name, "doc") == b"second"


def test_copy_an_old_version_over_the_current_one(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _versioning(v2, name, "Enabled")
    old = _put(v2, name, "k", b"old").version_id
    _put(v2, name, "k", b"new")
    copied = v2.copy_object(
        oss.CopyObjectRequest(
            bucket=name, key="k", source_bucket=name, source_key="k", source_version_id=old
        )
    )
    assert copied.source_version_id == old and copied.version_id not in (None, old)
    assert _get(v2, name, "k") == b"old"


def test_suspended_bucket_has_one_null_version(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _versioning(v2, name, "Enabled")
    kept = _put(v2, name, "k", b"kept").version_id
    _versioning(v2, name, "Suspended")
    assert _put(v2, name, "k", b"a").version_id == "null"
    assert _put(v2, name, "k", b"b").version_id == "null"
    assert _all_versions(v2, name) == [("k", kept, False, False), ("k", "null", True, False)]
    assert _get(v2, name, "k", version_id="null") == b"b"


def test_paging_one_entry_at_a_time(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _versioning(v2, name, "Enabled")
    for key in ("a", "b"):
        for data in (b"1", b"2", b"3"):
            _put(v2, name, key, data)
    paged = _all_versions(v2, name, max_keys=1)
    assert paged == _all_versions(v2, name)
    assert [e[0] for e in paged] == ["a"] * 3 + ["b"] * 3
    assert [e[2] for e in paged] == [True, False, False] * 2


def test_batch_delete_with_version_ids(v2, oss_bucket):
    name = oss_bucket.bucket_name
    _versioning(v2, name, "Enabled")
    first = _put(v2, name, "a", b"1").version_id
    second = _put(v2, name, "a", b"2").version_id
    marker = v2.delete_object(oss.DeleteObjectRequest(bucket=name, key="b")).version_id
    result = v2.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(
            bucket=name,
            objects=[
                oss.DeleteObject(key="a", version_id=first),
                oss.DeleteObject(key="b", version_id=marker),
            ],
        )
    )
    found = {(d.key, d.version_id): d for d in result.deleted_objects}
    assert found[("b", marker)].delete_marker is True
    assert found[("b", marker)].delete_marker_version_id == marker
    assert not found[("a", first)].delete_marker
    assert _all_versions(v2, name) == [("a", second, True, False)]
