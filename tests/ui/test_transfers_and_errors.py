"""The transfer panel's actions, quitting with transfers running, server errors as messages."""

from __future__ import annotations

import threading
import time

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import loaded, wait_for


def _state(app):
    (job,) = app.engine.jobs()
    return job.state


async def test_transfer_panel_pause_resume_cancel(make_app, tmp_path, oss_bucket, oss_faults):
    folder = tmp_path / "src" / "many"
    folder.mkdir(parents=True)
    for i in range(40):
        (folder / f"f{i:02}.txt").write_bytes(b"x" * 1000)
    # Uploads are held at the server until the cancel key, so the job is still running when
    # each key arrives, however loaded the machine.
    gate = threading.Event()
    oss_faults.add(FaultRule("put_object", hold=gate))
    app = make_app(str(tmp_path / "src"), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(str(folder))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.engine.jobs() and _state(app) is TaskState.RUNNING)
        await pilot.press("t")
        panel = app.main.transfers
        assert panel.display and panel.table.has_focus
        await wait_for(pilot, lambda: panel.table.row_count == 1, what="a row in the panel")
        await pilot.press("p")
        await wait_for(pilot, lambda: _state(app) is TaskState.PAUSED, what="paused")
        await wait_for(pilot, lambda: "paused" in str(panel.table.get_row_at(0)[0]))
        # Quitting with a transfer not finished asks first.
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="quit question")
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        await pilot.press("u")
        await wait_for(pilot, lambda: _state(app) is not TaskState.PAUSED, what="resumed")
        await pilot.press("x")
        gate.set()  # the uploads in flight may end now; no new one starts
        await wait_for(pilot, lambda: _state(app) is TaskState.CANCELLED, what="cancelled")
        await wait_for(pilot, lambda: "cancelled" in str(panel.table.get_row_at(0)[0]))
        await pilot.press("t")
        assert not panel.display


async def test_pause_all_and_resume_all_from_the_main_screen(
    make_app, tmp_path, oss_bucket, oss_faults
):
    folder = tmp_path / "src" / "many"
    folder.mkdir(parents=True)
    for i in range(8):
        (folder / f"f{i}.txt").write_bytes(b"y" * 100)
    gate = threading.Event()  # uploads wait at the server until the pause has been seen
    oss_faults.add(FaultRule("put_object", hold=gate))
    app = make_app(str(tmp_path / "src"), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(str(folder))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.engine.jobs() and _state(app) is TaskState.RUNNING)
        await pilot.press("P")
        await wait_for(pilot, lambda: _state(app) is TaskState.PAUSED)
        gate.set()
        await pilot.press("R")
        await wait_for(pilot, lambda: _state(app).finished, timeout=60, what="done")
        assert _state(app) is TaskState.DONE
    keys = {o.key for o in __import__("oss2").ObjectIteratorV2(oss_bucket)}
    assert keys == {f"many/f{i}.txt" for i in range(8)}


async def test_server_error_is_a_notification_not_a_traceback(
    make_app, local_dir, oss_bucket, oss_faults
):
    # Every listing fails with 503 (retries included): the pane says so, the app lives on.
    oss_faults.add("list_objects_v2|list_objects:status=503")
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await wait_for(pilot, lambda: right.failed, timeout=30, what="listing to fail")
        await wait_for(pilot, lambda: app._notifications)
        note = list(app._notifications)[-1]
        assert note.severity == "error"
        assert "Traceback" not in note.message
        assert "503" in note.message or "unavailable" in note.message.lower()
        oss_faults.clear()
        await pilot.press("tab", "ctrl+r")
        await wait_for(pilot, lambda: loaded(right) and not right.failed, what="reload")


async def test_slow_listing_shows_progress_and_escape_cancels(
    make_app, local_dir, oss_bucket, oss_faults
):
    # The listing is held at the server until the end of the test (not slowed by a fixed
    # latency, which a loaded machine could outlast), so it is surely still loading here.
    gate = threading.Event()
    oss_faults.add(FaultRule("list_objects_v2", hold=gate))
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await pilot.press("tab")
        await wait_for(
            pilot,
            lambda: right.is_loading and "Esc cancels" in right.path_bar.text.plain,
            what="the loading note",
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not right.is_loading, what="the listing to stop")
        assert "cancelled" in right.path_bar.text.plain
        await pilot.press("q")  # quits at once: the stuck request does not hold the UI
        await wait_for(pilot, lambda: not app.is_running, what="quit")
        oss_faults.clear()


async def test_unfinished_transfer_offered_and_resumed_at_start(
    make_app, tmp_path, oss_bucket, oss_settings, oss_faults
):
    import os

    from ossbrowse.fs.oss import OssClient
    from ossbrowse.transfer import TransferEngine

    data = os.urandom(20 << 20)  # three 8 MiB parts: multipart, so checkpointed
    (tmp_path / "big.bin").write_bytes(data)
    dst = f"oss://{oss_bucket.bucket_name}/big.bin"
    # The parts wait at the server until the stop has been asked for, so the upload cannot
    # finish first, however loaded the machine (a fixed latency could be outlasted).
    gate = threading.Event()
    held = FaultRule("upload_part", hold=gate)
    oss_faults.add(held)
    earlier = TransferEngine(OssClient(oss_settings).bucket, state_dir=str(tmp_path / "state"))
    job = earlier.submit(str(tmp_path / "big.bin"), dst)
    deadline = time.monotonic() + 60  # a hang guard only: the wait ends on the state
    while not (earlier.unfinished() and held.fired) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert earlier.unfinished() and held.fired, "the upload never reached its parts"
    earlier.shutdown(wait=False)  # as a quit or a dropped session leaves it: checkpoint kept
    gate.set()  # the parts in flight end; the stop keeps the upload from completing
    assert job.wait(60)
    assert job.snapshot().state is not TaskState.DONE
    oss_faults.clear()

    app = make_app(str(tmp_path), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="resume offer")
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: any(j.state is TaskState.DONE for j in app.engine.jobs()),
            30,
            what="resumed transfer done",
        )
    assert oss_bucket.get_object("big.bin").read() == data
