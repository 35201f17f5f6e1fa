"""The versions view (V) on a versioned bucket, through Pilot against the local server: the
status line says the bucket is versioned, versions and delete markers are listed under their
key, undelete and "make this version current" give the bytes back, a permanent delete needs
the typed confirmation, and "undelete everything deleted after TIME" runs as a task."""

from __future__ import annotations

import os

from textual.widgets import Button, Input

from ossbrowse.ops.versions import key_versions
from ossbrowse.tasks import TaskState
from ossbrowse.ui.dialogs.prompt import PromptDialog
from ossbrowse.ui.dialogs.typed_confirm import TypedConfirmDialog
from ossbrowse.ui.priced_dialogs import PricedDialog
from ossbrowse.ui.versions_view import VersionsScreen
from tests.ui.conftest import loaded, wait_for
from tests.versions_helpers import DAY, T0, date_versions, versioned


async def open_versions(pilot, app) -> VersionsScreen:
    await pilot.press("V")
    await wait_for(pilot, lambda: isinstance(app.screen, VersionsScreen), what="the view")
    view = app.screen
    await wait_for(pilot, lambda: view.list.note == "" or "no versions" in view.list.note,
                   what="the versions listed")  # fmt: skip
    return view


def row_index(view: VersionsScreen, key: str, version_id: str) -> int:
    for index, row in enumerate(view.list.rows):
        record = row.record
        if record is not None and record.key == key and record.version_id == version_id:
            return index
    raise AssertionError(f"no row for {key} {version_id}")


async def answer_priced(pilot, app, key: str = "y") -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
    dialog = app.screen
    await wait_for(pilot, lambda: dialog.price is not None, what="the price")
    await pilot.press(key)
    await wait_for(pilot, lambda: app.screen is not dialog, what="the dialog to close")


async def test_versions_listed_under_their_key_and_undelete(make_app, make_bucket, oss_server):
    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    bucket.put_object("docs/old.txt", b"v1")
    bucket.put_object("docs/old.txt", b"v2 longer")
    bucket.put_object("gone/only.txt", b"deleted later")
    bucket.delete_object("gone/only.txt")
    bucket.put_object("lost.txt", b"the bytes")
    bucket.delete_object("lost.txt")
    date_versions(oss_server, bucket, "lost.txt", [T0 + 2, T0 + 1])
    app = make_app(f"oss://{name}/", str(oss_server.root or "/tmp"))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        await wait_for(pilot, lambda: "versioned bucket" in app.main.status.text.plain,
                       what="the status line's note")  # fmt: skip
        view = await open_versions(pilot, app)
        folders = [r.name for r in view.list.folders]
        assert folders == ["docs/", "gone/"]  # a folder whose objects are all deleted is there
        rows = [(r.name, r.first, r.record.delete_marker) for r in view.list.versions]
        assert rows == [("lost.txt", True, True), ("lost.txt", False, False)]
        assert view.list.versions[0].older  # a delete marker is drawn dimmed
        # walk into the deleted folder, and back
        view.list.move_cursor([r.name for r in view.list.rows].index("gone/"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.path.endswith("/gone/") and view.list.note == "")
        assert [r.name for r in view.list.versions] == ["only.txt", "only.txt"]
        await pilot.press("backspace")
        await wait_for(pilot, lambda: view.path == f"oss://{name}/" and view.list.note == "")
        # undelete lost.txt: its marker goes, the version under it is current again
        view.list.move_cursor(row_index(view, "lost.txt", view.list.versions[0].record.version_id))
        await pilot.press("u")
        await answer_priced(pilot, app)
        await wait_for(pilot, lambda: bucket.object_exists("lost.txt"), what="the undelete")
        assert bucket.get_object("lost.txt").read() == b"the bytes"
        await pilot.press("V")
        await wait_for(pilot, lambda: app.screen is app.main, what="back to the pane")


async def test_make_an_older_version_current_gives_the_old_bytes(make_app, make_bucket):
    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    old = bucket.put_object("doc.txt", b"first draft").versionid
    bucket.put_object("doc.txt", b"second draft")
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_versions(pilot, app)
        view.list.move_cursor(row_index(view, "doc.txt", old))
        await pilot.press("o")
        await answer_priced(pilot, app)
        await wait_for(pilot, lambda: len(key_versions(bucket, "doc.txt")) == 3, what="a copy")
    assert bucket.get_object("doc.txt").read() == b"first draft"


async def test_a_permanent_delete_needs_the_typed_confirmation(make_app, make_bucket):
    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    old = bucket.put_object("keep/doc.txt", b"old").versionid
    bucket.put_object("keep/doc.txt", b"new")
    app = make_app(f"oss://{name}/keep/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_versions(pilot, app)
        view.list.move_cursor(row_index(view, "keep/doc.txt", old))
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog))
        dialog = app.screen
        body = "\n".join(dialog.lines)
        assert "cannot be undone" in body and "Frees 3 Bytes" in body
        assert dialog.query_one("#yes", Button).disabled
        await pilot.press(*"nope", "enter")  # a wrong word: nothing happens
        assert app.screen is dialog and dialog.query_one("#yes", Button).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view)
        assert len(key_versions(bucket, "keep/doc.txt")) == 2  # refused without the word
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmDialog))
        dialog = app.screen
        dialog.query_one(Input).value = "doc.txt"  # the object's name is accepted too
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(key_versions(bucket, "keep/doc.txt")) == 1)
    assert bucket.get_object("keep/doc.txt").read() == b"new"


async def test_undelete_everything_deleted_after_a_time_runs_as_a_task(
    make_app, make_bucket, oss_server
):
    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    for key in ("p/early", "p/late-1", "p/late-2"):
        bucket.put_object(key, key.encode())
        bucket.delete_object(key)
    date_versions(oss_server, bucket, "p/early", [T0 + 1, T0])  # deleted before the time
    date_versions(oss_server, bucket, "p/late-1", [T0 + 3 * DAY, T0])
    date_versions(oss_server, bucket, "p/late-2", [T0 + 4 * DAY, T0])
    app = make_app(f"oss://{name}/p/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_versions(pilot, app)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog))
        app.screen.query_one(Input).value = "2025-12-08"  # between T0 + 1 s and T0 + 3 days
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog))
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None, what="the price")
        text = str(dialog.query_one("#priced-body").render())
        assert "2 objects" in text and "Removes 2 delete markers" in text
        await pilot.press("y")
        await wait_for(pilot, lambda: any(t.kind == "undelete" for t in app.tasks.tasks()))
        task = next(t for t in app.tasks.tasks() if t.kind == "undelete")
        await wait_for(pilot, lambda: task.state.finished, what="the task")
        assert task.state is TaskState.DONE
        await wait_for(pilot, lambda: app.screen is view)
    assert bucket.get_object("p/late-1").read() == b"p/late-1"
    assert bucket.get_object("p/late-2").read() == b"p/late-2"
    assert not bucket.object_exists("p/early")


async def test_a_delete_in_a_versioned_bucket_is_priced_as_freeing_nothing(make_app, make_bucket):
    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    for key in ("d/a.txt", "d/b.txt"):
        bucket.put_object(key, b"x" * 100)
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/d/")
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="the price")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None, what="the price")
        text = str(dialog.query_one("#priced-body").render())
        assert "adds 2 delete markers; frees 0 bytes; the old versions keep costing" in text
        await pilot.press("y")
        await wait_for(pilot, lambda: not bucket.object_exists("d/a.txt"), what="the delete")
    assert len(key_versions(bucket, "d/a.txt")) == 2  # the version and its delete marker


async def test_view_inspect_and_copy_out_an_older_version(make_app, make_bucket, tmp_path):
    from ossbrowse.ui.version_actions import InfoDialog
    from ossbrowse.ui.viewer import Viewer

    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    old = bucket.put_object("notes.txt", b"the old words\n").versionid
    bucket.put_object("notes.txt", b"new words\n")
    local = tmp_path / "here"
    local.mkdir()
    app = make_app(f"oss://{name}/", str(local))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_versions(pilot, app)
        view.list.move_cursor(row_index(view, "notes.txt", old))
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, Viewer), what="the viewer")
        viewer = app.screen
        await wait_for(pilot, lambda: "the old words" in "\n".join(viewer.body.lines))
        shown = viewer.entry.path
        # named as the version it is, not as the temporary copy the bytes are read from
        header = str(viewer.header.render())
        assert header.startswith(f"oss://{name}/notes.txt (version {old})"), header
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view)
        assert not os.path.exists(shown)  # the local copy goes with the viewer
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoDialog), what="inspect")
        lines = "\n".join(app.screen.lines)
        assert f"version id: {old}" in lines and "state: older" in lines and "crc64:" in lines
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view)
        await pilot.press("c")  # into the other pane's folder, as a task
        await wait_for(pilot, lambda: any(t.kind == "copy version" for t in app.tasks.tasks()))
        task = next(t for t in app.tasks.tasks() if t.kind == "copy version")
        await wait_for(pilot, lambda: task.state.finished, what="the copy")
        assert task.state is TaskState.DONE
    assert (local / "notes.txt").read_bytes() == b"the old words\n"
    assert bucket.get_object("notes.txt").read() == b"new words\n"  # the source is untouched


async def test_an_archived_version_is_restored_from_the_archive(make_app, make_bucket):
    from ossbrowse.ops.versions import version_head
    from ossbrowse.ui.restore_dialog import RestoreDialog

    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    cold = bucket.put_object("b.tar", b"t" * 100, headers={"x-oss-storage-class": "Archive"})
    bucket.put_object("b.tar", b"fresh")
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_versions(pilot, app)
        view.list.move_cursor(row_index(view, "b.tar", cold.versionid))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog), what="the dialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is view)

        def restoring() -> bool:
            state = version_head(bucket, "b.tar", cold.versionid).restore.status.value
            return state in ("in-progress", "restored")

        await wait_for(pilot, restoring, what="the restore to start")


async def test_make_current_of_a_version_over_the_copy_limit(
    make_app, make_bucket, oss_faults, monkeypatch
):
    from ossbrowse.emulator import FaultRule
    from ossbrowse.ops import copying

    monkeypatch.setattr(copying, "COPY_OBJECT_LIMIT", 1024)  # 1 GB shrunk: the same path
    bucket = versioned(make_bucket())
    name = bucket.bucket_name
    body = os.urandom(300_000)
    old = bucket.put_object("big.bin", body).versionid
    bucket.put_object("big.bin", b"small now")
    parts = oss_faults.add(FaultRule("upload_part_copy"))
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        view = await open_versions(pilot, app)
        view.list.move_cursor(row_index(view, "big.bin", old))
        await pilot.press("o")
        await answer_priced(pilot, app)
        await wait_for(pilot, lambda: len(key_versions(bucket, "big.bin")) == 3, what="a copy")
    assert bucket.get_object("big.bin").read() == body
    assert parts.fired >= 1  # copied in parts, each pinned to the version
