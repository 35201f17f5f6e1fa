"""The transfer panel (issue 16: 3, 5): which file failed and why, retry the failed, clear the
finished; new rows take the cursor; columns fit 80 and 120; a skipped copy says `skipped`."""

from __future__ import annotations

import pytest

from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.tasks import Failure, TaskSnapshot, TaskState
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui.dialogs.copy import CopyRequest
from ossbrowse.ui.dialogs.transfer_details import TransferDetails
from ossbrowse.ui.transfer_panel import TransferPanel
from tests.ui.conftest import loaded, wait_for


def job(id: str, state: TaskState = TaskState.RUNNING, **kw) -> TaskSnapshot:
    kw.setdefault("src", f"/tmp/src/{id}.bin")
    kw.setdefault("dst", f"oss://bucket/some/rather/long/prefix/{id}.bin")
    return TaskSnapshot(id=id, state=state, **kw)


def cells(panel: TransferPanel, job_id: str) -> dict[str, str]:
    row = panel.table.get_row(job_id)
    keys = [c.key.value for c in panel.table.ordered_columns]
    return {k: str(v) for k, v in zip(keys, row, strict=True)}


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_columns_fit_and_new_rows_take_the_cursor(make_app, local_dir, size):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("t")
        panel = app.main.transfers
        for n in range(8):  # more rows than the panel shows
            app.main.handle_transfer(job(f"j{n}", bytes_done=300 << 20, bytes_total=1 << 30,
                                         rate=42 << 20, eta=17.0), True)  # fmt: skip
        await pilot.pause()
        table = panel.table
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        assert sum(widths) <= table.scrollable_content_region.width
        assert panel.selected_id == "j7"  # the newest: p and x act on it
        region = table.scrollable_content_region
        assert table.cursor_row * 1 + 1 <= table.scroll_offset.y + region.height  # in sight
        shown = cells(panel, "j7")
        assert shown["rate"] == "42.0 MiB/s" and shown["eta"] == "17s"
        assert shown["done"].startswith("300.0 MiB")
        await pilot.press("p")
        await pilot.pause()
        # Every state is at most the State column's width: the column never widens.
        app.main.handle_transfer(job("j7", TaskState.CANCELLED), True)
        assert len(cells(panel, "j7")["state"]) <= panel.columns_layout.state


async def test_a_skipped_copy_says_skipped(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        skipped = job("s1", TaskState.DONE, bytes_done=2048, bytes_total=2048, files_done=1,
                      files_total=1, files_skipped=1)  # fmt: skip
        app.main.handle_transfer(skipped, True)
        await pilot.pause()
        shown = cells(app.main.transfers, "s1")
        assert shown["state"] == "skipped"
        assert "█" not in shown["bar"]  # not a full bar


async def test_clear_finished_drops_only_finished_rows(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("t")
        for state, id in ((TaskState.DONE, "d"), (TaskState.RUNNING, "r"), (TaskState.FAILED, "f")):
            app.main.handle_transfer(job(id, state), True)
        await pilot.press("C")
        await pilot.pause()
        assert list(app.main.transfers.jobs) == ["r"]
        assert app.main.transfers.table.row_count == 1


async def test_a_failed_file_is_named_with_its_reason_and_retried(make_app, oss_bucket, tmp_path):
    name = oss_bucket.bucket_name
    for key in ("set/a.txt", "set/b.txt", "set/c.txt"):
        oss_bucket.put_object(key, key.encode())
    target = tmp_path / "down"
    (target / "set" / "b.txt").mkdir(parents=True)  # a folder where a file must go
    (target / "set" / "b.txt" / "inside").write_text("x")
    app = make_app(f"oss://{name}/", str(target))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left) and loaded(app.main.right))
        source = Entry("set", f"oss://{name}/set/", EntryKind.FOLDER)
        app.main.submit_copies(CopyRequest([source], str(target), ConflictPolicy.OVERWRITE))
        panel = app.main.transfers
        await wait_for(pilot, lambda: any(j.state.finished for j in panel.jobs.values()),
                       what="the copy to end")  # fmt: skip
        first = next(iter(panel.jobs.values()))
        assert first.failures, first
        await pilot.press("t")
        await pilot.pause()
        assert cells(panel, first.id)["state"] == "failed"
        detail = str(panel.detail.render())
        assert "b.txt" in detail and "1 failed" in detail
        assert first.failures[0].message in detail or first.failures[0].message[:40] in detail
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TransferDetails))
        assert any(first.failures[0].message in line for line in app.screen.body.lines)
        await pilot.press("escape")
        # Fix the cause, then retry only what failed.
        (target / "set" / "b.txt" / "inside").unlink()
        (target / "set" / "b.txt").rmdir()
        await pilot.press("a")
        await wait_for(pilot, lambda: len(panel.jobs) == 2, what="the retry's row")
        again = panel.jobs[panel.selected_id]
        assert again.id != first.id and again.src == first.failures[0].src
        await wait_for(pilot, lambda: panel.jobs[again.id].state.finished, what="the retry")
        assert panel.jobs[again.id].state is TaskState.DONE
    assert (target / "set" / "b.txt").read_bytes() == b"set/b.txt"


def test_detail_lines_fit_and_say_why():
    from ossbrowse.ui.transfer_panel import detail_lines

    snap = job("x", TaskState.DONE, files_done=4, files_total=4, failures=(
        Failure("oss://b/k/one", "/d/one", "Permission denied: cannot write /d/one."),
        Failure("oss://b/k/two", "/d/two", "Permission denied: cannot write /d/two."),
    ), notes=("skipped oss://b/k/../x: the key is not a safe local path; skipped",))  # fmt: skip
    lines = detail_lines(snap, 70)
    assert all(len(line) <= 70 for line in lines)
    assert "4 of 4 files done" in lines[1] and "2 failed" in lines[1]
    assert "one" in lines[2] and "Enter lists them all" in lines[-1]
