"""Deletes against the local OSS server: batches of 1000, marked keys, early-deletion price."""

from __future__ import annotations

import pytest

from ossbrowse.errors import ReadOnlyError, UsageError
from ossbrowse.ops.delete import plan_delete, run_delete
from tests.ops.conftest import keys_under


def test_delete_a_prefix_in_batches(bucket, ops_server):
    for i in range(1001):
        bucket.put_object(f"d/{i}", b"")
    bucket.put_object("keep", b"k")
    bucket.put_object("d/ia", b"12345", headers={"x-oss-storage-class": "IA"})
    plan = plan_delete(bucket, prefix="d/", recursive=True)
    assert plan.price.objects == 1002
    assert plan.price.requests == {"ListObjectsV2": 2, "DeleteMultipleObjects": 2}
    assert [(e.key, e.charged_days) for e in plan.price.early_deletions] == [("d/ia", 30)]
    report = run_delete(plan)
    assert report.deleted == 1002 and not report.failed
    assert keys_under(bucket) == ["keep"]


def test_marked_keys_and_folders(bucket):
    for key in ("a", "b", "f/1", "f/2", "g/x"):
        bucket.put_object(key, b"x")
    with pytest.raises(UsageError, match="-r"):
        plan_delete(bucket, keys=["a", "f/"])
    plan = plan_delete(bucket, keys=["a", "f/", "missing"], recursive=True)
    assert sorted(o.key for o in plan.objects) == ["a", "f/1", "f/2"]
    with pytest.raises(ReadOnlyError):
        run_delete(plan, read_only=True)
    run_delete(plan)
    assert keys_under(bucket) == ["b", "g/x"]
