"""Restore from the UI: the class-fitted dialog, batches, rows that follow the watcher, and
view / copy of an unrestored object opening the dialog (download when ready). Pilot tests
against the local server (restore delay 1 s, polled every 0.2 s)."""

from __future__ import annotations

from textual.widgets import Checkbox, Select, Static

from ossbrowse.fs.base import RestoreStatus
from ossbrowse.tasks import TaskState
from ossbrowse.ui.restore_dialog import RestoreDialog
from ossbrowse.ui.viewer import Viewer
from tests.restore_helpers import finish_restore
from tests.ui.conftest import loaded, wait_for

ARCHIVE = {"x-oss-storage-class": "Archive"}
COLD = {"x-oss-storage-class": "ColdArchive"}


def status(pane, path: str) -> RestoreStatus | None:
    index = pane.file_list.model.index_of(path)
    return None if index is None else pane.file_list.model.view[index].restore.status


async def test_marked_objects_restore_in_a_batch_and_rows_follow(
    make_app, oss_bucket, oss_server, local_dir, long_restore
):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("a.arc", b"archive bytes", headers=ARCHIVE)
    oss_bucket.put_object("b.cold", b"cold bytes", headers=COLD)
    app = make_app(f"oss://{name}/", str(local_dir), restore_poll=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        a, b = f"oss://{name}/a.arc", f"oss://{name}/b.cold"
        assert status(left, a) is RestoreStatus.NOT_RESTORED
        left.file_list.move_to_path(a)
        await pilot.press("space", "space", "r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="dialog")
        dialog = app.screen
        assert len(dialog.entries) == 2
        # Archive and ColdArchive together: the tightest days range and the cold tiers.
        assert dialog.max_days == 7
        assert dialog.query_one("#restore-tier", Select).value == "Standard"
        wait = str(dialog.query_one("#restore-wait", Static).render())
        assert "Archive:" in wait and "ColdArchive:" in wait
        await pilot.press("enter")
        # The restores stay ongoing (long_restore) until the rows have shown it.
        await wait_for(pilot, lambda: status(left, a) is RestoreStatus.IN_PROGRESS, what="a")
        await wait_for(pilot, lambda: status(left, b) is RestoreStatus.IN_PROGRESS, what="b")
        finish_restore(oss_server, oss_bucket, "a.arc")
        finish_restore(oss_server, oss_bucket, "b.cold")
        (task,) = [t for t in app.tasks.tasks() if t.kind == "restore"]
        await wait_for(pilot, lambda: task.state is TaskState.DONE)
        await wait_for(pilot, lambda: status(left, a) is RestoreStatus.RESTORED, what="restored")
        await wait_for(pilot, lambda: status(left, b) is RestoreStatus.RESTORED)
        index = left.file_list.model.index_of(a)
        assert left.file_list.model.view[index].restore.expires is not None  # "until ..."
    assert oss_bucket.get_object("a.arc").read() == b"archive bytes"


async def test_a_whole_prefix_restores_in_a_batch(make_app, oss_bucket, local_dir):
    name = oss_bucket.bucket_name
    for i in range(3):
        oss_bucket.put_object(f"old/{i}.log", b"log %d" % i, headers=ARCHIVE)
    oss_bucket.put_object("old/plain.txt", b"readable")
    app = make_app(f"oss://{name}/", str(local_dir), restore_poll=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/old/")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="dialog")
        summary = str(app.screen.query_one("#restore-summary", Static).render())
        assert summary.startswith("3 archived objects (Archive)")
        assert not app.screen.query("#restore-tier")  # Archive takes no tier
        await pilot.press("enter")
        (task,) = [t for t in app.tasks.tasks() if t.kind == "restore"]
        await wait_for(pilot, lambda: task.state is TaskState.DONE)
        assert task.notes[0].startswith("Restore started for 3 objects")
        watched = app.restore_watcher()
        await wait_for(pilot, lambda: not watched.watching(), what="all readable")
    for i in range(3):
        assert oss_bucket.get_object(f"old/{i}.log").read() == b"log %d" % i


async def test_viewing_an_unrestored_object_opens_the_restore_dialog(
    make_app, oss_bucket, local_dir
):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("frozen.txt", b"cold text", headers=COLD)
    app = make_app(f"oss://{name}/", str(local_dir), restore_poll=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/frozen.txt")
        await pilot.press("enter")  # Enter on a file views it
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="dialog")
        assert [e.name for e in app.screen.entries] == ["frozen.txt"]
        assert app.screen.max_days == 365
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and not app.tasks.tasks()
        assert not isinstance(app.screen, Viewer)


async def test_copying_an_unrestored_object_downloads_when_ready(
    make_app, oss_bucket, local_dir, tmp_path
):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("deep/report.csv", b"a,b\n1,2\n", headers=ARCHIVE)
    target = tmp_path / "downloads"
    target.mkdir()
    app = make_app(f"oss://{name}/deep/", str(target), restore_poll=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/deep/report.csv")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="dialog")
        box = app.screen.query_one("#restore-download", Checkbox)
        assert box.value and str(target) in str(box.label)
        await pilot.press("enter")
        # No transfer yet: it is queued by the watcher once the restore completes.
        assert app.engine.jobs() == []
        await wait_for(pilot, lambda: app.engine.jobs(), timeout=15, what="the queued download")
        await wait_for(pilot, lambda: all(j.state.finished for j in app.engine.jobs()))
        assert [j.state for j in app.engine.jobs()] == [TaskState.DONE]
    assert (target / "report.csv").read_bytes() == b"a,b\n1,2\n"
