"""The transfer panel: a new job and a state change show at once; progress reaches the table
within a quarter of a second, in one redraw however many snapshots came meanwhile."""

from __future__ import annotations

from textual.app import App, ComposeResult

from ossbrowse.tasks import TaskSnapshot, TaskState
from ossbrowse.ui import transfer_panel
from ossbrowse.ui.transfer_panel import TransferPanel
from tests.ui.conftest import wait_for

MIB = 1024 * 1024


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TransferPanel(id="transfers")


def snapshot(state: TaskState, done: int) -> TaskSnapshot:
    return TaskSnapshot(
        id="j1",
        src="/tmp/big.bin",
        dst="oss://b/big.bin",
        state=state,
        bytes_done=done,
        bytes_total=100 * MIB,
        rate=10.0 * MIB,
        eta=9.0,
    )


def cell(panel: TransferPanel, column: int) -> str:
    return str(panel.table.get_row_at(0)[column])


async def test_progress_is_batched_and_states_are_immediate():
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(TransferPanel)
        panel.update_job(snapshot(TaskState.RUNNING, 0))
        assert panel.table.row_count == 1
        assert cell(panel, 0) == "running"
        updates = []
        original = panel.table.update_cell
        panel.table.update_cell = lambda *a, **kw: (updates.append(a[1]), original(*a, **kw))
        timers = []
        original_timer = panel.set_timer
        panel.set_timer = lambda delay, *a, **kw: (
            timers.append(delay),
            original_timer(delay, *a, **kw),
        )[1]
        for done in range(1, 21):
            panel.update_job(snapshot(TaskState.RUNNING, done * MIB))
        assert panel.jobs["j1"].bytes_done == 20 * MIB  # the summary sees the newest at once
        assert cell(panel, 4).startswith("0")  # the row waits for the next redraw
        # One redraw is asked for, a quarter of a second on, for all twenty snapshots (how soon
        # it really comes on a loaded machine is the event loop's business, not tested here).
        assert timers == [transfer_panel.PROGRESS_EVERY]
        await wait_for(pilot, lambda: cell(panel, 4).startswith("20"), timeout=60)
        # One redraw of the cells that changed (bar and done), not twenty of every cell.
        assert sorted(updates) == ["bar", "done"]
        panel.update_job(snapshot(TaskState.PAUSED, 20 * MIB))
        assert cell(panel, 0) == "paused"
