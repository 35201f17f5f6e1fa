"""Benchmark the operations engine against the local OSS server (in its own process).

1. Rename a prefix of N small objects (default 2,000) with ossbrowse's mover (parallel verified
   copies, batched deletes, journal) against a plain sequential loop over oss2 (CopyObject then
   DeleteObject per object), in the same run, on the same server. Target: >= 8x.
2. Price a 100,000-object prefix (enumerate + price a move). Target: under 5 s.

`--latency S` adds S seconds to every request on the server, to model a real network round
trip (OSS from a server in the same region is a few ms; across the internet, tens of ms).

    python benchmarks/ops.py [--objects 2000] [--price-objects 100000] [--latency 0.005]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor


def _serve(conn, latency: float) -> None:
    from ossbrowse.emulator.faults import FaultPlan
    from ossbrowse.emulator.server import EmulatorServer

    faults = FaultPlan()
    if latency:
        faults.add(f"*:latency={latency}")
    server = EmulatorServer(faults=faults)
    server.start()
    conn.send((server.endpoint, server.access_key_id, server.access_key_secret))
    while (message := conn.recv()) != "stop":  # until the parent says stop
        _, bucket, prefix, count = message  # ("seed", ...): objects for the pricing run
        _seed(server, bucket, prefix, count)
        conn.send("seeded")
    server.stop()


def _seed(server, bucket: str, prefix: str, count: int) -> None:
    """Objects straight into the server's store: 100,000 PUTs over HTTP took 6 minutes of
    the machine to measure a pricing that takes seconds."""
    import hashlib

    from ossbrowse.crc64 import crc64
    from ossbrowse.emulator.model import ObjectMeta

    body = b"x" * 64
    etag, crc, now = hashlib.md5(body).hexdigest().upper(), crc64(body), time.time()
    server.store.bulk_load(
        bucket,
        (
            ObjectMeta(f"{prefix}{i:06d}", len(body), etag, crc, now, blob=body)
            for i in range(count)
        ),
    )


def _fill(bucket, prefix: str, count: int, threads: int = 16) -> None:
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda i: bucket.put_object(f"{prefix}{i:06d}", b"x" * 64), range(count)))


def _plain_loop(bucket, src: str, dst: str) -> int:
    import oss2

    moved = 0
    for obj in oss2.ObjectIteratorV2(bucket, prefix=src, max_keys=1000):
        bucket.copy_object(bucket.bucket_name, obj.key, dst + obj.key[len(src) :])
        bucket.delete_object(obj.key)
        moved += 1
    return moved


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--price-objects", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--skip-rename", action="store_true", help="only the pricing run")
    args = parser.parse_args()
    os.environ.setdefault("OSSBROWSE_STATE_DIR", tempfile.mkdtemp(prefix="ossbrowse-bench-"))

    import oss2

    from ossbrowse.config import ConnectionSettings
    from ossbrowse.fs.oss import OssClient
    from ossbrowse.ops.rename import plan_move, run_move

    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=_serve, args=(child, args.latency), daemon=True)
    proc.start()
    endpoint, key_id, secret = parent.recv()
    session = oss2.http.Session(pool_size=32)
    bucket = oss2.Bucket(oss2.Auth(key_id, secret), endpoint, "bench-ops", session=session)
    bucket.create_bucket()
    # ossbrowse's side goes through its own client, as the product does (one pooled session,
    # connections reused after copies); the plain loop keeps oss2's defaults.
    ours = OssClient(
        ConnectionSettings(endpoint=endpoint, access_key_id=key_id, access_key_secret=secret)
    ).bucket("bench-ops")
    try:
        print(f"server: {endpoint} (own process), added latency per request: {args.latency}s")
        n = args.objects
        if not args.skip_rename:
            _fill(bucket, "plain/", n)
            _fill(bucket, "engine/", n)
            t0 = time.perf_counter()
            moved = _plain_loop(bucket, "plain/", "plain-moved/")
            plain = time.perf_counter() - t0
            t0 = time.perf_counter()
            plan = plan_move(ours, "engine/", ours, "engine-moved/")
            report = run_move(plan, threads=args.threads)
            engine = time.perf_counter() - t0
            assert moved == n and report.moved == n and report.complete, report
            print(
                f"rename {n:,} objects: plain oss2 loop {plain:.2f} s ({n / plain:,.0f}/s), "
                f"ossbrowse {engine:.2f} s ({n / engine:,.0f}/s, plan included): "
                f"{plain / engine:.1f}x (target >= 8x)"
            )

        if args.price_objects:
            print(f"load average before pricing: {_loadavg()}")
            t0 = time.perf_counter()
            parent.send(("seed", bucket.bucket_name, "price/", args.price_objects))
            parent.recv()
            print(f"(seeded {args.price_objects:,} objects in {time.perf_counter() - t0:.1f} s)")
            t0 = time.perf_counter()
            plan = plan_move(ours, "price/", ours, "priced/")
            took = time.perf_counter() - t0
            print(
                f"price a move of {plan.price.objects:,} objects: {took:.2f} s "
                f"({plan.price.requests.get('ListObjectsV2')} list requests; target < 5 s)"
            )
    finally:
        parent.send("stop")
        proc.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
