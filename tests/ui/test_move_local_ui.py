"""A move with a local end, made in the UI, is the journaled, verified move `ossbrowse mv`
runs: its journal exists while it runs, and the same move made again finishes it (Pilot).
The killed-process case is tests/ops/test_move_ends.py, through the same submission."""

from __future__ import annotations

import threading

import oss2

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import loaded, names, wait_for
from tests.ui.test_ops_ui import press_when_enabled


def _objects(bucket, prefix: str) -> dict[str, bytes]:
    return {
        o.key[len(prefix) :]: bucket.get_object(o.key).read()
        for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)
    }


def _moves(app):
    return [t for t in app.tasks.tasks() if t.kind == "move"]


async def _move_batch(app, pilot) -> object:
    """Select `batch` on the left, m, Enter (into the right pane's folder), confirm."""
    left = app.main.left
    await wait_for(pilot, lambda: loaded(left) and "batch" in names(left))
    left.file_list.move_to_path(str(app.main.left.path).rstrip("/") + "/batch")
    before = len(_moves(app))
    await pilot.press("m")
    await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="the move dialog")
    await pilot.press("enter")
    await press_when_enabled(pilot, app, "y")
    await wait_for(pilot, lambda: len(_moves(app)) == before + 1, what="the move task")
    return _moves(app)[-1]


async def test_a_ui_upload_move_is_journaled_and_made_again_finishes_it(
    make_app, oss_bucket, oss_faults, tmp_path
):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("dst/", b"")
    root = tmp_path / "here"
    batch = root / "batch"
    batch.mkdir(parents=True)
    bodies = {f"f{i}.txt": f"body {i}\n".encode() * (i + 1) for i in range(6)}
    for rel, data in bodies.items():
        (batch / rel).write_bytes(data)
    state = tmp_path / "state"
    # The upload of f3.txt waits at the server: the move is always caught while it runs.
    gate = threading.Event()
    rule = oss_faults.add(FaultRule("put_object", key="dst/batch/f3.txt", hold=gate))
    app = make_app(str(root), f"oss://{name}/dst/", state_dir=str(state))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.right))
        task = await _move_batch(app, pilot)
        assert app.engine.jobs() == []  # not a copy whose source is deleted when it ends
        await wait_for(pilot, lambda: rule.fired >= 1, what="the held upload")
        plans = list((state / "moves").glob("*.plan.json"))
        assert len(plans) == 1 and task.resume_ref == plans[0].name.split(".")[0]
        app.main.transfers.display = True
        panel = app.main.transfers
        await wait_for(pilot, lambda: panel.table.row_count == 1)
        panel.table.focus()
        await pilot.press("x")  # cancel from the panel, like any task
        await wait_for(pilot, lambda: task.control.cancelled, what="the cancel")
        gate.set()  # only now: the held upload cannot finish the move before the cancel
        await wait_for(pilot, lambda: task.state.finished, what="the cancelled move")
        assert task.state is TaskState.CANCELLED
        assert list((state / "moves").glob("*.plan.json")) == plans  # kept: it can resume
        oss_faults.clear()
        # Every file is under one of its names meanwhile, none lost.
        held = _objects(oss_bucket, "dst/batch/")
        for rel, data in bodies.items():
            assert held.get(rel) == data or (batch / rel).read_bytes() == data
        # The same move made again in the UI finds the journal and finishes the move.
        again = await _move_batch(app, pilot)
        await wait_for(pilot, lambda: again.state.finished, what="the move made again")
        assert again.state is TaskState.DONE, (again.error, again.failures)
        assert again.resume_ref == task.resume_ref
    assert _objects(oss_bucket, "dst/batch/") == bodies
    assert not batch.exists()
    assert list((state / "moves").glob("*")) == []
