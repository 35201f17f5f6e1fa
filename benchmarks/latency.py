"""Durations the test suite no longer asserts: tests check the order of events and outcomes;
how long things take on this machine is printed here, with the bound a test once held it to.

    python benchmarks/latency.py [--rounds 5]

Prints, for each figure, the median and worst of the rounds and the old test bound:
  cancel            an upload of ten 100 KB parts, each slowed 0.3 s at the server, cancelled once
                    its first bytes moved: cancel() to the job's end (was: < 0.8 s)
  idle close        a client that stops sending mid-body: until the server, with a 0.5 s idle
                    limit, closes the connection (was: < 4 s)
  injected latency  a HEAD with `head_object:latency=0.2` (was: >= 0.2 s)
  model append      20 pages of 1,000 names into the pane's listing model (was: < 5 s)
  input yield       yield_to_input() with no recent key (was: < 10 ms) and right after a key
                    with a 0.05 s bound (was: 0.04 to 1.0 s)
  panel progress    20 progress snapshots to the transfer panel's row showing the newest
                    (was: < PROGRESS_EVERY + 1 s)
Key latency while transfers run is measured by benchmarks/ui.py.
No assertions: a benchmark reports, it does not pass or fail.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def cancel_latency(server, workdir: Path) -> float:
    import oss2

    from ossbrowse.fs.retrying import RetryPolicy
    from ossbrowse.transfer import TransferEngine

    auth = oss2.Auth(server.access_key_id, server.access_key_secret)
    engine = TransferEngine(
        lambda name: oss2.Bucket(auth, server.endpoint, name, enable_crc=False),
        part_size=102_400,
        threads=2,
        state_dir=workdir / "state",
        retry=RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05),
    )
    src = workdir / "big.bin"
    src.write_bytes(os.urandom(1_024_000))
    server.faults.clear()
    server.faults.add("upload_part:latency=0.3")
    try:
        job = engine.submit(str(src), "oss://bench/big.bin")
        while job.bytes_done == 0 and not job.wait(0.005):
            pass
        started = time.monotonic()
        engine.cancel(job.id)
        job.wait(60)
        return time.monotonic() - started
    finally:
        server.faults.clear()
        engine.shutdown(wait=True)


def idle_close(server) -> float:
    server.idle_timeout = 0.5
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
            sock.sendall(b"PUT /b/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab")
            started = time.monotonic()
            while sock.recv(65536):
                pass
            return time.monotonic() - started
    finally:
        server.idle_timeout = 60.0


def injected_latency(server) -> float:
    import oss2

    bucket = oss2.Bucket(
        oss2.Auth(server.access_key_id, server.access_key_secret), server.endpoint, "bench"
    )
    bucket.put_object("k", b"x")
    server.faults.clear()
    server.faults.add("head_object:latency=0.2")
    try:
        started = time.monotonic()
        bucket.head_object("k")
        return time.monotonic() - started
    finally:
        server.faults.clear()


def model_append() -> float:
    from ossbrowse.fs.base import Entry, EntryKind
    from ossbrowse.ui.model import ListingModel

    def entry(name: str) -> Entry:
        return Entry(name=name, path=f"oss://b/{name}", kind=EntryKind.FILE, size=1, mtime=0.0)

    pages = [[entry(f"k{p:03}{i:04}") for i in range(1000)] for p in range(20)]
    model = ListingModel()
    started = time.perf_counter()
    for page in pages:
        model.add(page)
    return time.perf_counter() - started


def input_yield() -> tuple[float, float]:
    from ossbrowse.ui import input_priority
    from ossbrowse.ui.input_priority import InputActivity

    quiet = InputActivity()
    started = time.monotonic()
    quiet.yield_to_input()
    quiet_wait = time.monotonic() - started
    saved = input_priority.RECENT
    input_priority.RECENT = 5.0
    try:
        busy = InputActivity()
        busy.touch()
        started = time.monotonic()
        busy.yield_to_input(most=0.05)
        busy_wait = time.monotonic() - started
    finally:
        input_priority.RECENT = saved
    return quiet_wait, busy_wait


def panel_progress() -> float:
    from textual.app import App, ComposeResult

    from ossbrowse.tasks import TaskSnapshot, TaskState
    from ossbrowse.ui.transfer_panel import TransferPanel

    mib = 1 << 20

    def snapshot(done: int) -> TaskSnapshot:
        return TaskSnapshot(id="j1", src="/tmp/big.bin", dst="oss://b/big.bin",
                           state=TaskState.RUNNING, bytes_done=done, bytes_total=100 * mib,
                           rate=10.0 * mib, eta=9.0)  # fmt: skip

    class PanelApp(App[None]):
        def compose(self) -> ComposeResult:
            yield TransferPanel(id="transfers")

    async def measure() -> float:
        app = PanelApp()
        async with app.run_test() as pilot:
            panel = app.query_one(TransferPanel)
            panel.update_job(snapshot(0))
            started = time.monotonic()
            for done in range(1, 21):
                panel.update_job(snapshot(done * mib))
            while not str(panel.table.get_row_at(0)[4]).startswith("20"):
                await pilot.pause(0.005)
            return time.monotonic() - started

    return asyncio.run(measure())


def show(name: str, values: list[float], bound: str) -> None:
    ms = [v * 1000 for v in values]
    print(f"{name:<24} median {statistics.median(ms):9.1f} ms   worst {max(ms):9.1f} ms   "
          f"(old test bound: {bound})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from ossbrowse.emulator import EmulatorServer

    figures: dict[str, list[float]] = {}
    with EmulatorServer(restore_delay=1.0) as server, tempfile.TemporaryDirectory() as tmp:
        server.create_bucket("bench")
        for round_ in range(args.rounds):
            workdir = Path(tmp) / f"r{round_}"
            workdir.mkdir()
            figures.setdefault("cancel", []).append(cancel_latency(server, workdir))
            figures.setdefault("idle close", []).append(idle_close(server))
            figures.setdefault("injected latency", []).append(injected_latency(server))
            figures.setdefault("model append", []).append(model_append())
            quiet, busy = input_yield()
            figures.setdefault("input yield (quiet)", []).append(quiet)
            figures.setdefault("input yield (after key)", []).append(busy)
            figures.setdefault("panel progress", []).append(panel_progress())
    bounds = {
        "cancel": "< 800 ms",
        "idle close": "< 4000 ms",
        "injected latency": ">= 200 ms",
        "model append": "< 5000 ms",
        "input yield (quiet)": "< 10 ms",
        "input yield (after key)": "40 to 1000 ms",
        "panel progress": "< 1250 ms",
    }
    print(f"{args.rounds} rounds, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    for name, values in figures.items():
        show(name, values, bounds[name])


if __name__ == "__main__":
    main()
