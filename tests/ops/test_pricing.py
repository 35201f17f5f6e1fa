"""Exact prices for known fixtures: requests, bytes, multipart copies, blocked, early deletion."""

from __future__ import annotations

from ossbrowse.fs.base import RestoreState, RestoreStatus
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.pricing import (
    DAY,
    NON_ATOMIC_WARNING,
    copy_parts,
    describe_price,
    early_deletion,
    price_delete,
    price_edit,
    price_move,
    price_restore,
)

NOW = 1_700_000_000.0
GB = 1024**3


def obj(key, size=10, cls="Standard", age_days=400, restore=None, transition_age=None):
    return ObjectRecord(
        key=key,
        size=size,
        etag="E" + key,
        last_modified=NOW - age_days * DAY,
        storage_class=cls,
        restore=restore
        or (
            RestoreState(RestoreStatus.NOT_RESTORED)
            if cls in ("Archive", "ColdArchive", "DeepColdArchive")
            else RestoreState()
        ),
        transition_time=None if transition_age is None else NOW - transition_age * DAY,
    )


def test_move_of_a_mixed_prefix_is_priced_exactly():
    objects = [obj(f"a/{i}", size=100) for i in range(2500)]
    objects += [
        obj("a/big", size=3 * GB),  # multipart copy
        obj("a/ia-young", size=1000, cls="IA", age_days=10),  # 20 days charged
        obj("a/ia-old", size=1000, cls="IA", age_days=31),
        obj("a/frozen", size=5, cls="Archive", age_days=100),  # blocked
        obj(
            "a/thawed",
            size=7,
            cls="ColdArchive",
            age_days=400,
            transition_age=30,
            restore=RestoreState(RestoreStatus.RESTORED),
        ),  # 150 days charged
    ]
    pairs = [(o, "b/" + o.key[2:]) for o in objects]
    existing = {"b/0": obj("b/0", size=1, cls="IA", age_days=29)}  # overwritten: 1 day
    price = price_move(
        pairs, list_requests=3, head_requests=2, existing=existing, dest_list_requests=1, now=NOW
    )
    assert price.objects == 2505
    assert price.bytes == 2500 * 100 + 3 * GB + 2000 + 5 + 7
    parts = copy_parts(3 * GB)
    assert parts == 48  # 64 MiB parts
    assert price.requests == {
        "ListObjectsV2": 4,
        "HeadObject": 2,
        "CopyObject": 2503,
        "InitiateMultipartUpload": 1,
        "UploadPartCopy": 48,
        "CompleteMultipartUpload": 1,
        "DeleteMultipleObjects": 3,  # 2504 movable objects in batches of 1000
    }
    assert [o.key for o in price.multipart_copies] == ["a/big"]
    assert [b.key for b in price.blocked] == ["a/frozen"]
    assert "not restored" in price.blocked[0].reason
    early = {(e.key, e.charged_days) for e in price.early_deletions}
    assert early == {("a/ia-young", 20), ("a/thawed", 150), ("b/0", 1)}
    assert price.overwrites == 1
    assert price.non_atomic and price.expensive and price.large
    text = "\n".join(describe_price(price))
    assert NON_ATOMIC_WARNING in text
    assert "1 object over 1 GB need a multipart copy" in text
    assert "Early deletion: 1 object in IA" not in text  # two IA objects: a/ia-young and b/0
    assert "Early deletion: 2 objects in IA younger than 30 days" in text
    assert "a/frozen" in text


def test_single_small_move_is_cheap():
    price = price_move([(obj("x"), "y")], list_requests=0, head_requests=2, now=NOW)
    assert price.requests == {
        "ListObjectsV2": 1,
        "HeadObject": 2,
        "CopyObject": 1,
        "DeleteMultipleObjects": 1,
    }
    assert not price.expensive


def test_delete_prices_batches_and_early_charges_per_class():
    objects = [obj(f"k{i}") for i in range(1000)] + [
        obj("arch", cls="Archive", age_days=59),
        obj("cold", cls="ColdArchive", age_days=10),
        obj("deep", cls="DeepColdArchive", age_days=179),
        obj("deep-old", cls="DeepColdArchive", age_days=180),
    ]
    price = price_delete(objects, list_requests=2, now=NOW)
    assert price.requests == {"ListObjectsV2": 2, "DeleteMultipleObjects": 2}
    assert {(e.key, e.charged_days) for e in price.early_deletions} == {
        ("arch", 1),
        ("cold", 170),
        ("deep", 1),
    }
    assert price.charged_object_days == 172
    assert price.charged_byte_days == 172 * 10


def test_cold_classes_count_from_transition_time():
    old_but_recently_frozen = obj("c", cls="ColdArchive", age_days=500, transition_age=20)
    assert early_deletion(old_but_recently_frozen, NOW).charged_days == 160
    # IA counts from Last-Modified whatever the transition time says
    assert early_deletion(obj("i", cls="IA", age_days=40, transition_age=1), NOW) is None


def test_edit_says_sizes_both_ways():
    price = price_edit(obj("doc", size=2048, cls="IA", age_days=5), new_size=4096, now=NOW)
    assert (price.download_bytes, price.upload_bytes) == (2048, 4096)
    assert price.requests == {"HeadObject": 2, "GetObject": 1, "PutObject": 1}
    assert price.early_deletions[0].charged_days == 25
    text = "\n".join(describe_price(price))
    assert "Upload: 4.0 KiB (4,096 bytes) (the whole object again)." in text


def test_restore_price_names_the_wait_per_class():
    objects = [obj("a", cls="Archive"), obj("c", cls="ColdArchive"), obj("s")]
    price = price_restore(objects, list_requests=1, tier="Bulk")
    assert price.objects == 2
    assert price.requests == {"ListObjectsV2": 1, "RestoreObject": 2}
    assert price.restore_waits == {"Archive": "about 1 minute", "ColdArchive": "5 to 12 hours"}


def test_names_in_the_price_are_escaped():
    bad = obj("evil\x1b]52;c;AAAA\x07", cls="Archive")
    text = "\n".join(describe_price(price_move([(bad, "x")], now=NOW)))
    assert "\x1b" not in text and "\x07" not in text
