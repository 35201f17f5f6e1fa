"""Move, delete and edit of OSS data from the UI go through the operations layer (Pilot)."""

from __future__ import annotations

import sys
import threading

import oss2

from ossbrowse.emulator import FaultRule
from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.copy import CopyDialog
from ossbrowse.ui.dialogs.edit_conflict import EditConflictDialog
from ossbrowse.ui.priced_dialogs import PricedDialog
from tests.ui.conftest import loaded, names, wait_for


def keys(bucket, prefix: str = "") -> list[str]:
    return sorted(o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix))


def fill(bucket, prefix: str, count: int) -> dict[str, bytes]:
    bodies = {f"{prefix}{i:03d}.txt": f"body {i}".encode() for i in range(count)}
    for key, body in bodies.items():
        bucket.put_object(key, body)
    return bodies


async def press_when_enabled(pilot, app, key: str, dialog_type=PricedDialog):
    """A priced dialog takes its key once it has counted what the operation touches."""
    await wait_for(pilot, lambda: isinstance(app.screen, dialog_type), what="the dialog")
    dialog = app.screen
    await wait_for(pilot, lambda: dialog.price is not None, what="the price")
    await pilot.press(key)
    await wait_for(pilot, lambda: app.screen is not dialog, what="the dialog to close")


def only_task(app, kind: str):
    tasks = [t for t in app.tasks.tasks() if t.kind == kind]
    assert len(tasks) == 1, tasks
    return tasks[0]


async def test_move_of_an_oss_folder_runs_the_journaled_mover(make_app, oss_bucket, tmp_path):
    name = oss_bucket.bucket_name
    bodies = fill(oss_bucket, "src/", 5)
    oss_bucket.put_object("dst/", b"")
    app = make_app(f"oss://{name}/", f"oss://{name}/dst/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(f"oss://{name}/src/")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("enter")
        await press_when_enabled(pilot, app, "y")
        task = only_task(app, "move")
        await wait_for(pilot, lambda: task.state.finished, what="the move")
        assert task.state is TaskState.DONE
        assert app.engine.jobs() == []  # not the engine's copy-then-delete
        panel = app.main.transfers
        assert panel.display  # "proceed" shows the panel at once
        await wait_for(pilot, lambda: str(panel.table.get_row_at(0)[0]) == "done")
        assert str(panel.table.get_row_at(0)[1]).startswith("move: ")  # the kind, then where
        await wait_for(pilot, lambda: "src" in names(app.main.right) and loaded(app.main.right))
        await wait_for(pilot, lambda: "src" not in names(left) and loaded(left))
    assert keys(oss_bucket, "src/") == []
    for key, body in bodies.items():
        assert oss_bucket.get_object("dst/" + key).read() == body


async def test_rename_in_place_and_background_move_with_cancel(
    make_app, oss_bucket, oss_faults, monkeypatch
):
    from ossbrowse.ops import pricing

    monkeypatch.setattr(pricing, "LARGE_OBJECTS", 3)  # "large" enough to offer the background
    name = oss_bucket.bucket_name
    bodies = fill(oss_bucket, "many/", 40)
    oss_bucket.put_object("one.txt", b"solo")
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        # A bare name renames in place (one object through the mover).
        left.file_list.move_to_path(f"oss://{name}/one.txt")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        app.screen.query_one("#copy-destination").value = "renamed.txt"
        await pilot.press("enter")
        await press_when_enabled(pilot, app, "y")
        await wait_for(pilot, lambda: only_task(app, "move").state.finished)
        assert oss_bucket.get_object("renamed.txt").read() == b"solo"
        assert not oss_bucket.object_exists("one.txt")
        assert app.main.transfers.display
        await pilot.press("t")  # hide the panel again
        # A folder move in the background, its copies held at the server until it has been
        # paused and cancelled from the panel (so it cannot finish first, however slow the
        # machine).
        gate = threading.Event()
        oss_faults.add(FaultRule("copy_object", hold=gate))
        await wait_for(pilot, lambda: loaded(left) and "many" in names(left))
        left.file_list.move_to_path(f"oss://{name}/many/")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        app.screen.query_one("#copy-destination").value = f"oss://{name}/moved/"
        await pilot.press("enter")
        await press_when_enabled(pilot, app, "b")
        panel = app.main.transfers
        assert not panel.display  # in the background: the panel stays as it was
        tasks = [t for t in app.tasks.tasks() if t.src.endswith("/many/")]
        assert len(tasks) == 1
        task = tasks[0]
        await wait_for(pilot, lambda: task.state is TaskState.RUNNING)
        await pilot.press("t")
        await wait_for(pilot, lambda: panel.table.row_count == 2)
        panel.table.move_cursor(row=1)
        await pilot.press("p")
        await wait_for(pilot, lambda: task.state is TaskState.PAUSED, what="paused")
        await pilot.press("x")
        gate.set()
        await wait_for(pilot, lambda: task.state is TaskState.CANCELLED, what="cancelled")
        assert "cancelled" in str(panel.table.get_row_at(1)[0])
    oss_faults.clear()
    # Cancelled half way: every object is under one of its two names, none lost.
    for key, body in bodies.items():
        moved = "moved/" + key[len("many/") :]
        found = [k for k in (key, moved) if oss_bucket.object_exists(k)]
        assert found, key
        assert oss_bucket.get_object(found[0]).read() == body


async def test_delete_of_oss_entries_runs_ops_delete(make_app, oss_bucket, local_dir):
    name = oss_bucket.bucket_name
    fill(oss_bucket, "gone/", 4)
    oss_bucket.put_object("keep.txt", b"k")
    app = make_app(f"oss://{name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/gone/")
        await pilot.press("f8")
        await press_when_enabled(pilot, app, "y")
        task = only_task(app, "delete")
        await wait_for(pilot, lambda: task.state.finished)
        assert task.state is TaskState.DONE and task.notes == ["Deleted 4 of 4 objects."]
        await wait_for(pilot, lambda: "gone" not in names(left) and loaded(left))
    assert keys(oss_bucket) == ["keep.txt"]


REPLACE = "import sys; open(sys.argv[1], 'wb').write(b'edited by the editor')"


async def test_edit_downloads_runs_editor_and_uploads(make_app, oss_bucket, local_dir, monkeypatch):
    monkeypatch.setenv("EDITOR", f'{sys.executable} -c "{REPLACE}"')
    monkeypatch.delenv("VISUAL", raising=False)
    oss_bucket.put_object("notes/doc.txt", b"original")
    name = oss_bucket.bucket_name
    app = make_app(f"oss://{name}/notes/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/notes/doc.txt")
        await pilot.press("e")
        await press_when_enabled(pilot, app, "y")  # "Edit an object?"
        # After the editor: the size is said before the upload.
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="upload question")
        assert app.screen.title_text == "Upload the edit?"
        await press_when_enabled(pilot, app, "y")
        await wait_for(pilot, lambda: any("uploaded" in n.message for n in app._notifications))
    assert oss_bucket.get_object("notes/doc.txt").read() == b"edited by the editor"


async def test_edit_changed_meanwhile_keeps_both(make_app, oss_bucket, local_dir, monkeypatch):
    monkeypatch.setenv("EDITOR", f'{sys.executable} -c "{REPLACE}"')
    monkeypatch.delenv("VISUAL", raising=False)
    oss_bucket.put_object("doc.txt", b"original")
    name = oss_bucket.bucket_name
    app = make_app(f"oss://{name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/doc.txt")
        await pilot.press("f4")
        await press_when_enabled(pilot, app, "y")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="upload question")
        oss_bucket.put_object("doc.txt", b"someone else's version")  # meanwhile
        await press_when_enabled(pilot, app, "y")
        await wait_for(pilot, lambda: isinstance(app.screen, EditConflictDialog))
        await pilot.press("k")
        await wait_for(pilot, lambda: any("Kept both" in n.message for n in app._notifications))
    assert oss_bucket.get_object("doc.txt").read() == b"someone else's version"
    (edited,) = [k for k in keys(oss_bucket) if k.startswith("doc (edited ")]
    assert oss_bucket.get_object(edited).read() == b"edited by the editor"


async def test_a_bare_name_renames_an_oss_folder_instead_of_moving_it_inside(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    bodies = fill(oss_bucket, "dir/", 3)
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and "dir" in names(left))
        left.file_list.move_to_path(f"oss://{name}/dir/")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        app.screen.query_one("#copy-destination").value = "renamed"
        await pilot.press("enter")
        await press_when_enabled(pilot, app, "y")
        await wait_for(pilot, lambda: only_task(app, "move").state.finished)
    for key, body in bodies.items():
        assert oss_bucket.get_object("renamed/" + key[len("dir/") :]).read() == body
        assert not oss_bucket.object_exists("renamed/" + key)  # not moved inside
        assert not oss_bucket.object_exists(key)
