"""The one object record, the one storage-class table and the one restore reader (pure logic:
headers and listing entries in, records out; the golden headers are OSS's own examples)."""

from __future__ import annotations

import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest

from ossbrowse.fs import records, storage_classes
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.fs.listing_xml import parse_list_objects_v2
from ossbrowse.fs.restore_state import (
    NOT_NEEDED,
    RestoreState,
    RestoreStatus,
    describe_restore,
    restore_state,
)
from tests.conformance.shapes import golden_headers

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _http(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


# --- the class table ----------------------------------------------------------------------------


def test_class_table_rows():
    table = storage_classes.CLASSES
    assert set(table) == {"Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"}
    assert {"Archive", "ColdArchive", "DeepColdArchive"} == storage_classes.ARCHIVE_CLASSES
    assert not table["Standard"].archived and not table["IA"].archived
    assert storage_classes.MINIMUM_DAYS == {
        "IA": 30,
        "Archive": 60,
        "ColdArchive": 180,
        "DeepColdArchive": 180,
    }
    assert {"ColdArchive", "DeepColdArchive"} == storage_classes.COUNTS_FROM_TRANSITION
    assert storage_classes.minimum_days("Standard") == 0 == storage_classes.minimum_days(None)
    assert storage_classes.storage_class("NewClass") is None


def test_class_table_restore_ranges_and_tiers():
    archive = storage_classes.restore_options("Archive")
    assert archive is not None and (archive.min_days, archive.max_days) == (1, 7)
    assert archive.tiers == () and archive.expected_wait() == "about 1 minute"
    cold = storage_classes.restore_options("ColdArchive")
    assert cold is not None and (cold.min_days, cold.max_days) == (1, 365)
    assert [t.name for t in cold.tiers] == ["Expedited", "Standard", "Bulk"]
    assert cold.expected_wait() == "2 to 5 hours" and cold.expected_wait("bulk") == "5 to 12 hours"
    deep = storage_classes.restore_options("DeepColdArchive")
    assert deep is not None and [t.name for t in deep.tiers] == ["Expedited", "Standard"]
    assert storage_classes.restore_options("IA") is None


def test_early_deletion_counts_from_the_transition_for_cold_classes_only():
    start = storage_classes.early_deletion_start
    assert start("ColdArchive", 100.0, 500.0) == 500.0
    assert start("ColdArchive", 100.0, None) == 100.0  # OSS did not say: Last-Modified
    assert start("Archive", 100.0, 500.0) == 100.0


# --- the restore reader ---------------------------------------------------------------------


def test_restore_reader_states():
    assert restore_state("Standard", None) is NOT_NEEDED
    # Whatever the header says, a class that needs no restore is readable.
    assert restore_state("IA", 'ongoing-request="true"') is NOT_NEEDED
    assert restore_state("Archive", None).status is RestoreStatus.NOT_RESTORED
    assert restore_state("Archive", "").status is RestoreStatus.NOT_RESTORED
    ongoing = restore_state("ColdArchive", 'ongoing-request = "TRUE"')
    assert ongoing.status is RestoreStatus.IN_PROGRESS and not ongoing.readable


def test_restore_reader_expiry_in_the_future_and_in_the_past():
    later = NOW + timedelta(days=2)
    done = restore_state("Archive", f'ongoing-request="false", expiry-date="{_http(later)}"', NOW)
    assert done == RestoreState(RestoreStatus.RESTORED, later) and done.readable
    assert describe_restore(done) == "restored until 2026-01-03 00:00 UTC"
    gone = restore_state(
        "Archive",
        f'ongoing-request="false", expiry-date="{_http(NOW - timedelta(seconds=1))}"',
        NOW,
    )
    assert gone.status is RestoreStatus.NOT_RESTORED and not gone.readable
    # ISO 8601 (some SDKs) and no expiry at all
    iso = restore_state(
        "Archive", 'ongoing-request="false", expiry-date="2026-01-05T00:00:00Z"', NOW
    )
    assert iso.status is RestoreStatus.RESTORED and iso.expires == NOW + timedelta(days=4)
    assert restore_state("Archive", 'ongoing-request="false"', NOW).status is RestoreStatus.RESTORED


# --- HEAD headers to a record ---------------------------------------------------------------


def test_head_headers_to_record():
    record = records.from_head(
        "a/b.txt",
        {
            "Content-Length": "344606",
            "ETag": '"FBA9DEDE"',
            "Last-Modified": "Fri, 24 Feb 2012 06:07:48 GMT",
            "x-oss-storage-class": "ColdArchive",
            "x-oss-object-type": "Multipart",
            "x-oss-hash-crc64ecma": "12345678901234567890",
            "x-oss-transition-time": "Sat, 25 Feb 2012 06:07:48 GMT",
            "x-oss-restore": 'ongoing-request="true"',
            "x-oss-meta-mtime": "1600000000",
            "x-oss-meta-mode": "33188",
            "X-Oss-Meta-Owner": "ops",
        },
    )
    assert (record.key, record.size, record.etag) == ("a/b.txt", 344606, "FBA9DEDE")
    assert record.last_modified == datetime(2012, 2, 24, 6, 7, 48, tzinfo=timezone.utc).timestamp()
    assert record.transition_time == record.last_modified + 86400
    assert (record.storage_class, record.object_type) == ("ColdArchive", "Multipart")
    assert record.crc64 == 12345678901234567890 and record.archived and record.restore_known
    assert record.restore.status is RestoreStatus.IN_PROGRESS
    assert (record.meta_mtime, record.meta_mode, record.mtime) == (
        1600000000.0,
        "33188",
        1600000000.0,
    )
    assert dict(record.user_meta) == {"mtime": "1600000000", "mode": "33188", "owner": "ops"}


def test_head_of_a_plain_object_without_optional_headers():
    record = records.from_head("k", {"content-length": "0", "x-oss-meta-mtime": "nan"})
    assert (record.size, record.etag, record.last_modified) == (0, "", None)
    assert (record.storage_class, record.restore, record.crc64) == ("Standard", NOT_NEEDED, None)
    assert record.meta_mtime is None and record.mtime is None
    assert record.user_meta == {"mtime": "nan"}


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("head_object_archive.txt", RestoreStatus.NOT_RESTORED),
        ("head_object_restoring.txt", RestoreStatus.IN_PROGRESS),
        # The reference's example expired on 16 April 2017: not readable any more.
        ("head_object_restored.txt", RestoreStatus.NOT_RESTORED),
    ],
)
def test_golden_head_answers(name, status):
    record = records.from_head("photo.jpg", golden_headers(name))
    assert (record.size, record.etag, record.storage_class) == (
        344606,
        "fba9dede5f27731c9771645a3986****",
        "Archive",
    )
    assert record.object_type == "Normal" and record.restore.status is status


def test_golden_restored_answer_before_its_expiry():
    headers = golden_headers("head_object_restored.txt")
    before = datetime(2017, 4, 16, 8, 0, tzinfo=timezone.utc)
    state = restore_state(headers["x-oss-storage-class"], headers["x-oss-restore"], before)
    assert state.status is RestoreStatus.RESTORED
    assert state.expires == datetime(2017, 4, 16, 8, 12, 33, tzinfo=timezone.utc)


def test_transfer_refuses_an_archived_source_whose_restore_expired():
    # The download used to accept any `ongoing-request="false"`, expired or not.
    from ossbrowse.transfer.download import refuse_unrestored
    from ossbrowse.transfer.failures import NotRestored

    expired = records.from_head("photo.jpg", golden_headers("head_object_restored.txt"))
    with pytest.raises(NotRestored, match="has not been restored"):
        refuse_unrestored(expired, "b", "photo.jpg")
    restoring = records.from_head("photo.jpg", golden_headers("head_object_restoring.txt"))
    with pytest.raises(NotRestored, match="still running"):
        refuse_unrestored(restoring, "b", "photo.jpg")
    later = _http(datetime.now(timezone.utc) + timedelta(days=1))
    fresh = records.from_head(
        "photo.jpg",
        {
            "x-oss-storage-class": "Archive",
            "x-oss-restore": f'ongoing-request="false", expiry-date="{later}"',
        },
    )
    refuse_unrestored(fresh, "b", "photo.jpg")  # readable: no refusal


# --- listing entries to a record ------------------------------------------------------------

LISTING = (
    b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><IsTruncated>false</IsTruncated>'
    b"<Contents><Key>a/plain</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
    b'<ETag>"E1"</ETag><Size>5</Size><StorageClass>Standard</StorageClass></Contents>'
    b"<Contents><Key>a/cold</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
    b'<ETag>"E2"</ETag><Type>Normal</Type><Size>7</Size><StorageClass>Archive</StorageClass>'
    b"</Contents>"
    b"<Contents><Key>a/thawing</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
    b'<ETag>"E3"</ETag><Size>9</Size><StorageClass>ColdArchive</StorageClass>'
    b'<RestoreInfo>ongoing-request="true"</RestoreInfo></Contents>'
    b"</ListBucketResult>"
)


def test_listing_entries_to_records():
    plain, cold, thawing = parse_list_objects_v2(LISTING).object_list
    assert isinstance(plain, records.ObjectRecord)
    assert (plain.key, plain.size, plain.etag, plain.last_modified) == (
        "a/plain",
        5,
        "E1",
        1704067200,
    )
    assert plain.restore is NOT_NEEDED and plain.restore_known and plain.object_type is None
    # No RestoreInfo on an archived object: "not restored" as far as anyone knows, to be HEADed.
    assert cold.restore.status is RestoreStatus.NOT_RESTORED and not cold.restore_known
    assert cold.object_type == "Normal"
    assert thawing.restore.status is RestoreStatus.IN_PROGRESS and thawing.restore_known


def test_listing_converter_defaults():
    record = records.from_listing("k", None, None, None, 0, None, None)
    assert (record.etag, record.storage_class, record.last_modified) == ("", "Standard", None)


def test_pane_row_from_record():
    record = records.from_head("a/b.txt", golden_headers("head_object_restoring.txt"))
    row = Entry.from_record(record, "b.txt", "oss://bkt/a/b.txt")
    assert (row.name, row.path, row.kind) == ("b.txt", "oss://bkt/a/b.txt", EntryKind.FILE)
    assert (row.size, row.etag, row.storage_class) == (record.size, record.etag, "Archive")
    assert row.restore is record.restore and row.is_archived and row.mtime == record.last_modified


def test_records_share_their_defaults():
    # A pane may hold a million rows: the common values are shared, not one object each.
    a, b = (records.from_listing(f"k{i}", 1.0, "E", None, 1, "Standard", None) for i in range(2))
    assert a.restore is b.restore and a.user_meta is b.user_meta
    row = Entry("x", "/x", EntryKind.FILE)
    assert row.restore is NOT_NEEDED and row.user_meta is records.NO_META


def test_a_record_is_compact():
    # Bytes per record built from a listing, key and etag strings included (measured 329 for
    # the old listing record, 144 more for the operations' copy made from it).
    keys = [f"p/file-{i:07d}.dat" for i in range(2000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        made = [records.from_listing(k, 1.7e9, '"E"', None, 1, "Standard", None) for k in keys]
        per = (tracemalloc.get_traced_memory()[0] - before) / len(made)
    finally:
        tracemalloc.stop()
    assert per < 200


def test_records_are_values():
    from dataclasses import replace

    a = records.from_listing("k", 1.0, '"E"', None, 1, "Archive", None)
    b = records.from_listing("k", 1.0, "E", None, 1, "Archive", None)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    changed = replace(a, crc64=7, restore_known=True)
    assert (changed.crc64, a.crc64) == (7, None) and changed != a


def test_listed_records_share_class_and_type_strings():
    # Each listed object's class and type arrive as new strings; the record keeps shared ones.
    a, b = (
        records.from_listing(
            f"k{i}", 1.0, "E", "".join(["Nor", "mal"]), 1, "".join(["Arch", "ive"]), None
        )
        for i in range(2)
    )
    assert a.storage_class is b.storage_class is storage_classes.CLASSES["Archive"].name
    assert a.object_type is b.object_type
    odd = records.from_listing("k", 1.0, "E", "Future", 1, "FutureClass", None)
    assert (odd.storage_class, odd.object_type) == ("FutureClass", "Future")
