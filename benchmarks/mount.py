"""Time and peak RSS of `ossbrowse mount-check` over 20,000 entries a side (targets: 3 s, 120 MiB).

Builds a mount-like pair: a local OSS server (in this process) holding N objects under a
prefix, and a local folder holding the same files with the mtimes a mount would show, with a
few differences sprinkled in (1 in 500 only in the mount, 1 in 500 only in the bucket, 1 in
500 of another size). Then runs `ossbrowse mount-check DIR --against oss://... --json` as a
subprocess, several times, and prints wall time, peak RSS (from wait4) and the requests made.

    python benchmarks/mount.py [--entries 20000] [--runs 3] [--crc]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

PREFIX = "bench/mount/"


def populate(bucket, store, bucket_name: str, root: str, entries: int) -> None:
    import oss2

    keys = [f"d{i // 200:03d}/file-{i:05d}.dat" for i in range(entries)]
    body = b"x" * 100

    # Seeded straight into the server's store (its bulk loader for sample data): 20,000
    # PUTs over HTTP would take minutes and measure the server, not mount-check.
    from ossbrowse.crc64 import crc64
    from ossbrowse.emulator.model import ObjectMeta

    etag = hashlib.md5(body).hexdigest().upper()
    crc = crc64(body)
    now = time.time()
    names = [k for i, k in enumerate(keys) if i % 500 != 1]  # 1 in 500: only in the mount
    names += [f"d000/zz-elsewhere-{i}.dat" for i in range(entries // 500)]  # only in bucket
    store.bulk_load(
        bucket_name,
        (ObjectMeta(PREFIX + k, len(body), etag, crc, now - 60, blob=body) for k in names),
    )

    start = time.perf_counter()
    listed = {
        obj.key[len(PREFIX) :]: obj.last_modified
        for obj in oss2.ObjectIteratorV2(bucket, prefix=PREFIX, max_keys=1000)
    }
    for i, key in enumerate(keys):
        path = os.path.join(root, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = body + (b"y" if i % 500 == 7 else b"")  # another size
        with open(path, "wb") as fh:
            fh.write(data)
        mtime = listed.get(key, now)
        os.utime(path, (mtime, mtime))
    print(f"built both sides in {time.perf_counter() - start:.1f} s", file=sys.stderr)


# Runs `python -m ossbrowse ...` and, at exit, writes the process's own VmHWM to stderr:
# wait4's ru_maxrss would report this (big) parent's high-water mark, which Linux carries
# into a child across fork and exec.
_WRAPPER = """
import atexit, runpy, sys
def _hwm():
    with open("/proc/self/status") as status:
        kib = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    sys.stderr.write(f"\\nVmHWM-KiB {kib}\\n")
atexit.register(_hwm)
sys.argv = ["ossbrowse", *sys.argv[1:]]
runpy.run_module("ossbrowse", run_name="__main__")
"""


def run_measured(args: list[str]) -> tuple[float, int, int, bytes, bytes, float]:
    """(seconds, exit code, peak RSS in KiB, stdout, stderr, CPU seconds) of one run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        errors = err.read()
        marker = errors.rfind(b"VmHWM-KiB ")
        hwm = int(errors[marker + 10 :].split()[0]) if marker >= 0 else -1
        cpu = usage.ru_utime + usage.ru_stime
        return elapsed, proc.returncode, hwm, out.read(), errors, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--crc", action="store_true", help="also time a --crc run (HEADs all)")
    parser.add_argument("--profile", action="store_true", help="print where one run spends time")
    options = parser.parse_args()

    import oss2

    from ossbrowse.emulator import EmulatorServer

    with EmulatorServer() as srv, tempfile.TemporaryDirectory() as tmp:
        srv.create_bucket("bench-mount")
        bucket = oss2.Bucket(
            oss2.Auth(srv.access_key_id, srv.access_key_secret), srv.endpoint, "bench-mount"
        )
        root = os.path.join(tmp, "mnt")
        os.makedirs(root)
        populate(bucket, srv.store, "bench-mount", root, options.entries)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OSS_", "ALIBABA_CLOUD_"))}
        env["OSSBROWSE_CONFIG"] = os.path.join(tmp, "none.toml")
        os.environ.clear()
        os.environ.update(env)
        command = [
            sys.executable,
            "-c",
            _WRAPPER,
            "mount-check",
            root,
            "--against",
            f"oss://bench-mount/{PREFIX}",
            "--json",
            "--endpoint",
            srv.endpoint,
            "--access-key-id",
            srv.access_key_id,
            "--access-key-secret",
            srv.access_key_secret,
        ]
        if options.profile:
            profiled = [sys.executable, "-m", "cProfile", "-s", "tottime", "-m", "ossbrowse"]
            profiled += command[3:]
            profiled[profiled.index("--json")] = "--no-writers"
            out = run_measured(profiled)[3]
            text = out.decode(errors="replace")
            print(text[text.find("Ordered by") :][:4000])
        variants = [("default", command)]
        if options.crc:
            variants.append(("--crc", [*command, "--crc"]))
        load = os.getloadavg()[0]
        print(
            f"mount-check over {options.entries} entries a side "
            f"({os.cpu_count()} cores, load average {load:.1f})"
        )
        for name, args in variants:
            for run in range(options.runs):
                seconds, code, rss_kib, out, err, cpu = run_measured(args)
                if code == 2:
                    print(err.decode(errors="replace"), file=sys.stderr)
                    return 1
                summary = json.loads(out)
                print(
                    f"{name:8} run {run + 1}: {seconds:.2f} s ({cpu:.2f} s CPU), "
                    f"peak RSS {rss_kib / 1024:.1f} MiB, "
                    f"exit {code}, {summary['total']} entries, "
                    f"{summary['differences']} differences, "
                    f"{summary['requests']['list']} list + {summary['requests']['head']} HEAD"
                )
        print("targets: under 3 s and under 120 MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
