"""Benchmark: this engine against oss2's resumable_upload / resumable_download, through the
local OSS server with a disk store (--root), same part size and threads, oss2 with CRC on.

    python benchmarks/transfer.py [--sizes 256MiB,1GiB] [--part-size 8MiB] [--threads 4]
                                  [--rounds 1] [--skip-kill] [--skip-cancel]

The server runs in its own process (so it does not share a GIL with the client under test);
each side of each measurement runs in its own child process, A and B alternating, and its peak
RSS is read from os.wait4's rusage. Prints MB/s, ratios, peak RSS, bytes re-sent after a kill
at about half way (counted on the wire by a forwarding proxy), and cancel latency. Temp files
live under /tmp and are deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

KEY_ID, SECRET = "ossbrowse", "ossbrowse-secret"
BUCKET = "bench"

SERVER = """
import sys, time
from ossbrowse.emulator import EmulatorServer
srv = EmulatorServer(root=sys.argv[1])
srv.start()
srv.create_bucket("bench")
print(srv.endpoint, flush=True)
while True:
    time.sleep(3600)
"""


def _bucket(endpoint: str, crc: bool):
    import oss2

    return oss2.Bucket(oss2.Auth(KEY_ID, SECRET), endpoint, BUCKET, enable_crc=crc)


# --- children: one measurement each, JSON on stdout ----------------------------------------


def child(args) -> None:
    start = time.perf_counter()
    work = args.work
    if args.side == "oss2":
        import oss2

        bucket = _bucket(args.endpoint, crc=True)
        store_dir = os.path.join(work, "oss2-store")
        if args.direction == "up":
            oss2.resumable_upload(
                bucket, args.key, args.file, store=oss2.ResumableStore(root=store_dir),
                multipart_threshold=args.part_size, part_size=args.part_size,
                num_threads=args.threads,
            )  # fmt: skip
        else:
            oss2.resumable_download(
                bucket, args.key, args.file, store=oss2.ResumableDownloadStore(root=store_dir),
                multiget_threshold=args.part_size, part_size=args.part_size,
                num_threads=args.threads,
            )  # fmt: skip
    else:
        from ossbrowse.tasks import TaskState
        from ossbrowse.transfer import TransferEngine

        bucket = _bucket(args.endpoint, crc=False)
        with TransferEngine(
            lambda _n: bucket, threads=args.threads, part_size=args.part_size,
            state_dir=os.path.join(work, "state"),
        ) as engine:  # fmt: skip
            url = f"oss://{BUCKET}/{args.key}"
            src, dst = (args.file, url) if args.direction == "up" else (url, args.file)
            job = engine.submit(src, dst)
            job.wait()
            if job.state is not TaskState.DONE:
                raise SystemExit(f"failed: {job.error}")
    seconds = time.perf_counter() - start
    # VmHWM, not wait4's ru_maxrss: Linux carries the parent's high-water mark into a forked
    # child's ru_maxrss, which made every side report the parent's RSS.
    with open("/proc/self/status") as status:
        hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "peak_rss": hwm * 1024}))


def run_child(common: list[str], side: str, direction: str, key: str, path: str):
    argv = [sys.executable, __file__, "--child", side, "--direction", direction, "--key", key,
            "--file", path, *common]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    if proc.wait():
        raise SystemExit(f"{side} {direction} failed ({proc.returncode})")
    result = json.loads(out)
    return result["seconds"], result["peak_rss"]


def kill_and_resume(common, endpoint, work, path, size, args) -> int:
    """Bytes sent twice when an upload is SIGKILLed at about half way and run again."""
    from urllib.parse import urlparse

    from tests.transfer.wire import CountingProxy

    url = urlparse(endpoint)
    proxy = CountingProxy(url.hostname, url.port)
    via = [a if a != endpoint else proxy.endpoint for a in common]
    argv = [sys.executable, __file__, "--child", "ours", "--direction", "up", "--key", "killed",
            "--file", path, *via]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    while proxy.sent < size // 2 and proc.poll() is None:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    first = proxy.sent
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    proc.wait()
    proxy.close()
    requests_overhead = 0  # reported raw: headers of a few dozen requests are included
    return proxy.sent - size - requests_overhead, first


def cancel_latency(endpoint, path, args) -> float:
    from ossbrowse.transfer import TransferEngine

    bucket = _bucket(endpoint, crc=False)
    state = tempfile.mkdtemp(dir=args.tmp)
    with TransferEngine(lambda _n: bucket, threads=args.threads, part_size=args.part_size,
                        state_dir=state) as engine:  # fmt: skip
        job = engine.submit(path, f"oss://{BUCKET}/cancelled")
        size = os.path.getsize(path)
        while job.bytes_done < size // 3 and not job.state.finished:
            time.sleep(0.002)
        started = time.perf_counter()
        engine.cancel(job.id)
        job.wait()
        return time.perf_counter() - started


def parse_args(argv=None):
    from ossbrowse.transfer.plan import parse_size

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="256MiB,1GiB")
    p.add_argument("--part-size", default="8MiB")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--rounds", type=int, default=1, help="A B pairs per measurement")
    p.add_argument("--skip-kill", action="store_true")
    p.add_argument("--skip-cancel", action="store_true")
    p.add_argument("--tmp", default="/tmp")
    p.add_argument("--child", choices=["ours", "oss2"], dest="side")
    p.add_argument("--direction", choices=["up", "down"])
    p.add_argument("--endpoint")
    p.add_argument("--key")
    p.add_argument("--file")
    p.add_argument("--work")
    args = p.parse_args(argv)
    args.part_size = parse_size(args.part_size)
    return args


def main() -> None:
    args = parse_args()
    if args.side:
        child(args)
        return
    work = tempfile.mkdtemp(prefix="ossbrowse-bench-", dir=args.tmp)
    server = subprocess.Popen([sys.executable, "-c", SERVER, os.path.join(work, "store")],
                              stdout=subprocess.PIPE, cwd=ROOT)  # fmt: skip
    try:
        endpoint = server.stdout.readline().decode().strip()
        common = ["--endpoint", endpoint, "--part-size", str(args.part_size),
                  "--threads", str(args.threads), "--work", work]  # fmt: skip
        from ossbrowse.transfer.plan import parse_size

        print(f"server: {endpoint} (own process, disk store); part size {args.part_size}, "
              f"threads {args.threads}")  # fmt: skip
        for size in [parse_size(s) for s in args.sizes.split(",")]:
            path = os.path.join(work, "src.bin")
            with open(path, "wb") as f:
                for _ in range(size // (64 << 20)):
                    f.write(os.urandom(64 << 20))
                f.write(os.urandom(size % (64 << 20)))
            label = f"{size / 2**20:.0f} MiB"
            for direction in ("up", "down"):
                best = {"ours": [], "oss2": []}
                rss = {"ours": 0, "oss2": 0}
                for _ in range(args.rounds):
                    for side in ("ours", "oss2"):  # A B alternating
                        target = path if direction == "up" else os.path.join(work, f"{side}.out")
                        seconds, peak = run_child(common, side, direction, f"obj-{side}", target)
                        best[side].append(size / seconds / 1e6)
                        rss[side] = max(rss[side], peak)
                        if direction == "down":
                            os.unlink(target)
                ours, theirs = max(best["ours"]), max(best["oss2"])
                print(f"{label} {direction:>4}: ours {ours:7.1f} MB/s  oss2 {theirs:7.1f} MB/s  "
                      f"ratio {ours / theirs:4.2f}x  peak RSS ours {rss['ours'] / 2**20:.0f} MiB, "
                      f"oss2 {rss['oss2'] / 2**20:.0f} MiB", flush=True)  # fmt: skip
            if not args.skip_kill:
                resent, first = kill_and_resume(common, endpoint, work, path, size, args)
                print(f"{label} kill at {first / 2**20:.0f} MiB sent, then resume: "
                      f"{resent / 2**20:.2f} MiB sent twice (limit threads x part = "
                      f"{args.threads * args.part_size / 2**20:.0f} MiB)", flush=True)  # fmt: skip
            if not args.skip_cancel:
                print(f"{label} cancel latency: {cancel_latency(endpoint, path, args) * 1000:.0f} "
                      "ms", flush=True)  # fmt: skip
            os.unlink(path)
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
