"""A pane's row is compact (a pane may hold a million) and still a plain value: its path, ETag
and rarely set fields read back as given, it compares, hashes and copies like a dataclass."""

from __future__ import annotations

import dataclasses
import gc
import time
import tracemalloc

import pytest

from ossbrowse.fs.base import Entry, EntryKind, Folder
from ossbrowse.fs.gateway.client import OssClient
from ossbrowse.fs.oss import OssFileSystem
from ossbrowse.fs.records import from_listing
from ossbrowse.fs.restore_state import RestoreState, RestoreStatus
from ossbrowse.ui.model import ListingModel

ROWS = 20_000


def test_a_listed_row_costs_under_300_bytes(oss_server, oss_bucket, oss_settings):
    """Memory, not time: traced bytes of a pane's model after listing a prefix (real ETags,
    each its own; sizes past the small-int cache). It was 423 bytes a row with the full
    URL and the ETag string kept per row."""
    from ossbrowse.emulator.model import ObjectMeta

    now = time.time()
    oss_server.store.bulk_load(
        oss_bucket.bucket_name,
        [
            ObjectMeta(
                key=f"big/obj-{i:07d}.dat",
                size=1000 + i,
                etag=f"{i * 7919:032X}",
                crc64=0,
                mtime=now,
                blob=b"",
            )
            for i in range(ROWS)
        ],
    )
    fs = OssFileSystem(OssClient(oss_settings))
    folder = f"oss://{oss_bucket.bucket_name}/big/"
    fs.list_page(folder, None, 1)  # connections and caches made before measuring
    model = ListingModel()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        token = None
        while True:
            page = fs.list_page(folder, token)
            model.add(page.entries)
            token = page.next_token
            if token is None:
                break
        del page
        gc.collect()
        per_row = (tracemalloc.get_traced_memory()[0] - before) / model.loaded
    finally:
        tracemalloc.stop()
    assert model.loaded == ROWS
    row = model.view[123]
    assert (row.name, row.path, row.etag, row.size) == (
        "obj-0000123.dat",
        folder + "obj-0000123.dat",
        f"{123 * 7919:032X}",
        1123,
    )
    assert per_row < 300, f"{per_row:.0f} bytes a row"


@pytest.mark.parametrize(
    "etag",
    [None, "", "0" * 32, "5B3C1A2E053D763E1B002CC607C5A0FE", "5b3c1a2e053d763e1b002cc607c5a0fe",
     "5B3C1A2E053D763E1B002CC607C5A0FE-3", "0_" + "1" * 30, " " + "1" * 31],
)  # fmt: skip
def test_etag_reads_back_as_given(etag):
    assert Entry("a", "oss://b/a", EntryKind.FILE, etag=etag).etag == etag


def test_a_row_in_a_shared_folder_equals_one_with_its_whole_path():
    folder = Folder("oss://b/dir/")
    # As a listing builds its rows: from the record, with the folder shared.
    listed = Entry.from_record(from_listing("dir/x", 1.0, '"AB"', None, 5, None, None), "x", folder)
    whole = Entry("x", "oss://b/dir/x", EntryKind.FILE, 5, 1.0, "Standard", etag="AB")
    assert listed.path == "oss://b/dir/x"
    assert type(listed.path) is str
    assert listed == whole
    assert hash(listed) == hash(whole)
    assert dataclasses.replace(listed, name="y").path == "oss://b/dir/x"  # the path is kept
    assert listed.replace(name="y").name == "y"
    assert "path='oss://b/dir/x'" in repr(listed)
    # A Folder given as a path is that path, not a base for the name.
    assert Entry("x", Folder("oss://b/dir/"), EntryKind.FOLDER).path == "oss://b/dir/"


def test_rarely_set_fields_read_back_and_rows_stay_values():
    restoring = RestoreState(RestoreStatus.IN_PROGRESS)
    entry = Entry("b", "oss://b", EntryKind.BUCKET, crc64=7, restore=restoring,
                  user_meta={"k": "v"}, region="oss-cn-hangzhou", link_target="/x")  # fmt: skip
    assert (entry.crc64, entry.restore, dict(entry.user_meta), entry.region, entry.link_target) == (
        7,
        restoring,
        {"k": "v"},
        "oss-cn-hangzhou",
        "/x",
    )
    plain = Entry("a", "/a", EntryKind.FILE)
    assert (plain.crc64, plain.region, plain.link_target, dict(plain.user_meta)) == (
        None,
        None,
        None,
        {},
    )
    assert [f.name for f in dataclasses.fields(Entry)][:3] == ["name", "path", "kind"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plain.name = "b"  # type: ignore[misc]
    assert plain != entry
