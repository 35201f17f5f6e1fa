"""Regenerate screenshots/ from the real app against the demo data (`ossbrowse demo`'s sample).

    python scripts/screenshots.py

Each screen is driven by Pilot at 120x36 and saved as SVG. Times are shown in UTC and the
local sample folder has a fixed name, so the pictures change only when the UI does.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

# OSSBROWSE_SHOTS_OUT: write elsewhere (two runs into two folders, compared with `cmp`).
# The sample's clock: every time a picture shows is counted from here, not from the day the
# script runs, so two runs draw the same files. (A restored object's copy is readable until
# RESTORED_UNTIL, far ahead, so it shows as restored whenever the script runs.)
NOW = 1_748_779_200  # 2025-06-01 12:00:00 UTC
RESTORED_UNTIL = 4_102_444_800  # 2100-01-01 00:00:00 UTC

OUT = Path(
    os.environ.get("OSSBROWSE_SHOTS_OUT") or Path(__file__).resolve().parent.parent / "screenshots"
)


class _FixedClock:
    """The emulator's `time` while the pictures are taken: an object written then (the copy
    the transfers picture shows) is written at NOW, like the sample around it."""

    def __getattr__(self, name: str):
        return getattr(time, name)

    def time(self) -> float:
        return float(NOW)


async def until(pilot, predicate, limit: float = 60.0) -> None:
    """Let the app run until `predicate()` (`limit` only stops a hang)."""
    waited = 0.0
    while not predicate():
        if waited > limit:
            raise TimeoutError("the screen never got there")
        await pilot.pause(0.05)
        waited += 0.05


async def save(pilot, name: str, out: Path) -> None:
    """Save the screen as `name` in `out`, text cursors steady: a blinking one would be drawn
    on or off by chance."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()
    pilot.app.save_screenshot(name, str(out))


def pin_times(folder: Path) -> None:
    """Every file and folder under `folder` (and it) modified at NOW."""
    for path in sorted(folder.rglob("*"), reverse=True):
        os.utime(path, (NOW, NOW), follow_symlinks=False)
    os.utime(folder, (NOW, NOW))


async def shoot() -> None:
    from ossbrowse.commands.demo import make_local_samples
    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.sample import build_sample

    folder = Path(tempfile.gettempdir()) / "ossbrowse-demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    make_local_samples(str(folder))
    pin_times(folder)
    from ossbrowse.emulator import headers

    headers.time = _FixedClock()  # type: ignore[assignment]
    with EmulatorServer() as server:
        summary = build_sample(server, large=False, now=NOW)
        restored = server.store.find(summary.bucket, "archive/restored-2020.tar")
        if restored is not None:
            restored.restore_expiry = RESTORED_UNTIL
        settings = ConnectionSettings(endpoint=server.endpoint, region=server.region,
                                      access_key_id=server.access_key_id,
                                      access_key_secret=server.access_key_secret)  # fmt: skip
        state = tempfile.mkdtemp(prefix="ossbrowse-shots-")
        app = build_app(settings, str(folder), f"oss://{summary.bucket}/", state_dir=state)
        async with app.run_test(size=(120, 36)) as pilot:
            left, right = app.main.left, app.main.right
            while left.is_loading or right.is_loading:
                await pilot.pause(0.05)
            await save(pilot, "main.svg", OUT)
            await pilot.press("tab")
            right.file_list.move_to_path(f"oss://{summary.bucket}/archive/")
            await pilot.press("enter")
            while right.is_loading:
                await pilot.pause(0.05)
            await save(pilot, "archive.svg", OUT)
            # The restore dialog, fitted to a ColdArchive object (tier, days, expected wait).
            right.file_list.move_to_path(f"oss://{summary.bucket}/archive/backup-2018.tar")
            await pilot.press("r")
            while type(app.screen).__name__ != "RestoreDialog":
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            await save(pilot, "restore-dialog.svg", OUT)
            await pilot.press("escape")
            # A priced move: what renaming a prefix costs, before anything is done.
            await pilot.press("backspace")
            while right.is_loading:
                await pilot.pause(0.05)
            right.file_list.move_to_path(f"oss://{summary.bucket}/photos/")
            await pilot.press("m")
            await pilot.pause(0.3)
            app.screen.query_one("#copy-destination").value = f"oss://{summary.bucket}/pictures/"
            await pilot.press("enter")
            while getattr(app.screen, "price", None) is None:
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            await save(pilot, "priced-move.svg", OUT)
            await pilot.press("n")
            await pilot.pause(0.2)
            right.open(f"oss://{summary.bucket}/archive/")
            while right.is_loading:
                await pilot.pause(0.05)
            await pilot.press("tab", "down", "space", "space", "c")
            await pilot.pause(0.3)
            await save(pilot, "copy-dialog.svg", OUT)
            await pilot.press("enter")
            # Every copy finished and the pane showing their destination reloaded with them.
            await until(pilot, lambda: all(j.state.finished for j in app.engine.jobs()))
            uploaded = f"oss://{summary.bucket}/archive/notes.txt"
            await until(pilot, lambda: right.file_list.model.index_of(uploaded) is not None)
            await until(pilot, lambda: not right.is_loading)
            await pilot.press("t")
            panel = app.main.transfer_control.panel
            await until(pilot, lambda: panel.display and len(panel.jobs) == len(app.engine.jobs()))
            await pilot.pause(0.3)
            await save(pilot, "transfers.svg", OUT)
            await pilot.press("t", "f1")
            await pilot.pause(0.3)
            await save(pilot, "help.svg", OUT)
        shutil.rmtree(state, ignore_errors=True)
    headers.time = time
    async with build_app(settings, str(folder), str(folder)).run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        await save(pilot, "narrow-80x24.svg", OUT)
    ascii_app = build_app(settings, str(folder), str(folder), ascii_only=True)
    async with ascii_app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        await save(pilot, "ascii.svg", OUT)
    shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ.setdefault("OSSBROWSE_CONFIG", os.devnull)
    OUT.mkdir(exist_ok=True)
    asyncio.run(shoot())
    from feature_shots import shoot_features  # scripts/ is on sys.path when run as a script

    asyncio.run(shoot_features(OUT))
    from usage_shots import shoot_usage

    asyncio.run(shoot_usage(OUT))
    from compare_shots import shoot_compare

    asyncio.run(shoot_compare(OUT))
    from versions_shots import shoot_versions

    asyncio.run(shoot_versions(OUT))
    for path in sorted(OUT.glob("*.svg")):
        print(path.relative_to(OUT.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
