"""The ETag re-check a move makes right before deleting sources (`ossbrowse.ops.recheck`)."""

from __future__ import annotations

import pytest

from ossbrowse.fs import listing_xml
from ossbrowse.ops.recheck import current_etags, just_before


@pytest.mark.parametrize(
    "key", ["src/k05", "a", "src/k0\x00", "é", "文件", "x\ue000", "src/bell\x07.txt"]
)
def test_just_before_sorts_before_the_key_and_after_its_neighbours(key):
    before = just_before(key)
    assert before < key
    assert before.encode("utf-8") < key.encode("utf-8")  # OSS orders by UTF-8 bytes
    if key == "src/k05":
        assert before > "src/k04" and before > "src/k04/deep/inside"


def _etags(bucket, keys):
    return {k: bucket.head_object(k).etag.strip('"') for k in keys}


def test_listing_pages_tell_unchanged_changed_and_gone(bucket, monkeypatch):
    keys = [f"m/k{i:02d}" for i in range(12)]
    for key in keys:
        bucket.put_object(key, key.encode())
    bucket.put_object("m/k03-neighbour", b"not asked")
    before = _etags(bucket, keys)
    bucket.put_object("m/k04", b"overwritten")
    bucket.delete_object("m/k07")
    # Small pages: the keys asked span several, and some pages settle nothing new.
    monkeypatch.setattr(listing_xml, "MAX_KEYS", 3)
    asked = [k for k in keys if k != "m/k02"]
    now = current_etags(bucket, asked)
    assert set(now) == set(asked)
    assert now["m/k07"] is None
    assert now["m/k04"] != before["m/k04"]
    assert all(now[k] == before[k] for k in asked if k not in ("m/k04", "m/k07"))


def test_keys_far_apart_and_a_missing_tail(bucket):
    bucket.put_object("a/1", b"1")
    bucket.put_object("z/1", b"2")
    now = current_etags(bucket, ["a/1", "z/1", "z/2", "q/none"])
    assert now["z/2"] is None and now["q/none"] is None
    assert now["a/1"] and now["z/1"]


def test_one_or_two_keys_are_headed(bucket):
    bucket.put_object("solo", b"s")
    assert current_etags(bucket, ["solo", "missing"]) == {
        "solo": bucket.head_object("solo").etag.strip('"'),
        "missing": None,
    }
