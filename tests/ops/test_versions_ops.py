"""Version operations against the local server: undelete gives the bytes back, restoring an
older version gives the old bytes, the undelete-after and revert plans pick exactly the keys
the times say, a suspended bucket's delete is priced as freeing its null versions only."""

from __future__ import annotations

import pytest

from ossbrowse.errors import NotFoundError, UsageError
from ossbrowse.ops.delete import plan_delete
from ossbrowse.ops.version_plans import (
    plan_delete_versions,
    plan_revert,
    plan_undelete,
    run_delete_versions,
    run_revert,
    run_undelete,
)
from ossbrowse.ops.versions import (
    bucket_versioning,
    find_version,
    key_versions,
    restore_version,
    undelete,
)
from tests.versions_helpers import DAY, T0, date_versions, versioned


@pytest.fixture
def vbucket(new_bucket):
    return versioned(new_bucket())


def test_delete_then_undelete_gives_the_bytes_back(vbucket):
    assert bucket_versioning(vbucket) == "Enabled"
    vbucket.put_object("k", b"precious")
    vbucket.delete_object("k")
    vbucket.delete_object("k")  # a second marker on top
    assert not vbucket.object_exists("k")
    back = undelete(vbucket, "k")
    assert vbucket.get_object("k").read() == b"precious"
    assert back.version_id == key_versions(vbucket, "k")[0].version_id
    with pytest.raises(UsageError, match="is not deleted"):
        undelete(vbucket, "k")


def test_restoring_an_older_version_gives_the_old_bytes(vbucket):
    old = vbucket.put_object("k", b"old").versionid
    vbucket.put_object("k", b"new")
    restored = restore_version(vbucket, find_version(vbucket, "k", old))
    assert vbucket.get_object("k").read() == b"old"
    assert restored.new_version and restored.new_version != old
    vbucket.delete_object("k")
    marker = key_versions(vbucket, "k")[0]
    with pytest.raises(UsageError, match="delete marker"):
        restore_version(vbucket, marker)
    with pytest.raises(NotFoundError, match="has no version nope"):
        find_version(vbucket, "k", "nope")
    with pytest.raises(Exception, match="read-only"):
        restore_version(vbucket, find_version(vbucket, "k", old), read_only=True)


def test_undelete_after_a_time_picks_only_what_was_deleted_since(ops_server, vbucket):
    server = ops_server
    for key in ("p/early", "p/late", "p/alive", "p/twice"):
        vbucket.put_object(key, key.encode())
    for key in ("p/early", "p/late", "p/twice"):
        vbucket.delete_object(key)
    vbucket.delete_object("p/twice")
    date_versions(server, vbucket, "p/early", [T0 + 10, T0])
    date_versions(server, vbucket, "p/late", [T0 + 2 * DAY, T0])
    date_versions(server, vbucket, "p/alive", [T0])
    date_versions(server, vbucket, "p/twice", [T0 + 3 * DAY, T0 + 2 * DAY, T0])
    plan = plan_undelete(vbucket, "p/", after=T0 + DAY)
    assert [i.key for i in plan.items] == ["p/late", "p/twice"]
    assert plan.still_deleted == 1
    assert plan.price.delete_markers == 3 and plan.price.objects == 2
    assert plan.price.requests == {"ListObjectVersions": 1, "DeleteObject": 3}
    report = run_undelete(plan)
    assert (report.done, report.failed) == (2, [])
    assert vbucket.get_object("p/twice").read() == b"p/twice"
    assert not vbucket.object_exists("p/early")


def test_revert_one_key_to_a_time(ops_server, vbucket):
    server = ops_server
    vbucket.put_object("k", b"monday")
    vbucket.put_object("k", b"tuesday")
    vbucket.put_object("k", b"wednesday")
    date_versions(server, vbucket, "k", [T0 + 2 * DAY, T0 + DAY, T0])
    plan = plan_revert(vbucket, "k", before=T0 + DAY + 1)
    assert [(i.key, i.source.size) for i in plan.items] == [("k", 7)]
    assert run_revert(plan).done == 1
    assert vbucket.get_object("k").read() == b"tuesday"
    assert plan_revert(vbucket, "k", before=T0 + DAY + 1).items == []  # reads so already
    with pytest.raises(UsageError, match="-r"):
        plan_revert(vbucket, "folder/", before=T0)


def test_a_suspended_bucket_frees_only_null_versions(vbucket):
    vbucket.put_object("versioned", b"12345")  # written while versioning was on
    versioned(vbucket, "Suspended")
    vbucket.put_object("null", b"1234567890")  # the null version
    plan = plan_delete(vbucket, keys=["versioned", "null"])
    price = plan.price
    assert price.versioning == "Suspended"
    assert price.delete_markers == 2
    assert price.freed_bytes == 10 and price.kept_bytes == 5


def test_a_prefix_delete_in_a_suspended_bucket_lists_current_version_ids(vbucket):
    vbucket.put_object("d/kept", b"12345")
    versioned(vbucket, "Suspended")
    vbucket.put_object("d/freed", b"1234567890")
    plan = plan_delete(vbucket, prefix="d/", recursive=True)
    assert plan.price.freed_bytes == 10
    assert plan.price.requests["ListObjectVersions"] == 1


def test_delete_versions_for_good_removes_every_version(vbucket):
    vbucket.put_object("x/a", b"1")
    vbucket.put_object("x/a", b"22")
    vbucket.delete_object("x/a")
    plan = plan_delete_versions(vbucket, prefixes=["x/"])
    assert (plan.price.objects, plan.price.freed_bytes, plan.keys) == (3, 3, 1)
    assert run_delete_versions(plan).done == 3
    assert key_versions(vbucket, "x/a") == []
