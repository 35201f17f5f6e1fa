"""Usage (du) walks against the local server: totals per prefix and class, unfinished uploads,
early-deletion exposure at a fixed time, depth, request kinds, cancel; and a local folder."""

from __future__ import annotations

import os

import pytest

from ossbrowse.emulator.faults import FaultRule
from ossbrowse.fs import listing_xml
from ossbrowse.fs.storage_classes import DAY
from ossbrowse.ops.usage import local_usage, oss_usage, usage_of
from ossbrowse.ops.usage_tally import UsageTally
from ossbrowse.tasks import Cancelled, Control

# Every operation a usage walk might send, and HEAD, which it must never send.
KINDS = (
    "list_objects_v2",
    "list_multipart_uploads",
    "list_parts",
    "list_object_versions",
    "head_object",
    "get_object",
)


def count_requests(faults) -> dict[str, FaultRule]:
    """Rules with no effect, one per operation (and "*"): each counts what it matches."""
    return {kind: faults.add(FaultRule(operations=(kind,))) for kind in (*KINDS, "*")}


def fill(bucket) -> float:
    """A small tree of known contents; returns the IA object's LastModified."""
    bucket.put_object("top.txt", b"x" * 10)
    bucket.put_object("a/one.bin", b"x" * 100)
    bucket.put_object("a/deep/two.bin", b"x" * 1000)
    bucket.put_object("a/cold.bin", b"x" * 50, headers={"x-oss-storage-class": "IA"})
    bucket.put_object("b/", b"")
    bucket.put_object("b/arch.bin", b"x" * 7, headers={"x-oss-storage-class": "Archive"})
    upload = bucket.init_multipart_upload("a/big.iso").upload_id
    bucket.upload_part("a/big.iso", upload, 1, b"y" * 300)
    bucket.upload_part("a/big.iso", upload, 2, b"y" * 200)
    bucket.init_multipart_upload("c/empty.iso")
    return float(bucket.head_object("a/cold.bin").last_modified)


def by_path(report):
    return {row.path: row.usage for row in report.rows}


def test_du_of_a_bucket_counts_classes_uploads_and_early_deletion(make_bucket, oss_faults):
    bucket = make_bucket()
    modified = fill(bucket)
    counters = count_requests(oss_faults)
    now = modified + 10 * DAY + 1  # the IA object is 10 days old: 20 of its 30 days left

    report = oss_usage(bucket, "", depth=1, now=now)

    assert report.complete and report.url == f"oss://{bucket.bucket_name}/"
    rows = by_path(report)
    assert sorted(rows) == ["", "a/", "b/", "c/"]
    total = rows[""]
    assert (total.objects, total.bytes) == (6, 10 + 100 + 1000 + 50 + 7)
    assert total.classes == {"Standard": [4, 1110], "IA": [1, 50], "Archive": [1, 7]}
    assert (total.uploads, total.upload_bytes) == (2, 500)
    # IA: 20 days left; Archive: 60 days, so 60 - 10 = 50 left
    assert (total.early_objects, total.early_bytes) == (2, 57)
    assert total.early_byte_days == 50 * 20 + 7 * 50
    a = rows["a/"]
    assert (a.objects, a.bytes, a.uploads, a.upload_bytes) == (3, 1150, 1, 500)
    assert (rows["b/"].objects, rows["b/"].bytes) == (2, 7)  # the folder marker counts
    assert (rows["c/"].objects, rows["c/"].uploads, rows["c/"].upload_bytes) == (0, 1, 0)
    # List requests only: one page, one uploads page, one ListParts per upload; no HEAD.
    assert report.requests == {"ListObjectsV2": 1, "ListMultipartUploads": 1, "ListParts": 2}
    assert counters["head_object"].fired == 0 and counters["get_object"].fired == 0
    assert counters["list_objects_v2"].fired == 1
    assert counters["list_parts"].fired == 2
    assert counters["*"].fired == 4


def test_depth_prefix_and_the_minimum_duration_passed(make_bucket):
    bucket = make_bucket()
    modified = fill(bucket)
    later = modified + 61 * DAY  # past IA's 30 and Archive's 60 days

    deep = oss_usage(bucket, "a/", depth=2, now=later, uploads=False)
    rows = by_path(deep)
    assert sorted(rows) == ["", "deep/"]  # depth counts below the prefix asked for
    assert rows[""].objects == 3 and rows["deep/"].bytes == 1000
    assert rows[""].early_objects == 0 and rows[""].uploads == 0
    assert deep.requests == {"ListObjectsV2": 1}

    flat = oss_usage(bucket, "", depth=0, now=later)
    assert [row.path for row in flat.rows] == [""]
    assert flat.total.objects == 6

    # oss://bucket/a is the folder a/ (not every key starting with "a")
    named = usage_of(f"oss://{bucket.bucket_name}/a", lambda name: bucket, depth=1, now=later)
    assert named.url.endswith("/a/") and named.total.objects == 3


def test_pages_stream_in_and_cancel_stops_the_walk(make_bucket, oss_faults):
    bucket = make_bucket()
    for i in range(25):
        bucket.put_object(f"p/{i:02d}", b"z")
    seen = []
    token = Control()

    def on_progress(report):
        seen.append(report.total.objects)
        if len(seen) == 2:
            token.cancel()

    counters = count_requests(oss_faults)
    pages = listing_xml.iter_lean_pages
    listing_xml.iter_lean_pages = lambda b, **kw: pages(b, **{**kw, "max_keys": 5})
    try:
        with pytest.raises(Cancelled):
            oss_usage(bucket, "p/", cancel=token, on_progress=on_progress, progress_interval=0)
    finally:
        listing_xml.iter_lean_pages = pages
    assert seen == [5, 10]  # a snapshot after each page, totals growing
    # Stopped after page 2, never all five. The prefetcher may hold page 3 in its one-page queue
    # and have page 4 in flight by then (how far it got depends on the threads), never page 5:
    # its put of page 4 waits until the walk takes page 3, which it never does.
    assert counters["list_objects_v2"].fired <= 4
    assert counters["list_multipart_uploads"].fired == 0


def test_a_local_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "y").mkdir()
    (tmp_path / "top").write_bytes(b"1" * 5)
    (tmp_path / "x" / "f").write_bytes(b"1" * 20)
    (tmp_path / "x" / "y" / "g").write_bytes(b"1" * 300)
    (tmp_path / "empty").mkdir()

    report = local_usage(str(tmp_path), depth=1, largest=5)
    rows = by_path(report)
    assert report.local and report.complete
    assert sorted(rows) == ["", "x/"]  # an empty folder holds nothing to count
    assert (rows[""].objects, rows[""].bytes) == (3, 325)
    assert (rows["x/"].objects, rows["x/"].bytes) == (2, 320)
    assert rows[""].classes == {} and rows[""].early_objects == 0
    assert [(f.name, f.size) for f in report.files] == [("top", 5)]

    assert usage_of(str(tmp_path), None, depth=None).rows[-1].path == "x/y/"


def test_largest_files_are_kept_bounded():
    tally = UsageTally(1, 0.0, largest=2)
    tally.add_objects([("a", 5, "Standard", 0.0), ("b", 9, "Standard", 0.0)])
    tally.add_objects([("c", 7, "IA", 0.0), ("d/e", 100, "Standard", 0.0)])
    assert [(f.name, f.size) for f in tally.largest_files()] == [("b", 9), ("c", 7)]


def test_lean_pages_read_the_same_values_as_records(make_bucket):
    bucket = make_bucket()
    names = ["plain", "sp ace", "per%cent", "amp&er", "uni\u00e9", "sub/dir/"]
    for name in names:
        bucket.put_object(name, name.encode())
    records = [o for p in listing_xml.iter_pages(bucket) for o in p.object_list]
    lean = [o for p in listing_xml.iter_lean_pages(bucket) for o in p.objects]
    assert lean == [(o.key, o.size, o.storage_class, o.last_modified) for o in records]
    assert sorted(o[0] for o in lean) == sorted(names)
    slow = [o for p in listing_xml.iter_lean_pages(bucket, fast=False) for o in p.objects]
    assert slow == lean


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_an_unreadable_local_folder_is_counted_not_fatal(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "f").write_bytes(b"1")
    locked.chmod(0)
    try:
        report = local_usage(str(tmp_path))
    finally:
        locked.chmod(0o755)
    assert report.unreadable == 1 and report.total.objects == 0


def _body(encoded: bool, *contents: str) -> bytes:
    head = "<EncodingType>url</EncodingType>" if encoded else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name>'
        f"{head}<IsTruncated>false</IsTruncated>{''.join(contents)}</ListBucketResult>"
    ).encode()


def _contents(key: str, size: int, storage: str | None) -> str:
    cls = f"<StorageClass>{storage}</StorageClass>" if storage is not None else ""
    return (
        f"<Contents><Key>{key}</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified>"
        f'<ETag>"AB"</ETag><Size>{size}</Size>{cls}</Contents>'
    )


@pytest.mark.parametrize(
    "body",
    [
        _body(False, _contents("a&amp;b&lt;c", 1, "IA"), _contents("plain/x", 2, None)),
        _body(True, _contents("d%2Fe%25f", 3, "Future"), _contents("g%2Fh", 4, "Standard")),
        _body(True, _contents("caf%C3%A9%2F", 5, "Archive")),
        _body(False, _contents("x&#65;y", 6, "IA")),  # a character reference: the tree reads it
        _body(True),
    ],
)
def test_lean_reading_matches_the_record_reading(body):
    records = listing_xml.parse_list_objects_v2(body).object_list
    lean = listing_xml.parse_list_objects_v2_lean(body).objects
    assert lean == [(o.key, o.size, o.storage_class, o.last_modified) for o in records]


def test_current_versions_only_unless_all_versions(make_bucket, oss_faults):
    import oss2

    bucket = make_bucket()
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig("Enabled"))
    bucket.put_object("v/a", b"x" * 10)
    bucket.put_object("v/a", b"x" * 20)  # the 10-byte version stays, not current
    bucket.put_object("v/b", b"x" * 5)
    bucket.delete_object("v/b")  # a delete marker on top: b has no current version
    counters = count_requests(oss_faults)

    current = oss_usage(bucket, "", depth=1, uploads=False)
    assert (current.total.objects, current.total.bytes) == (1, 20)
    assert current.requests == {"ListObjectsV2": 1} and not current.all_versions

    every = oss_usage(bucket, "", depth=1, uploads=False, all_versions=True)
    rows = by_path(every)
    assert (rows[""].objects, rows[""].bytes, rows[""].delete_markers) == (3, 35, 1)
    assert rows["v/"].delete_markers == 1 and every.all_versions
    assert every.requests == {"ListObjectVersions": 1}
    assert counters["list_object_versions"].fired == 1 and counters["head_object"].fired == 0
