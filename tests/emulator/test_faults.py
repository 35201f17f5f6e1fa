"""Fault injection: oss2 retrying through, or raising on, latency, 5xx, resets, corruption."""

import os
import time

import oss2
import pytest

from ossbrowse.emulator import FaultPlan, FaultRule
from ossbrowse.emulator.faults import parse_rule


def test_spec_parsing():
    plan = FaultPlan.from_spec(
        "seed=7,put_object|upload_part:reset_after=65536:p=0.3,"
        "get_object:status=503:count=2,*:latency=0.05,get_object:corrupt"
    )
    assert plan.seed == 7
    assert plan.rules[0] == FaultRule(("put_object", "upload_part"), reset_after=65536, p=0.3)
    assert plan.rules[1] == FaultRule(("get_object",), status=503, count=2)
    assert plan.rules[2] == FaultRule(("*",), latency=0.05)
    assert plan.rules[3].corrupt
    for bad in ("get_object:status=404", "x:p=2", "x:bogus=1", ":latency=1", "x:count=a"):
        with pytest.raises(ValueError):
            FaultPlan.from_spec(bad)


def test_seeded_fraction_is_reproducible():
    def pattern():
        plan = FaultPlan(seed=42, rules=[parse_rule("get_object:status=500:p=0.5")])
        return [plan.pick("get_object") is not None for _ in range(50)]

    first = pattern()
    assert first == pattern() and 10 < sum(first) < 40


def test_count_and_operation_matching():
    plan = FaultPlan(rules=[FaultRule("put_object", status=503, count=2)])
    assert plan.pick("get_object") is None
    assert [plan.pick("put_object") is not None for _ in range(4)] == [True, True, False, False]


def test_listing_retries_through_503(oss_bucket, oss_faults):
    oss_bucket.put_object("k", b"x")
    rule = oss_faults.add("list_objects_v2:status=503:count=2")
    assert [o.key for o in oss2.ObjectIteratorV2(oss_bucket, max_retries=3)] == ["k"]
    assert rule.fired == 2


def test_500_raised_with_oss_body(oss_bucket, oss_faults):
    oss_bucket.put_object("k", b"x")
    oss_faults.add("get_object:status=500:count=1")
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.get_object("k")
    assert (info.value.status, info.value.code) == (500, "InternalError")
    assert info.value.request_id
    assert oss_bucket.get_object("k").read() == b"x"


def test_reset_mid_download(oss_bucket, oss_faults):
    oss_bucket.put_object("k", os.urandom(200_000))
    oss_faults.add("get_object:reset_after=1000:count=1")
    with pytest.raises(Exception) as info:  # requests / urllib3 errors, as on a real network
        oss_bucket.get_object("k").read()
    assert not isinstance(info.value, AssertionError)
    assert len(oss_bucket.get_object("k").read()) == 200_000


def test_reset_mid_upload(oss_bucket, oss_faults):
    oss_faults.add("put_object:reset_after=65536:count=1")
    with pytest.raises(oss2.exceptions.RequestError):
        oss_bucket.put_object("k", os.urandom(300_000))
    assert not oss_bucket.object_exists("k")
    oss_bucket.put_object("k", b"fine")
    assert oss_bucket.get_object("k").read() == b"fine"


def test_corrupt_download_caught_by_crc(oss_bucket, oss_faults, tmp_path):
    oss_bucket.put_object("k", b"precious data")
    oss_faults.add("get_object:corrupt:count=1")
    with pytest.raises(oss2.exceptions.InconsistentError):
        oss_bucket.get_object_to_file("k", str(tmp_path / "k"))  # checks the CRC at the end
    result = oss_bucket.get_object("k")
    assert result.read() == b"precious data" and result.client_crc == result.server_crc


def test_corrupt_upload_caught_by_crc(oss_bucket, oss_faults):
    oss_faults.add("put_object:corrupt:count=1")
    with pytest.raises(oss2.exceptions.InconsistentError):
        oss_bucket.put_object("k", b"precious data")


def test_latency(oss_bucket, oss_faults):
    oss_faults.add("head_object:latency=0.2")
    oss_bucket.put_object("k", b"x")
    start = time.monotonic()
    oss_bucket.head_object("k")
    assert time.monotonic() - start >= 0.2


def test_resumable_upload_resumes_after_reset(oss_bucket, oss_faults, tmp_path):
    data = os.urandom(600 * 1024)
    src = tmp_path / "f"
    src.write_bytes(data)
    store = oss2.ResumableStore(root=str(tmp_path / "ckpt"))
    kw = {"store": store, "multipart_threshold": 100 * 1024, "part_size": 100 * 1024,
          "num_threads": 3}  # fmt: skip
    oss_faults.add("upload_part:reset_after=10000:count=1")
    with pytest.raises(oss2.exceptions.RequestError):
        oss2.resumable_upload(oss_bucket, "r", str(src), **kw)
    oss2.resumable_upload(oss_bucket, "r", str(src), **kw)
    assert oss_bucket.get_object("r").read() == data


def test_resumable_download_through_503s(oss_bucket, oss_faults, tmp_path):
    data = os.urandom(500 * 1024)
    oss_bucket.put_object("d", data)
    oss_faults.add("get_object:status=503:count=1")
    dst = tmp_path / "out"
    kw = {"store": oss2.ResumableDownloadStore(root=str(tmp_path / "dl")),
          "multiget_threshold": 100 * 1024, "part_size": 100 * 1024, "num_threads": 3}  # fmt: skip
    with pytest.raises(oss2.exceptions.ServerError):
        oss2.resumable_download(oss_bucket, "d", str(dst), **kw)
    oss2.resumable_download(oss_bucket, "d", str(dst), **kw)
    assert dst.read_bytes() == data
