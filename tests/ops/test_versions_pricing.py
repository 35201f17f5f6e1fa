"""Prices in versioned buckets: a delete frees nothing, a rename leaves old versions billed,
an overwrite keeps the previous version, a suspended bucket frees only null versions, and a
permanent deletion counts each version's bytes and early-deletion charge."""

from __future__ import annotations

from dataclasses import replace

from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.restore_state import NOT_RESTORED
from ossbrowse.ops.pricing import (
    DAY,
    describe_price,
    price_delete,
    price_edit,
    price_move,
    price_overwrite,
)
from ossbrowse.ops.version_pricing import price_delete_versions, price_revert, price_undelete

NOW = 1_700_000_000.0


def rec(key, size=100, cls="Standard", age_days=400, version_id="", latest=True, marker=False):
    return ObjectRecord(
        key,
        size,
        "E",
        NOW - age_days * DAY,
        cls,
        version_id=version_id,
        is_latest=latest,
        delete_marker=marker,
    )


def text(price):
    return "\n".join(describe_price(price))


def test_a_delete_in_a_versioned_bucket_frees_nothing():
    objects = [rec("a", 1000), rec("b", 24, cls="IA", age_days=3)]
    price = price_delete(objects, list_requests=1, now=NOW, versioning="Enabled")
    assert (price.delete_markers, price.freed_bytes) == (2, 0)
    assert (price.kept_versions, price.kept_bytes) == (2, 1024)
    assert price.early_deletions == []  # the data stays: no early deletion
    said = text(price)
    assert "adds 2 delete markers; frees 0 bytes; the old versions keep costing" in said
    assert "hidden behind delete markers" in said
    assert "deleted." not in said


def test_an_unversioned_delete_is_priced_as_before():
    price = price_delete([rec("b", 24, cls="IA", age_days=3)], now=NOW)
    assert price.freed_bytes == 24 and price.delete_markers == 0
    assert [e.charged_days for e in price.early_deletions] == [27]
    assert "delete marker" not in text(price)


def test_a_suspended_bucket_frees_only_the_null_versions():
    objects = [
        rec("null-one", 1000, cls="IA", age_days=1, version_id="null"),
        rec("versioned", 50, cls="IA", age_days=1, version_id="CAEQ1"),
    ]
    price = price_delete(objects, now=NOW, versioning="Suspended")
    assert price.delete_markers == 2
    assert price.freed_bytes == 1000
    assert (price.kept_versions, price.kept_bytes) == (1, 50)
    assert [e.key for e in price.early_deletions] == ["null-one"]
    assert "frees 1000 Bytes;" in text(price)


def test_a_rename_leaves_old_versions_billed_under_the_old_names():
    pairs = [(rec("a/1", 10), "b/1"), (rec("a/2", 20), "b/2")]
    existing = {"b/2": rec("b/2", 5, cls="IA", age_days=2)}
    price = price_move(pairs, existing=existing, now=NOW, versioning="Enabled")
    assert price.early_deletions == []
    assert price.kept_versions == 3  # two sources, one overwritten destination
    assert "old versions stay billed under the old names" in text(price)


def test_edit_and_overwrite_keep_the_previous_version_billed():
    edit = price_edit(rec("doc", 2048, cls="IA", age_days=5), 4096, now=NOW, versioning="Enabled")
    assert edit.early_deletions == [] and edit.kept_bytes == 2048
    assert "the previous version stays billed" in text(edit)
    over = price_overwrite(rec("doc", 10), 99, now=NOW, versioning="Enabled")
    assert "the previous version stays billed" in text(over)
    null = price_overwrite(rec("doc", 10, version_id="null"), 99, now=NOW, versioning="Suspended")
    assert null.freed_bytes == 10 and "null version is replaced" in text(null)


def test_deleting_versions_counts_their_bytes_and_early_charges_per_version():
    versions = [
        rec("k", 300, cls="IA", age_days=10, version_id="v3"),
        rec("k", 200, cls="IA", age_days=20, version_id="v2", latest=False),
        rec("k", 100, cls="IA", age_days=40, version_id="v1", latest=False),
        rec("k", 0, version_id="m1", latest=False, marker=True),
    ]
    price = price_delete_versions(versions, list_requests=1, now=NOW)
    assert (price.objects, price.bytes, price.freed_bytes) == (4, 600, 600)
    assert price.requests == {"ListObjectVersions": 1, "DeleteObject": 4}
    assert sorted(e.charged_days for e in price.early_deletions) == [10, 20]
    assert price.expensive
    said = text(price)
    assert "4 versions" in said and "cannot be undone" in said and "gone for good" in said


def test_undelete_and_revert_prices():
    back = price_undelete([rec("a", 10), rec("b", 20)], 3, list_requests=2)
    assert (back.objects, back.bytes) == (2, 30)
    assert back.requests == {"ListObjectVersions": 2, "DeleteObject": 3}
    assert "Removes 3 delete markers" in text(back)
    old = rec("k", 5, version_id="v1", latest=False)
    frozen = replace(rec("f", 5, cls="Archive", version_id="v0"), restore=NOT_RESTORED)
    price = price_revert([(old, rec("k", 7, version_id="v2")), (frozen, None)], [rec("new", 9)])
    assert price.requests == {"CopyObject": 1, "DeleteObject": 1}
    assert [b.key for b in price.blocked] == ["f"]
    assert "the previous version stays billed" in text(price)
    assert "1 object that did not exist then gets a delete marker" in text(price)
