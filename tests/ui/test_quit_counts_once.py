"""Quitting with a copy running counts it once: the engine's copies are tasks of the session's
one runner, so they were counted twice ("2 transfers still running" for one) (Pilot)."""

from __future__ import annotations

import threading

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import loaded, names, wait_for


async def test_quit_counts_a_running_copy_once(make_app, oss_bucket, oss_faults, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a")
    gate = threading.Event()  # the upload waits at the server: the copy is running at q
    oss_faults.add(FaultRule("put_object", key="a.txt", hold=gate))
    app = make_app(str(tmp_path), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(app.main.right) and "a.txt" in names(left))
        left.file_list.move_to_path(str(tmp_path / "a.txt"))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="the copy dialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.engine.jobs() and not app.engine.jobs()[0].state.finished)
        assert app.running_transfers() == 1
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert app.screen.lines[0] == "1 transfer still running, queued or paused."
        await pilot.press("n")
        gate.set()
        await wait_for(pilot, lambda: app.engine.jobs()[0].state is TaskState.DONE)
    oss_faults.clear()
