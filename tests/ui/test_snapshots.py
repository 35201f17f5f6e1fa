"""Snapshot tests of the main screens (pytest-textual-snapshot), on the emulator's sample.

Deterministic by construction: the sample is built with a fixed clock, the local folder has a
fixed path and fixed mtimes, the time zone is UTC (tests/ui/conftest.py), the transfer panel is
fed fixed job snapshots, and notifications are cleared before the picture. Update the SVGs in
`tests/ui/__snapshots__/` with `pytest tests/ui/test_snapshots.py --snapshot-update` and look at
them before committing.
"""

from __future__ import annotations

import fcntl
import os
import shutil

import pytest

from ossbrowse.config import ConnectionSettings
from ossbrowse.tasks import Failure, TaskSnapshot, TaskState
from tests.ui.conftest import FIXED_MTIME, loaded, wait_for

LOCAL = "/tmp/ossbrowse-snapshots/local"  # fixed: the left pane's path bar shows it
LOCK = "/tmp/ossbrowse-snapshots.lock"


@pytest.fixture(scope="module")
def sample_server():
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.sample import build_sample

    with EmulatorServer(restore_delay=1.0) as server:
        build_sample(server, many=50, large=False, now=FIXED_MTIME)
        yield server


@pytest.fixture
def local_sample():
    # The path is fixed (it is in the pictures), so two test runs on one machine (two
    # checkouts, or a run while another is going) would rebuild and remove each other's
    # folder: a lock beside it makes them take turns.
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield from _local_sample()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _local_sample():
    shutil.rmtree(LOCAL, ignore_errors=True)
    os.makedirs(f"{LOCAL}/photos")
    files = {
        "photos/cat.jpg": b"\xff\xd8" + bytes(3000),
        "report.pdf": b"%PDF" + bytes(120_000),
        "notes.txt": b"remember the milk\n",
        "data.csv": b"a,b\n" * 2000,
    }
    for name, body in files.items():
        with open(f"{LOCAL}/{name}", "wb") as handle:
            handle.write(body)
    for root, dirs, names in os.walk(LOCAL):
        for name in dirs + names:
            os.utime(os.path.join(root, name), (FIXED_MTIME, FIXED_MTIME))
    os.utime(LOCAL, (FIXED_MTIME, FIXED_MTIME))
    yield LOCAL
    shutil.rmtree(os.path.dirname(LOCAL), ignore_errors=True)


@pytest.fixture
def sample_app(sample_server, local_sample, tmp_path):
    from ossbrowse.commands.ui import build_app

    settings = ConnectionSettings(
        endpoint=sample_server.endpoint,
        access_key_id=sample_server.access_key_id,
        access_key_secret=sample_server.access_key_secret,
    )
    apps = []

    def make(right: str = "oss://demo/", **kw):
        app = build_app(settings, local_sample, right, state_dir=str(tmp_path / "s"), **kw)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.engine.shutdown(wait=False)


async def ready(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: loaded(app.main.left) and loaded(app.main.right))
    await pilot.pause()


async def settle(pilot) -> None:
    pilot.app.clear_notifications()
    await pilot.pause(0.1)


def test_main_two_panes(snap_compare, sample_app):
    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=ready)


def test_main_at_80x24(snap_compare, sample_app):
    assert snap_compare(sample_app(), terminal_size=(80, 24), run_before=ready)


def test_main_ascii(snap_compare, sample_app):
    assert snap_compare(sample_app(ascii_only=True), terminal_size=(120, 36), run_before=ready)


def test_help(snap_compare, sample_app):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=run_before)


def test_copy_dialog(snap_compare, sample_app):
    async def run_before(pilot):
        await ready(pilot)
        pilot.app.main.left.file_list.move_to_path(f"{LOCAL}/report.pdf")
        await pilot.press("c")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CopyDialog")
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=run_before)


def test_priced_move_dialog(snap_compare, sample_app):
    async def run_before(pilot):
        app = pilot.app
        await ready(pilot)
        await pilot.press("tab")
        app.main.right.file_list.move_to_path("oss://demo/photos/")
        await pilot.press("m")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyDialog")
        app.screen.query_one("#copy-destination").value = "oss://demo/pictures/"
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "price", None) is not None)
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=run_before)


def test_restore_dialog(snap_compare, sample_app):
    async def run_before(pilot):
        app = pilot.app
        await ready(pilot)
        await pilot.press("tab")
        app.main.right.open("oss://demo/archive/")
        await wait_for(pilot, lambda: loaded(app.main.right))
        app.main.right.file_list.move_to_path("oss://demo/archive/backup-2018.tar")
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RestoreDialog")
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=run_before)


def _job(id: str, state: TaskState, done: int, total: int, **kw) -> TaskSnapshot:
    return TaskSnapshot(id=id, src=kw.pop("src"), dst=kw.pop("dst"), state=state,
                       bytes_done=done, bytes_total=total, **kw)  # fmt: skip


def test_transfer_panel(snap_compare, sample_app):
    jobs = [
        _job("j1", TaskState.RUNNING, 300 << 20, 1 << 30, rate=42 << 20, eta=17.0,
             src=f"{LOCAL}/report.pdf", dst="oss://demo/uploads/report.pdf"),
        _job("j2", TaskState.PAUSED, 5 << 20, 20 << 20, files_done=3, files_total=12,
             src="oss://demo/photos/", dst=f"{LOCAL}/photos/"),
        _job("j3", TaskState.DONE, 4096, 4096, src=f"{LOCAL}/notes.txt",
             dst="oss://demo/notes.txt"),
        _job("j4", TaskState.FAILED, 0, 2048, error="403 AccessDenied",
             src="oss://demo/secret.bin", dst=f"{LOCAL}/secret.bin"),
        _job("op1", TaskState.RUNNING, 0, 0, files_done=400, files_total=1000, kind="move",
             unit="object", src="oss://demo/many/", dst="oss://demo/moved/"),
        _job("j5", TaskState.DONE, 0, 2048, files_done=1, files_total=1, files_skipped=1,
             src=f"{LOCAL}/data.csv", dst="oss://demo/data.csv"),
        _job("j6", TaskState.DONE, 3 << 20, 4 << 20, files_done=4, files_total=4,
             failures=(Failure("oss://demo/logs/app.log", f"{LOCAL}/logs/app.log",
                               "Permission denied: cannot write /tmp/.../logs/app.log."),),
             src="oss://demo/logs/", dst=f"{LOCAL}/logs/"),
    ]  # fmt: skip

    async def run_before(pilot):
        await ready(pilot)
        for job in jobs:
            pilot.app.main.handle_transfer(job, True)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(sample_app(), terminal_size=(120, 36), run_before=run_before)
