"""Restore life cycle per class, batch restore, polling, and download-when-ready."""

from __future__ import annotations

import threading

import pytest

from ossbrowse.errors import UsageError
from ossbrowse.fs.base import RestoreStatus
from ossbrowse.ops.restore import (
    RestoreOutcome,
    RestoreWatcher,
    current_state,
    plan_restore,
    request_restore,
    run_restore,
    wait_restored,
)
from tests.restore_helpers import finish_restore


@pytest.mark.parametrize(
    ("cls", "days", "tier"),
    [("Archive", 7, None), ("ColdArchive", 365, "Bulk"), ("DeepColdArchive", 2, "Expedited")],
)
def test_life_cycle_per_class(bucket, ops_server, monkeypatch, cls, days, tier):
    # The restore stays ongoing until the test ends it, so the second request surely lands
    # while it is "restoring", however slow the machine (no delay to race against).
    monkeypatch.setattr(ops_server, "restore_delay", 3600.0)
    bucket.put_object("frozen", b"cold bytes", headers={"x-oss-storage-class": cls})
    assert current_state(bucket, "frozen").status is RestoreStatus.NOT_RESTORED
    assert request_restore(bucket, "frozen", cls, days=days, tier=tier) is RestoreOutcome.STARTED
    again = request_restore(bucket, "frozen", cls, days=days, tier=tier)
    assert again is RestoreOutcome.ALREADY_RESTORING  # 409: not an error
    finish_restore(ops_server, bucket, "frozen")
    changes = []
    states = wait_restored(bucket, ["frozen"], interval=0.1, timeout=60,
                           on_change=lambda k, s: changes.append(s.status))  # fmt: skip
    assert states["frozen"].status is RestoreStatus.RESTORED
    assert states["frozen"].expires is not None
    assert changes[-1] is RestoreStatus.RESTORED
    assert bucket.get_object("frozen").read() == b"cold bytes"
    extended = request_restore(bucket, "frozen", cls, days=1, tier=tier)
    assert extended is RestoreOutcome.EXTENDED


def test_out_of_range_choices_are_refused_before_any_request(bucket):
    bucket.put_object("a", b"x", headers={"x-oss-storage-class": "Archive"})
    with pytest.raises(UsageError, match="1 to 7 days"):
        request_restore(bucket, "a", "Archive", days=30)
    assert request_restore(bucket, "plain", "Standard") is RestoreOutcome.NOT_ARCHIVED


def test_batch_restore_of_a_prefix_fits_each_class(bucket, ops_server, monkeypatch):
    monkeypatch.setattr(ops_server, "restore_delay", 3600.0)  # ongoing until ended below
    for cls in ("Archive", "ColdArchive", "DeepColdArchive"):
        bucket.put_object(f"p/{cls}", cls.encode(), headers={"x-oss-storage-class": cls})
    bucket.put_object("p/plain", b"readable")
    plan = plan_restore(bucket, prefix="p/", tier="Bulk")
    assert plan.readable == 1 and len(plan.objects) == 3
    assert plan.price.requests["RestoreObject"] == 3
    report = run_restore(plan, days=30, tier="Bulk")
    assert report.count(RestoreOutcome.STARTED) == 3 and not report.failed
    assert "Archive objects are restored for 7 days (its limit)." in report.adjusted
    assert "DeepColdArchive has no Bulk tier: Standard was used." in report.adjusted
    again = run_restore(plan, days=1)
    assert again.count(RestoreOutcome.ALREADY_RESTORING) == 3
    for obj in plan.objects:
        finish_restore(ops_server, bucket, obj.key)
    states = wait_restored(bucket, [o.key for o in plan.objects], interval=0.1, timeout=60)
    assert all(s.readable for s in states.values())


def test_download_when_ready(bucket, tmp_path):
    bucket.put_object("log.gz", b"archived log", headers={"x-oss-storage-class": "ColdArchive"})
    request_restore(bucket, "log.gz", "ColdArchive", days=1, tier="Expedited")
    ready = threading.Event()
    changes = []

    def download(bkt, key, state):
        bkt.get_object_to_file(key, str(tmp_path / "log.gz"))
        ready.set()

    watcher = RestoreWatcher(interval=0.1, on_change=lambda b, k, s: changes.append((k, s)))
    try:
        watcher.watch(bucket, "log.gz", on_ready=download)
        assert ready.wait(60)  # a hang guard: a loaded machine may take its time
    finally:
        watcher.stop()
    assert (tmp_path / "log.gz").read_bytes() == b"archived log"
    assert changes[-1][1].status is RestoreStatus.RESTORED
    assert watcher.watching() == []
