"""The on-demand folder size (Ctrl+Space) is du's walk with only the root's total kept: the
same totals as `ossbrowse du`, the same lean requests, and a cancel that stops between pages.

Pages are made small (two keys) so that a few objects make several pages; a page is held at
the server while the test asks for the cancel, so nothing depends on timing.
"""

from __future__ import annotations

import threading

from ossbrowse.emulator.faults import FaultRule
from ossbrowse.ops import usage
from ossbrowse.ops.folder_size import folder_size
from ossbrowse.ops.usage import usage_of
from tests.transfer.conftest import wait_for


def _fill(bucket) -> None:
    for key, size in (("p/a", 1), ("p/b/c", 20), ("p/b/d/e", 300), ("p/f", 4000), ("q", 5)):
        bucket.put_object(key, b"x" * size)


def test_folder_size_is_du_of_the_folder(oss_bucket, oss_faults, monkeypatch):
    monkeypatch.setattr(usage, "PAGE", 2)
    _fill(oss_bucket)
    bucket_for = lambda _name: oss_bucket  # noqa: E731
    name = oss_bucket.bucket_name
    # an unfinished upload under the folder: du counts it apart, a folder's size does not
    oss_bucket.init_multipart_upload("p/pending")
    kinds = {k: oss_faults.add(FaultRule(operations=(k,))) for k in ("*", "list_objects_v2")}
    total = folder_size(f"oss://{name}/p", bucket_for)
    assert (total.objects, total.bytes, total.bucket, total.whole_bucket) == (4, 4321, name, False)
    # one walk: listing pages only (no HEAD, no upload listing), two pages of two keys
    assert kinds["*"].fired == kinds["list_objects_v2"].fired == 2
    du = usage_of(f"oss://{name}/p/", bucket_for, depth=0, uploads=False).total
    assert (du.objects, du.bytes) == (total.objects, total.bytes)
    whole = folder_size(f"oss://{name}/", bucket_for)
    assert (whole.objects, whole.bytes, whole.whole_bucket) == (5, 4326, True)


def test_a_cancel_stops_the_count_between_pages(oss_bucket, oss_faults, monkeypatch):
    monkeypatch.setattr(usage, "PAGE", 2)
    _fill(oss_bucket)
    name = oss_bucket.bucket_name
    gate = threading.Event()
    pages = oss_faults.add(FaultRule(operations=("list_objects_v2",), hold=gate))
    asked = threading.Event()
    result: list[object] = []
    counting = threading.Thread(
        target=lambda: result.append(
            folder_size(f"oss://{name}/", lambda _n: oss_bucket, cancelled=asked.is_set)
        )
    )
    counting.start()
    try:
        assert wait_for(lambda: pages.fired >= 1)  # the first page is held at the server
        asked.set()
    finally:
        gate.set()
    counting.join(30)
    assert result == [None]
    # the page after the first may have been asked for ahead (prefetch); none after it
    assert pages.fired <= 2


def test_a_local_folder(tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "a").write_bytes(b"a" * 7)
    (tmp_path / "d" / "e" / "b").write_bytes(b"b" * 30)
    total = folder_size(str(tmp_path / "d"), None)
    assert (total.objects, total.bytes, total.bucket) == (2, 37, None)
    assert total.describe() == "2 files, 37 Bytes"
    assert folder_size(str(tmp_path / "d"), None, cancelled=lambda: True) is None
