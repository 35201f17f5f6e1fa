"""PUT and GET throughput of one large object through the local OSS server, beside raw
loopback socket throughput measured in the same run, printed as ratios.

    python benchmarks/emulator.py [--size-mib 256] [--store memory|disk|both] [--in-process]

Clients: oss2 (enable_crc=False, so crcmod in the client is not what is measured) and plain
http.client with a V1 signature. By default the server runs in its own process
(`ossbrowse serve`), as the transfer engine's benchmarks will use it; `--in-process` starts it
with the context manager instead (client and server then share one GIL).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from urllib.parse import quote

CHUNK = 4 << 20
KEY_ID, SECRET = "bench", "bench-secret"


def raw_loopback(size: int) -> float:
    """Bytes per second through a TCP connection on 127.0.0.1, one thread each side."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    payload = memoryview(bytes(CHUNK))
    received = [0]

    def receive() -> None:
        conn, _ = listener.accept()
        buf = memoryview(bytearray(CHUNK))
        while received[0] < size:
            n = conn.recv_into(buf)
            if not n:
                break
            received[0] += n
        conn.close()

    thread = threading.Thread(target=receive)
    thread.start()
    sender = socket.create_connection(("127.0.0.1", port))
    start = time.perf_counter()
    sent = 0
    while sent < size:
        sender.sendall(payload[: min(CHUNK, size - sent)])
        sent += min(CHUNK, size - sent)
    thread.join()
    elapsed = time.perf_counter() - start
    sender.close()
    listener.close()
    return size / elapsed


def md5_rate(data: bytes) -> float:
    """Bytes per second of hashlib.md5 over `data` in one thread, best of two."""
    best = 0.0
    for _ in range(2):
        start = time.perf_counter()
        hashlib.md5(data).digest()
        best = max(best, len(data) / (time.perf_counter() - start))
    return best


def server_cpu(pid: int | None) -> float:
    """User + system CPU seconds of the server process so far (0 when in process)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


@contextmanager
def server(store: str, in_process: bool):
    root = tempfile.mkdtemp(prefix="oss-bench-") if store == "disk" else None
    if in_process:
        from ossbrowse.emulator import EmulatorServer

        with EmulatorServer(root=root, access_key_id=KEY_ID, access_key_secret=SECRET) as srv:
            srv.create_bucket("bench")
            yield srv.endpoint, None
        return
    args = [sys.executable, "-m", "ossbrowse", "serve", "--create-bucket", "bench",
            "--access-key-id", KEY_ID, "--access-key-secret", SECRET]  # fmt: skip
    if root:
        args += ["--root", root]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    try:
        yield line.split("OSS endpoint: ")[1].split()[0], proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def signed_headers(method: str, key: str, length: int) -> dict:
    import oss2
    from oss2 import http as oss_http

    req = oss_http.Request(method, "http://x/bench/" + quote(key, safe=""), headers={
        "Content-Length": str(length)} if method == "PUT" else {})  # fmt: skip
    oss2.Auth(KEY_ID, SECRET)._sign_request(req, "bench", key)
    return {k: v for k, v in req.headers.items() if v is not None}


def http_client_put(endpoint: str, key: str, data: bytes) -> float:
    host, port = endpoint.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=300)
    headers = signed_headers("PUT", key, len(data))
    start = time.perf_counter()
    conn.request("PUT", f"/bench/{quote(key, safe='')}", body=data, headers=headers)
    resp = conn.getresponse()
    resp.read()
    elapsed = time.perf_counter() - start
    assert resp.status == 200, resp.status
    conn.close()
    return len(data) / elapsed


def http_client_get(endpoint: str, key: str, size: int) -> float:
    host, port = endpoint.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=300)
    buf = memoryview(bytearray(CHUNK))
    start = time.perf_counter()
    conn.request("GET", f"/bench/{quote(key, safe='')}", headers=signed_headers("GET", key, 0))
    resp = conn.getresponse()
    total = 0
    while n := resp.readinto(buf):
        total += n
    elapsed = time.perf_counter() - start
    assert total == size, (total, size)
    conn.close()
    return size / elapsed


def oss2_put(endpoint: str, key: str, data: bytes) -> float:
    import oss2

    bucket = oss2.Bucket(oss2.Auth(KEY_ID, SECRET), endpoint, "bench", enable_crc=False)
    start = time.perf_counter()
    bucket.put_object(key, data)
    return len(data) / (time.perf_counter() - start)


def oss2_get(endpoint: str, key: str, size: int) -> float:
    import oss2

    bucket = oss2.Bucket(oss2.Auth(KEY_ID, SECRET), endpoint, "bench", enable_crc=False)
    start = time.perf_counter()
    result = bucket.get_object(key)
    total = 0
    while chunk := result.read(CHUNK):
        total += len(chunk)
    elapsed = time.perf_counter() - start
    assert total == size
    return size / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--store", choices=["memory", "disk", "both"], default="both")
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    size = args.size_mib << 20
    data = os.urandom(size)
    raw = raw_loopback(size)
    md5 = md5_rate(data)
    gb = 1e9
    print(f"object {args.size_mib} MiB; raw loopback socket: {raw / gb:.2f} GB/s "
          f"({'in-process' if args.in_process else 'separate'} server); load average "
          f"{load_average()}")  # fmt: skip
    print(f"hashlib.md5, one thread: {md5 / gb:.2f} GB/s (a PUT's ETag: the bound for one PUT)")
    stores = ["memory", "disk"] if args.store == "both" else [args.store]
    for store in stores:
        with server(store, args.in_process) as (endpoint, pid):
            rows = []
            for name, measure, key in [
                ("http.client PUT", http_client_put, "hc"),
                ("http.client GET", http_client_get, "hc"),
                ("oss2 PUT", oss2_put, "o2"),
                ("oss2 GET", oss2_get, "o2"),
            ]:
                before = server_cpu(pid)
                rate = measure(endpoint, key, data if "PUT" in name else size)
                rows.append((name, rate, server_cpu(pid) - before))
        for name, rate, cpu in rows:
            of_md5 = f"   {rate / md5:5.1%} of MD5" if "PUT" in name else ""
            # Server CPU per GB: what the server costs, whatever share of the cores it got.
            cost = f"   server CPU {cpu / (size / gb):.2f} s/GB" if pid else ""
            print(f"  {store:<6} {name:<16} {rate / gb:6.2f} GB/s   {rate / raw:5.1%} of raw"
                  f"{cost}{of_md5}")  # fmt: skip


if __name__ == "__main__":
    main()
