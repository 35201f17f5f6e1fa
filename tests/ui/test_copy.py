"""Copy between panes by key and by mouse drag, in all three directions, bytes checked."""

from __future__ import annotations

from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import loaded, wait_for


def jobs_done(app) -> bool:
    jobs = app.engine.jobs()
    return bool(jobs) and all(j.state.finished for j in jobs)


async def submit_copy_dialog(pilot, app):
    await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
    await pilot.press("enter")  # destination input has focus: Enter submits
    await wait_for(pilot, lambda: jobs_done(app), what="transfers to finish")
    assert all(j.state is TaskState.DONE for j in app.engine.jobs())


async def test_copy_marked_local_files_to_oss(make_app, local_dir, oss_bucket):
    name = oss_bucket.bucket_name
    app = make_app(str(local_dir), f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        left.file_list.move_to_path(str(local_dir / "data.bin"))
        await pilot.press("space", "space")  # data.bin and hello.txt
        assert left.file_list.model.marked_count == 2
        await pilot.press("c")
        await submit_copy_dialog(pilot, app)
        # The destination pane reloads by itself.
        await wait_for(pilot, lambda: {"data.bin", "hello.txt"} <= set(_names(right)))
    assert oss_bucket.get_object("data.bin").read() == (local_dir / "data.bin").read_bytes()
    assert oss_bucket.get_object("hello.txt").read() == b"hello world\n"


async def test_copy_folder_oss_to_local(make_app, local_dir, oss_bucket, tmp_path):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("set/one.txt", b"one")
    oss_bucket.put_object("set/deep/two.txt", b"two" * 1000)
    target = tmp_path / "down"
    target.mkdir()
    app = make_app(f"oss://{name}/", str(target))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(f"oss://{name}/set/")
        await pilot.press("f5")
        await submit_copy_dialog(pilot, app)
    assert (target / "set" / "one.txt").read_bytes() == b"one"
    assert (target / "set" / "deep" / "two.txt").read_bytes() == b"two" * 1000


async def test_copy_oss_to_oss_server_side(make_app, make_bucket):
    src, dst = make_bucket(), make_bucket()
    src.put_object("pic.raw", b"\x89PNG" + bytes(5000))
    app = make_app(f"oss://{src.bucket_name}/", f"oss://{dst.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(f"oss://{src.bucket_name}/pic.raw")
        await pilot.press("c")
        await submit_copy_dialog(pilot, app)
    assert dst.get_object("pic.raw").read() == b"\x89PNG" + bytes(5000)


async def test_drag_a_row_onto_the_other_pane_opens_the_copy_dialog(
    make_app, local_dir, oss_bucket
):
    name = oss_bucket.bucket_name
    app = make_app(str(local_dir), f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        # Lines: 0 header, 1 "..", 2 docs/, 3 data.bin, 4 hello.txt.
        await pilot.mouse_down(left.file_list, offset=(5, 4))
        await pilot.mouse_up(right.file_list, offset=(5, 3))
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
        dialog = app.screen
        assert [e.name for e in dialog.sources] == ["hello.txt"]
        assert dialog.destination == f"oss://{name}/"
        await pilot.press("enter")
        await wait_for(pilot, lambda: jobs_done(app))
    assert oss_bucket.get_object("hello.txt").read() == b"hello world\n"


async def test_copy_dialog_escape_cancels(make_app, local_dir, oss_bucket):
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("down", "down", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        assert app.engine.jobs() == []


def _names(pane) -> list[str]:
    return [e.name for e in pane.file_list.model.view]
