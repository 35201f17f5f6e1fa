"""The find dialog and its results as a virtual folder (MC's panelize), Pilot on the local
server: found rows keep their full paths, every action works on them, Backspace and Esc leave."""

from __future__ import annotations

import threading

from textual.widgets import Input

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from ossbrowse.ui.find_dialog import FindDialog
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.restore_dialog import RestoreDialog
from ossbrowse.ui.viewer import Viewer
from tests.ui.conftest import loaded, names, wait_for
from tests.ui.test_copy import submit_copy_dialog
from tests.ui.test_ops_ui import keys, only_task, press_when_enabled

TREE = {
    "logs/2024/app.log": b"x" * 3000,
    "logs/2025/web.log": b"web log",
    "logs/readme.txt": b"read me",
    "img/a.jpg": b"jpeg",
    "top.log": b"top",
}


def fill(bucket) -> None:
    for key, body in TREE.items():
        bucket.put_object(key, body)
    bucket.put_object("cold/old.log", b"frozen", headers={"x-oss-storage-class": "Archive"})


async def find(pilot, app, **fields: str) -> None:
    """Open the dialog on the active pane, fill its fields (by input id), search, wait."""
    await pilot.press("ctrl+f")
    await wait_for(pilot, lambda: isinstance(app.screen, FindDialog), what="the find dialog")
    for ident, value in fields.items():
        app.screen.query_one(f"#find-{ident.replace('_', '-')}", Input).value = value
    await pilot.press("enter")
    pane = app.main.active
    await wait_for(pilot, lambda: pane.virtual is not None and loaded(pane), what="results")


async def test_find_opens_results_as_a_folder_and_backspace_leaves(make_app, oss_bucket, local_dir):
    fill(oss_bucket)
    root = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(root, str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await find(pilot, app, name="*.log")
        assert sorted(names(left)) == ["cold/old.log", "logs/2024/app.log", "logs/2025/web.log",
                                       "top.log"]  # fmt: skip
        # Each row keeps its full URL: actions act on the object itself.
        assert {e.path for e in left.file_list.model.view} == {
            root + n for n in ["cold/old.log", "logs/2024/app.log", "logs/2025/web.log", "top.log"]
        }
        assert "find in" in left.path_bar.text.plain and "name *.log" in left.path_bar.text.plain
        assert left.path == root  # still the folder the search started from
        await pilot.press("backspace")
        await wait_for(pilot, lambda: left.virtual is None and loaded(left))
        assert left.path == root and "logs" in names(left) and "top.log" in names(left)
        # Esc leaves too, once the search is over.
        await find(pilot, app, min_size="1K")
        assert names(left) == ["logs/2024/app.log"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: left.virtual is None and loaded(left))


async def test_a_bad_value_keeps_the_dialog_open_with_what_to_write(
    make_app, oss_bucket, local_dir
):
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FindDialog))
        app.screen.query_one("#find-newer", Input).value = "last tuesday"
        await pilot.press("enter")
        assert isinstance(app.screen, FindDialog)
        problem = str(app.screen.query_one("#find-problem").render())
        assert "neither a time nor an age" in problem
        await pilot.press("escape")
        assert not isinstance(app.screen, FindDialog) and app.main.left.virtual is None


async def test_found_entries_copy_view_inspect_and_delete(make_app, oss_bucket, tmp_path):
    fill(oss_bucket)
    target = tmp_path / "down"
    target.mkdir()
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(target))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        await find(pilot, app, regex=r"^logs/20")
        assert sorted(names(left)) == ["logs/2024/app.log", "logs/2025/web.log"]
        web = f"oss://{oss_bucket.bucket_name}/logs/2025/web.log"
        # view
        left.file_list.move_to_path(web)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, Viewer), what="the viewer")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, Viewer))
        # inspect
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, Inspector), what="the inspector")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, Inspector))
        # copy to the other pane
        await pilot.press("f5")
        await submit_copy_dialog(pilot, app)
        copied = [p for p in target.rglob("*") if p.is_file()]
        assert [p.read_bytes() for p in copied] == [b"web log"]
        # delete: the results are listed again, without it, and stay results
        await pilot.press("f8")
        await press_when_enabled(pilot, app, "y")
        task = only_task(app, "delete")
        await wait_for(pilot, lambda: task.state.finished, what="the delete")
        assert task.state is TaskState.DONE
        assert not oss_bucket.object_exists("logs/2025/web.log")
        await wait_for(pilot, lambda: loaded(left) and names(left) == ["logs/2024/app.log"])
        assert left.virtual is not None


async def test_found_entries_move_and_restore(make_app, oss_bucket, local_dir):
    fill(oss_bucket)
    name = oss_bucket.bucket_name
    app = make_app(f"oss://{name}/", f"oss://{name}/img/", restore_poll=0.2)
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        await find(pilot, app, **{"class": "Archive"})
        assert names(left) == ["cold/old.log"]
        left.file_list.move_to_path(f"oss://{name}/cold/old.log")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="restore")
        await pilot.press("enter")
        (task,) = [t for t in app.tasks.tasks() if t.kind == "restore"]
        await wait_for(pilot, lambda: task.state is TaskState.DONE, what="the restore")
        assert oss_bucket.head_object("cold/old.log").headers.get("x-oss-restore")
        await find(pilot, app, name="top.log")
        assert names(left) == ["top.log"]
        left.file_list.move_to_path(f"oss://{name}/top.log")
        await pilot.press("f6")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyDialog")
        await pilot.press("enter")
        await press_when_enabled(pilot, app, "y")
        move = only_task(app, "move")
        await wait_for(pilot, lambda: move.state.finished, what="the move")
        assert move.state is TaskState.DONE
    assert "img/top.log" in keys(oss_bucket) and "top.log" not in keys(oss_bucket)


async def test_find_in_a_local_folder(make_app, local_dir, oss_bucket):
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await find(pilot, app, name="*.txt")
        assert sorted(names(left)) == ["docs/a.txt", "hello.txt"]
        assert {e.path for e in left.file_list.model.view} == {
            str(local_dir / "docs" / "a.txt"),
            str(local_dir / "hello.txt"),
        }


async def test_esc_stops_a_search_in_progress(make_app, oss_bucket, local_dir, oss_faults):
    fill(oss_bucket)
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        gate = threading.Event()
        rule = FaultRule("list_objects|list_objects_v2", hold=gate)
        oss_faults.add(rule)  # the search's listing waits at the server until the gate opens
        try:
            await pilot.press("ctrl+f")
            await wait_for(pilot, lambda: isinstance(app.screen, FindDialog))
            await pilot.press("enter")
            await wait_for(pilot, lambda: rule.fired >= 1, what="the search's listing")
            assert left.virtual is not None and left.is_loading
            await pilot.press("escape")
            assert not left.is_loading and left.virtual is not None  # stopped, still results
        finally:
            gate.set()
        await pilot.press("escape")  # the second Esc leaves the results
        await wait_for(pilot, lambda: left.virtual is None and loaded(left))


async def test_the_find_dialog_fits_80x24_with_every_field_and_its_buttons(
    make_app, oss_bucket, local_dir
):
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FindDialog))
        await pilot.pause()
        screen = app.screen.region
        for ident in ("#find-name", "#find-class", "#ok", "#cancel"):
            region = app.screen.query_one(ident).region
            assert region.height >= 1 and screen.contains_region(region), ident
        # A bad value's sentence shows inside the screen too.
        app.screen.query_one("#find-newer", Input).value = "last tuesday"
        await pilot.press("enter")
        await pilot.pause()
        problem = app.screen.query_one("#find-problem")
        assert "neither a time nor an age" in str(problem.render())
        assert problem.region.height >= 1 and screen.contains_region(problem.region)
