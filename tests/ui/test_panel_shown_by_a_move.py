"""A move in the foreground shows the transfer panel with the keys, as `t` does: its x cancels
at once (it did nothing while the pane kept the focus under a panel saying "x cancel"), and `t`
hides it and gives the keys back to the pane (Pilot)."""

from __future__ import annotations

import threading

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import loaded, names, wait_for
from tests.ui.test_ops_ui import only_task, press_when_enabled


async def test_a_move_shows_the_panel_with_the_keys(make_app, oss_bucket, oss_faults, tmp_path):
    oss_bucket.put_object("dst/", b"")
    root = tmp_path / "here"
    root.mkdir()
    (root / "a.txt").write_bytes(b"a")
    gate = threading.Event()  # the upload waits at the server: the move is caught running
    oss_faults.add(FaultRule("put_object", key="dst/a.txt", hold=gate))
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/dst/")
    async with app.run_test(size=(120, 36)) as pilot:
        left, panel = app.main.left, app.main.transfers
        await wait_for(pilot, lambda: loaded(app.main.right) and "a.txt" in names(left))
        left.file_list.move_to_path(str(root / "a.txt"))
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="the move dialog")
        await pilot.press("enter")
        await press_when_enabled(pilot, app, "y")
        await wait_for(pilot, lambda: panel.table.row_count == 1, what="the move's row")
        assert panel.display and panel.table.has_focus
        await pilot.press("x")
        task = only_task(app, "move")
        await wait_for(pilot, lambda: task.control.cancelled, what="the cancel")
        gate.set()
        await wait_for(pilot, lambda: task.state.finished, what="the cancelled move")
        assert task.state is TaskState.CANCELLED
        await pilot.press("t")
        assert not panel.display and left.file_list.has_focus
    oss_faults.clear()
