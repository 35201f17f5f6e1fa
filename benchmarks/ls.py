"""Time `ossbrowse ls` to its first line and to its end, on a prefix of 100,000 objects in the
local server and on a local folder of 200,000 files.

    python benchmarks/ls.py [--objects 100000] [--files 200000] [--runs 5]

The objects are seeded straight into the server's store with its bulk loader: 100,000 PUTs
over HTTP would measure the server's upload path for minutes, not `ls`. Then `ossbrowse ls`
runs as a subprocess, as a person or a script would run it, its stdout a pipe; the first line
must appear in under 0.3 s however big the prefix is, because `ls` prints page by page.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_FIRST_LINE = 0.3


def ossbrowse_command() -> list[str]:
    script = shutil.which("ossbrowse")
    return [script] if script else [sys.executable, "-m", "ossbrowse"]


def seed(server, bucket: str, prefix: str, count: int) -> None:
    from ossbrowse.crc64 import crc64
    from ossbrowse.emulator.model import ObjectMeta

    server.create_bucket(bucket)
    body = b"0123456789"
    etag = hashlib.md5(body).hexdigest().upper()
    crc = crc64(body)
    now = time.time()
    server.store.bulk_load(
        bucket,
        (
            ObjectMeta(f"{prefix}obj-{i:07d}.dat", len(body), etag, crc, now, blob=body)
            for i in range(count)
        ),
    )


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def cpu_seconds(args: list[str], env: dict[str, str]) -> float:
    """User + system CPU of one run: what it costs, whatever else the machine is doing."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def time_ls(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds to the first line, seconds to the end, lines) for one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    first_line = proc.stdout.readline()
    first = time.perf_counter() - start
    lines = 1 if first_line else 0
    for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):
        lines += chunk.count(b"\n")
    err = proc.stderr.read() if proc.stderr else b""
    code = proc.wait()
    total = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"ls failed ({code}): {err.decode(errors='replace').strip()}")
    return first, total, lines


def report(label: str, runs: list[tuple[float, float, int]], expected: int) -> bool:
    firsts = [r[0] for r in runs]
    totals = [r[1] for r in runs]
    lines = {r[2] for r in runs}
    ok = statistics.median(firsts) < TARGET_FIRST_LINE
    print(
        f"{label}: first line median {statistics.median(firsts) * 1000:.0f} ms "
        f"(min {min(firsts) * 1000:.0f}, max {max(firsts) * 1000:.0f}); "
        f"all {expected:,} lines median {statistics.median(totals):.2f} s "
        f"(min {min(totals):.2f}); {len(runs)} runs; "
        f"target < {TARGET_FIRST_LINE * 1000:.0f} ms: {'met' if ok else 'MISSED'}"
    )
    if lines != {expected}:
        print(f"  line counts {sorted(lines)} != {expected}", file=sys.stderr)
        return False
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200_000, help="0 skips the local run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is"
    )
    args = parser.parse_args()

    from ossbrowse.emulator import EmulatorServer

    command = ossbrowse_command()
    ok = True
    base_env = dict(os.environ)
    if not args.no_bytecode_cache:
        # An installed ossbrowse has its .pyc files (pip compiles them); a checkout run with
        # PYTHONDONTWRITEBYTECODE=1 compiles every module from source on every start (~20 ms
        # here). Cache them in a temp dir, warmed by the first run, as an installation would.
        base_env.pop("PYTHONDONTWRITEBYTECODE", None)
        base_env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="ossbrowse-pyc-")
    print(
        f"load average {load_average()}; bytecode "
        f"{'compiled from source each run' if args.no_bytecode_cache else 'cached'}"
    )
    time_ls([*command, "--version"], base_env)
    baseline = [time_ls([*command, "--version"], base_env)[0] for _ in range(args.runs)]
    floor = statistics.median(baseline) * 1000
    print(f"`ossbrowse --version` (start-up floor): median {floor:.0f} ms")
    with EmulatorServer() as server:
        started = time.perf_counter()
        seed(server, "bench-ls", "big/", args.objects)
        print(f"seeded {args.objects:,} objects in {time.perf_counter() - started:.1f} s")
        env = {
            **base_env,
            "OSS_ENDPOINT": server.endpoint,
            "OSS_ACCESS_KEY_ID": server.access_key_id,
            "OSS_ACCESS_KEY_SECRET": server.access_key_secret,
        }
        url = "oss://bench-ls/big/"
        # A machine shared with other work stretches wall-clock times; CPU time does not.
        # `ls` of a prefix of 100 objects is one page: its CPU is what the first line costs.
        seed(server, "bench-ls-small", "small/", 100)
        version_cpu = [cpu_seconds([*command, "--version"], env) for _ in range(args.runs)]
        page_cpu = [
            cpu_seconds([*command, "ls", "oss://bench-ls-small/small/"], env)
            for _ in range(args.runs)
        ]
        print(
            f"CPU of `ossbrowse --version`: min {min(version_cpu) * 1000:.0f} ms; of a one-page "
            f"`ossbrowse ls` (the first line's cost): min {min(page_cpu) * 1000:.0f} ms"
        )
        big_cpu = [cpu_seconds([*command, "ls", url], env) for _ in range(min(args.runs, 2))]
        print(f"CPU of `ossbrowse ls` of all {args.objects:,} objects: min {min(big_cpu):.2f} s")
        for label, extra in (("ls", []), ("ls -l", ["-l"]), ("ls --recursive", ["-r"])):
            runs = [time_ls([*command, "ls", *extra, url], env) for _ in range(args.runs)]
            ok = report(f"OSS {label} {url} ({args.objects:,} objects)", runs, args.objects) and ok

    if args.files:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            for i in range(args.files):
                open(os.path.join(tmp, f"file-{i:07d}"), "wb").close()
            print(f"made {args.files:,} local files in {time.perf_counter() - started:.1f} s")
            runs = [time_ls([*command, "ls", tmp], base_env) for _ in range(args.runs)]
            ok = report(f"local ls ({args.files:,} files)", runs, args.files) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
