"""Measure the UI against the local OSS server: first paint, first rows of a 100,000-object
prefix, key latency while that listing loads and while a large upload runs, and peak RSS.

    python benchmarks/ui.py [--objects 100000] [--transfer-mib 1024] [--keys 60]

The server runs in a child process so the RSS figure is the UI's alone. Targets (issue 5):
first paint < 1 s, first rows < 0.5 s, p95 key latency < 50 ms during both, RSS < 250 MiB.
Key latency is press-to-repaint as Pilot sees it: the key is delivered, handled, and the
screen refreshed before `pilot.press` returns.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def serve(objects: int, ready, port_box) -> None:
    """Child process: a memory server with `bench` holding big/ (N objects) and small/."""
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.model import ObjectMeta

    server = EmulatorServer(restore_delay=1.0)
    server.start()
    server.create_bucket("bench")
    now = time.time()
    server.store.bulk_load(
        "bench",
        (
            ObjectMeta(
                key=f"big/obj-{i:07d}.dat",
                size=i % 5000,
                etag="0" * 32,
                crc64=0,
                mtime=now,
                blob=b"",
            )
            for i in range(objects)
        ),
    )
    port_box.value = server.port
    ready.set()
    while True:
        time.sleep(3600)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def first_paint(endpoint: str, workdir: str) -> float | None:
    """Seconds from starting `ossbrowse` in tmux to its first frame (the footer) on screen.

    The bucket's rows may come in the same frame or later: the OSS side (and oss2) is made
    by the first listing's worker, after the first frame is queued."""
    if shutil.which("tmux") is None:
        return None
    session = f"ossbrowse-bench-{os.getpid()}"
    env = [
        f"OSS_ENDPOINT={endpoint}",
        "OSS_ACCESS_KEY_ID=ossbrowse",
        "OSS_ACCESS_KEY_SECRET=ossbrowse-secret",
        f"OSSBROWSE_CONFIG={workdir}/none.toml",
    ]
    started = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36", "env",
                    *env, sys.executable, "-m", "ossbrowse", workdir, "oss://bench/"],
                   check=True)  # fmt: skip
    try:
        while time.perf_counter() - started < 30:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                    capture_output=True, text=True).stdout  # fmt: skip
            if "Copy" in screen and "Quit" in screen:
                return time.perf_counter() - started
            time.sleep(0.01)
        return None
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


async def press_to_frame(app, key: str) -> float:
    """Seconds from posting `key` to the next frame the app puts on screen after handling it
    (Pilot's own press waits for every queued message, which is not what a person sees)."""
    from textual import events

    frames = app.bench_frames
    before = len(frames)
    started = time.perf_counter()
    app.post_message(events.Key(key, None))
    while len(frames) == before:
        await asyncio.sleep(0.0005)
    return frames[before] - started


def count_frames(app) -> None:
    app.bench_frames = []
    display = app._display

    def recording(screen, renderable):
        display(screen, renderable)
        if renderable is not None:
            app.bench_frames.append(time.perf_counter())

    app._display = recording


async def measure(endpoint: str, workdir: str, keys: int, transfer_mib: int) -> dict:
    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.transfer.events import JobState

    settings = ConnectionSettings(endpoint=endpoint, access_key_id="ossbrowse",
                                  access_key_secret="ossbrowse-secret")  # fmt: skip
    app = build_app(settings, workdir, "oss://bench/", state_dir=os.path.join(workdir, "state"))
    results: dict = {}
    async with app.run_test(size=(120, 36)) as pilot:
        count_frames(app)
        right = app.main.right
        while right.is_loading:
            await pilot.pause(0.01)
        await pilot.press("tab")
        # Enter on the 100,000-object prefix -> first rows drawn.
        started = time.perf_counter()
        right.open("oss://bench/big/")
        while not right.file_list.model.view:
            await asyncio.sleep(0.001)
        await pilot.pause()
        results["first_rows_s"] = time.perf_counter() - started
        # Keys while the rest of the listing loads.
        latencies = []
        for _ in range(keys):
            if not right.is_loading:
                break
            latencies.append(await press_to_frame(app, "down"))
        results["keys_while_listing"] = len(latencies)
        if latencies:
            results["listing_key_p50_ms"] = statistics.median(latencies) * 1000
            results["listing_key_p95_ms"] = percentile(latencies, 0.95) * 1000
        while right.is_loading:
            await pilot.pause(0.05)
        results["loaded"] = len(right.file_list.model.view)
        results["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Keys while a large upload runs.
        if transfer_mib:
            big = os.path.join(workdir, "big.bin")
            with open(big, "wb") as handle:
                handle.truncate(transfer_mib * 1024 * 1024)
            app.engine.submit(big, "oss://bench/upload/big.bin")
            while not any(j.state is JobState.RUNNING for j in app.engine.jobs()):
                await pilot.pause(0.01)
            latencies = []
            for i in range(keys):
                if all(j.state.finished for j in app.engine.jobs()):
                    break
                latencies.append(await press_to_frame(app, "up" if i % 2 else "down"))
                await asyncio.sleep(0.02)
            results["keys_while_transfer"] = len(latencies)
            if latencies:
                results["transfer_key_p50_ms"] = statistics.median(latencies) * 1000
                results["transfer_key_p95_ms"] = percentile(latencies, 0.95) * 1000
            app.engine.cancel_all()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--transfer-mib", type=int, default=1024)
    parser.add_argument("--keys", type=int, default=60)
    args = parser.parse_args()

    ready = multiprocessing.Event()
    port = multiprocessing.Value("i", 0)
    child = multiprocessing.Process(target=serve, args=(args.objects, ready, port), daemon=True)
    child.start()
    try:
        if not ready.wait(120):
            print("the server did not start", file=sys.stderr)
            return 1
        endpoint = f"http://127.0.0.1:{port.value}"
        with tempfile.TemporaryDirectory(prefix="ossbrowse-bench-") as workdir:
            paint = first_paint(endpoint, workdir)
            results = asyncio.run(measure(endpoint, workdir, args.keys, args.transfer_mib))
        results["first_paint_s"] = paint
        print(f"load average now: {os.getloadavg()}")
        for name, value in results.items():
            shown = f"{value:.3f}" if isinstance(value, float) else value
            print(f"{name:>22}: {shown}")
    finally:
        child.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
