"""Fault injection: oss2 retrying through, or raising on, latency, 5xx, resets, corruption."""

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import oss2
import pytest

from ossbrowse.emulator import FaultPlan, FaultRule
from ossbrowse.emulator import server as server_module
from ossbrowse.emulator.faults import RequestIdentity, parse_rule


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
    bad_specs = ("get_object:status=404", "x:p=2", "x:bogus=1", ":latency=1", "x:count=a",
                 "x:times=0", "x:attempts=3-2", "x:part=two", "seed=x")  # fmt: skip
    for bad in bad_specs:
        with pytest.raises(ValueError):
            FaultPlan.from_spec(bad)


def test_spec_selects_key_part_and_attempts():
    plan = FaultPlan.from_spec(
        "upload_part:status=503:part=3:times=2,get_object:key=logs/*:attempts=2-,x:attempts=4"
    )
    assert plan.rules[0] == FaultRule(("upload_part",), status=503, part=3, attempts=(1, 2))
    assert plan.rules[1] == FaultRule(("get_object",), key="logs/*", attempts=(2, None))
    assert plan.rules[2] == FaultRule(("x",), attempts=(4, 4))


def _part(number, upload_id="u1", key="big.bin"):
    params = {"partNumber": str(number), "uploadId": upload_id}
    return RequestIdentity.of("upload_part", "b", key, params, {})


def test_times_fails_the_first_attempts_of_each_request_only():
    plan = FaultPlan.from_spec("upload_part:status=503:part=3:times=2")
    assert plan.pick("upload_part", _part(1)) is None
    assert [plan.pick("upload_part", _part(3)) is not None for _ in range(4)] == [
        True, True, False, False,
    ]  # fmt: skip
    # Another upload of the same part counts its own attempts.
    assert plan.pick("upload_part", _part(3, upload_id="u2")) is not None
    assert plan.rules[0].fired == 3


def test_key_glob_and_attempt_window():
    plan = FaultPlan.from_spec("get_object:status=500:key=logs/*:attempts=2-3")
    logs = RequestIdentity.of("get_object", "b", "logs/a.log", {}, {})
    other = RequestIdentity.of("get_object", "b", "data/a.log", {}, {})
    assert [plan.pick("get_object", logs) is not None for _ in range(4)] == [
        False, True, True, False,
    ]  # fmt: skip
    assert all(plan.pick("get_object", other) is None for _ in range(4))


def _requests():
    """Parts of two uploads, ranged GETs and copies: 3 attempts of each, as retries would."""
    requests = [_part(n, key=key) for key in ("a.bin", "b.bin") for n in range(1, 11)]
    requests += [
        RequestIdentity.of(
            "get_object", "b", "big", {}, {"Range": f"bytes={i * 100}-{i * 100 + 99}"}
        )
        for i in range(10)
    ]
    requests += [
        RequestIdentity.of("copy_object", "b", f"dst/{i}", {}, {"x-oss-copy-source": f"/b/src/{i}"})
        for i in range(10)
    ]
    return requests * 3


def _decisions(plan, order):
    """{(request, attempt): fired}, sending `order`'s requests one by one."""
    seen: dict = {}
    attempts: dict = {}
    for request in order:
        attempts[request] = attempts.get(request, 0) + 1
        seen[request, attempts[request]] = plan.pick(request.operation, request) is not None
    return seen


def test_seeded_plan_decides_the_same_in_any_order():
    spec = "seed=1,upload_part|get_object|copy_object:status=503:p=0.3"
    requests = _requests()
    shuffled = list(requests)
    random.Random(5).shuffle(shuffled)
    forward = _decisions(FaultPlan.from_spec(spec), requests)
    assert forward == _decisions(FaultPlan.from_spec(spec), list(reversed(requests)))
    assert forward == _decisions(FaultPlan.from_spec(spec), shuffled)
    fired = sum(forward.values())
    assert 0 < fired < len(forward)  # a fixed set: some, not all
    # A retry is a new attempt with its own, equally fixed, decision: not every attempt of a
    # request fails just because its first did.
    assert any(forward[r, 1] and not forward[r, 2] for r in set(requests))
    # Another seed fires on another set.
    assert forward != _decisions(FaultPlan.from_spec(spec.replace("seed=1", "seed=2")), requests)


def test_seeded_plan_decides_the_same_under_threads():
    spec = "seed=3,upload_part:status=503:p=0.3"
    requests = [_part(n) for n in range(1, 41)] * 2
    sequential = _decisions(FaultPlan.from_spec(spec), requests)
    plan = FaultPlan.from_spec(spec)
    threaded: dict = {}
    start = threading.Barrier(4)

    def send(share):
        start.wait()  # all four threads send at once, interleaved as the scheduler likes
        return [plan.pick(r.operation, r) is not None for r in share]

    # A part's two attempts fall in the same share (40 is a multiple of 4), in order.
    shares = [requests[i::4] for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, shares))
    for share, fired in zip(shares, results, strict=True):
        for request, decided in zip(share, fired, strict=True):
            attempt = 2 if (request, 1) in threaded else 1
            threaded[request, attempt] = decided
    assert threaded == sequential


def test_copy_source_bucket_stays_out_of_the_draw():
    spec = "seed=9,copy_object:status=503:p=0.5"

    def copies(bucket):
        return [
            RequestIdentity.of(
                "copy_object", bucket, f"dst/{i}", {}, {"x-oss-copy-source": f"/{bucket}/src/{i}"}
            )
            for i in range(30)
        ] * 3

    first = _decisions(FaultPlan.from_spec(spec), copies("test-123-1"))
    second = _decisions(FaultPlan.from_spec(spec), copies("test-456-9"))
    assert list(first.values()) == list(second.values())


def test_server_made_ids_and_bucket_names_stay_out_of_the_draw():
    spec = "seed=9,upload_part:status=503:p=0.5"
    first = _decisions(FaultPlan.from_spec(spec), [_part(n, upload_id="x") for n in range(1, 30)])
    other = [
        RequestIdentity.of(
            "upload_part", "another-bucket", "big.bin", {"partNumber": str(n), "uploadId": "y"}, {}
        )
        for n in range(1, 30)
    ]
    second = _decisions(FaultPlan.from_spec(spec), other)
    assert list(first.values()) == list(second.values())


def test_seeded_fraction_is_reproducible():
    def pattern():
        plan = FaultPlan(seed=42, rules=[parse_rule("get_object:status=500:p=0.5")])
        return [plan.pick("get_object") is not None for _ in range(50)]

    first = pattern()
    assert first == pattern() and 10 < sum(first) < 40


def test_a_fraction_fires_on_the_same_keys_over_http_in_any_order(oss_bucket, oss_faults):
    keys = [f"k{i:02}" for i in range(30)]
    for key in keys:
        oss_bucket.put_object(key, b"x")

    def failing(order, threads):
        oss_faults.clear()
        oss_faults.reseed(4)
        oss_faults.add("get_object:status=503:p=0.3")

        def get(key):
            try:
                oss_bucket.get_object(key).read()
            except oss2.exceptions.ServerError:
                return key
            return None

        with ThreadPoolExecutor(threads) as pool:
            return {key for key in pool.map(get, order) if key}

    one_by_one = failing(keys, 1)
    assert one_by_one == failing(list(reversed(keys)), 4)
    assert 0 < len(one_by_one) < len(keys)


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


class _RecordingClock:
    """The server's `time` module, with every sleep written down (and still slept)."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        time.sleep(seconds)

    def __getattr__(self, name):
        return getattr(time, name)


def test_latency(oss_bucket, oss_faults, monkeypatch):
    # The server waits before it answers; what is checked is that it waited, and how long it
    # was told to, not how long the wait took on this machine.
    clock = _RecordingClock()
    monkeypatch.setattr(server_module, "time", clock)
    oss_bucket.put_object("k", b"x")
    rule = oss_faults.add("head_object:latency=0.2")
    assert oss_bucket.head_object("k").content_length == 1
    assert clock.slept == [0.2] and rule.fired == 1


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


def _until(predicate, guard=60.0):
    """Poll until `predicate()`; `guard` only stops a hang (pytest-timeout would too)."""
    end = time.monotonic() + guard
    while not predicate():
        if time.monotonic() > end:
            return False
        time.sleep(0.005)
    return True


def test_hold_keeps_a_request_waiting_until_released(oss_bucket, oss_faults):
    oss_bucket.put_object("k", b"held")
    gate = threading.Event()
    rule = oss_faults.add(FaultRule("get_object", hold=gate))
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(lambda: oss_bucket.get_object("k").read())
        assert _until(lambda: rule.fired == 1)  # the server has the request...
        assert not answer.done()  # ...and does not answer it while the gate is closed
        oss_bucket.head_object("k")  # other requests go on meanwhile
        gate.set()
        assert answer.result(timeout=60) == b"held"


def test_clearing_the_plan_releases_held_requests(oss_bucket, oss_faults):
    oss_bucket.put_object("k", b"x")
    rule = oss_faults.add(FaultRule("get_object", hold=threading.Event()))
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(lambda: oss_bucket.get_object("k").read())
        assert _until(lambda: rule.fired == 1)
        oss_faults.clear()
        assert answer.result(timeout=60) == b"x"
