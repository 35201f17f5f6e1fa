"""Checkpoints (atomic, checksummed, secret-free) and progress coalescing."""

import json

from ossbrowse.tasks.progress import ProgressMeter
from ossbrowse.transfer.checkpoint import CheckpointStore, checkpoint_id


def test_checkpoint_round_trip_and_listing(tmp_path):
    store = CheckpointStore(tmp_path)
    ident = checkpoint_id("upload", "/a", "oss://b/k")
    assert ident == checkpoint_id("upload", "/a", "oss://b/k")
    store.save(ident, {"kind": "upload", "src": "/a", "dst": "oss://b/k", "size": 10,
                       "parts": {"1": {"etag": "E", "crc64": 5, "size": 4}}})  # fmt: skip
    body = store.load(ident)
    assert body["parts"]["1"]["crc64"] == 5
    [info] = store.list()
    assert (info.id, info.bytes_done, info.bytes_total) == (ident, 4, 10)
    assert store.find(ident[:4])[0].id == ident
    store.delete(ident)
    assert store.load(ident) is None and store.list() == []


def test_a_tampered_checkpoint_is_ignored(tmp_path):
    store = CheckpointStore(tmp_path)
    store.save("abc", {"kind": "upload", "size": 1, "parts": {}})
    path = store.path("abc")
    body = json.loads(path.read_text())
    body["size"] = 2
    path.write_text(json.dumps(body))
    assert store.load("abc") is None
    path.write_text("{not json")
    assert store.load("abc") is None


def test_progress_is_coalesced_to_ten_a_second():
    now = [0.0]
    emitted = []
    meter = ProgressMeter(lambda: emitted.append(now[0]), clock=lambda: now[0])
    meter.add_total(10_000)
    for _ in range(1000):  # 1000 updates over one second
        now[0] += 0.001
        meter.add(10)
    assert 9 <= len(emitted) <= 11
    assert meter.done == 10_000
    assert meter.rate() > 0
