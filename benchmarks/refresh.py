"""Benchmark: an upload through refreshing STS credentials against the same upload with fixed
keys, through the local server (memory store, in this process).

    python benchmarks/refresh.py [--size 1GiB] [--part-size 8MiB] [--threads 1]
                                 [--lifetime 40] [--clock requests|wall] [--rounds 1]

`--clock requests` (default): the server's STS clock moves one second per request signed with
an issued key, so a token lives `--lifetime` requests (what tests/transfer/test_refresh_upload.py
checks, at any speed). `--clock wall`: tokens live `--lifetime` real seconds. Prints seconds,
MB/s, the tokens issued and how many requests the server refused as expired (should be 0), and
checks the object's CRC-64 against the file's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

UNITS = {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}


def size_arg(text: str) -> int:
    lowered = text.strip().lower()
    for unit, factor in UNITS.items():
        if lowered.endswith(unit):
            return int(float(lowered[: -len(unit)]) * factor)
    return int(lowered)


def write_pattern(path: str, size: int) -> int:
    from ossbrowse.crc64 import crc64

    block = bytes(range(256)) * 4096
    crc = 0
    with open(path, "wb") as out:
        for index in range(0, size, len(block)):
            piece = (index.to_bytes(8, "little") + block[8:])[: size - index]
            crc = crc64(piece, crc)
            out.write(piece)
    return crc


def upload(args, src: str, expected_crc: int, refreshing: bool) -> dict:
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.credentials.select import make_source
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.sts import ManualClock
    from ossbrowse.fs.oss import OssClient
    from ossbrowse.tasks import TaskState
    from ossbrowse.transfer import TransferEngine

    with EmulatorServer() as server, tempfile.TemporaryDirectory() as state:
        server.create_bucket("bench")
        if refreshing:
            if args.clock == "requests":
                clock = ManualClock()
                sts = server.enable_sts(args.lifetime, clock=clock, advance_per_request=1)
            else:
                clock = time.time
                sts = server.enable_sts(args.lifetime)
            source = make_source("credentials_uri", sts.uri, clock=clock)
            settings = ConnectionSettings(
                endpoint=server.endpoint, region="cn-hangzhou", credentials=source
            )
        else:
            settings = ConnectionSettings(
                endpoint=server.endpoint,
                region="cn-hangzhou",
                access_key_id=server.access_key_id,
                access_key_secret=server.access_key_secret,
            )
        client = OssClient(settings)
        engine = TransferEngine(
            client.bucket, threads=args.threads, part_size=args.part_size, state_dir=state
        )
        start = time.perf_counter()
        job = engine.submit(src, "oss://bench/big.bin")
        job.wait()
        seconds = time.perf_counter() - start
        engine.shutdown(wait=True)
        result = {"seconds": seconds, "state": job.state.value, "error": job.error}
        if job.state is TaskState.DONE:
            head = client.bucket("bench").head_object("big.bin")
            result["crc_ok"] = head.server_crc == expected_crc
        if refreshing:
            result["tokens"] = len(server.sts.issued)
            result["refused"] = sum(server.sts.refused.values())
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=size_arg, default=1 << 30)
    parser.add_argument("--part-size", type=size_arg, default=8 << 20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lifetime", type=float, default=40)
    parser.add_argument("--clock", choices=("requests", "wall"), default="requests")
    parser.add_argument("--rounds", type=int, default=1, help="alternate A and B this often")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, "big.bin")
        expected = write_pattern(src, args.size)
        mb = args.size / 1e6
        sides = (("fixed keys", False), ("refreshing STS", True))
        for name, refreshing in sides * args.rounds:
            r = upload(args, src, expected, refreshing)
            line = f"{name:15s} {r['seconds']:7.2f} s  {mb / r['seconds']:7.1f} MB/s  {r['state']}"
            if "crc_ok" in r:
                line += f"  crc {'ok' if r['crc_ok'] else 'MISMATCH'}"
            if refreshing:
                line += f"  tokens {r['tokens']}  refused {r['refused']}"
            if r["error"]:
                line += f"  error: {r['error']}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
