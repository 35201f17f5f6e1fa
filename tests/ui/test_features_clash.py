"""A folder copy's name clashes are asked once: overwrite all, skip all, older only, skip
identical, cancel (Pilot, local server, --ascii and NO_COLOR, 80x24 and 120x36)."""

from __future__ import annotations

import os
import time

import pytest

from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui import clash
from ossbrowse.ui.dialogs.clash import ClashDialog
from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import FIXED_MTIME, loaded, wait_for

NEWER = time.time() + 2 * 86400  # local copies newer than anything the server wrote
CASES = [
    # key, size, {name: body on OSS afterwards}
    ("l", (120, 36), {"a.txt": b"new a", "b.txt": b"old", "c.txt": b"old"}),
    ("n", (80, 24), {"a.txt": b"old", "b.txt": b"old", "c.txt": b"old"}),
    ("a", (80, 24), {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"old"}),
    ("i", (120, 36), {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"old"}),
    ("c", (120, 36), {"a.txt": b"old", "b.txt": b"old", "c.txt": b"old"}),
]


@pytest.mark.parametrize(("key", "size", "after"), CASES)
async def test_one_question_for_every_clash_of_a_folder_copy(
    make_app, oss_bucket, tmp_path, monkeypatch, key, size, after
):
    monkeypatch.setenv("NO_COLOR", "1")
    shown = []

    class Counted(ClashDialog):
        def on_mount(self) -> None:
            shown.append(self)
            super().on_mount()

    monkeypatch.setattr(clash, "ClashDialog", Counted)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(b"new a")
    (src / "b.txt").write_bytes(b"new b")
    (src / "c.txt").write_bytes(b"old")  # the same bytes as on OSS: "skip identical" skips it
    os.utime(src / "a.txt", (NEWER, NEWER))
    for name in ("b.txt", "c.txt"):
        os.utime(src / name, (FIXED_MTIME, FIXED_MTIME))  # older than the objects
    bucket = oss_bucket.bucket_name
    for name in ("a.txt", "b.txt", "c.txt"):
        oss_bucket.put_object(f"dst/src/{name}", b"old")
    app = make_app(str(tmp_path), f"oss://{bucket}/dst/", ascii_only=True)
    async with app.run_test(size=size) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(str(src))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("enter")  # "ask me" is the default policy
        await wait_for(pilot, lambda: isinstance(app.screen, ClashDialog), what="the question")
        await pilot.press(key)
        await wait_for(pilot, lambda: app.engine.jobs() and all(
            j.state.finished for j in app.engine.jobs()), what="the copy")  # fmt: skip
        assert app.screen is app.main
    assert len(shown) == 1  # asked once, not per file
    for name, body in after.items():
        assert oss_bucket.get_object(f"dst/src/{name}").read() == body, name


async def test_the_clash_dialog_fits_80_columns_in_ascii(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir), ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        src = Entry("a.txt", "/x/a.txt", EntryKind.FILE, 10, FIXED_MTIME)
        dst = Entry("a.txt", "oss://b/a.txt", EntryKind.FILE, 20, FIXED_MTIME)
        answers = []
        app.push_screen(ClashDialog(src, dst), answers.append)
        await wait_for(pilot, lambda: isinstance(app.screen, ClashDialog))
        await pilot.pause()
        for button in app.screen.query("Button"):
            assert app.get_widget_at(*button.region.center)[0] is button, button.label
            box = app.screen.query_one("#clash-box")
            assert box.content_region.contains_region(button.region), button.label  # not cut
        await pilot.press("escape")
        assert answers == ["skip"]


def test_older_only_decides_by_modified_time():
    new = Entry("a", "/a", EntryKind.FILE, 1, 2000.0)
    old = Entry("a", "oss://b/a", EntryKind.FILE, 1, 1000.0)
    assert clash.decide("older", new, old) is ConflictPolicy.OVERWRITE
    assert clash.decide("older", old, new) is ConflictPolicy.SKIP
    unknown = Entry("a", "oss://b/a", EntryKind.FILE, 1, None)
    assert clash.decide("older", new, unknown) is ConflictPolicy.SKIP
