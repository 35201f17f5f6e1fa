"""Time a versions listing of a prefix of 100,000 objects with 3 versions each (300,000
entries) against the local server: the first rows through the gateway (one ListObjectVersions
page), the whole listing (as records, and lean as du --all-versions reads it), `ossbrowse ls
--versions` to its first line and to its end, and the UI's versions view (V, through Textual's
Pilot) to its first rows and to its end.

    python benchmarks/versions.py [--objects 100000] [--versions 3] [--runs 5]

The server runs in a child process (its CPU is not the client's) and is filled straight
through its store with versioning enabled: 300,000 PUTs over HTTP would measure the upload
path for minutes, not the listing. Target (issue 14): first rows in under 0.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

# The `ossbrowse` command and its timing, as benchmarks/ls.py runs them (this folder is on
# sys.path when a benchmark runs as a script).
from ls import ossbrowse_command, time_ls

TARGET_FIRST_ROWS = 0.5
BUCKET = "bench-versions"
PREFIX = "big/"


def serve(objects: int, versions: int, ready, port_box) -> None:
    """Child process: a memory server whose bucket holds `objects` keys under big/, each with
    `versions` versions (the newest live), filled through the store's own write path."""
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.model import ObjectMeta

    server = EmulatorServer()
    server.start()
    server.create_bucket(BUCKET)
    store = server.store
    store.set_versioning(BUCKET, "Enabled")
    body = b"0123456789"
    now = time.time()
    for round_ in range(versions):
        for i in range(objects):
            meta = ObjectMeta(f"{PREFIX}obj-{i:07d}.dat", len(body), "0" * 32, 0, now + round_)
            store.put(BUCKET, meta, body)
    port_box.value = server.port
    ready.set()
    while True:
        time.sleep(3600)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


async def ui_versions(
    endpoint: str, workdir: str, runs: int
) -> tuple[list[float], list[float], int]:
    """The UI's versions view (V) on big/, `runs` times: seconds from the key arriving to the
    end of the first frame that shows version rows, and to the whole listing in the view; how
    many versions and delete markers it listed. Keys and frames as benchmarks/ui.py measures
    them (a key handed over as the terminal driver does, frames rendered to terminal bytes);
    Pilot's own `press` waits for the app to be idle, which it is not while a listing loads."""
    from ui import Frames, Keyboard

    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.ui.versions_view import VersionsScreen

    settings = ConnectionSettings(
        endpoint=endpoint, access_key_id="ossbrowse", access_key_secret="ossbrowse-secret"
    )
    app = build_app(
        settings, workdir, f"oss://{BUCKET}/{PREFIX}", state_dir=os.path.join(workdir, "state")
    )
    firsts: list[float] = []
    wholes: list[float] = []
    count = 0
    async with app.run_test(size=(120, 36)) as pilot:
        frames = Frames(app)
        keyboard = Keyboard(app)
        right = app.main.right

        async def pane_loaded() -> None:
            while right.is_loading or right.generation == 0:
                await pilot.pause(0.05)

        await pane_loaded()
        await pilot.press("tab")
        for _ in range(runs):
            shown = frames.wait_for(
                lambda: isinstance(app.screen, VersionsScreen) and app.screen.list.row_count > 1
            )
            started = keyboard.press("V")
            firsts.append(await asyncio.wait_for(shown, 60) - started)
            view = app.screen
            while view.list.note != "":
                await pilot.pause(0.05)
            wholes.append(time.perf_counter() - started)
            count = len(view.list.versions)
            keyboard.press("escape")
            while app.screen is view:
                await pilot.pause(0.01)
            await pilot.pause(0.1)
            await pane_loaded()  # the pane lists its folder again when the view closes
        keyboard.close()
    if app.engine is not None:
        app.engine.shutdown(wait=False)
    return firsts, wholes, count


def median_line(label: str, firsts: list[float], total: str) -> bool:
    """Print one measured line; whether the first rows' median met the target."""
    met = statistics.median(firsts) < TARGET_FIRST_ROWS
    print(
        f"{label}: first rows median {statistics.median(firsts) * 1000:.0f} ms (min "
        f"{min(firsts) * 1000:.0f}, max {max(firsts) * 1000:.0f}); {total}; {len(firsts)} runs; "
        f"target < {TARGET_FIRST_ROWS} s: {'met' if met else 'MISSED'}"
    )
    return met


def measure_gateway(endpoint: str, runs: int, objects: int, entries: int) -> bool:
    """The first page through the gateway, on a fresh client (its connection opened in the
    timing) and on a warm one, as the product asks for it (100, then 1000); the whole listing."""
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.fs.gateway import versions
    from ossbrowse.fs.oss import OssClient

    settings = ConnectionSettings(
        endpoint=endpoint, access_key_id="ossbrowse", access_key_secret="ossbrowse-secret"
    )
    results: dict[str, list[float]] = {}
    for size in (100, 1000):
        cold: list[float] = []
        warm: list[float] = []
        for _ in range(runs):
            fresh = OssClient(settings).bucket(BUCKET)
            t0 = time.perf_counter()
            page = versions.list_versions_page(fresh, PREFIX, "", max_keys=size)
            cold.append(time.perf_counter() - t0)
            assert len(page.records) == size and page.truncated
            t0 = time.perf_counter()
            versions.list_versions_page(fresh, PREFIX, "", max_keys=size)
            warm.append(time.perf_counter() - t0)
        results[f"gateway first page of {size}, new connection"] = cold
        results[f"gateway first page of {size}, warm connection"] = warm
    for label, times in results.items():
        print(
            f"{label}: median {statistics.median(times) * 1000:.1f} ms "
            f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}); {len(times)} runs"
        )
    first = statistics.median(results["gateway first page of 1000, new connection"])
    print(f"target gateway first rows < {TARGET_FIRST_ROWS} s: "
          f"{'met' if first < TARGET_FIRST_ROWS else 'MISSED'}")  # fmt: skip

    t0 = time.perf_counter()
    count = latest = 0
    for record in versions.iter_versions(OssClient(settings).bucket(BUCKET), PREFIX):
        count += 1
        latest += record.is_latest
    whole = time.perf_counter() - t0
    print(
        f"gateway whole listing: {count:,} entries ({latest:,} latest) in {whole:.2f} s "
        f"({count / whole:,.0f} entries/s)"
    )
    # What du --all-versions reads: the same pages, lean (no record per version).
    from ossbrowse.fs import listing_xml

    t0 = time.perf_counter()
    lean = 0
    for lean_page in listing_xml.iter_lean_version_pages(OssClient(settings).bucket(BUCKET),
                                                         prefix=PREFIX):  # fmt: skip
        lean += len(lean_page.objects) + len(lean_page.delete_markers)
    whole = time.perf_counter() - t0
    print(
        f"gateway whole listing, lean (du --all-versions): {lean:,} entries in {whole:.2f} s "
        f"({lean / whole:,.0f} entries/s)"
    )
    return first < TARGET_FIRST_ROWS and count == entries == lean and latest == objects


def measure_ls(endpoint: str, runs: int) -> bool:
    """`ossbrowse ls --versions` (one level, then -r) as a subprocess, stdout a pipe."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="ossbrowse-pyc-")
    env.update(
        OSS_ENDPOINT=endpoint,
        OSS_ACCESS_KEY_ID="ossbrowse",
        OSS_ACCESS_KEY_SECRET="ossbrowse-secret",
    )
    command = ossbrowse_command()
    url = f"oss://{BUCKET}/{PREFIX}"
    time_ls([*command, "--version"], env)  # warms the bytecode cache
    ok = True
    for label, extra in (("ls --versions", []), ("ls --versions -r", ["-r"])):
        timed = [time_ls([*command, "ls", "--versions", *extra, url], env) for _ in range(runs)]
        total = f"all {timed[0][2]:,} lines median {statistics.median(r[1] for r in timed):.2f} s"
        ok = median_line(f"`ossbrowse {label} {url}`", [r[0] for r in timed], total) and ok
    return ok


def measure_ui(endpoint: str, runs: int, entries: int) -> bool:
    with tempfile.TemporaryDirectory() as workdir:
        firsts, wholes, count = asyncio.run(ui_versions(endpoint, workdir, runs))
    total = f"all {count:,} versions and delete markers median {statistics.median(wholes):.2f} s"
    return median_line(f"UI versions view (V) on oss://{BUCKET}/{PREFIX}", firsts, total) and (
        count == entries
    )


PARTS = ("gateway", "ls", "ui")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"what to measure, of {','.join(PARTS)}"
    )
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    if any(p not in PARTS for p in parts):
        parser.error(f"--parts takes {', '.join(PARTS)}")
    entries = args.objects * args.versions

    print(f"load average before: {load_average()}")
    ready = multiprocessing.Event()
    port_box = multiprocessing.Value("i", 0)
    started = time.perf_counter()
    child = multiprocessing.Process(
        target=serve, args=(args.objects, args.versions, ready, port_box), daemon=True
    )
    child.start()
    if not ready.wait(600):
        print("the server did not start", file=sys.stderr)
        return 1
    print(
        f"filled {args.objects:,} objects x {args.versions} versions ({entries:,} entries) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    endpoint = f"http://127.0.0.1:{port_box.value}"
    ok = True
    try:
        if "gateway" in parts:
            ok = measure_gateway(endpoint, args.runs, args.objects, entries) and ok
        if "ls" in parts:
            ok = measure_ls(endpoint, args.runs) and ok
        if "ui" in parts:
            ok = measure_ui(endpoint, args.runs, entries) and ok
    finally:
        child.terminate()
        child.join(10)
    print(f"load average after: {load_average()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
