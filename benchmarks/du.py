"""`ossbrowse du` of a prefix of 1,000,000 objects against a plain loop summing sizes over
oss2's ObjectIteratorV2, in the same run, on the local server.

    python benchmarks/du.py [--objects 1000000] [--runs 1]

The objects (100 folders, a mix of Standard, IA and Archive, sizes 0 to 4 KiB) are seeded
straight into the server's store with its bulk loader; one unfinished multipart upload is
made over HTTP so du's ListMultipartUploads and ListParts are in the count. Both sides run as
child processes, one after the other, against the server in this process, so each is timed
from start to end (interpreter start included) and its peak RSS is its own (a small launcher
reads `getrusage(RUSAGE_CHILDREN).ru_maxrss`). The server counts the requests by kind (rules
with no effect in its fault plan). Targets: du at least 2x faster than the loop, du's peak
RSS under 150 MiB, list requests only (no HEAD).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time

from ls import load_average, ossbrowse_command  # benchmarks/ is on sys.path

TARGET_RATIO = 2.0
TARGET_RSS_MIB = 150
KINDS = (
    "list_objects_v2",
    "list_multipart_uploads",
    "list_parts",
    "head_object",
    "get_object",
    "get_object_meta",
)
API_NAMES = {
    "list_objects_v2": "ListObjectsV2",
    "list_multipart_uploads": "ListMultipartUploads",
    "list_parts": "ListParts",
    "head_object": "HeadObject",
    "get_object": "GetObject",
    "get_object_meta": "GetObjectMeta",
}
PREFIX = "big/"
FOLDERS = 100

# The reference: what a person would write with oss2 alone.
OSS2_LOOP = """
import os, oss2
auth = oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"])
bucket = oss2.Bucket(auth, os.environ["OSS_ENDPOINT"], os.environ["BENCH_BUCKET"])
count = size = 0
for obj in oss2.ObjectIteratorV2(bucket, prefix=os.environ["BENCH_PREFIX"], max_keys=1000):
    count += 1
    size += obj.size
print(count, size)
"""


def storage_class(i: int) -> str:
    return "Archive" if i % 50 == 0 else "IA" if i % 10 == 0 else "Standard"


def seed(server, bucket: str, count: int) -> tuple[int, int]:
    """Fill the prefix; (objects, bytes)."""
    from ossbrowse.emulator.model import ObjectMeta

    server.create_bucket(bucket)
    bodies = [b"x" * (i * 41) for i in range(100)]  # 0 to 4059 bytes
    etags = [hashlib.md5(b).hexdigest().upper() for b in bodies]
    now = time.time()
    total = 0

    def metas():
        nonlocal total
        for i in range(count):
            body = bodies[i % 100]
            total += len(body)
            key = f"{PREFIX}d{i % FOLDERS:02d}/obj-{i:07d}.dat"
            yield ObjectMeta(
                key, len(body), etags[i % 100], 0, now, storage_class=storage_class(i), blob=body
            )

    server.store.bulk_load(bucket, metas())
    return count, total


def unfinished_upload(server, bucket: str) -> None:
    import oss2

    auth = oss2.Auth(server.access_key_id, server.access_key_secret)
    b = oss2.Bucket(auth, server.endpoint, bucket)
    upload = b.init_multipart_upload(f"{PREFIX}d00/unfinished.iso").upload_id
    b.upload_part(f"{PREFIX}d00/unfinished.iso", upload, 1, b"u" * 100_000)


def count_requests(server):
    from ossbrowse.emulator.faults import FaultRule

    server.faults.clear()
    return {kind: server.faults.add(FaultRule(operations=(kind,))) for kind in (*KINDS, "*")}


def requests_text(counters) -> str:
    parts = [f"{API_NAMES[k]} {counters[k].fired:,}" for k in KINDS if counters[k].fired]
    other = counters["*"].fired - sum(counters[k].fired for k in KINDS)
    return ", ".join([*parts, f"other {other:,}"])


# A small launcher runs each side and reports its peak RSS: Linux counts a forked child's
# memory before exec in its ru_maxrss, so a child forked straight from this process (which
# holds the server and its million objects) would report this process's size, not its own.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("maxrss=%d cpu=%.3f\\n" % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
sys.exit(code)
"""


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(seconds, peak RSS in MiB, CPU seconds, stdout) of one child process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        code = subprocess.call(
            [sys.executable, "-c", LAUNCHER, *args], stdout=out, stderr=err, env=env
        )
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(), err.read().decode(errors="replace")
    lines = problem.strip().splitlines()
    if code != 0 or not lines or not lines[-1].startswith("maxrss="):
        raise SystemExit(f"{args[:3]} failed ({code}): {problem.strip()}")
    fields = dict(field.split("=") for field in lines[-1].split())
    return seconds, int(fields["maxrss"]) / 1024, float(fields["cpu"]), text  # maxrss in KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    import json

    from ossbrowse.emulator import EmulatorServer

    print(f"load average at start {load_average()}")
    with EmulatorServer() as server:
        started = time.perf_counter()
        objects, size = seed(server, "bench-du", args.objects)
        unfinished_upload(server, "bench-du")
        print(
            f"seeded {objects:,} objects ({size:,} bytes) in {time.perf_counter() - started:.1f} s"
        )
        env = {
            **os.environ,
            "OSS_ENDPOINT": server.endpoint,
            "OSS_ACCESS_KEY_ID": server.access_key_id,
            "OSS_ACCESS_KEY_SECRET": server.access_key_secret,
            "BENCH_BUCKET": "bench-du",
            "BENCH_PREFIX": PREFIX,
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        loop_times, du_times, du_rss, loop_cpu, du_cpu, ok = [], [], [], [], [], True
        for run in range(args.runs):
            counters = count_requests(server)
            seconds, rss, cpu, text = run_child([sys.executable, "-c", OSS2_LOOP], env)
            loop_times.append(seconds)
            loop_cpu.append(cpu)
            if text.split() != [str(objects), str(size)]:
                print(f"  the loop counted {text.strip()}, not {objects} {size}", file=sys.stderr)
                ok = False
            print(
                f"run {run + 1}: oss2 ObjectIteratorV2 loop {seconds:.2f} s (CPU {cpu:.2f} s), "
                f"peak RSS {rss:.0f} MiB; requests: {requests_text(counters)}"
            )
            counters = count_requests(server)
            command = [*ossbrowse_command(), "du", "--json", f"oss://bench-du/{PREFIX}"]
            seconds, rss, cpu, text = run_child(command, env)
            du_times.append(seconds)
            du_cpu.append(cpu)
            du_rss.append(rss)
            rows = [json.loads(line) for line in text.splitlines()]
            root = rows[0]
            if (root["objects"], root["bytes"]) != (objects, size):
                print(f"  du counted {root['objects']} {root['bytes']}", file=sys.stderr)
                ok = False
            heads = counters["head_object"].fired + counters["get_object_meta"].fired
            print(
                f"run {run + 1}: ossbrowse du {seconds:.2f} s (CPU {cpu:.2f} s), peak RSS "
                f"{rss:.0f} MiB, "
                f"{len(rows) - 2} prefix rows, {root['multipart_uploads']} unfinished upload "
                f"({root['multipart_bytes']:,} bytes), {root['early_deletion_objects']:,} "
                f"objects inside their minimum duration; requests: {requests_text(counters)}"
            )
            ok = ok and heads == 0 and counters["get_object"].fired == 0
            print(f"run {run + 1}: du {loop_times[-1] / seconds:.1f}x faster than the loop")
        server.faults.clear()
    loop, du = min(loop_times), min(du_times)
    ratio = loop / du
    rss = max(du_rss)
    print(
        f"du of {objects:,} objects: {du:.2f} s against the oss2 loop's {loop:.2f} s: "
        f"{ratio:.1f}x faster (target >= {TARGET_RATIO:.0f}x: "
        f"{'met' if ratio >= TARGET_RATIO else 'MISSED'}); du's peak RSS {rss:.0f} MiB "
        f"(target < {TARGET_RSS_MIB} MiB: {'met' if rss < TARGET_RSS_MIB else 'MISSED'}); "
        f"list requests only: {'yes' if ok else 'NO'}"
    )
    print(
        f"client CPU (the machine's other load does not stretch it): du {min(du_cpu):.2f} s, "
        f"the loop {min(loop_cpu):.2f} s ({min(loop_cpu) / min(du_cpu):.1f}x)"
    )
    print(f"load average at end {load_average()}")
    return 0 if ok and ratio >= TARGET_RATIO and rss < TARGET_RSS_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
